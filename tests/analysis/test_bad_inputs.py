"""Bad input to the local-analysis tools (critical points, steps, Taylor models, curvature,
Lipschitz and convexity estimates): one row per case, in ``tests/_bad_input.py``'s format."""

from __future__ import annotations

import numpy as np

import steepest as st
from _bad_input import assert_clear_error, case, parametrize


def f(x):
    return np.sum(x**2)


X = np.array([1.0, 2.0])
BOX = [(0.0, 1.0), (0.0, 1.0)]
NAN = float("nan")
NOT_REAL = ("x must be a real number or array of real numbers", "got str")
NOT_FINITE = ("x contains NaN or inf", "pass finite values")
COMPLEX = ("x is complex", "separate real entries")
SEED = ("seed must be an int >= 0", "seed=0")

CASES = [
    # classify_critical_point
    case("classify at a str", lambda: st.classify_critical_point(f, "ab"), TypeError, *NOT_REAL),
    case("classify at nan", lambda: st.classify_critical_point(f, [NAN, 0.0]), ValueError,
         *NOT_FINITE),
    case("classify at a complex point", lambda: st.classify_critical_point(f, 1j * X), TypeError,
         *COMPLEX),
    case("classify at an empty point", lambda: st.classify_critical_point(f, np.array([])),
         ValueError, "x is empty", "at least one coordinate"),
    case("classify tol negative", lambda: st.classify_critical_point(f, X, tol=-1), ValueError,
         "tol must be a finite number > 0", "pass tol > 0"),
    case("classify tol nan", lambda: st.classify_critical_point(f, X, tol=NAN), ValueError,
         "tol must be a finite number > 0"),
    case("classify x_scale 0", lambda: st.classify_critical_point(f, X, x_scale=0), ValueError,
         "x_scale must be a finite number > 0"),
    case("classify grad_tol negative", lambda: st.classify_critical_point(f, X, grad_tol=-1),
         ValueError, "grad_tol must be a finite number >= 0"),
    case("classify eig_tol str", lambda: st.classify_critical_point(f, X, eig_tol="a"),
         TypeError, "eig_tol", "pass a real number"),
    case("classify f None", lambda: st.classify_critical_point(None, X), TypeError,
         "f must be callable"),
    case("classify grad of another length", lambda: st.classify_critical_point(
        f, X, grad=lambda x: np.ones(3)), ValueError, "returned 3 entries but x has 2",
         "shape of x"),
    case("classify hess of another shape", lambda: st.classify_critical_point(
        f, X, hess=lambda x: np.ones((3, 3))), ValueError, "hess must return an (2, 2) matrix",
         "(3, 3)"),
    case("classify f with a vector value", lambda: st.classify_critical_point(lambda x: x, X),
         TypeError, "scalar output", "reduce it first"),
    # optimal_step, predicted_decrease, directional_curvature
    case("optimal_step at a str", lambda: st.optimal_step(f, "a"), TypeError, *NOT_REAL),
    case("optimal_step at nan", lambda: st.optimal_step(f, [NAN, 1.0]), ValueError, *NOT_FINITE),
    case("optimal_step at a complex point", lambda: st.optimal_step(f, 1j * X), TypeError,
         *COMPLEX),
    case("optimal_step hvp of another length", lambda: st.optimal_step(
        f, X, hvp=lambda x, v: np.ones(3)), ValueError, "hessp returned 3 entries",
         "shape of x"),
    case("optimal_step with_bound a str", lambda: st.optimal_step(f, X, with_bound="no"),
         TypeError, "with_bound must be True or False", "with_bound=False"),
    case("classify f returning None", lambda: st.classify_critical_point(lambda x: None, X),
         TypeError, "fun returned None", "return` statement missing"),
    case("classify f returning a str", lambda: st.classify_critical_point(lambda x: "a", X),
         TypeError, "fun returned the str 'a'", "float(...)"),
    case("classify f returning a complex", lambda: st.classify_critical_point(
        lambda x: 1j * np.sum(x), X), TypeError, "fun returned a complex value",
         "real part or its modulus"),
    case("taylor f returning None", lambda: st.taylor(lambda x: None, X), TypeError,
         "fun returned None"),
    case("convexity f returning None", lambda: st.convexity_check(lambda x: None, BOX),
         TypeError, "fun returned None"),
    case("lipschitz f returning a str", lambda: st.lipschitz_estimate(
        lambda x: "a", BOX, of="function"), TypeError, "fun returned the str 'a'"),
    case("directional_curvature d of another length", lambda: st.directional_curvature(
        f, X, np.ones(3)), ValueError, "d has 3 entries but x has 2", "one entry per coordinate"),
    case("directional_curvature d zero", lambda: st.directional_curvature(f, X, np.zeros(2)),
         ValueError, "d is the zero vector", "nonzero direction"),
    # taylor
    case("taylor order 3", lambda: st.taylor(f, X, order=3), ValueError,
         "order must be one of 1, 2", "got 3"),
    case("taylor order 0", lambda: st.taylor(f, X, order=0), ValueError, "order must be one of"),
    case("taylor at nan", lambda: st.taylor(f, [NAN, 1.0]), ValueError, *NOT_FINITE),
    case("taylor at a complex point", lambda: st.taylor(f, 1j * X), TypeError, *COMPLEX),
    case("taylor model at a point of another length", lambda: st.taylor(f, X)(np.ones(3)),
         ValueError, "points must have 2 coordinates", "got (3,)"),
    # curvature_spectrum, hessian_condition_number, lanczos_extremes
    case("curvature_spectrum method misspelt", lambda: st.curvature_spectrum(
        f, X, method="lanczoz"), ValueError, "method must be one of", "did you mean 'lanczos'?"),
    case("curvature_spectrum k 0", lambda: st.curvature_spectrum(f, X, k=0), ValueError,
         "k must be >= 1", "pass k >= 1"),
    case("curvature_spectrum k float", lambda: st.curvature_spectrum(f, X, k=1.0), TypeError,
         "k must be an integer", "pass an int"),
    case("curvature_spectrum which misspelt", lambda: st.curvature_spectrum(
        f, X, which="largets"), ValueError, "which must be one of", "did you mean 'largest'?"),
    case("curvature_spectrum tol negative", lambda: st.curvature_spectrum(f, X, tol=-1),
         ValueError, "tol must be a finite number > 0"),
    case("curvature_spectrum maxiter 0", lambda: st.curvature_spectrum(
        f, X, maxiter=0, method="lanczos"), ValueError, "maxiter must be >= 1"),
    case("curvature_spectrum seed str", lambda: st.curvature_spectrum(f, X, seed="a"),
         TypeError, *SEED),
    case("hessian_condition_number method unknown", lambda: st.hessian_condition_number(
        f, X, method="svd"), ValueError, "method must be one of 'auto', 'dense', 'lanczos'"),
    case("lanczos n 0", lambda: st.lanczos_extremes(lambda v: v, 0), ValueError,
         "n must be >= 1"),
    case("lanczos v0 of another length", lambda: st.lanczos_extremes(
        lambda v: v, 3, v0=np.ones(2)), ValueError, "v0 must be a nonzero vector of length 3"),
    case("lanczos matvec of another length", lambda: st.lanczos_extremes(
        lambda v: np.ones(2), 3), ValueError, "matvec returned a wrong-sized"),
    case("lanczos seed negative", lambda: st.lanczos_extremes(lambda v: v, 3, seed=-1),
         ValueError, "seed must be >= 0", "seed=0"),
    # find_critical_points
    case("find_critical_points reversed bounds", lambda: st.find_critical_points(
        f, [(1, 0), (0, 1)]), ValueError, "low < high", "swap or widen"),
    case("find_critical_points n_starts 0", lambda: st.find_critical_points(
        f, BOX, n_starts=0), ValueError, "n_starts must be >= 1"),
    case("find_critical_points starts of another width", lambda: st.find_critical_points(
        f, BOX, starts=np.ones((2, 3))), ValueError, "starts must be an array of shape (any, 2)"),
    case("find_critical_points maxiter 0", lambda: st.find_critical_points(f, BOX, maxiter=0),
         ValueError, "maxiter must be >= 1"),
    case("find_critical_points tol negative", lambda: st.find_critical_points(f, BOX, tol=-1),
         ValueError, "tol must be a finite number > 0"),
    case("find_critical_points dedup_tol negative", lambda: st.find_critical_points(
        f, BOX, dedup_tol=-1), ValueError, "dedup_tol must be a finite number > 0"),
    case("find_critical_points seed float", lambda: st.find_critical_points(f, BOX, seed=0.5),
         TypeError, *SEED),
    # lipschitz_estimate, convexity_check
    case("lipschitz of misspelt", lambda: st.lipschitz_estimate(f, BOX, of="grad"), ValueError,
         "of must be one of 'function', 'gradient'", "did you mean 'gradient'?"),
    case("lipschitz n_samples 1", lambda: st.lipschitz_estimate(f, BOX, n_samples=1),
         ValueError, "n_samples must be >= 2"),
    case("lipschitz refine negative", lambda: st.lipschitz_estimate(f, BOX, refine=-1),
         ValueError, "refine must be >= 0"),
    case("lipschitz domain with nan", lambda: st.lipschitz_estimate(f, [(0, NAN), (0, 1)]),
         ValueError, "bounds must be finite"),
    case("lipschitz domain a str", lambda: st.lipschitz_estimate(f, "box"), TypeError,
         "bounds must be a sequence of (low, high) pairs", "[(-3, 3), (-3, 3)]"),
    case("lipschitz n_local 0", lambda: st.lipschitz_estimate(f, BOX, n_local=0), ValueError,
         "n_local must be >= 1"),
    case("lipschitz seed str", lambda: st.lipschitz_estimate(f, BOX, seed="0"), TypeError,
         *SEED),
    case("convexity rtol negative", lambda: st.convexity_check(f, BOX, rtol=-1), ValueError,
         "rtol must be a finite number > 0"),
    case("convexity n_samples 0", lambda: st.convexity_check(f, BOX, n_samples=0), ValueError,
         "n_samples must be >= 1"),
    case("convexity n_hessians negative", lambda: st.convexity_check(f, BOX, n_hessians=-1),
         ValueError, "n_hessians must be >= 1"),
    case("convexity domain of 3 columns", lambda: st.convexity_check(f, np.ones((2, 3))),
         ValueError, "bounds must have shape (n, 2)", "got (2, 3)"),
    case("convexity seed float", lambda: st.convexity_check(f, BOX, seed=0.5), TypeError, *SEED),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)


def test_seeds_numpy_accepts_still_work():
    a = st.curvature_spectrum(f, X, method="lanczos", seed=np.random.default_rng(1))
    b = st.curvature_spectrum(f, X, method="lanczos", seed=None)
    np.testing.assert_allclose(a.eigenvalues, b.eigenvalues)
