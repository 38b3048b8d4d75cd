"""High-precision mpmath references for the stable functions (used by tests and benchmarks).

Each reference evaluates the textbook formula in 320-bit arithmetic (mpmath's exponent range
is unbounded, so nothing overflows) and rounds once to float64. mpmath is a ``dev`` extra:
it is imported lazily and is not needed to use steepest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

PREC_BITS = 320


def _mp() -> Any:
    import mpmath

    mpmath.mp.prec = PREC_BITS
    return mpmath


def _logit(mp: Any, p: Any) -> Any:
    if p < 0 or p > 1:
        return mp.nan
    if p == 0:
        return -mp.inf
    if p == 1:
        return mp.inf
    return mp.log(p / (1 - p))


def _log1mexp(mp: Any, x: Any) -> Any:
    if x > 0:
        return mp.nan
    if x == 0:
        return -mp.inf
    # Either form is exact in mpmath; this one needs no extra precision when exp(x) is tiny.
    return mp.log1p(-mp.exp(x)) if x < -1 else mp.log(-mp.expm1(x))


ELEMENTWISE: dict[str, Callable[[Any, Any], Any]] = {
    "sigmoid": lambda mp, x: 1 / (1 + mp.exp(-x)),
    "softplus": lambda mp, x: mp.log1p(mp.exp(x)) if x < mp.inf else mp.inf,
    "log_sigmoid": lambda mp, x: -mp.log1p(mp.exp(-x)) if x > -mp.inf else -mp.inf,
    "logit": _logit,
    "log1mexp": _log1mexp,
}


def elementwise(name: str, x: Any) -> np.ndarray:
    """Correctly rounded float64 values of the elementwise function ``name`` at ``x``."""
    mp = _mp()
    f = ELEMENTWISE[name]
    flat = np.asarray(x, dtype=np.float64).ravel()
    out = np.empty_like(flat)
    for i, v in enumerate(flat):
        out[i] = np.nan if np.isnan(v) else float(f(mp, mp.mpf(float(v))))
    return out.reshape(np.shape(x))


def _shifted(mp: Any, a: np.ndarray, b: np.ndarray | None) -> tuple[Any, Any, Any]:
    """``(m, w_m, rest)`` with ``sum(b exp(a)) = exp(m) (w_m + rest)``, ``m = max a``.

    Splitting off the largest terms keeps ``log(w_m + rest) = log(w_m) + log1p(rest/w_m)``
    free of cancellation at any precision, even when ``rest`` is ``exp(-10000)``.
    """
    weights = np.ones_like(a) if b is None else b
    m = mp.mpf(float(np.max(a)))
    top = [mp.mpf(float(w)) for v, w in zip(a, weights) if v == np.max(a)]
    rest = [mp.mpf(float(w)) * mp.exp(mp.mpf(float(v)) - m)
            for v, w in zip(a, weights) if v != np.max(a)]
    return m, mp.fsum(top), mp.fsum(rest)


def _log_total(mp: Any, w_m: Any, rest: Any) -> Any:
    return mp.log(w_m) + mp.log1p(rest / w_m)


def logsumexp(a: Any, b: Any = None) -> float:
    """``log(sum(b * exp(a)))`` of a finite 1-D vector with positive weights."""
    mp = _mp()
    a = np.asarray(a, dtype=np.float64)
    m, w_m, rest = _shifted(mp, a, None if b is None else np.asarray(b, dtype=np.float64))
    return float(m + _log_total(mp, w_m, rest))


def softmax(x: Any) -> np.ndarray:
    """Softmax of a finite 1-D vector."""
    mp = _mp()
    x = np.asarray(x, dtype=np.float64)
    m, w_m, rest = _shifted(mp, x, None)
    total = w_m + rest
    return np.array([float(mp.exp(mp.mpf(float(v)) - m) / total) for v in x])


def log_softmax(x: Any) -> np.ndarray:
    """Log-softmax of a finite 1-D vector."""
    mp = _mp()
    x = np.asarray(x, dtype=np.float64)
    m, w_m, rest = _shifted(mp, x, None)
    log_total = _log_total(mp, w_m, rest)
    return np.array([float((mp.mpf(float(v)) - m) - log_total) for v in x])
