r"""steepest's multipliers (λ, α) in the conventions of scipy's SLSQP and trust-constr.

steepest's Lagrangian is L = f + λᵀg + αᵀh with g(x) = 0, h(x) ≤ 0, α ≥ 0 (Goodfellow
eq. 4.14); each user constraint becomes equality and inequality rows
(:func:`~.constraints.expand_constraints`), bound rows last. scipy states its multipliers per
method:

* **SLSQP** (``res.multipliers``): L = f − μᵀc for constraints c(x) = 0 and c(x) ≥ 0, μ ≥ 0 on
  the inequalities (Nocedal & Wright 2006, eq. 12.33); all equality rows first, then all
  inequality rows, in the order of the constraints; bound multipliers are not returned. A
  ``LinearConstraint``/``NonlinearConstraint`` is first split as scipy's
  ``new_constraint_to_old`` does: its equality rows, then one inequality block of its lower
  rows c − lb ≥ 0 followed by its upper rows ub − c ≥ 0. So μ = −λ on equalities and μ = α on
  inequalities.
* **trust-constr** (``res.v``): one array per constraint, of that constraint's length, with
  ∇f + Σ Jᵢᵀvᵢ = 0 at the solution (its ``lagrangian_grad``); ``bounds`` add a last array
  of length n. For lb ≤ c(x) ≤ ub, v = λ on equality rows, +α where the upper side binds and
  −α where the lower side binds; a dict ``"ineq"`` (c ≥ 0) is a lower side. trust-constr's
  ``grad``, ``lagrangian_grad``, ``optimality``, ``constr_violation`` and ``niter`` are added
  too.

Reference:
    Nocedal & Wright, *Numerical Optimization*, 2nd ed. (2006), §12.3 (KKT conditions);
    scipy.optimize's ``_minimize_slsqp`` and ``_minimize_trustregion_constr`` documentation.

Example:
    >>> import numpy as np
    >>> from steepest import minimize
    >>> cons = [{"type": "ineq", "fun": lambda x: 1.0 - x[0] - x[1]}]
    >>> res = minimize(lambda x: (x[0] - 1) ** 2 + (x[1] - 1) ** 2, np.zeros(2),
    ...                method="SLSQP", constraints=cons)
    >>> np.round(res.multipliers, 6).tolist()  # ∇f = μ ∇c at x = (0.5, 0.5)
    [1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._scipy_methods import trust_constr_status
from .constraints import ConstraintSet, _Constraint, bounds_arrays, expand_constraints

__all__ = ["add_scipy_multipliers"]


def _user_list(constraints: Any) -> list[Any]:
    if constraints is None:
        return []
    if isinstance(constraints, (_Constraint, dict)) or hasattr(constraints, "lb"):
        return [constraints]
    return list(constraints)


def _is_scipy_object(c: Any) -> bool:
    return hasattr(c, "lb") and hasattr(c, "ub") and (hasattr(c, "A") or hasattr(c, "fun"))


def _sides(c: Any, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks of the equality, upper and lower rows of ``lb <= c(x) <= ub`` (length m)."""
    lb = np.broadcast_to(np.atleast_1d(np.asarray(c.lb, dtype=float)), (m,))
    ub = np.broadcast_to(np.atleast_1d(np.asarray(c.ub, dtype=float)), (m,))
    eq = np.isfinite(lb) & (lb == ub)
    return eq, np.isfinite(ub) & ~eq, np.isfinite(lb) & ~eq


def _split(c: Any, x: np.ndarray, args: tuple, lam: np.ndarray, alpha: np.ndarray,
           offsets: list[int]) -> list[tuple[str, np.ndarray]]:
    """The multipliers of ``c``'s rows as ``(kind, values)`` pairs, advancing ``offsets``
    (equality, inequality) through steepest's stacked λ and α."""
    out = []
    for part in expand_constraints(c):
        k = part.value(x, args).size
        which = 0 if part.kind == "eq" else 1
        source = lam if which == 0 else alpha
        out.append((part.kind, np.asarray(source[offsets[which]:offsets[which] + k])))
        offsets[which] += k
    return out


def _trust_constr_v(c: Any, parts: list[tuple[str, np.ndarray]]) -> np.ndarray:
    if not _is_scipy_object(c):
        (kind, values), = parts
        negate = isinstance(c, dict) and kind == "ineq"  # c(x) >= 0 is a lower side
        return -values if negate else values.copy()
    # with scalar lb and ub every part covers all rows; otherwise lb/ub give the length
    m = max(np.size(c.lb), np.size(c.ub), max(v.size for _, v in parts))
    masks = _sides(c, m)
    v = np.zeros(m)
    present = [(mask, sign) for mask, sign in zip(masks, (1.0, 1.0, -1.0)) if mask.any()]
    for (mask, sign), (_, values) in zip(present, parts):
        v[mask] += sign * values
    return v


