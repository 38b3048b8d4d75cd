"""norm_constrained_lstsq: its result is an OptimizeResult with the one Status."""

import numpy as np
from scipy.optimize import OptimizeResult as ScipyOptimizeResult

from steepest import Status
from steepest.constrained import norm_constrained_lstsq


def test_interior_case_is_success_with_zero_multiplier():
    res = norm_constrained_lstsq(np.eye(2), np.array([0.3, 0.4]), 1.0)
    assert isinstance(res, ScipyOptimizeResult) and res.status is Status.SUCCESS
    assert res.lam == 0.0 and res.success and "feasible" in res.message


def test_boundary_case_reaches_the_radius():
    res = norm_constrained_lstsq(np.eye(2), np.array([3.0, 4.0]), 1.0)
    assert res.status == 0 and res.lam > 0 and np.isclose(np.linalg.norm(res.x), 1.0)
    assert "lambda_trace" in res and res.nfact >= 1
