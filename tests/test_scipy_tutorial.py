"""scipy's documented ``minimize`` examples, run unchanged through ``steepest.minimize``.

The calls are those of scipy's optimization tutorial (unconstrained Rosenbrock with BFGS,
Newton-CG with ``hess`` and with ``hessp``, trust-ncg, trust-krylov, trust-exact; the
constrained Rosenbrock with trust-constr and SLSQP) and of ``scipy.optimize.minimize``'s
docstring (SLSQP with three inequalities and bounds), plus an L-BFGS-B call with bounds on the
tutorial's Rosenbrock. The answers are compared with the results the documentation prints, to
the digits it prints them, and with scipy's own result of the same call.

Nelder-Mead is excluded: steepest has no simplex method, so the tutorial's first call has no
counterpart.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.optimize as so
from scipy.optimize import rosen, rosen_der, rosen_hess, rosen_hess_prod

from _scipy_tutorial import tutorial_constraints
from steepest import minimize

X0 = np.array([1.3, 0.7, 0.8, 1.9, 1.2])
ONES = "[1. 1. 1. 1. 1.]"  # the tutorial prints res.x so, at NumPy's 8 digits

_UNCONSTRAINED = [
    ("BFGS", {"jac": rosen_der, "options": {"gtol": 1e-6, "disp": True}}, ONES),
    ("trust-ncg", {"jac": rosen_der, "hess": rosen_hess,
                   "options": {"gtol": 1e-8, "disp": True}}, ONES),
    ("trust-ncg", {"jac": rosen_der, "hessp": rosen_hess_prod,
                   "options": {"gtol": 1e-8, "disp": True}}, ONES),
    ("trust-krylov", {"jac": rosen_der, "hess": rosen_hess,
                      "options": {"gtol": 1e-8, "disp": True}}, ONES),
    ("trust-krylov", {"jac": rosen_der, "hessp": rosen_hess_prod,
                      "options": {"gtol": 1e-8, "disp": True}}, ONES),
    ("trust-exact", {"jac": rosen_der, "hess": rosen_hess,
                     "options": {"gtol": 1e-8, "disp": True}}, ONES),
]


def _scipy(*args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's own warnings (delta_grad == 0 ...)
        return so.minimize(*args, **kw)


@pytest.mark.parametrize(("method", "kw", "printed"), _UNCONSTRAINED,
                         ids=[f"{m}-{'hessp' if 'hessp' in kw else 'hess'}"
                              for m, kw, _ in _UNCONSTRAINED])
def test_tutorial_unconstrained_calls_print_the_tutorials_answer(method, kw, printed):
    ours = minimize(rosen, X0, method=method, **kw)
    ref = _scipy(rosen, X0, method=method, **kw)
    assert ours.success and ours.status == 0
    assert np.array2string(ours.x) == printed == np.array2string(ref.x)
    assert f"{ours.fun:.6f}" == "0.000000"  # "Current function value: 0.000000"


@pytest.mark.parametrize("second", ["hess", "hessp"])
def test_tutorial_newton_cg_calls(second):
    """Newton-CG (``xtol=1e-8``): the tutorial prints [1. 1. 1. 1. 1.]; steepest's Newton-CG
    also stops on its gradient test (gtol 1e-5), so it agrees to 5 digits, not 8."""
    kw = {"hess": rosen_hess} if second == "hess" else {"hessp": rosen_hess_prod}
    ours = minimize(rosen, X0, method="Newton-CG", jac=rosen_der,
                    options={"xtol": 1e-8, "disp": True}, **kw)
    ref = _scipy(rosen, X0, method="Newton-CG", jac=rosen_der, options={"xtol": 1e-8}, **kw)
    assert ours.success and f"{ours.fun:.6f}" == "0.000000"
    assert np.array2string(np.round(ours.x, 5)) == ONES == np.array2string(np.round(ref.x, 5))


def test_lbfgsb_with_bounds_gives_scipys_answer():
    bounds = so.Bounds([0, -0.5, 0, 0, 0], [1.0, 2.0, 1, 1, 1])
    ours = minimize(rosen, X0, method="L-BFGS-B", jac=rosen_der, bounds=bounds)
    ref = _scipy(rosen, X0, method="L-BFGS-B", jac=rosen_der, bounds=bounds)
    assert ours.success and ours.nfev <= ref.nfev
    assert np.array2string(np.round(ours.x, 6)) == np.array2string(np.round(ref.x, 6))


def _tutorial_problem():
    bounds, dicts, objects = tutorial_constraints()
    return bounds, objects, dicts


def test_tutorial_trust_constr_call():
    """The tutorial prints [0.41494531 0.17010937] (``verbose=1``); SLSQP's [0.41494475
    0.1701105 ] differs from it by 2e-6, so the answer is compared to the printed one to that."""
    bounds, objects, _ = _tutorial_problem()
    ours = minimize(rosen, np.array([0.5, 0]), method="trust-constr", jac=rosen_der,
                    hess=rosen_hess, constraints=objects, options={"verbose": 1},
                    bounds=bounds)
    # scipy's trust-constr codes: 1 = gtol (the tutorial prints that message)
    assert ours.success and ours.status == 1
    assert ours.message == "`gtol` termination condition is satisfied."
    assert np.max(np.abs(ours.x - [0.41494531, 0.17010937])) <= 2e-6


def test_tutorial_slsqp_call():
    """The tutorial prints "Current function value: 0.342717574857755" and x =
    [0.41494475 0.1701105 ] (to 2e-6, the gap between scipy's SLSQP and trust-constr)."""
    bounds, _, dicts = _tutorial_problem()
    ours = minimize(rosen, np.array([0.5, 0]), method="SLSQP", jac=rosen_der, constraints=dicts,
                    options={"ftol": 1e-9, "disp": True}, bounds=bounds)
    assert ours.success and ours.status == 0
    assert f"{ours.fun:.9f}" == "0.342717575"
    assert np.max(np.abs(ours.x - [0.41494475, 0.1701105])) <= 2e-6


def test_minimize_docstring_slsqp_example():
    """``scipy.optimize.minimize``'s docstring prints array([ 1.4 ,  1.7]) for this call."""
    cons = ({"type": "ineq", "fun": lambda x: x[0] - 2 * x[1] + 2},
            {"type": "ineq", "fun": lambda x: -x[0] - 2 * x[1] + 6},
            {"type": "ineq", "fun": lambda x: -x[0] + 2 * x[1] + 2})
    bnds = ((0, None), (0, None))

    def fun(x):
        return (x[0] - 1) ** 2 + (x[1] - 2.5) ** 2

    ours = minimize(fun, (2, 0), method="SLSQP", bounds=bnds, constraints=cons)
    ref = _scipy(fun, (2, 0), method="SLSQP", bounds=bnds, constraints=cons)
    assert ours.success
    assert np.array2string(np.round(ours.x, 8)) == "[1.4 1.7]" == np.array2string(ref.x)


def test_tutorial_trust_constr_with_difference_jacobians():
    """The tutorial's variants: the constraint's Jacobian by ``"2-point"`` with a ``BFGS()``
    Hessian (steepest differentiates it instead), and then also f's gradient by ``"2-point"``
    with ``hess=SR1()``; both print [0.41494531 0.17010937]. The second stops on ``xtol``
    (scipy's status 2) at the KKT point of the first to 1e-8 -- which is 2.0e-6 from scipy's
    printed point, as SLSQP's is -- but not within steepest's KKT tolerance 1e-9 with
    forward-difference gradients (the stationarity residual stays near 3e-6): its
    ``steepest_status`` is STALLED."""
    bounds, objects, _ = _tutorial_problem()
    nonlinear = so.NonlinearConstraint(lambda x: [x[0] ** 2 + x[1], x[0] ** 2 - x[1]],
                                       -np.inf, 1, jac="2-point", hess=so.BFGS())
    cons = [objects[0], nonlinear]
    ours = minimize(rosen, np.array([0.5, 0]), method="trust-constr", jac=rosen_der,
                    hess=rosen_hess, constraints=cons, bounds=bounds)
    assert ours.success and np.max(np.abs(ours.x - [0.41494531, 0.17010937])) <= 2e-6
    fd = minimize(rosen, np.array([0.5, 0]), method="trust-constr", jac="2-point",
                  hess=so.SR1(), constraints=cons, bounds=bounds)
    assert np.max(np.abs(fd.x - ours.x)) <= 1e-8
    assert fd.status == 2 and fd.success and fd.steepest_status.name == "STALLED"


def test_trust_constr_with_difference_gradient_and_sr1_mirrors_scipys_result():
    """jac="2-point", hess=SR1(): the same status scale as scipy's trust-constr (1 gtol,
    2 xtol: both success), x to 2e-6, nit within a factor 10; the KKT report keeps the
    measured residuals (the forward-difference stationarity residual stays near 1e-6)."""
    bounds, objects, _ = _tutorial_problem()
    nonlinear = so.NonlinearConstraint(lambda x: [x[0] ** 2 + x[1], x[0] ** 2 - x[1]],
                                       -np.inf, 1, jac="2-point", hess=so.BFGS())
    cons = [objects[0], nonlinear]
    kw = {"method": "trust-constr", "jac": "2-point", "hess": so.SR1(), "constraints": cons,
          "bounds": bounds}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = so.minimize(rosen, np.array([0.5, 0]), **kw)
    ours = minimize(rosen, np.array([0.5, 0]), **kw)
    assert ref.status in (1, 2) and ours.status in (1, 2)
    assert ours.success == ref.success and isinstance(ours.status, int)
    assert ours.message in ("`gtol` termination condition is satisfied.",
                            "`xtol` termination condition is satisfied.")
    np.testing.assert_allclose(ours.x, ref.x, atol=2e-6)
    assert ref.nit / 10 <= ours.nit <= 10 * ref.nit
    # honest certificate: steepest's own verdict follows the measured KKT residuals
    assert (ours.steepest_status.name == "SUCCESS") == ours.kkt.passed
    assert 0 < ours.kkt.max_residual < 1e-4
