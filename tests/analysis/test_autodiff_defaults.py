"""The analysis functions with no derivative arguments use steepest.autodiff."""

import numpy as np
import pytest

from steepest.analysis import (
    ConvexityStatus,
    CriticalKind,
    StepStatus,
    classify_critical_point,
    convexity_check,
    curvature_spectrum,
    directional_curvature,
    find_critical_points,
    hessian_condition_number,
    lipschitz_estimate,
    optimal_step,
    predicted_decrease,
    taylor,
)
from steepest.problems.textbook import (
    notebook_polynomial,
    notebook_polynomial_grad,
    notebook_polynomial_hess,
    peaks,
    peaks_grad,
    peaks_hess,
    saddle,
)

from ._problems import rosenbrock, rosenbrock_grad, rosenbrock_hess


def test_taylor_and_eq_4_9_with_autodiff_match_analytic_derivatives():
    x = np.array([-1.2, 1.0])
    m = taylor(rosenbrock, x)
    np.testing.assert_allclose(m.g, rosenbrock_grad(x), rtol=1e-12)
    np.testing.assert_allclose(m.H, rosenbrock_hess(x), rtol=1e-12)
    p = predicted_decrease(peaks, [0.3, -0.7], [1e-3, 1e-2])
    g = peaks_grad([0.3, -0.7])
    assert p.gHg == pytest.approx(g @ peaks_hess([0.3, -0.7]) @ g, rel=1e-10)


def test_optimal_step_and_curvature_with_autodiff():
    A = np.diag([1.0, 4.0, 9.0])

    def f(x):
        return 0.5 * x @ A @ x

    r = optimal_step(f, np.ones(3))
    g = A @ np.ones(3)
    assert r.status is StepStatus.POSITIVE_CURVATURE
    assert r.eps == pytest.approx(g @ g / (g @ A @ g), rel=1e-12)
    assert r.lower_bound == pytest.approx(1 / 9.0, rel=1e-10)
    assert directional_curvature(f, np.ones(3), [0.0, 1.0, 0.0]) == pytest.approx(4.0)
    assert hessian_condition_number(f, np.ones(3)).condition_number == pytest.approx(9.0)


def test_lanczos_on_autodiff_hvps_matches_dense():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((60, 60))
    A = M @ M.T / 60 + np.eye(60)

    def f(x):
        return 0.5 * x @ A @ x + np.sum(np.cos(x))

    x = rng.standard_normal(60)
    dense = curvature_spectrum(f, x, method="dense")
    lz = curvature_spectrum(f, x, method="lanczos", tol=1e-12)
    assert abs(lz.lambda_min - dense.lambda_min) <= 1e-8
    assert abs(lz.lambda_max - dense.lambda_max) <= 1e-8


def test_classification_and_search_with_autodiff():
    assert classify_critical_point(saddle, [0.0, 0.0]).kind is CriticalKind.SADDLE
    cps = find_critical_points(notebook_polynomial, [(-2.5, 2.5)], n_starts=60)
    ref = find_critical_points(notebook_polynomial, [(-2.5, 2.5)], n_starts=60,
                               grad=notebook_polynomial_grad, hess=notebook_polynomial_hess)
    assert [p.kind for p in cps.points] == [p.kind for p in ref.points]
    np.testing.assert_allclose([p.x[0] for p in cps.points], [p.x[0] for p in ref.points],
                               atol=1e-9)
    top = classify_critical_point(peaks, [-0.0093, 1.5814], tol=1e-3)
    assert top.kind is CriticalKind.MAXIMUM


def test_lipschitz_and_convexity_with_autodiff():
    def f(x):
        return np.log(np.sum(np.exp(x)))  # log-sum-exp: convex, grad Lipschitz with L <= 1

    est = lipschitz_estimate(f, [(-2, 2)] * 3, n_samples=60, n_local=16)
    assert 0 < est.constant <= 1.0
    r = convexity_check(f, [(-2, 2)] * 3, n_samples=60, n_hessians=8)
    assert r.status is ConvexityStatus.NO_VIOLATION_FOUND
    r = convexity_check(lambda x: np.sin(x[0]) + x[1] ** 2, [(0, 3), (-1, 1)], n_hessians=8)
    assert r.status is ConvexityStatus.NOT_CONVEX


def test_pytree_points_with_autodiff_and_with_user_derivatives():
    params = {"w": np.array([1.0, -2.0]), "b": 0.5}

    def loss(p):
        return np.sum(p["w"] ** 2) * p["b"] + p["b"] ** 3

    # flat order follows steepest.tree.tree_flatten: keys sorted -> b, w0, w1
    m = taylor(loss, params)
    np.testing.assert_allclose(m.g, [5.0 + 0.75, 2.0 * 1.0 * 0.5, 2.0 * -2.0 * 0.5])
    H = np.array([[3.0, 2.0, -4.0], [2.0, 1.0, 0.0], [-4.0, 0.0, 1.0]])
    np.testing.assert_allclose(m.H, H, atol=1e-12)
    assert m(m.x0) == pytest.approx(loss(params))

    def grad_tree(p):
        return {"w": 2 * p["w"] * p["b"], "b": np.sum(p["w"] ** 2) + 3 * p["b"] ** 2}

    def hvp_tree(p, v):
        return {"w": 2 * v["w"] * p["b"] + 2 * p["w"] * v["b"],
                "b": 2 * p["w"] @ v["w"] + 6 * p["b"] * v["b"]}

    s = curvature_spectrum(loss, params, grad=grad_tree, hvp=hvp_tree, method="dense")
    np.testing.assert_allclose(s.eigenvalues, np.linalg.eigvalsh(H), atol=1e-12)
    r = optimal_step(loss, params, grad=grad_tree, hvp=hvp_tree)
    g = m.g
    assert r.eps == pytest.approx(g @ g / (g @ H @ g))
