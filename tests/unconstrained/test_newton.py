"""Newton family: one step on PD quadratics, modifications avoid saddles, seed examples."""

import numpy as np
import pytest

from steepest import Status, minimize
from steepest.unconstrained import solve_trust_subproblem

from ._problems import catalogue, quadratic

SECOND_ORDER = ["newton", "newton-cg", "trust-newton"]


def _saddle_problem():
    """f = x^4/4 - x^2/2 + y^2/2: saddle at 0, minima at (+-1, 0)."""
    f = lambda z: z[0] ** 4 / 4 - z[0] ** 2 / 2 + z[1] ** 2 / 2  # noqa: E731
    g = lambda z: np.array([z[0] ** 3 - z[0], z[1]])  # noqa: E731
    h = lambda z: np.diag([3 * z[0] ** 2 - 1, 1.0])  # noqa: E731
    return f, g, h


@pytest.mark.parametrize("method", SECOND_ORDER)
@pytest.mark.parametrize("prob", [p for p in catalogue() if p.name != "rosen6"],
                         ids=lambda p: p.name)
def test_reaches_known_minimum(method, prob):
    res = minimize(prob.fun, prob.x0, method=method, jac=prob.grad, hess=prob.hess)
    assert res.success, res.message
    assert res.fun == pytest.approx(prob.f_star, abs=1e-10)
    if prob.name != "himmelblau":  # four global minima: any one will do
        np.testing.assert_allclose(res.x, prob.x_star, atol=1e-6)
    assert res.certificate.kind == "minimum" and res.certificate.hessian_source == "hess"


@pytest.mark.parametrize("method", SECOND_ORDER)
def test_rosen6_reaches_a_certified_minimum(method):
    prob = next(p for p in catalogue() if p.name == "rosen6")
    res = minimize(prob.fun, prob.x0, method=method, jac=prob.grad, hess=prob.hess)
    assert res.success and res.certificate.kind == "minimum"
    assert np.all(res.certificate.hessian_eigenvalues > 0)


@pytest.mark.parametrize("seed", range(3))
def test_newton_solves_pd_quadratic_in_one_step(seed):
    prob, A, b = quadratic(n=8, cond=1e4, seed=seed)
    res = minimize(prob.fun, prob.x0, method="newton", jac=prob.grad, hess=prob.hess)
    assert res.nit == 1 and res.success
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-8)


@pytest.mark.parametrize("modification", ["eigen", "shift", "levenberg"])
def test_modified_newton_avoids_saddle(modification):
    f, g, h = _saddle_problem()
    x0 = np.array([0.3, 0.5])
    pure = minimize(f, x0, method="newton", jac=g, hess=h,
                    options={"modification": "none", "line_search": "fixed"})
    assert pure.success and pure.certificate.kind == "saddle"
    res = minimize(f, x0, method="newton", jac=g, hess=h, options={"modification": modification})
    assert res.success and res.certificate.kind == "minimum"
    np.testing.assert_allclose(np.abs(res.x), [1.0, 0.0], atol=1e-6)


def test_trust_newton_leaves_a_saddle_start():
    f, g, h = _saddle_problem()
    res = minimize(f, np.array([1e-9, 0.2]), method="trust-newton", jac=g, hess=h)
    assert res.success and res.certificate.kind == "minimum"


def test_pure_newton_overshoot_sequence():
    """Liquet et al.: C(t) = (t-3)^2 (t+3) from 1.5 visits 5.25, 3.5956, 3.0683, 3.0011."""
    C = lambda t: (t[0] - 3) ** 2 * (t[0] + 3)  # noqa: E731
    dC = lambda t: np.array([3 * (t[0] - 3) * (t[0] + 1)])  # noqa: E731
    d2C = lambda t: np.array([[6 * t[0] - 6]])  # noqa: E731
    res = minimize(C, np.array([1.5]), method="newton", jac=dC, hess=d2C,
                   options={"modification": "none", "line_search": "fixed", "store_x": True})
    xs = res.trace.as_arrays()["x"][:, 0]
    np.testing.assert_allclose(xs[1:5], [5.25, 3.5956, 3.0683, 3.0011], atol=1e-4)
    assert res.success and abs(res.x[0] - 3) < 1e-10


