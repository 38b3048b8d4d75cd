"""path: one line per run through exactly the stored iterates, labelled method and iterations."""

from __future__ import annotations

import numpy as np
import pytest

from steepest import minimize
from steepest.constrained import Box, projected_gradient
from steepest.plot import path
from steepest.plot.paths import iterates


def rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


X0 = np.array([-1.2, 1.0])


def test_one_result_is_one_line_through_its_iterates():
    res = minimize(rosen, X0, method="bfgs")
    ax = path(res)
    (line,) = ax.get_lines()
    xs = np.stack(res.trace.x)
    assert len(xs) == res.nit + 1
    assert np.array_equal(line.get_xdata(), xs[:, 0])
    assert np.array_equal(line.get_ydata(), xs[:, 1])
    assert line.get_label() == f"bfgs ({res.nit} it.)"
    assert ax.get_legend() is None


def test_several_results_over_the_landscape_with_a_legend():
    runs = [minimize(rosen, X0, method=m) for m in ("bfgs", "newton", "cg")]
    ax = path(runs, rosen, [(-1.5, 1.5), (-0.5, 1.5)], landscape_kw={"log": True, "n": 40})
    assert [ln.get_label() for ln in ax.get_lines()] == [f"{r.method} ({r.nit} it.)"
                                                         for r in runs]
    assert len(ax.collections) == 1 and ax.get_xlim() == (-1.5, 1.5)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        ln.get_label() for ln in ax.get_lines()]
    for line, res in zip(ax.get_lines(), runs):
        assert np.allclose(line.get_xydata()[-1], res.x)


def test_default_box_contains_every_iterate():
    res = minimize(rosen, X0, method="newton")
    ax = path(res, rosen, landscape_kw={"n": 20})
    xs = iterates(res)
    (x_lo, x_hi), (y_lo, y_hi) = ax.get_xlim(), ax.get_ylim()
    assert x_lo < xs[:, 0].min() and xs[:, 0].max() < x_hi
    assert y_lo < xs[:, 1].min() and xs[:, 1].max() < y_hi


def test_dict_labels_arrays_and_projected_gradient_paths():
    box = projected_gradient(rosen, np.array([-1.0, -1.0]), Box(-0.5, 0.5), tol=1e-8)
    steps = np.array([[0.0, 0.0], [1.0, 0.5], [2.0, 0.0]])
    ax = path({"projected": box, "by hand": steps}, style="-", color="k")
    first, second = ax.get_lines()
    assert first.get_label() == "projected" and second.get_label() == "by hand"
    assert np.array_equal(first.get_xydata(), np.array(box.path))
    assert np.array_equal(second.get_xydata(), steps)
    assert first.get_linestyle() == "-" and first.get_marker() == "None"


def test_a_result_without_iterates_says_how_to_keep_them():
    res = minimize(rosen, X0, method="bfgs", options={"store_x": False})
    with pytest.raises(ValueError, match=r"options=\{'store_x': True\}"):
        path(res)
    assert path(minimize(rosen, X0, method="bfgs", options={"store_x": True})).get_lines()


def test_iterates_must_be_planar_and_runs_not_empty():
    res = minimize(lambda x: x @ x, np.ones(3), method="gd")
    with pytest.raises(ValueError, match="3 coordinates"):
        path(res)
    with pytest.raises(ValueError, match="empty"):
        path([])
    with pytest.raises(TypeError, match="result_or_results"):
        path(42)
