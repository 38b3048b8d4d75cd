"""analysis_objective: the analysis functions' f, point and optional derivatives."""

from __future__ import annotations

import numpy as np
import pytest

from steepest.analysis._inputs import analysis_objective, as_point
from steepest.objective import NonFiniteDerivativeError


def test_point_shapes_are_kept_and_lists_of_numbers_become_arrays():
    seen = []
    obj, x = analysis_objective(lambda z: seen.append(type(z)) or z @ z, [1.0, 2.0])
    assert x.tolist() == [1.0, 2.0] and obj.f(x) == 5.0 and seen == [np.ndarray]
    obj, x = analysis_objective(lambda z: np.sum(z**2), np.ones((2, 2)))
    assert x.shape == (4,) and np.array_equal(obj.grad(x), 2 * np.ones(4))


def test_hessian_from_hvp_columns_and_autodiff_when_only_grad_is_given():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    f = lambda z: 0.5 * z @ A @ z  # noqa: E731
    calls = []
    obj, x = analysis_objective(f, np.ones(2), hvp=lambda z, v: calls.append(1) or A @ v)
    assert np.array_equal(obj.hessian(x, symmetric=True), A) and len(calls) == 2
    obj, x = analysis_objective(f, np.ones(2), grad=lambda z: A @ z)
    assert obj.hessian_source == "autodiff" and np.allclose(obj.hessian(x), A)


def test_checks_of_the_inputs():
    with pytest.raises(TypeError, match="f must be callable"):
        analysis_objective(None, np.ones(2))
    with pytest.raises(TypeError, match="hvp must be callable"):
        analysis_objective(np.sum, np.ones(2), hvp=3)
    with pytest.raises(ValueError, match="NaN or inf"):
        analysis_objective(np.sum, {"a": np.array([np.nan])})
    with pytest.raises(TypeError, match="real number"):
        as_point("abc")
    obj, x = analysis_objective(np.sum, np.ones(2), grad=lambda z: np.full(2, np.nan))
    with pytest.raises(NonFiniteDerivativeError):
        obj.grad(x)
