"""What the searches share: condition checks, the phi closure, behaviour across all searches."""

import numpy as np
import pytest

from steepest.objective import Objective
from steepest.unconstrained import (
    LINE_SEARCHES,
    LineSearch,
    armijo,
    exact,
    fixed_step,
    more_thuente,
    strong_wolfe,
    wolfe,
)
from steepest.unconstrained.linesearch.base import (
    LineFunction,
    armijo_holds,
    conditions,
    curvature_holds,
    strong_curvature_holds,
)

from ._lines import C1, C2, check_wolfe


def test_nan_is_too_far():
    phi = lambda a: np.nan if a > 0.5 else (a - 0.4) ** 2  # noqa: E731
    dphi = lambda a: np.nan if a > 0.5 else 2 * (a - 0.4)  # noqa: E731
    for r in (armijo(phi, 0.16, -0.8, alpha0=4.0),
              strong_wolfe(phi, dphi, alpha0=4.0), exact(phi, 0.16, -0.8, alpha0=4.0)):
        assert r.success and r.step <= 0.5 and np.isfinite(r.phi) and r.phi < 0.16


def test_a_step_without_sufficient_decrease_is_rejected():
    """phi(1) == phi(0) with phi'(0) = -1: alpha = 1 misses Armijo by c1, so no search keeps it."""
    phi, dphi = (lambda a: (a - 0.5) ** 2), (lambda a: 2 * (a - 0.5))
    results = [armijo(phi, 0.25, -1.0, alpha0=1.0),
               wolfe(phi, dphi, alpha0=1.0, c1=C1, c2=C2),
               strong_wolfe(phi, dphi, alpha0=1.0, c1=C1, c2=C2),
               more_thuente(lambda a: (phi(a), dphi(a)), 0.25, -1.0, alpha0=1.0)]
    for r in results:
        assert r.success and r.step < 1.0
        check_wolfe(phi, dphi, r.step, C1)
    fixed = fixed_step(lambda a: (phi(a), dphi(a)), 0.25, -1.0, step=1.0)
    assert not fixed.armijo and fixed.curvature


def test_condition_checks_against_their_formulas():
    phi0, dphi0 = 1.0, -2.0
    assert armijo_holds(0.5, 1.0 - 1e-4, phi0, dphi0, 1e-4)
    assert not armijo_holds(0.5, 1.0, phi0, dphi0, 1e-4)  # no decrease at all
    assert not armijo_holds(0.5, np.nan, phi0, dphi0, 1e-4)
    assert curvature_holds(5.0, dphi0, 0.9) and not strong_curvature_holds(5.0, dphi0, 0.9)
    assert not curvature_holds(-1.9, dphi0, 0.9) and not curvature_holds(np.nan, dphi0, 0.9)
    assert conditions(0.5, 0.0, 0.1, phi0, dphi0, 1e-4, 0.9) == (True, True, True)


def test_line_function_hands_phi0_and_slope_without_evaluating():
    x, g = np.array([1.0, 2.0]), np.array([2.0, 4.0])
    obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
    line = LineFunction(obj, x, -g, 5.0, g)
    assert (line.phi0, line.dphi0) == (5.0, -20.0) and obj.nfev == obj.njev == 0
    f, d = line.phi_dphi(0.25)
    assert (f, d) == (1.25, -10.0) and line.evaluations == 1
    xa, fa, ga = line.point(0.25)  # reused: no second evaluation
    assert fa == f and np.array_equal(ga, 2 * xa) and obj.njev == 1


@pytest.mark.parametrize("name", sorted(LINE_SEARCHES))
def test_every_registered_search_follows_the_protocol(name):
    search = LINE_SEARCHES[name]()
    assert isinstance(search, LineSearch)
    x = np.array([1.0, 2.0])
    obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
    r = search.search(LineFunction(obj, x, -0.5 * x, 5.0, 2 * x), 1.0)  # minimiser at 2
    assert r.success and 0 < r.step and r.phi < 5.0
