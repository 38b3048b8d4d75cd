"""profile: ρ_s(τ) is the share of problems within a factor τ of the best; failures never count."""

from __future__ import annotations

import numpy as np
import pytest

from steepest.plot import profile
from steepest.plot.profiles import performance_ratios

INF = float("inf")
TABLE = {"a": {"p1": 10.0, "p2": 40.0, "p3": 5.0, "p4": INF},
         "b": {"p1": 20.0, "p2": 10.0, "p3": 5.0, "p4": 8.0},
         "c": {"p1": INF, "p2": INF, "p3": 50.0}}  # p4 missing: a failure


def test_ratios():
    names, r = performance_ratios(TABLE)
    assert names == ["a", "b", "c"]
    assert r.tolist() == [[1, 4, 1, INF], [2, 1, 1, 1], [INF, INF, 10, INF]]


def test_steps_are_the_fraction_within_tau():
    ax = profile(TABLE)
    assert ax.get_xscale() == "log" and ax.get_xlim() == (1.0, 20.0)  # 2 × the largest ratio
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    _, r = performance_ratios(TABLE)
    for name, row in zip("abc", r):
        tau, rho = lines[name].get_xdata(), lines[name].get_ydata()
        assert np.allclose(rho, [np.mean(row <= t) for t in tau])
    assert lines["a"].get_ydata()[0] == 0.5 and lines["b"].get_ydata()[-1] == 1.0
    assert lines["c"].get_ydata()[-1] == 0.25  # solves one problem of four
    assert lines["a"].get_drawstyle() == "steps-post"


def test_array_table_with_names_and_tau_max():
    ax = profile(np.array([[1.0, 2.0], [2.0, 1.0]]), solvers=["x", "y"], tau_max=4.0)
    assert [ln.get_label() for ln in ax.get_lines()] == ["x", "y"]
    assert ax.get_xlim() == (1.0, 4.0) and ax.get_ylabel() == "fraction of the 2 problems"


@pytest.mark.parametrize("table, kwargs, words", [
    ({"a": {"p": 0.0}}, {}, "> 0"), ({"a": {"p": float("nan")}}, {}, "never nan"),
    (np.ones(3), {}, "solver × problem"), (np.ones((2, 2)), {"solvers": ["x"]}, "one name"),
    ({"a": {"p": 1.0}}, {"tau_max": 1.0}, "tau_max must be > 1"), ({}, {}, "empty"),
])
def test_bad_input_is_named(table, kwargs, words):
    with pytest.raises(ValueError, match=words):
        profile(table, **kwargs)
