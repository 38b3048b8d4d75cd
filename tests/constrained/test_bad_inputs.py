"""Bad inputs to the constrained solvers: one row per case (issue 14, defects 6 and 9).

Each row is (id, call, exception type, fragments the message must contain: the argument it
names and the fix it advises). The raising frame must be steepest's own code, not NumPy's.
"""

from pathlib import Path

import numpy as np
import pytest

import steepest
from steepest.constrained import (
    Affine,
    Box,
    Eq,
    Hyperplane,
    Ineq,
    L2Ball,
    Product,
    Simplex,
    maximize_constrained,
    minimize_constrained,
    projected_gradient,
)

STEEPEST = Path(steepest.__file__).parent


def f(x):
    return np.sum((x - 2.0) ** 2)


X0 = np.zeros(2)
DISC = Ineq(lambda x: x @ x - 1.0)
LINE = Eq(lambda x: x[0] + x[1] - 1.0)

CASES = [
    # defect 6: unknown (misspelt) options are rejected, listing the valid ones
    ("sqp max_iter", lambda: minimize_constrained(f, X0, constraints=[DISC],
                                                  options={"max_iter": 1}),
     ValueError, ["'max_iter'", "did you mean 'maxiter'", "'armijo'", "'hessian'"]),
    ("sqp via minimize", lambda: steepest.minimize(f, X0, constraints=[DISC],
                                                   options={"max_iter": 1}),
     ValueError, ["'sqp'", "'max_iter'", "did you mean 'maxiter'"]),
    ("sqp via bfgs alias", lambda: minimize_constrained(f, X0, method="bfgs", constraints=[LINE],
                                                        options={"armjio": 1e-4}),
     ValueError, ["'armjio'", "did you mean 'armijo'", "'min_step'"]),
    ("sqp maximize", lambda: maximize_constrained(lambda x: -f(x), X0, constraints=[DISC],
                                                  options={"hesian": "bfgs"}),
     ValueError, ["'hesian'", "did you mean 'hessian'"]),
    ("al max_iter", lambda: minimize_constrained(f, X0, method="augmented-lagrangian",
                                                 constraints=[DISC], options={"max_iter": 1}),
     ValueError, ["'augmented-lagrangian'", "did you mean 'maxiter'", "'rho'", "'inner'"]),
    ("al via lbfgs alias", lambda: minimize_constrained(f, X0, method="lbfgs",
                                                        constraints=[DISC], options={"rho0": 1}),
     ValueError, ["'rho0'", "did you mean 'rho'", "'rho_max'"]),
    ("al pytree", lambda: minimize_constrained(lambda p: f(p["w"]), {"w": X0}, method="al",
                                               constraints=[], options={"inner_maxiters": 3}),
     ValueError, ["'inner_maxiters'", "did you mean 'inner_maxiter'"]),
    ("pg max_iter", lambda: projected_gradient(f, X0, Box(0, 1), options={"max_iter": 1}),
     ValueError, ["'projected-gradient'", "did you mean 'maxiter'", "'step'", "'variant'"]),
    ("pg via driver", lambda: minimize_constrained(f, X0, constraints=Box(0, 1),
                                                   options={"stepsize": 0.1}),
     ValueError, ["'stepsize'", "did you mean 'step'", "'t0'"]),
    ("options not a dict", lambda: minimize_constrained(f, X0, constraints=[DISC],
                                                        options=[("maxiter", 3)]),
     TypeError, ["options", "must be a dict", "options={'maxiter': 100}"]),
    # defect 9: projections of another dimension, constraints returning None, wrong bounds
    ("Box of dim 3", lambda: projected_gradient(f, X0, Box(np.zeros(3), np.ones(3))),
     ValueError, ["projection Box", "dimension 3", "x0 has 2", "pass an x0 of length 3"]),
    ("L2Ball center dim 3", lambda: projected_gradient(f, X0, L2Ball(1.0, np.zeros(3))),
     ValueError, ["projection L2Ball", "dimension 3", "x0 has 2"]),
    ("Hyperplane dim 3", lambda: projected_gradient(f, X0, Hyperplane(np.ones(3), 1.0)),
     ValueError, ["projection Hyperplane", "dimension 3", "x0 has 2"]),
    ("Affine dim 3", lambda: projected_gradient(f, X0, Affine(np.ones((1, 3)), [1.0])),
     ValueError, ["projection Affine", "dimension 3", "x0 has 2"]),
    ("Product dim 4", lambda: projected_gradient(f, X0, Product([Simplex(), Box(0, 1)], [2, 2])),
     ValueError, ["projection Product", "dimension 4", "x0 has 2"]),
    ("Box via driver", lambda: minimize_constrained(f, X0, constraints=Box(np.zeros(3), 1.0)),
     ValueError, ["projection Box", "dimension 3", "x0 has 2"]),
    ("pg x0 2-D", lambda: projected_gradient(f, np.zeros((2, 2)), Box(0, 1)),
     ValueError, ["x0 must be 1-D", "1 dimension"]),
    ("pg x0 nan", lambda: projected_gradient(f, np.array([np.nan, 0.0]), Box(0, 1)),
     ValueError, ["x0 contains NaN", "pass finite values"]),
    ("Ineq returns None", lambda: minimize_constrained(f, X0, constraints=[Ineq(lambda x: None)]),
     TypeError, ["Ineq", "constraint function returned None", "return its value"]),
    ("Eq returns None (al)", lambda: minimize_constrained(f, X0, method="al",
                                                          constraints=[Eq(lambda x: None)]),
     TypeError, ["Eq", "constraint function returned None", "return its value"]),
    ("Ineq returns str", lambda: minimize_constrained(f, X0, constraints=[Ineq(lambda x: "1")]),
     TypeError, ["Ineq", "constraint function returned '1'", "return its value"]),
    ("bounds 3 pairs", lambda: minimize_constrained(f, X0, bounds=[(0, 1)] * 3),
     ValueError, ["bounds has 3 (lo, hi) pairs", "x0 has 2", "[(lo, hi)] * 2"]),
    ("bounds 1 pair for 3", lambda: minimize_constrained(f, np.zeros(3), bounds=[(0, 1)]),
     ValueError, ["bounds has 1 (lo, hi) pairs", "x0 has 3", "[(lo, hi)] * 3"]),
    ("bounds via minimize", lambda: steepest.minimize(f, X0, bounds=[(0, 1)] * 3),
     ValueError, ["bounds has 3", "[(lo, hi)] * 2"]),
    ("bounds pg 3 pairs", lambda: minimize_constrained(f, X0, method="projected-gradient",
                                                       bounds=[(0, 1)] * 3),
     ValueError, ["bounds has 3", "[(lo, hi)] * 2"]),
    ("bounds arrays of 3", lambda: minimize_constrained(f, X0, bounds=(np.zeros(3), np.ones(3))),
     ValueError, ["bounds (lower, upper)", "length-2 arrays", "[(lo, hi)] * 2"]),
    ("bounds a number", lambda: minimize_constrained(f, X0, bounds=1.0),
     ValueError, ["bounds must be 2 (lo, hi) pairs", "[(lo, hi)] * 2"]),
    ("bounds 3-tuple", lambda: minimize_constrained(f, X0, bounds=(0, 1, 2)),
     ValueError, ["bounds must be 2 (lo, hi) pairs", "[(lo, hi)] * 2"]),
    # misspelt method names suggest the closest; hessp and constraint derivatives are named
    ("method misspelt", lambda: minimize_constrained(f, X0, method="sqpp", constraints=[DISC]),
     ValueError, ["unknown constrained method 'sqpp'", "did you mean 'sqp'?"]),
    ("method misspelt via minimize", lambda: steepest.minimize(
        f, X0, method="augmented-lagrangain", constraints=[DISC]),
     ValueError, ["did you mean 'augmented-lagrangian'?"]),
    ("hessp of another length", lambda: minimize_constrained(
        f, X0, constraints=[LINE], hessp=lambda x, p: np.ones(3)),
     ValueError, ["hessp must return a vector of shape (2,)", "got shape (3,)"]),
    ("Eq jac not callable", lambda: Eq(lambda x: x[0], jac=3),
     TypeError, ["Eq(jac=...) must be callable or None", "leave jac out"]),
    ("Ineq hess not callable", lambda: Ineq(lambda x: x[0], hess="2-point"),
     TypeError, ["Ineq(hess=...) must be callable or None"]),
]


@pytest.mark.parametrize(("call", "exc", "fragments"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input_is_rejected_at_the_boundary(call, exc, fragments):
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    raising = Path(str(info.traceback[-1].path))
    assert STEEPEST in raising.parents, f"raised from {raising}, not by steepest"


def test_valid_options_still_run():
    res = minimize_constrained(f, X0, constraints=[DISC], options={"maxiter": 50})
    assert res.success and res.nit <= 50
    res = projected_gradient(f, X0, Box(np.zeros(2), np.ones(2)), options={"maxiter": 100})
    assert res.success and res.x.tolist() == [1.0, 1.0]
    res = minimize_constrained(f, X0, bounds=[(0, 1), (None, 0.5)])
    np.testing.assert_allclose(res.x, [1.0, 0.5], atol=1e-8)
