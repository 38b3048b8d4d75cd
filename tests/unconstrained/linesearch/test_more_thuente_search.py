"""Moré–Thuente (MINPACK-2 dcsrch): strong Wolfe steps, non-finite values are "too far"."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.unconstrained import MoreThuente, more_thuente

from ._lines import C1, C2, check_wolfe, phis


@pytest.mark.parametrize("k", range(4))
@pytest.mark.parametrize("alpha0", [1e-3, 1.0, 50.0])
@pytest.mark.parametrize("c1,c2", [(1e-3, 0.9), (1e-4, 0.1)])
def test_more_thuente_strong_wolfe(k, alpha0, c1, c2):
    phi, dphi = phis()[k]
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
def test_more_thuente_on_random_convex_lines(a, b, c3, alpha0):
    """phi = c3 t^3 + a t^2 + b t, phi'(0) = b < 0: the search succeeds."""
    phi = lambda t: c3 * t ** 3 + a * t * t + b * t  # noqa: E731
    dphi = lambda t: 3 * c3 * t * t + 2 * a * t + b  # noqa: E731
    r = more_thuente(lambda t: (phi(t), dphi(t)), 0.0, b, alpha0=alpha0, max_evals=60)
    assert r.success and r.armijo and r.strong_curvature
    check_wolfe(phi, dphi, r.step, C1, C2)


def test_class_and_function_are_one_algorithm():
    phi, dphi = phis()[1]
    pd = lambda a: (phi(a), dphi(a))  # noqa: E731
    assert MoreThuente(interval_tol=0.2).run(pd, phi(0.0), dphi(0.0), 3.0) == \
        more_thuente(pd, phi(0.0), dphi(0.0), alpha0=3.0, xtol=0.2)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"c1": 0.95}, ValueError, "c1 < c2"),
    ({"interval_tol": 1.0}, ValueError, "interval_tol must lie in"),
    ({"max_evals": 0}, ValueError, "max_evals must be >= 1"),
    ({"max_evals": 2.5}, TypeError, "max_evals must be an integer"),
])
def test_hyperparameters_checked_at_construction(kwargs, error, match):
    with pytest.raises(error, match=match):
        MoreThuente(**kwargs)
