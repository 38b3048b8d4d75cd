"""A property test per entry of the rewrite table: where the original expression is finite,
the rewritten one agrees with it to 4 ulp, or is closer to the mpmath value than it is."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as hst

import steepest as st
from steepest.compile import REWRITES


def _floats(lo, hi):
    return hst.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _vec(lo, hi, n=3):
    return hst.lists(_floats(lo, hi), min_size=n, max_size=n).map(np.array)


def _scalar(lo, hi):
    return _floats(lo, hi).map(np.array)


def _mp_sig(x):
    return 1 / (1 + mpmath.exp(-x))


def _mp_lse(xs):
    return mpmath.log(mpmath.fsum(mpmath.exp(x) for x in xs))


def _mp_norm(xs):
    return mpmath.sqrt(mpmath.fsum(x * x for x in xs))


# rule name: (original in NumPy, the same in mpmath on a list of mpf, inputs)
RULES = {
    "log_softmax": (lambda x: np.log(st.softmax(x)),
                    lambda xs: [x - _mp_lse(xs) for x in xs], _vec(-30, 30)),
    "log1m_sigmoid": (lambda x: np.log(1 - st.sigmoid(x)),
                      lambda xs: [mpmath.log(1 - _mp_sig(xs[0]))], _scalar(-30, 30)),
    "log_sigmoid": (lambda x: np.log(st.sigmoid(x)),
                    lambda xs: [mpmath.log(_mp_sig(xs[0]))], _scalar(-700, 700)),
    "softplus": (lambda x: np.log(1 + np.exp(x)),
                 lambda xs: [mpmath.log(1 + mpmath.exp(xs[0]))], _scalar(-700, 700)),
    "logaddexp": (lambda x: np.log(np.exp(x[0]) + np.exp(x[1])),
                  lambda xs: [_mp_lse(xs)], _vec(-700, 700, 2)),
    "logsumexp": (lambda x: np.log(np.sum(np.exp(x))), lambda xs: [_mp_lse(xs)],
                  _vec(-700, 700)),
    "log1mexp": (lambda x: np.log(1 - np.exp(x)),
                 lambda xs: [mpmath.log(-mpmath.expm1(xs[0]))], _scalar(-700, -1e-12)),
    "log_exp": (lambda x: np.log(np.exp(x)), lambda xs: [xs[0]], _scalar(-700, 700)),
    "log1p": (lambda x: np.log(1 + x), lambda xs: [mpmath.log1p(xs[0])], _scalar(-0.99, 1e6)),
    "expm1": (lambda x: np.exp(x) - 1, lambda xs: [mpmath.expm1(xs[0])], _scalar(-700, 700)),
    "softmax": (lambda x: np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True),
                lambda xs: [mpmath.exp(x - _mp_lse(xs)) for x in xs], _vec(-700, 700)),
    "normalize": (lambda x: x / np.sqrt(np.sum(x**2)),
                  lambda xs: [x / _mp_norm(xs) for x in xs], _vec(-1e100, 1e100)),
    "norm": (lambda x: np.sqrt(np.sum(x * x)), lambda xs: [_mp_norm(xs)], _vec(-1e100, 1e100)),
}  # fmt: skip


def test_every_table_entry_has_a_property_test():
    assert sorted(RULES) == sorted(r.name for r in REWRITES)


def _agrees(rewritten, original, exact):
    rewritten = np.atleast_1d(np.asarray(rewritten, dtype=float))
    original = np.atleast_1d(np.asarray(original, dtype=float))
    ref = np.array([float(v) for v in exact])
    with np.errstate(all="ignore"):
        return _within(rewritten, original, ref)


def _within(rewritten, original, ref):
    ulps = np.abs(rewritten - original) / np.spacing(np.abs(original))
    own_error = np.maximum(np.abs(original - ref), 4 * np.spacing(np.abs(ref)))
    return bool(np.all((ulps <= 4) | (np.abs(rewritten - ref) <= own_error)))


@pytest.mark.parametrize("name", sorted(RULES))
def test_rewrite_keeps_finite_results(name):
    f, f_mp, inputs = RULES[name]
    stable = st.stabilize(f)

    @settings(max_examples=60, deadline=None)
    @given(inputs)
    def check(x):
        with np.errstate(all="ignore"):
            original = f(x)
        assume(np.all(np.isfinite(original)))
        assert name in [r.name for r in stable.rewrites(x)]
        with mpmath.workdps(340):  # e^-700 beside 1 needs 304 digits and then some
            exact = f_mp([mpmath.mpf(float(v)) for v in np.atleast_1d(x)])
        assert _agrees(stable(x), original, exact)

    check()
