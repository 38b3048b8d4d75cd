"""Errors name the fix."""

import numpy as np
import pytest

from steepest.autodiff import MissingRuleError, grad, jacobian, jvp


def test_non_scalar_output_suggests_jacobian():
    with pytest.raises(TypeError, match="jacobian"):
        grad(lambda x: x**2)(np.ones(3))


def test_integer_input_suggests_floats():
    with pytest.raises(TypeError, match="dtype=float"):
        grad(lambda x: x**2)(3)
    with pytest.raises(TypeError, match="non-numeric"):
        grad(lambda x: x)("a")


def test_complex_input_is_differentiated_and_jacobians_of_it_refused_with_advice():
    z = 1.0 + 2.0j
    assert np.isclose(grad(lambda x: np.abs(x))(z), np.conj(z) / abs(z))  # ∂|z|/∂x − i ∂|z|/∂y
    with pytest.raises(TypeError, match="real and imaginary"):
        jacobian(lambda x: np.abs(x))(z)


def test_missing_rule_names_the_op_and_how_to_add_one():
    # np.frexp and np.unwrap, the examples here before, now have rules
    with pytest.raises(MissingRuleError, match=r"np\.add\.outer.*|defvjp") as info:
        grad(lambda x: np.sum(np.add.outer(x, x)))(np.ones(2))
    assert "defvjp" in str(info.value)
    with pytest.raises(MissingRuleError, match="defvjp"):
        grad(lambda x: np.sum(np.insert(x, 1, 2.0)))(np.ones(2))


def test_inplace_mutation_is_refused():
    def f(x):
        x[0] = 2.0
        return x.sum()

    with pytest.raises(TypeError, match="np.where"):
        grad(f)(np.ones(3))
    with pytest.raises(TypeError, match="in place"):
        grad(lambda x: np.add(x, 1.0, out=np.zeros(3)).sum())(np.ones(3))


def test_float_conversion_of_traced_value_explains():
    with pytest.raises(TypeError, match="stop_gradient"):
        grad(lambda x: float(x))(1.0)


def test_jvp_shape_mismatch():
    with pytest.raises(ValueError, match="one shape"):
        jvp(np.sin, (np.ones(2),), (np.ones(3),))
