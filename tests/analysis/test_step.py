import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.analysis import StepStatus, optimal_step, taylor

from ._problems import Quadratic, random_spd, rosenbrock, rosenbrock_grad, rosenbrock_hess


@given(st.integers(0, 10_000))
def test_eps_star_minimizes_the_quadratic_model_and_respects_the_bound(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 8))
    q = Quadratic(random_spd(n, seed, cond=10 ** rng.uniform(0, 4)), rng.standard_normal(n))
    x = rng.standard_normal(n)
    r = optimal_step(q.f, x, grad=q.grad, hess=q.hess)
    assert r.status is StepStatus.POSITIVE_CURVATURE
    m = taylor(q.f, x, grad=q.grad, hess=q.hess)
    g = m.g
    phi = m.along(-g, np.array([r.eps * (1 - 1e-3), r.eps, r.eps * (1 + 1e-3)]))
    assert phi[1] <= phi[0] and phi[1] <= phi[2]
    assert r.predicted_value == pytest.approx(phi[1], rel=1e-9, abs=1e-9)
    # derivative of the model along -g vanishes at eps*
    assert abs(-g @ g + r.eps * g @ q.A @ g) <= 1e-9 * (g @ g)
    # eq. 4.10 worst case: eps* >= 1/lambda_max
    assert r.eps >= r.lower_bound * (1 - 1e-12)
    assert r.lambda_max == pytest.approx(np.linalg.eigvalsh(q.A)[-1], rel=1e-12)


def test_eps_star_equals_one_over_lambda_max_along_top_eigenvector():
    A = random_spd(6, 3, cond=100.0)
    lam, V = np.linalg.eigh(A)
    q = Quadratic(A, np.zeros(6))
    r = optimal_step(q.f, V[:, -1], grad=q.grad, hvp=q.hvp)
    assert r.eps == pytest.approx(1.0 / lam[-1], rel=1e-10)
    assert r.lower_bound == pytest.approx(1.0 / lam[-1], rel=1e-8)


@pytest.mark.parametrize("curv", [-3.0, 0.0])
def test_nonpositive_curvature_is_reported_not_hidden(curv):
    A = np.diag([curv, 1.0])
    q = Quadratic(A, np.array([-1.0, 0.0]))  # g = (curv + 1, 0) at x = (1, 0)
    r = optimal_step(q.f, [1.0, 0.0], grad=q.grad, hess=q.hess)
    assert r.status is StepStatus.NONPOSITIVE_CURVATURE
    assert not r.has_optimum
    assert r.eps == np.inf and r.predicted_value == -np.inf
    assert "no finite optimum" in r.message


def test_zero_gradient_is_reported():
    q = Quadratic(np.eye(2), np.zeros(2))
    r = optimal_step(q.f, [0.0, 0.0], grad=q.grad, hess=q.hess, with_bound=False)
    assert r.status is StepStatus.ZERO_GRADIENT and r.eps == 0.0
    assert np.isnan(r.lambda_max)


def test_eps_star_on_rosenbrock_decreases_f():
    x = np.array([-1.2, 1.0])
    r = optimal_step(rosenbrock, x, grad=rosenbrock_grad, hess=rosenbrock_hess)
    assert r.has_optimum
    assert rosenbrock(x - r.eps * rosenbrock_grad(x)) < rosenbrock(x)


@given(st.floats(-1.5, 1.5), st.floats(-0.5, 2.0))
def test_eps_star_minimizes_the_model_on_rosenbrock_wherever_curvature_is_positive(a, b):
    x = np.array([a, b])
    r = optimal_step(rosenbrock, x, grad=rosenbrock_grad, hess=rosenbrock_hess, with_bound=False)
    m = taylor(rosenbrock, x, grad=rosenbrock_grad, hess=rosenbrock_hess)
    gHg = m.g @ m.H @ m.g
    if r.status is StepStatus.POSITIVE_CURVATURE:
        grid = r.eps * np.linspace(0.0, 2.0, 41)
        assert m.along(-m.g, r.eps) <= np.min(m.along(-m.g, grid)) + 1e-9 * abs(m.f0)
    else:
        assert gHg <= 0 or not np.any(m.g)
