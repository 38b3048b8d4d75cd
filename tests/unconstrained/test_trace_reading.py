"""The unconstrained result and its Trace read well: summary, columns, DataFrame, HTML."""

import json

import numpy as np
import pandas as pd

from steepest import maximize, minimize
from steepest.problems import rosenbrock


def _rosen():
    p = rosenbrock()
    return minimize(p.fun, p.x0, method="bfgs", jac=p.grad)


def test_summary_names_method_status_f_counts_and_certificate():
    res = _rosen()
    text = repr(res)
    assert text.splitlines()[0] == "OptimizeResult (bfgs): SUCCESS"
    assert f"counts       nit {res.nit}, nfev {res.nfev}, njev {res.njev}" in text
    assert f"fun          {res.fun:.6g}" in text
    assert f"|g|max       {np.max(np.abs(res.jac)):.3g}" in text
    assert "certificate  minimum (|g|" in text and "hess_inv (2, 2)" in text
    assert len(text.splitlines()) <= 10


def test_trace_columns_match_the_trace_and_parse_as_json():
    res = _rosen()
    cols = res.trace.to_dict()
    assert cols["iteration"] == list(range(res.nit + 1))
    assert cols["f"] == res.trace.f and cols["gnorm"] == res.trace.gnorm
    assert np.allclose(cols["x"][-1], res.x) and np.allclose(cols["x"][0], rosenbrock().x0)
    assert json.loads(json.dumps(cols))["f"][-1] == res.trace.f[-1]


def test_trace_frame_has_one_row_per_iteration_and_the_iterates():
    res = _rosen()
    frame = res.trace.to_frame()
    assert isinstance(frame, pd.DataFrame) and frame.index.name == "iteration"
    assert len(frame) == res.nit + 1 and frame["f"].tolist() == res.trace.f
    assert np.allclose(frame[["x[0]", "x[1]"]].to_numpy()[-1], res.x)


def test_trace_html_abbreviates_long_runs():
    res = minimize(lambda x: x @ x, np.ones(3), method="gd", options={"step_size": 0.01})
    page = res.trace._repr_html_()
    assert res.nit > 20 and page.count("<tr>") == 1 + 5 + 1 + 5  # header, head, ..., tail


def test_maximize_summary_reports_the_users_f():
    res = maximize(lambda x: 1 - (x[0] - 2) ** 2, np.array([0.0]))
    assert "fun          1" in repr(res) and "certificate  maximum" in repr(res)
