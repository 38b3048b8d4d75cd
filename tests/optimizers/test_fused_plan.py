"""The fused backend recognises exactly the chains it can run, and runs them as the
transforms in turn would (tests mirror optimizers/_fused/plan.py)."""

from __future__ import annotations

import numpy as np
import pytest

import steepest.optimizers as so
from steepest.tree import tree_leaves

from ._opt_reference import max_rel, noisy_quadratic

GRAD, X0 = noisy_quadratic()
MASK = {"b": False, "w": True}

FUSABLE = {
    "sgd": lambda: [so.scale_by_learning_rate(0.05)],
    "sgd_l2": lambda: [so.add_decayed_weights(0.1), so.scale_by_learning_rate(0.05)],
    "momentum_sum_lookahead": lambda: [so.trace(0.9, form="sum", lookahead=True),
                                       so.scale_by_learning_rate(0.01)],
    "momentum_l2_masked": lambda: [so.add_decayed_weights(0.1, mask=MASK), so.trace(0.8),
                                   so.scale_by_learning_rate(0.02)],
    "rmsprop_schedule": lambda: [so.scale_by_rms(0.9), so.scale_by_learning_rate(
        so.exponential_decay(0.01, 0.5, 10))],
    "adagrad": lambda: [so.scale_by_rss(1e-10, 0.1), so.scale_by_learning_rate(0.1)],
    "adam_l2": lambda: [so.add_decayed_weights(0.05), so.scale_by_adam(),
                        so.scale_by_learning_rate(0.01)],
    "adamw_masked": lambda: [so.scale_by_adam(), so.add_decayed_weights(0.05, mask=MASK),
                             so.scale_by_learning_rate(0.01)],
    "nadam_schedule": lambda: [so.scale_by_adam(nesterov=True), so.scale_by_learning_rate(
        so.warmup_cosine_decay(0.02, 5, 40))],
}


def split(x):
    return {"b": x[:3].copy(), "w": x[3:].copy()}


def tree_grad(p, t):
    g = GRAD(np.concatenate([p["b"], p["w"]]), t)
    return {"b": g[:3], "w": g[3:]}


def trajectory(opt, path, steps=60, dtype=np.float64):
    p = {k: v.astype(dtype) for k, v in split(X0).items()}
    s = opt.init(p)
    out = []
    for t in range(steps):
        g = tree_grad(p, t)
        if path == "update":
            u, s = opt.update(g, s, p)
            p = so.apply_updates(p, u)
        else:
            p, s = so.step(opt, g, s, p, inplace=path == "inplace")
        out.append(np.concatenate([np.array(p["b"], float), np.array(p["w"], float)]))
    return np.array(out), s


@pytest.mark.parametrize("path", ["update", "step", "inplace"])
@pytest.mark.parametrize("name", sorted(FUSABLE))
def test_fused_chain_equals_the_transforms_in_turn(name, path):
    fused = so.chain(*FUSABLE[name]())
    in_turn = so.chain(so.identity(), *FUSABLE[name]())  # identity(): not a pattern it knows
    assert fused.update.fused is not None and in_turn.update.fused is None
    got, s_fused = trajectory(fused, path)
    ref, s_turn = trajectory(in_turn, "update")
    assert max_rel(got, ref) < 1e-12
    # the same state, field by field (the identity's EmptyState aside)
    assert [type(x) for x in s_fused] == [type(x) for x in s_turn[1:]]
    for a, b in zip(tree_leaves(s_fused), tree_leaves(s_turn[1:])):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(FUSABLE))
def test_fused_chain_keeps_float32(name):
    got, state = trajectory(so.chain(*FUSABLE[name]()), "step", steps=5, dtype=np.float32)
    assert all(leaf.dtype == np.float32 for leaf in tree_leaves(state)
               if isinstance(leaf, np.ndarray))
    assert np.all(np.isfinite(got))


@pytest.mark.parametrize(
    "blocks",
    [lambda: [so.scale_by_adam()],                                    # no learning rate
     lambda: [so.scale_by_learning_rate(0.1), so.scale_by_adam()],    # learning rate not last
     lambda: [so.clip_by_global_norm(1.0), so.scale_by_adam(), so.scale_by_learning_rate(0.1)],
     lambda: [so.add_decayed_weights(0.1), so.scale_by_adam(), so.add_decayed_weights(0.1),
              so.scale_by_learning_rate(0.1)],                       # two decays
     lambda: [so.trace(0.9), so.scale_by_rms(), so.scale_by_learning_rate(0.1)],  # two rules
     lambda: [so.scale_by_adamax(), so.scale_by_learning_rate(0.1)],  # no kernel
     lambda: [so.scale(-0.1)]],
)
def test_other_chains_run_the_transforms_in_turn(blocks):
    opt = so.chain(*blocks())
    assert opt.update.fused is None
    x = X0.copy()
    s = opt.init(x)
    x, s = so.step(opt, GRAD(x, 0), s, x)
    assert np.all(np.isfinite(x))


def test_named_rules_with_a_kernel_are_fused():
    for opt in (so.sgd(0.1), so.momentum(0.1), so.lookahead_momentum(0.1), so.adagrad(0.1),
                so.rmsprop(0.1), so.adam(0.1), so.adam(0.1, weight_decay=0.1), so.adamw(0.1),
                so.nadam(0.1)):
        assert opt.update.fused is not None
    assert so.adamax(0.1).update.fused is None and so.adadelta().update.fused is None
    assert so.adam(0.1, reuse_buffers=False).update.fused.pool is None
