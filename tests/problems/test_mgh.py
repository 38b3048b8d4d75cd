"""Properties of the 35 Moré–Garbow–Hillstrom problems: derivatives, minima, sizes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import least_squares

from steepest.problems import MGH_NAMES, Problem, mgh_problem, mgh_problems

from ._fd import fd_gradient, fd_jacobian

PROBLEMS = mgh_problems()
IDS = [p.name for p in PROBLEMS]

# (n, m) at the standard sizes: fixed by the paper for 1-19, our documented choice for the
# problems whose size the paper leaves free (see steepest.problems.mgh.registry).
SIZES = {
    1: (2, 2), 2: (2, 2), 3: (2, 2), 4: (2, 3), 5: (2, 3), 6: (2, 10), 7: (3, 3), 8: (3, 15),
    9: (3, 15), 10: (3, 16), 11: (3, 99), 12: (3, 10), 13: (4, 4), 14: (4, 6), 15: (4, 11),
    16: (4, 20), 17: (5, 33), 18: (6, 13), 19: (11, 65), 20: (6, 31), 21: (10, 10),
    22: (12, 12), 23: (10, 11), 24: (10, 20), 25: (10, 12), 26: (10, 10), 27: (10, 10),
    28: (10, 10), 29: (10, 10), 30: (10, 10), 31: (10, 10), 32: (10, 20), 33: (10, 20),
    34: (10, 20), 35: (8, 8),
}  # fmt: skip


def _sample_points(p: Problem, count: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(1000 + p.number)
    scale = 0.1 * (np.abs(p.x0) + 0.1)
    return [p.x0.copy()] + [p.x0 + scale * rng.standard_normal(p.n) for _ in range(count)]


def test_all_35_in_paper_order() -> None:
    assert [p.number for p in PROBLEMS] == list(range(1, 36))
    assert len({p.name for p in PROBLEMS}) == 35
    assert len(MGH_NAMES) == 35


@pytest.mark.parametrize("p", PROBLEMS, ids=IDS)
def test_standard_dimensions(p: Problem) -> None:
    n, m = SIZES[p.number]
    assert (p.n, p.m) == (n, m)
    assert p.x0.shape == (n,)
    assert p.residuals(p.x0).shape == (m,)
    assert p.jacobian(p.x0).shape == (m, n)


@pytest.mark.parametrize("p", PROBLEMS, ids=IDS)
def test_fun_is_sum_of_squared_residuals(p: Problem) -> None:
    for x in _sample_points(p, 1):
        r = p.residuals(x)
        assert np.isclose(p.fun(x), np.dot(r, r), rtol=1e-14, atol=0.0)


@pytest.mark.parametrize("p", PROBLEMS, ids=IDS)
def test_gradient_matches_finite_differences(p: Problem) -> None:
    for x in _sample_points(p):
        g = p.grad(x)
        assert g.shape == (p.n,)
        err = np.max(np.abs(g - fd_gradient(p.fun, x)))
        assert err <= 1e-6 * np.max(np.abs(g)), (p.name, x, err)


@pytest.mark.parametrize("p", PROBLEMS, ids=IDS)
def test_jacobian_matches_finite_differences(p: Problem) -> None:
    for x in _sample_points(p):
        J = p.jacobian(x)
        err = np.max(np.abs(J - fd_jacobian(p.residuals, x)))
        assert err <= 1e-6 * np.max(np.abs(J)), (p.name, x, err)


@pytest.mark.parametrize("p", PROBLEMS, ids=IDS)
def test_start_is_not_below_the_minimum(p: Problem) -> None:
    if p.f_star is not None:
        assert p.f_star <= p.fun(p.x0)
        assert p.f_star >= 0.0  # a sum of squares


@pytest.mark.parametrize("p", [p for p in PROBLEMS if p.x_star is not None], ids=lambda p: p.name)
def test_value_and_stationarity_at_known_minimizer(p: Problem) -> None:
    f = p.fun(p.x_star)
    # Published minima carry 6 significant digits; zero-residual minima hold to rounding.
    assert f == pytest.approx(p.f_star, rel=5e-6, abs=1e-12)
    g = p.grad(p.x_star)
    J = p.jacobian(p.x_star)
    r = p.residuals(p.x_star)
    # |g| is small against the size of its two factors 2 J^T r.
    assert np.max(np.abs(g)) <= 1e-9 * (1.0 + np.max(np.abs(J)) * (1.0 + np.max(np.abs(r))))


@pytest.mark.parametrize(
    ("number", "printed", "digits"),
    [(3, (1.098e-5, 9.106), 4), (6, (0.2578, 0.2578), 4)],
)
def test_refined_minimizers_round_to_the_printed_ones(
    number: int, printed: tuple[float, ...], digits: int
) -> None:
    x_star = mgh_problem(number).x_star
    for value, shown in zip(x_star, printed, strict=True):
        assert float(f"{value:.{digits}g}") == shown


# Problems with a nonzero published minimum: a Levenberg–Marquardt run from the standard start
# must reproduce the printed value. This checks every data table and formula transcription.
NONZERO = [
    (6, {}), (8, {}), (9, {}), (10, {}), (15, {}), (16, {}), (17, {}), (19, {}),
    (20, {"n": 6}), (20, {"n": 9}), (20, {"n": 12}), (23, {"n": 4}), (23, {"n": 10}),
    (24, {"n": 4}), (24, {"n": 10}), (35, {"n": 8}), (35, {"n": 10}),
]  # fmt: skip


@pytest.mark.parametrize(("number", "size"), NONZERO)
def test_published_nonzero_minimum_is_reproduced(number: int, size: dict[str, int]) -> None:
    p = mgh_problem(number, **size)
    tight = {"xtol": 1e-15, "ftol": 1e-15, "gtol": 1e-15}
    res = least_squares(p.residuals, p.x0, jac=p.jacobian, method="lm", max_nfev=5000, **tight)
    assert p.fun(res.x) == pytest.approx(p.f_star, rel=5e-6)


@pytest.mark.parametrize("number", [28, 29, 30, 31])
def test_zero_residual_minimum_is_reached(number: int) -> None:
    p = mgh_problem(number)
    tight = {"xtol": 1e-15, "ftol": 1e-15, "gtol": 1e-15}
    res = least_squares(p.residuals, p.x0, jac=p.jacobian, method="lm", max_nfev=5000, **tight)
    assert p.fun(res.x) <= 1e-20


def test_linear_minimum_values_hold_for_other_sizes() -> None:
    for n, m in [(3, 3), (5, 7), (7, 30)]:
        for number in (32, 33, 34):
            p = mgh_problem(number, n=n, m=m)
            x = np.linalg.lstsq(p.jacobian(p.x0), 1.0 + np.zeros(m), rcond=None)[0]
            assert p.fun(x) == pytest.approx(p.f_star, rel=1e-12)
            assert p.fun(p.x_star) == pytest.approx(p.f_star, rel=1e-12)


def test_helical_valley_angle_is_continuous_across_negative_x1_axis() -> None:
    p = mgh_problem(7)
    above, below = np.array([-1.0, 1e-9, 0.0]), np.array([-1.0, -1e-9, 0.0])
    assert abs(p.residuals(above)[0] - p.residuals(below)[0]) < 1e-6
    # ... and jumps by 100 (10 * 10 * one turn) across x1 = 0, x2 < 0
    left, right = np.array([-1e-9, -1.0, 0.0]), np.array([1e-9, -1.0, 0.0])
    assert abs(p.residuals(left)[0] - p.residuals(right)[0]) == pytest.approx(100.0, rel=1e-6)


def test_lookup_by_number_and_name_agree() -> None:
    assert mgh_problem("watson").name == mgh_problem(20).name == "mgh20_watson"
    assert mgh_problem("mgh20_watson", n=9).n == 9
    assert mgh_problem(35, n=4).f_star == 0.0
    assert mgh_problem(35, n=11).f_star is None
    assert mgh_problem(20, n=7).f_star is None


@pytest.mark.parametrize(
    ("key", "size", "error"),
    [
        (0, {}, ValueError),
        ("nope", {}, ValueError),
        (1.5, {}, TypeError),
        (1, {"n": 3}, TypeError),
        (21, {"n": 3}, ValueError),
        (22, {"n": 6}, ValueError),
        (20, {"n": 32}, ValueError),
        (11, {"m": 101}, ValueError),
        (32, {"n": 5, "m": 4}, ValueError),
        (25, {"n": 2.0}, TypeError),
    ],
)
def test_bad_sizes_raise_clear_errors(key: object, size: dict, error: type) -> None:
    with pytest.raises(error):
        mgh_problem(key, **size)  # type: ignore[arg-type]


def test_scaled_starts() -> None:
    p = mgh_problem(1)
    assert np.array_equal(p.start(10.0), 10.0 * p.x0)
    watson = mgh_problem(20)
    assert np.array_equal(watson.start(10.0), np.full(6, 10.0))
    with pytest.raises(ValueError, match="read-only"):
        p.x0[0] = 3.0


# Automatic differentiation (steepest.autodiff) traces every objective: its gradient agrees with
# the analytic one, and its Hessian with finite differences of the analytic gradient.
@pytest.mark.parametrize("p", PROBLEMS, ids=IDS)
def test_autodiff_traces_the_objective(p: Problem) -> None:
    from steepest.autodiff import grad

    for x in _sample_points(p, 1):
        g = p.grad(x)
        assert np.max(np.abs(grad(p.fun)(x) - g)) <= 1e-12 * np.max(np.abs(g))
        H = p.hessian(x)
        assert np.allclose(H, H.T, rtol=1e-12, atol=1e-12 * np.max(np.abs(H)))
        err = np.max(np.abs(H - fd_jacobian(p.grad, x, step=1e-4)))
        assert err <= 1e-6 * np.max(np.abs(H)), (p.name, err)
        v = np.random.default_rng(p.number).standard_normal(p.n)
        assert np.allclose(p.hessian_vector_product(x, v), H @ v, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("number", [1, 5, 7, 8, 13, 14, 20, 25, 30, 32])
def test_trust_newton_with_autodiff_defaults_reaches_the_published_minimum(number: int) -> None:
    from steepest import minimize

    p = mgh_problem(number)
    res = minimize(p.fun, p.x0, method="trust-newton", options={"certify": False})
    assert res.success
    assert res.fun == pytest.approx(p.f_star, rel=5e-6, abs=1e-9)
