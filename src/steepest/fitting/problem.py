"""What the least-squares methods share: the counted problem, the outcome, the stop codes.

``least_squares`` builds one :class:`LsqProblem` (residuals and Jacobian with their call
counts, bounds, tolerances, scaling, loss) and hands it to a method (``trf.solve`` or
``lm.solve``), which returns an :class:`LsqOutcome`; the driver turns that into scipy's
result fields.

scipy's integer ``status`` codes are kept: −1 improper input, 0 the evaluation budget ran
out, 1 the gradient test (``gtol``), 2 the cost test (``ftol``), 3 the step test (``xtol``),
4 both the ``ftol`` and ``xtol`` tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .losses import RobustLoss, rescale

__all__ = ["MESSAGES", "LsqOutcome", "LsqProblem", "column_norms"]

Array = np.ndarray

#: What each status code means.
MESSAGES = {
    -1: "improper input: a tolerance or the starting point is invalid",
    0: "stopped: the budget of max_nfev residual evaluations is spent",
    1: "converged: the gradient test holds, ‖g‖∞ < gtol (scaled by the bounds)",
    2: "converged: the cost test holds, the relative reduction of the cost is below ftol",
    3: "converged: the step test holds, the step is below xtol relative to ‖x‖",
    4: "converged: both the ftol (cost) and xtol (step) tests hold",
}


@dataclass
class LsqProblem:
    """A least-squares problem as the methods see it.

    Attributes:
        fun: residuals of ``x`` alone, ``(n,) -> (m,)``.
        jac: ``(x, f) -> J`` of shape ``(m, n)``.
        lb: lower bounds (``-inf`` where free).
        ub: upper bounds (``inf`` where free).
        ftol: tolerance of the cost test.
        xtol: tolerance of the step test.
        gtol: tolerance of the gradient test.
        max_nfev: the budget of residual evaluations.
        x_scale: the characteristic scale of each variable, or ``"jac"`` (inverse column
            norms of the Jacobian, updated as they grow).
        loss: the robust loss.
        nfev: residual evaluations so far (Jacobian evaluations are not counted here).
        njev: Jacobian evaluations so far.

    Example:
        >>> from steepest.fitting.losses import make_loss
        >>> p = LsqProblem(lambda x: x - 1.0, lambda x, f: np.eye(1), -np.inf * np.ones(1),
        ...                np.inf * np.ones(1), 1e-8, 1e-8, 1e-8, 100, np.ones(1),
        ...                make_loss("linear", 1.0))
        >>> p.residuals(np.zeros(1)).tolist(), p.nfev
        ([-1.0], 1)
    """

    fun: Callable[[Array], Array]
    jac: Callable[[Array, Array], Array]
    lb: Array
    ub: Array
    ftol: float
    xtol: float
    gtol: float
    max_nfev: int
    x_scale: Array | str
    loss: RobustLoss
    nfev: int = 0
    njev: int = 0
    bounded: bool = field(init=False)
    m: int | None = field(init=False, default=None)
    _known: tuple[Array, Array] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.bounded = bool(np.any(np.isfinite(self.lb)) or np.any(np.isfinite(self.ub)))

    def remember(self, x: Array, f: Array) -> None:
        """Keep ``f = fun(x)`` (the driver's check at x0) so the method does not call it again."""
        self._known = (x.copy(), f)

    def residuals(self, x: Array) -> Array:
        """``f(x)`` as a float array (counted in ``nfev``); its size may not change.

        ``fun`` gets a copy of ``x``, so a function that writes into its argument cannot
        change the iterate.
        """
        self.nfev += 1
        known, self._known = self._known, None
        if known is not None and np.array_equal(known[0], x):
            f = known[1]
        else:
            f = np.array(self.fun(x.copy()), dtype=float).ravel()
        self.m = f.size if self.m is None else self.m
        if f.size != self.m:
            raise ValueError(f"fun returned {f.size} residuals at x = {x}, {self.m} before; "
                             "return the same number of residuals at every x")
        return f

    def jacobian(self, x: Array, f: Array) -> Array:
        """``J(x)`` (counted in ``njev``)."""
        self.njev += 1
        return self.jac(x, f)

    def model(self, f: Array, J: Array) -> tuple[float, Array, Array]:
        """``(cost, f̂, Ĵ)``: the cost and the residuals/Jacobian of its Gauss–Newton model."""
        f_hat, J_hat = rescale(self.loss, f, J)
        return self.loss.cost(f), f_hat, J_hat

    def initial_scale(self, J: Array) -> Array:
        """``1 / x_scale``: the column norms of ``J`` for ``"jac"``, else ``1 / x_scale``."""
        if isinstance(self.x_scale, str):
            return column_norms(J)
        return 1.0 / self.x_scale


@dataclass
class LsqOutcome:
    """Where a method stopped.

    Attributes:
        x: the final point.
        f: residuals there (unscaled).
        J: the Jacobian there (unscaled).
        status: scipy's code (see :data:`MESSAGES`).
        optimality: the first-order measure at ``x`` (``‖g‖∞``, ``‖v ∘ g‖∞`` with bounds).
        nit: outer iterations.
    """

    x: Array
    f: Array
    J: Array
    status: int
    optimality: float
    nit: int


def column_norms(J: Array) -> Array:
    """Euclidean norms of the columns of ``J``, with 1 for a zero column.

    Example:
        >>> column_norms(np.array([[3.0, 0.0], [4.0, 0.0]])).tolist()
        [5.0, 1.0]
    """
    norms = np.linalg.norm(J, axis=0)
    return np.where(norms == 0, 1.0, norms)
