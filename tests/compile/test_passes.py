"""The graph passes of ``jit`` (``steepest.compile.passes``): each pass on small graphs — the
number of replayed operations falls and the values stay the same bits as eager evaluation —
plus a property test for each floating-point fact a rule relies on, and one for the
rounding-changing ``reassociate`` entry (``rewrite=True`` only)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as hst

import steepest as st
from steepest.compile.passes import REASSOCIATIONS, PassReport, run_passes
from steepest.compile.passes.simplify import is_pow2_up
from steepest.compile.recording import record

RNG = np.random.default_rng(12)


def _bits_equal(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (a, b)
    if a.dtype.kind == "f":
        same = a.view(f"u{a.dtype.itemsize}") == b.view(f"u{b.dtype.itemsize}")
        assert np.all(same | (np.isnan(a) & np.isnan(b))), (a, b)
    else:
        assert np.array_equal(a, b)


def _stat(report: PassReport, name: str):
    return next(s for s in report.stats if s.name == name)


def _close(a, b, ulps=4):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    scale = np.spacing(np.maximum(np.abs(a), np.abs(b)))
    assert np.all(np.abs(a - b) <= ulps * scale), (a, b)


def _check(f, *args, rewrite=False):
    """jit(f) equals f bit for bit (``rewrite=False``; within 4 ulp with rewrites) here and
    at a second point; returns the pass report."""
    jf = st.jit(f, rewrite=rewrite)
    for point in (args, tuple(a * 0.7 - 0.1 for a in args)):
        with np.errstate(all="ignore"):
            out, ref = jf(*point), f(*point)
        for o, r in zip(st.tree.tree_leaves(out), st.tree.tree_leaves(ref)):
            (_close if rewrite else _bits_equal)(o, r)
    with np.errstate(all="ignore"):
        report = jf.passes(*args)
    assert report.replayed <= report.recorded
    return report


def _names(jf, *args):
    return [t.name for t in jf.recordings(*args)[0].program_terms() if t.op is not None]


def chained(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


# ---- fold_constants + dce ------------------------------------------------------------------
def test_fold_removes_the_forward_value_from_a_gradient():
    x = RNG.uniform(-1, 1, 50)
    report = _check(st.grad(chained), x)
    assert _stat(report, "fold_constants").replaced >= 3  # ones_like, reshape, broadcast_to
    assert _stat(report, "fold_constants").removed > 0
    jg = st.jit(st.grad(chained), rewrite=False)
    jg(x)
    names = _names(jg, x)
    assert "sum" not in names and "ones_like" not in names  # f's value is dead, not replayed


def test_fold_keeps_a_large_folded_constant_a_broadcast_view():
    x = RNG.standard_normal(10_000)
    jg = st.jit(st.grad(lambda x: np.sum(3.0 * x)), rewrite=False)
    out = jg(x)
    _bits_equal(out, st.grad(lambda x: np.sum(3.0 * x))(x))
    for t in jg.recordings(x)[0].program_terms():  # no folded 10⁴-element copy is kept
        assert not any(type(a) is np.ndarray and a.size > 4096 and 0 not in a.strides
                       for a in t.args)


def test_outputs_are_never_cached_constants_or_inputs():
    x = RNG.standard_normal(5)
    jg = st.jit(st.grad(lambda x: np.sum(2.0 * x)), rewrite=False)
    a, b = jg(x), jg(x)
    assert a is not b and a.flags.writeable
    a[:] = 0.0
    _bits_equal(jg(x), np.full(5, 2.0))
    ident = st.jit(lambda x: x * 1.0, rewrite=False)
    y = ident(x)
    assert y is not x
    _bits_equal(y, x)


# ---- simplify ----------------------------------------------------------------------------
SIMPLE = [
    ("negation pair", lambda x: np.sin(np.negative(-x))),
    ("negation into a constant", lambda x: np.sin(-(2.5 * x))),
    ("negation into a constant, right", lambda x: np.sin((-x) * 3.0)),
    ("add of a negation", lambda x: np.sin(np.cos(x) + (-x))),
    ("subtract of a negation", lambda x: np.sin(np.cos(x) - (-x))),
    ("add of a negated product", lambda x: np.sin(np.cos(x) + (-x) * np.exp(x))),
    ("times one", lambda x: np.sin(x * np.ones_like(x))),
    ("divide by one", lambda x: np.sin(x / np.ones(x.shape))),
    ("add minus zero", lambda x: np.sin(x + np.full(x.shape, -0.0))),
    ("subtract plus zero", lambda x: np.sin(x - np.zeros(x.shape))),
    ("no-op reshape", lambda x: np.sin(np.reshape(np.exp(x), x.shape))),
    ("no-op broadcast", lambda x: np.sin(np.broadcast_to(np.exp(x), x.shape))),
    ("no-op transpose", lambda x: np.sin(np.transpose(np.exp(x), (0,)))),
    ("power-of-two chain", lambda x: np.sin(3.0 * (2.0 * x))),
    ("power-of-two chain, ints", lambda x: np.sin(100 * (4 * x))),
    ("broadcast seed", lambda x: np.sin(np.broadcast_to(np.sum(x).reshape(1), x.shape) * x)),
]


@pytest.mark.parametrize(("name", "f"), SIMPLE, ids=[s[0] for s in SIMPLE])
def test_simplify_removes_operations_exactly(name, f):
    x = np.concatenate([RNG.standard_normal(6), [0.0, -0.0, 1e-310, -1e-310, 1e300]])
    st_fun = lambda x: f(x)  # noqa: E731  (traced through steepest, rewrite=False)
    report = _check(st_fun, x)
    assert _stat(report, "simplify").replaced >= 1
    assert report.replayed < report.recorded or _stat(report, "simplify").removed >= 0


def test_add_of_plus_zero_is_not_simplified():
    x = np.array([-0.0, 1.0])
    f = lambda x: x + np.zeros(x.shape)  # noqa: E731  (-0 + +0 is +0: not an identity)
    report = _check(f, x)
    assert report.replayed == 1  # the add stays (its zeros may become a scalar 0.0)
    assert not np.signbit(st.jit(f, rewrite=False)(x)[0])


def test_non_power_of_two_chain_is_left_alone_without_rewrite():
    f = lambda x: 3.0 * (5.0 * x)  # noqa: E731
    x = RNG.standard_normal(4)
    assert _stat(_check(f, x), "simplify").replaced == 0
    assert _stat(_check(f, x, rewrite=True), "reassociate").replaced == 1


def test_float32_and_int_dtypes_are_kept():
    x32 = RNG.standard_normal(5).astype(np.float32)
    _check(lambda x: np.sin(-(2.0 * x)), x32)
    _check(lambda x: np.sin(100.0 * (2.0 * x)), x32)
    xi = np.arange(-3, 3)
    _check(lambda x: np.abs(np.negative(-x) * np.ones_like(x)), xi)
    x8 = np.array([-3, 1, 2], dtype=np.int8)  # −(−128) does not fit int8: left alone
    _check(lambda x: np.abs(-(-128 * x)), x8)
    # a float64 constant times a float32 chain changes dtype: not merged
    _check(lambda x: np.sin(np.float64(3.0) * (2.0 * x)), x32)


# ---- cse ---------------------------------------------------------------------------------
def test_cse_merges_equal_slices():
    x = RNG.standard_normal(8)
    f = lambda x: np.sum(x[:-1] * x[1:] + np.sin(x[:-1]))  # noqa: E731
    jf = st.jit(f, rewrite=False)
    _bits_equal(jf(x), f(x))
    assert _names(jf, x).count("getitem") == 2
    assert _stat(jf.passes(x), "cse").removed >= 1


# ---- whole derivative graphs -------------------------------------------------------------
@pytest.mark.parametrize("rewrite", [False, True])
def test_chained_rosenbrock_grad_and_hvp(rewrite):
    x, v = RNG.uniform(-1, 1, 40), RNG.standard_normal(40)
    rg = _check(st.grad(chained), x, rewrite=rewrite)
    rh = _check(lambda x, v: st.hvp(chained, x, v), x, v, rewrite=rewrite)
    assert rg.replayed <= rg.recorded // 2 + 1
    assert rh.replayed <= rh.recorded // 2 + 1


def test_guards_survive_the_passes():
    def f(x):
        return np.sum(np.sin(x)) if np.sum(x) > 0 else np.sum(np.cos(x) * 2.0)

    jg = st.jit(st.grad(f), rewrite=False)
    for x in (np.ones(3), -np.ones(3), np.ones(3)):
        _bits_equal(jg(x), st.grad(f)(x))
    assert jg.traces == 2


def test_report_lists_every_pass_in_order():
    x = RNG.standard_normal(6)
    jg = st.jit(st.grad(chained))
    report = jg.passes(x)
    assert [s.name for s in report.stats] == ["dce", "fold_constants", "simplify",
                                              "reassociate", "cse"]
    text = str(report)
    assert f"{report.recorded} operations recorded -> {report.replayed} replayed" in text
    no_rw = st.jit(st.grad(chained), rewrite=False).passes(x)
    assert "reassociate" not in [s.name for s in no_rw.stats]


def test_run_passes_on_a_recording_keeps_roots_in_order():
    rec = record(lambda x: (np.sin(np.negative(-x)), np.ones_like(x) * x), (np.arange(3.0),))
    roots, report = run_passes(list(rec.outputs))
    assert len(roots) == 2 and report.replayed <= report.recorded


# ---- the floating-point facts ------------------------------------------------------------
_any = hst.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)


@given(x=_any, c1=hst.floats(1.0, 1e300) | hst.floats(-1e300, -1.0), k=hst.integers(0, 60),
       neg=hst.booleans())
def test_power_of_two_chain_is_exact(x, c1, k, neg):
    p = -(2.0 ** k) if neg else 2.0 ** k
    assert is_pow2_up(p)
    assume(np.isfinite(c1 * p))
    with np.errstate(all="ignore"):
        a = np.float64(c1) * (np.float64(p) * np.float64(x))
        b = np.float64(c1 * p) * np.float64(x)
    _bits_equal(a, b)


@given(a=_any, b=_any, c=hst.floats(allow_nan=False, allow_infinity=True))
def test_sign_identities_are_exact(a, b, c):
    a, b, c = np.float64(a), np.float64(b), np.float64(c)
    with np.errstate(all="ignore"):
        _bits_equal(-(c * a), (-c) * a)
        _bits_equal(a + (-b), a - b)
        _bits_equal(a - (-b), a + b)
        _bits_equal(b + (-a) * c, b - a * c)
        _bits_equal(a * 1.0, a)
        _bits_equal(a + (-0.0), a)
        _bits_equal(a - 0.0, a)


def _ulps(a, b):
    return abs(a - b) / np.spacing(max(abs(a), abs(b)))


@given(x=hst.floats(-1e100, 1e100), c1=hst.floats(-1e50, 1e50), c2=hst.floats(-1e50, 1e50))
def test_reassociate_constant_product_within_its_bound(x, c1, c2):
    tiny = np.finfo(float).tiny
    assume(min(abs(x * c2), abs(c1 * c2 * x), abs(c1 * c2)) > tiny)
    f = lambda x: c1 * (c2 * x)  # noqa: E731
    jf = st.jit(f, rewrite=True)
    out, ref = float(jf(np.array([x]))[0]), float(f(np.array([x]))[0])
    assert _ulps(out, ref) <= REASSOCIATIONS[0].bound_ulp
