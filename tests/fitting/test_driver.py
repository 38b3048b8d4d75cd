"""least_squares against scipy.optimize.least_squares on the MGH problems, optimality, results
(bad inputs: test_bad_inputs.py)."""

import numpy as np
import pytest
import scipy.optimize as so

import steepest as st
from steepest.fitting import least_squares
from steepest.problems.mgh import mgh_problem

TIGHT = {"ftol": 1e-12, "xtol": 1e-12, "gtol": 1e-12}
#: A fast subset of the 35 MGH problems (the full set runs in benchmarks/least_squares.py).
FAST = [1, 2, 5, 6, 7, 8, 9, 11, 12, 13, 15, 17, 19, 20, 21, 23, 24, 26, 27, 30, 32, 33, 35]
FIELDS = {"x", "cost", "fun", "jac", "grad", "optimality", "active_mask", "nfev", "njev",
          "status", "message", "success"}


#: ρ(z) written out independently of steepest.fitting.losses.
ROBUST = {
    "soft_l1": lambda z: 2.0 * (np.sqrt(1.0 + z) - 1.0),
    "huber": lambda z: np.where(z <= 1.0, z, 2.0 * np.sqrt(z) - 1.0),
    "cauchy": np.log1p,
    "arctan": np.arctan,
}


def _rosen(x):
    return np.array([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])


@pytest.mark.parametrize("method", ["trf", "lm"])
def test_mgh_subset_matches_scipy_cost_with_autodiff_jacobians(method):
    solved = {"steepest": 0, "scipy": 0}
    ratios = []
    for number in FAST:
        p = mgh_problem(number)
        ours = least_squares(p.residuals, p.x0, method=method, **TIGHT)
        ref = so.least_squares(p.residuals, p.x0, jac=p.jacobian, method=method, **TIGHT)
        solved["steepest"] += ours.success
        solved["scipy"] += ref.success
        if ours.success and ref.success:
            floor = 1e-20 * max(1.0, float(p.residuals(p.x0) @ p.residuals(p.x0)))
            assert abs(ours.cost - ref.cost) <= 1e-8 * ref.cost + floor, p.name
        ratios.append(ours.nfev / ref.nfev)
    assert solved["steepest"] >= solved["scipy"]
    assert float(np.exp(np.mean(np.log(ratios)))) <= 1.05


@pytest.mark.parametrize("method", ["trf", "lm"])
@pytest.mark.parametrize("number", [1, 8, 12, 20])
def test_first_order_optimality_at_the_solution(method, number):
    p = mgh_problem(number)
    res = least_squares(p.residuals, p.x0, method=method, **TIGHT)
    J, r = p.jacobian(res.x), p.residuals(res.x)
    np.testing.assert_allclose(res.grad, J.T @ r, rtol=1e-10, atol=1e-14)
    scale = max(1.0, float(np.linalg.norm(J, 2) * np.linalg.norm(r)))
    assert np.linalg.norm(J.T @ r) <= 1e-7 * scale
    assert res.optimality == pytest.approx(np.max(np.abs(J.T @ r)), rel=1e-6, abs=1e-14)


def test_bounds_projected_gradient_vanishes_and_iterates_stay_feasible():
    p = mgh_problem(12)  # Box 3-D: minimum at (1, 10, 1), cut off by the bounds below
    lb, ub = np.array([0.0, 0.0, 1.2]), np.array([5.0, 8.0, 3.0])
    seen = []

    def fun(x):
        seen.append(x.copy())
        return p.residuals(x)

    res = least_squares(fun, np.clip(p.x0, lb, ub), bounds=(lb, ub), **TIGHT)
    ref = so.least_squares(p.residuals, np.clip(p.x0, lb, ub), jac=p.jacobian, bounds=(lb, ub),
                           **TIGHT)
    assert res.success and all(np.all((x >= lb) & (x <= ub)) for x in seen)
    assert res.cost == pytest.approx(ref.cost, rel=1e-8)
    free = res.active_mask == 0
    assert np.any(~free) and np.all(np.abs(res.grad[free]) < 1e-8)
    assert np.all(res.grad[res.active_mask == -1] >= 0)
    assert np.all(res.grad[res.active_mask == 1] <= 0)
    np.testing.assert_array_equal(res.active_mask, ref.active_mask)


