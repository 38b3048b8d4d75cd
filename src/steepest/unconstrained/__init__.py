"""Unconstrained optimization: line searches, GD, Newton, CG, BFGS, L-BFGS, scalar methods.

``steepest.minimize`` (in :mod:`steepest._minimize`) dispatches here when there are no bounds
or constraints; :func:`minimize_unconstrained` is the entry point below it.
"""

from __future__ import annotations

from .discrete import HillClimbResult, hill_climb
from .driver import iterative_solve
from .linear_cg import CGResult, NotPositiveDefiniteError, conjugate_gradient
from .linesearch import *  # noqa: F403
from .linesearch import __all__ as _linesearch_all
from .methods import METHODS, minimize_unconstrained, register_method
from .result import Certificate, OptimizeResult, Status, Trace
from .solvers import *  # noqa: F403
from .solvers import __all__ as _solvers_all
from .termination import Termination
from .univariate import (
    NewtonIterates,
    NewtonStop,
    ScalarResult,
    newton_1d,
    newton_iterates_1d,
    secant,
)
from .univariate_bracket import Bracket, bracket_minimum, brent, golden_section

__all__ = [
    "minimize_unconstrained", "METHODS", "register_method", "iterative_solve",
    "OptimizeResult", "Status", "Trace", "Certificate", "Termination",
    *_linesearch_all, *_solvers_all,
    "newton_1d", "secant", "golden_section", "brent", "bracket_minimum", "Bracket",
    "ScalarResult", "hill_climb", "HillClimbResult",
    "conjugate_gradient", "CGResult", "NotPositiveDefiniteError",
    "newton_iterates_1d", "NewtonIterates", "NewtonStop",
]  # fmt: skip
