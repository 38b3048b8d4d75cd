"""Stable functions: ulp accuracy against mpmath, float32, edge cases, SciPy parity, properties."""

import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.special as sps
from hypothesis import assume, given
from hypothesis import strategies as hst
from hypothesis.extra import numpy as hnp

import steepest.numerics as sn
from steepest.numerics import _arrays, _mpref, losses, softmax_family, stable
from steepest.numerics.floating import ulp_distance

EXTREMES = np.array(
    [1e-300, 20.0, 37.0, 709.0, 710.0, 1e4, 0.5, 1.0, 3.0, 1e-8, 745.0, 800.0, 1e300]
)
SPECIALS = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0])


def _sweep(seed: int, n: int = 150) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mags = 10.0 ** rng.uniform(-300, 4.5, n)
    x = np.concatenate([mags, rng.standard_normal(n) * 30.0, EXTREMES])
    return np.concatenate([x, -x, SPECIALS])


def _domain(name: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if name == "logit":
        return np.concatenate([
            rng.uniform(0, 1, 100), 10.0 ** rng.uniform(-300, 0, 100),
            1 - 10.0 ** rng.uniform(-16, 0, 100), [0.0, 0.25, 0.5, 0.75, 1.0, 1e-300],
            np.nextafter(0.5, [0.0, 1.0]), [-0.5, 1.5, np.nan, np.inf, -np.inf],
        ])
    if name == "log1mexp":
        x = -np.abs(_sweep(seed))
        # dense near the branch switch at -ln 2, where the wrong branch loses digits
        near = -np.concatenate([rng.uniform(0, 2, 100), 10.0 ** rng.uniform(-3, 0, 100)])
        return np.concatenate([x, near, [-np.log(2.0), 1.0, np.inf]])
    return _sweep(seed)


ELEMENTWISE = ["sigmoid", "softplus", "log_sigmoid", "logit", "log1mexp"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_within_2_ulp_of_mpmath_float64(name):
    x = _domain(name, seed=ELEMENTWISE.index(name))
    got = getattr(sn, name)(x)
    ref = _mpref.elementwise(name, x)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    dist = ulp_distance(got, ref)
    worst = np.nanargmax(dist)
    assert np.nanmax(dist) <= 2, f"{name}({x[worst]!r}) = {got[worst]!r}, exact {ref[worst]!r}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_float32_stays_float32_and_is_correctly_rounded(name):
    with np.errstate(over="ignore"):  # 1e300 -> inf in float32 is part of the sweep
        x32 = _domain(name, seed=10 + ELEMENTWISE.index(name)).astype(np.float32)
    got = getattr(sn, name)(x32)
    assert got.dtype == np.float32
    with np.errstate(over="ignore"):
        ref = _mpref.elementwise(name, x32.astype(np.float64)).astype(np.float32)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    assert np.nanmax(ulp_distance(got, ref)) <= 1


def _random_vectors(seed: int, count: int = 60):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        scale = 10.0 ** rng.uniform(-3, 4)
        yield rng.standard_normal(rng.integers(1, 6)) * scale
    yield np.array([-12345.0, -67890.0, -99999999.0])
    yield np.array([12345.0, 67890.0, 99999999.0])
    yield np.array([709.0, 710.0, -745.0, 0.0])
    yield np.array([1e-300, -1e-300, 37.0, -37.0])
    yield np.array([3.0, 3.0, 1.0])


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_vector_functions_within_2_ulp_of_mpmath(name):
    for v in _random_vectors(seed=7):
        got = np.atleast_1d(getattr(sn, name)(v))
        ref = np.atleast_1d(getattr(_mpref, name)(v))
        dist = ulp_distance(got, ref)
        assert np.max(dist) <= 2, f"{name}({v!r}) = {got!r}, exact {ref!r}"


def test_weighted_logsumexp_within_2_ulp_of_mpmath():
    rng = np.random.default_rng(3)
    for _ in range(40):
        a = rng.standard_normal(4) * 10.0 ** rng.uniform(-2, 3)
        b = 10.0 ** rng.uniform(-5, 5, 4)
        assert ulp_distance(sn.logsumexp(a, b=b), _mpref.logsumexp(a, b)) <= 2


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_vector_functions_float32(name):
    for v in _random_vectors(seed=8, count=30):
        with np.errstate(over="ignore"):
            v32 = v.astype(np.float32)
        if not np.all(np.isfinite(v32)):
            continue
        got = np.atleast_1d(getattr(sn, name)(v32))
        assert got.dtype == np.float32
        ref = np.atleast_1d(getattr(_mpref, name)(v32.astype(np.float64))).astype(np.float32)
        assert np.max(ulp_distance(got, ref)) <= 1


def test_seed_examples_softmax_is_finite_where_naive_fails():
    for v in ([-12345.0, -67890.0, -99999999.0], [12345.0, 67890.0, 99999999.0]):
        for dtype in (np.float32, np.float64):
            s = sn.softmax(np.array(v, dtype=dtype))
            assert s.dtype == dtype and np.all(np.isfinite(s))
            assert s[np.argmax(v)] == 1.0
    assert sn.log_softmax([0.0, -1000.0])[1] == -1000.0


def test_softmax_limits_with_infinities():
    np.testing.assert_array_equal(sn.softmax([np.inf, 1.0, np.inf]), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(sn.softmax([np.inf, -np.inf]), [1.0, 0.0])
    assert np.all(np.isnan(sn.softmax([-np.inf, -np.inf])))
    assert np.all(np.isnan(sn.softmax([np.nan, 1.0])))
    np.testing.assert_allclose(sn.log_softmax([np.inf, 0.0, np.inf]), [-np.log(2), -np.inf,
                                                                       -np.log(2)])
    assert np.all(np.isnan(sn.log_softmax([-np.inf, -np.inf])))
    np.testing.assert_array_equal(sn.log_softmax([0.0, -np.inf]), [0.0, -np.inf])
    assert sn.softmax(np.zeros((2, 0))).shape == (2, 0)


def test_softmax_axis_and_tuple_axes():
    x = np.random.default_rng(0).standard_normal((3, 4, 5))
    for axis in (0, 1, -1, (0, 2)):
        s = sn.softmax(x, axis=axis)
        np.testing.assert_allclose(np.sum(s, axis=axis), 1.0, rtol=1e-14)
        np.testing.assert_allclose(np.log(s), sn.log_softmax(x, axis=axis), rtol=1e-13)
    np.testing.assert_allclose(sn.softmax(x, axis=1), sps.softmax(x, axis=1), rtol=1e-14)


# ---------------------------------------------------------------- SciPy logsumexp parity

LSE_CASES = [
    dict(a=[]),
    dict(a=np.zeros((3, 0)), axis=1),
    dict(a=np.zeros((0, 3)), axis=0),
    dict(a=[-np.inf, -np.inf]),
    dict(a=[np.inf, 1.0]),
    dict(a=[np.inf, -np.inf]),
    dict(a=[np.inf, np.inf], b=[1.0, -1.0]),
    dict(a=[np.inf, 1.0], b=[-1.0, 1.0]),
    dict(a=[np.nan, 1.0]),
    dict(a=[np.nan, 1.0], b=[0.0, 1.0]),
    dict(a=[np.inf, 1.0], b=[0.0, 1.0]),
    dict(a=[1.0, 2.0], b=[1.0, -1.0]),
    dict(a=[1.0, 1.0], b=[1.0, -1.0]),
    dict(a=[1.0, 1.0, 0.0], b=[1.0, -1.0, 1.0]),
    dict(a=[1.0, 2.0, 3.0], b=[0.0, 0.0, 0.0]),
    dict(a=[1000.0, 1000.0, -1000.0]),
    dict(a=[-1000.0, -1000.5]),
    dict(a=[[1.0, 2.0], [3.0, -np.inf]], axis=0),
    dict(a=[[1.0, 2.0], [3.0, 4.0]], axis=1, keepdims=True),
    dict(a=np.arange(24.0).reshape(2, 3, 4), axis=(0, 2)),
    dict(a=np.arange(6.0).reshape(2, 3), b=[1.0, -2.0, 0.5], axis=-1),
    dict(a=[[1.0], [2.0]], b=[[1.0, 2.0, 3.0]]),
    dict(a=3.0),
    dict(a=[1, 2, 3]),
]


@pytest.mark.parametrize("case", LSE_CASES, ids=lambda c: repr(c)[:60])
@pytest.mark.parametrize("return_sign", [False, True])
def test_logsumexp_matches_scipy_semantics(case, return_sign):
    with np.errstate(all="ignore"):
        expected = sps.logsumexp(**case, return_sign=return_sign)
    got = sn.logsumexp(**case, return_sign=return_sign)
    if not return_sign:
        expected, got = (expected,), (got,)
    for i, (e, g) in enumerate(zip(expected, got)):
        assert np.shape(g) == np.shape(e)
        assert np.asarray(g).dtype == np.asarray(e).dtype
        if i == 1 and np.size(case["a"]) == 0:  # documented: the empty sum has sign 0
            np.testing.assert_array_equal(g, 0.0)
            continue
        np.testing.assert_allclose(g, e, rtol=1e-13, atol=0)  # semantics; accuracy: mpmath


def test_logsumexp_float32_stays_float32_close_to_scipy():
    a = np.random.default_rng(2).standard_normal((4, 5)).astype(np.float32) * 50
    got = sn.logsumexp(a, axis=1)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, sps.logsumexp(a, axis=1), rtol=2e-7)


def test_logsumexp_rejects_non_broadcasting_weights():
    with pytest.raises(ValueError, match="does not broadcast"):
        sn.logsumexp(np.ones(3), b=np.ones(4))


# ---------------------------------------------------------------- properties

finite = hst.floats(-1e308, 1e308, allow_nan=False, allow_infinity=False)
vectors = hnp.arrays(np.float64, hst.integers(1, 8), elements=finite)


@given(hst.lists(finite, min_size=1, max_size=20))
def test_elementwise_finite_in_finite_out(xs):
    x = np.array(xs)
    assert np.all(np.isfinite(sn.sigmoid(x)))
    assert np.all(np.isfinite(sn.softplus(x)))
    assert np.all(np.isfinite(sn.log_sigmoid(x)))
    assert np.all((sn.sigmoid(x) >= 0) & (sn.sigmoid(x) <= 1))
    nonpos = -np.abs(x)
    nonpos = nonpos[nonpos < 0]
    assert np.all(np.isfinite(sn.log1mexp(nonpos)))


@given(hst.floats(0, 1, exclude_min=True, exclude_max=True))
def test_logit_finite_and_inverts_sigmoid(p):
    z = sn.logit(p)
    assert np.isfinite(z)
    assert ulp_distance(sn.sigmoid(z), p) <= 4 or abs(sn.sigmoid(z) - p) <= 1e-15


@given(vectors)
def test_softmax_family_finite_and_consistent(x):
    s = sn.softmax(x)
    ls = sn.log_softmax(x)
    lse = sn.logsumexp(x)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ls)) and np.isfinite(lse)
    assert abs(np.sum(s) - 1.0) <= 8 * np.finfo(float).eps
    assert np.all(ls <= 0)
    assert lse >= np.max(x)
    np.testing.assert_allclose(np.exp(ls), s, rtol=1e-12, atol=1e-300)


