"""line: φ(α), its tangent and the Armijo line are the formulas; the shaded steps are Wolfe."""

from __future__ import annotations

import numpy as np
import pytest

from steepest import grad
from steepest.plot import line
from steepest.plot.line_sections import wolfe_intervals


def f(z):
    return (z[0] - 1.0) ** 2 + 10 * z[1] ** 2 + 0.5 * np.sin(3 * z[0])


X, P = np.array([-1.0, 0.2]), np.array([1.0, -0.1])


def test_curves_are_phi_the_tangent_and_the_armijo_line():
    alphas = np.linspace(0.0, 3.0, 61)
    ax = line(f, X, P, alphas, c1=0.2, c2=0.6)
    phi_line, tangent, armijo, star = ax.get_lines()
    phi = np.array([f(X + a * P) for a in alphas])
    dphi0 = float(grad(f)(X) @ P)
    assert np.allclose(phi_line.get_ydata(), phi)
    assert np.allclose(tangent.get_ydata(), phi[0] + alphas * dphi0)
    assert np.allclose(armijo.get_ydata(), phi[0] + 0.2 * alphas * dphi0)
    (a_star,), (phi_star,) = star.get_xdata(), star.get_ydata()
    assert phi_star == pytest.approx(f(X + a_star * P))
    assert phi_star <= phi[0] + 0.2 * a_star * dphi0  # the accepted step is sufficient
    assert float(grad(f)(X + a_star * P) @ P) >= 0.6 * dphi0  # ... and meets curvature
    assert ax.get_xlabel() == "step α" and ax.get_ylabel() == "φ(α)"


def test_shaded_intervals_hold_exactly_the_wolfe_steps():
    alphas = np.linspace(0.0, 3.0, 301)
    ax = line(f, X, P, alphas, c1=0.2, c2=0.6, accepted=0.5)
    spans = ax.patches  # the axvspans, nothing else
    assert spans[0].get_label() == "Wolfe steps"
    phi = np.array([f(X + a * P) for a in alphas])
    slopes = np.array([float(grad(f)(X + a * P) @ P) for a in alphas])
    ok = (phi <= phi[0] + 0.2 * alphas * slopes[0]) & (slopes >= 0.6 * slopes[0])
    expected = wolfe_intervals(alphas, ok)
    drawn = sorted((float(s.get_x()), float(s.get_x() + s.get_width())) for s in spans)
    assert np.allclose(drawn, expected)
    assert ax.get_lines()[-1].get_xdata()[0] == 0.5


def test_wolfe_intervals_of_a_mask():
    a = np.arange(5.0)
    assert wolfe_intervals(a, np.array([1, 1, 0, 0, 1], bool)) == [(0.0, 1.0), (4.0, 4.0)]
    assert wolfe_intervals(a, np.zeros(5, bool)) == []


def test_a_user_gradient_replaces_autodiff():
    def scalar_only(z):
        return float(z @ z)
    ax = line(scalar_only, np.array([1.0, 1.0]), np.array([-1.0, -1.0]), grad=lambda z: 2 * z)
    (a_star,) = ax.get_lines()[-1].get_xdata()
    assert a_star == pytest.approx(1.0, abs=0.5)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"direction": -P}, ValueError, "not a descent direction"),
    ({"direction": np.ones(3)}, ValueError, "shape of x"),
    ({"c1": 0.5, "c2": 0.1}, ValueError, "c1 < c2"),
    ({"c1": 1.5}, ValueError, "c1"),
    ({"x": [np.nan, 0.0]}, ValueError, "x"),
])
def test_bad_input_is_named(kwargs, error, words):
    args = {"x": X, "direction": P, **kwargs}
    with pytest.raises(error, match=words):
        line(f, args.pop("x"), args.pop("direction"), **args)
