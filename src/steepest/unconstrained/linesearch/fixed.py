r"""No search at all: a fixed step :math:`\alpha` (gradient descent with a learning rate).

The update is :math:`x_{k+1} = x_k + \alpha p_k` with a constant :math:`\alpha`; the Wolfe
conditions are only evaluated, not enforced (Goodfellow et al. §4.3, eq. 4.5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..._result import Status
from ..._validate import check_positive_float
from .base import LineFunction, LineSearchResult, conditions

__all__ = ["FixedStep", "fixed_step"]


@dataclass(frozen=True)
class FixedStep:
    """No search: ``alpha = step`` every iteration (a learning rate).

    x ← x + α p, α constant.

    Args:
        step: the learning rate α > 0.
        c1, c2: the Wolfe constants used only to report ``armijo``/``curvature``.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.5); Liquet et al., *Mathematical Engineering
        of Deep Learning*, §4.2.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = FixedStep(0.25).search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.25)
    """

    step: float = 1.0
    c1: float = 1e-4
    c2: float = 0.9

    def __post_init__(self) -> None:
        check_positive_float(self.step, "step")

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        """Take ``step`` along ``line`` (``alpha0`` is ignored)."""
        return self.run(line.phi_dphi, line.phi0, line.dphi0)

    def run(self, phi_dphi: Callable[[float], tuple[float, float]], phi0: float,
            dphi0: float) -> LineSearchResult:
        """Evaluate ``phi_dphi(step)`` once; reject the step (``NON_FINITE``) if not finite."""
        fa, da = phi_dphi(self.step)
        if not np.isfinite(fa):
            return LineSearchResult(0.0, phi0, dphi0, 1, Status.NON_FINITE)
        arm, curv, strong = conditions(self.step, fa, da, phi0, dphi0, self.c1, self.c2)
        return LineSearchResult(self.step, fa, da, 1, Status.SUCCESS, arm, curv,
                                strong)


def fixed_step(
    phi_dphi: Callable[[float], tuple[float, float]], phi0: float, dphi0: float,
    step: float = 1.0, c1: float = 1e-4, c2: float = 0.9,
) -> LineSearchResult:
    r"""Take ``alpha = step`` without searching, on scalar :math:`\varphi` (see :class:`FixedStep`).

    Args:
        phi_dphi: ``alpha -> (phi(alpha), phi'(alpha))``.
        phi0, dphi0: :math:`\varphi(0)` and :math:`\varphi'(0)`.
        step: the fixed step (learning rate).
        c1, c2: the Wolfe constants used to report ``armijo``/``curvature``.

    Returns:
        :class:`~.base.LineSearchResult` with status ``NON_FINITE`` when phi(step) is not finite
        (the step is then rejected), otherwise ``SUCCESS`` and the conditions that happen to
        hold.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.5); Liquet et al. §4.2.

    Example:
        >>> r = fixed_step(lambda a: ((a - 1) ** 2, 2 * (a - 1)), 1.0, -2.0, step=0.5)
        >>> r.step, r.phi, r.armijo
        (0.5, 0.25, True)
    """
    return FixedStep(step, c1, c2).run(phi_dphi, phi0, dphi0)
