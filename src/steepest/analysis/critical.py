"""Critical points: the multidimensional second-derivative test and a multi-start finder.

Goodfellow et al., *Deep Learning*, §4.3.1: at a critical point (∇f = 0) the eigenvalues of the
Hessian decide — all positive: local minimum; all negative: local maximum; at least one
positive and one negative: saddle point; and when all nonzero eigenvalues share a sign but at
least one is zero, the test is *inconclusive* (like f″ = 0 in one dimension).

"Zero" is decided relative to the problem, never against an absolute 1e-8: an eigenvalue is zero
when |λ| ≤ tol · ‖H‖₂, and the gradient vanishes when ‖g‖ ≤ tol · ‖H‖₂ · s, with s the length
scale of x (max(‖x‖, 1) unless given), i.e. when the Newton correction is a relative tol of x.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import qmc

from .._validate import (
    check_bounds,
    check_finite_array,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    check_seed,
)
from ..objective import NonFiniteDerivativeError, Objective
from ._inputs import (
    GradFn,
    HessFn,
    HvpFn,
    ScalarFn,
    analysis_objective,
)

__all__ = [
    "CriticalKind",
    "CriticalPoint",
    "CriticalPoints",
    "classify_critical_point",
    "find_critical_points",
]


MAX_STEP = 0.1
"""Newton steps of the search are capped at this fraction of the half box diagonal."""


class CriticalKind(enum.StrEnum):
    """Outcome of the second-derivative test (a ``str`` enum: ``kind == "saddle"`` works).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3.1 (the second-derivative test).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import classify_critical_point
        >>> p = classify_critical_point(lambda x: x[0]**2 - x[1]**2, [0.0, 0.0],
        ...     grad=lambda x: np.array([2 * x[0], -2 * x[1]]), hess=lambda x: np.diag([2.0, -2.0]))
        >>> p.kind is CriticalKind.SADDLE, p.kind == "saddle"
        (True, True)
    """

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    SADDLE = "saddle"
    INCONCLUSIVE = "inconclusive"
    NOT_CRITICAL = "not_critical"


@dataclass(frozen=True)
class CriticalPoint:
    """A point, its classification and the evidence for it.

    Attributes:
        x: the point (flat vector).
        kind: :class:`CriticalKind`.
        value: f(x).
        grad_norm: ‖∇f(x)‖₂.
        eigenvalues: Hessian eigenvalues, ascending.
        grad_tol: gradient-norm threshold used (‖g‖ ≤ grad_tol means critical).
        eig_tol: eigenvalue threshold used (|λ| ≤ eig_tol counts as zero).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3.1 (critical points and the second-derivative test).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import classify_critical_point
        >>> p = classify_critical_point(lambda x: x[0]**2 - x[1]**2, [0.0, 0.0],
        ...     grad=lambda x: np.array([2 * x[0], -2 * x[1]]), hess=lambda x: np.diag([2.0, -2.0]))
        >>> p.kind.value, p.x.tolist()
        ('saddle', [0.0, 0.0])
    """

    x: np.ndarray
    kind: CriticalKind
    value: float
    grad_norm: float
    eigenvalues: np.ndarray
    grad_tol: float
    eig_tol: float

    @property
    def is_critical(self) -> bool:
        return self.kind is not CriticalKind.NOT_CRITICAL


def _kind_from_eigenvalues(lam: np.ndarray, eig_tol: float) -> CriticalKind:
    n_pos = int(np.sum(lam > eig_tol))
    n_neg = int(np.sum(lam < -eig_tol))
    n_zero = lam.size - n_pos - n_neg
    if n_pos and n_neg:
        return CriticalKind.SADDLE  # curvature of both signs: a saddle even with zero modes
    if n_zero:
        return CriticalKind.INCONCLUSIVE  # all nonzero share a sign, at least one is zero
    return CriticalKind.MINIMUM if n_pos else CriticalKind.MAXIMUM


def _tolerances(H_norm: float, x: np.ndarray, tol: float, x_scale: float | None,
                grad_tol: float | None, eig_tol: float | None) -> tuple[float, float]:
    s = max(float(np.linalg.norm(x)), 1.0) if x_scale is None else x_scale
    gt = tol * H_norm * s if grad_tol is None else grad_tol
    et = tol * H_norm if eig_tol is None else eig_tol
    return gt, et


def _classify(obj: Objective, x: np.ndarray, tol: float, x_scale: float | None,
              grad_tol: float | None, eig_tol: float | None) -> CriticalPoint:
    g = obj.grad(x)
    lam = np.linalg.eigvalsh(obj.hessian(x, symmetric=True))
    H_norm = float(np.max(np.abs(lam)))
    gt, et = _tolerances(H_norm, x, tol, x_scale, grad_tol, eig_tol)
    gn = float(np.linalg.norm(g))
    kind = _kind_from_eigenvalues(lam, et) if gn <= gt else CriticalKind.NOT_CRITICAL
    return CriticalPoint(x=x.copy(), kind=kind, value=obj.f(x), grad_norm=gn,
                         eigenvalues=lam, grad_tol=gt, eig_tol=et)


def classify_critical_point(f: ScalarFn, x: Any, *, tol: float = 1e-6,
                            x_scale: float | None = None, grad_tol: float | None = None,
                            eig_tol: float | None = None, grad: GradFn | None = None,
                            hess: HessFn | None = None, hvp: HvpFn | None = None
                            ) -> CriticalPoint:
    """The multidimensional second-derivative test at x, with scale-aware tolerances.

    With λ the eigenvalues of H = ∇²f(x) and ‖H‖₂ = max|λ|:

    * ‖∇f(x)‖ > tol · ‖H‖₂ · s  →  ``not_critical`` (s = ``x_scale`` or max(‖x‖, 1));
    * some λ > tol·‖H‖₂ and some λ < −tol·‖H‖₂  →  ``saddle``;
    * otherwise some |λ| ≤ tol·‖H‖₂  →  ``inconclusive``;
    * otherwise all λ > 0  →  ``minimum``; all λ < 0  →  ``maximum``.

    The test needs the sign of every eigenvalue, so the dense Hessian is formed (n² memory).

    Args:
        f: scalar function.
        x: candidate point.
        tol: relative tolerance for both tests (lower it for very ill-conditioned minima:
            a λ smaller than tol·‖H‖ reads as zero, hence ``inconclusive``).
        x_scale: length scale of x for the gradient test.
        grad_tol, eig_tol: absolute thresholds overriding the relative ones.
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        A :class:`CriticalPoint` with the kind, gradient norm, eigenvalues and tolerances used.

    Example:
        >>> import numpy as np
        >>> r = classify_critical_point(lambda x: x[0]**2 - x[1]**2, [0.0, 0.0],
        ...     grad=lambda x: np.array([2 * x[0], -2 * x[1]]),
        ...     hess=lambda x: np.diag([2.0, -2.0]))
        >>> r.kind.value
        'saddle'

    Reference: Goodfellow et al., *Deep Learning*, §4.3.1 (second-derivative test);
    Liquet et al., §4.1 (saddle points via the Hessian).
    """
    tol = check_positive_float(tol, "tol")
    if x_scale is not None:
        x_scale = check_positive_float(x_scale, "x_scale")
    for name, value in (("grad_tol", grad_tol), ("eig_tol", eig_tol)):
        if value is not None:
            check_nonnegative_float(value, name)
    obj, x0 = analysis_objective(f, x, grad, hess, hvp)
    return _classify(obj, x0, tol, x_scale, grad_tol, eig_tol)


@dataclass(frozen=True)
class CriticalPoints:
    """Distinct critical points found in a box, each classified.

    Attributes:
        points: the points, sorted by kind then value.
        n_starts: Newton runs started.
        n_converged: runs that ended at a critical point inside the box (before dedup).
        bounds: the box searched, shape ``(n, 2)``.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3.1 (figure 4.2); Liquet et al., *Mathematical
        Engineering of Deep Learning*, §4.1.

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import find_critical_points
        >>> cps = find_critical_points(lambda x: x[0]**2 - x[1]**2, [(-1, 1), (-1, 1)],
        ...     grad=lambda x: np.array([2 * x[0], -2 * x[1]]),
        ...     hess=lambda x: np.diag([2.0, -2.0]), n_starts=5)
        >>> len(cps.points), cps.points[0].kind.value
        (1, 'saddle')
    """

    points: tuple[CriticalPoint, ...]
    n_starts: int
    n_converged: int
    bounds: np.ndarray

    def of_kind(self, kind: CriticalKind | str) -> tuple[CriticalPoint, ...]:
        """The points whose kind is ``kind`` ("minimum", "maximum", "saddle", ...)."""
        k = CriticalKind(kind)
        return tuple(p for p in self.points if p.kind is k)

    @property
    def minima(self) -> tuple[CriticalPoint, ...]:
        return self.of_kind(CriticalKind.MINIMUM)

    @property
    def maxima(self) -> tuple[CriticalPoint, ...]:
        return self.of_kind(CriticalKind.MAXIMUM)

    @property
    def saddles(self) -> tuple[CriticalPoint, ...]:
        return self.of_kind(CriticalKind.SADDLE)


def find_critical_points(f: ScalarFn, bounds: Any, *, n_starts: int | None = None,
                         starts: Any = None, seed: int = 0, tol: float = 1e-6, maxiter: int = 60,
                         dedup_tol: float | None = None, grad: GradFn | None = None,
                         hess: HessFn | None = None, hvp: HvpFn | None = None
                         ) -> CriticalPoints:
    """All critical points of f in a box by multi-start Newton on ∇f(x) = 0.

    Each start runs Newton's method on the gradient equation, x ← x − t H⁻¹∇f (least-squares
    solve when H is singular; t ≤ 1 caps the step at 10 % of the half box diagonal and is
    halved while ‖∇f‖ does not decrease). Unlike a
    minimizer it is attracted to minima, maxima and saddles alike. Runs that leave the box or
    stall are dropped; the rest are deduplicated (distance ≤ ``dedup_tol``) and classified
    with :func:`classify_critical_point` (length scale = half the box diagonal).

    Args:
        f: scalar function of a vector.
        bounds: box ``[(low, high), ...]``, one pair per coordinate.
        n_starts: Newton runs (default 100 · n, at least 60), placed by a scrambled Halton
            sequence in the box.
        starts: explicit start points, shape ``(m, n)`` (replaces the Halton starts).
        seed: seed of the start sequence.
        tol: relative tolerance of the classification (see :func:`classify_critical_point`).
        maxiter: Newton steps per start.
        dedup_tol: merge distance (default 1e-5 · box diagonal).
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        A :class:`CriticalPoints` (``.minima``, ``.maxima``, ``.saddles``, ``.of_kind``).

    Example:
        >>> import numpy as np
        >>> cps = find_critical_points(lambda x: x[0]**2 - x[1]**2, [(-1, 1), (-1, 1)],
        ...     grad=lambda x: np.array([2 * x[0], -2 * x[1]]),
        ...     hess=lambda x: np.diag([2.0, -2.0]), n_starts=5)
        >>> [(p.kind.value, p.x.tolist()) for p in cps.points]
        [('saddle', [0.0, 0.0])]

    Reference: Goodfellow et al., §4.3.1 (critical points, figure 4.2); Liquet et al. §4.1
    (figure 4.1 (b), the peaks function).
    """
    box = check_bounds(bounds)
    tol = check_positive_float(tol, "tol")
    maxiter = check_positive_int(maxiter, "maxiter")
    n = box.shape[0]
    n_starts = max(60, 100 * n) if n_starts is None else check_positive_int(n_starts, "n_starts")
    diag = float(np.linalg.norm(box[:, 1] - box[:, 0]))
    merge = 1e-5 * diag if dedup_tol is None else check_positive_float(dedup_tol, "dedup_tol")
    obj, _ = analysis_objective(f, box.mean(axis=1), grad, hess, hvp)
    if starts is None:
        starts = qmc.scale(qmc.Halton(d=n, scramble=True, seed=check_seed(seed)).random(n_starts),
                           box[:, 0], box[:, 1])
    else:
        starts = check_finite_array(np.atleast_2d(np.asarray(starts, dtype=float)), "starts",
                                    shape=(None, n))
        n_starts = starts.shape[0]
    found: list[CriticalPoint] = []
    for x0 in starts:
        try:
            x = _newton_on_gradient(obj, x0, box, tol, 0.5 * diag, maxiter)
            if x is None:
                continue
            cp = _classify(obj, x, tol, 0.5 * diag, None, None)
        except NonFiniteDerivativeError:
            continue  # a start that ran into NaN/inf derivatives is abandoned, not fatal
        if cp.is_critical:
            found.append(cp)
    points = _deduplicate(found, merge)
    order = [k for k in CriticalKind]
    points.sort(key=lambda p: (order.index(p.kind), p.value))
    return CriticalPoints(tuple(points), n_starts, len(found), box)


def _newton_on_gradient(obj: Objective, x0: np.ndarray, box: np.ndarray, tol: float,
                        scale: float, maxiter: int) -> np.ndarray | None:
    """Damped Newton on ∇f = 0; the point reached inside the box, or None if it left/stalled."""
    x = x0.astype(float)
    g = obj.grad(x)
    margin = 1e-9 * scale
    for _ in range(maxiter):
        H = obj.hessian(x, symmetric=True)
        gn = float(np.linalg.norm(g))
        if gn <= 1e-3 * tol * max(float(np.linalg.norm(H, 2)), np.finfo(float).tiny) * scale:
            return x
        p = -np.linalg.lstsq(H, g, rcond=None)[0]
        t = min(1.0, MAX_STEP * scale / max(float(np.linalg.norm(p)), np.finfo(float).tiny))
        for _ in range(30):
            x_new = x + t * p
            try:
                g_new = obj.grad(x_new)
                if np.linalg.norm(g_new) < gn:
                    break
            except NonFiniteDerivativeError:
                pass
            t *= 0.5
        else:
            return x  # no decrease possible in floating point: let the classifier judge
        x, g = x_new, g_new
        if np.any(x < box[:, 0] - margin) or np.any(x > box[:, 1] + margin):
            return None
    return x


def _deduplicate(points: list[CriticalPoint], merge: float) -> list[CriticalPoint]:
    """Keep one point per cluster (the one with the smallest gradient norm)."""
    kept: list[CriticalPoint] = []
    for p in sorted(points, key=lambda q: q.grad_norm):
        if all(np.linalg.norm(p.x - q.x) > merge for q in kept):
            kept.append(p)
    return kept
