"""Moré–Garbow–Hillstrom problem 35: Chebyquad, a Chebyshev quadrature design problem.

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh.factory` for conventions and the reference.
"""

from __future__ import annotations

import numpy as np

from ..base import Array, Problem, VectorFn
from .factory import check_m, check_n, mgh_lsq

__all__ = ["mgh35"]


# 35. Chebyquad ------------------------------------------------------------------------------
def _chebyquad(n: int, m: int) -> tuple[VectorFn, VectorFn]:
    i = np.arange(1.0, m + 1.0)
    even = i % 2 == 0
    c = np.where(even, -1.0 / np.where(even, i * i - 1.0, 1.0), 0.0)  # int_0^1 T_i*(u) du

    def r(x: Array) -> Array:
        y = 2.0 * x - 1.0
        prev, cur, rows = np.ones_like(y), y, [y]
        for _ in range(m - 1):
            prev, cur = cur, 2.0 * y * cur - prev
            rows.append(cur)
        return np.mean(np.stack(rows), axis=1) - c

    def J(x: Array) -> Array:
        y = 2.0 * x - 1.0
        t_prev, t_cur = np.ones_like(y), y
        d_prev, d_cur = np.zeros_like(y), np.ones_like(y)
        rows = [d_cur]
        for _ in range(m - 1):
            d_prev, d_cur = d_cur, 2.0 * t_cur + 2.0 * y * d_cur - d_prev
            t_prev, t_cur = t_cur, 2.0 * y * t_cur - t_prev
            rows.append(d_cur)
        return (2.0 / n) * np.stack(rows)

    return r, J


def _chebyquad_fstar(n: int, m: int) -> float | None:
    if m != n:
        return None
    if n <= 7 or n == 9:
        return 0.0
    return {8: 3.51687e-3, 10: 6.50395e-3}.get(n)


def mgh35(n: int = 8, m: int | None = None) -> Problem:
    """MGH 35, Chebyquad (m >= n, default m = n); f* = 0 for m = n <= 7 and n = 9,
    3.51687e-3 for m = n = 8, 6.50395e-3 for m = n = 10."""
    n = check_n(n, 1, "Chebyquad")
    m = n if m is None else check_m(n, m, "Chebyquad")
    r, J = _chebyquad(n, m)
    x0 = np.arange(1.0, n + 1.0) / (n + 1.0)
    return mgh_lsq(35, "chebyquad", x0, r, J, f_star=_chebyquad_fstar(n, m),
                   title="Chebyquad",
                   notes="f* published for m = n <= 10.")  # fmt: skip