@given(vectors, hst.floats(-1e6, 1e6))
def test_softmax_is_shift_invariant(x, c):
    x = x / 1e3
    xc = x + c
    # rounding x + c moves each logit by <= ulp(x + c) / 2, so every ratio exp(x_i - x_j)
    # changes by a relative <= max ulp; plus a few ulp of softmax's own rounding
    rtol = 2 * float(np.max(np.spacing(np.abs(xc)))) + 32 * np.finfo(float).eps
    np.testing.assert_allclose(sn.softmax(xc), sn.softmax(x), rtol=rtol, atol=1e-300)


# ---------------------------------------------------------------- plumbing

@pytest.mark.parametrize("name", sn.__all__)
def test_public_functions_are_traceable_primitives(name):
    fn = getattr(sn, name)
    if name in stable.__all__ + softmax_family.__all__ + losses.__all__:
        assert hasattr(fn, "__steepest_impl__")
        assert "Derivative" in fn.__doc__ and "naive" in fn.__doc__


def test_bad_inputs_have_clear_errors():
    with pytest.raises(TypeError, match="complex"):
        sn.softmax(np.array([1j, 2.0]))
    with pytest.raises(ValueError, match="out of range"):
        sn.softmax(np.ones(3), axis=1)
    with pytest.raises(TypeError, match="axis"):
        sn.log_softmax(np.ones(3), axis=1.5)
    with pytest.raises(ValueError, match="repeats"):
        sn.logsumexp(np.ones((2, 2)), axis=(0, 0))