def _slsqp_rows(c: Any, parts: list[tuple[str, np.ndarray]]) -> tuple[list, list]:
    """(equality multipliers, inequality multipliers) of ``c`` in SLSQP's order."""
    eqs = [-v for kind, v in parts if kind == "eq"]
    ineqs = [v for kind, v in parts if kind == "ineq"]
    if _is_scipy_object(c) and len(ineqs) == 2:  # steepest: upper, lower; scipy: lower, upper
        ineqs = ineqs[::-1]
    return eqs, ineqs


def _bounds_v(bounds: Any, n: int, alpha_bounds: np.ndarray) -> np.ndarray:
    lo, hi = bounds_arrays(bounds, n)
    v, j = np.zeros(n), 0
    for i in range(n):  # bound rows: lower (if finite), then upper (if finite), per variable
        if np.isfinite(lo[i]):
            v[i] -= alpha_bounds[j]
            j += 1
        if np.isfinite(hi[i]):
            v[i] += alpha_bounds[j]
            j += 1
    return v


def add_scipy_multipliers(method: str, res: Any, constraints: Any, bounds: Any,
                          args: tuple = ()) -> Any:
    """Add scipy's multiplier field for ``method`` to a constrained result, in place.

    Args:
        method: the scipy name the user gave (``"SLSQP"`` or ``"trust-constr"``; other names
            leave ``res`` as it is).
        res: steepest's constrained result (with ``x``, ``lam``, ``alpha``).
        constraints: the constraints as the user passed them.
        bounds: the bounds as the user passed them (or None).
        args: the extra arguments of the constraint functions.

    Returns:
        ``res``, with ``multipliers`` (SLSQP), or ``v`` (a list of arrays), ``grad``,
        ``lagrangian_grad``, ``optimality``, ``constr_violation`` and ``niter``, and scipy's
        ``status``/``message`` (:func:`~steepest._scipy_methods.trust_constr_status`)
        (trust-constr).

    Example:
        >>> import numpy as np
        >>> from scipy.optimize import NonlinearConstraint
        >>> from steepest import minimize
        >>> con = NonlinearConstraint(lambda x: x[0] + x[1], -np.inf, 1.0,
        ...                           jac=lambda x: np.ones((1, 2)))
        >>> res = minimize(lambda x: (x[0] - 1) ** 2 + (x[1] - 1) ** 2, np.zeros(2),
        ...                method="trust-constr", constraints=[con])
        >>> [np.round(v, 6).tolist() for v in res.v]  # ∇f + v ∇c = 0: upper side binds
        [[1.0]]
    """
    key = method.lower() if isinstance(method, str) else ""
    if key not in ("slsqp", "trust-constr") or "lam" not in res:
        return res
    x = np.asarray(res["x"], dtype=float)
    lam = np.asarray(res["lam"], dtype=float)
    alpha = np.asarray(res["alpha"], dtype=float)
    offsets = [0, 0]
    users = _user_list(constraints)
    parts = [_split(c, x, tuple(args), lam, alpha, offsets) for c in users]
    if key == "slsqp":
        rows = [_slsqp_rows(c, p) for c, p in zip(users, parts)]
        eqs = [v for r in rows for v in r[0]]
        ineqs = [v for r in rows for v in r[1]]
        res["multipliers"] = np.concatenate([np.zeros(0), *eqs, *ineqs])
        return res
    v = [_trust_constr_v(c, p) for c, p in zip(users, parts)]
    if bounds is not None:
        v.append(_bounds_v(bounds, x.size, alpha[offsets[1]:]))
    res["v"] = v
    _trust_constr_fields(res, x, lam, alpha, ConstraintSet.build(users, bounds, x.size, args))
    trust_constr_status(res)
    return res


def _trust_constr_fields(res: Any, x: np.ndarray, lam: np.ndarray, alpha: np.ndarray,
                         cs: ConstraintSet) -> None:
    """trust-constr's ``grad``, ``lagrangian_grad`` = ∇f + Σ Jᵢᵀvᵢ (= steepest's ∇ₓL),
    ``optimality`` (its max-norm), ``constr_violation`` and ``niter``."""
    grad = np.asarray(res["jac"], dtype=float)
    lagrangian_grad = grad + cs.jac_g(x).T @ lam + cs.jac_h(x).T @ alpha
    g, h = cs.g(x), cs.h(x)
    violation = max(np.max(np.abs(g), initial=0.0), np.max(h, initial=0.0))
    res.update(grad=grad, lagrangian_grad=lagrangian_grad,
               optimality=np.float64(np.max(np.abs(lagrangian_grad), initial=0.0)),
               constr_violation=np.float64(max(violation, 0.0)), niter=int(res["nit"]))
