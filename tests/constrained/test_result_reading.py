"""A constrained result reads well: multipliers, active set and the KKT residual table."""

import numpy as np
import pandas as pd

from steepest._result import short
from steepest.constrained import Eq, Ineq, minimize_constrained


def _solve():
    return minimize_constrained(lambda x: x @ x, np.array([3.0, 1.0]),
                                constraints=[Ineq(lambda x: 1.0 - x[0])])


def test_summary_shows_multipliers_active_set_and_every_kkt_row():
    res = _solve()
    text = repr(res)
    assert text.splitlines()[0].startswith("ConstrainedResult (") and res.success
    assert "KKT residuals:" in text and "active set" in text
    for name, value, _, verdict in res.kkt.rows():
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(name))
        assert f"{value:.3e}" in line and line.endswith(verdict)
    alpha = next(ln for ln in text.splitlines() if ln.strip().startswith("alpha"))
    assert alpha.split()[1:] == short(res.alpha).split() and np.isclose(res.alpha[0], 2.0)
    assert f"active set  {', '.join(res.active_set)}" in text and res.active_set


def test_trace_stays_a_list_of_dicts_and_converts_to_columns():
    res = minimize_constrained(lambda x: x[0] + x[1], np.array([1.0, -2.0]),
                               constraints=[Eq(lambda x: 0.5 * x @ x - 16)])
    assert isinstance(res.trace, list) and res.trace[0]["nit"] == 1
    cols = res.trace.to_dict()
    assert cols["f"] == [row["f"] for row in res.trace] and len(cols["kkt"]) == res.nit
    frame = res.trace.to_frame()
    assert isinstance(frame, pd.DataFrame) and frame["f"].tolist() == cols["f"]
    assert "<td>" in res._repr_html_() and "KKT residuals" in res._repr_html_()


def test_augmented_lagrangian_trace_with_polish_steps_keeps_its_columns():
    res = minimize_constrained(lambda x: x @ x, np.array([3.0, 1.0]),
                               method="augmented-lagrangian",
                               constraints=[Ineq(lambda x: 1.0 - x[0])])
    assert type(res.trace).__name__ == "ConstrainedTrace" and res.success
    assert res.trace.to_dict()["f"] == [row["f"] for row in res.trace]
