"""minimize_constrained / maximize_constrained on the seeds' worked examples, and failure modes."""

import numpy as np
import pytest
from scipy.optimize import OptimizeResult as ScipyOptimizeResult

import steepest as st
from steepest import Status
from steepest.constrained import (
    Eq,
    Ineq,
    kkt_check,
    maximize_constrained,
    minimize_constrained,
)

METHODS = ["sqp", "augmented-lagrangian"]


def circle_eq():
    # the notes' scaling: g = ½x² + ½y² − 16
    return Eq(lambda x: 0.5 * x @ x - 16.0, jac=lambda x: x,
              hess=lambda x, v: v[0] * np.eye(2), name="circle")


def linear_f(x):
    return x[0] + x[1]


LIN = dict(jac=lambda x: np.ones(2), hess=lambda x: np.zeros((2, 2)))


@pytest.mark.parametrize("method", METHODS)
def test_seed_maximize_x_plus_y_on_circle(method):
    res = maximize_constrained(linear_f, [1.0, 2.0], method=method,
                               constraints=[circle_eq()], **LIN)
    assert res.success and res.maximize
    np.testing.assert_allclose(res.x, [4.0, 4.0], atol=1e-10)
    assert res.fun == pytest.approx(8.0, abs=1e-10)
    assert res.lam[0] == pytest.approx(-0.25, abs=1e-10)  # notes: λ = −1/4
    # ∇f and ∇g are parallel at the optimum: ∇f = −λ ∇g
    np.testing.assert_allclose(res.jac, 0.25 * res.x, atol=1e-10)
    assert kkt_check(linear_f, res.x, res.lam, eqs=[circle_eq()], jac=LIN["jac"],
                     maximize=True, tol=1e-9).passed


def test_minimize_on_circle_finds_the_other_critical_point():
    res = minimize_constrained(linear_f, [1.0, -2.0], constraints=[circle_eq()], **LIN)
    np.testing.assert_allclose(res.x, [-4.0, -4.0], atol=1e-10)
    assert res.lam[0] == pytest.approx(0.25, abs=1e-10)


XY = dict(jac=lambda x: np.array([x[1], x[0] + x[2], x[1]]),
          hess=lambda x: np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]))


@pytest.mark.parametrize("method", METHODS)
def test_seed_maximize_xy_plus_yz(method):
    res = maximize_constrained(lambda x: x[0] * x[1] + x[1] * x[2], np.zeros(3), method=method,
                               constraints=[Eq.linear([[1, 2, 0]], [6]),
                                            Eq.linear([[1, 0, -3]], [0])], **XY)
    assert res.success
    np.testing.assert_allclose(res.x, [3.0, 1.5, 1.0], atol=1e-10)
    assert res.fun == pytest.approx(6.0, abs=1e-10)
    # seed: F = xy + yz − λ(x + 2y − 6) − μ(x − 3z) gives λ = 2, μ = −1/2; ours is L = f + λg
    np.testing.assert_allclose(res.lam, [-2.0, 0.5], atol=1e-10)
    if method == "sqp":
        assert res.nit == 1  # quadratic objective, linear constraints: one KKT-Newton step


def test_xy_plus_yz_reduced_hessian_is_what_matters():
    # the Hessian of −f is indefinite, but on the constraint line f is concave: exact Newton
    res = maximize_constrained(lambda x: x[0] * x[1] + x[1] * x[2], [10.0, -3.0, 2.0],
                               constraints=[Eq.linear([[1, 2, 0], [1, 0, -3]], [6, 0])], **XY)
    np.testing.assert_allclose(res.x, [3.0, 1.5, 1.0], atol=1e-12)
    assert res.nit == 1


def _ls_problem(seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((30, 8))
    b = A @ rng.standard_normal(8) * 2 + 0.1 * rng.standard_normal(30)
    return A, b


@pytest.mark.parametrize("method", METHODS)
def test_norm_constrained_least_squares_matches_lstsq(method):
    A, b = _ls_problem()
    f = lambda x: 0.5 * np.sum((A @ x - b) ** 2)  # noqa: E731
    res = minimize_constrained(f, np.zeros(8), method=method, jac=lambda x: A.T @ (A @ x - b),
                               hess=lambda x: A.T @ A,
                               constraints=[Ineq(lambda x: x @ x - 1.0, jac=lambda x: 2 * x,
                                                 hess=lambda x, v: 2 * v[0] * np.eye(8))])
    ref = st.lstsq(A, b, max_norm=1.0)
    assert res.success
    np.testing.assert_allclose(res.x, ref.x, atol=1e-9)
    assert res.alpha[0] == pytest.approx(ref.lam, rel=1e-8)  # same λ as eq. 4.23
    assert res.active_set == ["ineq0"]


def test_bounds_forms_agree():
    f = lambda x: (x[0] - 3) ** 2 + (x[1] + 1) ** 2  # noqa: E731
    jac = lambda x: np.array([2 * (x[0] - 3), 2 * (x[1] + 1)])  # noqa: E731
    from scipy.optimize import Bounds

    sols = [minimize_constrained(f, [0.5, 0.5], jac=jac, hess=lambda x: 2 * np.eye(2),
                                 bounds=b).x
            for b in ((0, 1), [(0, 1), (0, None)], Bounds([0, 0], [1, np.inf]))]
    for x in sols:
        np.testing.assert_allclose(x, [1.0, 0.0], atol=1e-10)


def test_scipy_dict_constraints_use_c_geq_zero():
    f = lambda x: x @ x  # noqa: E731
    res = minimize_constrained(f, [3.0, 3.0], jac=lambda x: 2 * x, hess=lambda x: 2 * np.eye(2),
                               constraints=[{"type": "ineq", "fun": lambda x: x[0] + x[1] - 2,
                                             "jac": lambda x: np.array([1.0, 1.0])}])
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-10)
    assert res.alpha[0] == pytest.approx(2.0)
    assert res["x"] is res.x and res["success"] and "kkt" in res.keys()


