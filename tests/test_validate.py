"""Property tests of steepest._validate: each check accepts exactly its set, names the argument."""

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest._options import did_you_mean
from steepest._validate import (
    INTERVALS,
    check_bounds,
    check_callable,
    check_choice,
    check_decay,
    check_finite_array,
    check_float_leaf,
    check_learning_rate,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    check_unit_interval,
)

reals = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**6, 10**6)
not_numbers = st.sampled_from(["1.0", b"1", None, [1.0], {"a": 1}, object(), True, False])


@given(reals)
def test_positive_float_accepts_exactly_finite_positive(v):
    ok = math.isfinite(float(v)) and v > 0
    if ok:
        out = check_positive_float(v, "tol")
        assert isinstance(out, float) and out == float(v)
    else:
        msg = r"^tol must be a finite number > 0, got .*; pass tol > 0"
        with pytest.raises(ValueError, match=msg):
            check_positive_float(v, "tol")


@given(reals)
def test_nonnegative_float_accepts_exactly_finite_nonnegative(v):
    ok = math.isfinite(float(v)) and v >= 0
    if ok:
        assert check_nonnegative_float(v, "radius") == float(v)
    else:
        with pytest.raises(ValueError, match=r"^radius must be a finite number >= 0.*radius >= 0"):
            check_nonnegative_float(v, "radius")


@given(not_numbers)
def test_float_checks_reject_non_numbers_with_a_type_error(v):
    for check in (check_positive_float, check_nonnegative_float, check_unit_interval):
        with pytest.raises(TypeError, match="^lr must be"):
            check(v, "lr")


@given(st.integers(-1000, 1000), st.integers(-5, 5))
def test_positive_int_accepts_exactly_integers_from_minimum(v, minimum):
    if v >= minimum:
        out = check_positive_int(np.int64(v), "n", minimum=minimum)
        assert type(out) is int and out == v
    else:
        with pytest.raises(ValueError, match=rf"^n must be >= {minimum}, got {v}; pass n >= "):
            check_positive_int(v, "n", minimum=minimum)


@given(st.floats(allow_nan=False) | not_numbers)
def test_positive_int_rejects_non_integers(v):
    with pytest.raises(TypeError, match="^maxiter must be an integer"):
        check_positive_int(v, "maxiter")


@given(st.floats(-0.5, 1.5), st.sampled_from(INTERVALS))
def test_unit_interval_matches_the_written_interval(v, interval):
    low_ok = v >= 0 if interval.startswith("[") else v > 0
    high_ok = v <= 1 if interval.endswith("]") else v < 1
    if low_ok and high_ok:
        assert check_unit_interval(v, "beta", interval) == v
    else:
        with pytest.raises(ValueError, match=rf"^beta must lie in {re.escape(interval)}"):
            check_unit_interval(v, "beta", interval)


@pytest.mark.parametrize("interval", INTERVALS)
def test_unit_interval_ends(interval):
    for end, included in ((0.0, interval[0] == "["), (1.0, interval[-1] == "]")):
        if included:
            assert check_unit_interval(end, "beta", interval) == end
        else:
            with pytest.raises(ValueError, match="beta"):
                check_unit_interval(end, "beta", interval)
    with pytest.raises(ValueError, match="beta must lie in"):
        check_unit_interval(math.nan, "beta", interval)
    with pytest.raises(ValueError, match="interval must be one of"):
        check_unit_interval(0.5, "beta", "0..1")


shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)


@given(shapes, st.booleans())
def test_finite_array_checks_ndim_shape_and_finiteness(shape, poison):
    a = np.ones(shape)
    if poison:
        a.flat[0] = np.nan
        with pytest.raises(ValueError, match="^x contains NaN or inf"):
            check_finite_array(a, "x", ndim=len(shape), shape=shape)
        return
    out = check_finite_array(a.tolist(), "x", ndim=len(shape), shape=shape)
    assert out.dtype == float and out.shape == shape
    wild = tuple(None for _ in shape)
    assert check_finite_array(a, "x", shape=wild).shape == shape
    with pytest.raises(ValueError, match=rf"^x must be {len(shape) + 1}-D"):
        check_finite_array(a, "x", ndim=len(shape) + 1)
    with pytest.raises(ValueError, match=r"^x must be an array of shape \(.*any"):
        check_finite_array(a, "x", shape=(*wild, None))


def test_finite_array_rejects_non_numeric():
    with pytest.raises(TypeError, match="^v must be an array of real numbers"):
        check_finite_array([[1.0], ["a", "b"]], "v")


