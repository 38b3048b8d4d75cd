"""The unconstrained solvers: gradient descent, nonlinear CG, BFGS, L-BFGS, Newton, trust region."""

from __future__ import annotations

from .descent import CGState, GradientDescent, NonlinearCG
from .lbfgs import LBFGS, LBFGSState, two_loop_direction
from .newton import MODIFICATIONS, Newton, NewtonCG, truncated_cg
from .quasi_newton import BFGS, BFGSState, InverseBFGSUpdate, InverseDFPUpdate
from .trust import TrustNewton, TrustState, solve_trust_subproblem

__all__ = [
    "GradientDescent", "NonlinearCG", "BFGS", "LBFGS", "two_loop_direction",
    "InverseBFGSUpdate", "InverseDFPUpdate",
    "Newton", "NewtonCG", "TrustNewton", "MODIFICATIONS", "truncated_cg", "solve_trust_subproblem",
    "CGState", "BFGSState", "LBFGSState", "TrustState",
]  # fmt: skip
