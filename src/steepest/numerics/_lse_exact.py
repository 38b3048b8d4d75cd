"""Exact log-sum-exp of one row in binary fixed point with Python integers.

The last tier of :func:`steepest.numerics._extended.lse_repair`: rows whose result is so
small against its terms (``|lse|`` below about ``2**-66``) that even triple-double cannot
settle it. Every ``e^{a_i - r}`` is formed as an integer multiple of ``2**-bits`` (argument
reduction by ``ln 2`` from its series, a Taylor series after 8 halvings, 8 squarings), the
log by a series, and ``bits`` doubled until the result is settled; a handful of rows per
million at most, each a few hundred microseconds.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import numpy as np

__all__ = ["lse_exact"]


def _quo(x: int, y: int) -> int:
    """``x / y`` rounded toward zero (floor division would stick at -1 in a series); a
    power-of-two ``y`` is a shift."""
    if y & (y - 1) == 0:
        shift = y.bit_length() - 1
        return x >> shift if x >= 0 else -(-x >> shift)
    return x // y if x >= 0 else -(-x // y)


@functools.cache
def _ln2_fixed(bits: int) -> int:
    """``round(ln 2 · 2**bits)`` from ``ln 2 = Σ 1/(k 2^k)`` (error below 1)."""
    guard = bits + 16
    total = sum((1 << guard) // (k << k) for k in range(1, guard + 2))
    return total >> 16


def _exp_fixed(d: Fraction, bits: int) -> int:
    """``e^d · 2**bits`` rounded to an integer, within a few units (0 below ``2**-bits``)."""
    k = round(float(d) / 0.6931471805599453)
    if k < -bits - 2:
        return 0
    guard = bits + 40
    x = (d.numerator << guard) // d.denominator - k * _ln2_fixed(guard)  # |x| <~ 0.35
    x = _quo(x, 1 << 8)  # e^x = (e^(x/256))^256: a shorter series, then 8 squarings
    term, total, n = 1 << guard, 1 << guard, 1
    while term:
        term = _quo(_quo(term * x, 1 << guard), n)
        total += term
        n += 1
    for _ in range(8):
        total = total * total >> guard
    total = total << k if k >= 0 else total >> -k
    return total >> 40


def _log_fixed(x: Fraction, bits: int) -> Fraction:
    """``log x`` for a positive rational, to about ``2**-bits`` absolute: ``log1p`` by its
    series when ``x`` is within ``2**-8`` of 1, else ``e ln 2 + 2 atanh((f-1)/(f+1))``."""
    guard = bits + 16
    if abs(x - 1) < Fraction(1, 256):
        z, sign = x - 1, 1
        e, f_term = 0, _quo(z.numerator << guard, z.denominator)
        zf = f_term
        total, n, term = 0, 1, zf
        while term:
            total += sign * _quo(term, n)
            term = _quo(term * zf, 1 << guard)
            n += 1
            sign = -sign
        return Fraction(total, 1 << guard)
    e = x.numerator.bit_length() - x.denominator.bit_length()
    z = (x / Fraction(2) ** e - 1) / (x / Fraction(2) ** e + 1)  # x / 2**e in [1/2, 2]
    zf = _quo(z.numerator << guard, z.denominator)
    z2, term, total, n = _quo(zf * zf, 1 << guard), zf, zf, 1
    while term:
        term = _quo(term * z2, 1 << guard)
        n += 2
        total += _quo(term, n)
    return Fraction(e * _ln2_fixed(guard) + 2 * total, 1 << guard)


def lse_exact(a: np.ndarray, w: np.ndarray | None, r: float = 0.0) -> tuple[float, float]:
    """``(log|Σ w_i e^{a_i}|, sign)`` of one row in binary fixed point with Python integers.

    ``Σ w_i e^{a_i - r}`` is formed to ``2**-bits`` (``r``: an estimate of the result, so the
    sum is near 1), its log by a series, and ``bits`` doubled until the result is settled to
    well within half an ulp; the float is the correctly rounded value of that rational.

    Example:
        >>> lse_exact(np.log(np.array([0.25, 0.75])), None)[1]
        1.0
    """
    w = np.ones_like(a) if w is None else w
    keep = np.isfinite(a) & (w != 0)
    a, w = a[keep], w[keep]
    if a.size == 0:
        return float("-inf"), 0.0
    shift = Fraction(float(r)) if np.isfinite(r) and r < np.max(a) + 700 else Fraction(
        float(np.max(a)))
    ratios = [float(wi).as_integer_ratio() for wi in w]  # dyadic: denominators 2**e
    den = max(q for _, q in ratios)
    weights = [p * (den // q) for p, q in ratios]  # w_i = weights[i] / den, integers
    args = [Fraction(float(ai)) - shift for ai in a]
    bits = 160
    while True:
        terms = [wi * _exp_fixed(d, bits) for wi, d in zip(weights, args)]
        total = sum(terms)
        if total == 0:
            return float("-inf"), 0.0
        value = shift + _log_fixed(Fraction(abs(total), den << bits), bits)
        scale = sum(abs(t) for t in terms) / abs(total)  # the sum's condition number
        if abs(float(value)) > scale * 2.0 ** (80 - bits) or bits > 4096:
            return float(value), (1.0 if total > 0 else -1.0)
        bits *= 2
