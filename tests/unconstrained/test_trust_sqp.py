"""trust-constr without constraints: the Byrd-Omojokun iteration takes scipy's iterates, and its
tangential CG step solves the trust-region model."""

import warnings

import numpy as np
import pytest
import scipy.optimize as so

import steepest
from steepest.problems import mgh_problem
from steepest.unconstrained.solvers.trust_sqp import ByrdOmojokun, tangential_cg


def _accepted(lib, fun, x0, **kw):
    """The accepted iterates after x0 (scipy's callback starts at x0 and repeats x after a
    rejected trial)."""
    xs = [np.array(x0, dtype=float)]

    def record(intermediate_result):
        x = np.array(intermediate_result.x, dtype=float)
        if not xs or not np.array_equal(xs[-1], x):
            xs.append(x)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = lib.minimize(fun, x0.copy(), method="trust-constr", callback=record, **kw)
    return res, np.array(xs[1:])


@pytest.mark.parametrize("number", [1, 5, 7, 14, 20])
def test_iterates_and_counts_are_scipys(number):
    p = mgh_problem(number)
    kw = {"jac": p.grad, "hess": p.hessian}
    ref, xs_ref = _accepted(so, p.fun, p.start(), **kw)
    res, xs = _accepted(steepest, p.fun, p.start(), options={"certify": False}, **kw)
    k = min(len(xs), len(xs_ref))
    np.testing.assert_allclose(xs[:k], xs_ref[:k], rtol=1e-8, atol=1e-12)
    assert res.status == ref.status == 1 and res.success
    assert res.nfev <= ref.nfev and res.njev <= ref.njev and res.nhev <= ref.nhev
    assert res.fun <= ref.fun + 1e-12 * max(1.0, abs(ref.fun))


def test_maxiter_counts_trials_and_xtol_bounds_the_radius_as_in_scipy():
    x0 = np.array([-1.2, 1.0])
    kw = {"jac": so.rosen_der, "hess": so.rosen_hess}
    for options, code in (({"maxiter": 12}, 0), ({"xtol": 0.1}, 2)):
        ref = so.minimize(so.rosen, x0, method="trust-constr", options=options, **kw)
        res = steepest.minimize(so.rosen, x0, method="trust-constr", options=options, **kw)
        assert res.status == ref.status == code and res.nfev == ref.nfev
        np.testing.assert_allclose(res.x, ref.x, rtol=1e-10)


def test_hessp_alone_suffices_at_large_n():
    p = mgh_problem("extended_rosenbrock", n=2000)
    res = steepest.minimize(p.fun, p.start(), method="trust-constr", jac=p.grad,
                            hessp=p.hessian_vector_product, options={"certify": False})
    assert res.success and np.max(np.abs(p.grad(res.x))) < 1e-8


def test_a_trial_where_f_is_not_finite_shrinks_the_radius_and_the_run_recovers():
    def fun(x):  # undefined beyond |x| = 2: a trial there must be rejected, not taken
        return np.inf if x @ x > 4.0 else so.rosen(x)

    res = steepest.minimize(fun, np.array([-1.2, 1.0]), method="byrd-omojokun",
                            jac=so.rosen_der, hess=so.rosen_hess,
                            options={"initial_radius": 50.0})
    assert res.success and np.isfinite(res.fun)
    np.testing.assert_allclose(res.x, 1.0, atol=1e-6)


def test_tangential_cg_solves_the_model_inside_and_stops_on_the_boundary():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((8, 8))
    H = A @ A.T + np.eye(8)
    g = rng.standard_normal(8)
    newton = np.linalg.solve(H, -g)
    p = tangential_cg(lambda v: H @ v, g, 10 * np.linalg.norm(newton))
    r = H @ p + g
    assert r @ r < max(min(0.01 * np.linalg.norm(g), 0.1 * g @ g), 1e-25) or \
        np.allclose(p, newton, rtol=1e-8)  # stopped by its tolerance, or n CG steps
    radius = 0.3 * np.linalg.norm(newton)
    p = tangential_cg(lambda v: H @ v, g, radius)
    assert np.isclose(np.linalg.norm(p), radius, rtol=1e-12)
    model = lambda s: g @ s + 0.5 * s @ H @ s  # noqa: E731
    cauchy = -radius * g / np.linalg.norm(g)
    assert model(p) <= model(cauchy) + 1e-12  # at least the Cauchy decrease on the boundary
    indefinite = np.diag([1.0, -2.0, 3.0])
    p = tangential_cg(lambda v: indefinite @ v, np.array([0.0, 1.0, 0.0]), 1.5)
    assert np.isclose(np.linalg.norm(p), 1.5) and p[1] < 0  # along -g to the boundary


def test_bad_options_name_the_argument():
    with pytest.raises(ValueError, match="initial_radius"):
        ByrdOmojokun(initial_radius=0.0)
    with pytest.raises(ValueError, match="radius_tol"):
        ByrdOmojokun(radius_tol=-1.0)
