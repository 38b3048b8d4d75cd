"""The dogleg subproblem: the path's three cases, the indefinite fallback, scipy's iterates."""

import numpy as np
import pytest
import scipy.optimize as so

from steepest import minimize
from steepest.unconstrained.solvers.trust_dogleg import dogleg_step
from steepest.unconstrained.solvers.trust_exact import solve_trust_subproblem


def _spd(seed, n=5):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    return A @ A.T + 0.5 * np.eye(n), rng.standard_normal(n)


@pytest.mark.parametrize("seed", range(3))
def test_dogleg_path_cases(seed):
    H, g = _spd(seed)
    model = lambda p: g @ p + 0.5 * p @ H @ p  # noqa: E731
    p_newton = -np.linalg.solve(H, g)
    np.testing.assert_allclose(dogleg_step(H, g, 2 * np.linalg.norm(p_newton)), p_newton)
    p_cauchy = -(g @ g) / (g @ H @ g) * g
    for radius in (0.5 * np.linalg.norm(p_cauchy),
                   0.5 * (np.linalg.norm(p_cauchy) + np.linalg.norm(p_newton))):
        p = dogleg_step(H, g, radius)
        assert np.linalg.norm(p) == pytest.approx(radius, rel=1e-12)
        # at least the Cauchy decrease, at most the exact subproblem's
        cauchy = -radius / np.linalg.norm(g) * g
        t = min(1.0, np.linalg.norm(g) ** 3 / (radius * (g @ H @ g)))
        assert model(p) <= model(t * cauchy) + 1e-12
        assert model(p) >= model(solve_trust_subproblem(H, g, radius)) - 1e-12


def test_indefinite_hessian_takes_the_exact_step():
    H = np.diag([-2.0, 1.0, 3.0])
    g = np.array([0.3, -1.0, 0.5])
    np.testing.assert_allclose(dogleg_step(H, g, 0.7), solve_trust_subproblem(H, g, 0.7))


def test_dogleg_matches_scipys_evaluations_on_a_convex_problem():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((30, 6))
    b = rng.standard_normal(30)

    def f(x):
        return float(np.sum(np.logaddexp(0.0, A @ x)) - b @ (A @ x) + 0.5 * x @ x)

    def g(x):
        return A.T @ (1 / (1 + np.exp(-(A @ x))) - b) + x

    def h(x):
        s = 1 / (1 + np.exp(-(A @ x)))
        return A.T @ ((s * (1 - s))[:, None] * A) + np.eye(6)

    x0 = np.full(6, 3.0)
    ref = so.minimize(f, x0, method="dogleg", jac=g, hess=h)
    ours = minimize(f, x0, method="dogleg", jac=g, hess=h, options={"certify": False})
    assert ref.success and ours.success
    assert ours.nfev <= ref.nfev and ours.njev <= ref.njev
    np.testing.assert_allclose(ours.x, ref.x, atol=1e-3)  # both stop at gtol=1e-4


def test_dogleg_solves_rosenbrock_where_scipys_stops_on_an_indefinite_hessian():
    x0 = np.array([1.3, 0.7, 0.8, 1.9, 1.2])
    with np.errstate(all="ignore"):
        ref = so.minimize(so.rosen, x0, method="dogleg", jac=so.rosen_der, hess=so.rosen_hess)
    ours = minimize(so.rosen, x0, method="dogleg", jac=so.rosen_der, hess=so.rosen_hess)
    assert not ref.success and "psd" in ref.message
    assert ours.success and np.allclose(ours.x, 1.0, atol=1e-4)
