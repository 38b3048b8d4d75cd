"""Newton-CG under scipy's name follows scipy's iterates (CG in the 1-norm, dcsrch, capped
first trials) and ends with one accurately solved Newton step."""

import numpy as np
import pytest
import scipy.optimize as so

from steepest import minimize
from steepest.unconstrained.solvers.newton import scipy_truncated_cg, truncated_cg


def _iterates(lib, x0, **kw):
    xs = []
    res = lib.minimize(so.rosen, x0.copy(), method="Newton-CG", jac=so.rosen_der,
                       hessp=so.rosen_hess_prod, callback=lambda xk: xs.append(np.copy(xk)),
                       **kw)
    return res, np.array(xs)


@pytest.mark.parametrize("n", [2, 10])
def test_iterates_are_scipys_and_the_end_is_more_accurate(n):
    x0 = np.tile([-1.2, 1.0], n // 2)
    ref, xs_ref = _iterates(so, x0)
    res, xs = _iterates(__import__("steepest"), x0, options={"certify": False})
    k = min(len(xs), len(xs_ref)) - 1
    np.testing.assert_allclose(xs[:k], xs_ref[:k], rtol=1e-9, atol=1e-12)
    assert res.success and res.nfev <= ref.nfev + 1
    err, err_ref = np.max(np.abs(res.x - 1.0)), np.max(np.abs(ref.x - 1.0))
    assert err <= 1e-6 < err_ref


def test_cg_direction_is_newton_on_spd_and_scaled_descent_on_negative_curvature():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 6))
    H = A @ A.T + 6 * np.eye(6)
    g = rng.standard_normal(6)
    p = scipy_truncated_cg(lambda v: H @ v, g, 60, eta=1e-14)
    np.testing.assert_allclose(p, np.linalg.solve(H, -g), rtol=1e-10)
    # the forcing term: the 1-norm residual is within min(1/2, sqrt(|g|_1)) |g|_1
    p = scipy_truncated_cg(lambda v: H @ v, g, 60)
    g1 = np.sum(np.abs(g))
    assert np.sum(np.abs(H @ p + g)) <= min(0.5, np.sqrt(g1)) * g1
    Hn = -np.eye(6)
    np.testing.assert_allclose(scipy_truncated_cg(lambda v: Hn @ v, g, 60),
                               -(g @ g) / (g @ g) * g)
    assert np.array_equal(truncated_cg(lambda v: Hn @ v, g, 0.1, 60), -g)


def test_tol_sets_the_mean_step_test_as_scipy():
    x0 = np.array([-1.2, 1.0])
    loose = minimize(so.rosen, x0, method="Newton-CG", jac=so.rosen_der,
                     hessp=so.rosen_hess_prod, options={"xtol": 1e-1})
    tight = minimize(so.rosen, x0, method="Newton-CG", jac=so.rosen_der,
                     hessp=so.rosen_hess_prod, tol=1e-12)
    assert loose.success and tight.success and loose.nit < tight.nit
    assert np.max(np.abs(tight.x - 1.0)) < 1e-12
