"""Backtracking to the Armijo condition."""

import numpy as np
import pytest

from steepest import Status
from steepest.unconstrained import Armijo, armijo


@pytest.mark.parametrize("shrink", [0.5, 2 / 3])
def test_armijo_backtracks_by_shrink(shrink):
    phi = lambda a: (a - 1.0) ** 2  # noqa: E731
    r = armijo(phi, 1.0, -2.0, alpha0=8.0, shrink=shrink)
    assert r.success and r.armijo
    assert phi(r.step) <= 1.0 - 2e-4 * r.step  # Armijo from phi itself
    k = r.evaluations - 1
    assert r.step == pytest.approx(8.0 * shrink ** k)
    # the previous trial failed the Armijo condition
    prev = r.step / shrink
    assert phi(prev) > 1.0 - 2e-4 * prev


def test_not_descent_reported():
    r = armijo(lambda a: a, 0.0, 1.0)
    assert r.status is Status.NOT_DESCENT and r.step == 0.0


def test_all_nan_is_non_finite():
    r = armijo(lambda a: np.nan, 0.0, -1.0, max_evals=10)
    assert r.status is Status.NON_FINITE and r.step == 0.0


def test_interpolation_stays_in_its_safeguard():
    """Each interpolated trial lies in [0.1 alpha, shrink alpha] of the previous one."""
    trials = []

    def phi(a):
        trials.append(a)
        return (a - 0.01) ** 2 + 1.0

    r = Armijo(shrink=0.5, interpolate=True).run(phi, 1.0001, -0.02, 10.0)
    assert r.success
    for prev, nxt in zip(trials, trials[1:], strict=False):
        assert 0.1 * prev <= nxt <= 0.5 * prev


@pytest.mark.parametrize("kwargs, match", [
    ({"shrink": 1.5}, "shrink must lie in \\(0, 1\\)"),
    ({"c1": -1.0}, "c1 must lie in \\(0, 1\\)"),
    ({"max_evals": 0}, "max_evals must be >= 1"),
])
def test_hyperparameters_checked_at_construction(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Armijo(**kwargs)
