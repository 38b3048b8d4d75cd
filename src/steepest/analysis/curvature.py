"""Curvature of a scalar function: directional second derivatives, Hessian spectrum, conditioning.

Goodfellow et al., *Deep Learning*, §4.3.1: the second derivative along a unit direction d is
dᵀHd; along an eigenvector it is the eigenvalue, otherwise a weighted average of eigenvalues,
so λmin ≤ dᵀHd/dᵀd ≤ λmax. The condition number of H (eq. 4.2, max |λi/λj|) measures how
different those second derivatives are — the reason gradient descent with one step size is slow
on ill-conditioned problems.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import (
    check_choice,
    check_positive_float,
    check_positive_int,
    check_seed,
)
from ._inputs import GradFn, HessFn, HvpFn, ScalarFn, analysis_objective, as_point
from .lanczos import lanczos_extremes

__all__ = [
    "SpectrumMethod",
    "CurvatureSpectrum",
    "HessianCondition",
    "directional_curvature",
    "curvature_spectrum",
    "hessian_condition_number",
]

DENSE_MAX_N = 400
"""Up to this dimension ``method="auto"`` forms H and calls ``numpy.linalg.eigh``."""


class SpectrumMethod(enum.Enum):
    """How :func:`curvature_spectrum` computed the eigenvalues.

    Reference:
        Golub & Van Loan, *Matrix Computations*, §8.1 (symmetric eigenproblem) and §10.1 (Lanczos).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import curvature_spectrum
        >>> s = curvature_spectrum(lambda x: x[0]**2 - x[1]**2, [0.0, 0.0],
        ...                        hess=lambda x: np.diag([2.0, -2.0]))
        >>> s.method.value
        'dense'
    """

    DENSE = "dense"
    """All eigenpairs of the formed Hessian (``numpy.linalg.eigh``)."""
    LANCZOS = "lanczos"
    """Extreme eigenpairs from Hessian-vector products only; H is never formed."""


@dataclass(frozen=True)
class CurvatureSpectrum:
    """Eigenvalues (ascending) and eigenvectors (columns) of the Hessian at a point.

    Attributes:
        eigenvalues: all n eigenvalues (dense) or the k smallest and k largest (Lanczos).
        eigenvectors: ``(n, m)`` matrix of matching unit eigenvectors.
        method: :class:`SpectrumMethod` used.
        complete: True when ``eigenvalues`` is the whole spectrum.
        converged: False only if Lanczos stopped at ``maxiter`` before meeting ``tol``.
        n_hvp: Hessian-vector products used (0 for dense).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3.1 (the Hessian's eigenvalues give the curvature
        along each eigenvector).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import curvature_spectrum
        >>> s = curvature_spectrum(lambda x: x[0]**2 - x[1]**2, [0.0, 0.0],
        ...                        hess=lambda x: np.diag([2.0, -2.0]))
        >>> s.eigenvalues.tolist(), s.method is SpectrumMethod.DENSE
        ([-2.0, 2.0], True)
    """

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    method: SpectrumMethod
    complete: bool
    converged: bool
    n_hvp: int

    @property
    def lambda_min(self) -> float:
        return float(self.eigenvalues[0])

    @property
    def lambda_max(self) -> float:
        return float(self.eigenvalues[-1])


def directional_curvature(f: ScalarFn, x: Any, d: Any, *, grad: GradFn | None = None,
                          hess: HessFn | None = None, hvp: HvpFn | None = None) -> float:
    """Second derivative of f along d, normalized: dᵀHd / dᵀd (one Hessian-vector product).

    .. math:: \\kappa(d) = \\frac{d^T H(x) d}{d^T d}, \\qquad
              \\lambda_{\\min} \\le \\kappa(d) \\le \\lambda_{\\max}

    Args:
        f: scalar function.
        x: point.
        d: nonzero direction (same size as x).
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        The curvature as a float.

    Example:
        >>> import numpy as np
        >>> directional_curvature(lambda x: x[0]**2 - x[1]**2, np.zeros(2), [1.0, 1.0],
        ...                       hess=lambda x: np.diag([2.0, -2.0]))
        0.0

    Reference: Goodfellow et al., *Deep Learning*, §4.3.1 (directional second derivative).
    """
    obj, x0 = analysis_objective(f, x, grad, hess, hvp)
    dv = as_point(d, "d").ravel()
    if dv.size != x0.size:
        raise ValueError(f"d has {dv.size} entries but x has {x0.size}; pass a direction "
                         "with one entry per coordinate")
    dd = float(dv @ dv)
    if dd == 0.0:
        raise ValueError("d is the zero vector; curvature needs a nonzero direction")
    return float(dv @ obj.hessp(x0, dv)) / dd


def curvature_spectrum(f: ScalarFn, x: Any, *, method: str = "auto", k: int = 1,
                       which: str = "both", tol: float = 1e-10, maxiter: int | None = None,
                       seed: int = 0,
                       grad: GradFn | None = None, hess: HessFn | None = None,
                       hvp: HvpFn | None = None) -> CurvatureSpectrum:
    """Eigen-decomposition of the Hessian at x, dense for small n, Lanczos on HVPs for large n.

    ``method="dense"`` forms H and returns the full spectrum; ``"lanczos"`` returns the ``k``
    smallest and ``k`` largest eigenpairs using only Hessian-vector products, so memory stays
    O(n · iterations); ``"auto"`` picks dense when n <= 400 or no HVP route is cheaper.

    Args:
        f: scalar function.
        x: point.
        method: "auto", "dense" or "lanczos".
        k: eigenpairs at each end for Lanczos.
        which: Lanczos ends, "both", "largest" or "smallest" (ignored by the dense method).
        tol: Lanczos relative residual tolerance (eigenvalue error <= tol * max|λ|).
        maxiter: Lanczos step limit (default: see :func:`lanczos_extremes`).
        seed: seed of the Lanczos start vector.
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        A :class:`CurvatureSpectrum`.

    Example:
        >>> import numpy as np
        >>> s = curvature_spectrum(lambda x: x[0]**2 - x[1]**2, [0.0, 0.0],
        ...                        hess=lambda x: np.diag([2.0, -2.0]))
        >>> s.eigenvalues.tolist()
        [-2.0, 2.0]

    Reference: Goodfellow et al., §4.3.1; Golub & Van Loan §10.1 (Lanczos).
    """
    check_choice(method, "method", ("auto", "dense", "lanczos"))
    check_positive_int(k, "k")  # the dense path ignores these: still refuse nonsense early
    check_choice(which, "which", ("both", "largest", "smallest"))
    check_positive_float(tol, "tol")
    check_seed(seed)
    obj, x0 = analysis_objective(f, x, grad, hess, hvp)
    use_dense = method == "dense" or (method == "auto" and obj.n <= DENSE_MAX_N)
    if use_dense:
        lam, V = np.linalg.eigh(obj.hessian(x0, symmetric=True))
        return CurvatureSpectrum(lam, V, SpectrumMethod.DENSE, True, True, 0)
    res = lanczos_extremes(lambda v: obj.hessp(x0, v), obj.n, k=k, which=which, tol=tol,
                           maxiter=maxiter, seed=seed)
    complete = res.eigenvalues.size == obj.n
    return CurvatureSpectrum(res.eigenvalues, res.eigenvectors, SpectrumMethod.LANCZOS,
                             complete, res.converged, res.iterations)


@dataclass(frozen=True)
class HessianCondition:
    """Condition number of the Hessian and what it means for gradient descent.

    For a convex quadratic with λmin > 0, gradient descent with fixed step ε converges iff
    0 < ε < 2/λmax; the best fixed step 2/(λmin + λmax) contracts the error by
    (κ − 1)/(κ + 1) per step, so about κ/2 · ln(1/tol) steps are needed.

    Attributes:
        condition_number: max|λ| / min|λ| (eq. 4.2 of Goodfellow et al.); ``inf`` if singular.
        lambda_min, lambda_max: extreme eigenvalues.
        positive_definite: True when λmin > 0 (the GD fields below are meaningful).
        max_stable_step: 2/λmax (steps above diverge along the top eigenvector).
        best_fixed_step: 2/(λmin + λmax).
        contraction: (κ − 1)/(κ + 1), the per-step error factor at ``best_fixed_step``.
        method: how the spectrum was computed.

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import hessian_condition_number
        >>> c = hessian_condition_number(lambda x: x[0]**2 + 50 * x[1]**2, [1.0, 1.0],
        ...                              hess=lambda x: np.diag([2.0, 100.0]))
        >>> c.condition_number
        50.0
    """

    condition_number: float
    lambda_min: float
    lambda_max: float
    positive_definite: bool
    max_stable_step: float
    best_fixed_step: float
    contraction: float
    method: SpectrumMethod


def hessian_condition_number(f: ScalarFn, x: Any, *, method: str = "auto",
                             grad: GradFn | None = None, hess: HessFn | None = None,
                             hvp: HvpFn | None = None) -> HessianCondition:
    """κ(H) = max|λ| / min|λ| at x, with the gradient-descent step sizes it implies.

    With Lanczos (large n) only the extreme eigenvalues are known, so κ is computed only when H
    is definite (then min|λ| is an extreme); for an indefinite H use ``method="dense"``.

    Args:
        f: scalar function.
        x: point.
        method: as for :func:`curvature_spectrum`.
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        A :class:`HessianCondition`.

    Example:
        >>> import numpy as np
        >>> c = hessian_condition_number(lambda x: x[0]**2 + 50 * x[1]**2, [1.0, 1.0],
        ...                              hess=lambda x: np.diag([2.0, 100.0]))
        >>> c.condition_number, c.max_stable_step
        (50.0, 0.02)

    Reference: Goodfellow et al., §4.2 (eq. 4.2) and §4.3.1 (figure 4.6).
    """
    spec = curvature_spectrum(f, x, method=method, grad=grad, hess=hess, hvp=hvp)
    lam = spec.eigenvalues
    lo, hi = float(lam[0]), float(lam[-1])
    definite = lo > 0 or hi < 0
    if spec.complete:
        mags = np.abs(lam)
        kappa = float(mags.max() / mags.min()) if mags.min() > 0 else float("inf")
    elif definite:
        kappa = max(abs(lo), abs(hi)) / min(abs(lo), abs(hi))
    else:
        raise ValueError("the Hessian is indefinite and only its extreme eigenvalues are known; "
                         "min |lambda| needs the full spectrum: pass method='dense'")
    pd = lo > 0
    nan = float("nan")
    return HessianCondition(
        condition_number=kappa, lambda_min=lo, lambda_max=hi, positive_definite=pd,
        max_stable_step=2.0 / hi if hi > 0 else nan,
        best_fixed_step=2.0 / (lo + hi) if pd else nan,
        contraction=(kappa - 1.0) / (kappa + 1.0) if pd else nan,
        method=spec.method,
    )
