"""Bracketing + zoom (N&W Alg. 3.5/3.6): the Wolfe conditions hold, failures keep the best."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest import Status
from steepest.objective import Objective
from steepest.unconstrained import StrongWolfe, Wolfe, strong_wolfe, wolfe
from steepest.unconstrained.linesearch.base import LineFunction

from ._lines import C1, C2, check_wolfe, phis


@pytest.mark.parametrize("k", range(4))
@pytest.mark.parametrize("alpha0", [1e-3, 1.0, 50.0])
def test_strong_wolfe_conditions_hold(k, alpha0):
    phi, dphi = phis()[k]
    r = strong_wolfe(phi, dphi, alpha0=alpha0, c1=C1, c2=C2)
    assert r.success and r.armijo and r.strong_curvature
    p0, d0 = phi(0.0), dphi(0.0)
    assert phi(r.step) <= p0 + C1 * r.step * d0
    assert abs(dphi(r.step)) <= -C2 * d0


@pytest.mark.parametrize("k", range(4))
@pytest.mark.parametrize("alpha0", [1e-3, 1.0, 50.0])
def test_weak_wolfe_conditions_hold(k, alpha0):
    phi, dphi = phis()[k]
    r = wolfe(phi, dphi, alpha0=alpha0, c1=C1, c2=0.5)
    assert r.success and r.armijo and r.curvature
    check_wolfe(phi, dphi, r.step, C1, 0.5, strong=False)


def test_failure_keeps_best_point():
    # phi decreases forever along the line: no Wolfe point in the budget
    phi, dphi = (lambda a: -a), (lambda a: -1.0)
    r = strong_wolfe(phi, dphi, alpha0=1.0, max_evals=5)
    assert not r.success and r.status is Status.MAX_FEV
    assert r.step == 16.0 and r.phi == -16.0


@given(a=st.floats(1e-3, 1e3), b=st.floats(-1e3, -1e-3), c3=st.floats(0.0, 10.0),
       alpha0=st.floats(1e-4, 1e4))
def test_strong_wolfe_on_random_convex_lines(a, b, c3, alpha0):
    """phi = c3 t^3 + a t^2 + b t, phi'(0) = b < 0: the search succeeds."""
    phi = lambda t: c3 * t ** 3 + a * t * t + b * t  # noqa: E731
    dphi = lambda t: 3 * c3 * t * t + 2 * a * t + b  # noqa: E731
    r = strong_wolfe(phi, dphi, alpha0=alpha0, max_evals=60)
    assert r.success and r.armijo and r.strong_curvature
    check_wolfe(phi, dphi, r.step, C1, C2)


@pytest.mark.parametrize("k", range(4))
def test_class_and_function_are_one_algorithm(k):
    """The class run on (phi, phi') and the scalar function give the same result."""
    phi, dphi = phis()[k]
    pd = lambda a: (float(phi(a)), float(dphi(a)))  # noqa: E731
    for strong, fn in ((True, strong_wolfe), (False, wolfe)):
        cls = StrongWolfe if strong else Wolfe
        assert cls(c2=0.5).run(pd, phi(0.0), dphi(0.0), 2.0) == \
            fn(phi, dphi, alpha0=2.0, c2=0.5)


def test_search_uses_phi0_and_slope_from_the_solver():
    """The search spends no evaluation at alpha = 0: phi(0), phi'(0) come with the line."""
    x = np.array([1.0, 2.0])
    obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
    line = LineFunction(obj, x, -2 * x, 5.0, 2 * x)
    r = StrongWolfe().search(line, 1.0)
    assert r.success and obj.nfev == r.evaluations == line.evaluations


@pytest.mark.parametrize("kwargs, match", [
    ({"c1": 0.5, "c2": 0.1}, "c1 < c2"), ({"c1": 0.0}, "c1 must lie in \\(0, 1\\)"),
    ({"c2": 1.0}, "c2 must lie in \\(0, 1\\)"),
    ({"max_evals": 0}, "max_evals must be >= 1"),
    ({"alpha_max": -1.0}, "alpha_max must be a finite number > 0"),
])
def test_hyperparameters_checked_at_construction(kwargs, match):
    for cls in (Wolfe, StrongWolfe):
        with pytest.raises(ValueError, match=match):
            cls(**kwargs)
