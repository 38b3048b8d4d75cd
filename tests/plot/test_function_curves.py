"""functions: the lines are the functions where finite, failing ranges are shaded spans."""

from __future__ import annotations

import numpy as np
import pytest

from steepest import softplus
from steepest.plot import functions
from steepest.plot.function_curves import runs

X = np.linspace(-800.0, 800.0, 161)


def _naive_softplus(x):
    with np.errstate(over="ignore"):
        return np.log(1.0 + np.exp(x))


def _span(patch):
    xs = patch.get_x() + np.array([0.0, patch.get_width()])  # a Rectangle in x data units
    return float(xs.min()), float(xs.max())


def test_lines_are_the_functions_where_finite_and_the_scale_is_log():
    ax = functions({"stable": softplus, "naive": _naive_softplus}, X, log=True,
                   reference="stable")
    stable, naive = ax.get_lines()
    r = softplus(X)  # below x = -745 even the true value underflows: not on a log axis
    assert np.array_equal(stable.get_xdata(), X[r > 0])
    assert np.array_equal(stable.get_ydata(), r[r > 0])
    y = _naive_softplus(X)
    ok = np.isfinite(y) & (y > 0)
    assert np.array_equal(naive.get_xdata(), X[ok]) and np.array_equal(naive.get_ydata(), y[ok])
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"


def test_spans_cover_exactly_the_inf_range_and_the_collapsed_range():
    ax = functions({"stable": softplus, "naive": _naive_softplus}, X, log=True,
                   reference="stable", rtol=1e-6)
    spans = {p.get_label(): _span(p) for p in ax.patches}
    y, r = _naive_softplus(X), softplus(X)
    inf = X[np.isinf(y)]
    off = X[np.isfinite(y) & (np.abs(y - r) > 1e-6 * r)]
    assert spans["naive not finite"] == (inf.min(), inf.max())
    assert spans["naive off reference"] == (off.min(), off.max())
    assert off.max() < 0 < inf.min()  # the 0 of exp underflow on the left, inf on the right


def test_separate_runs_give_separate_spans_labelled_once():
    y = np.ones(X.size)
    y[10:20] = np.nan
    y[50:55] = np.inf
    ax = functions({"holes": y}, X, shade_nonfinite=True)
    assert [_span(p) for p in ax.patches] == [(X[10], X[19]), (X[50], X[54])]
    labels = [p.get_label() for p in ax.patches]
    assert labels[0] == "holes not finite" and labels[1].startswith("_")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["holes", "holes not finite"]
    assert ax.get_yscale() == "linear"
    assert len(functions({"holes": y}, X, shade_nonfinite=False).patches) == 0


def test_a_reference_callable_is_drawn_and_pointwise_callables_work():
    ax = functions([np.sin], X[:11], reference=lambda t: np.sin(t) + 1.0,
                   vectorized=True, styles={"sin": {"ls": "--"}})
    assert [ln.get_label() for ln in ax.get_lines()] == ["sin", "reference"]
    assert ax.get_lines()[0].get_linestyle() == "--"
    assert _span(ax.patches[0]) == (X[0], X[10])  # sin is 1 away from sin + 1 everywhere
    ax = functions({"square": lambda t: float(t) ** 2}, X[:5], vectorized=False)
    assert np.allclose(ax.get_lines()[0].get_ydata(), X[:5] ** 2)


def test_runs():
    assert runs(np.array([False, True, True, False, True])) == [(1, 2), (4, 4)]
    assert runs(np.zeros(3, bool)) == []


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="x must be a non-decreasing"):
        functions({"f": np.sin}, [1.0, 0.0])
    with pytest.raises(ValueError, match="'f' gives 3 values"):
        functions({"f": np.ones(3)}, X)
    with pytest.raises(ValueError, match="reference 'g'"):
        functions({"f": np.sin}, X, reference="g")
    with pytest.raises(TypeError, match="reference must be"):
        functions({"f": np.sin}, X, reference=3.0)


def test_repeated_x_are_samples_drawn_as_markers():
    x = np.repeat([1.0, 10.0, 100.0], 2)
    y = np.array([1.0, 2.0, 10.0, 20.0, np.inf, 200.0])
    ax = functions({"amp": y}, x, log=True, styles={"amp": {"ls": "none", "marker": "."}})
    (dots,) = ax.get_lines()
    assert dots.get_xdata().tolist() == [1, 1, 10, 10, 100]
    assert dots.get_linestyle() == "None" and dots.get_marker() == "."
    assert [_span(p) for p in ax.patches] == [(100.0, 100.0)]