@pytest.mark.parametrize("number", [1, 6, 8, 12, 17, 20, 26, 35])
def test_bounds_that_cut_off_the_minimum_match_scipy(number):
    p = mgh_problem(number)
    x_u = so.least_squares(p.residuals, p.x0, jac=p.jacobian).x
    w = 0.5 * np.abs(x_u - p.x0) + 0.1
    lb, ub = p.x0 - w, p.x0 + w
    ours = least_squares(p.residuals, p.x0, bounds=(lb, ub), **TIGHT)
    ref = so.least_squares(p.residuals, p.x0, jac=p.jacobian, bounds=(lb, ub), **TIGHT)
    assert ours.success and ref.success
    assert ours.cost == pytest.approx(ref.cost, rel=1e-8, abs=1e-20)
    assert np.all((ours.x >= lb) & (ours.x <= ub))
    free = ours.active_mask == 0
    g0 = np.max(np.abs(p.jacobian(p.x0).T @ p.residuals(p.x0)))
    assert np.max(np.abs(ours.grad[free]), initial=0.0) <= 1e-6 * max(1.0, g0)
    assert np.all(ours.grad * ours.active_mask <= 1e-12)


@pytest.mark.parametrize(("method", "x_scale"), [("trf", "jac"), ("lm", 1.0), ("lm", "jac")])
@pytest.mark.parametrize("number", [10, 16, 19])
def test_x_scale_matches_scipy(number, method, x_scale):
    p = mgh_problem(number)
    ours = least_squares(p.residuals, p.x0, x_scale=x_scale, method=method, **TIGHT)
    ref = so.least_squares(p.residuals, p.x0, jac=p.jacobian, x_scale=x_scale, method=method,
                           **TIGHT)
    assert ours.success and ref.success
    assert ours.cost == pytest.approx(ref.cost, rel=1e-8)


@pytest.mark.parametrize("loss", ["soft_l1", "huber", "cauchy", "arctan"])
def test_robust_losses_reach_scipys_cost(loss):
    rng = np.random.default_rng(3)
    t = np.linspace(0.0, 3.0, 40)
    y = 2.0 * np.exp(-0.8 * t) + 0.02 * rng.standard_normal(t.size)
    y[::7] += 1.5  # outliers

    def fun(p):
        return p[0] * np.exp(-p[1] * t) - y

    ours = least_squares(fun, [1.0, 1.0], loss=loss, f_scale=0.1, **TIGHT)
    ref = so.least_squares(fun, [1.0, 1.0], loss=loss, f_scale=0.1, **TIGHT)
    assert ours.success and ref.success
    assert ours.cost == pytest.approx(ref.cost, rel=1e-8)
    np.testing.assert_allclose(ours.x, ref.x, rtol=1e-6)
    assert np.max(np.abs(ours.grad)) < 1e-6
    rho = ROBUST[loss]
    cost = lambda q: 0.5 * 0.01 * np.sum(rho(fun(q) ** 2 / 0.01))  # noqa: E731
    assert ours.cost == pytest.approx(cost(ours.x), rel=1e-12)
    x1 = ours.x + np.array([1e-3, -2e-3])
    g = least_squares(fun, x1, loss=loss, f_scale=0.1, max_nfev=1).grad
    np.testing.assert_allclose(g, st.numerical_gradient(cost, x1), rtol=1e-6, atol=1e-9)


def test_callable_loss_agrees_with_the_named_one():
    def cauchy(z):
        return np.stack([np.log1p(z), 1.0 / (1.0 + z), -1.0 / (1.0 + z) ** 2])

    fun = lambda x: np.array([x[0] - 1.0, x[1] - 2.0, 5.0 * (x[0] + x[1]) - 30.0])  # noqa: E731
    a = least_squares(fun, [0.0, 0.0], loss=cauchy, **TIGHT)
    b = least_squares(fun, [0.0, 0.0], loss="cauchy", **TIGHT)
    np.testing.assert_allclose(a.x, b.x, rtol=1e-12)


