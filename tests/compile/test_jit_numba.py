"""``jit(fuse="numba")``: the numba kernel backend agrees with eager evaluation within the
fused tolerance (values and gradients of a few catalogue functions, its element functions
vs mpmath), fuses the chained Rosenbrock into as many kernels as numexpr, compiles an
identical loop once, and the ``fuse`` argument selects backends by name. Skipped when numba
is absent (the selection tests run without it)."""

import warnings

import mpmath
import numpy as np
import pytest
from tests.autodiff.test_rules import CASES
from tests.compile._fused_tolerance import close
from tests.compile.test_jit_exact import _total

import steepest as st
from steepest.compile import JitWarning, fusion, kernels_numba
from steepest.compile.kernels_numba import NumbaKernel, numba_module
from steepest.compile.scatter_kernels import AccumulateKernel, ScatterKernel

needs_numba = pytest.mark.skipif(numba_module() is None, reason="numba is not installed")

# elementwise chains with every kind of node: functions, powers, where, comparisons,
# broadcasting, 2-D loops (each case compiles a few loops: ~0.1 s each)
SOME = ["expm1[vector]", "log1p[vector]", "tanh[vector]", "arccosh[vector]",
        "st.log_sigmoid[vector]", "st.softplus[matrix]", "pow-const[vector]",
        "where[broadcast]", "arctan2[broadcast]", "divide[broadcast]", "operators[vector]",
        "clip[vector]"]


def chained(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


@pytest.fixture
def fuse_small(monkeypatch):
    """Fuse the catalogue's small arrays, every function included (each translation runs)."""
    monkeypatch.setattr(fusion, "MIN_SIZE", 1)
    monkeypatch.setattr(kernels_numba, "FUSED_FUNCTIONS", kernels_numba._FUNCTIONS | {"abs"})


@needs_numba
@pytest.mark.parametrize(("name", "f", "args"), [c for c in CASES if c[0] in SOME],
                         ids=[c[0] for c in CASES if c[0] in SOME])
def test_numba_fused_jit_agrees_with_eager(name, f, args, fuse_small):
    argnums = tuple(range(len(args)))

    def loss(*a):
        return _total(f(*a))

    jf = st.jit(f, rewrite=False, fuse="numba")
    jg = st.jit(st.grad(loss, argnums=argnums), rewrite=False, fuse="numba")
    for point in (args, tuple(np.asarray(a) * 0.9 for a in args)):
        close(jf(*point), f(*point))
        close(jg(*point), st.grad(loss, argnums=argnums)(*point))
    assert jg.kernels(*args) > 0, name  # not vacuous: numba kernels ran


@needs_numba
def test_numba_element_functions_are_within_4_ulp_of_mpmath():
    """One kernel per function (libm through numba), 64 points each, vs 50-digit mpmath."""
    rng = np.random.default_rng(3)
    domains = {"arccosh": (1.0, 30.0), "arcsin": (-1.0, 1.0), "arccos": (-1.0, 1.0),
               "arctanh": (-0.99, 0.99), "log": (1e-3, 1e3), "log10": (1e-3, 1e3),
               "log1p": (-0.9, 10.0), "sqrt": (0.0, 1e4)}
    mp_name = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh",
               "arccosh": "acosh", "arctanh": "atanh"}
    mpmath.mp.dps = 50
    for fun in sorted(kernels_numba._FUNCTIONS - {"arctan2"}):
        lo, hi = domains.get(fun, (-5.0, 5.0))
        x = np.concatenate([rng.uniform(lo, hi, 61), [lo, hi, (lo + hi) / 2]])
        got = NumbaKernel(f"{fun}(v0)", [np.float64], 1)(x)
        ref = getattr(mpmath, mp_name.get(fun, fun))
        want = np.array([float(ref(mpmath.mpf(float(v)))) for v in x])
        assert np.all(np.abs(got - want) <= 4 * np.spacing(np.abs(want))), fun


@needs_numba
def test_the_chained_rosenbrock_fuses_into_numba_kernels_with_the_unfused_values(monkeypatch):
    calls = []
    run = NumbaKernel.__call__
    monkeypatch.setattr(NumbaKernel, "__call__",
                        lambda self, *a, **k: calls.append(self) or run(self, *a, **k))
    rng = np.random.default_rng(0)
    x, v = rng.uniform(-1, 1, 10_000), rng.standard_normal(10_000)
    g = st.jit(st.grad(chained), fuse="numba")
    h = st.jit(lambda x, v: st.hvp(chained, x, v), fuse="numba")
    # the HVP fuses into 2 kernels once the graph passes removed f's value and negations
    assert g.kernels(x) == 3 and h.kernels(x, v) == 2
    for y in (x, x * 0.5):
        calls.clear()
        close(g(y), st.grad(chained)(y))
        close(h(y, v), st.hvp(chained, y, v))
        assert len(calls) == 5  # the replays ran numba kernels
    small = x[:100]
    assert g.kernels(small) == 0  # below fusion.MIN_SIZE
    close(g(small), st.grad(chained)(small))


