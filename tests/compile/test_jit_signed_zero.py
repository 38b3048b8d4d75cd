"""jit equals eager to the last bit where the backward of indexing meets signed zeros.

Eager ``grad`` adds the cotangent of ``x[idx]`` into ``x``'s as ``acc[idx] += g`` (cells outside
``idx`` keep their bits, a ``-0.0`` among them); a recording runs the same operation (the
``scatter_add`` primitive) in the NumPy replay, its memory plan, the scalar lowering of tiny
graphs and the fused replay, where ``acc + untake(g, idx)`` would turn ``-0.0`` into ``+0.0``.
"""

import numpy as np
import pytest

import steepest as st
from steepest.compile.replay import compile_program

FUNCTIONS = {
    "x0*x1": lambda x: x[0] * x[1],
    "x0*x1-x2": lambda x: x[0] * x[1] - x[2],
    "x0+sum(x*w*x)": lambda x: x[0] + np.sum(x * np.where(np.arange(x.size) % 2, -0.0, 1.0) * x),
    "0*sum(x*x)+x0": lambda x: np.sum(x * x) * 0.0 + x[0],
    "sum(x[1:]*x[:-1])": lambda x: np.sum(x[1:] * x[:-1]),
    "x[:-1]**2*x[1:]+x1*x0": lambda x: np.sum(x[:-1] ** 2 * x[1:]) + x[1] * x[0],
    "x[::2]*x[1::2]": lambda x: np.sum(x[::2] * x[1::2]) + x[-1] * x[0],
    "x[[0,2]]*x[1]": lambda x: np.sum(x[np.array([0, 2, 2])] * x[1]),
}


def _inputs(n):
    """Inputs holding ``-0.0`` and ``+0.0`` at different places."""
    k = np.arange(n)
    yield np.where(k % 3 == 0, -0.0, 1.0)
    yield np.where(k % 2 == 0, 0.0, -0.0)
    yield np.where(k % 3 == 1, -0.0, np.where(k % 3 == 2, 0.0, -2.0))
    yield np.full(n, -0.0)


def _same(a, b):
    """Equal values and equal signs (``np.signbit``), so ``-0.0`` differs from ``+0.0``."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (a, b)
    assert np.array_equal(a, b), (a, b)
    assert np.array_equal(np.signbit(a), np.signbit(b)), (a, b)


@pytest.mark.parametrize("n", [3, 6, 24], ids=lambda n: f"n{n}")
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_jit_equals_eager_at_signed_zeros(name, n):
    f = FUNCTIONS[name]
    jf, jg = st.jit(f, rewrite=False), st.jit(st.grad(f), rewrite=False)
    gj = st.grad(st.jit(f, rewrite=False))
    for x in _inputs(n):
        _same(jf(x), f(x))
        g = st.grad(f)(x)
        _same(jg(x), g)
        _same(gj(x), g)


@pytest.mark.parametrize("n", [3, 24], ids=lambda n: f"n{n}")
@pytest.mark.parametrize("name", ["x0*x1", "sum(x[1:]*x[:-1])", "x[:-1]**2*x[1:]+x1*x0"])
def test_jit_hessian_equals_eager_at_signed_zeros(name, n):
    f = FUNCTIONS[name]
    jh = st.jit(st.hessian(f), rewrite=False)
    for x in _inputs(n):
        _same(jh(x), st.hessian(f)(x))


@pytest.mark.parametrize("fuse", [False, True], ids=["plain", "fused"])
def test_the_numpy_replay_and_its_memory_plan_keep_the_sign(fuse):
    """n = 24 is not lowered to scalars: the NumPy replay (in-place scatter-adds planned into
    dead buffers, and with ``fuse=True`` the fused kernels) gives eager's bits."""
    if fuse:
        pytest.importorskip("numexpr")
    for name in ("x0*x1", "x[:-1]**2*x[1:]+x1*x0", "x[::2]*x[1::2]"):
        f = FUNCTIONS[name]
        jg = st.jit(st.grad(f), rewrite=False, fuse=fuse)
        x = next(_inputs(24))
        jg(x)
        (rec,) = jg.recordings(x)
        assert not compile_program(rec).lowered
        for x in _inputs(24):
            _same(jg(x), st.grad(f)(x))


def test_the_scatter_add_is_differentiable_and_batched():
    """Derivatives through the recorded accumulation: ``vmap(grad)`` and forward over
    reverse agree with the eager per-example gradients and a central difference."""
    f = FUNCTIONS["x[:-1]**2*x[1:]+x1*x0"]
    xs = np.random.default_rng(0).normal(size=(4, 6))
    xs[0, :3] = -0.0
    per = np.stack([st.grad(f)(x) for x in xs])
    _same(st.vmap(st.grad(f))(xs), per)
    x, v, h = xs[1], np.linspace(-1.0, 1.0, 6), 1e-6
    fd = (st.grad(f)(x + h * v) - st.grad(f)(x - h * v)) / (2 * h)
    np.testing.assert_allclose(st.hessian(f)(x) @ v, fd, rtol=1e-6, atol=1e-8)