choices = st.lists(st.text(max_size=3), min_size=1, max_size=5, unique=True)


@given(choices, st.text(max_size=3))
def test_choice_accepts_exactly_the_choices(options, value):
    if value in options:
        assert check_choice(value, "method", options) == value
    else:
        with pytest.raises(ValueError, match="^method must be one of") as info:
            check_choice(value, "method", options)
        for option in options:
            assert repr(option) in str(info.value)
        assert repr(value) in str(info.value)


pairs = st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=1, max_size=4)


@given(pairs)
def test_bounds_accepts_exactly_finite_increasing_pairs(bs):
    if all(lo < hi for lo, hi in bs):
        out = check_bounds(bs)
        assert out.shape == (len(bs), 2)
        np.testing.assert_array_equal(out, np.array(bs, dtype=float))
    else:
        with pytest.raises(ValueError, match="low < high"):
            check_bounds(bs)


def test_bounds_shapes_and_types():
    assert check_bounds((0, 1)).shape == (1, 2)
    with pytest.raises(ValueError, match=r"^domain must have shape \(n, 2\)"):
        check_bounds([(0, 1, 2)], "domain")
    with pytest.raises(ValueError, match=r"^bounds must have shape"):
        check_bounds([], "bounds")
    with pytest.raises(ValueError, match="^bounds must be finite"):
        check_bounds([(0, np.inf)])
    with pytest.raises(TypeError, match="^bounds must be a sequence of"):
        check_bounds([("a", "b")])


@given(st.sampled_from([abs, len, lambda x: x, np.sin, type, print]))
def test_callable_accepts_callables(f):
    assert check_callable(f, "f") is f


@given(st.sampled_from([1, 1.5, "f", None, [abs], np.ones(2)]))
def test_callable_rejects_others(v):
    with pytest.raises(TypeError, match="^grad must be callable"):
        check_callable(v, "grad")


@pytest.mark.parametrize("check", [check_positive_float, check_nonnegative_float,
                                   check_unit_interval])
def test_fix_replaces_the_default_advice(check):
    with pytest.raises(ValueError, match=r"^eps must .*; try 1e-8$"):
        check(-1.0, "eps", fix="try 1e-8")
    with pytest.raises(ValueError, match=r"; (pass eps|pass a value)"):
        check(-1.0, "eps")


@given(reals, st.booleans())
def test_decay_accepts_exactly_the_smoothing_interval(v, allow_one):
    f = float(v)
    ok = 0 <= f < 1 or (allow_one and f == 1)
    if ok:
        assert check_decay(v, "b1", allow_one=allow_one) == f
    else:
        with pytest.raises(ValueError, match=r"b1 must lie in \[0, 1[\])].*0\.999"):
            check_decay(v, "b1", allow_one=allow_one)


@given(reals)
def test_learning_rate_is_a_nonnegative_number_or_a_schedule(v):
    schedule = lambda t: 0.1  # noqa: E731
    assert check_learning_rate(schedule) is schedule
    if math.isfinite(float(v)) and v >= 0:
        assert check_learning_rate(v) == float(v)
    else:
        with pytest.raises(ValueError, match="learning_rate must be a finite number >= 0"):
            check_learning_rate(v)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_leaf_accepts_real_floats(dtype):
    assert check_float_leaf(np.zeros(2, dtype=dtype)) == np.dtype(dtype)


@pytest.mark.parametrize("leaf", [np.arange(3), np.array([True])])
def test_float_leaf_rejects_other_dtypes_and_says_how_to_cast(leaf):
    with pytest.raises(TypeError, match=f"params must hold real floating.*{leaf.dtype}.*cast"):
        check_float_leaf(leaf)


def test_float_leaf_rejects_complex_and_says_to_split_real_and_imaginary_parts():
    with pytest.raises(TypeError, match="params must hold real floating.*complex128.*real "
                                        "and imaginary parts as separate real leaves"):
        check_float_leaf(np.zeros(2, complex))


def test_finite_array_rejects_complex_instead_of_dropping_the_imaginary_part():
    with pytest.raises(TypeError, match="b is complex.*real and imaginary parts"):
        check_finite_array(np.array([1.0 + 2.0j]), "b")


@given(st.text(max_size=12), st.lists(st.text(min_size=1, max_size=12), max_size=6))
def test_did_you_mean_names_a_valid_choice_or_nothing(name, valid):
    hint = did_you_mean(name, valid)
    assert hint == "" or any(hint == f" (did you mean {v!r}?)" for v in valid)
    if name in valid:  # an exact name is its own closest match
        assert hint == f" (did you mean {name!r}?)"
