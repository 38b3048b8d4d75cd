"""Learning-rate schedules: boundary values, monotonicity, composition, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import steepest.optimizers as so


def test_values_at_known_points():
    assert so.constant_schedule(0.3)(1000) == 0.3
    s = so.step_schedule(1.0, every=10, factor=0.5)
    assert [s(0), s(9), s(10), s(25)] == [1.0, 1.0, 0.5, 0.25]
    e = so.exponential_decay(0.1, 0.99)  # Liquet Figure 4.2 (b)
    assert math.isclose(e(100), 0.1 * 0.99**100, rel_tol=1e-15)
    assert so.exponential_decay(1.0, 0.5, 10, staircase=True)(19) == 0.5
    c = so.cosine_decay_schedule(2.0, 100, alpha=0.1)
    assert c(0) == 2.0 and math.isclose(c(50), 2.0 * (0.9 * 0.5 + 0.1)) and c(500) == 0.2 * 1.0
    lin = so.linear_schedule(0.0, 1.0, 4)
    assert [lin(0), lin(2), lin(4), lin(9)] == [0.0, 0.5, 1.0, 1.0]


@given(st.integers(1, 50), st.integers(2, 200), st.floats(1e-5, 1.0))
def test_warmup_cosine_rises_then_falls(warmup, extra, peak):
    total = warmup + extra
    s = so.warmup_cosine_decay(peak, warmup, total)
    vals = np.array([s(t) for t in range(total + 5)])
    assert np.all(np.diff(vals[: warmup + 1]) >= 0)
    assert np.all(np.diff(vals[warmup:]) <= 1e-15)
    assert math.isclose(vals[warmup], peak) and vals[0] == 0.0 and abs(vals[-1]) < 1e-12 * peak


def test_join_restarts_each_piece():
    j = so.join_schedules([so.constant_schedule(1.0), so.linear_schedule(0.0, 1.0, 10)], [5])
    assert [j(4), j(5), j(10), j(15)] == [1.0, 0.0, 0.5, 1.0]
    # a middle piece is restarted too: it sees count - 5, not count
    j3 = so.join_schedules([so.constant_schedule(1.0), so.linear_schedule(0.0, 1.0, 10),
                            so.constant_schedule(2.0)], [5, 15])
    assert [j3(4), j3(5), j3(10), j3(14), j3(15)] == [1.0, 0.0, 0.5, 0.9, 2.0]
    with pytest.raises(ValueError, match="len\\(boundaries\\)"):
        so.join_schedules([so.constant_schedule(1.0)], [3])
    with pytest.raises(ValueError, match="strictly increasing"):
        so.join_schedules([so.constant_schedule(1.0)] * 3, [5, 5])


def test_invalid_schedules():
    with pytest.raises(ValueError, match="positive integer"):
        so.step_schedule(1.0, every=0)
    with pytest.raises(ValueError, match="must exceed warmup_steps"):
        so.warmup_cosine_decay(1.0, 10, 10)
    with pytest.raises(ValueError, match=">= 0"):
        so.constant_schedule(-1.0)


def test_optimizer_uses_schedule_value_at_each_count():
    sched = so.exponential_decay(0.1, 0.9)
    opt = so.sgd(sched)
    x = np.array([1.0])
    state = opt.init(x)
    for t in range(20):
        g = 2 * x
        expected = x - sched(t) * g
        u, state = opt.update(g, state, x)
        x = so.apply_updates(x, u)
        np.testing.assert_allclose(x, expected, rtol=1e-15)
    adam_sched = so.adam(so.step_schedule(0.1, 1, 0.0))  # lr 0.1 at t = 0, then 0
    y = np.array([1.0])
    s = adam_sched.init(y)
    for _ in range(3):
        y, s = so.step(adam_sched, 2 * y, s, y)
    np.testing.assert_allclose(y, [0.9], rtol=1e-7)


def test_bad_schedule_output_is_reported():
    opt = so.sgd(lambda t: -1.0)
    with pytest.raises(ValueError, match="schedule returned"):
        opt.update(np.ones(1), opt.init(np.ones(1)))
