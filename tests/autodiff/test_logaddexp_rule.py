"""The logaddexp rule: both partials σ(±(x − y)) to a few ulp of mpmath, also where the
textbook exp(x − logaddexp(x, y)) rounds (55 ulp off 1/2 at (1000, 1000)); and σ′ of expit."""

from __future__ import annotations

import mpmath
import numpy as np
import scipy.special as sps
from hypothesis import given, settings
from hypothesis import strategies as hst

import steepest as st


def _ulps(got, want):
    want = np.array([float(w) for w in want])
    return np.abs(np.asarray(got, dtype=float) - want) / np.spacing(np.abs(want))


def _exact_partials(x, y):
    with mpmath.workdps(60):
        x, y = mpmath.mpf(float(x)), mpmath.mpf(float(y))
        return [1 / (1 + mpmath.exp(y - x)), 1 / (1 + mpmath.exp(x - y))]


def _partials(x, y):
    return st.grad(lambda v: np.logaddexp(v[0], v[1]))(np.array([x, y]))


def test_partials_at_the_textbook_failure():
    assert _partials(1000.0, 1000.0).tolist() == [0.5, 0.5]
    old = np.exp(1000.0 - np.logaddexp(1000.0, 1000.0))  # the rule as it was
    assert _ulps([old], [0.5])[0] > 4


_VALUES = hst.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


@settings(deadline=None)
@given(_VALUES, _VALUES)
def test_partials_within_4_ulp_of_mpmath(x, y):
    assert np.max(_ulps(_partials(x, y), _exact_partials(x, y))) <= 4


@settings(deadline=None)
@given(_VALUES, _VALUES)
def test_forward_mode_agrees(x, y):
    _, tx = st.jvp(lambda a: np.logaddexp(a, y), (np.array(x),), (np.array(1.0),))
    assert _ulps([tx], _exact_partials(x, y)[:1])[0] <= 4


def test_second_derivatives_against_finite_differences():
    st.check_grads(lambda v: np.logaddexp(v[0], v[1]), (np.array([0.3, -1.2]),), order=2)
    st.check_grads(sps.expit, (np.array([-3.0, 0.5, 2.0]),), order=2)


def test_expit_derivative_far_in_the_tail():
    # σ(1 − σ) is 0 for x > 37; σ(x)σ(−x) = e^−x (1 + ...) is not
    with mpmath.workdps(60):
        want = [mpmath.exp(-40) / (1 + mpmath.exp(-40)) ** 2]
    assert _ulps([st.grad(sps.expit)(40.0)], want)[0] <= 4