def test_infeasible_problem_is_reported():
    res = minimize_constrained(lambda x: x @ x, [0.3], jac=lambda x: 2 * x,
                               hess=lambda x: 2 * np.eye(1),
                               constraints=[Ineq.linear([[1.0]], [-1.0]),
                                            Ineq.linear([[-1.0]], [-1.0])],
                               options={"maxiter": 30})
    assert not res.success
    assert not res.kkt.primal_feasibility.passed


def test_nan_objective_reports_failure_with_finite_point():
    def f(x):
        return np.nan if x[0] > 2 else (x[0] - 5) ** 2

    res = minimize_constrained(f, [0.0], jac=lambda x: np.array([2 * (x[0] - 5)]),
                               hess=lambda x: 2 * np.eye(1), bounds=(None, 10.0))
    assert not res.success
    assert np.all(np.isfinite(res.x)) and np.isfinite(res.fun)
    # the best finite point: inside the finite region, its value reported faithfully
    assert res.x[0] <= 2 and res.fun == pytest.approx(f(res.x), rel=1e-15)


def test_callback_and_trace():
    seen = []
    res = maximize_constrained(linear_f, [1.0, 2.0], constraints=[circle_eq()],
                               callback=seen.append, **LIN)
    assert len(seen) == res.nit == len(res.trace)
    assert res.trace[-1]["kkt"] < res.trace[0]["kkt"]


@pytest.mark.parametrize("kwargs, err", [
    (dict(method="slsqp"), ValueError),
    (dict(tol=-1.0), ValueError),
    (dict(constraints=["x>0"]), TypeError),
    (dict(constraints=[{"type": "geq", "fun": abs}]), ValueError),
    (dict(bounds=(1.0, 0.0)), ValueError),
    (dict(method="augmented-lagrangian", options={"inner": "adam"}), ValueError),
    (dict(options={"hessian": "sr1"}), ValueError),
])
def test_bad_input(kwargs, err):
    kwargs = {"constraints": [circle_eq()], **kwargs}
    with pytest.raises(err):
        minimize_constrained(linear_f, [1.0, 2.0], **LIN, **kwargs)


def test_x0_must_be_vector():
    with pytest.raises(ValueError, match="1-D"):
        minimize_constrained(linear_f, np.ones((2, 2)), constraints=[circle_eq()], **LIN)


@pytest.mark.parametrize("inner", ["lbfgs", "newton"])
def test_augmented_lagrangian_without_polish(inner):
    res = maximize_constrained(linear_f, [1.0, 2.0], method="augmented-lagrangian",
                               constraints=[circle_eq()], tol=1e-6,
                               options={"inner": inner, "polish": False}, **LIN)
    assert res.success and "polish" not in res.message
    np.testing.assert_allclose(res.x, [4.0, 4.0], atol=1e-5)
    assert res.lam[0] == pytest.approx(-0.25, abs=1e-5)


@pytest.mark.parametrize("method", METHODS)
def test_args_reach_objective_and_constraints(method):
    c = np.array([2.0, -1.0])
    res = minimize_constrained(lambda x, c, r: np.sum((x - c) ** 2), np.zeros(2), method=method,
                               args=(c, 1.0), jac=lambda x, c, r: 2 * (x - c),
                               hess=lambda x, c, r: 2 * np.eye(2),
                               constraints=[Ineq(lambda x, c, r: x @ x - r**2,
                                                 jac=lambda x, c, r: 2 * x,
                                                 hess=lambda x, v, c, r: 2 * v[0] * np.eye(2))])
    np.testing.assert_allclose(res.x, c / np.linalg.norm(c), atol=1e-9)
    # ∇f + 2αx = 0 at the boundary: α = ‖c‖ − 1
    assert res.alpha[0] == pytest.approx(np.linalg.norm(c) - 1.0, abs=1e-8)


