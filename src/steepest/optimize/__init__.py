"""Deterministic optimization: line searches, GD, Newton, CG, BFGS, L-BFGS behind minimize."""

from __future__ import annotations

# --- lane `optimize`: minimize, solvers, line searches ---------------------------------------
from .descent import GradientDescent, NonlinearCG
from .driver import iterative_solve
from .exact_search import exact, exact_quadratic
from .interface import METHODS, maximize, minimize, register_method
from .lbfgs import LBFGS, two_loop_direction
from .linesearch import (
    LineFunction,
    LineSearchResult,
    LineSearchStatus,
    armijo,
    fixed_step,
    line_search,
)
from .more_thuente import more_thuente
from .newton import MODIFICATIONS, Newton, NewtonCG, truncated_cg
from .quasi_newton import BFGS, InverseBFGSUpdate, InverseDFPUpdate
from .result import Certificate, OptimizeResult, Status, Trace
from .searches import (
    Armijo,
    Exact,
    FixedStep,
    MoreThuente,
    StrongWolfe,
    Wolfe,
    make_line_search,
)
from .termination import Termination
from .trust import TrustNewton, solve_trust_subproblem
from .zoom import strong_wolfe, wolfe

__all__: list[str] = [
    "minimize", "maximize", "METHODS", "register_method", "iterative_solve",
    "OptimizeResult", "Status", "Trace", "Certificate", "Termination",
    "LineFunction", "LineSearchResult", "LineSearchStatus", "line_search",
    "fixed_step", "armijo", "wolfe", "strong_wolfe", "more_thuente", "exact",
    "exact_quadratic", "FixedStep", "Armijo", "Wolfe", "StrongWolfe", "MoreThuente", "Exact",
    "make_line_search",
    "GradientDescent", "NonlinearCG", "BFGS", "LBFGS", "two_loop_direction",
    "InverseBFGSUpdate", "InverseDFPUpdate",
    "Newton", "NewtonCG", "TrustNewton", "MODIFICATIONS", "truncated_cg", "solve_trust_subproblem",
]
# --- end lane `optimize` ---------------------------------------------------------------------

# --- lane `problems`: univariate methods, hill climbing, linear conjugate gradient ----------
from .discrete import HillClimbResult, HillClimbStatus, hill_climb  # noqa: E402
from .linear_cg import (  # noqa: E402
    CGResult,
    CGStatus,
    NotPositiveDefiniteError,
    conjugate_gradient,
)
from .univariate import ScalarResult, ScalarStatus, newton_1d, secant  # noqa: E402
from .univariate_bracket import Bracket, bracket_minimum, brent, golden_section  # noqa: E402

__all__ += [
    "newton_1d", "secant", "golden_section", "brent", "bracket_minimum", "Bracket",
    "ScalarResult", "ScalarStatus", "hill_climb", "HillClimbResult", "HillClimbStatus",
    "conjugate_gradient", "CGResult", "CGStatus", "NotPositiveDefiniteError",
]  # fmt: skip
# --- end lane `problems` ---------------------------------------------------------------------
