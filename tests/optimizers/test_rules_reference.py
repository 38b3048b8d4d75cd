"""Each rule against an independent implementation of its equations (tests/_opt_reference)."""

from __future__ import annotations

import numpy as np
import pytest

import steepest.optimizers as so

from ._opt_reference import (
    adadelta,
    adagrad,
    adam,
    adamax,
    max_rel,
    momentum,
    noisy_quadratic,
    rmsprop,
    run,
)

GRAD, X0 = noisy_quadratic()


@pytest.mark.parametrize("fused", [False, True])
def test_adam_matches_algorithm_4_2_over_1000_steps(fused):
    ref = adam(GRAD, X0, 1000, lr=1e-2)
    got = run(so.adam(1e-2), GRAD, X0, 1000, fused=fused)
    assert max_rel(got, ref) < 1e-12


def test_adam_inplace_step_matches_reference_and_reuses_buffers():
    ref = adam(GRAD, X0, 1000, lr=1e-2)
    got = run(so.adam(1e-2), GRAD, X0, 1000, fused=True, inplace=True)
    assert max_rel(got, ref) < 1e-12
    opt = so.adam(1e-2)
    x = X0.copy()
    s = opt.init(x)
    x2, s2 = so.step(opt, GRAD(x, 0), s, x, inplace=True)
    assert x2 is x and s2[0].mu is s[0].mu and s2[0].nu is s[0].nu


def test_adamw_and_l2_adam_match_equations():
    ref_w = adam(GRAD, X0, 1000, lr=1e-2, decoupled=0.05)
    assert max_rel(run(so.adamw(1e-2, weight_decay=0.05), GRAD, X0, 1000), ref_w) < 1e-12
    ref_l2 = adam(GRAD, X0, 1000, lr=1e-2, l2=0.05)
    assert max_rel(run(so.adam(1e-2, weight_decay=0.05), GRAD, X0, 1000), ref_l2) < 1e-12
    assert max_rel(run(so.adamw(1e-2, weight_decay=0.05), GRAD, X0, 1000, fused=True),
                   ref_w) < 1e-12


def test_nadam_is_adam_with_seed_line_7_replaced():
    ref = adam(GRAD, X0, 1000, lr=1e-2, nadam=True)
    assert max_rel(run(so.nadam(1e-2), GRAD, X0, 1000), ref) < 1e-12
    assert max_rel(run(so.nadam(1e-2), GRAD, X0, 1000, fused=True), ref) < 1e-12


def test_chained_scale_by_adam_equals_alias():
    opt = so.chain(so.scale_by_adam(), so.scale_by_learning_rate(1e-2))
    assert max_rel(run(opt, GRAD, X0, 300), adam(GRAD, X0, 300, lr=1e-2)) < 1e-12


@pytest.mark.parametrize("form", ["average", "sum"])
@pytest.mark.parametrize("lookahead", [False, True])
def test_momentum_forms(form, lookahead):
    ref = momentum(GRAD, X0, 500, 0.02, 0.9, form=form, lookahead=lookahead)
    got = run(so.momentum(0.02, 0.9, form=form, lookahead=lookahead), GRAD, X0, 500)
    assert max_rel(got, ref) < 1e-12


def test_momentum_forms_coincide_with_rescaled_rate():
    beta = 0.8
    avg = run(so.momentum(0.05, beta, form="average"), GRAD, X0, 200)
    summ = run(so.momentum(0.05 * (1 - beta), beta, form="sum"), GRAD, X0, 200)
    assert max_rel(avg, summ) < 1e-12


def test_beta_zero_momentum_is_gradient_descent():
    gd = run(so.sgd(0.05), GRAD, X0, 100)
    assert max_rel(run(so.momentum(0.05, 0.0), GRAD, X0, 100), gd) < 1e-15


def test_rmsprop_adagrad_adadelta_adamax():
    assert max_rel(run(so.rmsprop(1e-2, 0.99, 1e-8), GRAD, X0, 1000),
                   rmsprop(GRAD, X0, 1000, 1e-2, 0.99, 1e-8)) < 1e-12
    assert max_rel(run(so.adagrad(0.1, 1e-10), GRAD, X0, 1000),
                   adagrad(GRAD, X0, 1000, 0.1, 1e-10)) < 1e-12
    for inside in (False, True):
        assert max_rel(run(so.adadelta(1.0, 0.9, 1e-6, eps_inside_sqrt=inside), GRAD, X0, 1000),
                       adadelta(GRAD, X0, 1000, 1.0, 0.9, 1e-6, inside)) < 1e-12
        assert max_rel(run(so.adamax(2e-2, eps_inside_max=inside), GRAD, X0, 1000),
                       adamax(GRAD, X0, 1000, 2e-2, 0.9, 0.999, 1e-8, inside)) < 1e-12


