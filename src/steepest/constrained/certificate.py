"""KKT certificates for points found by projection methods.

A projection set S is, for most of the sets in :mod:`.projections`, also the feasible set of
smooth constraints g(x) = 0, h(x) ≤ 0 (a ball is ‖x − c‖² − r² ≤ 0, the simplex is Σx = s with
−x ≤ 0, ...). :func:`as_constraints` returns that description (``None`` for the ℓ1 ball, whose
description is nonsmooth), and :func:`certify` estimates the multipliers at x by bound-constrained
least squares min ‖∇f + Jgᵀλ + J_Aᵀα‖ (α ≥ 0) over the active set A and builds the same
:class:`~steepest.constrained.kkt.KKTReport` the Lagrangian solvers return.
"""

from __future__ import annotations

from functools import singledispatch

import numpy as np
from scipy.optimize import lsq_linear

from .constraints import ConstraintSet, Eq, Ineq, bounds_to_ineq
from .kkt import KKTReport, kkt_report
from .projections import (
    Affine,
    Box,
    Halfspace,
    Hyperplane,
    L2Ball,
    Product,
    Projection,
    Simplex,
)

__all__ = ["as_constraints", "certify"]


@singledispatch
def as_constraints(P: Projection, n: int):
    """(eqs, ineqs) describing S ⊂ Rⁿ smoothly, or None when there is no such description.

    S = {x : g(x) = 0, h(x) ≤ 0} in Goodfellow's notation (eq. 4.14), so that the KKT
    conditions can certify a point found by projection.

    Args:
        P: a projection (:class:`Box`, :class:`L2Ball`, :class:`Simplex`, :class:`Affine` ...).
        n: the dimension of x.

    Returns:
        ``(eqs, ineqs)``, lists of :class:`Eq` and :class:`Ineq`, or None for a set without
        a registered description (e.g. the ℓ1 ball, non-smooth).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (eq. 4.14).

    Example:
        >>> from steepest.constrained import Box
        >>> eqs, ineqs = as_constraints(Box(0.0, 1.0), 2)
        >>> len(eqs), [c.name for c in ineqs]
        (0, ['bounds'])
    """
    return None


@as_constraints.register
def _(P: Box, n: int):
    ineq, _ = bounds_to_ineq((P.lower, P.upper), n)
    return [], [] if ineq is None else [ineq]


@as_constraints.register
def _(P: L2Ball, n: int):
    c = P.center
    return [], [Ineq(lambda x: (x - c) @ (x - c) - P.radius**2, jac=lambda x: 2 * (x - c))]


@as_constraints.register
def _(P: Simplex, n: int):
    return [Eq.linear(np.ones((1, n)), [P.scale])], [Ineq.linear(-np.eye(n), np.zeros(n))]


@as_constraints.register
def _(P: Affine, n: int):
    return [Eq.linear(P.A, P.b)], []


@as_constraints.register
def _(P: Halfspace, n: int):
    return [], [Ineq.linear(P.a[None, :], [P.beta])]


@as_constraints.register
def _(P: Hyperplane, n: int):
    return [Eq.linear(P.a[None, :], [P.beta])], []


def _embed(c, a: int, b: int, n: int):
    """The constraint c on the block x[a:b], as a constraint on the whole x ∈ Rⁿ."""

    def jac(x):
        J = np.zeros((np.size(c.value(x[a:b])), n))
        J[:, a:b] = c.jacobian(x[a:b])
        return J

    return type(c)(lambda x: c.fun(x[a:b]), jac=jac, linear=c.linear)


@as_constraints.register
def _(P: Product, n: int):
    eqs, ineqs = [], []
    for S, a, b in zip(P.sets, P._bounds[:-1], P._bounds[1:]):
        part = as_constraints(S, int(b - a))
        if part is None:
            return None
        eqs += [_embed(c, a, b, n) for c in part[0]]
        ineqs += [_embed(c, a, b, n) for c in part[1]]
    return eqs, ineqs


def certify(P: Projection, x, grad, tol: float, *, maximize: bool = False):
    """Multipliers and KKT report at x for min f over S (``grad`` = ∇ of what is minimized).

    The multipliers solve min ‖∇f + Jgᵀλ + Jh_Aᵀα‖ with α ≥ 0 over the active
    inequalities A (bounded least squares), then every KKT condition is measured.

    Args:
        P: the projection describing S (see :func:`as_constraints`).
        x: the point, a flat vector in S.
        grad: ∇ of the minimised function at ``x``.
        tol: tolerance of the KKT report.
        maximize: report in the maximisation convention.

    Returns:
        (lam, alpha, report) in the reporting convention (eq. 4.20 signs when ``maximize``;
        ``grad`` is then ∇(−f)), or None when S has no smooth description.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (KKT conditions, eqs. 4.14-4.20).

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import Box
        >>> lam, alpha, report = certify(Box(0.0, 1.0), np.array([1.0, 0.5]),
        ...                              np.array([-2.0, 0.0]), 1e-8)
        >>> float(alpha.max()), report.passed
        (2.0, True)
    """
    desc = as_constraints(P, x.size)
    if desc is None:
        return None
    cs = ConstraintSet.build([*desc[0], *desc[1]])
    g, h = cs.g(x), cs.h(x)
    act = np.abs(h) <= 1e-9 * (1.0 + float(np.max(np.abs(x), initial=0.0)))
    J = np.vstack([cs.jac_g(x), cs.jac_h(x)[act]])
    lam, alpha = np.zeros(g.size), np.zeros(h.size)
    if J.shape[0]:
        lo = np.concatenate([np.full(g.size, -np.inf), np.zeros(int(act.sum()))])
        y = lsq_linear(J.T, -grad, bounds=(lo, np.full(lo.size, np.inf)), method="bvls").x
        lam, alpha[act] = y[: g.size], y[g.size:]
    if maximize:
        lam = -lam
    user_grad = -grad if maximize else grad
    report: KKTReport = kkt_report(user_grad, cs, x, lam, alpha, tol, maximize=maximize)
    return lam, alpha, report
