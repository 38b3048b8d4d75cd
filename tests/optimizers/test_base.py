"""The protocol: purity, pytrees, dtypes, chain, apply_updates, step, validation."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import steepest.optimizers as so
from steepest.tree import tree_leaves, tree_map

ALL = {
    "sgd": lambda: so.sgd(0.1),
    "momentum": lambda: so.momentum(0.1, 0.9),
    "momentum_sum_lookahead": lambda: so.momentum(0.1, 0.9, form="sum", lookahead=True),
    "adagrad": lambda: so.adagrad(0.1),
    "rmsprop": lambda: so.rmsprop(0.01),
    "adadelta": lambda: so.adadelta(),
    "adam": lambda: so.adam(0.01),
    "adam_l2": lambda: so.adam(0.01, weight_decay=0.1),
    "adamw": lambda: so.adamw(0.01),
    "nadam": lambda: so.nadam(0.01),
    "adamax": lambda: so.adamax(0.01),
    "clipped_adam": lambda: so.chain(so.clip_by_global_norm(1.0), so.clip(0.5),
                                     so.scale_by_adam(), so.scale_by_learning_rate(0.01)),
}


def params_tree(dtype=np.float64):
    rng = np.random.default_rng(0)
    return {"w": rng.standard_normal((3, 2)).astype(dtype),
            "layers": [rng.standard_normal(4).astype(dtype), np.asarray(0.5, dtype)]}


def grads_for(params, seed=1):
    rng = np.random.default_rng(seed)
    return tree_map(lambda p: rng.standard_normal(np.shape(p)).astype(p.dtype), params)


@pytest.mark.parametrize("name", sorted(ALL))
def test_update_is_pure_over_pytrees(name):
    opt = ALL[name]()
    params = params_tree()
    state = opt.init(params)
    state = opt.update(grads_for(params, 2), state, params)[1]  # non-trivial state
    grads = grads_for(params)
    before = copy.deepcopy((grads, state, params))
    updates, new_state = opt.update(grads, state, params)
    for a, b in zip(tree_leaves((grads, state, params)), tree_leaves(before)):
        np.testing.assert_array_equal(a, b)  # nothing mutated
    assert [np.shape(u) for u in tree_leaves(updates)] == [
        np.shape(p) for p in tree_leaves(params)]
    again, _ = opt.update(grads, state, params)
    for a, b in zip(tree_leaves(updates), tree_leaves(again)):
        np.testing.assert_array_equal(a, b)  # deterministic


@pytest.mark.parametrize("name", sorted(ALL))
def test_float32_is_never_upcast(name):
    opt = ALL[name]()
    params = params_tree(np.float32)
    state = opt.init(params)
    grads64 = grads_for(params_tree(np.float64))  # even float64 gradients
    for _ in range(3):
        params, state = so.step(opt, grads64, state, params)
    for leaf in tree_leaves((params, state)):
        if isinstance(leaf, np.ndarray):
            assert leaf.dtype == np.float32


@pytest.mark.parametrize("name", sorted(ALL))
def test_step_equals_update_then_apply(name):
    opt = ALL[name]()
    params = params_tree()
    s1 = s2 = opt.init(params)
    p1 = p2 = params
    for k in range(5):
        g = grads_for(params, k)
        u, s1 = opt.update(g, s1, p1)
        p1 = so.apply_updates(p1, u)
        p2, s2 = so.step(opt, g, s2, p2)
    for a, b in zip(tree_leaves((p1, s1)), tree_leaves((p2, s2))):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)


def test_apply_updates_inplace_and_structure_check():
    p = {"a": np.ones(3)}
    out = so.apply_updates(p, {"a": np.full(3, 2.0)}, inplace=True)
    assert out["a"] is p["a"] and np.all(p["a"] == 3.0)
    fresh = so.apply_updates(p, {"a": np.ones(3)})
    assert fresh["a"] is not p["a"] and np.all(p["a"] == 3.0)
    with pytest.raises(ValueError, match="structure"):
        so.apply_updates(p, {"b": np.ones(3)})


def test_chain_composes_in_order_and_rejects_non_transforms():
    opt = so.chain(so.scale(2.0), so.clip(1.0))
    u, _ = opt.update(np.array([0.3, 0.7]), opt.init(None))
    np.testing.assert_allclose(u, [0.6, 1.0])
    with pytest.raises(TypeError, match="chain expects"):
        so.chain(so.scale(1.0), lambda g: g)


@pytest.mark.parametrize(
    ("build", "match"),
    [(lambda: so.adam(-1e-3), "learning_rate must be a finite number >= 0"),
     (lambda: so.adam(b1=1.0), r"b1 must lie in \[0, 1\)"),
     (lambda: so.adam(b2=-0.1), "b2 must lie"),
     (lambda: so.adam(eps=0.0), "eps must be a finite number > 0"),
     (lambda: so.momentum(0.1, beta=1.5), "decay must lie"),
     (lambda: so.momentum(0.1, form="nesterov"), "form must be one of"),
     (lambda: so.rmsprop(0.1, decay=2.0), "decay must lie"),
     (lambda: so.adamw(weight_decay=-1.0), "weight_decay must be a finite number >= 0"),
     (lambda: so.sgd(float("nan")), "finite"),
     (lambda: so.clip_by_global_norm(0.0), "max_norm must be a finite number > 0")],
)
def test_bad_hyperparameters_fail_at_construction(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_type_errors_name_the_fix():
    with pytest.raises(TypeError, match="real number"):
        so.sgd("0.1")
    with pytest.raises(TypeError, match="floating"):
        so.adam().init(np.arange(3))


def test_weight_decay_needs_params():
    opt = so.adamw(1e-3)
    with pytest.raises(ValueError, match="needs the current parameters"):
        opt.update(np.ones(2), opt.init(np.ones(2)))


def test_mismatched_grads_structure_is_rejected():
    opt = so.momentum(0.1)
    with pytest.raises(ValueError, match="same structure"):
        opt.update({"x": np.ones(2)}, opt.init({"w": np.ones(2)}))


def test_bias_correction_recovers_a_constant_input():
    u, beta = np.array([2.0, -3.0]), 0.9
    avg = np.zeros(2)
    for t in range(1, 20):
        avg = beta * avg + (1 - beta) * u
        np.testing.assert_allclose(so.bias_correction(avg, beta, t), u, rtol=1e-13)


def test_decayed_weights_mask_skips_leaves():
    params = {"b": np.ones(2), "w": np.ones(2)}
    t = so.add_decayed_weights(0.5, mask={"b": False, "w": True})
    u, _ = t.update(tree_map(np.zeros_like, params), t.init(params), params)
    np.testing.assert_array_equal(u["b"], 0.0)
    np.testing.assert_array_equal(u["w"], 0.5)


def test_identity_and_python_scalar_params():
    opt = so.chain(so.identity(), so.sgd(0.5))
    p = {"s": 2.0}
    u, _ = opt.update({"s": 1.0}, opt.init(p), p)
    assert float(so.apply_updates(p, u)["s"]) == 1.5