def test_pure_newton_oscillates_damped_newton_does_not():
    C = lambda t: -t[0] ** 4 / 4 + 5 * t[0] ** 2 / 2  # noqa: E731
    dC = lambda t: np.array([-t[0] ** 3 + 5 * t[0]])  # noqa: E731
    d2C = lambda t: np.array([[-3 * t[0] ** 2 + 5]])  # noqa: E731
    pure = minimize(C, np.array([1.0]), method="newton", jac=dC, hess=d2C,
                    options={"modification": "none", "line_search": "fixed", "maxiter": 6,
                             "store_x": True})
    np.testing.assert_allclose(pure.trace.as_arrays()["x"][:, 0], [1, -1, 1, -1, 1, -1, 1])
    assert not pure.success
    damped = minimize(C, np.array([1.0]), method="newton", jac=dC, hess=d2C)
    assert damped.success and abs(damped.x[0]) < 1e-8


def test_newton_cg_uses_hessp():
    prob, A, b = quadratic(n=10, cond=100.0, seed=4)
    calls = []

    def hessp(x, p):
        calls.append(1)
        return A @ p

    res = minimize(prob.fun, prob.x0, method="newton-cg", jac=prob.grad, hessp=hessp,
                   options={"gtol": 1e-9})
    assert res.success and res.nhev == len(calls) > 0
    np.testing.assert_allclose(res.x, np.linalg.solve(A, b), rtol=1e-7)


def test_newton_cg_hessian_free_by_gradient_differences():
    prob = catalogue()[0]
    res = minimize(prob.fun, prob.x0, method="newton-cg", jac=prob.grad)
    assert res.success and res.nhev == 0
    np.testing.assert_allclose(res.x, 1.0, atol=1e-5)


@pytest.mark.parametrize("seed", range(6))
def test_trust_subproblem_optimality(seed):
    rng = np.random.default_rng(seed)
    n = 5
    M = rng.standard_normal((n, n))
    H = M + M.T
    g = rng.standard_normal(n)
    radius = float(rng.uniform(0.1, 3.0))
    p = solve_trust_subproblem(H, g, radius)
    model = lambda q: g @ q + 0.5 * q @ H @ q  # noqa: E731
    assert np.linalg.norm(p) <= radius * (1 + 1e-9)
    trials = rng.standard_normal((2000, n))
    trials *= (radius * rng.uniform(0, 1, (2000, 1)) ** (1 / n)) / np.linalg.norm(
        trials, axis=1, keepdims=True)
    assert model(p) <= min(model(q) for q in trials) + 1e-10
    # KKT: (H + sigma I) p = -g with sigma >= max(0, -lambda_min)
    sigma = -float((H @ p + g) @ p) / float(p @ p)
    np.testing.assert_allclose(H @ p + sigma * p, -g, atol=1e-7)
    assert sigma >= -np.linalg.eigvalsh(H)[0] - 1e-7


def test_trust_subproblem_hard_case():
    H = np.diag([-2.0, 1.0, 3.0])
    g = np.array([0.0, 1.0, 1.0])
    p = solve_trust_subproblem(H, g, 2.0)
    assert np.linalg.norm(p) == pytest.approx(2.0)
    np.testing.assert_allclose((H + 2.0 * np.eye(3)) @ p, -g, atol=1e-10)


