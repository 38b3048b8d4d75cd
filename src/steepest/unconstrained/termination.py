r"""Termination criteria (Liquet et al. §4.1), each selectable and combinable.

With :math:`f_t = f(x_t)`, :math:`g_t = \nabla f(x_t)`, :math:`s_t = x_{t+1} - x_t`:

=========  =================================================================================
``gtol``   gradient norm: :math:`\|g_{t+1}\| \le` gtol (norm ``norm``, default :math:`\infty`)
``fatol``  absolute improvement: :math:`|f_t - f_{t+1}| <` fatol
``ftol``   relative improvement: :math:`|f_t - f_{t+1}| \le` ftol
           :math:`\cdot\max(|f_t|, |f_{t+1}|, 1)` (the ``1`` keeps it meaningful when
           :math:`f^\star = 0`; this is L-BFGS-B's ``factr`` test)
``xtol``   step norm: :math:`\|s_t\|_2 \le` xtol
``maxiter``, ``maxfev``, ``max_time`` (seconds): limits, which end the run unsuccessfully.
``stall``  for monotone methods, ``stall`` consecutive iterations without a decrease of f
           end the run unsuccessfully (the precision of f is exhausted before ``gtol``).
=========  =================================================================================

``None`` disables a criterion. The first convergence criterion that fires is named in the
result's ``message``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .result import Status

__all__ = ["Termination"]

_MESSAGES = {
    "gtol": "gradient norm <= gtol",
    "fatol": "absolute improvement |f_t - f_t+1| < fatol",
    "ftol": "relative improvement <= ftol",
    "xtol": "step norm <= xtol",
    Status.MAX_ITER: "maximum number of iterations (maxiter) reached",
    Status.MAX_FEV: "maximum number of function evaluations (maxfev) reached",
    Status.MAX_TIME: "wall-clock limit (max_time) reached",
    Status.STALLED: "f did not decrease in `stall` consecutive iterations: the precision of f "
                    "is exhausted before gtol (loosen gtol)",
}


@dataclass(frozen=True)
class Termination:
    """Which tests end a run. Every field may be ``None`` (disabled).

    Converged when ‖∇f‖ ≤ gtol, or |f_old − f_new| < fatol, or |f_old − f_new| ≤ ftol·max(|f_old|,
    |f_new|, 1), or ‖x_new − x_old‖ ≤ xtol (tested in that order).

    Args:
        gtol: gradient-norm tolerance (in the ``norm`` below).
        ftol: relative improvement tolerance.
        fatol: absolute improvement tolerance.
        xtol: step-norm tolerance.
        maxiter: iteration limit.
        maxfev: function-evaluation limit.
        max_time: wall-clock limit in seconds.
        stall: for monotone methods, stop after this many consecutive iterations without a decrease
            of f.
        norm: the order of the gradient norm (``np.inf``: max-norm, as scipy).

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., chs. 2-3; Liquet
        et al., *Mathematical Engineering of Deep Learning*, §4.1 ("General Approach of Descent
        Direction Methods").

    Example:
        >>> t = Termination(gtol=1e-6, xtol=1e-12, maxiter=100)
        >>> t.converged(f_old=1.0, f_new=0.5, gnorm=1e-7, step_norm=0.1)
        'gtol'
    """

    gtol: float | None = 1e-5
    ftol: float | None = None
    fatol: float | None = None
    xtol: float | None = None
    maxiter: int | None = None
    maxfev: int | None = None
    max_time: float | None = None
    stall: int | None = 10
    norm: float = np.inf

    def __post_init__(self) -> None:
        for name in ("gtol", "ftol", "fatol", "xtol", "max_time"):
            v = getattr(self, name)
            if v is not None and not (np.isfinite(v) and v >= 0):
                raise ValueError(f"{name} must be a non-negative number or None, got {v!r}")
        for name in ("maxiter", "maxfev", "stall"):
            v = getattr(self, name)
            if v is not None and not (int(v) == v and v >= 0):
                raise ValueError(f"{name} must be a non-negative integer or None, got {v!r}")

    def gradient_norm(self, g: np.ndarray) -> float:
        """``||g||`` in this criterion's norm."""
        if self.norm == np.inf:  # max(max g, -min g): two passes, no temporary |g|
            return max(float(g.max()), -float(g.min())) if g.size else 0.0
        return float(np.linalg.norm(g, ord=self.norm))

    def converged(self, f_old: float, f_new: float, gnorm: float, step_norm: float) -> str | None:
        """Name of the first convergence criterion that holds after a step, else ``None``."""
        if self.gtol is not None and gnorm <= self.gtol:
            return "gtol"
        df = abs(f_old - f_new)
        if self.fatol is not None and df < self.fatol:
            return "fatol"
        if self.ftol is not None and df <= self.ftol * max(abs(f_old), abs(f_new), 1.0):
            return "ftol"
        if self.xtol is not None and step_norm <= self.xtol:
            return "xtol"
        return None

    def limit(self, nit: int, nfev: int, elapsed: float) -> Status | None:
        """The limit reached before another iteration may start, else ``None``."""
        if self.maxiter is not None and nit >= self.maxiter:
            return Status.MAX_ITER
        if self.maxfev is not None and nfev >= self.maxfev:
            return Status.MAX_FEV
        if self.max_time is not None and elapsed >= self.max_time:
            return Status.MAX_TIME
        return None

    @staticmethod
    def message(reason: str | Status) -> str:
        """Human-readable text for a criterion name or a limit status."""
        text = _MESSAGES[reason]
        if isinstance(reason, str):
            return f"Optimization terminated successfully: {text} ({reason})."
        return f"Stopped: {text}."
