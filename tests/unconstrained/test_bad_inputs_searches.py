"""Bad input to the line searches, univariate minimisers, linear CG and the trust-region and
L-BFGS building blocks: one row per case, in ``tests/_bad_input.py``'s format."""

from __future__ import annotations

import numpy as np

import steepest as st
from _bad_input import assert_clear_error, case, parametrize

NAN = float("nan")
X = np.array([1.0, 2.0])


def f(x):
    return float(x @ x)


def phi(a):
    return (a - 1.0) ** 2


def dphi(a):
    return 2.0 * (a - 1.0)


def phi_dphi(a):
    return phi(a), dphi(a)


UNIT = ("must lie in (0, 1)", "pass a value such as 0.5")
ALPHA0 = ("alpha0 must be a finite number > 0", "first trial step")
BRACKET = ("bracket must be 2 or 3", "(a, b) or (a, b, c)")

CASES = [
    # line_search and make_line_search
    case("line_search method misspelt", lambda: st.line_search(f, X, -X, method="strong-wolf"),
         ValueError, "unknown line search 'strong-wolf'", "did you mean 'strong-wolfe'?",
         "choose one of"),
    case("line_search p of another length", lambda: st.line_search(f, X, np.ones(3)),
         ValueError, "p must be an array of shape (2,)", "got shape (3,)"),
    case("line_search p with nan", lambda: st.line_search(f, X, [NAN, 1.0]), ValueError,
         "p contains NaN or inf", "pass finite values"),
    case("line_search alpha0 negative", lambda: st.line_search(f, X, -X, alpha0=-1.0),
         ValueError, *ALPHA0),
    case("line_search unknown option", lambda: st.line_search(f, X, -X, max_eval=5),
         ValueError, "has no option(s) ['max_eval']", "did you mean 'max_evals'?",
         "its options are"),
    case("line_search x with nan", lambda: st.line_search(f, np.array([NAN, 1.0]), -X),
         ValueError, "non-finite entries", "start from a finite point"),
    case("make_line_search name misspelt", lambda: st.make_line_search("armjio"), ValueError,
         "unknown line search 'armjio'", "did you mean 'armijo'?"),
    case("make_line_search option misspelt", lambda: st.make_line_search("armijo", shrnk=0.5),
         ValueError, "has no option(s) ['shrnk']", "did you mean 'shrink'?"),
    case("make_line_search of an int", lambda: st.make_line_search(3), TypeError,
         "line_search must be a name in LINE_SEARCHES", "search(line, alpha0)"),
    # the scalar searches
    case("armijo c1 0", lambda: st.armijo(phi, 1.0, -2.0, c1=0.0), ValueError, "c1", *UNIT),
    case("armijo c1 1", lambda: st.armijo(phi, 1.0, -2.0, c1=1.0), ValueError, "c1", *UNIT),
    case("armijo c1 nan", lambda: st.armijo(phi, 1.0, -2.0, c1=NAN), ValueError, "c1", *UNIT),
    case("armijo shrink 1", lambda: st.armijo(phi, 1.0, -2.0, shrink=1.0), ValueError, "shrink",
         *UNIT),
    case("armijo alpha0 negative", lambda: st.armijo(phi, 1.0, -2.0, alpha0=-1.0), ValueError,
         *ALPHA0),
    case("armijo alpha0 0", lambda: st.armijo(phi, 1.0, -2.0, alpha0=0.0), ValueError, *ALPHA0),
    case("armijo max_evals 0", lambda: st.armijo(phi, 1.0, -2.0, max_evals=0), ValueError,
         "max_evals must be >= 1"),
    case("armijo phi0 nan", lambda: st.armijo(phi, NAN, -2.0), ValueError,
         "phi0 must be a finite number", "phi(0)"),
    case("armijo dphi0 inf", lambda: st.armijo(phi, 1.0, -np.inf), ValueError,
         "dphi0 must be a finite number", "slope at the start"),
    case("wolfe c2 below c1", lambda: st.wolfe(phi, dphi, 1.0, -2.0, c1=0.5, c2=0.1),
         ValueError, "need c1 < c2", "lower c1 (e.g. 1e-4) or raise c2"),
    case("wolfe c2 1", lambda: st.wolfe(phi, dphi, 1.0, -2.0, c2=1.0), ValueError, "c2", *UNIT),
    case("wolfe alpha_max negative", lambda: st.wolfe(phi, dphi, 1.0, -2.0, alpha_max=-1.0),
         ValueError, "alpha_max must be a finite number > 0"),
    case("wolfe alpha0 str", lambda: st.wolfe(phi, dphi, 1.0, -2.0, alpha0="1"), TypeError,
         "alpha0", "pass a real number"),
    case("strong_wolfe c1 negative", lambda: st.strong_wolfe(phi, dphi, 1.0, -2.0, c1=-0.1),
         ValueError, "c1", *UNIT),
    case("strong_wolfe c2 nan", lambda: st.strong_wolfe(phi, dphi, 1.0, -2.0, c2=NAN),
         ValueError, "c2", *UNIT),
    case("strong_wolfe alpha0 nan", lambda: st.strong_wolfe(phi, dphi, 1.0, -2.0, alpha0=NAN),
         ValueError, *ALPHA0),
    case("more_thuente xtol 0 (named as xtol)", lambda: st.more_thuente(
        phi_dphi, 1.0, -2.0, xtol=0.0), ValueError, "xtol must lie in (0, 1)", "xtol=0.1"),
    case("more_thuente c2 2", lambda: st.more_thuente(phi_dphi, 1.0, -2.0, c2=2.0), ValueError,
         "c2", *UNIT),
    case("more_thuente alpha0 inf", lambda: st.more_thuente(phi_dphi, 1.0, -2.0,
                                                           alpha0=np.inf), ValueError, *ALPHA0),
    case("exact tol negative", lambda: st.exact(phi, 1.0, -2.0, tol=-1.0), ValueError,
         "tol must be a finite number > 0"),
    case("exact max_evals 0", lambda: st.exact(phi, 1.0, -2.0, max_evals=0), ValueError,
         "max_evals must be >= 1"),
    case("fixed_step step negative", lambda: st.fixed_step(phi_dphi, 1.0, -2.0, step=-1.0),
         ValueError, "step must be a finite number > 0"),
    # univariate minimisers
    case("golden_section bracket with nan", lambda: st.golden_section(phi, (0.0, NAN)),
         ValueError, "each end of bracket must be a finite number", "bracket=(0.0, 1.0)"),
    case("golden_section bracket of 4 points", lambda: st.golden_section(phi, (0, 1, 2, 3)),
         ValueError, *BRACKET),
    case("golden_section bracket a str", lambda: st.golden_section(phi, "ab"), TypeError,
         *BRACKET, "bracket=(0.0, 1.0)"),
    case("golden_section bracket a number", lambda: st.golden_section(phi, 1.0), TypeError,
         *BRACKET),
    case("golden_section xtol negative", lambda: st.golden_section(phi, (0.0, 2.0), xtol=-1),
         ValueError, "xtol must be a finite number >= 0"),
    case("golden_section xtol and atol 0", lambda: st.golden_section(
        phi, (0.0, 2.0), xtol=0, atol=0), ValueError, "must not both be 0", "pass xtol > 0"),
    case("golden_section maxiter 0", lambda: st.golden_section(phi, (0.0, 2.0), maxiter=0),
         ValueError, "maxiter must be >= 1"),
    case("golden_section fun None", lambda: st.golden_section(None, (0.0, 2.0)), TypeError,
         "fun must be callable"),
    case("golden_section fun returns a str", lambda: st.golden_section(
        lambda t: "1", (0.0, 2.0)), TypeError, "fun returned str '1'", "real number"),
    case("brent equal endpoints", lambda: st.brent(phi, (1.0, 1.0)), ValueError,
         "bracket endpoints must differ"),
    case("brent inner point outside", lambda: st.brent(phi, (0.0, 3.0, 2.0)), ValueError,
         "b must lie strictly between a and c"),
    case("brent bracket with inf", lambda: st.brent(phi, (0.0, np.inf)), ValueError,
         "each end of bracket must be a finite number"),
    case("brent atol nan", lambda: st.brent(phi, (0.0, 2.0), atol=NAN), ValueError,
         "atol must be a finite number >= 0"),
    case("brent fun None", lambda: st.brent(None, (0.0, 2.0)), TypeError, "fun must be callable"),
    case("brent fun returns None", lambda: st.brent(lambda t: None, (0.0, 2.0)), TypeError,
         "fun returned NoneType None", "must return a real number"),
    case("newton_1d x0 nan", lambda: st.newton_1d(phi, NAN), ValueError,
         "x0 must be a finite number", "x0=1.0"),
    case("newton_1d x0 str", lambda: st.newton_1d(phi, "a"), TypeError, "x0 must be a real number"),
    case("newton_1d x0 an array", lambda: st.newton_1d(phi, np.ones(2)), TypeError,
         "x0 must be a real number", "got ndarray"),
    case("newton_1d maxiter negative", lambda: st.newton_1d(phi, 0.0, maxiter=-1), ValueError,
         "maxiter must be >= 1"),
    case("newton_1d xtol negative", lambda: st.newton_1d(phi, 0.0, xtol=-1), ValueError,
         "xtol must be a finite number >= 0"),
    case("newton_1d fun None", lambda: st.newton_1d(None, 0.0), TypeError,
         "fun must be callable"),
    case("newton_1d fprime not callable", lambda: st.newton_1d(phi, 0.0, fprime=2.0), TypeError,
         "fprime must be callable"),
    case("secant equal starts", lambda: st.secant(phi, 1.0, 1.0), ValueError,
         "two distinct starting points", "x1 = x0 + small step"),
    case("secant x1 nan", lambda: st.secant(phi, 0.0, NAN), ValueError,
         "x1 must be a finite number", "near x0"),
    case("bracket_minimum equal points", lambda: st.bracket_minimum(phi, 0.0, 0.0), ValueError,
         "two distinct points x0 != x1"),
    case("bracket_minimum maxiter 0", lambda: st.bracket_minimum(phi, 0.0, 1.0, maxiter=0),
         ValueError, "maxiter must be >= 1"),
    case("bracket_minimum x1 nan", lambda: st.bracket_minimum(phi, 0.0, NAN), ValueError,
         "x1 must be a finite number"),
    case("newton_iterates_1d n_steps 0", lambda: st.newton_iterates_1d(phi, 0.0, n_steps=0),
         ValueError, "n_steps must be >= 1"),
    case("hill_climb strategy misspelt", lambda: st.hill_climb(
        lambda z: -z * z, 3, lambda z: [z - 1, z + 1], strategy="greedy"), ValueError,
         "strategy must be one of", "'best', 'first'"),
    # linear CG, trust subproblem, L-BFGS two-loop
    case("conjugate_gradient b of another length", lambda: st.conjugate_gradient(
        np.eye(2), np.ones(3)), ValueError, "A has shape (2, 2) but b has 3 entries"),
    case("conjugate_gradient rectangular A", lambda: st.conjugate_gradient(
        np.ones((2, 3)), np.ones(2)), ValueError, "A has shape (2, 3)", "need (2, 2)"),
    case("conjugate_gradient x0 of another length", lambda: st.conjugate_gradient(
        np.eye(2), np.ones(2), x0=np.ones(3)), ValueError, "x0 has 3 entries but b has 2"),
    case("conjugate_gradient beta misspelt", lambda: st.conjugate_gradient(
        np.eye(2), np.ones(2), beta="fletcher_reeves"), ValueError, "beta must be one of",
         "did you mean 'fletcher-reeves'?"),
    case("conjugate_gradient on_indefinite unknown", lambda: st.conjugate_gradient(
        np.eye(2), np.ones(2), on_indefinite="ignore"), ValueError,
         "on_indefinite must be one of 'raise', 'return'"),
    case("conjugate_gradient tol negative", lambda: st.conjugate_gradient(
        np.eye(2), np.ones(2), tol=-1), ValueError, "tol must be a finite number >= 0"),
    case("solve_trust_subproblem radius negative", lambda: st.solve_trust_subproblem(
        np.eye(2), np.ones(2), -1.0), ValueError, "radius must be a finite number > 0",
         "trust radius"),
    case("solve_trust_subproblem radius nan", lambda: st.solve_trust_subproblem(
        np.eye(2), np.ones(2), NAN), ValueError, "radius must be a finite number > 0"),
    case("solve_trust_subproblem g of another length", lambda: st.solve_trust_subproblem(
        np.eye(2), np.ones(3), 1.0), ValueError, "H has shape (2, 2) but g has 3 entries",
         "(3, 3) H"),
    case("solve_trust_subproblem H with nan (was an IndexError)", lambda: st.solve_trust_subproblem(
        np.array([[np.nan, 0.0], [0.0, 1.0]]), np.ones(2), 1.0), ValueError,
         "H and g must be finite", "where f is finite"),
    case("two_loop_direction Y of another shape", lambda: st.two_loop_direction(
        np.ones((2, 3)), np.ones((2, 2)), np.ones(3)), ValueError,
         "Y must be an array of shape (2, 3)"),
    case("two_loop_direction S of another width", lambda: st.two_loop_direction(
        np.ones((2, 2)), np.ones((2, 2)), np.ones(3)), ValueError,
         "S must be an array of shape (any, 3)"),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)


def test_scalar_searches_accept_numpy_scalars_and_keep_not_descent():
    r = st.armijo(phi, np.float64(1.0), np.float32(-2.0), alpha0=np.float64(1.0))
    assert r.success and phi(r.step) <= 1.0 - 1e-4 * 2.0 * r.step
    assert st.armijo(phi, 1.0, 2.0).status.name == "NOT_DESCENT"
    assert st.golden_section(phi, [np.float64(0.0), 2]).x == __import__("pytest").approx(1.0)


def test_trust_newton_in_a_nan_region_reports_non_finite_and_keeps_a_finite_point():
    # finite-difference Hessians at the border of a NaN region are NaN: this used to end in an
    # IndexError from solve_trust_subproblem
    def fun(x):
        return np.nan if x[0] > 0.5 else float(np.sum((x - 2.0) ** 2))

    def jac(x):
        return np.full(2, np.nan) if x[0] > 0.5 else 2.0 * (x - 2.0)

    res = st.minimize(fun, np.zeros(2), method="trust-newton", jac=jac)
    assert res.status is st.Status.NON_FINITE and not res.success
    assert "NaN/inf" in res.message and np.isfinite(res.fun) and res.fun < fun(np.zeros(2))
