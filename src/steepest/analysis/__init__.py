"""Local analysis: Taylor models, curvature, optimal steps, critical points (Goodfellow §4.3).

Every function takes a scalar function ``f`` written with plain NumPy and optional derivative
callables ``grad(x)``, ``hess(x)``, ``hvp(x, v)``; when they are omitted the derivatives come
from :mod:`steepest.autodiff`. Points may be scalars, arrays or pytrees (``{"w": w, "b": b}``);
results report vectors flattened in :func:`steepest.tree.tree_flatten` order.

* :func:`taylor`, :func:`predicted_decrease` — models of eqs. 4.8–4.9 next to the truth;
* :func:`optimal_step` — ε* = gᵀg / gᵀHg (eq. 4.10) and its lower bound 1/λmax;
* :func:`directional_curvature`, :func:`curvature_spectrum` (dense or Lanczos on HVPs),
  :func:`hessian_condition_number`;
* :func:`classify_critical_point`, :func:`find_critical_points` — the second-derivative test;
* :func:`lipschitz_estimate`, :func:`convexity_check` — sampled lower bounds / counterexamples;

The chapters' example functions (notebook polynomial, x² − y², peaks) are in
:mod:`steepest.problems.textbook`.
"""

from __future__ import annotations

from .convexity import (
    ConvexityCounterexample,
    ConvexityReport,
    ConvexityStatus,
    convexity_check,
)
from .critical import (
    CriticalKind,
    CriticalPoint,
    CriticalPoints,
    classify_critical_point,
    find_critical_points,
)
from .curvature import (
    CurvatureSpectrum,
    HessianCondition,
    SpectrumMethod,
    curvature_spectrum,
    directional_curvature,
    hessian_condition_number,
)
from .lanczos import LanczosResult, lanczos_extremes
from .lipschitz import LipschitzEstimate, LipschitzTarget, lipschitz_estimate
from .step import OptimalStep, StepStatus, optimal_step
from .taylor_model import DecreasePrediction, TaylorModel, predicted_decrease, taylor

__all__ = [
    "taylor",
    "TaylorModel",
    "predicted_decrease",
    "DecreasePrediction",
    "optimal_step",
    "OptimalStep",
    "StepStatus",
    "directional_curvature",
    "curvature_spectrum",
    "CurvatureSpectrum",
    "SpectrumMethod",
    "hessian_condition_number",
    "HessianCondition",
    "lanczos_extremes",
    "LanczosResult",
    "classify_critical_point",
    "find_critical_points",
    "CriticalKind",
    "CriticalPoint",
    "CriticalPoints",
    "lipschitz_estimate",
    "LipschitzEstimate",
    "LipschitzTarget",
    "convexity_check",
    "ConvexityReport",
    "ConvexityStatus",
    "ConvexityCounterexample",
]
