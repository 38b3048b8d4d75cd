"""The fixed step: taken as is, its conditions only reported."""

import numpy as np
import pytest

from steepest import Status
from steepest.unconstrained import FixedStep, fixed_step


def test_fixed_step_reports_conditions():
    r = fixed_step(lambda a: ((a - 1) ** 2, 2 * (a - 1)), 1.0, -2.0, step=3.0)
    assert r.success and not r.armijo


def test_non_finite_step_is_rejected():
    r = FixedStep(2.0).run(lambda a: (np.inf, np.nan), 1.0, -2.0)
    assert r.status is Status.NON_FINITE and r.step == 0.0 and r.phi == 1.0


def test_step_checked_at_construction():
    with pytest.raises(ValueError, match="step must be a finite number > 0"):
        FixedStep(0.0)
