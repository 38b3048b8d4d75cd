"""Deterministic optimization: line searches, GD, Newton, CG, BFGS, L-BFGS behind minimize."""

from __future__ import annotations

__all__: list[str] = []

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
