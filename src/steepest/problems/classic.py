"""Classic two-dimensional and scalable test functions with known minima.

Rosenbrock (2-D, chained and separable n-D), quadratics with a chosen condition number,
Himmelblau, Beale and MATLAB's ``peaks``. All are vectorized NumPy, with analytic gradients
(and Hessians where they are short to write); see :class:`~steepest.problems.base.Problem`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import check_positive_int, check_seed
from .base import Array, Problem
from .mgh.small_systems import beale_residuals
from .textbook import peaks as _peaks  # the one definition of the surface
from .textbook import peaks_grad, peaks_hess

__all__ = ["rosenbrock", "quadratic", "himmelblau", "beale", "peaks"]

_ROSEN_REF = (
    "H. H. Rosenbrock, An automatic method for finding the greatest or least value of a "
    "function, Computer Journal 3 (1960) 175-184; Goodfellow et al. (2016) ch. 4; "
    "Liquet et al. ch. 4."
)


# ----------------------------------------------------------------------------- Rosenbrock
def _rosen_chained(x: Array) -> Any:
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def _rosen_chained_grad(x: Array) -> Array:
    x = np.asarray(x, dtype=float)
    t = x[1:] - x[:-1] ** 2
    g = np.zeros_like(x)
    g[:-1] = -400.0 * x[:-1] * t - 2.0 * (1.0 - x[:-1])
    g[1:] += 200.0 * t
    return g


def _rosen_chained_hess_bands(x: Array) -> tuple[Array, Array]:
    x = np.asarray(x, dtype=float)
    diag = np.zeros_like(x)
    diag[:-1] = 1200.0 * x[:-1] ** 2 - 400.0 * x[1:] + 2.0
    diag[1:] += 200.0
    off = -400.0 * x[:-1]
    return diag, off


def _rosen_chained_hess(x: Array) -> Array:
    diag, off = _rosen_chained_hess_bands(x)
    return np.diag(diag) + np.diag(off, 1) + np.diag(off, -1)


def _rosen_chained_hessp(x: Array, v: Array) -> Array:
    diag, off = _rosen_chained_hess_bands(x)
    v = np.asarray(v, dtype=float)
    hv = diag * v
    hv[:-1] += off * v[1:]
    hv[1:] += off * v[:-1]
    return hv


def _rosen_separable(x: Array) -> Any:
    xo, xe = x[0::2], x[1::2]
    return np.sum(100.0 * (xe - xo**2) ** 2 + (1.0 - xo) ** 2)


def _rosen_separable_grad(x: Array) -> Array:
    x = np.asarray(x, dtype=float)
    xo, xe = x[0::2], x[1::2]
    t = xe - xo**2
    g = np.empty_like(x)
    g[0::2] = -400.0 * xo * t - 2.0 * (1.0 - xo)
    g[1::2] = 200.0 * t
    return g


def _rosen_separable_blocks(x: Array) -> tuple[Array, Array, Array]:
    x = np.asarray(x, dtype=float)
    xo, xe = x[0::2], x[1::2]
    return 1200.0 * xo**2 - 400.0 * xe + 2.0, -400.0 * xo, np.full_like(xe, 200.0)


def _rosen_separable_hess(x: Array) -> Array:
    h11, h12, h22 = _rosen_separable_blocks(x)
    n = 2 * h11.size
    H = np.zeros((n, n))
    i = np.arange(0, n, 2)
    H[i, i], H[i + 1, i + 1] = h11, h22
    H[i, i + 1] = H[i + 1, i] = h12
    return H


def _rosen_separable_hessp(x: Array, v: Array) -> Array:
    h11, h12, h22 = _rosen_separable_blocks(x)
    v = np.asarray(v, dtype=float)
    hv = np.empty_like(v)
    hv[0::2] = h11 * v[0::2] + h12 * v[1::2]
    hv[1::2] = h12 * v[0::2] + h22 * v[1::2]
    return hv


_ROSEN_KINDS = {
    "chained": (_rosen_chained, _rosen_chained_grad, _rosen_chained_hess, _rosen_chained_hessp),
    "separable": (
        _rosen_separable,
        _rosen_separable_grad,
        _rosen_separable_hess,
        _rosen_separable_hessp,
    ),
}


def rosenbrock(n: int = 2, kind: str = "chained") -> Problem:
    """Rosenbrock's banana valley in ``n`` dimensions.

    .. math::

        \\text{chained:}\\quad f(x) = \\sum_{i=1}^{n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2

        \\text{separable:}\\quad f(x) = \\sum_{k=1}^{n/2} 100 (x_{2k} - x_{2k-1}^2)^2
        + (1 - x_{2k-1})^2

    Both have ``f* = 0`` at ``x* = (1, ..., 1)``; for ``n = 2`` they coincide (MGH problem 1).
    The start is ``(-1.2, 1, -1.2, 1, ...)``. For ``n >= 4`` the chained form also has a
    local minimum near ``(-1, 1, ..., 1)`` (``f ~ 3.70`` at ``n = 4``, ``~ 3.99`` at
    ``n = 9``). Analytic gradient, Hessian and Hessian-vector product are provided; gradient
    and ``hessp`` cost O(n), so ``n = 10**6`` is fine.

    Args:
        n: Number of variables (``>= 2``; even for ``kind="separable"``).
        kind: ``"chained"`` (generalized Rosenbrock) or ``"separable"`` (extended Rosenbrock).

    Returns:
        The :class:`Problem`.

    Example:
        >>> p = rosenbrock()
        >>> round(float(p.fun(p.x0)), 10), p.grad(p.x0).round(1).tolist()
        (24.2, [-215.6, -88.0])

    References: Rosenbrock (1960); Moré, Garbow & Hillstrom (1981) problems 1 and 21.
    """
    if kind not in _ROSEN_KINDS:
        raise ValueError(f"kind must be one of {sorted(_ROSEN_KINDS)}, got {kind!r}")
    n = check_positive_int(n, "n", minimum=2)
    if kind == "separable" and n % 2:
        raise ValueError(f"separable Rosenbrock needs an even n, got n={n}; use n={n + 1}")
    fun, grad, hess, hessp = _ROSEN_KINDS[kind]
    x0 = np.where(np.arange(n) % 2 == 0, -1.2, 1.0)
    notes = "Local minimum near (-1, 1, ..., 1) for n >= 4." if kind == "chained" else ""
    return Problem(
        name="rosenbrock" if n == 2 else f"rosenbrock_{kind}_{n}",
        n=n, x0=x0, fun=fun, grad=grad, hess=hess, hessp=hessp,
        f_star=0.0, x_star=np.ones(n), notes=notes,
        title="Rosenbrock" if n == 2 else f"Rosenbrock ({kind}, n={n})", reference=_ROSEN_REF,
    )  # fmt: skip


# ------------------------------------------------------------------------------ quadratic
def quadratic(n: int = 2, cond: float = 10.0, seed: int = 0, *, rotate: bool = True) -> Problem:
    """Strictly convex quadratic with a prescribed condition number and known minimizer.

    .. math::

        f(x) = \\tfrac12 (x - x^*)^\\top A (x - x^*)
             = \\tfrac12 x^\\top A x - b^\\top x + \\tfrac12 b^\\top x^*,\\qquad b = A x^*

    with ``A = Q diag(lambda) Q^T``, eigenvalues ``lambda`` spaced geometrically from 1 to
    ``cond`` (so ``kappa(A) = cond``) and ``Q`` a random orthogonal matrix (identity when
    ``rotate=False``). ``x*`` is drawn from ``N(0, I)``; the start is ``x0 = 0``.
    ``f* = 0``. ``A``, ``b`` and the eigenvalues are in ``problem.data``.

    Args:
        n: Number of variables (``>= 1``).
        cond: Condition number ``kappa(A) >= 1``.
        seed: Seed for ``numpy.random.default_rng``.
        rotate: Rotate the eigenbasis (``True``) or keep ``A`` diagonal.

    Returns:
        The :class:`Problem`.

    Example:
        >>> p = quadratic(5, cond=100.0, seed=1)
        >>> bool(abs(np.linalg.cond(p.data["A"]) - 100.0) < 1e-8)
        True

    Reference: Goodfellow et al. (2016) §4.3 (condition number and gradient descent);
    Liquet et al. §4.5 eq. (4.46).
    """
    n = check_positive_int(n, "n", minimum=1)
    cond = float(cond)
    if not np.isfinite(cond) or cond < 1.0:
        raise ValueError(f"cond must be a finite number >= 1, got {cond}")
    rng = np.random.default_rng(check_seed(seed))
    eig = np.geomspace(1.0, cond, n) if n > 1 else np.array([1.0])
    if rotate:
        q, r = np.linalg.qr(rng.standard_normal((n, n)))
        q = q * np.sign(np.diag(r))
        A = (q * eig) @ q.T
        A = 0.5 * (A + A.T)
    else:
        A = np.diag(eig)
    x_star = rng.standard_normal(n)
    b = A @ x_star

    def fun(x: Array) -> Any:
        d = x - x_star
        return 0.5 * np.dot(d, A @ d)

    def grad(x: Array) -> Array:
        return A @ (np.asarray(x, dtype=float) - x_star)

    return Problem(
        name=f"quadratic_{n}_cond{cond:g}", n=n, x0=np.zeros(n), fun=fun, grad=grad,
        hess=lambda x: A.copy(), hessp=lambda x, v: A @ np.asarray(v, dtype=float),
        f_star=0.0, x_star=x_star, title=f"Quadratic (n={n}, cond={cond:g})",
        data={"A": A, "b": b, "eigenvalues": eig},
        reference="Liquet et al. §4.5, eq. (4.46); Goodfellow et al. (2016) §4.3.",
    )  # fmt: skip


# ----------------------------------------------------------------------------- Himmelblau
def _himmelblau(x: Array) -> Any:
    return (x[0] ** 2 + x[1] - 11.0) ** 2 + (x[0] + x[1] ** 2 - 7.0) ** 2


def _himmelblau_grad(x: Array) -> Array:
    x, y = float(x[0]), float(x[1])
    a, b = x * x + y - 11.0, x + y * y - 7.0
    return np.array([4.0 * a * x + 2.0 * b, 2.0 * a + 4.0 * b * y])


def _himmelblau_hess(x: Array) -> Array:
    x, y = float(x[0]), float(x[1])
    hxy = 4.0 * (x + y)
    return np.array([[12.0 * x * x + 4.0 * y - 42.0, hxy], [hxy, 12.0 * y * y + 4.0 * x - 26.0]])


def himmelblau() -> Problem:
    """Himmelblau's function ``f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2``.

    Four global minima with ``f* = 0``: ``(3, 2)`` exactly, and three irrational ones near
    ``(-2.805118, 3.131313)``, ``(-3.779310, -3.283186)`` and ``(3.584428, -1.848127)``;
    a local maximum near ``(-0.270845, -0.923039)``. ``x_star`` is ``(3, 2)``; the start is
    ``(0, 0)``.

    Returns:
        A :class:`Problem` with value, gradient, ``x0``, ``f_star`` and ``x_star``.

    Example:
        >>> p = himmelblau()
        >>> float(p.fun(p.x_star))
        0.0

    Reference: D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill (1972).
    """
    return Problem(
        name="himmelblau", n=2, x0=np.zeros(2), fun=_himmelblau, grad=_himmelblau_grad,
        hess=_himmelblau_hess, f_star=0.0, x_star=np.array([3.0, 2.0]),
        title="Himmelblau",
        notes="Four global minima (f = 0); the three irrational ones are quoted to 6 decimals.",
        reference="D. M. Himmelblau, Applied Nonlinear Programming, McGraw-Hill (1972).",
    )  # fmt: skip


# --------------------------------------------------------------------------------- Beale
def _beale(x: Array) -> Any:
    r = beale_residuals(x)
    return np.sum(r * r)


def _beale_parts(x: Array) -> tuple[Array, Array, Array]:
    x1, x2 = float(x[0]), float(x[1])
    i = np.arange(1.0, 4.0)
    r = beale_residuals(np.array([x1, x2]))
    J = np.stack([-(1.0 - x2**i), x1 * i * x2 ** (i - 1.0)], axis=1)
    return r, J, i


def _beale_grad(x: Array) -> Array:
    r, J, _ = _beale_parts(x)
    return 2.0 * J.T @ r


def _beale_hess(x: Array) -> Array:
    r, J, i = _beale_parts(x)
    x1, x2 = float(x[0]), float(x[1])
    d12 = i * x2 ** (i - 1.0)  # d2 r_i / dx1 dx2
    d22 = x1 * i * (i - 1.0) * x2 ** np.maximum(i - 2.0, 0.0)  # d2 r_i / dx2^2
    second = np.array([[0.0, r @ d12], [r @ d12, r @ d22]])
    return 2.0 * (J.T @ J + second)


def beale() -> Problem:
    """Beale's function (MGH problem 5): ``f = sum_i (y_i - x1 (1 - x2^i))^2``.

    ``y = (1.5, 2.25, 2.625)``, start ``(1, 1)``, ``f* = 0`` at ``(3, 0.5)``.

    Returns:
        A :class:`Problem` with value, gradient, ``x0``, ``f_star`` and ``x_star``.

    Example:
        >>> p = beale()
        >>> float(p.fun(p.x_star))
        0.0

    Reference: E. M. L. Beale (1958); Moré, Garbow & Hillstrom (1981) problem 5.
    """
    return Problem(
        name="beale", n=2, x0=np.ones(2), fun=_beale, grad=_beale_grad, hess=_beale_hess,
        f_star=0.0, x_star=np.array([3.0, 0.5]), m=3, residuals=beale_residuals,
        title="Beale", reference="Moré, Garbow & Hillstrom (1981), problem 5.",
    )  # fmt: skip


# --------------------------------------------------------------------------------- peaks
# Global minimizer of peaks: a grid search on [-3, 3]^2 (step 0.01) refined by Newton's method
# in 40-digit arithmetic (mpmath); tests/problems/test_classic.py checks it is a minimizer.
_PEAKS_X_STAR = (0.2282789205563691, -1.6255349574999965)


def peaks() -> Problem:
    """MATLAB's ``peaks`` surface, a smooth 2-D function with several local extrema.

    .. math::

        f(x, y) = 3(1-x)^2 e^{-x^2-(y+1)^2} - 10\\left(\\tfrac{x}{5} - x^3 - y^5\\right)
        e^{-x^2-y^2} - \\tfrac13 e^{-(x+1)^2-y^2}

    The global minimum ``f* ~ -6.551133`` is at ``x* ~ (0.228279, -1.625535)`` (computed
    here by grid search plus Newton's method; not a published constant). A second local
    minimum, ``f ~ -3.049849`` near ``(-1.347396, 0.204519)``, is where descent methods started
    at ``(-0.5, -0.5)`` end. The standard start here is ``(1, -1)``. The gradient and Hessian
    are the exact ones of :mod:`steepest.problems.textbook`.

    Returns:
        A :class:`Problem` with value, gradient, ``x0``, ``f_star`` and ``x_star``.

    Example:
        >>> p = peaks()
        >>> round(float(p.fun(p.x_star)), 4)
        -6.5511

    Reference: MATLAB ``peaks`` (The MathWorks); used in Goodfellow et al. style
    illustrations of non-convex surfaces.
    """
    x_star = np.array(_PEAKS_X_STAR)
    return Problem(
        name="peaks", n=2, x0=np.array([1.0, -1.0]), fun=_peaks, grad=peaks_grad, hess=peaks_hess,
        f_star=float(_peaks(x_star)), x_star=x_star, title="MATLAB peaks",
        notes="x_star and f_star computed (grid search + Newton), not published values. "
        "Local minimum f ~ -3.049849 near (-1.347396, 0.204519).",
        reference="MATLAB peaks function (The MathWorks).",
    )  # fmt: skip
