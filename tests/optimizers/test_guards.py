"""apply_if_finite: a NaN batch is skipped without touching the moments; persistent NaN raises."""

from __future__ import annotations

import numpy as np
import pytest

import steepest.optimizers as so


def test_nan_step_is_skipped_and_state_kept():
    opt = so.apply_if_finite(so.adam(0.1), max_consecutive=2)
    x = np.array([1.0, -1.0])
    s = opt.init(x)
    x, s = so.step(opt, 2 * x, s, x)
    kept = s.inner
    u, s = opt.update(np.array([np.inf, 0.0]), s, x)
    assert np.all(u == 0) and s.inner is kept and s.total == 1 and not s.last_finite
    u, s = opt.update(2 * x, s, x)
    assert np.all(np.isfinite(u)) and s.consecutive == 0 and s.total == 1 and s.last_finite


def test_persistent_nan_raises_with_advice():
    opt = so.apply_if_finite(so.sgd(0.1), max_consecutive=2)
    s = opt.init(np.zeros(1))
    for _ in range(2):
        _, s = opt.update(np.array([np.nan]), s, np.zeros(1))
    with pytest.raises(so.NonFiniteUpdateError, match="clip_by_global_norm"):
        opt.update(np.array([np.nan]), s, np.zeros(1))


def test_max_consecutive_is_checked_at_construction():
    with pytest.raises(ValueError, match="max_consecutive must be >= 1.*e.g. 10"):
        so.apply_if_finite(so.sgd(0.1), max_consecutive=0)
