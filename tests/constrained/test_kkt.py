"""Lagrangian (eq. 4.14), KKT reports, and multiplier conventions against scipy."""

import warnings

import numpy as np
import pytest
from scipy.optimize import NonlinearConstraint, minimize

from steepest.constrained import (
    CONVENTIONS,
    Eq,
    Ineq,
    convert_multipliers,
    kkt_check,
    lagrangian,
)


def circle():
    return Eq(lambda x: 0.5 * x @ x - 16.0, jac=lambda x: x)


def test_lagrangian_matches_definition():
    rng = np.random.default_rng(0)
    f = lambda x: np.sin(x[0]) + x[1] ** 2  # noqa: E731
    g = lambda x: np.array([x[0] + x[1] - 1.0, x[0] * x[1]])  # noqa: E731
    h = lambda x: x[0] ** 2 - 2.0  # noqa: E731
    L = lagrangian(f, eqs=[g], ineqs=[h])
    Lmax = lagrangian(f, eqs=[g], ineqs=[h], maximize=True)
    for _ in range(5):
        x, lam, a = rng.standard_normal(2), rng.standard_normal(2), rng.uniform(size=1)
        expected = f(x) + lam @ g(x) + a[0] * h(x)
        assert L(x, lam, a) == pytest.approx(expected, rel=1e-14)
        assert Lmax(x, lam, a) == pytest.approx(f(x) + lam @ g(x) - a[0] * h(x), rel=1e-14)
    x = rng.standard_normal(2)
    assert L(x, None, None) == pytest.approx(f(x))


def test_lagrangian_gradient_vs_finite_differences():
    f = lambda x: x[0] * x[1] + x[1] * x[2]  # noqa: E731
    L = lagrangian(f, eqs=[lambda x: x[0] + 2 * x[1] - 6, lambda x: x[0] - 3 * x[2]])
    x, lam = np.array([3.0, 1.5, 1.0]), np.array([-2.0, 0.5])
    eps = 1e-6
    grad = [(L(x + eps * e, lam) - L(x - eps * e, lam)) / (2 * eps) for e in np.eye(3)]
    np.testing.assert_allclose(grad, 0.0, atol=1e-8)  # x* is stationary for L (eq. 4.20 signs)


def test_seed_circle_report_and_sign():
    x = np.array([4.0, 4.0])
    good = kkt_check(lambda x: x[0] + x[1], x, lam=[-0.25], eqs=[circle()],
                     jac=lambda x: np.ones(2), maximize=True)
    assert good.passed and good.stationarity.value < 1e-15
    wrong_sign = kkt_check(lambda x: x[0] + x[1], x, lam=[0.25], eqs=[circle()],
                           jac=lambda x: np.ones(2), maximize=True)
    assert not wrong_sign.passed and wrong_sign.stationarity.value == pytest.approx(2.0)
    # as a minimization of −f, the multiplier flips sign
    as_min = kkt_check(lambda x: -(x[0] + x[1]), x, lam=[0.25], eqs=[circle()],
                       jac=lambda x: -np.ones(2))
    assert as_min.passed


def test_report_detects_each_violation():
    f, jac = (lambda x: x @ x), (lambda x: 2 * x)
    h = Ineq(lambda x: 1.0 - x[0], jac=lambda x: np.array([-1.0, 0.0]))
    ok = kkt_check(f, np.array([1.0, 0.0]), alpha=[2.0], ineqs=[h], jac=jac)
    assert ok.passed
    infeasible = kkt_check(f, np.array([0.5, 0.0]), alpha=[1.0], ineqs=[h], jac=jac)
    assert not infeasible.primal_feasibility.passed
    negative = kkt_check(f, np.array([1.0, 0.0]), alpha=[-2.0], ineqs=[h], jac=jac)
    assert not negative.dual_feasibility.passed
    slack = kkt_check(f, np.array([2.0, 0.0]), alpha=[4.0], ineqs=[h], jac=jac)
    assert not slack.complementary_slackness.passed
    assert slack.complementary_slackness.value == pytest.approx(4.0)
    assert "FAIL" in str(slack)


def test_kkt_check_bounds_and_tolerance_dict():
    f, jac = (lambda x: (x[0] - 3.0) ** 2), (lambda x: np.array([2 * (x[0] - 3.0)]))
    rep = kkt_check(f, np.array([1.0]), alpha=[0.0, 4.0], jac=jac, bounds=(0.0, 1.0),
                    tol={"stationarity": 1e-12})
    assert rep.passed and rep.stationarity.tol == 1e-12


def test_kkt_check_validates_sizes():
    with pytest.raises(ValueError, match="multipliers"):
        kkt_check(lambda x: x @ x, np.zeros(2), lam=[1.0, 2.0], eqs=[circle()],
                  jac=lambda x: 2 * x)
    with pytest.raises(TypeError, match="Eq"):
        kkt_check(lambda x: x @ x, np.zeros(2), eqs=["not a function"], jac=lambda x: 2 * x)


