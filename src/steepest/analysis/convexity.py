"""Sampled convexity checks: the definition (Liquet eq. 4.3) and Hessian PSD-ness.

Liquet, Moka & Nazarathy, *Mathematical Engineering of Deep Learning*, §4.1: C is convex on a
convex set Θ when for all θ, φ ∈ Θ and λ ∈ [0, 1]

    C(λθ + (1 − λ)φ) ≤ λ C(θ) + (1 − λ) C(φ)            (4.3)

and, for C twice differentiable, iff ∇²C(θ) is positive semidefinite at every interior point.

Sampling can *refute* convexity but never prove it. When a violation is found it is returned as
a concrete triple (θ, φ, λ) whose gap C(λθ+(1−λ)φ) − [λC(θ)+(1−λ)C(φ)] exceeds the rounding
level — a counterexample anyone can re-evaluate. A negative Hessian eigenvalue at x with
eigenvector v is turned into such a triple: θ = x + tv, φ = x − tv, λ = ½ gives a gap of
≈ −½ t² λmin > 0 for small t.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import check_bounds, check_positive_float, check_positive_int, check_seed
from ..objective import Objective
from ._inputs import GradFn, HessFn, HvpFn, ScalarFn, analysis_objective
from .lanczos import lanczos_extremes

__all__ = ["ConvexityStatus", "ConvexityCounterexample", "ConvexityReport", "convexity_check"]


class ConvexityStatus(enum.StrEnum):
    """Verdict of :func:`convexity_check`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1 "Convexity and Saddle
        Points" (eq. 4.3).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import convexity_check
        >>> convexity_check(lambda x: x @ x, [(-1.0, 1.0)], check_hessian=False).status.value
        'no_violation_found'
    """

    NO_VIOLATION_FOUND = "no_violation_found"
    """Every sampled triple satisfied eq. 4.3 and every sampled Hessian was PSD (not a proof)."""
    NOT_CONVEX = "not_convex"
    """A counterexample to eq. 4.3 was found and verified (``counterexample``)."""
    HESSIAN_INDEFINITE = "hessian_indefinite"
    """A Hessian had a negative eigenvalue beyond tolerance, but no triple violating eq. 4.3 by
    more than the rounding level could be built from it (a very weak non-convexity)."""


@dataclass(frozen=True)
class ConvexityCounterexample:
    """A triple (θ, φ, λ) violating eq. 4.3: ``lhs > rhs``.

    Attributes:
        theta, phi: the two points.
        lam: λ in (0, 1).
        lhs: C(λθ + (1 − λ)φ).
        rhs: λ C(θ) + (1 − λ) C(φ).
        gap: lhs − rhs (> the rounding threshold).
        source: "definition" (found by sampling eq. 4.3) or "hessian" (built from a negative
            eigenvalue).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import convexity_check
        >>> r = convexity_check(lambda x: np.sin(x[0]), [(0.0, 6.0)], check_hessian=False)
        >>> c = r.counterexample
        >>> c.source, bool(c.lhs > c.rhs)
        ('definition', True)
    """

    theta: np.ndarray
    phi: np.ndarray
    lam: float
    lhs: float
    rhs: float
    gap: float
    source: str


@dataclass(frozen=True)
class ConvexityReport:
    """Result of :func:`convexity_check`.

    Attributes:
        status: :class:`ConvexityStatus`.
        counterexample: the verified violation of eq. 4.3 when ``status`` is NOT_CONVEX.
        min_hessian_eigenvalue: smallest Hessian eigenvalue seen at the samples (nan if the
            Hessian check was off).
        min_eigen_point: the sample where it occurred.
        n_triples: triples (θ, φ, λ) evaluated.
        n_hessians: Hessians examined.

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import convexity_check
        >>> r = convexity_check(lambda x: np.sin(x[0]), [(0.0, 6.0)], check_hessian=False)
        >>> r.status is ConvexityStatus.NOT_CONVEX, r.counterexample is not None
        (True, True)
    """

    status: ConvexityStatus
    counterexample: ConvexityCounterexample | None
    min_hessian_eigenvalue: float
    min_eigen_point: np.ndarray
    n_triples: int
    n_hessians: int

    @property
    def convex_on_samples(self) -> bool:
        """True when no violation was found (evidence for convexity, not a proof)."""
        return self.status is ConvexityStatus.NO_VIOLATION_FOUND


def convexity_check(f: ScalarFn, domain: Any, *, n_samples: int = 200, n_hessians: int = 32,
                    check_hessian: bool = True, rtol: float = 1e-9, seed: int = 0,
                    grad: GradFn | None = None, hess: HessFn | None = None,
                    hvp: HvpFn | None = None) -> ConvexityReport:
    """Look for violations of convexity of f on the box ``domain``.

    1. Definition: ``n_samples`` random triples (θ, φ, λ) with θ, φ uniform in the box and λ
       uniform in (0, 1); a violation counts when the gap exceeds
       ``rtol · (|C(θ)| + |C(φ)| + |C(mid)|) + tiny``.
    2. Hessian: at ``n_hessians`` sample points, λmin(∇²C); below ``−rtol · ‖H‖`` the
       eigenvector is turned into a verified counterexample (see the module docstring).

    Args:
        f: scalar function.
        domain: box ``[(low, high), ...]`` (convex, as the definition requires).
        n_samples: random triples for the definition check.
        n_hessians: Hessians for the PSD check (dense for n <= 400, Lanczos beyond).
        check_hessian: set False to use function values only (no derivatives).
        rtol: relative rounding threshold.
        seed: seed of the samples.
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        A :class:`ConvexityReport`; ``counterexample`` is set when ``status`` is NOT_CONVEX.

    Example:
        >>> import numpy as np
        >>> r = convexity_check(lambda x: np.sin(x[0]), [(0.0, 6.0)], check_hessian=False)
        >>> r.status.value, bool(r.counterexample.gap > 0)
        ('not_convex', True)

    Reference: Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1, eq. 4.3.
    """
    box = check_bounds(domain)
    m = check_positive_int(n_samples, "n_samples")
    k = check_positive_int(n_hessians, "n_hessians")
    rtol = check_positive_float(rtol, "rtol")
    obj, _ = analysis_objective(f, box.mean(axis=1), grad, hess, hvp)
    rng = np.random.default_rng(check_seed(seed))
    found = _definition_search(obj, box, m, rtol, rng)
    lam_min, where = float("nan"), box.mean(axis=1)
    n_h = 0
    hessian_bad = False
    if check_hessian:
        lam_min, where, v, H_norm, n_h = _hessian_search(obj, box, k, rng)
        hessian_bad = lam_min < -rtol * max(H_norm, np.finfo(float).tiny)
        if found is None and hessian_bad:
            found = _from_eigenvector(obj, box, where, v, rtol)
    if found is not None:
        status = ConvexityStatus.NOT_CONVEX
    elif hessian_bad:
        status = ConvexityStatus.HESSIAN_INDEFINITE
    else:
        status = ConvexityStatus.NO_VIOLATION_FOUND
    return ConvexityReport(status, found, lam_min, where, m, n_h)


def _threshold(rtol: float, *vals: float) -> float:
    return rtol * sum(abs(v) for v in vals) + 1e3 * np.finfo(float).tiny


def _triple(obj: Objective, theta: np.ndarray, phi: np.ndarray, lam: float, rtol: float,
            source: str) -> ConvexityCounterexample | None:
    ft, fp = obj.f(theta), obj.f(phi)
    mid = obj.f(lam * theta + (1.0 - lam) * phi)
    rhs = lam * ft + (1.0 - lam) * fp
    gap = mid - rhs
    if np.isfinite(gap) and gap > _threshold(rtol, ft, fp, mid):
        return ConvexityCounterexample(theta.copy(), phi.copy(), float(lam), mid, rhs, gap,
                                       source)
    return None


def _definition_search(obj: Objective, box: np.ndarray, m: int, rtol: float,
                       rng: np.random.Generator) -> ConvexityCounterexample | None:
    """Sample triples; return the violation with the largest gap, if any."""
    lo, width = box[:, 0], box[:, 1] - box[:, 0]
    best: ConvexityCounterexample | None = None
    for _ in range(m):
        theta = lo + rng.random(lo.size) * width
        phi = lo + rng.random(lo.size) * width
        lam = float(rng.uniform(0.05, 0.95))
        cand = _triple(obj, theta, phi, lam, rtol, "definition")
        if cand is not None and (best is None or cand.gap > best.gap):
            best = cand
    return best


def _hessian_search(obj: Objective, box: np.ndarray, k: int, rng: np.random.Generator
                    ) -> tuple[float, np.ndarray, np.ndarray, float, int]:
    lo, width = box[:, 0], box[:, 1] - box[:, 0]
    best = (np.inf, lo + 0.5 * width, np.zeros(lo.size), 0.0)
    for _ in range(k):
        x = lo + rng.random(lo.size) * width
        lam, V = _extremes(obj, x)
        if lam[0] < best[0]:
            best = (float(lam[0]), x, V[:, 0], float(np.max(np.abs(lam))))
    return best[0], best[1], best[2], best[3], k


def _extremes(obj: Objective, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if obj.n <= 400:
        return np.linalg.eigh(obj.hessian(x, symmetric=True))
    res = lanczos_extremes(lambda v: obj.hessp(x, v), obj.n, tol=1e-8)
    return res.eigenvalues, res.eigenvectors


def _from_eigenvector(obj: Objective, box: np.ndarray, x: np.ndarray, v: np.ndarray,
                      rtol: float) -> ConvexityCounterexample | None:
    """θ = x ± t v, λ = ½, shrinking t (and keeping x at least t inside the box)."""
    lo, hi = box[:, 0], box[:, 1]
    t = 0.25 * float(np.min(hi - lo))
    for _ in range(40):
        centre = np.clip(x, lo + t, hi - t)
        cand = _triple(obj, centre + t * v, centre - t * v, 0.5, rtol, "hessian")
        if cand is not None:
            return cand
        t *= 0.5
    return None
