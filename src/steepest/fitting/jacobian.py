"""Jacobians of residual functions: autodiff by default, finite differences or the user's.

``jac=None`` differentiates ``fun`` with steepest's autodiff, choosing the mode by shape: a
forward-mode pass per parameter (``jacfwd``) when residuals outnumber parameters (``m ≥ n``,
the usual fitting case), a reverse-mode pass per residual (``jacrev``) otherwise, recorded
once by :func:`steepest.jit` (``rewrite=False``: the same bits) and replayed per iteration.
When autodiff cannot trace ``fun`` at the first point (it converts ``x`` to floats, uses an
operation without a derivative rule), a ``RuntimeWarning`` names the cause and the Jacobian
falls back to 2-point differences, scipy's default, so scipy scripts keep working. ``"2-point"``,
``"3-point"`` and ``"cs"`` are finite differences with steps that stay inside the bounds
(Nocedal & Wright §8.1):

.. math:: h_j = r\\, \\operatorname{sign}(x_j) \\max(1, |x_j|), \\qquad
          r = ε^{1/2}\\ (\\text{2-point, cs}),\\ ε^{1/3}\\ (\\text{3-point})

A forward step that would leave the box is taken backwards; a central step that would leave it
becomes the one-sided three-point formula ``(−3f₀ + 4f₁ − f₂) / 2h``. ``"cs"`` is the complex
step ``Im f(x + i h e_j) / h`` (exact to rounding; ``fun`` must accept complex input).

Reference:
    Nocedal & Wright, *Numerical Optimization* (2nd ed.), §8.1. Squire & Trapp, "Using complex
    variables to estimate derivatives of real functions", SIAM Review 40 (1998) 110–112.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autodiff import jacfwd, jacrev
from ..compile import jit

__all__ = ["JAC_METHODS", "make_jacobian"]

#: The finite-difference schemes ``jac`` may name.
JAC_METHODS = ("2-point", "3-point", "cs")

_EPS = np.finfo(float).eps
_REL_STEP = {"2-point": _EPS ** 0.5, "3-point": _EPS ** (1 / 3), "cs": _EPS ** 0.5}

Array = np.ndarray
JacFn = Callable[[Array, Array], Array]


def make_jacobian(jac: Any, fun: Callable[[Array], Any], m: int, n: int, lb: Array,
                  ub: Array) -> JacFn:
    """A function ``(x, f(x)) -> J(x)`` of shape ``(m, n)`` for the ``jac`` the user chose.

    Args:
        jac: ``None`` (autodiff), a callable ``x -> J``, or one of :data:`JAC_METHODS`.
        fun: the residual function of ``x`` alone (``args``/``kwargs`` already bound).
        m: number of residuals.
        n: number of parameters.
        lb: lower bounds (``-inf`` where free), for finite-difference steps.
        ub: upper bounds.

    Returns:
        The Jacobian function; it raises a ``ValueError`` naming ``jac`` when the result has
        the wrong shape or is not finite.

    Example:
        >>> J = make_jacobian(None, lambda x: x ** 2, 2, 2, -np.inf * np.ones(2),
        ...                   np.inf * np.ones(2))
        >>> J(np.array([1.0, 3.0]), None).tolist()
        [[2.0, 0.0], [0.0, 6.0]]
    """
    if jac is None:  # recorded once, replayed per iteration (bit-identical to eager)
        raw = jit((jacfwd if m >= n else jacrev)(fun), rewrite=False)
        fallback = lambda x, f: _two_point(fun, x, f, lb, ub)  # noqa: E731
        return _checked(_autodiff(raw, fallback), m, n, "the autodiff Jacobian of fun")
    if callable(jac):
        return _checked(lambda x, f: _dense(jac(x)), m, n, "jac(x)")
    if jac == "2-point":
        return lambda x, f: _two_point(fun, x, f, lb, ub)
    if jac == "3-point":
        return lambda x, f: _three_point(fun, x, f, lb, ub)
    return lambda x, f: _complex_step(fun, x)


def _autodiff(raw: Callable[[Array], Any], fallback: JacFn) -> JacFn:
    """Autodiff, or ``fallback`` (2-point differences, scipy's default) with a warning when
    autodiff cannot trace ``fun`` at the first point; a later failure is an error."""
    state = {"first": True, "use": None}

    def jac(x: Array, f: Array) -> Any:
        if state["use"] is not None:
            return state["use"](x, f)
        try:
            J = raw(x)
        except Exception as exc:  # noqa: BLE001 - re-raised or reported with the fix
            cause = str(exc).rstrip(".")
            if not state["first"]:
                raise TypeError(f"jac=None differentiates fun with steepest's autodiff, "
                                f"which failed at x = {x}: {cause}. Pass jac='2-point' or a "
                                "Jacobian callable") from exc
            warnings.warn(f"jac=None: steepest's autodiff cannot differentiate fun ({cause}); "
                          "using 2-point finite differences instead (scipy's default). Pass "
                          "jac='2-point' to choose them, or write fun with NumPy operations "
                          "on x (no float(x[i]), np.asarray(x) or .real)", RuntimeWarning,
                          stacklevel=2)
            state["use"] = fallback
            return fallback(x, f)
        state["first"] = False
        return J
    return jac


def _dense(J: Any) -> Array:
    return J.toarray() if hasattr(J, "toarray") else J


def _checked(jac: JacFn, m: int, n: int, what: str) -> JacFn:
    def checked(x: Array, f: Array) -> Array:
        J = np.atleast_2d(np.asarray(jac(x, f), dtype=float))
        if J.shape != (m, n):
            J = J.reshape(m, n) if J.size == m * n else J
        if J.shape != (m, n):
            raise ValueError(f"{what} returned shape {J.shape}, expected (m, n) = ({m}, {n}) "
                             "(one row per residual); return an array of that shape")
        if not np.all(np.isfinite(J)):
            raise ValueError(f"{what} is not finite at x = {x}; pass jac='2-point' or a "
                             "Jacobian that is finite on the domain")
        return J
    return checked


def _steps(x: Array, scheme: str) -> Array:
    sign = np.where(x >= 0, 1.0, -1.0)
    h = _REL_STEP[scheme] * sign * np.maximum(1.0, np.abs(x))
    return (x + h) - x


def _two_point(fun: Callable, x: Array, f0: Array, lb: Array, ub: Array) -> Array:
    h = _steps(x, "2-point")
    outside = (x + h < lb) | (x + h > ub)
    h = np.where(outside, -h, h)
    cols = []
    for j in range(x.size):
        xj = x.copy()
        xj[j] += h[j]
        cols.append((np.asarray(fun(xj), dtype=float) - f0) / h[j])
    return np.stack(cols, axis=1)


def _three_point(fun: Callable, x: Array, f0: Array, lb: Array, ub: Array) -> Array:
    h = _steps(x, "3-point")
    cols = []
    for j in range(x.size):
        central = lb[j] <= x[j] - h[j] and x[j] + h[j] <= ub[j]
        hj = h[j] if central or x[j] + 2 * h[j] <= ub[j] else -h[j]
        xa, xb = x.copy(), x.copy()
        if central:
            xa[j], xb[j] = x[j] - hj, x[j] + hj
            cols.append((np.asarray(fun(xb), float) - np.asarray(fun(xa), float)) / (2 * hj))
            continue
        xa[j], xb[j] = x[j] + hj, x[j] + 2 * hj
        fa, fb = np.asarray(fun(xa), float), np.asarray(fun(xb), float)
        cols.append((-3.0 * f0 + 4.0 * fa - fb) / (2 * hj))
    return np.stack(cols, axis=1)


def _complex_step(fun: Callable, x: Array) -> Array:
    h = _steps(x, "cs")
    cols = []
    for j in range(x.size):
        xj = x.astype(complex)
        xj[j] += 1j * h[j]
        cols.append(np.asarray(fun(xj)).imag / h[j])
    return np.stack(cols, axis=1)
