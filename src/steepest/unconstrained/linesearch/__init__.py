"""Line searches on φ(α) = f(x + αp): fixed, Armijo, Wolfe, strong Wolfe, Moré–Thuente, exact.

``base`` holds what they share (the result, the condition checks, the φ closure and the
:class:`LineSearch` protocol); each other module holds one search class and its scalar
function; ``registry`` looks searches up by name.
"""

from __future__ import annotations

from .backtracking import Armijo, armijo
from .base import LineFunction, LineSearch, LineSearchResult
from .exact_search import Exact, exact, exact_quadratic
from .fixed import FixedStep, fixed_step
from .more_thuente_search import MoreThuente, more_thuente
from .registry import LINE_SEARCHES, line_search, make_line_search
from .zoom import StrongWolfe, Wolfe, strong_wolfe, wolfe

__all__ = [
    "LineFunction", "LineSearchResult", "line_search",
    "fixed_step", "armijo", "wolfe", "strong_wolfe", "more_thuente", "exact",
    "exact_quadratic", "FixedStep", "Armijo", "Wolfe", "StrongWolfe", "MoreThuente", "Exact",
    "make_line_search", "LineSearch", "LINE_SEARCHES",
]  # fmt: skip
