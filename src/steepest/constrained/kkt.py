"""The generalized Lagrangian (eq. 4.14), KKT certificates, and multiplier sign conventions.

Sign convention (Goodfellow et al.'s, §4.4 eq. 4.14), for min f s.t. g(x) = 0, h(x) ≤ 0:

    L(x, λ, α) = f(x) + Σᵢ λᵢ gᵢ(x) + Σⱼ αⱼ hⱼ(x),    α ≥ 0.

A point x* with multipliers (λ, α) is a KKT point when

* stationarity          ∇ₓL = ∇f + Jgᵀλ + Jhᵀα = 0,
* primal feasibility    g(x) = 0, h(x) ≤ 0,
* dual feasibility      α ≥ 0,
* complementary slackness  α ⊙ h(x) = 0.

For maximization (eqs. 4.19–4.20) we report multipliers of L = f + Σλg − Σαh (α ≥ 0), so that
stationarity reads ∇f + Jgᵀλ − Jhᵀα = 0; this equals minimizing −f with the sign of λ flipped.
The example of course notes on Goodfellow et al. §4.4, maximize x + y on x² + y² = 32, written
with g = ½x² + ½y² − 16, then has λ = −1/4 at (4, 4), exactly as in the notes.

Peers use other signs; :func:`convert_multipliers` translates (checked on scipy 1.17):

==========================  ===========  =====================================================
convention                  equalities   inequalities
==========================  ===========  =====================================================
``"steepest"``              λ            α (for h(x) ≤ 0)
``"scipy-slsqp"``           −λ           α (scipy ``{'type': 'ineq', 'fun': c}`` with c = −h)
``"scipy-trust-constr"``    λ            α for ``NonlinearConstraint(h, -inf, 0)``
``"scipy-trust-constr-lb"`` λ            −α for ``NonlinearConstraint(c, 0, inf)``, c = −h
==========================  ===========  =====================================================

(SLSQP returns ``res.multipliers`` as [equalities…, inequalities…]; trust-constr returns
``res.v``, one array per constraint object, multiplying the constraint function as given.)
The table is for minimization multipliers. A ``maximize_constrained`` result (eq. 4.20 signs)
corresponds to minimizing −f with multipliers (−λ, α): convert ``(-res.lam, res.alpha)``.

References:
    Goodfellow, Bengio, Courville, *Deep Learning*, §4.4. Nocedal & Wright, *Numerical
    Optimization*, Thm. 12.1. Karush (1939); Kuhn & Tucker (1951).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import autodiff
from .._validate import check_positive_float
from .constraints import ConstraintSet, Eq, Ineq, _Constraint

__all__ = [
    "lagrangian",
    "KKTCondition",
    "KKTReport",
    "kkt_check",
    "kkt_report",
    "convert_multipliers",
    "CONVENTIONS",
]


def _wrap(items, cls):
    if items is None:
        return []
    if callable(items) or isinstance(items, (_Constraint, dict)):
        items = [items]
    return [c if isinstance(c, (_Constraint, dict)) else cls(c) for c in items]


def lagrangian(f, eqs=(), ineqs=(), *, maximize: bool = False):
    """The generalized Lagrangian L(x, λ, α) of eq. 4.14, as a differentiable function.

    L(x, λ, α) = f(x) + Σλᵢgᵢ(x) + Σαⱼhⱼ(x)  (``maximize=True``: f + Σλg − Σαh, eq. 4.20).

    Args:
        f: objective f(x). eqs: g functions or :class:`Eq` objects (g(x) = 0).
        ineqs: h functions or :class:`Ineq` objects (h(x) ≤ 0).
        maximize: use the sign convention of eq. 4.20 for a maximization problem.

    Returns:
        L(x, lam, alpha): lam/alpha are flat vectors over the stacked components (sizes from
        the first call). Built from NumPy operations only, so ``steepest.grad`` differentiates
        it in x, λ or α.

    Example:
        >>> import numpy as np
        >>> L = lagrangian(lambda x: x[0] + x[1], eqs=[lambda x: 0.5 * x @ x - 16.0])
        >>> float(L(np.array([4.0, 4.0]), np.array([-0.25]), None))
        8.0
    """
    eq_items, in_items = _wrap(eqs, Eq), _wrap(ineqs, Ineq)
    cs = ConstraintSet.build([*eq_items, *in_items])
    sign = -1.0 if maximize else 1.0

    def L(x, lam=None, alpha=None):
        val = f(x)
        for items, mult, s in ((cs.eqs, lam, 1.0), (cs.ineqs, alpha, sign)):
            if not items:
                continue
            if isinstance(mult, (list, tuple, float, int)):
                mult = np.atleast_1d(np.asarray(mult, dtype=float))
            off = 0
            for c in items:
                gx = c.fun(x)
                m = int(np.size(gx))
                w = np.zeros(m) if mult is None else mult[off:off + m]
                val = val + s * np.sum(w * gx)
                off += m
        return val

    return L


@dataclass(frozen=True)
class KKTCondition:
    """One KKT condition: its residual (∞-norm), tolerance and verdict.

    Attributes:
        name: the condition, e.g. ``"stationarity ‖∇ₓL‖"``.
        value: its residual (∞-norm).
        tol: the tolerance it is compared with.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (the KKT conditions).

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import Eq, kkt_check
        >>> rep = kkt_check(lambda x: x[0] + x[1], np.array([-4.0, -4.0]), lam=[0.25],
        ...                 eqs=[Eq(lambda x: 0.5 * x @ x - 16, jac=lambda x: x)],
        ...                 jac=lambda x: np.ones(2))
        >>> c = rep.stationarity
        >>> c.value <= c.tol
        True
    """

    name: str
    value: float
    tol: float

    @property
    def passed(self) -> bool:
        return bool(np.isfinite(self.value) and self.value <= self.tol)


@dataclass(frozen=True)
class KKTReport:
    """The four KKT conditions at a candidate point, each with tolerance and pass/fail.

    Residuals (∞-norms): stationarity ‖∇ₓL‖, primal feasibility max(|g|, h⁺), dual feasibility
    max(−α)⁺, complementary slackness ‖α ⊙ h(x)‖.

    Attributes:
        stationarity: ‖∇f + Jgᵀλ + Jhᵀα‖.
        primal_feasibility: max(|g|, h⁺).
        dual_feasibility: max(−α)⁺.
        complementary_slackness: ‖α ⊙ h(x)‖.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (the KKT conditions of eq. 4.14); Nocedal & Wright,
        *Numerical Optimization*, 2nd ed., Theorem 12.1.

    Example:
        min x² s.t. 1 − x ≤ 0 at x* = 1 with α = 2: ∇f + α∇h = 2 − 2 = 0, the constraint is
        active and α ≥ 0, so all four conditions hold.

        >>> import numpy as np
        >>> from steepest.constrained import Ineq, kkt_check
        >>> rep = kkt_check(lambda x: x @ x, np.array([1.0]), alpha=[2.0],
        ...                 ineqs=[Ineq(lambda x: 1.0 - x[0], jac=lambda x: np.array([-1.0]))],
        ...                 jac=lambda x: 2 * x)
        >>> rep.passed, len(rep.conditions)
        (True, 4)
    """

    stationarity: KKTCondition
    primal_feasibility: KKTCondition
    dual_feasibility: KKTCondition
    complementary_slackness: KKTCondition

    @property
    def conditions(self) -> tuple[KKTCondition, ...]:
        return (self.stationarity, self.primal_feasibility, self.dual_feasibility,
                self.complementary_slackness)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.conditions)

    @property
    def max_residual(self) -> float:
        return max(c.value for c in self.conditions)

    def rows(self) -> list[tuple[str, float, float, str]]:
        return [(c.name, c.value, c.tol, "pass" if c.passed else "FAIL") for c in self.conditions]

    def __str__(self) -> str:
        lines = [f"{'condition':<26}{'residual':>12}{'tol':>10}  verdict"]
        lines += [f"{n:<26}{v:>12.3e}{t:>10.1e}  {p}" for n, v, t, p in self.rows()]
        return "\n".join(lines)


def _norm(v) -> float:
    v = np.asarray(v, dtype=float)
    return float(np.max(np.abs(v))) if v.size else 0.0


def _tols(tol) -> tuple[float, float, float, float]:
    if isinstance(tol, dict):
        d = 1e-6
        return (tol.get("stationarity", d), tol.get("primal", d), tol.get("dual", d),
                tol.get("complementarity", d))
    t = check_positive_float(tol, "tol")
    return (t, t, t, t)


def kkt_report(grad_f, cs: ConstraintSet, x, lam, alpha, tol=1e-6, *,
               maximize: bool = False) -> KKTReport:
    """KKT report from an already computed ∇f(x) and a :class:`ConstraintSet`."""
    x = np.asarray(x, dtype=float)
    lam = np.zeros(0) if lam is None else np.atleast_1d(np.asarray(lam, float))
    alpha = np.zeros(0) if alpha is None else np.atleast_1d(np.asarray(alpha, float))
    g, h = cs.g(x), cs.h(x)
    if lam.size != g.size or alpha.size != h.size:
        raise ValueError(f"got {lam.size} equality and {alpha.size} inequality multipliers for "
                         f"{g.size} equality and {h.size} inequality components.")
    sign = -1.0 if maximize else 1.0
    grad_L = np.asarray(grad_f, float) + cs.jac_g(x).T @ lam + sign * (cs.jac_h(x).T @ alpha)
    ts, tp, td, tc = _tols(tol)
    return KKTReport(
        KKTCondition("stationarity ‖∇ₓL‖", _norm(grad_L), ts),
        KKTCondition("primal feasibility", max(_norm(g), _norm(np.maximum(h, 0.0))), tp),
        KKTCondition("dual feasibility α ≥ 0", _norm(np.maximum(-alpha, 0.0)), td),
        KKTCondition("complementary ‖α⊙h‖", _norm(alpha * h), tc),
    )


def kkt_check(f, x, lam=None, alpha=None, eqs=(), ineqs=(), *, jac=None, bounds=None,
              tol=1e-6, maximize: bool = False, args=()) -> KKTReport:
    """Check the KKT conditions at any candidate (x, λ, α), e.g. one obtained elsewhere.

    Args:
        f: objective. x: candidate point. lam: equality multipliers (stacked). alpha:
        inequality multipliers (stacked; bound rows, if ``bounds`` is given, come last in the
        order lower/upper per variable). eqs / ineqs: functions or Eq / Ineq objects.
        jac: ∇f (default: steepest.autodiff.grad). tol: float or dict with keys
        stationarity / primal / dual / complementarity. maximize: eq. 4.20 signs.

    Returns:
        KKTReport with residuals, tolerances and pass/fail.

    Example:
        >>> import numpy as np
        >>> rep = kkt_check(lambda x: x[0] + x[1], np.array([4.0, 4.0]), lam=[-0.25],
        ...                 eqs=[Eq(lambda x: 0.5 * x @ x - 16, jac=lambda x: x)],
        ...                 jac=lambda x: np.ones(2), maximize=True)
        >>> rep.passed
        True
    """
    x = np.asarray(x, dtype=float)
    cs = ConstraintSet.build([*_wrap(eqs, Eq), *_wrap(ineqs, Ineq)], bounds=bounds, n=x.size,
                             args=args)
    gf = jac(x, *args) if jac is not None else autodiff.grad(lambda z: f(z, *args))(x)
    return kkt_report(gf, cs, x, lam, alpha, tol, maximize=maximize)


CONVENTIONS: dict[str, tuple[float, float]] = {
    "steepest": (1.0, 1.0),
    "scipy-slsqp": (-1.0, 1.0),
    "scipy-trust-constr": (1.0, 1.0),
    "scipy-trust-constr-lb": (1.0, -1.0),
}


def convert_multipliers(lam, alpha, *, to: str, frm: str = "steepest"):
    """Translate (λ, α) between sign conventions (table in the module docstring).

    Args:
        lam: equality multipliers. alpha: inequality multipliers.
        to / frm: names in :data:`CONVENTIONS`.

    Returns:
        (eq_multipliers, ineq_multipliers) as arrays in the target convention.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (eqs. 4.14 and 4.19-4.20); the scipy SLSQP and
        Nocedal & Wright (ch. 12) sign conventions.

    Example:
        >>> convert_multipliers([0.125], [2.0], to="scipy-slsqp")
        (array([-0.125]), array([2.]))
    """
    for name in (to, frm):
        if name not in CONVENTIONS:
            raise ValueError(f"unknown convention {name!r}; choose from {sorted(CONVENTIONS)}.")
    se_from, si_from = CONVENTIONS[frm]
    se_to, si_to = CONVENTIONS[to]
    lam = np.atleast_1d(np.asarray(lam if lam is not None else [], float))
    alpha = np.atleast_1d(np.asarray(alpha if alpha is not None else [], float))
    return lam * (se_from * se_to), alpha * (si_from * si_to)
