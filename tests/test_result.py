"""steepest._result: one Status family (int code + message) and the OptimizeResult base."""

import numpy as np
import pytest
from scipy.optimize import OptimizeResult as ScipyOptimizeResult

from steepest._result import OptimizeResult, Status


def test_status_codes_follow_scipy_and_carry_a_message():
    assert Status.SUCCESS == 0 and Status.STOPPED_BY_CALLBACK == 99
    assert len({int(s) for s in Status}) == len(Status)  # codes are unique
    assert all(isinstance(s.message, str) and s.message for s in Status)
    assert [s for s in Status if s.success] == [Status.SUCCESS]


@pytest.mark.parametrize("name", ["CONVERGED", "COMPLETED", "MAX_ITERATIONS", "MAX_STEPS",
                                  "NONFINITE", "NOT_FINITE", "STOPPED"])
def test_one_spelling_each(name):
    assert name not in Status.__members__


def test_optimize_result_takes_success_and_message_from_status():
    res = OptimizeResult(x=np.zeros(2), status=Status.MAX_ITER)
    assert isinstance(res, ScipyOptimizeResult) and "x" in res
    assert res.success is False and res.message == Status.MAX_ITER.message
    assert res.status == 1 and res.status is Status.MAX_ITER


def test_given_success_and_message_are_kept():
    res = OptimizeResult(x=1.0, status=Status.SUCCESS, success=True, message="gtol")
    assert res.message == "gtol" and res["success"]


def test_values_is_the_dict_method_without_a_values_field():
    res = OptimizeResult(x=1.0, status=Status.SUCCESS)
    assert sorted(map(str, res.values())) == sorted(map(str, dict.values(res)))
    with pytest.raises(AttributeError):
        res.missing  # noqa: B018


def test_repr_is_a_short_summary_of_the_fields():
    res = OptimizeResult(x=np.arange(3.0), fun=1.5, jac=np.array([1e-3, -2e-3, 0.0]), nit=7,
                         nfev=9, njev=9, status=Status.MAX_ITER, method="gd",
                         big=np.zeros((40, 40)), rank=3)
    text = repr(res)
    lines = text.splitlines()
    assert lines[0] == "OptimizeResult (gd): MAX_ITER"
    assert "message  the iteration limit was reached" in text
    assert "|g|max   0.002" in text and "counts   nit 7, nfev 9, njev 9" in text
    assert "x        [0. 1. 2.]" in text and "also     big (40, 40), rank 3" in text
    assert len(lines) == 7 and str(res) == text  # no 1600-entry array printed
    assert dict(res)["big"].shape == (40, 40)  # the fields themselves are untouched


def test_html_table_escapes_and_holds_the_same_rows():
    res = OptimizeResult(x=np.zeros(1), fun=0.0, status=Status.SUCCESS, message="f <= tol")
    page = res._repr_html_()
    assert page.startswith("<div>") and "<table>" in page and "f &lt;= tol" in page
    assert page.count("<tr>") == len(res.summary().rows)


def test_short_keeps_one_line():
    from steepest._result import short

    assert short(np.ones((3, 3))) == "[[1. 1. 1.] [1. 1. 1.] [1. 1. 1.]] (3, 3)"
    assert short("x" * 200, width=10) == "'xxxxxx..."
    assert "\n" not in short({"a": np.ones(50)})