def test_trust_newton_on_a_quadratic_accepts_every_step_and_doubles_the_radius():
    """The quadratic model is exact, so rho = 1: no trial is rejected, and while the step
    reaches the boundary the radius doubles (rho > 3/4), until the Newton step lands on x*."""
    rng = np.random.default_rng(0)
    M = rng.standard_normal((5, 5))
    A, xs = M @ M.T + np.eye(5), rng.standard_normal(5)
    x0 = xs + 50 * rng.standard_normal(5)
    res = minimize(lambda x: 0.5 * (x - xs) @ A @ (x - xs), x0, method="trust-newton",
                   jac=lambda x: A @ (x - xs), hess=lambda x: A,
                   options={"initial_radius": 1.0})
    t = res.trace
    assert res.success and np.allclose(res.x, xs, rtol=0, atol=1e-12)
    assert t.ls_evals[1:] == [1] * res.nit and res.nfev == res.nit + 1
    boundary = np.array(t.step_norm[1:-1])  # all but the last (interior Newton) step
    assert boundary.size >= 4
    np.testing.assert_allclose(boundary, 2.0 ** np.arange(boundary.size), rtol=1e-9)
    assert t.step_norm[-1] < t.step_size[-2]  # the last step is interior


def _rosenbrock_scipy():
    from scipy.optimize import rosen, rosen_der, rosen_hess

    return rosen, rosen_der, rosen_hess, np.array([-1.2, 1.0]), np.ones(2), 1.0


def _saddle_start():
    f, g, h = _saddle_problem()
    return f, g, h, np.array([1e-3, 0.2]), np.array([1.0, 0.0]), 0.05


@pytest.mark.parametrize("make", [_rosenbrock_scipy, _saddle_start], ids=["rosen", "saddle"])
def test_trust_newton_radius_follows_the_ratio_rule(make):
    """Recompute rho = actual / predicted reduction, predicted from the quadratic model
    m(p) = g.p + p.H.p / 2, at every step taken without rejections, and check the radius
    update: rho < 1/4 shrinks to |p| / 4, rho > 3/4 on the boundary doubles, else it is kept.
    The saddle start takes steps along negative curvature, where p.H.p < 0 matters."""
    f, g, h, x0, x_star, r0 = make()
    res = minimize(f, x0, method="trust-newton", jac=g, hess=h, options={"initial_radius": r0})
    t = res.trace
    assert res.success and np.allclose(res.x, x_star, atol=1e-8)
    branches = set()
    for k in range(1, len(t.f)):
        if t.ls_evals[k] != 1:
            continue
        radius = r0 if k == 1 else t.step_size[k - 1]
        x, p = t.x[k - 1], t.x[k] - t.x[k - 1]
        predicted = -(g(x) @ p + 0.5 * p @ h(x) @ p)
        rho = (t.f[k - 1] - t.f[k]) / predicted
        pnorm = np.linalg.norm(p)
        assert rho > 0.15 and pnorm <= radius * (1 + 1e-9)
        if rho < 0.25:
            expected, branch = 0.25 * pnorm, "shrink"
        elif rho > 0.75 and pnorm >= 0.99 * radius:
            expected, branch = 2.0 * radius, "expand"
        else:
            expected, branch = radius, "keep"
        branches.add(branch)
        assert t.step_size[k] == pytest.approx(expected, rel=1e-9), (k, rho)
    assert {"expand", "keep"} <= branches


@pytest.mark.parametrize("hess_nan_beyond", [-1.0, 0.3])  # NaN from the start / on the way
def test_trust_newton_with_a_nan_hessian_ends_non_finite_at_its_best_finite_point(
        hess_nan_beyond):
    """Issue 14: a NaN Hessian made solve_trust_subproblem raise an IndexError."""
    def f(x):
        return float(np.sum((x - 1.0) ** 2))

    def hess(x):
        return np.full((2, 2), np.nan) if x[0] > hess_nan_beyond else 2.0 * np.eye(2)

    res = minimize(f, np.zeros(2), jac=lambda x: 2.0 * (x - 1.0), hess=hess,
                   method="trust-newton", options={"initial_radius": 0.2})
    assert res.status is Status.NON_FINITE and not res.success
    assert "Hessian" in res.message and "best finite point" in res.message
    assert np.all(np.isfinite(res.x)) and res.fun == f(res.x) <= f(np.zeros(2))
    assert (res.x[0] > 0) == (hess_nan_beyond > 0)  # steps were taken while H was finite
