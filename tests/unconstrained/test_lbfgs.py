"""L-BFGS compact-form directions equal the two-loop recursion and the dense BFGS recursion."""

import numpy as np
import pytest

from steepest import minimize
from steepest.unconstrained import LBFGS, two_loop_direction


def _dense_direction(pairs, g):
    s, y = pairs[-1]
    n = g.size
    H = np.eye(n) * (s @ y) / (y @ y)
    for s, y in pairs:
        r = 1.0 / (s @ y)
        V = np.eye(n) - r * np.outer(y, s)
        H = V.T @ H @ V + r * np.outer(s, s)
    return -H @ g


@pytest.mark.parametrize("m", [1, 3, 5])
@pytest.mark.parametrize("seed", range(3))
def test_compact_form_matches_dense_bfgs_recursion(m, seed):
    rng = np.random.default_rng(seed)
    n = 7
    M = rng.standard_normal((n, n))
    A = M @ M.T + np.eye(n)
    b = rng.standard_normal(n)
    solver = LBFGS(m=m)
    x = rng.standard_normal(n)
    g = A @ x - b
    state = solver.init(None, x, 0.0, g)
    pairs = []
    for _ in range(12):
        p = solver.direction(None, state, x, g)
        expected = _dense_direction(pairs[-m:], g) if pairs else -g
        np.testing.assert_allclose(p, expected, rtol=1e-8, atol=1e-10)
        if pairs:
            S = np.array([s for s, _ in pairs[-m:]])
            Y = np.array([y for _, y in pairs[-m:]])
            np.testing.assert_allclose(two_loop_direction(S, Y, g), expected, rtol=1e-8,
                                       atol=1e-10)
        alpha = float(rng.uniform(0.2, 1.5))
        x_new = x + alpha * p
        g_new = A @ x_new - b
        state.alpha_prev = alpha
        solver.update(state, x_new - x, g_new - g, g_new, p)
        pairs.append((x_new - x, g_new - g))
        x, g = x_new, g_new


def test_memory_must_be_positive():
    with pytest.raises(ValueError, match="memory m"):
        LBFGS(m=0)


@pytest.mark.parametrize("m", [1, 2, 20])
def test_lbfgs_any_memory_converges(m):
    from ._problems import rosen, rosen_grad

    res = minimize(rosen, np.array([-1.2, 1.0] * 3), method="lbfgs", jac=rosen_grad,
                   options={"m": m, "ftol": None, "gtol": 1e-7, "maxiter": 5000})
    assert res.success and np.allclose(res.x, 1.0, atol=1e-5)


def test_hess_inv_operator_approximates_inverse_hessian():
    rng = np.random.default_rng(7)
    n = 5
    M = rng.standard_normal((n, n))
    A = M @ M.T + np.eye(n)
    b = rng.standard_normal(n)
    res = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(n), method="lbfgs",
                   jac=lambda x: A @ x - b, options={"m": 20, "ftol": None, "gtol": 1e-12})
    H = res.hess_inv
    assert H.shape == (n, n)
    # the secant equation H y = s holds for the newest pair, and H is positive definite
    xs = res.trace.as_arrays()["x"]
    s = xs[-1] - xs[-2]
    y = A @ s
    np.testing.assert_allclose(H @ y, s, rtol=1e-6, atol=1e-12)
    for v in rng.standard_normal((5, n)):
        assert (H @ v) @ v > 0
