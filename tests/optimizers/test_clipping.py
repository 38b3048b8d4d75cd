"""Clipping by value and by global norm."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import steepest.optimizers as so

vec = hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e6, 1e6))


@given(vec, vec, st.floats(1e-3, 1e3))
def test_global_norm_clipping_bounds_norm_and_keeps_direction(a, b, c):
    t = so.clip_by_global_norm(c)
    g = {"a": a, "b": b}
    u, _ = t.update(g, t.init(None))
    n, nu = so.global_norm(g), so.global_norm(u)
    assert nu <= c * (1 + 1e-12)
    if n <= c:
        assert u is g
    else:
        np.testing.assert_allclose(nu, c, rtol=1e-12)
        np.testing.assert_allclose(u["a"] * n, a * nu, rtol=1e-9, atol=1e-9 * n)


def test_global_norm_does_not_overflow():
    big = {"x": np.array([1e200, 1e200])}
    assert np.isclose(so.global_norm(big), np.sqrt(2) * 1e200)


@given(vec, st.floats(1e-3, 10.0))
def test_clip_by_value(a, d):
    u, _ = so.clip(d).update(a, None)
    assert np.all(np.abs(u) <= d)
    inside = np.abs(a) <= d
    np.testing.assert_array_equal(u[inside], a[inside])


def test_non_finite_norm_is_left_visible():
    t = so.clip_by_global_norm(1.0)
    u, _ = t.update(np.array([np.nan, 1.0]), None)
    assert np.isnan(u[0])
