"""Residual Jacobians: autodiff in both modes and finite differences against the analytic one."""

import numpy as np
import pytest

from steepest.fitting.jacobian import make_jacobian

LB, UB = np.array([0.0, -np.inf]), np.array([1.0, np.inf])


def _fun(x):
    first = x[0].real if isinstance(x, np.ndarray) and x.dtype.kind == "c" else x[0]
    if first < 0 or first > 1:
        raise AssertionError("evaluated outside the bounds")
    return np.array([np.sin(x[0]) * x[1], x[0] ** 2, np.exp(x[1]) * x[0]])


def _exact(x):
    return np.array([[np.cos(x[0]) * x[1], np.sin(x[0])], [2 * x[0], 0.0],
                     [np.exp(x[1]), np.exp(x[1]) * x[0]]])


@pytest.mark.parametrize(("jac", "tol"), [(None, 1e-14), ("2-point", 1e-6), ("3-point", 1e-8),
                                          ("cs", 1e-14)])
@pytest.mark.parametrize("x0", [0.0, 0.4, 1.0])
def test_schemes_agree_with_the_analytic_jacobian_and_stay_in_bounds(jac, tol, x0):
    x = np.array([x0, 0.3])
    J = make_jacobian(jac, _fun, 3, 2, LB, UB)(x, _fun(x))
    np.testing.assert_allclose(J, _exact(x), rtol=tol, atol=tol)


def test_reverse_mode_when_parameters_outnumber_residuals():
    fun = lambda x: np.array([np.sum(x ** 2)])  # noqa: E731
    x = np.arange(4.0)
    J = make_jacobian(None, fun, 1, 4, np.full(4, -np.inf), np.full(4, np.inf))(x, fun(x))
    np.testing.assert_allclose(J, [2 * x])


def test_non_finite_user_jacobian_is_reported():
    jac = make_jacobian(lambda x: np.full((3, 2), np.nan), _fun, 3, 2, LB, UB)
    with pytest.raises(ValueError, match="jac\\(x\\) is not finite"):
        jac(np.array([0.5, 0.5]), None)
