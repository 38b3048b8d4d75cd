"""Newton's iterates on a function of one variable, to *see* overshoot and oscillation.

Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6, eq. 4.51: Newton's step
θ ← θ − C′(θ)/C″(θ) jumps to the critical point of the local quadratic model. Far from a
minimum that model can mislead: on C(θ) = (θ − 3)²(θ + 3) from θ = 1.5 the first step
overshoots to 5.25 (then 3.5956, 3.0683, 3.0011 → 3), and on C(θ) = −θ⁴/4 + 5θ²/2 from θ = 1
the iterates cycle 1, −1, 1, ... forever.

This is a teaching helper that records every iterate; the solver with safeguards lives in
:mod:`steepest.unconstrained`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import autodiff
from .._validate import check_positive_int
from ._inputs import as_scalar

__all__ = ["NewtonStop", "NewtonIterates", "newton_iterates_1d"]


class NewtonStop(enum.Enum):
    """Why :func:`newton_iterates_1d` stopped.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 (eq. 4.51 and its failure
        modes).

    Example:
        >>> from steepest.analysis import newton_iterates_1d
        >>> it = newton_iterates_1d(lambda t: t ** 2, 1.0, 3, dC=lambda t: 2 * t, d2C=lambda t: 2.0)
        >>> it.stop is NewtonStop.STATIONARY
        True
    """

    MAX_STEPS = "max_steps"
    """All requested steps were taken."""
    STATIONARY = "stationary"
    """C′(θ) = 0 exactly: θ is a critical point and the step is zero."""
    ZERO_CURVATURE = "zero_curvature"
    """C″(θ) = 0: the quadratic model is linear and Newton's step is undefined."""
    NON_FINITE = "non_finite"
    """A derivative or iterate became NaN or infinite."""


@dataclass(frozen=True)
class NewtonIterates:
    """The sequence θ⁽⁰⁾, θ⁽¹⁾, ... with the values, slopes and curvatures along the way.

    Attributes:
        thetas: iterates, starting with θ⁽⁰⁾.
        values: C at each iterate.
        slopes: C′ at each iterate.
        curvatures: C″ at each iterate.
        stop: :class:`NewtonStop`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 "The Univariate Case" (eq.
        4.51).

    Example:
        >>> from steepest.analysis import newton_iterates_1d
        >>> it = newton_iterates_1d(lambda t: t ** 2, 1.0, 3, dC=lambda t: 2 * t, d2C=lambda t: 2.0)
        >>> it.thetas.tolist()  # one Newton step solves a quadratic
        [1.0, 0.0]
    """

    thetas: np.ndarray
    values: np.ndarray
    slopes: np.ndarray
    curvatures: np.ndarray
    stop: NewtonStop

    @property
    def steps(self) -> np.ndarray:
        """Newton steps θ⁽ᵗ⁺¹⁾ − θ⁽ᵗ⁾ = −C′/C″."""
        return np.diff(self.thetas)


def newton_iterates_1d(C: Callable[[float], float], theta0: float, n_steps: int = 6, *,
                       dC: Callable[[float], float] | None = None,
                       d2C: Callable[[float], float] | None = None) -> NewtonIterates:
    """Record ``n_steps`` undamped Newton steps θ ← θ − C′(θ)/C″(θ) from ``theta0``.

    .. math:: \\theta^{(t+1)} = \\theta^{(t)} - \\frac{C'(\\theta^{(t)})}{C''(\\theta^{(t)})}

    Args:
        C: the function of one variable.
        theta0: starting point.
        n_steps: number of steps.
        dC, d2C: first and second derivative; by default from :mod:`steepest.autodiff`.

    Returns:
        A :class:`NewtonIterates` (no safeguard: overshoot and cycles are shown, not fixed).

    Example:
        >>> it = newton_iterates_1d(lambda t: (t - 3)**2 * (t + 3), 1.5, 4,
        ...                         dC=lambda t: 3 * (t - 3) * (t + 1), d2C=lambda t: 6 * (t - 1))
        >>> [round(float(t), 4) for t in it.thetas]
        [1.5, 5.25, 3.5956, 3.0683, 3.0011]

    Reference: Liquet et al., §4.6, eqs. 4.51–4.52 and the oscillation example.
    """
    n_steps = check_positive_int(n_steps, "n_steps")
    d1 = dC if dC is not None else autodiff.grad(C)
    d2 = d2C if d2C is not None else autodiff.grad(d1)
    theta = float(theta0)
    rows: list[tuple[float, float, float, float]] = []
    stop = NewtonStop.MAX_STEPS
    for t in range(n_steps + 1):
        s1, s2 = as_scalar(d1(theta), "C'"), as_scalar(d2(theta), "C''")
        rows.append((theta, as_scalar(C(theta), "C"), s1, s2))
        if t == n_steps:
            break
        if not (np.isfinite(s1) and np.isfinite(s2)):
            stop = NewtonStop.NON_FINITE
            break
        if s1 == 0.0:
            stop = NewtonStop.STATIONARY
            break
        if s2 == 0.0:
            stop = NewtonStop.ZERO_CURVATURE
            break
        theta = theta - s1 / s2
    arr = np.array(rows)
    return NewtonIterates(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], stop)
