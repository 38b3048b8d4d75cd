"""The step size that minimizes the second-order model along the negative gradient.

Goodfellow et al., *Deep Learning*, §4.3.1, eq. 4.10: when gᵀHg > 0 the quadratic model
f(x) − ε gᵀg + ½ ε² gᵀHg is minimized at

    ε* = gᵀg / gᵀHg,

and since gᵀHg ≤ λmax gᵀg, ε* ≥ 1/λmax: the worst case, g along the top eigenvector, gives
exactly 1/λmax. When gᵀHg ≤ 0 the model decreases without bound along −g and has no optimal
step; this module reports that case explicitly instead of returning a negative or infinite ε.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..objective import Objective
from ._inputs import GradFn, HessFn, HvpFn, ScalarFn, analysis_objective
from .lanczos import lanczos_extremes

__all__ = ["StepStatus", "OptimalStep", "optimal_step"]


class StepStatus(enum.Enum):
    """Which case of eq. 4.10 applies at the point.

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import optimal_step
        >>> r = optimal_step(lambda x: -(x @ x), np.array([1.0, 1.0]),
        ...                  grad=lambda x: -2 * x, hess=lambda x: -2 * np.eye(2))
        >>> r.status is StepStatus.NONPOSITIVE_CURVATURE
        True
    """

    POSITIVE_CURVATURE = "positive_curvature"
    """gᵀHg > 0: the model has a finite minimizer ε* = gᵀg / gᵀHg."""
    NONPOSITIVE_CURVATURE = "nonpositive_curvature"
    """gᵀHg ≤ 0: the model decreases forever along −g; there is no finite optimal step."""
    ZERO_GRADIENT = "zero_gradient"
    """g = 0: every step leaves the model unchanged (a critical point)."""


@dataclass(frozen=True)
class OptimalStep:
    """Result of :func:`optimal_step`.

    Attributes:
        status: the case of eq. 4.10 (see :class:`StepStatus`).
        eps: ε* when ``status`` is POSITIVE_CURVATURE, else ``inf`` (no finite optimum) or 0
            (zero gradient).
        gTg: gᵀg.
        gHg: gᵀHg.
        lambda_max: largest Hessian eigenvalue (``nan`` when not requested).
        lower_bound: 1/λmax when λmax > 0 (ε* ≥ 1/λmax for every g), else ``nan``.
        predicted_value: model value f(x) − ε* gᵀg + ½ ε*² gᵀHg (``-inf`` without optimum).
        message: a sentence explaining the case.

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import optimal_step
        >>> A = np.diag([1.0, 100.0])
        >>> r = optimal_step(lambda x: 0.5 * x @ A @ x, np.array([1.0, 1.0]),
        ...                  grad=lambda x: A @ x, hess=lambda x: A)
        >>> r.status.value, round(r.eps, 6)
        ('positive_curvature', 0.010001)
    """

    status: StepStatus
    eps: float
    gTg: float
    gHg: float
    lambda_max: float
    lower_bound: float
    predicted_value: float
    message: str

    @property
    def has_optimum(self) -> bool:
        """True when the model has a finite minimizing step (gᵀHg > 0)."""
        return self.status is StepStatus.POSITIVE_CURVATURE


def optimal_step(f: ScalarFn, x: Any, *, grad: GradFn | None = None, hess: HessFn | None = None,
                 hvp: HvpFn | None = None, with_bound: bool = True) -> OptimalStep:
    """ε* = gᵀg / gᵀHg (eq. 4.10), the exact line minimizer of the quadratic model.

    .. math:: \\varepsilon^* = \\frac{g^T g}{g^T H g} \\ge \\frac{1}{\\lambda_{\\max}(H)}

    Uses Hessian-vector products only: one for gᵀHg and, when ``with_bound``, a Lanczos run
    for λmax (:func:`steepest.analysis.curvature_spectrum` semantics, no dense H needed).

    Args:
        f: scalar function.
        x: current point.
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.
        with_bound: also compute λmax and the bound 1/λmax.

    Returns:
        An :class:`OptimalStep`; check ``status`` before using ``eps``.

    Example:
        >>> import numpy as np
        >>> A = np.diag([1.0, 100.0])
        >>> r = optimal_step(lambda x: 0.5 * x @ A @ x, np.array([1.0, 1.0]),
        ...                  grad=lambda x: A @ x, hess=lambda x: A)
        >>> round(r.eps, 6), r.lower_bound   # eps* = 10001/1000001 >= 1/100
        (0.010001, 0.01)

    Reference: Goodfellow et al., *Deep Learning*, §4.3.1, eq. 4.10.
    """
    if not isinstance(with_bound, bool | np.bool_):
        raise TypeError(f"with_bound must be True or False, got {type(with_bound).__name__} "
                        f"{with_bound!r}; pass with_bound=False to skip the Lanczos bound")
    obj, x0 = analysis_objective(f, x, grad, hess, hvp)
    g = obj.grad(x0)
    f0 = obj.f(x0)
    gTg = float(g @ g)
    lam_max = _lambda_max(obj, x0) if with_bound else float("nan")
    bound = 1.0 / lam_max if lam_max > 0 else float("nan")
    if gTg == 0.0:
        return OptimalStep(StepStatus.ZERO_GRADIENT, 0.0, 0.0, 0.0, lam_max, bound, f0,
                           "the gradient is zero: x is a critical point, no step is taken")
    gHg = float(g @ obj.hessp(x0, g))
    if gHg <= 0.0:
        msg = (f"g^T H g = {gHg:.3g} <= 0: the quadratic model decreases without bound along "
               "-g, so eq. 4.10 has no finite optimum; use a line search or a trust region")
        return OptimalStep(StepStatus.NONPOSITIVE_CURVATURE, float("inf"), gTg, gHg, lam_max,
                           bound, float("-inf"), msg)
    eps = gTg / gHg
    predicted = f0 - eps * gTg + 0.5 * eps**2 * gHg
    msg = f"eps* = g^T g / g^T H g = {eps:.6g} minimizes the quadratic model along -g"
    return OptimalStep(StepStatus.POSITIVE_CURVATURE, eps, gTg, gHg, lam_max, bound,
                       predicted, msg)


def _lambda_max(obj: Objective, x: np.ndarray) -> float:
    if obj.n <= 64 and (obj.hess_fn is not None or obj.hessp_fn is None):
        return float(np.linalg.eigvalsh(obj.hessian(x, symmetric=True))[-1])
    res = lanczos_extremes(lambda v: obj.hessp(x, v), obj.n, which="largest")
    return float(res.eigenvalues[-1])
