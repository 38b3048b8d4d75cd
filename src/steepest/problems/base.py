"""The :class:`Problem` record shared by every test problem, and the sum-of-squares builder.

A test problem bundles an objective ``f : R^n -> R`` with its gradient, a standard starting
point and what is known about its minimum. Objectives are written with plain NumPy operations
so that the autodiff engine (:mod:`steepest.autodiff`) can trace them; a Hessian missing from a
problem is therefore obtained by automatic differentiation on request.

Most of the Moré–Garbow–Hillstrom problems are nonlinear least squares,

.. math::

    f(x) = \\sum_{i=1}^m r_i(x)^2, \\qquad \\nabla f(x) = 2 J(x)^\\top r(x),

where ``J = dr/dx`` is the ``m x n`` Jacobian; :func:`least_squares_problem` builds ``fun``
and ``grad`` from ``r`` and ``J``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .._validate import check_callable, check_finite_array
from ..autodiff import hessian as ad_hessian
from ..autodiff import hvp

Array = np.ndarray
ScalarFn = Callable[[Array], Any]
VectorFn = Callable[[Array], Array]

__all__ = ["Problem", "least_squares_problem"]


@dataclass(frozen=True, eq=False, repr=False)
class Problem:
    """An unconstrained minimization test problem ``min_x f(x)``.

    Attributes:
        name: Short identifier, e.g. ``"rosenbrock"`` or ``"mgh07_helical_valley"``.
        n: Number of variables.
        x0: Standard starting point, shape ``(n,)`` (a fresh copy is returned each access
            through :meth:`start`).
        fun: Objective ``f(x) -> float``; plain NumPy, traceable by :mod:`steepest.autodiff`.
        grad: Analytic gradient ``g(x) -> ndarray (n,)``.
        hess: Analytic Hessian ``H(x) -> ndarray (n, n)`` or ``None`` (then
            :meth:`hessian` uses automatic differentiation).
        hessp: Analytic Hessian-vector product ``(x, v) -> H(x) v`` or ``None``.
        f_star: Known minimum value, or ``None`` when it is not known.
        x_star: A known minimizer, or ``None`` when none is published.
        m: Number of residuals for a least-squares problem, else ``None``.
        residuals: ``r(x) -> ndarray (m,)`` with ``f = sum(r**2)``, for least squares.
        jacobian: ``J(x) -> ndarray (m, n)``, the Jacobian of ``residuals``.
        number: Index in the Moré–Garbow–Hillstrom (1981) list, else ``None``.
        title: Human-readable title.
        notes: Facts worth knowing: other local minima, provenance of the values.
        data: Problem data, e.g. ``{"A": ..., "b": ...}`` for a quadratic.
        reference: Bibliographic reference.

    Example:
        >>> from steepest.problems import rosenbrock
        >>> p = rosenbrock()
        >>> float(p.fun(p.x_star)), p.f_star
        (0.0, 0.0)
    """

    name: str
    n: int
    x0: Array
    fun: ScalarFn
    grad: VectorFn
    hess: Callable[[Array], Array] | None = None
    hessp: Callable[[Array, Array], Array] | None = None
    f_star: float | None = None
    x_star: Array | None = None
    m: int | None = None
    residuals: VectorFn | None = None
    jacobian: Callable[[Array], Array] | None = None
    number: int | None = None
    title: str = ""
    notes: str = ""
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)
    reference: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        x0 = np.array(self.x0, dtype=float)
        if x0.shape != (self.n,):
            raise ValueError(f"{self.name}: x0 has shape {x0.shape}, expected ({self.n},)")
        x0.setflags(write=False)
        object.__setattr__(self, "x0", x0)
        if self.x_star is not None:
            xs = np.array(self.x_star, dtype=float)
            if xs.shape != (self.n,):
                raise ValueError(f"{self.name}: x_star has shape {xs.shape}, expected ({self.n},)")
            xs.setflags(write=False)
            object.__setattr__(self, "x_star", xs)

    def __repr__(self) -> str:
        size = f"n={self.n}" + (f", m={self.m}" if self.m is not None else "")
        return f"Problem({self.name!r}, {size}, f_star={self.f_star!r})"

    def start(self, factor: float = 1.0) -> Array:
        """Return a writable copy of the starting point, scaled by ``factor``.

        Moré, Garbow and Hillstrom also test from ``10 x0`` and ``100 x0``; when ``x0 = 0``
        they use ``factor * ones`` instead, as done here.
        """
        if np.all(self.x0 == 0) and factor != 1.0:
            return np.full(self.n, float(factor))
        return np.array(self.x0, dtype=float) * float(factor)

    def fun_and_grad(self, x: Array) -> tuple[float, Array]:
        """``(f(x), g(x))``, the form ``minimize(..., jac=True)`` expects."""
        return float(self.fun(x)), np.asarray(self.grad(x), dtype=float)

    def hessian(self, x: Array) -> Array:
        """Hessian at ``x``: the analytic one if present, else by automatic differentiation."""
        if self.hess is not None:
            return np.asarray(self.hess(x), dtype=float)
        return np.asarray(ad_hessian(self.fun)(np.asarray(x, dtype=float)), dtype=float)

    def hessian_vector_product(self, x: Array, v: Array) -> Array:
        """``H(x) v``: the analytic ``hessp`` if present, else by automatic differentiation."""
        if self.hessp is not None:
            return np.asarray(self.hessp(x, v), dtype=float)
        if self.hess is not None:
            return np.asarray(self.hess(x), dtype=float) @ np.asarray(v, dtype=float)
        return np.asarray(hvp(self.fun, np.asarray(x, dtype=float), np.asarray(v, float)))

    def with_start(self, x0: Array) -> Problem:
        """The same problem with another starting point."""
        return replace(self, x0=np.asarray(x0, dtype=float))


def least_squares_problem(
    name: str,
    x0: Array,
    residuals: VectorFn,
    jacobian: Callable[[Array], Array],
    **info: Any,
) -> Problem:
    """Build a :class:`Problem` for ``f(x) = sum_i r_i(x)^2`` from ``r`` and its Jacobian.

    Args:
        name: Problem name.
        x0: Starting point, shape ``(n,)``.
        residuals: ``r(x) -> (m,)``; plain NumPy so that automatic differentiation can trace it.
        jacobian: ``J(x) -> (m, n)``, the analytic Jacobian of ``r``.
        **info: Further :class:`Problem` fields (``f_star``, ``x_star``, ``m``, ``notes`` ...).

    Returns:
        A :class:`Problem` with ``fun = sum(r**2)`` and ``grad = 2 J^T r``.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.5 (eqs. 4.21-4.22: f = ½‖Ax − b‖², ∇f = Aᵀ(Ax − b));
        Moré, Garbow & Hillstrom, ACM TOMS 7 (1981).

    Example:
        >>> import numpy as np
        >>> p = least_squares_problem(
        ...     "line", [0.0], lambda x: np.stack([x[0] - 1.0, 2.0 * x[0]]),
        ...     lambda x: np.array([[1.0], [2.0]]))
        >>> float(p.fun(np.array([1.0]))), p.grad(np.array([0.0])).tolist()
        (4.0, [-2.0])
    """

    def fun(x: Array) -> Any:
        r = residuals(x)
        return np.sum(r * r)

    def grad(x: Array) -> Array:
        x = np.asarray(x, dtype=float)
        return 2.0 * (jacobian(x).T @ residuals(x))

    check_callable(residuals, "residuals")
    check_callable(jacobian, "jacobian")
    x0 = check_finite_array(x0, "x0")
    info.setdefault("m", int(np.asarray(residuals(x0)).size))
    return Problem(
        name=name,
        n=x0.size,
        x0=x0,
        fun=fun,
        grad=grad,
        residuals=residuals,
        jacobian=jacobian,
        **info,
    )
