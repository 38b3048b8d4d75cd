"""Error-free transformations are exact: the rounded result plus its error equals the exact
sum/product (checked in rational arithmetic), on random inputs spanning many binades."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from steepest.numerics.eft import fast_two_sum, split, two_diff, two_prod, two_sum, two_sum_error


def _spread(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.standard_normal(n) * 2.0 ** rng.integers(-60, 60, n)


@pytest.fixture
def pair():
    rng = np.random.default_rng(7)
    return _spread(rng, 400), _spread(rng, 400)


def test_two_sum_is_exact(pair):
    a, b = pair
    s, e = two_sum(a, b)
    assert np.array_equal(s, a + b)
    for ai, bi, si, ei in zip(a, b, s, e):
        assert Fraction(ai) + Fraction(bi) == Fraction(si) + Fraction(ei)


def test_two_diff_matches_two_sum_of_the_negation(pair):
    a, b = pair
    d, err = two_diff(a, b)
    s, e = two_sum(a, -b)
    assert np.array_equal(d, s) and np.array_equal(err, e)


def test_error_terms_are_zero_where_the_result_overflows():
    a = np.array([1e308, -np.inf, 1.0])
    b = np.array([1e308, 1.0, 2.0**-60])
    with np.errstate(over="ignore", invalid="ignore"):
        d, err = two_diff(a, -b)
        total = a + b
    assert np.array_equal(d, total)
    assert np.array_equal(err, [0.0, 0.0, 2.0**-60])
    assert np.array_equal(two_sum_error(a, b), [0.0, 0.0, 2.0**-60])


def test_fast_two_sum_is_exact_when_the_first_dominates(pair):
    a, b = pair
    big, small = np.where(abs(a) >= abs(b), a, b), np.where(abs(a) >= abs(b), b, a)
    s, e = fast_two_sum(big, small)
    for bi, si_, s_, e_ in zip(big, small, s, e):
        assert Fraction(bi) + Fraction(si_) == Fraction(s_) + Fraction(e_)


def test_split_halves_have_26_bits_and_sum_back(pair):
    a = pair[0]
    hi, lo = split(a)
    assert np.array_equal(hi + lo, a)
    for part in (hi, lo):
        mant = np.frexp(part)[0] * 2.0**27  # 26 significant bits (plus sign) fit exactly
        assert np.array_equal(mant, np.round(mant))


def test_two_prod_is_exact(pair):
    a, b = pair
    p, e = two_prod(a, b)
    assert np.array_equal(p, a * b)
    for ai, bi, pi, ei in zip(a, b, p, e):
        assert Fraction(ai) * Fraction(bi) == Fraction(pi) + Fraction(ei)
