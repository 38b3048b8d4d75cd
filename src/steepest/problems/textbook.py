"""The textbooks' example functions, with exact derivatives (for plots, tests and the tour).

* :func:`notebook_polynomial` — the degree-10 polynomial of the Goodfellow ch. 4 notebook
  (``np.poly1d([2, -4, -28, 62, 122, -256, -196, 140, 392, 240, 72])``) with several local
  minima and maxima;
* :func:`saddle` — x² − y², the saddle of figure 4.5;
* :func:`peaks` — the MATLAB *peaks* surface of Liquet et al. figure 4.1 (b) (minima, maxima and
  saddles);
* :func:`overshoot_cost` and :func:`oscillation_cost` — Liquet et al. eq. 4.52 and the
  oscillation example of §4.6 for Newton's method in one dimension.

The functions are plain NumPy (differentiable by :mod:`steepest.autodiff`); the ``*_grad`` and
``*_hess`` companions are exact closed forms. The peaks derivatives are generated symbolically
from its form Σ P_i(x, y) exp(Q_i(x, y)) (polynomial times exponential of a quadratic):
∂(P e^Q) = (∂P + P ∂Q) e^Q, so every derivative is again such a sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.polynomial import polynomial as P2

__all__ = [
    "NOTEBOOK_COEFFS",
    "notebook_polynomial",
    "notebook_polynomial_grad",
    "notebook_polynomial_hess",
    "saddle",
    "saddle_grad",
    "saddle_hess",
    "peaks",
    "peaks_grad",
    "peaks_hess",
    "overshoot_cost",
    "overshoot_cost_derivatives",
    "oscillation_cost",
    "oscillation_cost_derivatives",
]

NOTEBOOK_COEFFS = (2.0, -4.0, -28.0, 62.0, 122.0, -256.0, -196.0, 140.0, 392.0, 240.0, 72.0)
"""Coefficients of the notebook polynomial, highest degree first (``numpy.poly1d`` order)."""


def _horner(coeffs: tuple[float, ...] | np.ndarray, t: Any) -> Any:
    acc = 0.0 * t + coeffs[0]
    for c in coeffs[1:]:
        acc = acc * t + c
    return acc


def notebook_polynomial(x: Any) -> Any:
    """The degree-10 polynomial of the notebook: at x[0] for a length-1 vector, else elementwise.

    Example:
        >>> float(notebook_polynomial(0.0))
        72.0
    """
    t = x[0] if np.ndim(x) == 1 and np.size(x) == 1 else x
    return _horner(NOTEBOOK_COEFFS, t)


def notebook_polynomial_grad(x: Any) -> np.ndarray:
    """Exact gradient of :func:`notebook_polynomial` as a length-1 vector."""
    t = float(np.asarray(x, dtype=float).ravel()[0])
    return np.array([np.polyval(np.polyder(NOTEBOOK_COEFFS), t)])


def notebook_polynomial_hess(x: Any) -> np.ndarray:
    """Exact 1 x 1 Hessian of :func:`notebook_polynomial`."""
    t = float(np.asarray(x, dtype=float).ravel()[0])
    return np.array([[np.polyval(np.polyder(NOTEBOOK_COEFFS, 2), t)]])


def saddle(x: Any) -> Any:
    """x² − y²: a saddle point at the origin (Goodfellow et al. figure 4.5)."""
    return x[0] ** 2 - x[1] ** 2


def saddle_grad(x: Any) -> np.ndarray:
    """Exact gradient (2x, −2y) of :func:`saddle`."""
    x = np.asarray(x, dtype=float)
    return np.array([2.0 * x[0], -2.0 * x[1]])


def saddle_hess(x: Any) -> np.ndarray:
    """Exact Hessian diag(2, −2) of :func:`saddle`."""
    return np.diag([2.0, -2.0])


def peaks(x: Any) -> Any:
    """MATLAB's peaks surface, f(x, y) on a length-2 vector (works elementwise on grids).

    .. math:: 3(1-x)^2 e^{-x^2-(y+1)^2} - 10(x/5 - x^3 - y^5) e^{-x^2-y^2}
              - \\tfrac13 e^{-(x+1)^2-y^2}

    Args:
        x: A point ``(x, y)``, or two grids stacked on the first axis.

    Returns:
        ``f(x, y)``, a scalar or a grid.

    Reference: MATLAB ``peaks`` (The MathWorks); Liquet et al. figure 4.1 (b).

    Example:
        >>> round(float(peaks([0.0, 0.0])), 6)
        0.981012
    """
    u, v = x[0], x[1]
    return (3.0 * (1.0 - u) ** 2 * np.exp(-(u**2) - (v + 1.0) ** 2)
            - 10.0 * (u / 5.0 - u**3 - v**5) * np.exp(-(u**2) - v**2)
            - np.exp(-((u + 1.0) ** 2) - v**2) / 3.0)


@dataclass(frozen=True)
class _PolyExp:
    """P(x, y) · exp(Q(x, y)) with 2-D power-basis coefficients ``c[i, j]`` of xⁱ yʲ."""

    p: np.ndarray
    q: np.ndarray

    def d(self, axis: int) -> _PolyExp:
        dp = P2.polyder(self.p, axis=axis)
        dq = P2.polyder(self.q, axis=axis)
        return _PolyExp(_add(dp, _polymul2d(self.p, dq)), self.q)

    def __call__(self, u: Any, v: Any) -> Any:
        return P2.polyval2d(u, v, self.p) * np.exp(P2.polyval2d(u, v, self.q))


def _polymul2d(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Coefficients of the product of two 2-D power-basis polynomials (a full 2-D convolution).

    ``(Σ a_ij xⁱ yʲ)(Σ b_kl xᵏ yˡ) = Σ a_ij b_kl x^(i+k) y^(j+l)``: each nonzero ``b_kl`` adds
    a shifted copy of ``a``.

    Example:
        >>> _polymul2d(np.array([[1.0, 1.0]]), np.array([[1.0], [1.0]])).tolist()  # (1+y)(1+x)
        [[1.0, 1.0], [1.0, 1.0]]
    """
    out = np.zeros((a.shape[0] + b.shape[0] - 1, a.shape[1] + b.shape[1] - 1))
    for (k, l), coeff in np.ndenumerate(b):
        if coeff:
            out[k : k + a.shape[0], l : l + a.shape[1]] += coeff * a
    return out


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros((max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])))
    out[: a.shape[0], : a.shape[1]] += a
    out[: b.shape[0], : b.shape[1]] += b
    return out


