"""Matrix-free trust-region subproblems (Steihaug-Toint CG, GLTR) and the scipy names that
use them (trust-ncg, trust-krylov)."""

import numpy as np
import pytest
import scipy.optimize as so

from steepest import minimize
from steepest.unconstrained import solve_trust_subproblem
from steepest.unconstrained.solvers.trust_krylov import forcing_tolerance, gltr, steihaug_cg


def _random_model(seed, n=6, definite=False):
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((n, n))
    H = M @ M.T + 0.1 * np.eye(n) if definite else M + M.T
    return H, rng.standard_normal(n), float(rng.uniform(0.2, 3.0))


def _model(H, g, p):
    return float(g @ p + 0.5 * p @ H @ p)


@pytest.mark.parametrize("seed", range(8))
def test_gltr_on_the_whole_krylov_space_is_the_exact_solution(seed):
    """With a tolerance of 0 the Lanczos basis spans R^n and the k x k problem is the full
    one: GLTR's step equals Moré-Sorensen's (indefinite H included)."""
    H, g, radius = _random_model(seed)
    p, hit = gltr(lambda v: H @ v, g, radius, tol=0.0, tol_interior=0.0)
    exact = solve_trust_subproblem(H, g, radius)
    np.testing.assert_allclose(p, exact, atol=1e-7)
    assert hit == (np.linalg.norm(exact) >= radius * (1 - 1e-8))


@pytest.mark.parametrize("seed", range(8))
def test_steihaug_interior_is_the_newton_step_and_boundary_steps_have_norm_radius(seed):
    H, g, _ = _random_model(seed, definite=True)
    newton = np.linalg.solve(H, -g)
    p, hit = steihaug_cg(lambda v: H @ v, g, 2.0 * np.linalg.norm(newton), tol=1e-13)
    assert not hit
    np.testing.assert_allclose(p, newton, rtol=1e-8, atol=1e-10)
    radius = 0.3 * float(np.linalg.norm(newton))
    p, hit = steihaug_cg(lambda v: H @ v, g, radius, tol=1e-13)
    assert hit and np.linalg.norm(p) == pytest.approx(radius, rel=1e-12)


@pytest.mark.parametrize("solver", [steihaug_cg, gltr])
@pytest.mark.parametrize("seed", range(8))
def test_step_decreases_the_model_at_least_as_much_as_the_cauchy_point(solver, seed):
    """Both start from the Cauchy step (the first CG/Lanczos iterate minimises the model
    along -g in the ball), so m(p) <= m(p_C): the global convergence condition."""
    H, g, radius = _random_model(seed)
    p, _ = solver(lambda v: H @ v, g, radius)
    gHg = float(g @ H @ g)
    gn = float(np.linalg.norm(g))
    t = radius / gn if gHg <= 0 else min(gn * gn / gHg, radius / gn)
    assert np.linalg.norm(p) <= radius * (1 + 1e-9)  # the secular solve stops at 1e-10
    assert _model(H, g, p) <= _model(H, g, -t * g) + 1e-12


def test_steihaug_follows_negative_curvature_to_the_boundary():
    H = np.diag([1.0, -1.0])
    p, hit = steihaug_cg(lambda v: H @ v, np.array([0.0, 1.0]), 2.0)
    assert hit
    np.testing.assert_allclose(p, [0.0, -2.0])


def test_forcing_tolerance():
    assert forcing_tolerance(4.0) == 2.0
    assert forcing_tolerance(1e-4) == pytest.approx(1e-6)


@pytest.mark.parametrize("method", ["trust-ncg", "trust-krylov"])
def test_same_evaluations_as_scipy_on_2d_rosenbrock(method):
    """The same Steihaug/GLTR subproblems and radius rules: scipy's iterates."""
    x0 = np.array([-1.2, 1.0])
    ref = so.minimize(so.rosen, x0, jac=so.rosen_der, hessp=so.rosen_hess_prod, method=method)
    res = minimize(so.rosen, x0, jac=so.rosen_der, hessp=so.rosen_hess_prod, method=method,
                   options={"certify": False})
    assert res.success and res.nfev == ref.nfev
    np.testing.assert_allclose(res.x, ref.x, atol=1e-7)


@pytest.mark.parametrize("method", ["trust-ncg", "trust-krylov"])
def test_matrix_free_at_large_n_never_forms_the_hessian(method):
    """Only scipy's O(n) rosen_hess_prod is given: the exact subproblem would build the
    Hessian from n = 3000 products per iteration; the Krylov ones use far fewer in all."""
    x0 = np.full(3000, 0.5)
    res = minimize(so.rosen, x0, jac=so.rosen_der, hessp=so.rosen_hess_prod, method=method,
                   options={"certify": False})
    assert res.success and 0 < res.nhev < x0.size
    np.testing.assert_allclose(res.x, 1.0, atol=1e-4)


def test_trust_newton_rejects_an_unknown_subproblem():
    with pytest.raises(ValueError, match="subproblem='dense'.*'cg'"):
        minimize(so.rosen, np.zeros(2), method="trust-newton",
                 options={"subproblem": "dense"})