# ---------------------------------------------------------------- exact helpers

def test_logsumexp_accurate_where_the_log_cancels_the_max():
    rng = np.random.default_rng(11)
    cases = [np.array([-0.04817845, -3.04598046]), np.array([-np.log(2.0), -np.log(2.0)]),
             np.log([0.3, 0.7000001])]
    cases += [np.log(sn.softmax(rng.standard_normal(4))) for _ in range(20)]
    for v in cases:
        exact = _mpref.logsumexp(v)
        kappa = np.sum(np.abs(v) * _mpref.softmax(v)) / max(abs(exact), 1e-300)
        # the problem's own condition number kappa amplifies the last rounding; extended
        # precision (64-bit mantissa) buys 11 bits of it
        bound = 2 + 2 * kappa * (2.0**-11 if _arrays.EXTENDED_OK else 1.0)
        assert ulp_distance(sn.logsumexp(v), exact) <= bound, v


@pytest.mark.parametrize("extended", [True, False])
def test_accurate_sum_is_correctly_rounded(extended):
    if extended and not _arrays.EXTENDED_OK:
        extended = False  # the TwoSum path is what this platform uses
    rng = np.random.default_rng(12)
    x = rng.standard_normal((3, 5, 7)) * 10.0 ** rng.uniform(-8, 8, (3, 5, 7))
    for axes in [(0,), (2,), (0, 2), (0, 1, 2)]:
        got = _arrays.accurate_sum(x, axes, extended=extended)
        moved = np.moveaxis(x, axes, range(-len(axes), 0))
        flat = moved.reshape(*moved.shape[: x.ndim - len(axes)], -1)
        exact = np.apply_along_axis(math.fsum, -1, flat)
        assert got.shape == np.sum(x, axis=axes, keepdims=True).shape
        assert np.max(ulp_distance(got.ravel(), np.ravel(exact))) <= 1
    assert _arrays.accurate_sum(np.zeros((2, 0)), (1,), extended=extended).shape == (2, 1)


