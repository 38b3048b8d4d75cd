"""Robust losses for nonlinear least squares and the residual rescaling that serves them.

A robust fit minimizes ``C(x) = ½ Σᵢ ρ(fᵢ(x)²)`` instead of ``½ Σᵢ fᵢ(x)²``. With a scale
``c`` (``f_scale``) the loss is applied as ``ρ_c(s) = c² ρ(s / c²)``, so residuals well below
``c`` count as in plain least squares and those far above it are damped:

=========== ================================ ===================================
loss         ρ(z)                             behaviour for large z
=========== ================================ ===================================
"linear"     z                                plain least squares
"soft_l1"    2(√(1 + z) − 1)                  ≈ 2√z (an ℓ₁ penalty), smooth
"huber"      z if z ≤ 1 else 2√z − 1          ℓ₁ beyond the scale
"cauchy"     ln(1 + z)                        logarithmic (strong outlier damping)
"arctan"     arctan(z)                        bounded by π/2
=========== ================================ ===================================

The trust-region methods work on a Gauss–Newton model, so each robust loss is turned into a
weighted least-squares problem at the current point: with ``ρ′``, ``ρ″`` at ``zᵢ = fᵢ²``,
``wᵢ = √(ρ′ + 2 zᵢ ρ″)``, the model uses ``Ĵ = diag(w) J`` and ``f̂ = (ρ′ / w) f``. Then
``Ĵᵀ f̂ = Σ ρ′ fᵢ ∇fᵢ`` is the exact gradient of ``C`` and ``ĴᵀĴ`` keeps the curvature of
the loss along each residual (Triggs et al. 2000, §4.3, the "corrected" robust weights;
``w`` is clipped below at machine epsilon where ρ is concave enough to make it vanish).

Reference:
    B. Triggs, P. McLauchlan, R. Hartley, A. Fitzgibbon, "Bundle adjustment — a modern
    synthesis", Vision Algorithms: Theory and Practice (2000), §4.3.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["LOSSES", "RobustLoss", "make_loss", "rescale"]

_EPS = np.finfo(float).eps


def _linear(z: np.ndarray) -> np.ndarray:
    return np.stack([z, np.ones_like(z), np.zeros_like(z)])


def _soft_l1(z: np.ndarray) -> np.ndarray:
    t = 1.0 + z
    return np.stack([2.0 * (np.sqrt(t) - 1.0), t ** -0.5, -0.5 * t ** -1.5])


def _huber(z: np.ndarray) -> np.ndarray:
    inner = z <= 1.0
    root = np.sqrt(np.where(inner, 1.0, z))
    return np.stack([np.where(inner, z, 2.0 * root - 1.0), np.where(inner, 1.0, 1.0 / root),
                     np.where(inner, 0.0, -0.5 / root ** 3)])


def _cauchy(z: np.ndarray) -> np.ndarray:
    t = 1.0 + z
    return np.stack([np.log1p(z), 1.0 / t, -1.0 / t ** 2])


def _arctan(z: np.ndarray) -> np.ndarray:
    t = 1.0 + z * z
    return np.stack([np.arctan(z), 1.0 / t, -2.0 * z / t ** 2])


#: ρ(z) with its first two derivatives, stacked as a (3, m) array, by name.
LOSSES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "linear": _linear, "soft_l1": _soft_l1, "huber": _huber, "cauchy": _cauchy,
    "arctan": _arctan,
}  # fmt: skip


class RobustLoss:
    """A loss ρ applied at scale ``c``: ``ρ_c(f²) = c² ρ(f² / c²)`` with its derivatives.

    Args:
        rho: ``z -> (ρ(z), ρ′(z), ρ″(z))`` as a ``(3, m)`` array.
        f_scale: the soft margin ``c > 0`` between inliers and outliers.
        name: the loss's name ("linear" makes :meth:`rescale` an identity).

    Example:
        >>> loss = make_loss("soft_l1", 2.0)
        >>> np.round(loss(np.array([0.0, 2.0])), 6).tolist()
        [[0.0, 3.313708], [1.0, 0.707107], [-0.125, -0.044194]]
    """

    def __init__(self, rho: Callable[[np.ndarray], np.ndarray], f_scale: float,
                 name: str) -> None:
        self.rho, self.f_scale, self.name = rho, float(f_scale), name

    def __call__(self, f: np.ndarray) -> np.ndarray:
        """``(c² ρ(z), ρ′(z), ρ″(z) / c²)`` at ``z = (f / c)²``, as a ``(3, m)`` array."""
        c2 = self.f_scale ** 2
        out = np.asarray(self.rho((f / self.f_scale) ** 2), dtype=float)
        if out.shape != (3, f.size):
            raise ValueError(f"loss must return an array of shape (3, {f.size}) holding "
                             f"rho(z), rho'(z), rho''(z); got shape {out.shape}")
        return out * np.array([c2, 1.0, 1.0 / c2])[:, None]

    def cost(self, f: np.ndarray) -> float:
        """``½ Σ ρ_c(fᵢ²)``."""
        if self.name == "linear":
            return 0.5 * float(f @ f)
        return 0.5 * float(np.sum(self(f)[0]))


def make_loss(loss: Any, f_scale: float) -> RobustLoss:
    """The :class:`RobustLoss` for a name in :data:`LOSSES` or a callable ``z -> (3, m)``.

    Args:
        loss: a name ("linear", "soft_l1", "huber", "cauchy", "arctan") or a callable as
            scipy takes it.
        f_scale: the scale ``c``.

    Returns:
        The loss.

    Raises:
        ValueError: for an unknown name (the message suggests the closest).
        TypeError: for something that is neither a name nor callable.

    Example:
        >>> make_loss("huber", 1.0).name
        'huber'
    """
    if callable(loss):
        return RobustLoss(loss, f_scale, getattr(loss, "__name__", "callable"))
    if not isinstance(loss, str):
        raise TypeError(f"loss must be a name or a callable, got {type(loss).__name__}; pass "
                        f"one of {list(LOSSES)} or a function z -> (rho, rho', rho'')")
    if loss not in LOSSES:
        close = difflib.get_close_matches(loss, list(LOSSES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown loss {loss!r}{hint}; pass one of {list(LOSSES)} or a "
                         "callable")
    return RobustLoss(LOSSES[loss], f_scale, loss)


def rescale(loss: RobustLoss, f: np.ndarray, J: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Gauss–Newton residuals and Jacobian ``(f̂, Ĵ)`` of a robust cost (Triggs §4.3).

    .. math:: w_i = \\sqrt{\\max(ρ'_i + 2 f_i^2 ρ''_i, ε)}, \\quad
              \\hat f_i = \\frac{ρ'_i}{w_i} f_i, \\quad \\hat J = \\operatorname{diag}(w) J

    Args:
        loss: the loss.
        f: residuals, shape ``(m,)``.
        J: their Jacobian, shape ``(m, n)``.

    Returns:
        ``(f̂, Ĵ)`` with ``Ĵᵀ f̂`` the gradient of ``½ Σ ρ_c(fᵢ²)``.

    Example:
        >>> f, J = np.array([3.0]), np.array([[1.0, 2.0]])
        >>> fh, Jh = rescale(make_loss("cauchy", 1.0), f, J)
        >>> np.allclose(Jh.T @ fh, J.T @ f / (1 + 9.0))
        True
    """
    if loss.name == "linear":
        return f, J
    rho = loss(f)
    w = np.sqrt(np.maximum(rho[1] + 2.0 * f * f * rho[2], _EPS))
    return f * rho[1] / w, J * w[:, None]
