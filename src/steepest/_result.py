"""Why a solver stopped (:class:`Status`) and what it hands back (:class:`OptimizeResult`).

One vocabulary for every solver of steepest — ``minimize``, the constrained solvers, ``lstsq``,
the scalar searches, linear CG, hill climbing and ``train.fit`` — in the manner of
optimistix's ``RESULTS``: each :class:`Status` member carries its human message
(``Status.MAX_ITER.message``). Members are also integers (an :class:`~enum.IntEnum`) with
scipy's codes where scipy has one, so ``res.status == 0`` is the scipy test for success and
``res.status is Status.SUCCESS`` the steepest one.

Every solver result is an :class:`OptimizeResult`, a subclass of
:class:`scipy.optimize.OptimizeResult` (a ``dict`` whose keys are attributes): ``res.x``,
``res.success``, ``res.message`` and ``res.status`` (a :class:`Status` member) mean the same
everywhere, ``'x' in res`` works, and each solver adds its own fields.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from scipy.optimize import OptimizeResult as _ScipyOptimizeResult

__all__ = ["Status", "OptimizeResult"]


class Status(IntEnum):
    """Why a solver stopped: an integer code (scipy's where scipy has one) and a message.

    ``SUCCESS`` (code 0) is the only member with ``success`` true: the solver's stopping
    criterion was met (gradient norm, KKT residuals, residual norm, a local optimum, all
    epochs of a training run, an exact direct solve). The limits are ``MAX_ITER``,
    ``MAX_FEV`` and ``MAX_TIME``; ``NON_FINITE`` means NaN/inf was met (the best finite point
    is returned); ``STALLED`` that progress stopped before the tolerance; and
    ``STOPPED_BY_CALLBACK`` (99, scipy's code) that the user's callback asked to stop;
    ``EVALUATION_FAILED`` that computing f itself failed (a distributed evaluation whose data
    was lost). The other members are the outcomes particular solvers need.

    Attributes:
        message: what the member means, in words (a solver's ``res.message`` may be more
            specific: it names the criterion that fired).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1 (stopping criteria of
        descent methods); the integer codes of ``scipy.optimize.OptimizeResult.status``;
        optimistix ``_solution.py`` (``RESULTS``: one status enumeration for every solver).

    Example:
        >>> Status.SUCCESS == 0, Status.MAX_ITER.message
        (True, 'the iteration limit was reached')
        >>> Status(99).name, Status.STOPPED_BY_CALLBACK.success
        ('STOPPED_BY_CALLBACK', False)
    """

    message: str

    def __new__(cls, code: int, message: str) -> Status:
        member = int.__new__(cls, code)
        member._value_ = code
        member.message = message
        return member

    SUCCESS = 0, "the stopping criterion was met"
    MAX_ITER = 1, "the iteration limit was reached"
    MAX_FEV = 2, "the evaluation limit was reached"
    MAX_TIME = 3, "the wall-clock limit was reached"
    LINE_SEARCH_FAILED = 4, "the line search found no acceptable step"
    NON_FINITE = 5, "a non-finite value (NaN or inf) was met; the last finite point is returned"
    STALLED = 6, "no progress: the steps became negligible before the tolerance was met"
    INFEASIBLE = 7, "the constraints could not be satisfied"
    NONPOSITIVE_CURVATURE = 8, "a direction of non-positive curvature was met"
    NOT_A_MINIMUM = 9, "converged to a stationary point that is not a minimum"
    CYCLE = 10, "the iterates cycle: an earlier iterate was revisited"
    DIVERGED = 11, "the iteration diverged"
    EARLY_STOPPED = 12, "the monitored quantity stopped improving (early stopping)"
    NOT_DESCENT = 13, "the direction is not a descent direction (its slope is >= 0)"
    STOPPED_BY_CALLBACK = 99, "a callback asked to stop"
    EVALUATION_FAILED = 14, ("an evaluation of the objective failed (e.g. a cluster lost data "
                             "it could not recompute); the best point so far is returned")

    @property
    def success(self) -> bool:
        """True only for :attr:`SUCCESS`."""
        return self is Status.SUCCESS


class OptimizeResult(_ScipyOptimizeResult):
    """A solver's result: a :class:`scipy.optimize.OptimizeResult` with steepest's status.

    A ``dict`` whose keys are also attributes. Every steepest result has ``x``, ``status``
    (a :class:`Status` member, which is also its int code: ``res.status == 0`` on success),
    ``success`` and ``message``; subclasses document their own further fields. When ``success``
    or ``message`` are not given they are taken from ``status``.

    Args:
        **fields: the result's fields (``x``, ``status``, ...).

    Reference:
        The ``scipy.optimize.OptimizeResult`` fields (``x``, ``success``, ``status``,
        ``message``, ``fun``, ``jac``, ``nit``, ``nfev``, ...).

    Example:
        >>> import numpy as np
        >>> r = OptimizeResult(x=np.zeros(2), fun=0.0, status=Status.SUCCESS)
        >>> r.success, r.message, r.fun == r["fun"], "x" in r, r.status == 0
        (True, 'the stopping criterion was met', True, True, True)
    """

    def __init__(self, *args: Any, **fields: Any) -> None:
        super().__init__(*args, **fields)
        status = self.get("status")
        if isinstance(status, Status):
            self.setdefault("success", status.success)
            self.setdefault("message", status.message)

    @property
    def values(self) -> Any:
        """The ``values`` field where a result has one (scalar searches, hill climbing: the
        objective along the iterates), else the bound :meth:`dict.values`."""
        if "values" in self:
            return self["values"]
        return dict.values.__get__(self)
