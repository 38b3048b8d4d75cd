"""``jit(fuse="numexpr")``: values and derivatives of the fused replay agree with eager evaluation
within the rewrite tolerance (4 ulp, or the rounding an elementwise chain may carry at its
array's scale) on every function of the rule catalogue, and the chained Rosenbrock gradient
is fused into a few kernels. Skipped when numexpr is absent."""

import numpy as np
import pytest
from tests.autodiff.test_rules import CASES
from tests.compile._fused_tolerance import close as _close
from tests.compile.test_jit_exact import _total

import steepest as st
from steepest.compile import fusion

pytest.importorskip("numexpr")

EPS = np.finfo(float).eps


@pytest.fixture
def fuse_everything(monkeypatch):
    """Fuse the catalogue's small arrays, functions included (every translation runs)."""
    monkeypatch.setattr(fusion, "MIN_SIZE", 1)
    monkeypatch.setattr(fusion, "FUSE_FUNCTIONS", True)


@pytest.mark.parametrize(("name", "f", "args"), CASES, ids=[c[0] for c in CASES])
def test_fused_jit_agrees_with_eager(name, f, args, fuse_everything):
    argnums = tuple(range(len(args)))

    def loss(*a):
        return _total(f(*a))

    jf = st.jit(f, rewrite=False, fuse="numexpr")
    jg = st.jit(st.grad(loss, argnums=argnums), rewrite=False, fuse="numexpr")
    for point in (args, tuple(np.asarray(a) * 0.9 for a in args)):
        _close(jf(*point), f(*point))
        _close(jg(*point), st.grad(loss, argnums=argnums)(*point))


def test_the_catalogue_is_fused(fuse_everything):
    """Most catalogue gradients contain a fusible chain: the test above is not vacuous."""
    fused = 0
    for _, f, args in CASES:
        argnums = tuple(range(len(args)))
        fused += st.jit(st.grad(lambda *a, f=f: _total(f(*a)), argnums=argnums),
                        rewrite=False, fuse="numexpr").kernels(*args) > 0
    assert fused >= len(CASES) // 2, (fused, len(CASES))


def chained(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def test_the_chained_rosenbrock_gradient_and_hvp_are_fused():
    rng = np.random.default_rng(0)
    x, v = rng.uniform(-1, 1, 10_000), rng.standard_normal(10_000)
    g = st.jit(st.grad(chained), fuse="numexpr")
    h = st.jit(lambda x, v: st.hvp(chained, x, v), fuse="numexpr")
    # the HVP fuses into 2 kernels once the graph passes removed f's value and negations
    assert g.kernels(x) == 3 and h.kernels(x, v) == 2
    for y in (x, x * 0.5):
        _close(g(y), st.grad(chained)(y))
        _close(h(y, v), st.hvp(chained, y, v))
    assert st.jit(st.grad(chained)).kernels(x) == 0  # fuse=False: the plain replay
    small = x[:100]
    assert g.kernels(small) == 0  # below fusion.MIN_SIZE a kernel costs more than it saves
    _close(g(small), st.grad(chained)(small))


def test_guards_and_retraces_work_fused():
    def f(x):
        if np.sum(x) > 0:  # a guard, re-checked by the fused replay
            return x * x * 2.0 + 1.0
        return (x - 1.0) * 3.0 * x

    x = np.linspace(-1.0, 2.0, 8192)
    j = st.jit(f, fuse="numexpr")
    assert np.allclose(j(x), f(x), rtol=4 * EPS, atol=0)
    assert np.allclose(j(-x), f(-x), rtol=4 * EPS, atol=0)  # the guard fails: re-trace
    assert j.traces == 2 and j.kernels(x) == 1 and j.kernels(-x) == 1
    _close(j(x * 3.0), f(x * 3.0))
    assert j.traces == 2


def test_dynamic_batch_replays_fused_kernels_at_another_batch_size():
    j = st.jit(lambda x: np.tanh(x) * x * 3.0 - x, fuse="numexpr", dynamic="batch")
    x = np.random.default_rng(1).standard_normal((64, 128))
    _close(j(x), np.tanh(x) * x * 3.0 - x)
    _close(j(x[:40]), np.tanh(x[:40]) * x[:40] * 3.0 - x[:40])
    assert j.traces == 1 and j.kernels(x) == 1


def test_grad_of_a_fused_jit_differentiates_the_primitives():
    j = st.jit(lambda x: np.sum(x * x * 3.0 + x), fuse="numexpr")
    x = np.linspace(-1.0, 1.0, 5000)
    assert np.allclose(st.grad(j)(x), 6.0 * x + 1.0, rtol=4 * EPS, atol=4 * EPS)
    st.check_grads(j, (x[:50],))


def test_explain_works_on_a_fused_function(fuse_everything):
    f = lambda x: np.sum(np.exp(x * 2.0 - 1.0) ** 2)  # noqa: E731
    j = st.jit(f, fuse="numexpr")
    x = np.linspace(0.0, 1.0, 5)
    assert j.kernels(x) == 1
    ex, ej = st.explain(f, x), st.explain(j, x)
    assert np.array_equal(ej.gradient, ex.gradient)
    assert ej.primal_table() == ex.primal_table()
