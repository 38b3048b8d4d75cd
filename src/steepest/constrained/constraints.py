"""Constraints as Goodfellow et al. write them (§4.4): g(x) = 0 and h(x) ≤ 0.

The feasible set is S = {x : gᵢ(x) = 0 for all i, hⱼ(x) ≤ 0 for all j}. Each constraint object
holds a (possibly vector-valued) function and optionally its Jacobian and the Hessian of its
multiplier-weighted sum; missing derivatives come from :mod:`steepest.autodiff` on first use.

* ``Eq(g)`` — equality g(x) = 0; ``Eq.linear(A, b)`` is Ax = b (i.e. g(x) = Ax − b).
* ``Ineq(h)`` — inequality h(x) ≤ 0; ``Ineq.linear(A, b)`` is Ax ≤ b (h(x) = Ax − b).
* ``bounds`` — (lower, upper) arrays/scalars, a list of (lo, hi) pairs (None = unbounded) or a
  ``scipy.optimize.Bounds``; turned into linear inequalities lo − x ≤ 0 and x − hi ≤ 0.
* scipy-style dicts ``{"type": "eq" | "ineq", "fun": c, "jac": J}`` are accepted too; note
  scipy's inequality is c(x) ≥ 0, so it becomes h(x) = −c(x) ≤ 0 here.

Example:
    >>> import numpy as np
    >>> cons = ConstraintSet.build([Eq(lambda x: x @ x - 1.0, jac=lambda x: 2 * x),
    ...                            Ineq.linear([[1.0, 0.0]], [0.5])], bounds=None, n=2)
    >>> cons.g(np.array([1.0, 0.0])).tolist(), cons.h(np.array([1.0, 0.0])).tolist()
    ([0.0], [0.5])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import autodiff
from .._dispatch import is_traced

__all__ = ["Eq", "Ineq", "ConstraintSet", "bounds_arrays", "bounds_to_ineq"]


@dataclass(frozen=True)
class _Constraint:
    fun: Callable[..., Any]
    jac: Callable[..., Any] | None = None
    hess: Callable[..., Any] | None = None
    name: str = ""
    linear: bool = False

    def __post_init__(self):
        if not callable(self.fun):
            raise TypeError(f"{type(self).__name__} needs a callable; got {type(self.fun)}.")
        for part in ("jac", "hess"):
            if getattr(self, part) is not None and not callable(getattr(self, part)):
                raise TypeError(f"{type(self).__name__}({part}=...) must be callable or None, "
                                f"got {type(getattr(self, part)).__name__}; pass a function "
                                f"of x or leave {part} out (autodiff)")

    def value(self, x, args=()) -> np.ndarray:
        out = self.fun(x, *args)
        if out is None or isinstance(out, str | bytes):
            raise TypeError(f"{type(self).__name__} {self.name or self.fun!r}: the constraint "
                            f"function returned {out!r}; return its value, a float "
                            "or an array (did it miss a return statement?)")
        return np.atleast_1d(np.asarray(out, dtype=float)).ravel()

    def jacobian(self, x, args=()) -> np.ndarray:
        """(m, n) Jacobian; user ``jac`` if given, else autodiff."""
        if self.jac is not None:
            J = np.asarray(self.jac(x, *args), dtype=float)
        else:
            J = np.asarray(autodiff.jacobian(lambda z: self.fun(z, *args))(x), dtype=float)
        n = np.size(x)
        if J.ndim == 1 and J.size == n:
            return J.reshape(1, n)
        if J.ndim != 2 or J.shape[1] != n:
            raise ValueError(f"{type(self).__name__} {self.name or self.fun!r}: jac returned shape "
                             f"{J.shape}; expected (m, {n}) (one row per component) or ({n},).")
        return J

    def hess_weighted(self, x, v, args=()) -> np.ndarray:
        """Σᵢ vᵢ ∇²cᵢ(x), an (n, n) matrix (zero for linear constraints)."""
        n = np.size(x)
        if self.linear or not np.any(v):
            return np.zeros((n, n))
        if self.hess is not None:
            return np.asarray(self.hess(x, v, *args), dtype=float).reshape(n, n)
        weighted = autodiff.hessian(lambda z: np.sum(v * self.fun(z, *args)))
        return np.asarray(weighted(x), float).reshape(n, n)


class Eq(_Constraint):
    """Equality constraint g(x) = 0 (scalar or vector valued).

    Args:
        fun: g(x, *args). jac: x ↦ ∂g/∂x, shape (m, n) (or (n,) when m = 1).
        hess: (x, v) ↦ Σ vᵢ∇²gᵢ(x) (scipy's NonlinearConstraint convention). name: label.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (the equality constraints g⁽ⁱ⁾(x) = 0 of eq. 4.14).

    Example:
        >>> import numpy as np
        >>> c = Eq(lambda x: x[0] + x[1] - 1.0, jac=lambda x: np.array([1.0, 1.0]))
        >>> float(c.fun(np.array([0.25, 0.25])))
        -0.5
        >>> Eq.linear(np.array([[1.0, 1.0]]), [1.0]).fun(np.array([0.25, 0.25]))
        array([-0.5])
    """

    kind = "eq"

    @classmethod
    def linear(cls, A, b, name: str = "") -> Eq:
        """The affine equality Ax = b."""
        return _affine(cls, A, b, name or "Ax=b")


class Ineq(_Constraint):
    """Inequality constraint h(x) ≤ 0 (scalar or vector valued); see :class:`Eq` for args.

    Args:
        fun: h(x, *args); feasible where every entry is ≤ 0.
        jac: x ↦ ∂h/∂x, shape (m, n) (or (n,) when m = 1).
        hess: (x, v) ↦ Σ vᵢ∇²hᵢ(x).
        name: label.
        linear: h is affine (set by :meth:`linear`).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (the inequality constraints h⁽ʲ⁾(x) ≤ 0 of eq.
        4.14).

    Example:
        >>> import numpy as np
        >>> c = Ineq(lambda x: x @ x - 1.0, jac=lambda x: 2 * x)  # the unit disc
        >>> float(c.fun(np.array([0.5, 0.5])))
        -0.5
    """

    kind = "ineq"

    @classmethod
    def linear(cls, A, b, name: str = "") -> Ineq:
        """The affine inequality Ax ≤ b."""
        return _affine(cls, A, b, name or "Ax<=b")


def _affine(cls, A, b, name: str):
    """``cls`` (Eq or Ineq) on ``Ax - b``, with its constant Jacobian ``A``."""
    A, b = _linear_data(A, b)
    return cls(lambda x, *_: A @ x - b, jac=lambda x, *_: A, name=name, linear=True)


def _linear_data(A, b):
    A = np.atleast_2d(np.asarray(A, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    if A.shape[0] != b.shape[0]:
        raise ValueError(f"linear constraint: A has {A.shape[0]} rows, b has {b.size} entries.")
    return A, b


def _is_pairs(bounds) -> bool:
    return (isinstance(bounds, Sequence) and len(bounds) > 0
            and all(isinstance(p, (tuple, list)) and len(p) == 2 for p in bounds))


def bounds_arrays(bounds, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``bounds`` as two length-``n`` arrays (lower, upper), ``None`` read as ±inf.

    Accepts scipy ``Bounds`` (``lb``/``ub``), one pair per variable ``[(lo, hi)] * n`` or a pair
    ``(lower, upper)`` of scalars or length-``n`` arrays; anything else is a ValueError naming
    ``bounds`` and the expected form.
    """
    form = f"pass bounds as [(lo, hi)] * {n} (one pair per variable) or (lower, upper)"
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        lo, hi = bounds.lb, bounds.ub
    elif _is_pairs(bounds) and len(bounds) == n:
        lo = [-np.inf if p[0] is None else p[0] for p in bounds]
        hi = [np.inf if p[1] is None else p[1] for p in bounds]
    elif _is_pairs(bounds) and len(bounds) != 2:
        raise ValueError(f"bounds has {len(bounds)} (lo, hi) pairs but x0 has {n} entries; "
                         f"{form}")
    elif not hasattr(bounds, "__len__") or len(bounds) != 2:
        raise ValueError(f"bounds must be {n} (lo, hi) pairs or a pair (lower, upper), got "
                         f"{type(bounds).__name__} {bounds!r}; {form}")
    else:
        lo, hi = bounds
    try:
        lo = np.broadcast_to(np.asarray(-np.inf if lo is None else lo, float), (n,))
        hi = np.broadcast_to(np.asarray(np.inf if hi is None else hi, float), (n,))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bounds (lower, upper) must be numbers or length-{n} arrays (x0 has "
                         f"{n} entries); {form}") from exc
    if np.any(lo > hi):
        raise ValueError("bounds need lower <= upper for every variable.")
    return lo, hi


def bounds_to_ineq(bounds, n: int) -> tuple[Ineq | None, list[str]]:
    """Turn bounds into one linear :class:`Ineq` (rows lo − x ≤ 0, x − hi ≤ 0) plus row labels."""
    if bounds is None:
        return None, []
    lo, hi = bounds_arrays(bounds, n)
    rows, b, labels = [], [], []
    eye = np.eye(n)
    for i in range(n):
        if np.isfinite(lo[i]):
            rows.append(-eye[i]), b.append(-lo[i]), labels.append(f"x[{i}] >= {lo[i]:g}")
        if np.isfinite(hi[i]):
            rows.append(eye[i]), b.append(hi[i]), labels.append(f"x[{i}] <= {hi[i]:g}")
    if not rows:
        return None, []
    return Ineq.linear(np.array(rows), np.array(b), name="bounds"), labels


def _from_dict(c: dict) -> _Constraint:
    kind = c.get("type")
    fun, jac = c["fun"], c.get("jac")
    if kind == "eq":
        return Eq(fun, jac=jac)
    if kind == "ineq":  # scipy: c(x) >= 0  ->  h(x) = -c(x) <= 0
        return Ineq(lambda x, *a: -np.asarray(fun(x, *a)),
                    jac=None if jac is None else (lambda x, *a: -np.asarray(jac(x, *a))))
    raise ValueError(f"constraint dict type must be 'eq' or 'ineq'; got {kind!r}.")


def _rows(fun, jac, hess, rows, sign, offset, kind):
    """``sign * (fun(x)[rows] - offset)`` as an Eq/Ineq with the matching Jacobian/Hessian."""
    def value(x, *a):
        y = fun(x, *a)  # scipy's constraint functions may return lists (traced under autodiff)
        y = np.asarray(y) if is_traced(y) else np.asarray(y, dtype=float)
        return sign * (np.atleast_1d(y)[rows] - offset)

    def jacobian(x, *a):
        J = np.atleast_2d(np.asarray(jac(x, *a), dtype=float))
        return sign * J[rows]

    def weighted(x, v, *a):
        m = np.atleast_1d(np.asarray(fun(x), dtype=float)).size
        full = np.zeros(m)
        full[rows] = sign * np.asarray(v, dtype=float)
        return hess(x, full)

    cls = Eq if kind == "eq" else Ineq
    return cls(value, jacobian if callable(jac) else None, weighted if callable(hess) else None)


def _from_scipy_object(c) -> list[_Constraint]:
    """scipy's ``LinearConstraint``/``NonlinearConstraint`` (``lb <= c(x) <= ub``) as steepest
    constraints: ``c - ub <= 0`` and ``lb - c <= 0`` for the finite ends, ``c - lb = 0`` where
    ``lb == ub``. Jacobians given as strings (``"2-point"``...) or Hessians given as update
    strategies are replaced by autodiff."""
    if hasattr(c, "A"):  # LinearConstraint
        A = np.atleast_2d(np.asarray(c.A.toarray() if hasattr(c.A, "toarray") else c.A, float))

        def fun(x, *a):
            return A @ x

        jac, hess, linear = (lambda x, *a: A), None, True
    else:
        fun, jac, hess, linear = c.fun, c.jac, c.hess, False
        jac = jac if callable(jac) else None
        hess = hess if callable(hess) else None
    lb = np.atleast_1d(np.asarray(c.lb, dtype=float))
    ub = np.atleast_1d(np.asarray(c.ub, dtype=float))
    if linear:
        lb, ub = np.broadcast_to(lb, (A.shape[0],)), np.broadcast_to(ub, (A.shape[0],))
    lb, ub = np.broadcast_arrays(lb, ub)
    scalar = lb.size == 1  # one bound pair for every component of c(x)
    eq = np.isfinite(lb) & (lb == ub)
    out: list[_Constraint] = []
    for kind, mask, sign, off in (("eq", eq, 1.0, lb), ("ineq", np.isfinite(ub) & ~eq, 1.0, ub),
                                  ("ineq", np.isfinite(lb) & ~eq, -1.0, lb)):
        if not mask.any():
            continue
        rows, offset = (slice(None), off[0]) if scalar else (np.flatnonzero(mask), off[mask])
        made = _rows(fun, jac, hess, rows, sign, offset, kind)
        out.append(type(made)(made.fun, made.jac, made.hess, linear=linear))
    return out


def expand_constraints(c) -> list[_Constraint]:
    """One user constraint as steepest's: Eq/Ineq as they are, scipy dicts (``"ineq"`` means
    fun(x) >= 0, so it is negated), ``LinearConstraint``/``NonlinearConstraint`` split into
    their equality, upper and lower rows.

    Args:
        c: the constraint.

    Returns:
        A list of :class:`Eq`/:class:`Ineq`.

    Example:
        >>> import numpy as np
        >>> from scipy.optimize import LinearConstraint
        >>> cs = expand_constraints(LinearConstraint([[1.0, 1.0], [1.0, -1.0]], [1.0, -np.inf],
        ...                                          [1.0, 2.0]))
        >>> [(c.kind, c.fun(np.zeros(2)).tolist()) for c in cs]
        [('eq', [-1.0]), ('ineq', [-2.0])]
    """
    if hasattr(c, "lb") and hasattr(c, "ub") and (hasattr(c, "A") or hasattr(c, "fun")):
        return _from_scipy_object(c)
    return [_coerce(c)]


def _coerce(c) -> _Constraint:
    if isinstance(c, _Constraint):
        return c
    if isinstance(c, dict):
        return _from_dict(c)
    raise TypeError(f"constraints must be Eq(...), Ineq(...), scipy-style dicts or scipy's "
                    f"LinearConstraint/NonlinearConstraint; got {c!r}. "
                    "Wrap a function g with Eq(g) for g(x) = 0 or Ineq(h) for h(x) <= 0.")


@dataclass
class ConstraintSet:
    """All equalities and inequalities of a problem, stacked into g(x) and h(x).

    Attributes:
        eqs: the :class:`Eq` constraints.
        ineqs: the :class:`Ineq` constraints (bounds included, as linear ones).
        args: extra arguments passed to every constraint function.
        ineq_labels: one label per stacked inequality row.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (eq. 4.14: S = {x : g(x) = 0, h(x) ≤ 0}).

    Example:
        >>> import numpy as np
        >>> cs = ConstraintSet.build([Eq(lambda x: x[0] + x[1] - 1.0)],
        ...                          bounds=[(0, 1), (0, 1)], n=2)
        >>> x = np.array([0.25, 0.25])
        >>> cs.g(x).tolist(), cs.h(x).tolist()  # bounds as -x <= 0 and x - 1 <= 0
        ([-0.5], [-0.25, -0.75, -0.25, -0.75])
    """

    eqs: list[_Constraint] = field(default_factory=list)
    ineqs: list[_Constraint] = field(default_factory=list)
    args: tuple = ()
    ineq_labels: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, constraints=(), bounds=None, n: int | None = None, args=()) -> ConstraintSet:
        """Normalise ``constraints`` (one or a list) and ``bounds`` for an n-vector problem."""
        if constraints is None:
            constraints = []
        if isinstance(constraints, (_Constraint, dict)) or hasattr(constraints, "lb"):
            constraints = [constraints]
        items = [k for c in constraints for k in expand_constraints(c)]
        out = cls([c for c in items if c.kind == "eq"], [c for c in items if c.kind == "ineq"],
                  tuple(args))
        bnd, labels = bounds_to_ineq(bounds, n) if n is not None else (None, [])
        if bnd is not None:
            out.ineqs.append(bnd)
        out.ineq_labels = labels
        return out

    @staticmethod
    def _stack(items, x, args):
        if not items:
            return np.zeros(0)
        return np.concatenate([c.value(x, args) for c in items])

    @staticmethod
    def _stack_jac(items, x, args):
        if not items:
            return np.zeros((0, np.size(x)))
        return np.vstack([c.jacobian(x, args) for c in items])

    def g(self, x) -> np.ndarray:
        return self._stack(self.eqs, x, self.args)

    def h(self, x) -> np.ndarray:
        return self._stack(self.ineqs, x, self.args)

    def jac_g(self, x) -> np.ndarray:
        return self._stack_jac(self.eqs, x, self.args)

    def jac_h(self, x) -> np.ndarray:
        return self._stack_jac(self.ineqs, x, self.args)

    def sizes(self, x) -> tuple[list[int], list[int]]:
        """Number of components of each equality and inequality at x."""
        return ([c.value(x, self.args).size for c in self.eqs],
                [c.value(x, self.args).size for c in self.ineqs])

    def hess_terms(self, x, lam, alpha) -> np.ndarray:
        """Σ λᵢ∇²gᵢ(x) + Σ αⱼ∇²hⱼ(x)."""
        n = np.size(x)
        H = np.zeros((n, n))
        ge, gi = self.sizes(x)
        for items, sizes, mult in ((self.eqs, ge, lam), (self.ineqs, gi, alpha)):
            off = 0
            for c, m in zip(items, sizes):
                H += c.hess_weighted(x, np.asarray(mult[off:off + m]), self.args)
                off += m
        return H

    def labels(self, x) -> list[str]:
        """A readable name for each stacked inequality component (used in active sets)."""
        out = []
        for j, (c, m) in enumerate(zip(self.ineqs, self.sizes(x)[1])):
            if c.name == "bounds":
                out.extend(self.ineq_labels or [f"bound[{k}]" for k in range(m)])
            else:
                base = c.name or f"ineq{j}"
                out.extend([base] if m == 1 else [f"{base}[{k}]" for k in range(m)])
        return out
