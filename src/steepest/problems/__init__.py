"""Test problems with known minima: Rosenbrock, quadratics, peaks, Moré–Garbow–Hillstrom.

Also the textbooks' example functions (:mod:`steepest.problems.textbook`) and the
Hock–Schittkowski constrained problems (:mod:`steepest.problems.hock_schittkowski`).

Every problem is a :class:`Problem` (objective, analytic gradient, optional Hessian, standard
start, known minimum). The objectives are plain NumPy, so :mod:`steepest.autodiff` can
differentiate them; :meth:`Problem.hessian` falls back to it when no analytic Hessian exists.

Example:
    >>> import steepest as st
    >>> p = st.problems.rosenbrock()
    >>> p.n, p.f_star, p.x0.tolist()
    (2, 0.0, [-1.2, 1.0])
    >>> len(st.problems.mgh_problems())
    35
"""

from __future__ import annotations

from .base import Problem, least_squares_problem
from .classic import beale, himmelblau, peaks, quadratic, rosenbrock
from .hock_schittkowski import HSProblem, hs_problems
from .mgh import MGH_NAMES, mgh_problem, mgh_problems

__all__: list[str] = [
    "HSProblem",
    "MGH_NAMES",
    "Problem",
    "beale",
    "himmelblau",
    "hs_problems",
    "least_squares_problem",
    "mgh_problem",
    "mgh_problems",
    "peaks",
    "quadratic",
    "rosenbrock",
]
