"""numerics_guard: what it records, how it warns and raises, and that it restores NumPy state."""

import warnings

import numpy as np
import pytest

import steepest.numerics as sn

BIG = np.array([1000.0])
TINY = np.array([-1000.0])


def test_records_each_kind_with_operation_and_count():
    x = np.array([1000.0, -1000.0])
    with sn.numerics_guard(ignore=()) as guard:
        for _ in range(3):
            np.exp(x)
        np.array([np.inf]) - np.inf
        np.log(np.array([0.0]))
        BIG * 1e308
    counts = guard.counts
    assert counts == {"overflow": 4, "underflow": 3, "divide": 1, "invalid": 1}
    by_kind = {(ev.kind, ev.operation): ev for ev in guard.events}
    assert by_kind[("overflow", "np.exp")].count == 3
    assert by_kind[("overflow", "np.exp")].expression == "np.exp(x)"
    assert ("invalid", "subtract (-)") in by_kind
    assert ("divide", "np.log") in by_kind
    assert ("overflow", "multiply (*)") in by_kind
    assert all(ev.location.startswith("test_guard.py:") for ev in guard.events)
    assert guard.total == 9 and not guard.clean
    assert "np.exp" in guard.report()


def test_underflow_is_ignored_by_default():
    with sn.numerics_guard() as guard:
        np.exp(TINY)
    assert guard.clean and guard.report() == "no floating-point exceptions"


def test_stable_functions_stay_silent_where_naive_code_does_not():
    x = np.array([-12345.0, -67890.0, -99999999.0])
    with sn.numerics_guard(ignore=()) as guard:
        sn.softmax(x)
        sn.log_softmax(-x)
        sn.logsumexp(-x)
        sn.sigmoid(x)
        sn.softplus(-x)
    assert guard.clean
    with sn.numerics_guard(ignore=()) as guard:
        np.exp(-x) / np.sum(np.exp(-x))
    assert guard.counts["overflow"] >= 1 and guard.counts["invalid"] >= 1


def test_numpy_internal_frames_are_attributed_to_the_user_call():
    with sn.numerics_guard() as guard:
        np.mean(np.array([1e308, 1e308]))
    (event,) = guard.events
    assert event.operation == "np.mean" and event.inner
    assert event.location.startswith("test_guard.py")


def test_raise_action_raises_with_the_operation():
    with pytest.raises(FloatingPointError, match=r"overflow in np\.exp"):
        with sn.numerics_guard(action="raise"):
            np.exp(BIG)


def test_warn_action_warns_at_the_user_line():
    with pytest.warns(sn.FloatingPointWarning, match="divide in np.log") as rec:
        with sn.numerics_guard(action="warn"):
            np.log(np.array([0.0]))
    assert rec[0].filename == __file__


def test_previous_state_is_restored_even_after_an_exception():
    def handler(kind, flag):
        return None

    old_call = np.seterrcall(handler)
    try:
        with np.errstate(over="raise", divide="ignore", under="warn", invalid="print"):
            before = np.geterr()
            with pytest.raises(KeyError):
                with sn.numerics_guard(ignore=()):
                    assert np.geterr()["over"] == "call"
                    raise KeyError("boom")
            assert np.geterr() == before
            assert np.geterrcall() is handler
    finally:
        np.seterrcall(old_call)


def test_nested_guards_record_separately():
    with sn.numerics_guard() as outer:
        np.exp(BIG)
        with sn.numerics_guard() as inner:
            np.log(np.array([0.0]))
        np.exp(BIG)
    assert outer.counts["overflow"] == 2 and outer.counts["divide"] == 0
    assert inner.counts["divide"] == 1


def test_bad_arguments_name_the_valid_choices():
    with pytest.raises(ValueError, match="'record', 'warn', 'raise'"):
        sn.numerics_guard(action="ignore")
    with pytest.raises(ValueError, match="'overflow', 'underflow', 'divide', 'invalid'"):
        sn.numerics_guard(ignore=("over",))
    with sn.numerics_guard(ignore="overflow") as guard:
        with warnings.catch_warnings():
            np.exp(BIG)
    assert guard.clean
