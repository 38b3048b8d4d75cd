"""Bad input to the problem library (MGH registry, classic and least-squares problems): one
row per case, in ``tests/_bad_input.py``'s format."""

from __future__ import annotations

import numpy as np

import steepest.problems as sp
from _bad_input import assert_clear_error, case, parametrize

CASES = [
    case("mgh name misspelt", lambda: sp.mgh_problem("rosenbrok"), ValueError,
         "unknown MGH problem 'rosenbrok'", "did you mean 'rosenbrock'?", "choose from"),
    case("mgh name with a typo in a long name", lambda: sp.mgh_problem("powell_badly_scalled"),
         ValueError, "did you mean 'powell_badly_scaled'?"),
    case("mgh number 36", lambda: sp.mgh_problem(36), ValueError,
         "MGH problem numbers run from 1 to 35", "got 36"),
    case("mgh number 0", lambda: sp.mgh_problem(0), ValueError, "run from 1 to 35"),
    case("mgh key a float", lambda: sp.mgh_problem(3.5), TypeError, "key must be an int or str"),
    case("mgh key None", lambda: sp.mgh_problem(None), TypeError, "key must be an int or str"),
    case("mgh key a bool", lambda: sp.mgh_problem(True), TypeError,
         "key must be a problem number or name"),
    case("mgh size keyword to a fixed-size problem", lambda: sp.mgh_problem("rosenbrock", k=5),
         TypeError, "does not accept ['k']", "fixed-size problems take no arguments"),
    case("mgh size keyword misspelt", lambda: sp.mgh_problem("watson", nn=9), TypeError,
         "does not accept ['nn']", "did you mean 'n'?", "it takes ['n']"),
    case("mgh n a str (was blamed on the keyword)", lambda: sp.mgh_problem(
        "extended_rosenbrock", n="4"), TypeError, "n must be an int", "got str"),
    case("mgh extended rosenbrock odd n", lambda: sp.mgh_problem("extended_rosenbrock", n=3),
         ValueError, "n must be >= 2 and a multiple of 2", "n=3"),
    case("mgh watson n 1", lambda: sp.mgh_problem("watson", n=1), ValueError,
         "Watson: n must be >= 2"),
    case("rosenbrock n 1", lambda: sp.rosenbrock(n=1), ValueError, "n must be >= 2",
         "pass n >= 2"),
    case("rosenbrock n a str", lambda: sp.rosenbrock("3"), TypeError, "n must be an integer"),
    case("quadratic cond below 1", lambda: sp.quadratic(2, cond=0.5), ValueError,
         "cond must be a finite number >= 1"),
    case("quadratic cond nan", lambda: sp.quadratic(2, cond=np.nan), ValueError,
         "cond must be a finite number >= 1"),
    case("quadratic n 0", lambda: sp.quadratic(0), ValueError, "n must be >= 1"),
    case("quadratic n a float", lambda: sp.quadratic(2.5), TypeError, "n must be an integer"),
    case("quadratic seed a str", lambda: sp.quadratic(2, seed="a"), TypeError,
         "seed must be an int >= 0", "seed=0"),
    case("least_squares_problem x0 a str", lambda: sp.least_squares_problem(
        "p", "ab", lambda x: x, lambda x: np.eye(2)), TypeError,
         "x0 must be an array of real numbers"),
    case("least_squares_problem x0 with nan", lambda: sp.least_squares_problem(
        "p", [np.nan, 1.0], lambda x: x, lambda x: np.eye(2)), ValueError,
         "x0 contains NaN or inf", "pass finite values"),
    case("least_squares_problem residuals not callable", lambda: sp.least_squares_problem(
        "p", np.ones(2), 3, lambda x: np.eye(2)), TypeError, "residuals must be callable"),
    case("least_squares_problem jacobian not callable", lambda: sp.least_squares_problem(
        "p", np.ones(2), lambda x: x, None), TypeError, "jacobian must be callable"),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)
