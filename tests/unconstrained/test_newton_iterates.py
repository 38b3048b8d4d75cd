"""Newton's recorded iterates: :func:`steepest.unconstrained.newton_iterates_1d`."""

import numpy as np
import pytest

from steepest._result import Status
from steepest.problems.textbook import (
    oscillation_cost,
    oscillation_cost_derivatives,
    overshoot_cost,
    overshoot_cost_derivatives,
)
from steepest.unconstrained import NewtonStop, newton_iterates_1d


def _d(fn, k):
    return lambda t: fn(t)[k]


def test_overshoot_example_of_liquet_eq_4_52():
    it = newton_iterates_1d(overshoot_cost, 1.5, 6, dC=_d(overshoot_cost_derivatives, 0),
                            d2C=_d(overshoot_cost_derivatives, 1))
    assert it.thetas[1] == 5.25
    np.testing.assert_allclose(it.thetas[2:5], [3.5956, 3.0683, 3.0011], atol=5e-5)
    assert abs(it.thetas[6] - 3.0) < 1e-13  # "error below 1e-13 at theta(6)"
    assert it.values[1] == pytest.approx(41.765625)  # the four-fold increase
    assert it.values[0] == pytest.approx(10.125)
    assert it.stop is NewtonStop.MAX_ITER
    np.testing.assert_allclose(it.steps, -it.slopes[:-1] / it.curvatures[:-1])


def test_oscillation_example_cycles_between_plus_and_minus_one():
    it = newton_iterates_1d(oscillation_cost, 1.0, 8, dC=_d(oscillation_cost_derivatives, 0),
                            d2C=_d(oscillation_cost_derivatives, 1))
    np.testing.assert_array_equal(it.thetas, [1.0, -1.0] * 4 + [1.0])
    np.testing.assert_array_equal(it.steps, [-2.0, 2.0] * 4)


def test_zero_curvature_and_stationary_starts_stop_cleanly():
    it = newton_iterates_1d(overshoot_cost, 1.0, 3, dC=_d(overshoot_cost_derivatives, 0),
                            d2C=_d(overshoot_cost_derivatives, 1))
    assert it.stop is NewtonStop.NONPOSITIVE_CURVATURE and it.thetas.size == 1
    it = newton_iterates_1d(overshoot_cost, 3.0, 3, dC=_d(overshoot_cost_derivatives, 0),
                            d2C=_d(overshoot_cost_derivatives, 1))
    assert it.stop is NewtonStop.SUCCESS


def test_starting_left_of_the_inflection_point_heads_to_the_local_maximum():
    it = newton_iterates_1d(overshoot_cost, 0.5, 20, dC=_d(overshoot_cost_derivatives, 0),
                            d2C=_d(overshoot_cost_derivatives, 1))
    assert abs(it.thetas[-1] + 1.0) < 1e-12  # theta = -1 is the local maximum
    assert it.curvatures[-1] < 0


def test_newton_stop_is_the_status_family():
    assert NewtonStop is Status


def test_newton_iterates_with_autodiff():
    it = newton_iterates_1d(overshoot_cost, 1.5, 4)
    np.testing.assert_allclose(it.thetas[1:], [5.25, 3.5956, 3.0683, 3.0011], atol=5e-5)
    osc = newton_iterates_1d(oscillation_cost, 1.0, 4)
    np.testing.assert_allclose(osc.thetas, [1.0, -1.0, 1.0, -1.0, 1.0])
