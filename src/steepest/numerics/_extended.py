r"""Extended precision for the rows of a log-sum-exp that cancel: EFTs and a triple-double exp.

When ``lse = m + log S`` nearly cancels (``|lse| ≪ |m|``, e.g. ``a = log p`` for probabilities
``p``), the rounding of ``exp`` and ``log`` in double precision is amplified by the condition
number :math:`\kappa \approx |m| / |\mathrm{lse}|`, up to :math:`2^{53}` and beyond. Such rows
are repaired here without leaving NumPy's float64: with a first estimate ``r`` of the result,

.. math:: \mathrm{lse} = r + \log T, \qquad T = \sum_i b_i e^{a_i - r} \approx 1,

where every ``a_i - r`` is split exactly (TwoSum) and every :math:`e^{a_i - r}` is evaluated as a
*triple-double* (three non-overlapping float64 limbs, about 125 correct bits) by
:func:`exp_parts`; :math:`T - 1 = \delta` is then exact in its leading limb (Sterbenz) and
:math:`\log T = \delta - \delta^2/2 + \delta^3/3` to far below an ulp of the result. Rows too
ill-conditioned even for that (``|lse|`` below about :math:`2^{-66}\,\sum_i |b_i e^{a_i-r}|`)
are finished in exact binary fixed point with Python integers
(:func:`~._lse_exact.lse_exact`), which is only ever a handful of rows. Mildly cancelling rows
(condition number up to :math:`2^{24}`) take a cheaper double-double path (:func:`exp_dd`).

The building blocks are the classic error-free transformations, all vectorised and FMA-free:
TwoSum (Knuth), Fast2Sum (Dekker, for ``|a| ≥ |b|``), Dekker's splitting and TwoProd.

References:
    D. E. Knuth, *TAOCP* vol. 2, §4.2.2 (TwoSum); T. J. Dekker, "A floating-point technique
    for extending the available precision", Numer. Math. 18 (1971) (Fast2Sum, split, TwoProd);
    Y. Hida, X. S. Li & D. H. Bailey, "Algorithms for quad-double precision floating point
    arithmetic", ARITH-15 (2001) (renormalisation, table-driven exp).
"""

from __future__ import annotations

import decimal
import functools
from fractions import Fraction

import numpy as np

from ._lse_exact import lse_exact
from .eft import fast_two_sum, split, two_prod, two_sum

_TABLE_STEP = 1024  # exp(j / 1024) for |j| <= 356, so the reduced argument is <= 2**-11
_TABLE_HALF = 356
_CHUNK = 1 << 14  # entries repaired per pass


