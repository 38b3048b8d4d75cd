"""Finite differences and check_grads can fail, and agree with exact derivatives."""

import numpy as np
import pytest

from steepest.autodiff import (
    GradientCheckError,
    check_grads,
    defjvp,
    defvjp,
    getval,
    numerical_gradient,
    numerical_hessian,
    numerical_jacobian,
    primitive,
)


def test_check_grads_catches_a_rule_that_does_not_nest():
    @primitive
    def cube(x):
        return x**3

    # correct first derivative, but written on plain values: second order is lost
    defvjp(cube, lambda g, ans, x: g * 3 * getval(x) ** 2)
    defjvp(cube, lambda t, ans, x: t * 3 * getval(x) ** 2)
    x = (np.array([0.5, 1.0]),)
    check_grads(cube, x, order=1)
    for mode in ("fwd", "rev"):
        with pytest.raises(GradientCheckError, match="order-1"):
            check_grads(cube, x, modes=(mode,), order=2)


def test_check_grads_catches_a_wrong_first_derivative():
    @primitive
    def wrong_sin(x):
        return np.sin(x)

    defvjp(wrong_sin, lambda g, ans, x: g * np.sin(x))
    defjvp(wrong_sin, lambda t, ans, x: t * np.cos(x))
    check_grads(wrong_sin, (np.array([0.3, 1.0]),), modes=("fwd",))
    with pytest.raises(GradientCheckError, match="VJP"):
        check_grads(wrong_sin, (np.array([0.3, 1.0]),), modes=("rev",))


def test_numerical_derivatives_match_closed_forms():
    f = lambda x: np.sum(np.sin(x) * x**2)  # noqa: E731
    x = np.array([0.3, -1.2, 2.0])
    g = np.cos(x) * x**2 + 2 * x * np.sin(x)
    np.testing.assert_allclose(numerical_gradient(f, x), g, rtol=1e-8)
    np.testing.assert_allclose(numerical_gradient(f, x, richardson=True), g, rtol=1e-11)
    H = np.diag(-np.sin(x) * x**2 + 4 * x * np.cos(x) + 2 * np.sin(x))
    np.testing.assert_allclose(numerical_hessian(f, x), H, atol=5e-7)  # second differences
    J = numerical_jacobian(lambda v: np.outer(v, v), x)
    assert J.shape == (3, 3, 3)
    np.testing.assert_allclose(J[0, 1], [x[1], x[0], 0.0], atol=1e-8)


def test_richardson_is_more_accurate():
    f = lambda x: np.exp(3 * x[0])  # noqa: E731
    x = np.array([1.0])
    exact = 3 * np.exp(3.0)
    err_plain = abs(numerical_gradient(f, x, step=1e-3)[0] - exact)
    err_rich = abs(numerical_gradient(f, x, step=1e-3, richardson=True)[0] - exact)
    assert err_rich < err_plain / 100
