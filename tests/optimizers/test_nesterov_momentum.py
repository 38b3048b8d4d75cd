"""True Nesterov (eq. 4.33-4.34) and its look-ahead reformulation (eq. 4.36-4.37)."""

from __future__ import annotations

import numpy as np
import pytest

import steepest.optimizers as so

from ._opt_reference import max_rel, momentum, nesterov, noisy_quadratic

GRAD, X0 = noisy_quadratic(seed=2)


def run_true(opt, x, steps):
    state = opt.init(x)
    xs = [x.copy()]
    for t in range(steps):
        u, state = opt.update(lambda y, t=t: GRAD(y, t), state, x)
        x = so.apply_updates(x, u)
        xs.append(x.copy())
    return np.array(xs)


def test_true_nesterov_matches_equations():
    ref, _ = nesterov(GRAD, X0, 500, 0.05, 0.9)
    assert max_rel(run_true(so.nesterov(0.05, 0.9), X0, 500), ref) < 1e-12


def test_lookahead_momentum_iterates_are_nesterov_lookahead_points():
    # phi = theta - alpha beta v turns eq. 4.33-4.34 into eq. 4.36-4.37 exactly
    _, ahead = nesterov(GRAD, X0, 400, 0.05, 0.9)
    la = momentum(GRAD, X0, 400, 0.05, 0.9, lookahead=True)[:-1]
    assert max_rel(la, ahead) < 1e-11
    x = X0.copy()
    opt = so.lookahead_momentum(0.05, 0.9)
    state = opt.init(x)
    for t in range(400):
        np.testing.assert_allclose(x, ahead[t], rtol=1e-11, atol=1e-12)
        u, state = opt.update(GRAD(x, t), state, x)
        x = so.apply_updates(x, u)


def test_sum_form_is_sutskever_nesterov():
    x, v, mu, eps = X0.copy(), np.zeros_like(X0), 0.9, 0.01
    xs = [x.copy()]
    for t in range(300):  # Sutskever et al. (2013): v <- mu v - eps grad(x + mu v)
        v = mu * v - eps * GRAD(x + mu * v, t)
        x = x + v
        xs.append(x.copy())
    assert max_rel(run_true(so.nesterov(eps, mu, form="sum"), X0, 300), np.array(xs)) < 1e-12


def test_nesterov_update_demands_a_gradient_function():
    opt = so.nesterov(0.1)
    with pytest.raises(TypeError, match="gradient function"):
        opt.update(np.ones(3), opt.init(np.ones(3)), np.ones(3))


def test_nesterov_beats_gradient_descent_on_ill_conditioned_quadratic():
    a = np.diag([1.0, 100.0])
    x0 = np.array([1.0, 1.0])

    def f(x):
        return 0.5 * x @ a @ x

    x_gd, x_n = x0.copy(), x0.copy()
    gd, nest = so.sgd(0.01), so.nesterov(0.01 / (1 - 0.9), 0.9)
    s_gd, s_n = gd.init(x0), nest.init(x0)
    for _ in range(200):
        u, s_gd = gd.update(a @ x_gd, s_gd, x_gd)
        x_gd = so.apply_updates(x_gd, u)
        u, s_n = nest.update(lambda y: a @ y, s_n, x_n)
        x_n = so.apply_updates(x_n, u)
    assert f(x_n) < 1e-3 * f(x_gd)


def test_step_accepts_a_gradient_function_for_true_nesterov():
    opt = so.nesterov(0.05, 0.9)
    x, s = X0.copy(), opt.init(X0)
    xs = [x.copy()]
    for t in range(100):
        x, s = so.step(opt, lambda y, t=t: GRAD(y, t), s, x)
        xs.append(x.copy())
    ref, _ = nesterov(GRAD, X0, 100, 0.05, 0.9)
    assert max_rel(np.array(xs), ref) < 1e-12