def test_result_has_scipys_fields_types_and_shapes():
    ours = least_squares(_rosen, [-1.2, 1.0])
    ref = so.least_squares(_rosen, [-1.2, 1.0])
    assert FIELDS <= set(ours) and FIELDS <= set(ref)
    for name in FIELDS - {"message"}:
        assert np.shape(ours[name]) == np.shape(ref[name]), name
    assert isinstance(ours, so.OptimizeResult) and isinstance(ours.status, int)
    assert ours.active_mask.dtype.kind == "i" and ours.success is True


@pytest.mark.parametrize("jac", ["2-point", "3-point", "cs", None])
def test_jacobian_choices_reach_the_same_point(jac):
    res = least_squares(_rosen, [-1.2, 1.0], jac=jac, **TIGHT)
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-6)


def test_args_and_kwargs_reach_fun_and_jac():
    fun = lambda x, a, b=0.0: x - a - b  # noqa: E731
    jac = lambda x, a, b=0.0: np.eye(2)  # noqa: E731
    res = least_squares(fun, np.zeros(2), jac=jac, args=(1.0,), kwargs={"b": 2.0})
    np.testing.assert_allclose(res.x, [3.0, 3.0])


@pytest.mark.parametrize("method", ["trf", "lm"])
def test_fun_is_called_once_per_counted_evaluation_and_may_write_into_x(method):
    calls = []

    def fun(x):
        calls.append(x.copy())
        r = _rosen(x)
        x[:] = 123.0  # scipy users' functions sometimes scribble on their argument
        return r

    res = least_squares(fun, [-1.2, 1.0], jac=lambda x: np.array([[-20 * x[0], 10], [-1, 0]]),
                        method=method)
    assert len(calls) == res.nfev
    assert len({tuple(c) for c in calls}) == len(calls)
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-8)


def test_max_nfev_stops_with_status_zero():
    res = least_squares(_rosen, [-1.2, 1.0], max_nfev=3)
    assert res.status == 0 and not res.success and res.nfev == 3


def test_flat_api_names():
    assert st.least_squares is least_squares
    assert st.curve_fit is st.fitting.curve_fit


def test_trf_with_fewer_residuals_than_parameters_uses_reverse_mode_and_solves():
    fun = lambda x: np.array([x[0] + 2 * x[1] - x[2] ** 2 - 1.0, x[0] * x[1] - 0.5])  # noqa: E731
    ours = least_squares(fun, np.ones(3), **TIGHT)
    ref = so.least_squares(fun, np.ones(3), **TIGHT)
    assert ours.success and ours.cost < 1e-20 and ref.cost < 1e-20
    assert ours.jac.shape == (2, 3)


def test_untraceable_fun_falls_back_to_finite_differences_with_a_warning():
    def fun(x):
        return np.array([float(x[0]) - 1.0, float(x[1]) + 2.0])

    with pytest.warns(RuntimeWarning, match="using 2-point finite differences instead"):
        res = least_squares(fun, [0.0, 0.0])
    np.testing.assert_allclose(res.x, [1.0, -2.0], atol=1e-8)
    res = least_squares(fun, [0.0, 0.0], jac="2-point")
    np.testing.assert_allclose(res.x, [1.0, -2.0], atol=1e-8)


def test_autodiff_failing_after_the_first_point_is_an_error():
    def fun(x):
        if x[0] > 0.5:  # only traceable from the start
            return np.array([float(x[0]) - 1.0, x[1]])
        return np.array([x[0] - 1.0, x[1]])

    with pytest.raises(TypeError, match="autodiff, which failed at x ="):
        least_squares(fun, [0.0, 0.0])


def test_nonfinite_trial_points_shrink_the_region_and_still_converge():
    def fun(x):
        return np.array([np.sqrt(x[0]) - 2.0, x[1] - 1.0])  # NaN for x[0] < 0

    with np.errstate(invalid="ignore"):
        res = least_squares(fun, [0.1, 0.0], jac=lambda x: np.array(
            [[0.5 / np.sqrt(abs(x[0]) + 1e-300), 0.0], [0.0, 1.0]]), x_scale=1e-3)
    assert res.success
    np.testing.assert_allclose(res.x, [4.0, 1.0], rtol=1e-6)
