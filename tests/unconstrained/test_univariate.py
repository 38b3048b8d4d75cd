"""Newton's method, secant, golden section and Brent on the seed's examples and beyond."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import OptimizeResult as ScipyOptimizeResult

from steepest.unconstrained import (
    Status,
    bracket_minimum,
    brent,
    golden_section,
    newton_1d,
    secant,
)


# Liquet et al. eq. (4.52): C = (t - 3)^2 (t + 3), minimum at 3, maximum at -1, inflection 1.
def C(t: float) -> float:
    return (t - 3.0) ** 2 * (t + 3.0)


def dC(t: float) -> float:
    return 3.0 * (t - 3.0) * (t + 1.0)


def d2C(t: float) -> float:
    return 6.0 * (t - 1.0)


def test_newton_overshoot_example_matches_the_book() -> None:
    r = newton_1d(C, 1.5, fprime=dC, fprime2=d2C)
    assert C(1.5) == pytest.approx(10.125)
    assert r.iterates[1] == pytest.approx(5.25, abs=1e-12)
    assert C(r.iterates[1]) == pytest.approx(41.77, abs=5e-3)  # "about a four-fold increase"
    assert np.round(r.iterates[2:5], 4).tolist() == [3.5956, 3.0683, 3.0011]
    assert abs(r.iterates[6] - 3.0) < 1e-13  # "the error for theta^(6) is already < 1e-13"
    assert r.success and r.status is Status.SUCCESS and r.kind == "minimum"
    assert r.x == pytest.approx(3.0, abs=1e-15)
    assert r.values == pytest.approx([C(t) for t in r.iterates])


@pytest.mark.parametrize("start", [-4.0, 0.0, 0.9])
def test_newton_left_of_the_inflection_point_climbs_to_the_maximum(start: float) -> None:
    r = newton_1d(C, start, fprime=dC, fprime2=d2C)
    assert r.x == pytest.approx(-1.0, abs=1e-12)
    assert r.kind == "maximum"
    assert r.status is Status.NOT_A_MINIMUM and not r.success


def test_newton_oscillation_example_cycles_between_plus_and_minus_one() -> None:
    def f(t: float) -> float:
        return -(t**4) / 4.0 + 5.0 * t**2 / 2.0

    def d1(t: float) -> float:
        return -(t**3) + 5.0 * t

    def d2(t: float) -> float:
        return -3.0 * t**2 + 5.0

    r = newton_1d(f, 1.0, fprime=d1, fprime2=d2)
    assert r.iterates.tolist() == [1.0, -1.0, 1.0]
    assert r.status is Status.CYCLE and not r.success
    long = newton_1d(f, 1.0, fprime=d1, fprime2=d2, detect_cycles=False, maxiter=9)
    assert long.status is Status.MAX_ITER
    assert long.iterates.tolist() == [(-1.0) ** k for k in range(10)]


@given(a=st.floats(0.1, 100.0), c=st.floats(-50.0, 50.0), start=st.floats(-1e3, 1e3))
def test_newton_minimizes_a_parabola_in_one_step(a: float, c: float, start: float) -> None:
    r = newton_1d(
        lambda t: a * (t - c) ** 2, start, fprime=lambda t: 2 * a * (t - c), fprime2=lambda t: 2 * a
    )
    first_step = r.iterates[min(1, r.nit)]  # the start itself when it is already optimal
    assert first_step == pytest.approx(c, abs=1e-9 * (1 + abs(start)))
    assert r.success


def test_newton_reports_zero_curvature_and_nonfinite() -> None:
    r = newton_1d(C, 1.0, fprime=dC, fprime2=d2C)  # C''(1) = 0
    assert r.status is Status.NONPOSITIVE_CURVATURE and not r.success
    bad = newton_1d(C, 2.0, fprime=lambda t: math.nan, fprime2=d2C)
    assert bad.status is Status.NON_FINITE and bad.x == 2.0


def test_secant_converges_superlinearly() -> None:
    r = secant(C, 4.0, 3.9, fprime=dC)
    assert r.success and r.x == pytest.approx(3.0, abs=1e-14) and r.kind == "minimum"
    err = np.abs(r.iterates - 3.0)
    err = err[err > 1e-13]
    ratios = err[1:] / err[:-1]
    assert ratios[-1] < 1e-3  # e_{k+1} / e_k -> 0: superlinear
    assert np.all(np.diff(ratios[-4:]) < 0)  # and the contraction keeps improving
    # order of convergence log(e_{k+1}/e_k) / log(e_k/e_{k-1}) near the golden ratio 1.618
    order = np.log(err[2:] / err[1:-1]) / np.log(err[1:-1] / err[:-2])
    assert 1.3 < order[-1] < 2.0
    # Newton (quadratic) needs fewer steps than the secant method from the same place
    assert newton_1d(C, 4.0, fprime=dC, fprime2=d2C).nit < r.nit


def test_secant_needs_distinct_points_and_classifies_maxima() -> None:
    with pytest.raises(ValueError, match="distinct"):
        secant(C, 1.0, 1.0, fprime=dC)
    r = secant(C, -0.5, -0.6, fprime=dC)
    assert r.x == pytest.approx(-1.0, abs=1e-10) and r.kind == "maximum" and not r.success


@given(centre=st.floats(-5.0, 5.0), width=st.floats(0.5, 20.0), offset=st.floats(0.05, 0.95))
def test_golden_and_brent_find_the_minimum(centre: float, width: float, offset: float) -> None:
    lo = centre - offset * width
    bracket = (lo, lo + width)

    def f(t: float) -> float:
        return math.cosh(t - centre) + 0.1 * (t - centre) ** 2

    for method in (golden_section, brent):
        r = method(f, bracket)
        assert r.success
        assert abs(r.x - centre) <= 1e-7 * (1.0 + abs(centre))
        assert np.all(np.diff(r.values) <= 0.0)  # best value never gets worse


def test_golden_section_shrinks_by_the_golden_ratio() -> None:
    width, atol = 1.0, 1e-9
    r = golden_section(lambda t: (t - 0.3) ** 2, (0.0, width), xtol=0.0, atol=atol)
    # the interval after k iterations is 0.618^k: stopping needs 0.618^k <= 2 atol
    expected = math.ceil(math.log(2.0 * atol / width) / math.log((math.sqrt(5.0) - 1.0) / 2.0))
    assert r.nit == expected
    assert r.nfev == r.nit + 2


def test_brent_beats_golden_on_smooth_functions_and_copes_with_kinks() -> None:
    smooth = [(math.cos, (2.0, 4.0)), (lambda t: math.exp(t) - 2.0 * t, (-1.0, 3.0))]
    for f, bracket in smooth:
        assert brent(f, bracket).nfev < golden_section(f, bracket).nfev
    kink = brent(lambda t: abs(t - 0.2), (0.0, 1.0))
    assert kink.success and abs(kink.x - 0.2) < 1e-8


def test_brent_accepts_a_three_point_bracket_and_reports_max_iterations() -> None:
    br = bracket_minimum(lambda t: (t - 10.0) ** 2)
    assert br.found and min(br.a, br.c) < 10.0 < max(br.a, br.c)
    assert br.fb <= min(br.fa, br.fc)
    r = brent(lambda t: (t - 10.0) ** 2, (br.a, br.b, br.c))
    assert r.x == pytest.approx(10.0, abs=1e-7)
    short = brent(math.cos, (2.0, 4.0), maxiter=2)
    assert short.status is Status.MAX_ITER and not short.success


def test_bracket_minimum_reports_unbounded_descent() -> None:
    br = bracket_minimum(lambda t: -t, maxiter=20)
    assert not br.found and "decreasing" in br.message


@pytest.mark.parametrize("bracket", [(1.0,), (1.0, 1.0), (0.0, 5.0, 3.0), (0.0, math.inf)])
def test_bad_brackets_raise(bracket: tuple[float, ...]) -> None:
    for method in (golden_section, brent):
        with pytest.raises(ValueError, match="bracket"):
            method(math.cos, bracket)


def test_bad_tolerances_raise() -> None:
    with pytest.raises(ValueError, match="xtol"):
        newton_1d(C, 2.0, fprime=dC, fprime2=d2C, xtol=-1.0)
    with pytest.raises(ValueError, match="maxiter"):
        secant(C, 2.0, 2.1, fprime=dC, maxiter=0)
    with pytest.raises(ValueError, match="not both 0"):
        brent(math.cos, (2.0, 4.0), xtol=0.0, atol=0.0)


def test_derivatives_default_to_automatic_differentiation() -> None:
    by_hand = newton_1d(C, 1.5, fprime=dC, fprime2=d2C)
    by_ad = newton_1d(C, 1.5)
    assert np.allclose(by_ad.iterates, by_hand.iterates, rtol=1e-14, atol=0.0)
    sec = secant(C, 4.0, 3.9)
    assert np.allclose(sec.iterates, secant(C, 4.0, 3.9, fprime=dC).iterates, rtol=1e-14)


@pytest.mark.parametrize("search", [golden_section, brent])
def test_result_is_a_scipy_optimize_result(search):
    r = search(lambda t: (t - 0.3) ** 2, (0.0, 1.0))
    assert isinstance(r, ScipyOptimizeResult) and "iterates" in r and r.status == 0
    assert r.status is Status.SUCCESS and r.success and r.message == "converged to a local minimum"
