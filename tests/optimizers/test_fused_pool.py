"""Buffer recycling keeps the functional contract: nothing a caller still holds is reused."""

from __future__ import annotations

import numpy as np
import pytest

import steepest.optimizers as so
from steepest.optimizers._fused.pool import POOL_SUPPORTED, BufferPool

pytestmark = pytest.mark.skipif(not POOL_SUPPORTED, reason="needs CPython with the GIL")

N = 300_000  # 2.4 MB per float64 leaf: above the pool's 1 MiB threshold


def problem(seed=0):
    rng = np.random.default_rng(seed)
    target = rng.standard_normal(N)
    x0 = rng.standard_normal(N)
    return (lambda x: x - target), x0


def reference(steps, grad, x0, lr=1e-2, fused=True):
    opt = so.adam(lr, reuse_buffers=False)
    x, s, xs = x0.copy(), opt.init(x0), []
    for _ in range(steps):
        if fused:
            x, s = so.step(opt, grad(x), s, x)
        else:
            u, s = opt.update(grad(x), s, x)
            x = so.apply_updates(x, u)
        xs.append(x.copy())
    return xs


@pytest.mark.parametrize("fused", [False, True])
def test_held_params_states_and_views_are_never_overwritten(fused):
    grad, x0 = problem()
    opt = so.adam(1e-2)
    x, s = x0.copy(), opt.init(x0)
    held, views, copies = [], [], []
    for k in range(8):
        if fused:
            x, s = so.step(opt, grad(x), s, x)
        else:
            u, s = opt.update(grad(x), s, x)
            x = so.apply_updates(x, u)
        if k % 2:
            held.append((x, s))                 # keep whole objects for odd steps
        views.append(s[0].mu[:5])               # keep only a small view of every first moment
        copies.append(s[0].mu[:5].copy())
    ref = reference(8, grad, x0, fused=fused)
    for (xk, _), r in zip(held, ref[1::2]):
        np.testing.assert_array_equal(xk, r)
    for v, c in zip(views, copies):
        np.testing.assert_array_equal(v, c)


def test_dropped_buffers_are_recycled_and_results_unchanged():
    grad, x0 = problem(1)
    opt = so.adam(1e-2)
    x, s = x0.copy(), opt.init(x0)
    for _ in range(6):
        x, s = so.step(opt, grad(x), s, x)
    pool = opt.update.fused.pool
    assert pool.stats.reused > 0
    np.testing.assert_array_equal(x, reference(6, grad, x0)[-1])


def test_nothing_recycled_while_everything_is_held():
    grad, x0 = problem(2)
    opt = so.adam(1e-2)
    x, s = x0.copy(), opt.init(x0)
    keep = []
    for _ in range(4):
        x, s = so.step(opt, grad(x), s, x)
        keep.append((x, s))
    assert opt.update.fused.pool.stats.reused == 0


def test_pool_take_rules():
    pool = BufferPool(per_key=4, min_bytes=0)
    a = pool.take(10, np.float64)
    b = pool.take(10, np.float64)
    assert a is not b
    view = a[2:]
    del a
    c = pool.take(10, np.float64)
    assert not np.shares_memory(c, view)  # a is still referenced through the view
    del view
    d = pool.take(10, np.float64)
    assert d.base is None and pool.stats.reused == 1
    assert pool.take(3, np.float32).dtype == np.float32


def test_optimizers_can_be_deep_copied_with_an_independent_pool():
    import copy

    grad, x0 = problem(3)
    opt = so.adam(1e-2)
    x, s = x0.copy(), opt.init(x0)
    x, s = so.step(opt, grad(x), s, x)
    twin = copy.deepcopy(opt)
    assert twin.update.fused.pool is not opt.update.fused.pool
    a, sa = so.step(opt, grad(x), s, x)
    b, sb = so.step(twin, grad(x), s, x)
    np.testing.assert_array_equal(a, b)
