"""The cache-blocked kernels against whole-array formulas, across chunk boundaries, shapes,
dtypes, non-contiguous gradients, and the update / fused / in-place paths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import steepest.optimizers as so
from steepest.optimizers._fused.kernels import CHUNK_BYTES


def whole_array(rule, g, p, t, lr=0.01):
    """One step from zero state at step t = 1 for each rule, written out in full."""
    if rule == "adam":
        m, v = 0.1 * g, 0.001 * g * g
        return p - lr * (m / 0.1) / (np.sqrt(v / 0.001) + 1e-8)
    if rule == "adamw":
        m, v = 0.1 * g, 0.001 * g * g
        return p - lr * ((m / 0.1) / (np.sqrt(v / 0.001) + 1e-8) + 0.1 * p)
    if rule == "nadam":
        m, v = 0.1 * g, 0.001 * g * g
        mhat = 0.9 * m / (1 - 0.9**2) + 0.1 * g / 0.1
        return p - lr * mhat / (np.sqrt(v / 0.001) + 1e-8)
    if rule == "momentum_lookahead_l2":
        gg = g + 0.1 * p
        v = 0.1 * gg
        return p - lr * (0.9 * v + 0.1 * gg)
    if rule == "rmsprop":
        s = 0.01 * g * g
        return p - lr * g / (np.sqrt(s) + 1e-8)
    if rule == "adagrad":
        return p - lr * g / (np.sqrt(g * g) + 1e-10)
    return p - lr * g  # sgd


BUILD = {
    "adam": lambda: so.adam(0.01), "adamw": lambda: so.adamw(0.01, weight_decay=0.1),
    "nadam": lambda: so.nadam(0.01),
    "momentum_lookahead_l2": lambda: so.momentum(0.01, 0.9, lookahead=True, weight_decay=0.1),
    "rmsprop": lambda: so.rmsprop(0.01), "adagrad": lambda: so.adagrad(0.01),
    "sgd": lambda: so.sgd(0.01),
}


@settings(max_examples=40)
@given(rule=st.sampled_from(sorted(BUILD)), extra=st.integers(-3, 3),
       chunks=st.integers(0, 3), dtype=st.sampled_from([np.float32, np.float64]),
       path=st.sampled_from(["update", "step", "inplace"]), strided=st.booleans(),
       seed=st.integers(0, 2**16))
def test_kernel_matches_whole_array_formula(rule, extra, chunks, dtype, path, strided, seed):
    n = max(1, chunks * (CHUNK_BYTES // np.dtype(dtype).itemsize) + extra)
    rng = np.random.default_rng(seed)
    p = rng.standard_normal(n).astype(dtype).reshape(-1, 1) if n % 2 else (
        rng.standard_normal(n).astype(dtype))
    big = rng.standard_normal(2 * n).astype(dtype)
    g = (big[::2] if strided else big[:n]).reshape(p.shape)
    opt = BUILD[rule]()
    state = opt.init(p)
    expected = whole_array(rule, g.astype(float), p.astype(float), 1)
    p_in = p.copy()
    if path == "update":
        u, _ = opt.update(g, state, p_in)
        new = so.apply_updates(p_in, u)
    else:
        new, _ = so.step(opt, g, state, p_in, inplace=path == "inplace")
        assert (new is p_in) == (path == "inplace")
    assert new.dtype == dtype and new.shape == p.shape
    tol = 1e-12 if dtype == np.float64 else 2e-5
    np.testing.assert_allclose(new, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("rule", sorted(BUILD))
def test_empty_and_scalar_leaves(rule):
    opt = BUILD[rule]()
    params = {"empty": np.zeros(0), "scalar": np.asarray(2.0)}
    state = opt.init(params)
    grads = {"empty": np.zeros(0), "scalar": np.asarray(1.0)}
    new, _ = so.step(opt, grads, state, params)
    assert new["empty"].shape == (0,) and new["scalar"].shape == ()
    np.testing.assert_allclose(new["scalar"], whole_array(rule, 1.0, 2.0, 1))


@pytest.mark.parametrize("dtype", [np.float16, np.longdouble])
@pytest.mark.parametrize("rule", sorted(BUILD))
def test_other_float_dtypes_use_the_numpy_fallback_and_keep_dtype(rule, dtype):
    p = np.array([1.0, -2.0, 0.5], dtype)
    g = (2 * p).astype(dtype)
    new, state = so.step(BUILD[rule](), g, BUILD[rule]().init(p), p)
    assert new.dtype == dtype
    tol = 2e-3 if dtype == np.float16 else 1e-12
    np.testing.assert_allclose(new.astype(float), whole_array(rule, g.astype(float),
                                                              p.astype(float), 1), rtol=tol)
