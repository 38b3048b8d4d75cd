"""Bad inputs to least_squares and curve_fit: one row per case (the issue-14 catalogue format).

Each row is (id, call, exception type, fragments the message must contain: the argument it
names and the fix it advises). The raising frame must be steepest's own code, not NumPy's.
"""

from pathlib import Path

import numpy as np
import pytest

import steepest
from steepest.fitting import curve_fit, least_squares

STEEPEST = Path(steepest.__file__).parent


def rosen(x):
    return np.array([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])


def line(t, a, b):
    return a * t + b


T, Y = np.linspace(0.0, 1.0, 5), np.linspace(1.0, 3.0, 5)

CASES = [
    ("x0 outside bounds", lambda: least_squares(rosen, [5.0, 0.0], bounds=([0, 0], [1, 1])),
     ValueError, ["x0 is outside the bounds at indices [0]", "np.clip(x0, lb, ub)"]),
    ("lb >= ub", lambda: least_squares(rosen, [0.5, 0.5], bounds=([0, 1], [1, 1])),
     ValueError, ["lb >= ub at indices [1]", "widen those bounds"]),
    ("bounds not a pair", lambda: least_squares(rosen, [0.5, 0.5], bounds=[(0, 1)] * 3),
     ValueError, ["bounds must be a pair (lb, ub)", "bounds=(0, np.inf)"]),
    ("bounds wrong length", lambda: least_squares(rosen, [0.5, 0.5], bounds=([0, 0, 0], 1)),
     ValueError, ["length n = 2", "one bound per parameter"]),
    ("bounds nan", lambda: least_squares(rosen, [0.5, 0.5], bounds=(np.nan, 1)),
     ValueError, ["bounds contain NaN", "-np.inf/np.inf"]),
    ("lm with bounds", lambda: least_squares(rosen, [0.5, 0.5], method="lm", bounds=(0, 2)),
     ValueError, ["'lm' does not handle bounds", "method='trf'"]),
    ("lm robust loss", lambda: least_squares(rosen, [0.5, 0.5], method="lm", loss="huber"),
     ValueError, ["loss='huber'", "method='trf' for a robust loss"]),
    ("lm m < n", lambda: least_squares(lambda x: x[:1] + x[1:], [1.0, 1.0], method="lm"),
     ValueError, ["m = 1 < n = 2", "pass method='trf'"]),
    ("method case", lambda: least_squares(rosen, [0.5, 0.5], method="LM"),
     ValueError, ["method must be one of", "did you mean 'lm'"]),
    ("method dogbox", lambda: least_squares(rosen, [0.5, 0.5], method="dogbox"),
     ValueError, ["'dogbox' is not offered", "'trf'"]),
    ("loss misspelt", lambda: least_squares(rosen, [0.5, 0.5], loss="soft-l1"),
     ValueError, ["unknown loss 'soft-l1'", "did you mean 'soft_l1'"]),
    ("loss type", lambda: least_squares(rosen, [0.5, 0.5], loss=3),
     TypeError, ["loss must be a name or a callable", "rho''"]),
    ("loss callable shape", lambda: least_squares(rosen, [0.5, 0.5], loss=lambda z: z),
     ValueError, ["loss must return an array of shape (3, 2)", "rho(z), rho'(z), rho''(z)"]),
    ("jac misspelt", lambda: least_squares(rosen, [0.5, 0.5], jac="2point"),
     ValueError, ["jac must be None (autodiff)", "did you mean '2-point'"]),
    ("jac wrong shape", lambda: least_squares(rosen, [0.5, 0.5], jac=lambda x: np.eye(3)),
     ValueError, ["jac(x) returned shape (3, 3)", "expected (m, n) = (2, 2)"]),
    ("jac not finite", lambda: least_squares(rosen, [0.5, 0.5],
                                             jac=lambda x: np.full((2, 2), np.nan)),
     ValueError, ["jac(x) is not finite", "jac='2-point'"]),
    ("ftol negative", lambda: least_squares(rosen, [0.5, 0.5], ftol=-1.0),
     ValueError, ["ftol must be a finite number >= 0"]),
    ("tolerances all zero", lambda: least_squares(rosen, [0.5, 0.5], ftol=0, xtol=0, gtol=0),
     ValueError, ["at least one of ftol, xtol, gtol", "ftol=1e-8"]),
    ("x_scale negative", lambda: least_squares(rosen, [0.5, 0.5], x_scale=-1.0),
     ValueError, ["x_scale must be 'jac' or finite numbers > 0", "x_scale=1.0"]),
    ("x_scale word", lambda: least_squares(rosen, [0.5, 0.5], x_scale="auto"),
     ValueError, ["x_scale must be 'jac'", "'auto'"]),
    ("x_scale length", lambda: least_squares(rosen, [0.5, 0.5], x_scale=[1.0, 2.0, 3.0]),
     ValueError, ["x_scale must be a scalar or have length n = 2"]),
    ("f_scale zero", lambda: least_squares(rosen, [0.5, 0.5], loss="huber", f_scale=0.0),
     ValueError, ["f_scale"]),
    ("max_nfev zero", lambda: least_squares(rosen, [0.5, 0.5], max_nfev=0), ValueError,
     ["max_nfev"]),
    ("x0 2-D", lambda: least_squares(rosen, [[0.5, 0.5]]),
     ValueError, ["x0 must be 1-D", "x0.ravel()"]),
    ("x0 nan", lambda: least_squares(rosen, [np.nan, 0.5]),
     ValueError, ["x0 contains NaN or inf", "finite"]),
    ("x0 complex", lambda: least_squares(rosen, [0.5 + 1j, 0.5]),
     TypeError, ["x0 must be real", "separate parameters"]),
    ("fun not callable", lambda: least_squares(3.0, [0.5, 0.5]),
     TypeError, ["fun must be callable"]),
    ("residuals 2-D", lambda: least_squares(lambda x: np.ones((2, 2)) * x[0], [1.0, 1.0]),
     ValueError, ["1-D array of residuals", "r.ravel()"]),
    ("residuals not finite", lambda: least_squares(lambda x: np.array([np.inf, x[0]]),
                                                   [1.0, 1.0]),
     ValueError, ["NaN or inf residuals at x0", "every residual is finite"]),
    ("residuals complex", lambda: least_squares(lambda x: x * 1j, [1.0, 1.0]),
     TypeError, ["real residuals", "imaginary parts stacked"]),
    ("residual count changes", lambda: least_squares(
        lambda x: np.array([x[0] - 1.0, x[1]]) if x[0] == 0.0 else np.array([x[0] - 1.0]),
        [0.0, 0.0], jac="2-point"),
     ValueError, ["1 residuals", "2 before", "the same number of residuals"]),
    ("curve_fit ydata empty", lambda: curve_fit(line, [], []),
     ValueError, ["ydata is empty", "at least as many data points"]),
    ("curve_fit ydata nan", lambda: curve_fit(line, T, np.where(T > 0.5, np.nan, Y)),
     ValueError, ["ydata contains NaN or inf", "check_finite=False"]),
    ("curve_fit xdata inf", lambda: curve_fit(line, np.where(T > 0.5, np.inf, T), Y),
     ValueError, ["xdata contains NaN or inf", "check_finite=False"]),
    ("curve_fit sigma shape", lambda: curve_fit(line, T, Y, sigma=[1.0, 2.0]),
     ValueError, ["sigma must have shape (5,)", "(5, 5)"]),
    ("curve_fit sigma zero", lambda: curve_fit(line, T, Y, sigma=np.zeros(5)),
     ValueError, ["sigma must be positive"]),
    ("curve_fit sigma not pd", lambda: curve_fit(line, T, Y, sigma=-np.eye(5)),
     ValueError, ["sigma (a covariance matrix) must be positive definite"]),
    ("curve_fit option", lambda: curve_fit(line, T, Y, max_nfv=10),
     ValueError, ["'max_nfv'", "did you mean 'max_nfev'"]),
    ("curve_fit no signature", lambda: curve_fit(lambda *p: p[0], T, Y),
     ValueError, ["cannot tell how many parameters", "pass p0"]),
    ("curve_fit f not callable", lambda: curve_fit("line", T, Y),
     TypeError, ["f must be callable"]),
    ("curve_fit not converged", lambda: curve_fit(lambda t, a, b: a * np.exp(b * t), T, Y,
                                                  maxfev=1),
     RuntimeError, ["optimal parameters not found", "raise maxfev"]),
]


@pytest.mark.parametrize(("call", "exc", "fragments"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input_is_reported_by_steepest(call, exc, fragments):
    with pytest.raises(exc) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))
    raising = Path(str(info.traceback[-1].path))
    assert STEEPEST in raising.parents, f"raised from {raising}, not by steepest"
