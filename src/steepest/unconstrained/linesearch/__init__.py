"""Line searches on φ(α) = f(x + αp): fixed, Armijo, Wolfe, strong Wolfe, Moré–Thuente, exact."""

from __future__ import annotations

from .base import LineFunction, LineSearchResult, LineSearchStatus, armijo, fixed_step, line_search
from .exact import exact, exact_quadratic
from .more_thuente import more_thuente
from .searches import Armijo, Exact, FixedStep, MoreThuente, StrongWolfe, Wolfe, make_line_search
from .zoom import strong_wolfe, wolfe

__all__ = [
    "LineFunction", "LineSearchResult", "LineSearchStatus", "line_search",
    "fixed_step", "armijo", "wolfe", "strong_wolfe", "more_thuente", "exact",
    "exact_quadratic", "FixedStep", "Armijo", "Wolfe", "StrongWolfe", "MoreThuente", "Exact",
    "make_line_search",
]  # fmt: skip
