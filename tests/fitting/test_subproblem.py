"""The SVD trust-region subproblem: ‖p‖ = Δ with the Levenberg–Marquardt optimality condition."""

import numpy as np
import pytest

from steepest.fitting.subproblem import SVDModel, lm_parameter, quadratic_value


@pytest.mark.parametrize(("m", "n", "rank"), [(8, 3, 3), (3, 5, 3), (6, 4, 2)])
@pytest.mark.parametrize("delta", [0.05, 0.5])
def test_boundary_solution_satisfies_the_lm_equations(m, n, rank, delta):
    rng = np.random.default_rng(m * 10 + n)
    J = rng.standard_normal((m, rank)) @ rng.standard_normal((rank, n))
    f = 5.0 * rng.standard_normal(m)
    alpha, p = lm_parameter(SVDModel.of(J, f), delta, rtol=1e-10, max_iter=100)
    assert alpha > 0
    assert np.linalg.norm(p) == pytest.approx(delta, rel=1e-8)
    np.testing.assert_allclose((J.T @ J + alpha * np.eye(n)) @ p, -J.T @ f, atol=1e-8)


def test_no_random_point_of_the_ball_beats_the_step():
    rng = np.random.default_rng(1)
    J, f = rng.standard_normal((6, 3)), rng.standard_normal(6)
    delta = 0.3
    _, p = lm_parameter(SVDModel.of(J, f), delta, rtol=1e-10, max_iter=100)
    best = quadratic_value(J, J.T @ f, p)
    u = rng.standard_normal((2000, 3))
    pts = delta * u / np.linalg.norm(u, axis=1)[:, None] * rng.random((2000, 1)) ** (1 / 3)
    assert all(quadratic_value(J, J.T @ f, q) >= best - 1e-12 for q in pts)


def test_gauss_newton_step_inside_the_region_is_taken():
    J, f = np.diag([2.0, 1.0]), np.array([0.2, 0.1])
    alpha, p = lm_parameter(SVDModel.of(J, f), 10.0)
    assert alpha == 0.0
    np.testing.assert_allclose(p, -np.linalg.solve(J, f))