def test_first_adam_step_moves_each_coordinate_by_lr():
    # m_hat = g, v_hat = g^2 at t = 1: the step is lr * sign(g) (up to eps)
    g = np.array([3.0, -0.02, 1e4])
    opt = so.adam(0.1)
    u, _ = opt.update(g, opt.init(np.zeros(3)))
    np.testing.assert_allclose(u, -0.1 * np.sign(g), rtol=1e-6)


@pytest.mark.parametrize(
    "make",
    [lambda: so.sgd(0.05), lambda: so.momentum(0.05, 0.9), lambda: so.lookahead_momentum(0.05),
     lambda: so.adagrad(0.5), lambda: so.rmsprop(0.01), lambda: so.adadelta(eps=1e-4),
     lambda: so.adam(0.05), lambda: so.adamw(0.05, weight_decay=0.0), lambda: so.nadam(0.05),
     lambda: so.adamax(0.05)],
)
def test_every_rule_minimises_a_convex_quadratic(make):
    rng = np.random.default_rng(3)
    a = np.diag(rng.uniform(0.5, 2.0, 5))
    c = rng.standard_normal(5)
    x = run(make(), lambda x, t: a @ (x - c), np.zeros(5), 4000)[-1]
    assert np.linalg.norm(x - c) < 1e-2 * np.linalg.norm(c)


@pytest.mark.parametrize("fused", [False, True])
def test_adamw_mask_decays_only_marked_leaves(fused):
    params = {"b": X0[:3].copy(), "w": X0[3:].copy()}

    def grad(p, t):
        g = GRAD(np.concatenate([p["b"], p["w"]]), t)
        return {"b": g[:3], "w": g[3:]}

    opt = so.adamw(1e-2, weight_decay=0.05, mask=lambda p: {"b": False, "w": True})
    state = opt.init(params)
    x = params
    for t in range(300):
        if fused:
            x, state = so.step(opt, grad(x, t), state, x)
        else:
            u, state = opt.update(grad(x, t), state, x)
            x = so.apply_updates(x, u)
    # reference: decoupled decay on the w block only
    m = np.zeros_like(X0)
    v = np.zeros_like(X0)
    y = X0.copy()
    lam = np.r_[np.zeros(3), np.full(X0.size - 3, 0.05)]
    for t in range(1, 301):
        g = GRAD(y, t - 1)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        y = y - 1e-2 * ((m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8) + lam * y)
    assert max_rel(np.concatenate([x["b"], x["w"]]), y) < 1e-12


@pytest.mark.parametrize(
    ("chained", "alias"),
    [(lambda: so.chain(so.trace(0.9), so.scale_by_learning_rate(0.02)),
      lambda: so.momentum(0.02, 0.9)),
     (lambda: so.chain(so.trace(0.9, form="sum", lookahead=True), so.scale_by_learning_rate(0.02)),
      lambda: so.lookahead_momentum(0.02, 0.9, form="sum")),
     (lambda: so.chain(so.add_decayed_weights(0.1), so.trace(0.8),
                       so.scale_by_learning_rate(0.02)),
      lambda: so.momentum(0.02, 0.8, weight_decay=0.1)),
     (lambda: so.chain(so.scale_by_rms(0.99, 1e-8), so.scale_by_learning_rate(0.01)),
      lambda: so.rmsprop(0.01, 0.99, 1e-8)),
     (lambda: so.chain(so.scale_by_rss(1e-10), so.scale_by_learning_rate(0.1)),
      lambda: so.adagrad(0.1, 1e-10)),
     (lambda: so.chain(so.scale_by_adam(nesterov=True), so.scale_by_learning_rate(0.01)),
      lambda: so.nadam(0.01)),
     (lambda: so.chain(so.scale_by_adam(), so.add_decayed_weights(0.05),
                       so.scale_by_learning_rate(0.01)),
      lambda: so.adamw(0.01, weight_decay=0.05))],
)
def test_building_blocks_chain_into_the_fused_aliases(chained, alias):
    assert max_rel(run(chained(), GRAD, X0, 500), run(alias(), GRAD, X0, 500)) < 1e-12
