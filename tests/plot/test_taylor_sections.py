"""taylor: f and its models along the line are the formulas of eqs. 4.8–4.9."""

from __future__ import annotations

import numpy as np
import pytest

from steepest import grad, hessian
from steepest.plot import taylor


def f(x):
    return np.sum(np.cos(x)) + x[0] * x[1] ** 2


X0 = np.array([0.5, 1.0])


def test_default_is_the_gradient_step_of_figure_4_4():
    ax = taylor(f, X0)
    actual, first, second, level = ax.get_lines()
    t = actual.get_xdata()
    g, H = grad(f)(X0), hessian(f)(X0)
    assert t[0] == 0.0 and t[-1] == 1.0
    assert np.allclose(actual.get_ydata(), [f(X0 - s * g) for s in t])
    assert np.allclose(first.get_ydata(), f(X0) - t * (g @ g))
    assert np.allclose(second.get_ydata(), f(X0) - t * (g @ g) + 0.5 * t**2 * (g @ H @ g))
    assert np.all(np.asarray(level.get_ydata()) == f(X0))
    assert [ln.get_linestyle() for ln in (first, second)] == ["--", ":"]


def test_a_direction_one_order_and_labels():
    d = np.array([1.0, 0.0])
    ax = taylor(f, X0, order=2, direction=d, t=np.linspace(-2, 2, 9), labels=["f", "q"],
                legend=False)
    actual, second, _ = ax.get_lines()
    t = actual.get_xdata()
    H = hessian(f)(X0)
    expected = f(X0) + t * (grad(f)(X0) @ d) + 0.5 * t**2 * (d @ H @ d)
    assert np.allclose(second.get_ydata(), expected) and second.get_label() == "q"
    assert ax.get_legend() is None
    # the quadratic model agrees with f to third order near x0
    assert abs(second.get_ydata()[4] - actual.get_ydata()[4]) < 1e-12


@pytest.mark.parametrize("kwargs, words", [
    ({"order": 3}, "order"), ({"direction": np.ones(3)}, "shape of x0"),
    ({"labels": ["only one"]}, "labels needs 3"),
])
def test_bad_input_is_named(kwargs, words):
    with pytest.raises(ValueError, match=words):
        taylor(f, X0, **kwargs)
