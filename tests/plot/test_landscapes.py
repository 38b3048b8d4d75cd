"""landscape: the contour levels, the grid values and the critical-point markers are the data."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from steepest.analysis import classify_critical_point, find_critical_points
from steepest.plot import landscape
from steepest.plot.landscapes import MARKERS, evaluate_grid


def quadratic(x):
    return x[0] ** 2 + 5 * x[1] ** 2


def saddle(x):
    return x[0] ** 2 - x[1] ** 2


def test_contour_levels_are_the_levels_asked_for_and_the_limits_the_box():
    ax = landscape(quadratic, [(-2, 2), (-1, 1)], n=40, levels=[0.5, 1.0, 2.0])
    cs = ax.collections[0]
    assert cs.levels.tolist() == [0.5, 1.0, 2.0]
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)
    assert not cs.filled


def test_contour_data_is_f_on_the_grid():
    ax = landscape(quadratic, [(-2, 2), (-1, 1)], n=30, levels=7)
    X, Y, Z = evaluate_grid(quadratic, np.array([[-2.0, 2.0], [-1.0, 1.0]]), 30)
    assert np.allclose(Z, X**2 + 5 * Y**2)
    cs = ax.collections[0]
    assert (cs.zmin, cs.zmax) == (Z.min(), Z.max())
    assert cs.levels.min() <= Z.min() < Z.max() <= cs.levels.max()


def test_vectorized_and_pointwise_grids_agree():
    box = np.array([[-3.0, 3.0], [-2.0, 1.0]])
    pointwise = evaluate_grid(saddle, box, 17)[2]
    assert np.array_equal(evaluate_grid(saddle, box, 17, vectorized=True)[2], pointwise)


def test_log_levels_are_levels_of_log10_f_minus_min_plus_offset():
    def rosen(x):
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    ax = landscape(rosen, [(-1.5, 1.5), (-0.5, 1.5)], n=50, log=1.0, levels=10)
    z = evaluate_grid(rosen, np.array([[-1.5, 1.5], [-0.5, 1.5]]), 50)[2]
    shown = np.log10(z - z.min() + 1.0)
    cs = ax.collections[0]
    assert np.isclose(cs.zmin, shown.min()) and np.isclose(cs.zmax, shown.max())
    assert cs.zmin == 0.0 and cs.levels.max() < 4  # log units: f reaches ~ 760 here


def test_filled_with_colorbar():
    ax = landscape(quadratic, [(-1, 1), (-1, 1)], n=20, filled=True, colorbar=True)
    assert ax.collections[0].filled and len(ax.figure.axes) == 2


def test_critical_points_are_marked_at_their_coordinates_by_kind():
    def peaks_like(x):
        return x[0] ** 3 - 3 * x[0] + x[1] ** 2  # a minimum at (1, 0), a saddle at (-1, 0)
    cps = find_critical_points(peaks_like, [(-2, 2), (-2, 2)], n_starts=30)
    ax = landscape(peaks_like, [(-2, 2), (-2, 2)], n=30, critical_points=cps,
                   labels=("x", "y"))
    marks = {c.get_label(): c for c in ax.collections[1:]}
    assert set(marks) == {"minimum (1)", "saddle (1)"}
    assert np.allclose(marks["minimum (1)"].get_offsets(), [[1.0, 0.0]], atol=1e-6)
    assert np.allclose(marks["saddle (1)"].get_offsets(), [[-1.0, 0.0]], atol=1e-6)
    assert np.allclose(marks["saddle (1)"].get_facecolor()[0], to_rgba("white"))
    assert np.allclose(marks["minimum (1)"].get_facecolor()[0], to_rgba(MARKERS["minimum"][1]))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["minimum (1)", "saddle (1)"]


def test_one_classified_point_and_the_1d_curve():
    p = classify_critical_point(lambda x: (x[0] - 0.5) ** 2, [0.5])
    ax = landscape(lambda x: (x[0] - 0.5) ** 2, [(-1, 2)], n=31, critical_points=p)
    (curve,) = ax.get_lines()
    assert np.allclose(curve.get_xdata(), np.linspace(-1, 2, 31))
    assert np.allclose(curve.get_ydata(), (np.linspace(-1, 2, 31) - 0.5) ** 2)
    assert np.allclose(ax.collections[0].get_offsets(), [[0.5, 0.0]])


def test_draws_into_the_given_axes():
    _, axes = plt.subplots(1, 2)
    assert landscape(quadratic, [(-1, 1), (-1, 1)], n=10, ax=axes[1]) is axes[1]
    assert not axes[0].collections


@pytest.mark.parametrize("kwargs, error, words", [
    ({"bounds": [(-1, 1)] * 3}, ValueError, "1-D or 2-D"),
    ({"bounds": [(1, -1), (0, 1)]}, ValueError, "low < high"),
    ({"n": 1}, ValueError, "n must be >= 2"),
    ({"log": -1.0}, ValueError, "offset > 0"),
    ({"ax": "left"}, TypeError, "ax must be a matplotlib Axes"),
    ({"critical_points": [1.0]}, TypeError, "find_critical_points"),
    ({"vectorized": True, "f": lambda x: float(np.sum(x))}, ValueError, "vectorized=False"),
])
def test_bad_input_is_named(kwargs, error, words):
    args = {"f": quadratic, "bounds": [(-1, 1), (-1, 1)], "n": 10, **kwargs}
    with pytest.raises(error, match=words):
        landscape(args.pop("f"), args.pop("bounds"), **args)


def test_f_must_be_callable():
    with pytest.raises(TypeError, match="f"):
        landscape(3.0, [(-1, 1), (-1, 1)])