@given(finite, finite)
def test_two_diff_is_exact(a, b):
    with np.errstate(over="ignore", invalid="ignore"):  # callers run it under errstate
        d, err = _arrays.two_diff(np.array([a]), np.array([b]))
    if np.isfinite(d[0]):
        assert Fraction(a) - Fraction(b) == Fraction(float(d[0])) + Fraction(float(err[0]))


BIG32 = float(np.float32(1e38))
finite32 = hst.floats(-BIG32, BIG32, allow_nan=False, allow_infinity=False, width=32)


@given(hst.lists(finite32, min_size=1, max_size=12))
def test_float32_finite_in_finite_out(xs):
    x = np.array(xs, dtype=np.float32)
    for f in (sn.sigmoid, sn.softplus, sn.log_sigmoid, sn.softmax, sn.log_softmax):
        y = f(x)
        assert y.dtype == np.float32 and np.all(np.isfinite(y)), f.__name__
    lse = sn.logsumexp(x)
    assert lse.dtype == np.float32 and np.isfinite(lse)
    assert abs(float(np.sum(sn.softmax(x), dtype=np.float64)) - 1.0) <= 4 * len(xs) * 2.0**-24


@given(hnp.arrays(np.float64, hst.integers(1, 6), elements=hst.floats(-30, 30)),
       hst.data())
def test_weighted_logsumexp_matches_scipy_with_mixed_signs(a, data):
    # weights of moderate size: the float64 reference sum(b * exp(a)) itself rounds badly
    # for subnormal weights
    weights = hst.one_of(hst.just(0.0), hst.floats(0.01, 5), hst.floats(-5, -0.01))
    b = data.draw(hnp.arrays(np.float64, a.shape, elements=weights))
    terms = b * np.exp(a)
    total = math.fsum(terms)
    # a nearly cancelling signed sum: no digit of its log is reliable
    assume(abs(total) > 1e-6 * np.sum(np.abs(terms)))
    res, sgn = sn.logsumexp(a, b=b, return_sign=True)
    with np.errstate(all="ignore"):
        ref, ref_sgn = sps.logsumexp(a, b=b, return_sign=True)
    assert sgn == np.sign(total) == ref_sgn
    assert res == pytest.approx(np.log(abs(total)), rel=1e-9, abs=1e-9)
    assert res == pytest.approx(ref, rel=1e-9, abs=1e-9)
    plain = sn.logsumexp(a, b=b)
    assert (np.isnan(plain) and total < 0) or plain == res


def test_importing_steepest_does_not_need_mpmath():
    import subprocess
    import sys

    code = "import sys, steepest; assert 'mpmath' not in sys.modules; steepest.softmax([1.0])"
    subprocess.run([sys.executable, "-c", code], check=True)
