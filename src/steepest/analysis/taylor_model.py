"""Taylor models of a scalar function and the predicted effect of a gradient step.

Goodfellow et al., *Deep Learning*, §4.3.1, eq. 4.8 (second-order model) and eq. 4.9 (its value
along the negative gradient): a step of size ε from x along −g changes f by

    f(x − εg) ≈ f(x) − ε gᵀg + ½ ε² gᵀHg,

the first-order improvement minus a curvature correction. When gᵀHg is large the correction
dominates and the step goes *uphill*; when gᵀHg ≤ 0 the model predicts unbounded decrease.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import check_choice
from ._inputs import GradFn, HessFn, HvpFn, ScalarFn, analysis_objective, as_point

__all__ = ["TaylorModel", "DecreasePrediction", "taylor", "predicted_decrease"]


@dataclass(frozen=True)
class TaylorModel:
    """The order-1 or order-2 Taylor model of f around x0 (eq. 4.8 of Goodfellow et al.).

    ``model(x) = f0 + gᵀ(x − x0) + ½ (x − x0)ᵀ H (x − x0)`` (the last term only for order 2).

    Attributes:
        x0: expansion point (flat vector).
        f0: f(x0).
        g: gradient at x0.
        H: Hessian at x0 (an ``(n, n)`` array of zeros for an order-1 model).
        order: 1 or 2.

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import taylor
        >>> m = taylor(lambda x: np.sum(x**2), np.array([1.0, 2.0]),
        ...            grad=lambda x: 2 * x, hess=lambda x: 2 * np.eye(2))
        >>> m.order, float(m(np.array([0.0, 0.0])))
        (2, 0.0)
    """

    x0: np.ndarray
    f0: float
    g: np.ndarray
    H: np.ndarray
    order: int

    def __call__(self, x: Any) -> float | np.ndarray:
        """Evaluate the model at one point (shape of x0) or a stack of points ``(..., n)``."""
        arr = np.asarray(x, dtype=float)
        n = self.x0.size
        if arr.size == n:
            d = arr.reshape(n) - self.x0
            return float(self.f0 + d @ self.g + 0.5 * d @ self.H @ d)
        if arr.shape[-1:] != (n,):
            raise ValueError(f"points must have {n} coordinates (last axis), got {arr.shape}")
        d = arr - self.x0
        quad = 0.5 * np.einsum("...i,ij,...j->...", d, self.H, d)
        return self.f0 + d @ self.g + quad

    def along(self, direction: Any, eps: Any) -> np.ndarray:
        """Model values at ``x0 + eps * direction`` for a scalar or array of step sizes."""
        d = np.asarray(direction, dtype=float).ravel()
        e = np.asarray(eps, dtype=float)
        return self.f0 + e * (self.g @ d) + 0.5 * e**2 * (d @ self.H @ d)


def taylor(f: ScalarFn, x0: Any, order: int = 2, *, grad: GradFn | None = None,
           hess: HessFn | None = None, hvp: HvpFn | None = None) -> TaylorModel:
    """Build the first- or second-order Taylor model of ``f`` around ``x0``.

    .. math:: \\hat f(x) = f(x_0) + (x - x_0)^T g + \\tfrac12 (x - x_0)^T H (x - x_0)

    Args:
        f: scalar function of an array (plain NumPy code).
        x0: expansion point.
        order: 1 (affine model) or 2 (quadratic model).
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        A callable :class:`TaylorModel` carrying ``f0``, ``g`` and ``H``.

    Example:
        >>> import numpy as np
        >>> m = taylor(lambda x: np.sum(x**2), np.array([1.0, 2.0]),
        ...            grad=lambda x: 2 * x, hess=lambda x: 2 * np.eye(2))
        >>> m(np.array([0.0, 0.0]))   # exact for a quadratic
        0.0

    Reference: Goodfellow, Bengio, Courville, *Deep Learning*, §4.3.1, eq. 4.8.
    """
    check_choice(order, "order", (1, 2))
    obj, x = analysis_objective(f, x0, grad, hess, hvp)
    H = obj.hessian(x, symmetric=True) if order == 2 else np.zeros((x.size, x.size))
    return TaylorModel(x0=x, f0=obj.f(x), g=obj.grad(x), H=H, order=order)


@dataclass(frozen=True)
class DecreasePrediction:
    """Eq. 4.9 next to the truth for gradient steps ``x − εg``.

    Attributes:
        eps: step sizes (array, same shape as given).
        f0: f(x).
        gTg: squared gradient norm gᵀg.
        gHg: curvature along the gradient gᵀHg.
        first_order: f(x) − ε gᵀg (the linear prediction).
        predicted: f(x) − ε gᵀg + ½ ε² gᵀHg (eq. 4.9).
        actual: f(x − εg).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import predicted_decrease
        >>> p = predicted_decrease(lambda x: x[0]**2, np.array([1.0]), [0.25, 1.0],
        ...                        grad=lambda x: 2 * x, hess=lambda x: 2 * np.eye(1))
        >>> p.predicted.tolist()
        [0.25, 1.0]
    """

    eps: np.ndarray
    f0: float
    gTg: float
    gHg: float
    first_order: np.ndarray
    predicted: np.ndarray
    actual: np.ndarray

    @property
    def curvature_correction(self) -> np.ndarray:
        """The term ½ ε² gᵀHg that eq. 4.9 adds to the first-order prediction."""
        return 0.5 * self.eps**2 * self.gHg

    @property
    def goes_uphill(self) -> np.ndarray:
        """True where the actual step increases f (f(x − εg) > f(x))."""
        return self.actual > self.f0

    @property
    def model_goes_uphill(self) -> np.ndarray:
        """True where eq. 4.9 predicts an increase: the curvature term beats ε gᵀg."""
        return self.predicted > self.f0


def predicted_decrease(f: ScalarFn, x: Any, eps: Any, *, grad: GradFn | None = None,
                       hess: HessFn | None = None, hvp: HvpFn | None = None
                       ) -> DecreasePrediction:
    """Predicted (eq. 4.9) and actual value of f after gradient steps of sizes ``eps``.

    .. math:: f(x - \\varepsilon g) \\approx f(x) - \\varepsilon g^T g
              + \\tfrac12 \\varepsilon^2 g^T H g

    Only one Hessian-vector product is needed (gᵀHg), so this scales to large n.

    Args:
        f: scalar function.
        x: current point.
        eps: a step size or an array of step sizes (all finite).
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        A :class:`DecreasePrediction` with first-order, second-order and actual values.

    Example:
        >>> import numpy as np
        >>> p = predicted_decrease(lambda x: x[0]**2, np.array([1.0]), [0.25, 1.0],
        ...                        grad=lambda x: 2 * x, hess=lambda x: 2 * np.eye(1))
        >>> p.predicted.tolist(), bool(p.goes_uphill[1])
        ([0.25, 1.0], False)

    Reference: Goodfellow et al., *Deep Learning*, §4.3.1, eq. 4.9 and figure 4.4.
    """
    obj, x0 = analysis_objective(f, x, grad, hess, hvp)
    e = as_point(eps, "eps")
    g = obj.grad(x0)
    gHg = float(g @ obj.hessp(x0, g))
    gTg = float(g @ g)
    f0 = obj.f(x0)
    actual = np.array([obj.f(x0 - ei * g) for ei in e.ravel()]).reshape(e.shape)
    first = f0 - e * gTg
    return DecreasePrediction(eps=e, f0=f0, gTg=gTg, gHg=gHg, first_order=first,
                              predicted=first + 0.5 * e**2 * gHg, actual=actual)
