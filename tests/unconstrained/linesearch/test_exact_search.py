"""Exact line search: closed form on quadratics, bracket + Brent otherwise."""

import numpy as np
import pytest

from steepest.unconstrained import Exact, exact, exact_quadratic


def test_exact_matches_closed_form_on_quadratic():
    rng = np.random.default_rng(3)
    M = rng.standard_normal((5, 5))
    A = M @ M.T + 5 * np.eye(5)
    x, p = rng.standard_normal(5), -rng.standard_normal(5)
    g = A @ x
    if g @ p > 0:
        p = -p
    phi = lambda a: 0.5 * (x + a * p) @ A @ (x + a * p)  # noqa: E731
    closed = exact_quadratic(phi(0), g @ p, p @ A @ p)
    brent = exact(phi, phi(0), g @ p)
    assert closed.step == pytest.approx(-(g @ p) / (p @ A @ p))
    assert brent.step == pytest.approx(closed.step, rel=1e-6)
    # exact: the new gradient is orthogonal to p
    assert abs(A @ (x + closed.step * p) @ p) < 1e-10 * np.linalg.norm(A) * np.linalg.norm(p) ** 2


def test_closed_form_without_positive_curvature_is_stalled():
    r = exact_quadratic(1.0, -2.0, 0.0)
    assert not r.success and r.status.name == "STALLED" and r.step == 0.0


@pytest.mark.parametrize("kwargs, match", [
    ({"tol": 0.0}, "tol must be a finite number > 0"),
    ({"max_evals": -3}, "max_evals must be >= 1"),
])
def test_hyperparameters_checked_at_construction(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Exact(**kwargs)
