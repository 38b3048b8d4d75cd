"""Multipliers in scipy's conventions: SLSQP's ``multipliers`` and trust-constr's ``v``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.optimize as so

from _scipy_tutorial import tutorial_constraints
from steepest import minimize

X0 = np.array([0.5, 0.0])
_TIGHT = {"gtol": 1e-12, "xtol": 1e-14, "barrier_tol": 1e-12, "maxiter": 5000}


def _scipy(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's own warnings (delta_grad == 0 ...)
        return so.minimize(*args, **kw)


def _tutorial():
    """The scipy tutorial's constrained Rosenbrock: dicts and the equivalent objects."""
    return tutorial_constraints()


def _docstring():
    """``scipy.optimize.minimize``'s SLSQP example: the first inequality is active."""
    cons = ({"type": "ineq", "fun": lambda x: x[0] - 2 * x[1] + 2,
             "jac": lambda x: np.array([1.0, -2.0])},
            {"type": "ineq", "fun": lambda x: -x[0] - 2 * x[1] + 6,
             "jac": lambda x: np.array([-1.0, -2.0])},
            {"type": "ineq", "fun": lambda x: -x[0] + 2 * x[1] + 2,
             "jac": lambda x: np.array([-1.0, 2.0])})

    def fun(x):
        return (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2

    def jac(x):
        return np.array([2 * (x[0] - 1), 2 * (x[1] - 2.5)])

    return fun, jac, cons, ((0, None), (0, None))


@pytest.mark.parametrize("form", ["dicts", "objects"])
def test_slsqp_multipliers_equal_scipys_on_the_tutorial_problem(form):
    bounds, dicts, objects = _tutorial()
    cons = dicts if form == "dicts" else objects
    kw = {"jac": so.rosen_der, "constraints": cons, "bounds": bounds,
          "options": {"ftol": 1e-12}}
    ref = _scipy(so.rosen, X0, method="SLSQP", **kw)
    ours = minimize(so.rosen, X0, method="SLSQP", **kw)
    assert ours.multipliers.shape == ref.multipliers.shape
    assert np.max(np.abs(ours.multipliers - ref.multipliers)) <= 1e-6
    assert abs(ours.multipliers[0]) > 0.4  # the equality binds: a real comparison


def test_slsqp_multipliers_equal_scipys_with_an_active_inequality():
    fun, jac, cons, bnds = _docstring()
    ref = _scipy(fun, (2, 0), method="SLSQP", jac=jac, bounds=bnds, constraints=cons,
                 options={"ftol": 1e-12})
    ours = minimize(fun, (2, 0), method="SLSQP", jac=jac, bounds=bnds, constraints=cons)
    assert np.allclose(ours.x, [1.4, 1.7], atol=1e-8)
    assert ours.multipliers[0] == pytest.approx(0.8, abs=1e-6)
    assert np.max(np.abs(ours.multipliers - ref.multipliers)) <= 1e-6


def test_trust_constr_v_equals_scipys_with_an_active_inequality():
    fun, jac, cons, bnds = _docstring()
    ref = _scipy(fun, np.array([2.0, 0.0]), method="trust-constr", jac=jac, bounds=bnds,
                 constraints=cons, options=_TIGHT)
    ours = minimize(fun, np.array([2.0, 0.0]), method="trust-constr", jac=jac, bounds=bnds,
                    constraints=cons)
    assert len(ours.v) == len(ref.v) == 4  # three constraints, then the bounds
    assert [v.shape for v in ours.v] == [v.shape for v in ref.v]
    assert ours.v[0][0] == pytest.approx(-0.8, abs=1e-6)  # c(x) >= 0 is a lower side
    assert max(np.max(np.abs(a - b)) for a, b in zip(ours.v, ref.v)) <= 1e-6


def test_trust_constr_v_on_the_tutorial_problem():
    """scipy's interior point leaves multipliers of order 1e-6 on the inactive rows even at
    barrier_tol=1e-12, so the comparison with scipy is to 1e-5; the Lagrangian gradient
    ∇f + Σ Jᵢᵀvᵢ (scipy's ``lagrangian_grad``) is checked to vanish to 1e-6."""
    bounds, _, objects = _tutorial()
    kw = {"jac": so.rosen_der, "hess": so.rosen_hess, "constraints": objects, "bounds": bounds}
    ref = _scipy(so.rosen, X0, method="trust-constr", options=_TIGHT, **kw)
    ours = minimize(so.rosen, X0, method="trust-constr", **kw)
    assert [v.shape for v in ours.v] == [v.shape for v in ref.v] == [(2,), (2,), (2,)]
    assert max(np.max(np.abs(a - b)) for a, b in zip(ours.v, ref.v)) <= 1e-5
    x = ours.x
    jacs = [np.array([[1.0, 2.0], [2.0, 1.0]]), np.array([[2 * x[0], 1], [2 * x[0], -1]]),
            np.eye(2)]
    lagrangian_grad = so.rosen_der(x) + sum(J.T @ v for J, v in zip(jacs, ours.v))
    assert np.max(np.abs(lagrangian_grad)) <= 1e-6
    assert np.allclose(ours.lagrangian_grad, lagrangian_grad, atol=1e-12)
    assert ours.optimality == np.max(np.abs(ours.lagrangian_grad)) and ref.optimality < 1e-6
    assert np.array_equal(ours.grad, so.rosen_der(ours.x)) and ours.niter == ours.nit
    assert 0.0 <= ours.constr_violation <= 1e-8
    for name in ("grad", "lagrangian_grad", "optimality", "constr_violation", "niter"):
        assert type(ours[name]) is type(ref[name]), name
        assert np.shape(ours[name]) == np.shape(ref[name]), name
    assert ours.v[0][1] == pytest.approx(ours.lam[0], abs=1e-12) and ours.v[0][1] > 0.4


def test_other_methods_keep_steepests_fields_only():
    _, dicts, _ = _tutorial()
    res = minimize(so.rosen, X0, method="sqp", jac=so.rosen_der, constraints=dicts)
    assert "multipliers" not in res and "v" not in res and res.lam.shape == (1,)
