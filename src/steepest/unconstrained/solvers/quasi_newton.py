r"""Quasi-Newton solvers: BFGS with an inverse-Hessian update strategy, and L-BFGS.

Liquet et al. §4.6 (Algorithm 4.3, eqs. 4.59-4.69); Nocedal & Wright ch. 6-7.
With :math:`s_t = x_{t+1}-x_t`, :math:`y_t = g_{t+1}-g_t`, :math:`\rho_t = 1/(y_t^\top s_t)`,
the BFGS inverse update is

.. math:: H_{t+1} = (I-\rho_t s_t y_t^\top) H_t (I-\rho_t y_t s_t^\top) + \rho_t s_t s_t^\top,

and the direction is :math:`p_t = -H_t g_t`. L-BFGS applies the same update implicitly from
the last :math:`m` pairs (two-loop recursion) with Liquet et al.'s initial scaling (§4.6)
:math:`H^{(t)}_{\text{init}} = \frac{s_{t-1}^\top y_{t-1}}{y_{t-1}^\top y_{t-1}} I`.
A pair with :math:`y^\top s \le 10^{-10}\|s\|\|y\|` is skipped, which keeps :math:`H` positive
definite.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..solver import LineSearchSolver, LineSearchState

__all__ = ["InverseBFGSUpdate", "InverseDFPUpdate", "BFGS", "BFGSState"]

_CURVATURE_EPS = 1e-10


def _curvature_ok(sy: float, s: np.ndarray, y: np.ndarray) -> bool:
    # math.sqrt of the dot product: the bits of np.linalg.norm for a real vector, cheaper
    return bool(sy > _CURVATURE_EPS * math.sqrt(float(s @ s)) * math.sqrt(float(y @ y)))


class InverseBFGSUpdate:
    """The BFGS update of an inverse-Hessian approximation, as a strategy object.

    ``update(H, s, y)`` modifies ``H`` in place and returns whether it did (the pair is
    skipped when the curvature condition :math:`y^\\top s > 0` fails). With
    ``scale_initial=True`` :math:`H_0` is rescaled to :math:`(s^\\top y / y^\\top y) I` before
    the first update (Nocedal & Wright eq. 6.20); off by default, as in scipy's BFGS, which
    needs fewer evaluations on the classic test problems. With ``product=True`` the update is
    computed as scipy's ``_minimize_bfgs`` computes it, :math:`A_1 (H A_2) + \rho s s^\top` with
    two dense matrix products (:math:`O(n^3)` per update instead of :math:`O(n^2)`): the same
    rounding, hence the same iterates and evaluations as scipy's BFGS. The products are used
    up to ``n = product_max_n`` (256: at most a few milliseconds per update); above it the
    equivalent :math:`O(n^2)` rank-two form is used, equal up to rounding.

    H_+ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs).

    Args:
        scale_initial: rescale H₀ before the first update (see above).
        product: form the update as scipy does (see above).
        product_max_n: the largest dimension at which ``product`` forms the matrix products.

    Example:
        >>> import numpy as np
        >>> H = np.eye(2)
        >>> InverseBFGSUpdate().update(H, np.array([1.0, 0.0]), np.array([2.0, 0.0]), True)
        True
        >>> H  # the secant equation H y = s holds
        array([[0.5, 0. ],
               [0. , 1. ]])
    """

    name = "bfgs"

    def __init__(self, scale_initial: bool = False, product: bool = False,
                 product_max_n: int = 256) -> None:
        self.scale_initial = scale_initial
        self.product = product
        self.product_max_n = product_max_n

    def update(self, H: np.ndarray, s: np.ndarray, y: np.ndarray, first: bool) -> bool:
        sy = float(s @ y)
        if not _curvature_ok(sy, s, y):
            return False
        if first and self.scale_initial:
            H[...] = np.eye(H.shape[0]) * (sy / float(y @ y))
        if self.product and H.shape[0] <= self.product_max_n:
            _apply_product(H, s, y, sy)
        else:
            self._apply(H, s, y, sy)
        return True

    @staticmethod
    def _apply(H: np.ndarray, s: np.ndarray, y: np.ndarray, sy: float) -> None:
        rho = 1.0 / sy
        Hy = H @ y
        yHy = float(y @ Hy)
        H -= rho * (np.outer(Hy, s) + np.outer(s, Hy))
        H += (rho * rho * yHy + rho) * np.outer(s, s)


class InverseDFPUpdate(InverseBFGSUpdate):
    r"""DFP update :math:`H_+ = H - \frac{Hyy^\top H}{y^\top H y} + \frac{ss^\top}{y^\top s}`.

    Args:
        scale_initial: rescale H₀ to (sᵀy / yᵀy) I before the first update.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §6.1; W. C. Davidon (1959),
        R. Fletcher & M. J. D. Powell (1963).

    Example:
        >>> import numpy as np
        >>> H = np.eye(2)
        >>> InverseDFPUpdate().update(H, np.array([1.0, 0.0]), np.array([2.0, 0.0]), True)
        True
        >>> bool(np.allclose(H @ [2.0, 0.0], [1.0, 0.0]))  # secant equation
        True
    """

    name = "dfp"

    @staticmethod
    def _apply(H: np.ndarray, s: np.ndarray, y: np.ndarray, sy: float) -> None:
        Hy = H @ y
        H -= np.outer(Hy, Hy) / float(y @ Hy)
        H += np.outer(s, s) / sy


def _apply_product(H: np.ndarray, s: np.ndarray, y: np.ndarray, sy: float) -> None:
    """H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ as two matrix products (scipy's rounding)."""
    rho = 1.0 / sy
    left = _identity(H.shape[0]) - s[:, None] * y[None, :] * rho
    # (I - rho y s^T) is left's transpose to the bit (y_i s_j == s_j y_i), made contiguous
    # so the matrix product runs the same kernel as scipy's
    right = np.ascontiguousarray(left.T)
    np.add(left @ (H @ right), rho * s[:, None] * s[None, :], out=H)


@functools.lru_cache(maxsize=8)
def _identity(n: int) -> np.ndarray:
    """A read-only ``np.eye(n)``, made once per size (the product form uses it every step)."""
    eye = np.eye(n)
    eye.flags.writeable = False
    return eye


_UPDATES = {"bfgs": InverseBFGSUpdate, "dfp": InverseDFPUpdate,
            "bfgs-product": lambda: InverseBFGSUpdate(product=True)}


@dataclass(kw_only=True)
class BFGSState(LineSearchState):
    """BFGS's memory: the inverse-Hessian approximation.

    Attributes:
        H: the current :math:`H_t \\approx (\\nabla^2 f)^{-1}` (updated in place).
        updated: whether any pair has been accepted since the start or last reset.

    Example:
        >>> import numpy as np
        >>> BFGS().init(None, np.zeros(2), 0.0, np.zeros(2)).H
        array([[1., 0.],
               [0., 1.]])
    """

    H: np.ndarray
    updated: bool = False


class BFGS(LineSearchSolver):
    """BFGS: :math:`p = -H g` with ``H`` updated by a strategy (``update="bfgs"`` or ``"dfp"``).

    Defaults as scipy's BFGS: Moré-Thuente strong Wolfe search (c1=1e-4, c2=0.9), gtol=1e-5
    (max-norm). The result carries ``hess_inv``.

    x_{k+1} = x_k − α_k H_k ∇f(x_k), with H_{k+1} = V_kᵀ H_k V_k + ρ_k s_k s_kᵀ, ρ_k = 1/(y_kᵀ s_k),
    V_k = I − ρ_k y_k s_kᵀ.

    Args:
        line_search: a line-search name or object (default Moré-Thuente strong Wolfe).
        update: ``"bfgs"``, ``"dfp"``, ``"bfgs-product"`` (the BFGS update with scipy's
            rounding, :class:`InverseBFGSUpdate` ``product=True``; the scipy name ``"BFGS"``
            uses it) or a strategy object with ``update(H, s, y, first)``.
        hess_inv0: the initial inverse Hessian :math:`H_0` (default :math:`I`; scipy's option).
        **ls: options of the line search (``c1``, ``c2`` ...).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 "The BFGS and L-BFGS Update
        Rules" (eqs. 4.60, 4.66-4.67); Nocedal & Wright, *Numerical Optimization*, 2nd ed., §6.1,
        Algorithm 6.1.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> from steepest.problems import rosenbrock
        >>> p = rosenbrock()
        >>> res = minimize(p.fun, p.x0, method=BFGS(update="bfgs"), jac=p.grad)
        >>> res.success, np.round(res.x, 4).tolist(), res.hess_inv.shape
        (True, [1.0, 1.0], (2, 2))
    """

    name = "bfgs"
    default_line_search = "more-thuente"
    line_search_options = {"c1": 1e-4, "c2": 0.9, "interval_tol": 1e-14, "armijo_slack": False}
    termination_defaults = {"gtol": 1e-5}
    initial_step_rule = "capped"
    stop_on_failed_search = True

    def __init__(self, line_search: Any = None, update: Any = "bfgs", hess_inv0: Any = None,
                 **ls: Any) -> None:
        super().__init__(line_search, **ls)
        self.hess_inv0 = None if hess_inv0 is None else np.array(hess_inv0, dtype=float)
        if isinstance(update, str):
            if update not in _UPDATES:
                raise ValueError(f"unknown update {update!r}; choose one of {sorted(_UPDATES)}")
            update = _UPDATES[update]()
        self.strategy = update

    def init(self, obj, x, f, g) -> BFGSState:
        H0 = self.hess_inv0
        if H0 is not None and H0.shape != (x.size, x.size):
            raise ValueError(f"hess_inv0 must be an ({x.size}, {x.size}) matrix (the initial "
                             f"inverse Hessian), got shape {H0.shape}")
        return BFGSState(H=np.eye(x.size) if H0 is None else H0.copy())

    def direction(self, obj, state: BFGSState, x, g) -> np.ndarray:
        return -(state.H @ g)

    def secant_step(self, x, x_new, alpha, p) -> np.ndarray:
        """:math:`s = \alpha p`, as scipy's BFGS (``x_new - x`` differs from it by rounding)."""
        return alpha * p

    def update(self, state: BFGSState, s, y, g_new, p) -> None:
        if self.strategy.update(state.H, s, y, not state.updated):
            state.updated = True

    def reset(self, state: BFGSState) -> None:
        state.H = np.eye(state.H.shape[0])
        state.updated = False

    def result_fields(self, state: BFGSState, obj) -> dict[str, Any]:
        return {"hess_inv": state.H}
