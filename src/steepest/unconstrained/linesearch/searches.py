"""Line-search strategy objects (what a solver holds), and their registry.

A solver = a descent direction x one of these. Each is a frozen dataclass whose fields are its
hyperparameters, checked at construction, with a ``search(line, alpha0)`` method running on a
:class:`~steepest.unconstrained.linesearch.base.LineFunction`.

Example:
    >>> make_line_search("armijo", shrink=2 / 3)
    Armijo(c1=0.0001, shrink=0.6666666666666666, max_evals=40, interpolate=False)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .base import LineFunction, LineSearchResult, _check_unit, armijo, fixed_step
from .exact import exact, exact_quadratic
from .more_thuente import more_thuente
from .zoom import wolfe_search

__all__ = ["FixedStep", "Armijo", "Wolfe", "StrongWolfe", "MoreThuente", "Exact",
           "make_line_search",
           "LINE_SEARCHES"]


@dataclass(frozen=True)
class FixedStep:
    """No search: ``alpha = step`` every iteration (a learning rate).

    x ← x + α p, α constant.

    Args:
        step: the learning rate α > 0.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.5); Liquet et al., *Mathematical Engineering
        of Deep Learning*, §4.2.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = FixedStep(0.25).search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.25)
    """

    step: float = 1.0
    needs_slope = True  # the accepted point's gradient comes with the evaluation

    def __post_init__(self) -> None:
        if not self.step > 0:
            raise ValueError(f"step must be positive, got {self.step}")

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        return fixed_step(line.phi_dphi, line.phi0, line.dphi0, step=self.step)


@dataclass(frozen=True)
class Armijo:
    """Backtracking to sufficient decrease; ``shrink=2/3`` is Liquet et al.'s choice.

    Accepts the first α = α₀·shrinkᵏ with φ(α) ≤ φ(0) + c₁ α φ'(0).

    Args:
        c1: sufficient-decrease constant in (0, 1).
        shrink: backtracking factor in (0, 1).
        max_evals: budget of φ evaluations.
        interpolate: next trial at the minimiser of the quadratic through φ(0), φ'(0), φ(α),
            kept in [0.1α, shrink·α], instead of the fixed factor.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Inexact Line Search" (eq.
        4.48, backtracking); Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 3.1.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = Armijo().search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.5)
    """

    c1: float = 1e-4
    shrink: float = 0.5
    max_evals: int = 40
    interpolate: bool = False
    needs_slope = False

    def __post_init__(self) -> None:
        _check_unit("c1", self.c1)
        _check_unit("shrink", self.shrink)
        _check_positive_int("max_evals", self.max_evals)

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        return armijo(line.phi, line.phi0, line.dphi0, alpha0=alpha0, c1=self.c1,
                      shrink=self.shrink, max_evals=self.max_evals,
                      interpolate=self.interpolate)


@dataclass(frozen=True)
class Wolfe:
    """Bracketing + zoom to the weak (``strong=False``) or strong Wolfe conditions.

    Accepts α with φ(α) ≤ φ(0) + c₁αφ'(0) and φ'(α) ≥ c₂φ'(0) (or the strong form).

    Args:
        c1, c2: constants with 0 < c₁ < c₂ < 1.
        strong: require |φ'(α)| ≤ c₂|φ'(0)| instead of φ'(α) ≥ c₂φ'(0).
        max_evals: budget of (φ, φ') evaluations.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48-4.50); Nocedal &
        Wright, *Numerical Optimization*, 2nd ed., Algorithms 3.5-3.6.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = Wolfe().search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.5)
    """

    c1: float = 1e-4
    c2: float = 0.9
    strong: bool = False
    max_evals: int = 30
    needs_slope = True

    def __post_init__(self) -> None:
        _check_unit("c1", self.c1)
        _check_unit("c2", self.c2)
        if self.c1 >= self.c2:
            raise ValueError(f"Wolfe line search needs c1 < c2, got c1={self.c1}, c2={self.c2}")
        _check_positive_int("max_evals", self.max_evals)

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        return wolfe_search(line.phi_dphi, line.phi0, line.dphi0, alpha0=alpha0, c1=self.c1,
                            c2=self.c2, strong=self.strong, max_evals=self.max_evals)


@dataclass(frozen=True)
class StrongWolfe(Wolfe):
    """:class:`Wolfe` with ``strong=True``.

    Args:
        c1, c2: constants with 0 < c₁ < c₂ < 1.
        strong: always True here.
        max_evals: budget of (φ, φ') evaluations.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48 and 4.50);
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1 and Algorithms 3.5-3.6.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = StrongWolfe(c2=0.1).search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.5)
    """

    strong: bool = True


@dataclass(frozen=True)
class MoreThuente:
    """Moré-Thuente strong Wolfe search (MINPACK-2 ``dcsrch``; L-BFGS-B's line search).

    Strong Wolfe: φ(α) ≤ φ(0) + c₁αφ'(0) and |φ'(α)| ≤ c₂|φ'(0)|, by safeguarded cubic/quadratic
    interpolation.

    Args:
        c1, c2: the Wolfe constants (defaults are L-BFGS-B's 1e-3 and 0.9).
        interval_tol: relative width of the bracket below which the search stops.
        max_evals: budget of (φ, φ') evaluations.

    Reference:
        J. J. Moré & D. J. Thuente, "Line search algorithms with guaranteed sufficient decrease",
        ACM TOMS 20 (1994); Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = MoreThuente(c2=0.1).search(line, 1.0)
        >>> r.success, round(r.step, 2)
        (True, 0.5)
    """

    c1: float = 1e-3
    c2: float = 0.9
    interval_tol: float = 0.1  # MINPACK's xtol (renamed: ``xtol`` is the step-norm criterion)
    max_evals: int = 20
    needs_slope = True

    def __post_init__(self) -> None:
        _check_unit("c1", self.c1)
        _check_unit("c2", self.c2)
        if self.c1 >= self.c2:
            raise ValueError(f"Moré-Thuente needs c1 < c2, got c1={self.c1}, c2={self.c2}")
        if not 0 < self.interval_tol < 1:
            raise ValueError(f"interval_tol must lie in (0, 1), got {self.interval_tol}")
        _check_positive_int("max_evals", self.max_evals)

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        return more_thuente(line.phi_dphi, line.phi0, line.dphi0, alpha0=alpha0, c1=self.c1,
                            c2=self.c2, xtol=self.interval_tol,
                            max_evals=self.max_evals)


@dataclass(frozen=True)
class Exact:
    """Exact minimisation along the line: closed form (``quadratic=True``, one HVP) or Brent.

    α* = argmin_{α>0} φ(α).

    Args:
        quadratic: take the closed-form step α* = -φ'(0)/(pᵀ∇²f p) (one Hessian-vector product).
        tol: Brent's relative tolerance.
        max_evals: budget of φ evaluations.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Line Search" (exact line
        search, eqs. 4.44-4.47); Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.10).

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = Exact(quadratic=True).search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.5)
    """

    quadratic: bool = False
    tol: float = 1e-8
    max_evals: int = 200
    needs_slope = False

    def __post_init__(self) -> None:
        if not self.tol > 0:
            raise ValueError(f"tol must be positive, got {self.tol}")
        _check_positive_int("max_evals", self.max_evals)

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        if self.quadratic:
            return exact_quadratic(line.phi0, line.dphi0, line.curvature())
        return exact(line.phi, line.phi0, line.dphi0, alpha0=alpha0, tol=self.tol,
                     max_evals=self.max_evals)


def _check_positive_int(name: str, v: int) -> None:
    if not (isinstance(v, int) and v >= 1):
        raise ValueError(f"{name} must be a positive integer, got {v!r}")


LINE_SEARCHES: dict[str, type] = {
    "fixed": FixedStep,
    "armijo": Armijo,
    "backtracking": Armijo,
    "wolfe": Wolfe,
    "strong_wolfe": StrongWolfe,
    "strong-wolfe": StrongWolfe,
    "more-thuente": MoreThuente,
    "more_thuente": MoreThuente,
    "exact": Exact,
}


def make_line_search(spec: Any = "strong_wolfe", **options: Any) -> Any:
    """A line-search object from a name in :data:`LINE_SEARCHES` (plus options) or an object.

    The object's ``search(line, alpha0)`` returns a step :math:`\alpha` along
    :math:`\varphi(\alpha) = f(x + \alpha p)` (fixed, Armijo, Wolfe, strong Wolfe, exact or
    Moré-Thuente); ``minimize(..., options={"line_search": ...})`` accepts the same specs.

    Args:
        spec: a name (``"fixed"``, ``"armijo"``, ``"wolfe"``, ``"strong_wolfe"``, ``"exact"``,
            ``"more_thuente"``...) or an object with a ``search(line, alpha0)`` method.
        **options: the fields of the named search's dataclass (``c1``, ``c2``, ...).

    Returns:
        The line-search object (``spec`` itself when it is already one).

    Raises:
        ValueError: unknown name or option (the message lists the valid ones).
        TypeError: ``spec`` is neither a name nor an object with ``search``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Line Search";
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., ch. 3.

    Example:
        >>> make_line_search("armijo", c1=0.1)
        Armijo(c1=0.1, shrink=0.5, max_evals=40, interpolate=False)
    """
    if not isinstance(spec, str):
        if not hasattr(spec, "search"):
            raise TypeError("line_search must be a name or an object with search(line, alpha0)")
        return spec
    cls = LINE_SEARCHES.get(spec.lower())
    if cls is None:
        raise ValueError(f"unknown line search {spec!r}; choose one of {sorted(LINE_SEARCHES)}")
    names = {f.name for f in fields(cls)}
    unknown = set(options) - names
    if unknown:
        raise ValueError(f"line search {spec!r} has no option(s) {sorted(unknown)}; "
                         f"its options are {sorted(names)}")
    return cls(**options)
