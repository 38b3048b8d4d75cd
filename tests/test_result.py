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