def _scipy_problem():
    # min (x-2)^2 + (y-2)^2 + (z-3)^2  s.t.  x + y <= 2 (h = x + y - 2),  z - 1 = 0
    f = lambda x: (x[0] - 2) ** 2 + (x[1] - 2) ** 2 + (x[2] - 3) ** 2  # noqa: E731
    jac = lambda x: 2 * (x - np.array([2.0, 2.0, 3.0]))  # noqa: E731
    return f, jac, (lambda x: x[0] + x[1] - 2.0), (lambda x: x[2] - 1.0)


def test_conversion_matches_scipy_slsqp_and_trust_constr():
    f, jac, h, g = _scipy_problem()
    x_star, lam, alpha = np.array([1.0, 1.0, 1.0]), np.array([4.0]), np.array([2.0])
    eqs = [Eq(g, jac=lambda x: np.array([0.0, 0.0, 1.0]))]
    ineqs = [Ineq(h, jac=lambda x: np.array([1.0, 1.0, 0.0]))]
    assert kkt_check(f, x_star, lam, alpha, eqs=eqs, ineqs=ineqs, jac=jac).passed
    slsqp = minimize(f, np.zeros(3), jac=jac, method="SLSQP", constraints=[
        {"type": "eq", "fun": g}, {"type": "ineq", "fun": lambda x: -h(x)}])
    eq, ineq = convert_multipliers(lam, alpha, to="scipy-slsqp")
    np.testing.assert_allclose(slsqp.multipliers, np.concatenate([eq, ineq]), atol=1e-6)
    back = convert_multipliers(slsqp.multipliers[:1], slsqp.multipliers[1:], to="steepest",
                               frm="scipy-slsqp")
    np.testing.assert_allclose(np.concatenate(back), [4.0, 2.0], atol=1e-6)
    with warnings.catch_warnings():
        # scipy's quasi-Newton constraint Hessians see linear constraints: delta_grad == 0
        warnings.filterwarnings("ignore", message="delta_grad == 0.0", category=UserWarning)
        tc = minimize(f, np.zeros(3), jac=jac, method="trust-constr", constraints=[
            NonlinearConstraint(g, 0, 0), NonlinearConstraint(h, -np.inf, 0)],
            options={"gtol": 1e-10, "xtol": 1e-12})
        tc_lb = minimize(f, np.zeros(3), jac=jac, method="trust-constr", constraints=[
            NonlinearConstraint(g, 0, 0), NonlinearConstraint(lambda x: -h(x), 0, np.inf)],
            options={"gtol": 1e-10, "xtol": 1e-12})
    eq, ineq = convert_multipliers(lam, alpha, to="scipy-trust-constr")
    np.testing.assert_allclose([tc.v[0][0], tc.v[1][0]], [eq[0], ineq[0]], atol=1e-4)
    eq, ineq = convert_multipliers(lam, alpha, to="scipy-trust-constr-lb")
    np.testing.assert_allclose([tc_lb.v[0][0], tc_lb.v[1][0]], [eq[0], ineq[0]], atol=1e-4)


def test_conventions_round_trip_and_reject_unknown():
    lam, alpha = np.array([1.5, -2.0]), np.array([0.3])
    for name in CONVENTIONS:
        there = convert_multipliers(lam, alpha, to=name)
        back = convert_multipliers(*there, to="steepest", frm=name)
        np.testing.assert_array_equal(np.concatenate(back), np.concatenate([lam, alpha]))
    with pytest.raises(ValueError, match="convention"):
        convert_multipliers(lam, alpha, to="ipopt")


def test_maximize_result_converts_like_minimizing_minus_f():
    from steepest.constrained import maximize_constrained

    f = lambda v: v[0] * v[1] + v[1] * v[2]  # noqa: E731
    cons = [Eq(lambda v: v[0] + 2 * v[1] - 6), Eq(lambda v: v[0] - 3 * v[2])]
    res = maximize_constrained(f, np.zeros(3), constraints=cons)
    slsqp = minimize(lambda v: -f(v), np.zeros(3), method="SLSQP", constraints=[
        {"type": "eq", "fun": lambda v: v[0] + 2 * v[1] - 6},
        {"type": "eq", "fun": lambda v: v[0] - 3 * v[2]}])
    eq, _ = convert_multipliers(-res.lam, [], to="scipy-slsqp")
    np.testing.assert_allclose(slsqp.multipliers, eq, atol=1e-6)


def test_example_script_runs(capsys):
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).parents[2] / "examples" / "constrained_kkt.py"
    spec = importlib.util.spec_from_file_location("constrained_kkt", path)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    out = capsys.readouterr().out
    assert out.count("pass") == 4 and "FAIL" not in out
    assert "[3.  1.5 1. ]" in out and "[-2.   0.5]" in out
