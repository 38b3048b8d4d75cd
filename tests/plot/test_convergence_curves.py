"""convergence: the curves are the trace's columns, y on a log axis, f* and floors applied."""

from __future__ import annotations

import numpy as np
import pytest

from steepest import minimize
from steepest.plot import convergence


def rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


X0 = np.array([-1.2, 1.0])


@pytest.fixture(scope="module")
def runs():
    return [minimize(rosen, X0, method=m) for m in ("bfgs", "newton")]


def test_f_minus_f_star_against_iterations(runs):
    ax = convergence(runs, f_star=0.0)
    assert ax.get_yscale() == "log" and ax.get_xscale() == "linear"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("iteration", "f − f*")
    for line, res in zip(ax.get_lines(), runs):
        f = np.asarray(res.trace.f)
        assert line.get_label() == res.method
        assert np.array_equal(line.get_xdata(), np.arange(res.nit + 1))
        assert np.array_equal(line.get_ydata(), np.maximum(f, 1e-300))


def test_default_f_star_is_the_best_value_found(runs):
    ax = convergence(runs, floor=1e-20)
    best = min(min(r.trace.f) for r in runs)
    lowest = min(line.get_ydata().min() for line in ax.get_lines())
    assert lowest == 1e-20  # the best run reaches f* exactly: drawn at the floor
    assert np.allclose(ax.get_lines()[0].get_ydata()[0], runs[0].trace.f[0] - best)


def test_evaluations_end_at_nfev_and_time_is_increasing(runs):
    ax = convergence(runs, x="evaluations", y="grad_norm")
    for line, res in zip(ax.get_lines(), runs):
        assert line.get_xdata()[0] == 1 and line.get_xdata()[-1] == res.nfev
        assert np.array_equal(line.get_ydata(), np.maximum(res.trace.gnorm, 1e-300))
    assert ax.get_xlabel() == "function evaluations" and ax.get_ylabel() == "‖∇f‖"
    ax = convergence(runs[0], x="time", y="step", xlog=True, ylabel="step length")
    (line,) = ax.get_lines()
    assert np.all(np.diff(line.get_xdata()) >= 0) and ax.get_xscale() == "log"
    assert np.array_equal(line.get_ydata(), np.maximum(runs[0].trace.step_norm[1:], 1e-300))
    assert ax.get_ylabel() == "step length" and ax.get_legend() is None


def test_arrays_and_xy_pairs_are_curves_computed_elsewhere():
    gaps = np.array([1.0, 0.1, 0.0])
    ax = convergence({"a": gaps, "b": (np.array([10.0, 20.0]), np.array([3.0, 2.0]))},
                     floor=1e-9)
    a, b = ax.get_lines()
    assert np.array_equal(a.get_xdata(), [0, 1, 2]) and a.get_ydata().tolist() == [1, 0.1, 1e-9]
    assert b.get_xdata().tolist() == [10, 20] and b.get_label() == "b"


@pytest.mark.parametrize("kwargs, words", [
    ({"x": "epochs"}, "x must be one of"), ({"y": "loss"}, "y must be one of")])
def test_unknown_quantities_are_named(runs, kwargs, words):
    with pytest.raises(ValueError, match=words):
        convergence(runs, **kwargs)
