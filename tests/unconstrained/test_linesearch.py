"""Line searches on scalar phi(alpha): the conditions they claim hold, failures keep the best."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.unconstrained import (
    LineSearchStatus,
    armijo,
    exact,
    exact_quadratic,
    fixed_step,
    line_search,
    make_line_search,
    more_thuente,
    strong_wolfe,
    wolfe,
)

C1, C2 = 1e-4, 0.9


def _check_wolfe(phi, dphi, step, c1, c2=None, strong=True):
    """The conditions recomputed from phi itself, not read off the result's own flags."""
    p0, d0 = phi(0.0), dphi(0.0)
    assert step > 0 and phi(step) <= p0 + c1 * step * d0  # Armijo, eq. (sufficient decrease)
    if c2 is not None:
        d = dphi(step)
        assert (abs(d) if strong else -d) <= -c2 * d0


def _phis():
    """Some 1-D functions with phi'(0) < 0."""
    return [
        (lambda a: (a - 3.0) ** 2, lambda a: 2 * (a - 3.0)),
        (lambda a: np.exp(-a) + 0.1 * a * a, lambda a: -np.exp(-a) + 0.2 * a),
        (lambda a: -a + a ** 4, lambda a: -1 + 4 * a ** 3),
        (lambda a: np.log1p(np.exp(5 - 10 * a)) + 0.01 * a,
         lambda a: -10 / (1 + np.exp(10 * a - 5)) + 0.01),
    ]


@pytest.mark.parametrize("k", range(4))
@pytest.mark.parametrize("alpha0", [1e-3, 1.0, 50.0])
def test_strong_wolfe_conditions_hold(k, alpha0):
    phi, dphi = _phis()[k]
    r = strong_wolfe(phi, dphi, alpha0=alpha0, c1=C1, c2=C2)
    assert r.success and r.armijo and r.strong_curvature
    p0, d0 = phi(0.0), dphi(0.0)
    assert phi(r.step) <= p0 + C1 * r.step * d0
    assert abs(dphi(r.step)) <= -C2 * d0


@pytest.mark.parametrize("k", range(4))
@pytest.mark.parametrize("alpha0", [1e-3, 1.0, 50.0])
def test_weak_wolfe_conditions_hold(k, alpha0):
    phi, dphi = _phis()[k]
    r = wolfe(phi, dphi, alpha0=alpha0, c1=C1, c2=0.5)
    assert r.success and r.armijo and r.curvature
    _check_wolfe(phi, dphi, r.step, C1, 0.5, strong=False)


@pytest.mark.parametrize("shrink", [0.5, 2 / 3])
def test_armijo_backtracks_by_shrink(shrink):
    phi = lambda a: (a - 1.0) ** 2  # noqa: E731
    r = armijo(phi, 1.0, -2.0, alpha0=8.0, shrink=shrink)
    assert r.success and r.armijo
    assert phi(r.step) <= 1.0 - 2e-4 * r.step  # Armijo from phi itself
    k = r.evaluations - 1
    assert r.step == pytest.approx(8.0 * shrink ** k)
    # the previous trial failed the Armijo condition
    prev = r.step / shrink
    assert phi(prev) > 1.0 - 2e-4 * prev


def test_nan_is_too_far():
    phi = lambda a: np.nan if a > 0.5 else (a - 0.4) ** 2  # noqa: E731
    dphi = lambda a: np.nan if a > 0.5 else 2 * (a - 0.4)  # noqa: E731
    for r in (armijo(phi, 0.16, -0.8, alpha0=4.0),
              strong_wolfe(phi, dphi, alpha0=4.0), exact(phi, 0.16, -0.8, alpha0=4.0)):
        assert r.success and r.step <= 0.5 and np.isfinite(r.phi) and r.phi < 0.16


def test_failure_keeps_best_point():
    # phi decreases forever along the line: no Wolfe point in the budget
    phi, dphi = (lambda a: -a), (lambda a: -1.0)
    r = strong_wolfe(phi, dphi, alpha0=1.0, max_evals=5)
    assert not r.success and r.status is LineSearchStatus.MAX_EVALS
    assert r.step == 16.0 and r.phi == -16.0


def test_not_descent_reported():
    r = armijo(lambda a: a, 0.0, 1.0)
    assert r.status is LineSearchStatus.NOT_DESCENT and r.step == 0.0


