"""Reflective steps: feasibility, the Coleman–Li scaling, and no candidate worse than the cut."""

import numpy as np
import pytest

from steepest.fitting.reflective import (
    active_bounds,
    cl_scaling,
    select_step,
    step_to_bound,
    strictly_feasible,
)
from steepest.fitting.subproblem import quadratic_value


def test_cl_scaling_is_the_distance_to_the_bound_the_gradient_pushes_toward():
    x, lb, ub = np.array([0.2, 0.2, 0.2, 0.2]), np.array([0, 0, -np.inf, 0.0]), np.ones(4)
    g = np.array([1.0, -1.0, 1.0, 0.0])
    v, dv = cl_scaling(x, g, lb, ub)
    np.testing.assert_allclose(v, [0.2, 0.8, 1.0, 1.0])
    np.testing.assert_array_equal(dv, [1, -1, 0, 0])


@pytest.mark.parametrize("seed", range(20))
def test_selected_steps_stay_strictly_inside_and_do_not_lose_to_the_cut_step(seed):
    rng = np.random.default_rng(seed)
    n = 3
    lb, ub = -rng.random(n), rng.random(n)
    x = lb + (ub - lb) * rng.uniform(0.05, 0.95, n)
    J, g = rng.standard_normal((5, n)), rng.standard_normal(n)
    d, diag = rng.uniform(0.5, 2.0, n), rng.random(n)
    p_h = 3.0 * rng.standard_normal(n)
    delta = float(np.linalg.norm(p_h))
    step, step_h, predicted = select_step(x, J, diag, g, p_h, d, delta, lb, ub, 0.995)
    np.testing.assert_allclose(step, d * step_h)
    assert np.all(x + step > lb) and np.all(x + step < ub)
    t, _ = step_to_bound(x, d * p_h, lb, ub)
    cut = 0.995 * min(t, 1.0) * p_h
    assert predicted >= -quadratic_value(J, g, cut, diag) - 1e-12
    assert predicted == pytest.approx(-quadratic_value(J, g, step_h, diag))


def test_strictly_feasible_and_active_bounds():
    lb, ub = np.array([0.0, 0.0, 1.0]), np.array([1.0, 1.0, 1.0 + 1e-12])
    x = strictly_feasible(np.array([-1.0, 1.0, 1.0]), lb, ub)
    assert np.all(x > lb) and np.all(x < ub)
    np.testing.assert_array_equal(active_bounds(x, lb, ub, 1e-8), [-1, 1, -1])