def renorm3(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three limbs ``(x1, x2, x3)`` whose sum is that of ``parts`` (largest first, roughly)
    to about :math:`2^{-159}` relative: two distillation passes of TwoSum, then a plain sum."""
    out = []
    for _ in range(2):
        s, errs = parts[-1], []
        for c in reversed(parts[:-1]):
            s, e = two_sum(c, s)
            errs.append(e)
        out.append(s)
        parts = errs[::-1]
    rest = parts[0] if parts else np.zeros_like(out[0])
    for c in parts[1:]:
        rest = rest + c
    return out[0], out[1], rest


def _split_prod(a: tuple[np.ndarray, np.ndarray, np.ndarray], b: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """TwoProd of ``a`` (given with its split ``(a, hi, lo)``) and ``b``."""
    p = a[0] * b
    bh, bl = split(b)
    return p, ((a[1] * bh - p) + a[1] * bl + a[2] * bh) + a[2] * bl


def _times_x(x1s, x2: np.ndarray, a: tuple[np.ndarray, np.ndarray]
             ) -> tuple[np.ndarray, np.ndarray]:
    """``(x1 + x2)·(a1 + a2)`` as a double-double (``x1s`` is ``x1`` with its split)."""
    p, e = _split_prod(x1s, a[0])
    return fast_two_sum(p, e + (x1s[0] * a[1] + x2 * a[0]))


def _plus(c: tuple[float, float], a: tuple[np.ndarray, np.ndarray]
          ) -> tuple[np.ndarray, np.ndarray]:
    """A positive double-double constant ``c`` plus a smaller ``a`` (no cancellation)."""
    s, e = fast_two_sum(c[0], a[0])
    return fast_two_sum(s, e + (a[1] + c[1]))


def _limbs(x: Fraction, count: int = 3) -> list[float]:
    """``count`` float64 limbs of the exact rational ``x`` (each the rounding of the rest)."""
    out = []
    for _ in range(count):
        limb = float(x)
        out.append(limb)
        x -= Fraction(limb)
    return out


def _chopped(x: Fraction, bits: int) -> float:
    """``x`` rounded to ``bits`` significant bits (so that small integer multiples are exact)."""
    e = x.numerator.bit_length() - x.denominator.bit_length()
    scale = Fraction(2) ** (bits - e)
    return float(Fraction(round(x * scale)) / scale)


@functools.cache
def _constants() -> dict[str, np.ndarray | float | tuple]:
    """ln 2 in three parts (40 + 40 + 53 bits) and ``exp(j/1024)`` as triple-doubles."""
    ctx = decimal.Context(prec=60)
    ln2 = Fraction(ctx.ln(decimal.Decimal(2)))
    l1 = _chopped(ln2, 40)
    l2 = _chopped(ln2 - Fraction(l1), 40)
    l3 = float(ln2 - Fraction(l1) - Fraction(l2))
    js = range(-_TABLE_HALF, _TABLE_HALF + 1)
    table = np.array([_limbs(Fraction(ctx.exp(decimal.Decimal(j) / _TABLE_STEP))) for j in js])
    l3_hi = _chopped(Fraction(l3), 26)
    return {"l1": l1, "l2": l2, "l3": (l3_hi, l3 - l3_hi), "inv_ln2": float(1 / ln2),
            "table": table.T.copy(),
            **{f"c{k}": tuple(_limbs(Fraction(1, k), 2)) for k in (6, 24, 120)}}


def _reduce(d1: np.ndarray, d2: np.ndarray) -> tuple[np.ndarray, ...]:
    """``d1 + d2 = k ln 2 + j/1024 + (x1 + x2 + x3)`` with ``|x| <= 2**-11``: ``(k, j, x...)``.

    ``k l1`` and ``k l2`` are exact (40-bit parts of ln 2, ``|k| < 2**11``), ``d1 - k l1`` and
    then ``- j/1024`` are exact (Sterbenz), and ``k l3`` is split in two exact products.
    """
    c = _constants()
    k = np.rint(d1 * c["inv_ln2"])
    x1 = d1 - k * c["l1"]
    j = np.rint(x1 * _TABLE_STEP)
    x1 -= j * (1.0 / _TABLE_STEP)
    u1, u2 = two_sum(-k * c["l2"], d2)
    u2 -= k * c["l3"][0]
    u2 -= k * c["l3"][1]
    x1, v = two_sum(x1, u1)
    return (k, j, x1, *fast_two_sum(v, u2))


def _expm1_small(x1: np.ndarray, x2: np.ndarray) -> tuple[list[np.ndarray], tuple]:
    """``e^x - 1 = x + x² R(x)`` for ``|x| <= 2**-11``: ``x² R`` as a double-double (to about
    ``2**-128`` absolute: Horner in double-double for the terms above ``2**-75``, double
    below), and ``x1`` with its split for the products that follow."""
    c = _constants()
    x1s = (x1, *split(x1))
    q = 1 / 720 + x1 * (1 / 5040 + x1 * (1 / 40320 + x1 / 362880))
    a = fast_two_sum(c["c120"][0], x1 * q)
    a = (a[0], a[1] + c["c120"][1])
    for key in ("c24", "c6"):
        a = _plus(c[key], _times_x(x1s, x2, a))
    r = _plus((0.5, 0.0), _times_x(x1s, x2, a))
    sq = fast_two_sum(*_split_prod(x1s, x1))
    sq = (sq[0], sq[1] + 2.0 * x1 * x2)
    p, e = two_prod(sq[0], r[0])
    return fast_two_sum(p, e + (sq[0] * r[1] + sq[1] * r[0])), x1s


def exp_parts(d1: np.ndarray, d2: np.ndarray, shift: np.ndarray | None = None
              ) -> list[np.ndarray]:
    r"""``e^{d1 + d2}`` as an unevaluated sum of float64 parts, to about ``2^{-125}`` relative.

    ``d = k ln 2 + j/1024 + x`` with ``|x| <= 2^{-11}`` (:func:`_reduce`); ``e^d = 2^k T_j e^x``
    with ``T_j`` tabulated in three limbs and ``e^x - 1`` from a degree-9 Taylor polynomial
    (:func:`_expm1_small`); the products with ``T_j`` are TwoProds where they must be exact.
    Summing the parts (e.g. with :func:`row_sum_td`) gives the value.

    Args:
        d1, d2: the argument as an unevaluated sum (``|d2| <= ulp(d1)``), finite,
            ``|d| < 1400``.
        shift: optional integers ``s``: the parts then sum to ``2^s e^d`` (no intermediate
            underflow when ``e^d`` is tiny and ``2^s`` large).

    Returns:
        Twelve arrays of the shape of ``d1``, largest first (roughly), summing to ``e^d``.

    Example:
        >>> e1, e2, e3 = renorm3(exp_parts(np.array([1.0]), np.array([0.0])))
        >>> bool(e1[0] == 2.718281828459045), bool(abs(e2[0]) <= 2.0**-52)
        (True, True)
    """
    c = _constants()
    k, j, x1, x2, x3 = _reduce(d1, d2)
    (p1, p2), x1s = _expm1_small(x1, x2)
    if shift is not None:
        k = k + shift
    kk = np.maximum(k, -960.0)  # 2**k T_j stays normal; the rest of the scale comes last
    t1, t2, t3 = (np.ldexp(t, kk.astype(np.int64))
                  for t in c["table"][:, (j + _TABLE_HALF).astype(np.intp)])
    t1s = (t1, *split(t1))
    h1, l1 = _split_prod(t1s, x1)
    h2, l2 = _split_prod(t1s, p1)
    h3, l3 = _split_prod(t1s, x2)
    h4, l4 = _split_prod((t2, *split(t2)), x1)
    small = t1 * (p2 + x3) + t2 * (p1 + x2) + t3 * x1
    parts = [t1, h1, h2, t2, l1, l2, h3, h4, l3, l4, t3, small]
    if (k < kk).any():  # below e^-665: scale the parts themselves
        rest = (k - kk).astype(np.int64)
        parts = [np.ldexp(part, rest) for part in parts]
    return parts


def exp_dd(d1: np.ndarray, d2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""``e^{d1 + d2}`` as two limbs ``(lead, rest)``, to about ``2^{-85}`` relative: the cheap
    sibling of :func:`exp_parts` for sums that cancel mildly (condition number up to
    ``2^{24}``), with the same reduction and table but the polynomial in double beyond
    ``x²/2`` and only the products that must be exact as TwoProds.

    Example:
        >>> lead, rest = exp_dd(np.array([1.0]), np.array([0.0]))
        >>> float(lead[0] + rest[0])
        2.718281828459045
    """
    c = _constants()
    k = np.rint(d1 * c["inv_ln2"])
    x1 = d1 - k * c["l1"]
    j = np.rint(x1 * _TABLE_STEP)
    x1 -= j * (1.0 / _TABLE_STEP)  # exact, as in _reduce
    x1, x2 = two_sum(x1, (d2 - k * c["l2"]) - k * c["l3"][0])
    x1s = (x1, *split(x1))
    sq_h, sq_l = _split_prod(x1s, x1)
    cube = x1 * sq_h * (1 / 6 + x1 * (1 / 24 + x1 * (1 / 120 + x1 * (1 / 720))))
    t1, t2 = (np.ldexp(t, k.astype(np.int64)) for t in
              c["table"][:2, (j + _TABLE_HALF).astype(np.intp)])
    t1s = (t1, *split(t1))
    h1, l1 = _split_prod(t1s, x1)
    h2, l2 = _split_prod(t1s, 0.5 * sq_h)
    lead, b = fast_two_sum(t1, h1)
    lead, c2 = fast_two_sum(lead, h2)
    rest = (t1 * (x2 * (1.0 + x1) + 0.5 * sq_l + cube) + t2 * (x1 + 0.5 * sq_h) + (l1 + l2)
            + t2 + (b + c2))
    return lead, rest


def _repair_dd(a: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``r + log Σ_i e^{a_i - r}`` over axis 0 of ``a`` ``(n, R)`` in double-double, and
    whether each result is settled (error bound well below an ulp)."""
    d1, d2 = two_sum(a, -r)
    dead = ~(d1 > -700.0)  # below e^-700: contributes nothing at this precision
    d1, d2 = np.where(dead, -700.0, np.minimum(d1, 700.0)), np.where(dead, 0.0, d2)
    lead, rest = exp_dd(d1, d2)
    s1, e1 = _distill_axis0(lead)
    t1, t2 = fast_two_sum(s1, rest.sum(axis=0) + e1.sum(axis=0))
    de1, de2 = two_sum(t1 - 1.0, t2)  # t1 - 1 is exact for t1 in [1/2, 2]
    s, e = two_sum(r, de1)
    out = s + (e + (de2 - 0.5 * de1 * de1 + de1 * de1 * de1 / 3.0))
    weight = lead.sum(axis=0)
    ok = (np.abs(de1) < 2.0**-30) & (weight * 2.0**-80 < np.abs(out) * 2.0**-55)
    return out, ok & np.isfinite(out)


def _distill(x: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Pairwise TwoSum of the arrays ``x``: their sum (rounded) and every rounding error."""
    errs = []
    while len(x) > 1:
        sums = []
        for u, v in zip(x[::2], x[1::2]):
            s, e = two_sum(u, v)
            sums.append(s)
            errs.append(e)
        x = sums + x[len(sums) * 2 :]
    return x[0], errs


def _limbs3(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The twelve parts of :func:`exp_parts` as three (overlapping) limbs of about ``1``,
    ``2**-53`` and ``2**-106``, their sum exact to about ``2**-130`` relative."""
    t1, h1, h2, t2, l1, l2, h3, h4, l3, l4, t3, small = parts
    a, b = fast_two_sum(t1, h1)
    a, c = fast_two_sum(a, h2)
    mid, errs = _distill([b, c, t2, l1, l2, h3, h4])
    low = l3 + l4 + t3 + small
    for e in errs:
        low += e
    return a, mid, low


def _distill_axis0(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise TwoSum along axis 0 of ``x`` (``log2`` of its length in whole-array steps):
    the sum (rounded) and every rounding error, stacked."""
    errs = [np.zeros_like(x[:1])]
    while x.shape[0] > 1:
        h = x.shape[0] // 2
        s, e = two_sum(x[:h], x[h : 2 * h])
        errs.append(e)
        x = np.concatenate([s, x[2 * h :]]) if x.shape[0] % 2 else s
    return x[0], np.concatenate(errs)


def _sum_rows(limbs: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Triple-double sums over axis 0 of three limb arrays ``(n, R)`` (leading, middle, low)."""
    s1, e1 = _distill_axis0(limbs[0])
    s2, e2 = _distill_axis0(np.concatenate([limbs[1], e1]))
    return renorm3([s1, s2, limbs[2].sum(axis=0) + e2.sum(axis=0)])


def _scaled_terms(a: np.ndarray, w: np.ndarray | None,
                  r: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """``w_i e^{a_i - r}`` for ``a`` and ``w`` of shape ``(n, R)`` as three limbs (``a = -inf``
    gives 0), and ``Σ_i |w_i e^{a_i - r}|`` per row."""
    d1, d2 = two_sum(a, -r)
    dead = ~(d1 > -1300.0)  # -inf, nan, or below e^-1300: contributes nothing
    if dead.any() or (d1 > 1000.0).any():  # (rows with e^1000 go to lse_exact)
        d1, d2 = np.where(dead, -1300.0, np.minimum(d1, 1000.0)), np.where(dead, 0.0, d2)
    if w is None:
        limbs = _limbs3(exp_parts(d1, d2))
        return limbs, limbs[0].sum(axis=0)
    mant, expo = np.frexp(np.where(dead, 0.0, w))
    e1, e2, e3 = _limbs3(exp_parts(d1, d2, expo))
    p1, q1 = two_prod(mant, e1)
    p2, q2 = two_prod(mant, e2)
    m, err = two_sum(q1, p2)
    return (p1, m, err + q2 + mant * e3), np.abs(p1).sum(axis=0)


def _log_ratio(a, w, r):
    """``(log T as a double-double, T's leading limb, Σ|terms|)`` for
    ``T = Σ_i w_i e^{a_i - r}`` over axis 0 of ``a`` and ``w`` (``(n, R)``)."""
    limbs, weight = _scaled_terms(a, w, r)
    t1, t2, t3 = _sum_rows(limbs)
    d1, d2, _ = renorm3([t1 - 1.0, t2, t3])  # t1 - 1 is exact for t1 in [1/2, 2]
    return d1, d2 - 0.5 * d1 * d1 + d1 * d1 * d1 / 3.0, t1, weight


def lse_repair(a: np.ndarray, w: np.ndarray | None, r: np.ndarray,
               sgn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Refine the log-sum-exp estimates ``r`` of the rows of ``a`` (weights ``w``, signs ``sgn``).

    ``lse = r + log T`` with ``T = Σ sgn·w_i e^{a_i - r}``: in double-double (:func:`exp_dd`)
    for mildly cancelling rows without weights, else (or when that is not settled) in
    triple-double (:func:`exp_parts`); a row whose first ``T`` is far from 1 (a poor estimate)
    gets a second pass, and a row too ill-conditioned for triple-double is computed exactly
    (:func:`lse_exact`).

    Args:
        a: rows ``(R, n)``, ``-inf`` where an entry has no weight.
        w: weights of the same shape, or None.
        r: finite estimates ``(R,)`` of ``log|Σ w e^a|``.
        sgn: the sign of each sum (±1).

    Returns:
        ``(lse, sign)`` per row, within an ulp of the exact value.

    Example:
        >>> a = np.log(np.array([[0.1, 0.2, 0.7]]))  # lse is the rounding residue of the logs
        >>> lse, _ = lse_repair(a, None, np.array([1e-16]), np.array([1.0]))
        >>> bool(lse[0] == lse_exact(a[0], None)[0]), bool(abs(lse[0]) < 1e-15)
        (True, True)
    """
    step = max(1, _CHUNK // max(a.shape[1], 1))
    if a.shape[0] > step:  # bounded temporaries (and cache-sized passes) for big batches
        pieces = [lse_repair(a[i : i + step], None if w is None else w[i : i + step],
                             r[i : i + step], sgn[i : i + step])
                  for i in range(0, a.shape[0], step)]
        return np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces])
    a = np.ascontiguousarray(a.T)  # (n, R): the sums over a row run over contiguous blocks
    if w is None:  # mild cancellation (κ <= 2**24): double-double is enough, and cheaper
        mild = (np.abs(r) >= 2.0**-20) & (np.abs(r) >= 2.0**-24 * np.abs(np.max(a, axis=0)))
        if mild.any():
            out_dd, ok = _repair_dd(a[:, mild], r[mild])
            out = r.copy()
            out[mild] = out_dd
            done = np.zeros_like(mild)
            done[mild] = ok
            if done.all():
                return out, sgn
            rest = ~done
            out[rest], sgn_rest = _repair_td(a[:, rest], None, r[rest], sgn[rest], None)
            sgn = sgn.copy()
            sgn[rest] = sgn_rest
            return out, sgn
    return _repair_td(a, w, r, sgn, w)


def _repair_td(a: np.ndarray, w: np.ndarray | None, r: np.ndarray, sgn: np.ndarray,
               w_rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The triple-double repair of :func:`lse_repair` on ``a`` ``(n, R)`` (``w_rows``: the
    weights as rows, for the exact tier)."""
    ws = None if w is None else np.ascontiguousarray((w * sgn[:, None]).T)
    huge = np.max(a, axis=0) - r > 1000.0  # e^(a - r) would overflow: not a repair's job
    r = np.where(huge, 0.0, r)
    for _ in range(2):
        d1, d2, t1, weight = _log_ratio(a, ws, r)
        far = np.abs(d1) > 2.0**-40  # then log1p(δ) needs more than three terms: redo
        if not far.any():
            break
        r = np.where(far & (t1 > 0), r + np.log1p(np.where(far, d1, 0.0)), r)
    s, e = two_sum(r, d1)
    out = s + (e + d2)
    exact = far | huge | (weight * 2.0**-121 > np.abs(out) * 2.0**-55) | ~np.isfinite(out)
    sgn = sgn.copy()
    for i in np.flatnonzero(exact):
        out[i], sgn[i] = lse_exact(a[:, i], None if w_rows is None else w_rows[i], out[i])
    return out, sgn