def test_all_nan_is_non_finite():
    r = armijo(lambda a: np.nan, 0.0, -1.0, max_evals=10)
    assert r.status is LineSearchStatus.NON_FINITE and r.step == 0.0


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


def test_fixed_step_reports_conditions():
    r = fixed_step(lambda a: ((a - 1) ** 2, 2 * (a - 1)), 1.0, -2.0, step=3.0)
    assert r.success and not r.armijo


def test_wrapper_from_f_x_p():
    f = lambda z: float(z @ z) + np.sin(z[0])  # noqa: E731
    g = lambda z: 2 * z + np.array([np.cos(z[0]), 0.0])  # noqa: E731
    x = np.array([1.0, -2.0])
    for method in ("armijo", "wolfe", "strong_wolfe", "more-thuente", "exact"):
        r = line_search(f, x, -g(x), grad=g, method=method)
        assert r.success and f(x - r.step * g(x)) < f(x)


def test_bad_hyperparameters_raise():
    with pytest.raises(ValueError, match="c1 < c2"):
        make_line_search("wolfe", c1=0.5, c2=0.1)
    with pytest.raises(ValueError, match="shrink"):
        make_line_search("armijo", shrink=1.5)
    with pytest.raises(ValueError, match="choose one of"):
        make_line_search("goldstein")
    with pytest.raises(ValueError, match="no option"):
        make_line_search("armijo", c2=0.9)


@pytest.mark.parametrize("k", range(4))
@pytest.mark.parametrize("alpha0", [1e-3, 1.0, 50.0])
@pytest.mark.parametrize("c1,c2", [(1e-3, 0.9), (1e-4, 0.1)])
def test_more_thuente_strong_wolfe(k, alpha0, c1, c2):
    phi, dphi = _phis()[k]
    r = more_thuente(lambda a: (phi(a), dphi(a)), phi(0.0), dphi(0.0), alpha0=alpha0,
                     c1=c1, c2=c2)
    assert r.success and r.armijo and r.strong_curvature
    assert phi(r.step) <= phi(0.0) + c1 * r.step * dphi(0.0)
    assert abs(dphi(r.step)) <= -c2 * dphi(0.0)


def test_more_thuente_nan_is_too_far():
    def pd(a):
        return (np.nan, np.nan) if a > 0.5 else ((a - 0.4) ** 2, 2 * (a - 0.4))

    r = more_thuente(pd, 0.16, -0.8, alpha0=4.0)
    assert r.success and r.step <= 0.5 and r.phi < 0.16


@given(a=st.floats(1e-3, 1e3), b=st.floats(-1e3, -1e-3), c3=st.floats(0.0, 10.0),
       alpha0=st.floats(1e-4, 1e4))
def test_wolfe_searches_on_random_convex_lines(a, b, c3, alpha0):
    """phi = c3 t^3 + a t^2 + b t, phi'(0) = b < 0: both strong Wolfe searches succeed."""
    phi = lambda t: c3 * t ** 3 + a * t * t + b * t  # noqa: E731
    dphi = lambda t: 3 * c3 * t * t + 2 * a * t + b  # noqa: E731
    for r in (strong_wolfe(phi, dphi, alpha0=alpha0, max_evals=60),
              more_thuente(lambda t: (phi(t), dphi(t)), 0.0, b, alpha0=alpha0, max_evals=60)):
        assert r.success and r.armijo and r.strong_curvature
        _check_wolfe(phi, dphi, r.step, C1, C2)


def test_a_step_without_sufficient_decrease_is_rejected():
    """phi(1) == phi(0) with phi'(0) = -1: alpha = 1 misses Armijo by c1, so no search keeps it."""
    phi, dphi = (lambda a: (a - 0.5) ** 2), (lambda a: 2 * (a - 0.5))
    results = [armijo(phi, 0.25, -1.0, alpha0=1.0),
               wolfe(phi, dphi, alpha0=1.0, c1=C1, c2=C2),
               strong_wolfe(phi, dphi, alpha0=1.0, c1=C1, c2=C2),
               more_thuente(lambda a: (phi(a), dphi(a)), 0.25, -1.0, alpha0=1.0)]
    for r in results:
        assert r.success and r.step < 1.0
        _check_wolfe(phi, dphi, r.step, C1)
    fixed = fixed_step(lambda a: (phi(a), dphi(a)), 0.25, -1.0, step=1.0)
    assert not fixed.armijo and fixed.curvature