@needs_numba
def test_an_identical_chain_compiles_its_loop_once():
    before = kernels_numba._loop.cache_info()
    a = NumbaKernel("((v0 * (3.5)) - v1)", [np.float64, np.float64], 2)
    b = NumbaKernel("((v0 * (3.5)) - v1)", [np.float64, np.float64], 2)
    x = np.linspace(0.0, 1.0, 7)
    assert np.array_equal(a(x, x), x * 3.5 - x) and np.array_equal(b(x, x), x * 3.5 - x)
    after = kernels_numba._loop.cache_info()
    assert after.misses - before.misses <= 1 and after.hits - before.hits >= 1


@needs_numba
def test_numba_kernels_broadcast_write_into_out_and_scatter():
    k = NumbaKernel("where(v0 > (0.0), exp(v0), (-v1))", [np.float64, np.float64], 3)
    x = np.linspace(-1.0, 1.0, 6)[:, None]
    y = np.arange(4.0)
    assert np.array_equal(k(x, y), np.where(x > 0, np.exp(x), -y))  # (6, 1) with (4,)
    assert k(np.array(2.0), np.array(1.0)) == np.exp(2.0) and k(x, y).shape == (6, 4)
    out = np.empty((6, 4))
    assert k(x, y, out=out) is out
    z = np.linspace(0.0, 1.0, 5)
    s = ScatterKernel(NumbaKernel("(v0 * (2.0))", [np.float64], 1), slice(1, None), (6,),
                      np.float64)
    assert np.array_equal(s(z), np.concatenate([[0.0], 2.0 * z]))
    acc = AccumulateKernel(NumbaKernel("(-v0)", [np.float64], 1), slice(None, -1))
    assert np.array_equal(acc(np.ones(6), z), np.concatenate([1.0 - z, [1.0]]))
    assert isinstance(acc.kernel, NumbaKernel)


@needs_numba
def test_boolean_chains_keep_numpys_dtype_and_values(fuse_small):
    """bool * bool is bool in NumPy, an integer inside numba's loop: the kernel's result
    array takes NumPy's type (and fusion's trial call checks it)."""
    def f(x):
        return ((x > 0.0) * (x < 0.5)) | (x > 0.9)

    x = np.linspace(-1.0, 1.0, 11)
    got = st.jit(f, rewrite=False, fuse="numba")(x)
    assert got.dtype == np.bool_ and np.array_equal(got, f(x))
    k = NumbaKernel("((v0 > (0.0)) * (v0 < (0.5)))", [np.float64], 3)
    assert k(x).dtype == np.bool_ and np.array_equal(k(x), (x > 0.0) * (x < 0.5))


@needs_numba
def test_guards_and_retraces_work_with_numba():
    def f(x):
        if np.sum(x) > 0:
            return np.log1p(x * x) * 2.0 + 1.0
        return (x - 1.0) * 3.0 * np.tanh(x)

    x = np.linspace(-1.0, 2.0, 8192)
    j = st.jit(f, fuse="numba")
    close(j(x), f(x))
    close(j(-x), f(-x))  # the guard fails: re-trace
    assert j.traces == 2 and j.kernels(x) == 1 and j.kernels(-x) == 1


def test_fuse_true_prefers_numba_and_names_select_a_backend():
    want = "numba" if numba_module() is not None else (
        "numexpr" if fusion.numexpr_module() is not None else None)
    assert fusion.backend(True) == want
    assert fusion.backend(False) is None and fusion.backend(None) is None
    assert st.jit(chained, fuse=True).fuse == (want or False)
    if fusion.numexpr_module() is not None:
        assert st.jit(chained, fuse="numexpr").fuse == "numexpr"


def test_a_bad_fuse_value_names_the_backends():
    with pytest.raises(ValueError, match=r"fuse must be True, False or one of \['numba', "
                                         r"'numexpr'\].*'cuda'"):
        st.jit(chained, fuse="cuda")


def test_fuse_numba_without_numba_warns_and_replays_unfused(monkeypatch):
    monkeypatch.setitem(fusion.BACKENDS, "numba", (NumbaKernel, lambda: None))
    x = np.linspace(-1.0, 1.0, 5)
    with pytest.warns(JitWarning, match=r"numba is not installed.*steepest\[fast-numba\]"):
        j = st.jit(st.grad(chained), fuse="numba")
    assert not j.fuse
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.array_equal(j(x), st.grad(chained)(x))


@needs_numba
def test_dynamic_batch_and_grad_of_a_numba_fused_jit():
    f = lambda x: np.sqrt(x * x + 1.0) * 3.0 - x  # noqa: E731
    j = st.jit(f, fuse="numba", dynamic="batch")
    x = np.random.default_rng(1).standard_normal((64, 128))
    close(j(x), f(x))
    close(j(x[:40]), f(x[:40]))  # another batch size, the same 2-D loop
    assert j.traces == 1 and j.kernels(x) == 1
    s = st.jit(lambda x: np.sum(f(x)), fuse="numba")
    close(st.grad(s)(x[0]), st.grad(lambda x: np.sum(f(x)))(x[0]))