def test_degenerate_start_reports_failure_not_a_wrong_success():
    # ∇g(0) = 0 for g = xᵀx − r²: the linearized constraint is inconsistent at x0
    rng = np.random.default_rng(0)
    A, b = rng.standard_normal((12, 4)), rng.standard_normal(12)
    res = minimize_constrained(lambda x: 0.5 * np.sum((A @ x - b) ** 2), np.zeros(4),
                               jac=lambda x: A.T @ (A @ x - b), hess=lambda x: A.T @ A,
                               constraints=[Eq(lambda x: x @ x - 0.01, jac=lambda x: 2 * x,
                                               hess=lambda x, v: 2 * v[0] * np.eye(4))])
    assert res.success == res.kkt.passed
    if res.success:  # then it must be the true answer (‖A⁺b‖ > 0.1, so = and ≤ coincide)
        np.testing.assert_allclose(res.x, st.lstsq(A, b, max_norm=0.1).x, atol=1e-8)
    else:
        assert res.status is not Status.SUCCESS and res.message


@pytest.mark.parametrize("seed", range(3))
def test_convex_qp_with_bounds_and_linear_inequalities(seed):
    from steepest.constrained import Box, projected_gradient

    rng = np.random.default_rng(seed)
    n = 30
    M = rng.standard_normal((40, n))
    Q, c = M.T @ M + 0.1 * np.eye(n), rng.standard_normal(n) * 5
    f, g = (lambda x: 0.5 * x @ Q @ x - c @ x), (lambda x: Q @ x - c)
    boxed = minimize_constrained(f, np.zeros(n), jac=g, hess=lambda x: Q, bounds=(-0.2, 0.3))
    pg = projected_gradient(f, np.zeros(n), Box(-0.2, 0.3), jac=g, tol=1e-11,
                            options={"maxiter": 100_000})
    assert boxed.nit == 1 and boxed.success  # the QP subproblem is the problem
    np.testing.assert_allclose(boxed.x, pg.x, atol=1e-9)
    G = rng.standard_normal((10, n))
    cons = [Ineq.linear(G, np.full(10, 0.1))]
    sqp = minimize_constrained(f, np.zeros(n), jac=g, hess=lambda x: Q, bounds=(-0.2, 0.3),
                               constraints=cons)
    al = minimize_constrained(f, np.zeros(n), method="augmented-lagrangian", jac=g,
                              hess=lambda x: Q, bounds=(-0.2, 0.3), constraints=cons)
    assert sqp.success and al.success and sqp.kkt.passed
    np.testing.assert_allclose(sqp.x, al.x, atol=1e-9)
    np.testing.assert_allclose(sqp.alpha, al.alpha, atol=1e-7)


def test_wrong_jacobian_shape_is_rejected():
    bad = Eq(lambda x: np.array([x[0], x[1] + x[2]]), jac=lambda x: np.ones((3, 2)), name="g")
    with pytest.raises(ValueError, match=r"expected \(m, 3\)"):
        minimize_constrained(lambda x: x @ x, np.ones(3), jac=lambda x: 2 * x,
                             hess=lambda x: 2 * np.eye(3), constraints=[bad])


def test_wrong_gradient_size_is_rejected():
    with pytest.raises(ValueError, match="shape of x"):
        minimize_constrained(lambda x: x @ x, np.ones(3), jac=lambda x: np.ones(2),
                             constraints=[circle_eq()])


@pytest.mark.parametrize("method", ["bfgs", "newton", "trust-newton", "lbfgs", "cg", None])
def test_unconstrained_method_names_map_to_constrained_solvers(method):
    from steepest.constrained.driver import ALIASES

    res = maximize_constrained(linear_f, [1.0, 2.0], method=method,
                               constraints=[circle_eq()], **LIN)
    assert res.success
    np.testing.assert_allclose(res.x, [4.0, 4.0], atol=1e-9)
    expected = "sqp" if method is None else ALIASES[method][0]
    assert res.method == expected


@pytest.mark.parametrize("method", METHODS)
def test_maximize_with_inequality_uses_eq_4_20_signs(method):
    # max −(x − 2)² s.t. x − 1 ≤ 0: with L = f − αh, ∇f − α∇h = 0 gives α = 2 ≥ 0
    res = maximize_constrained(lambda x: -(x[0] - 2) ** 2, [0.0], method=method,
                               constraints=[Ineq(lambda x: x[0] - 1, name="x<=1")])
    np.testing.assert_allclose(res.x, [1.0], atol=1e-10)
    assert res.alpha[0] == pytest.approx(2.0, abs=1e-9) and res.active_set == ["x<=1"]
    assert kkt_check(lambda x: -(x[0] - 2) ** 2, res.x, alpha=res.alpha,
                     ineqs=[lambda x: x[0] - 1], maximize=True, tol=1e-9).passed


@pytest.mark.parametrize("method", METHODS)
def test_result_is_a_scipy_optimize_result_with_one_status(method):
    res = minimize_constrained(lambda x: x[0] + x[1], np.array([1.0, -2.0]), method=method,
                               jac=lambda x: np.ones(2), constraints=[circle_eq()])
    assert isinstance(res, ScipyOptimizeResult) and "x" in res and "lam" in res
    assert res.status is Status.SUCCESS and res.status == 0 and res.success
    assert res.message == res["message"] and isinstance(res.message, str)