def _coeffs(terms: dict[tuple[int, int], float]) -> np.ndarray:
    c = np.zeros((6, 6))
    for (i, j), val in terms.items():
        c[i, j] = val
    return c


_PEAKS = (
    _PolyExp(_coeffs({(0, 0): 3.0, (1, 0): -6.0, (2, 0): 3.0}),
             _coeffs({(0, 0): -1.0, (0, 1): -2.0, (2, 0): -1.0, (0, 2): -1.0})),
    _PolyExp(_coeffs({(1, 0): -2.0, (3, 0): 10.0, (0, 5): 10.0}),
             _coeffs({(2, 0): -1.0, (0, 2): -1.0})),
    _PolyExp(_coeffs({(0, 0): -1.0 / 3.0}),
             _coeffs({(0, 0): -1.0, (1, 0): -2.0, (2, 0): -1.0, (0, 2): -1.0})),
)
_PEAKS_D = tuple(tuple(t.d(a) for t in _PEAKS) for a in (0, 1))
_PEAKS_DD = tuple(tuple(tuple(t.d(a).d(b) for t in _PEAKS) for b in (0, 1)) for a in (0, 1))


def peaks_grad(x: Any) -> np.ndarray:
    """Exact gradient of :func:`peaks`; x has shape ``(2, ...)`` (a point or two grids).

    Each term ``P e^Q`` of peaks differentiates to ``(∂P + P ∂Q) e^Q``, again a polynomial
    times the same exponential; the coefficients are computed once, at import.

    Args:
        x: A point ``(x, y)`` or two stacked grids, shape ``(2, ...)``.

    Returns:
        The gradient, shape ``(2, ...)``.

    Example:
        >>> from steepest.problems import peaks as peaks_problem
        >>> bool(abs(peaks_grad(peaks_problem().x_star)).max() < 1e-8)
        True
    """
    u, v = np.asarray(x, dtype=float)
    return np.array([sum(t(u, v) for t in terms) for terms in _PEAKS_D])


def peaks_hess(x: Any) -> np.ndarray:
    """Exact Hessian of :func:`peaks`, shape ``(2, 2, ...)`` for x of shape ``(2, ...)``.

    Args:
        x: A point ``(x, y)`` or two stacked grids, shape ``(2, ...)``.

    Returns:
        The symmetric Hessian, shape ``(2, 2, ...)``.

    Example:
        >>> peaks_hess([0.0, 0.0]).shape
        (2, 2)
    """
    u, v = np.asarray(x, dtype=float)
    H = np.array([[sum(t(u, v) for t in _PEAKS_DD[a][b]) for b in (0, 1)] for a in (0, 1)])
    return 0.5 * (H + np.swapaxes(H, 0, 1))


def overshoot_cost(theta: Any) -> Any:
    """C(θ) = (θ − 3)²(θ + 3), Liquet et al. eq. 4.52: Newton from 1.5 overshoots to 5.25."""
    return (theta - 3.0) ** 2 * (theta + 3.0)


def overshoot_cost_derivatives(theta: float) -> tuple[float, float]:
    """(C′(θ), C″(θ)) = (3(θ − 3)(θ + 1), 6(θ − 1)) for :func:`overshoot_cost`."""
    return 3.0 * (theta - 3.0) * (theta + 1.0), 6.0 * (theta - 1.0)


def oscillation_cost(theta: Any) -> Any:
    """C(θ) = −θ⁴/4 + 5θ²/2 (Liquet et al. §4.6): Newton from θ = 1 cycles 1, −1, 1, ..."""
    return -(theta**4) / 4.0 + 5.0 * theta**2 / 2.0


def oscillation_cost_derivatives(theta: float) -> tuple[float, float]:
    """(C′(θ), C″(θ)) = (−θ³ + 5θ, −3θ² + 5) for :func:`oscillation_cost`."""
    return -(theta**3) + 5.0 * theta, -3.0 * theta**2 + 5.0
