"""The unconstrained solvers: gradient descent, nonlinear CG, BFGS, L-BFGS, Newton, trust region.

Each solver module holds its solver class and, right above it, the typed state dataclass it
keeps between iterations (``CGState``, ``BFGSState``, ``LBFGSState``, ``TrustState``; gradient
descent and the Newton methods keep only :class:`~steepest.unconstrained.solver.LineSearchState`).
"""

from __future__ import annotations

from .descent import GradientDescent, NonlinearCG
from .lbfgs import LBFGS, two_loop_direction
from .newton import MODIFICATIONS, Newton, NewtonCG, truncated_cg
from .quasi_newton import BFGS, InverseBFGSUpdate, InverseDFPUpdate
from .trust import TrustNewton, solve_trust_subproblem

__all__ = [
    "GradientDescent", "NonlinearCG", "BFGS", "LBFGS", "two_loop_direction",
    "InverseBFGSUpdate", "InverseDFPUpdate",
    "Newton", "NewtonCG", "TrustNewton", "MODIFICATIONS", "truncated_cg", "solve_trust_subproblem",
]  # fmt: skip
