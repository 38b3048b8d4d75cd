"""machine_epsilon, ulp and ulp_distance against their IEEE-754 definitions."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hst

import steepest.numerics as sn
from steepest.numerics import floating


@pytest.mark.parametrize("dtype, bits", [(np.float16, 11), (np.float32, 24), (np.float64, 53)])
def test_machine_epsilon_is_gap_after_one(dtype, bits):
    eps = sn.machine_epsilon(dtype)
    assert eps == 2.0 ** (1 - bits)
    one = dtype(1)
    assert dtype(one + dtype(eps)) > one and dtype(one + dtype(eps / 2)) == one
    assert sn.machine_epsilon(np.zeros(2, dtype=dtype)) == eps
    assert sn.machine_epsilon(np.dtype(dtype).name) == eps


def test_machine_epsilon_rejects_integers():
    with pytest.raises(TypeError, match="floating dtype"):
        sn.machine_epsilon(np.int32)


@given(hst.floats(allow_nan=False, allow_infinity=False))
def test_ulp_is_gap_to_next_float(x):
    with np.errstate(over="ignore"):
        gap = np.nextafter(abs(x), np.inf) - abs(x)
    if np.isinf(gap):  # the largest float: its binade's spacing
        gap = abs(x) - np.nextafter(abs(x), 0.0)
    assert sn.ulp(x) == gap


@given(hst.floats(allow_nan=False, allow_infinity=False, width=32))
def test_ulp_float32(x):
    x32 = np.float32(x)
    u = sn.ulp(x32)
    assert u.dtype == np.float32
    with np.errstate(over="ignore"):
        gap = np.nextafter(np.abs(x32), np.float32(np.inf)) - np.abs(x32)
    if np.isinf(gap):
        gap = np.abs(x32) - np.nextafter(np.abs(x32), np.float32(0))
    assert u == gap


@given(hst.floats(allow_nan=False), hst.integers(0, 50))
def test_ulp_distance_counts_nextafter_steps(x, k):
    y, moved = x, 0
    for _ in range(k):
        with np.errstate(over="ignore"):
            z = np.nextafter(y, np.inf)
        moved += bool(z != y)
        y = z
    assert sn.ulp_distance(x, y) == moved
    assert sn.ulp_distance(y, x) == moved


def test_ulp_distance_special_values():
    big = np.finfo(np.float64).max
    assert sn.ulp_distance(0.0, -0.0) == 0
    assert sn.ulp_distance(5e-324, -5e-324) == 2
    assert sn.ulp_distance(big, np.inf) == 1
    assert sn.ulp_distance(0.1 + 0.2, 0.3) == 1
    assert np.isnan(sn.ulp_distance(np.nan, 1.0))
    assert sn.ulp_distance(-np.inf, np.inf) > 1e19
    np.testing.assert_array_equal(sn.ulp_distance([1.0, 2.0], 1.0), [0.0, 2.0 ** 52])
    assert sn.ulp_distance(np.float32(1), np.nextafter(np.float32(1), np.float32(2))) == 1


def test_ulp_distance_rejects_complex():
    with pytest.raises(TypeError, match="float16, float32 or float64"):
        floating.ulp_distance(1j, 1.0)
