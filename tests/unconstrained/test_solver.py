"""The solver protocol, typed per-solver states, and what a solver hands its line search."""

import dataclasses

import numpy as np
import pytest

from steepest import minimize
from steepest.objective import Objective
from steepest.unconstrained import METHODS, LineSearch, MoreThuente
from steepest.unconstrained.solver import LineSearchState, Solver

from ._problems import rosen, rosen_grad


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_method_follows_the_protocol_with_a_typed_state(name):
    solver = METHODS[name]()
    assert isinstance(solver, Solver)
    x0 = np.array([-1.2, 1.0])
    obj = Objective(rosen, x0, jac=rosen_grad)
    state = solver.init(obj, x0, rosen(x0), rosen_grad(x0))
    assert dataclasses.is_dataclass(state)
    for f in dataclasses.fields(state):  # no grab-bag dictionaries
        assert not isinstance(getattr(state, f.name), dict), f.name
    if hasattr(solver, "line_search"):
        assert isinstance(state, LineSearchState) and isinstance(solver.line_search, LineSearch)


class _Spy:
    """A line search recording what the solver hands it, then delegating to Moré–Thuente."""

    def __init__(self):
        self.inner, self.seen = MoreThuente(c1=1e-4, interval_tol=1e-14), []

    def search(self, line, alpha0):
        self.seen.append((line.phi0, line.dphi0, np.array(line.x), np.array(line.p)))
        return self.inner.search(line, alpha0)


def test_solver_hands_f_and_slope_to_the_search():
    spy = _Spy()
    res = minimize(rosen, np.array([-1.2, 1.0]), jac=rosen_grad, method="bfgs",
                   options={"line_search": spy, "certify": False})
    assert res.success and len(spy.seen) >= res.nit
    for phi0, dphi0, x, p in spy.seen:
        assert phi0 == rosen(x)  # phi(0) is f at the iterate, computed by the solver
        assert dphi0 == pytest.approx(float(rosen_grad(x) @ p), rel=1e-12)
