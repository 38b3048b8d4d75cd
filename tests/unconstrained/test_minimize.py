"""minimize/maximize: problems x methods catalogue and the scipy-compatible conventions."""

import numpy as np
import pytest
import scipy.optimize as so
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from steepest import maximize, minimize
from steepest.unconstrained import InverseBFGSUpdate, OptimizeResult, Status

from ._problems import catalogue, quadratic, rosen, rosen_grad

FIRST_ORDER = ["bfgs", "lbfgs", "cg"]


@pytest.mark.parametrize("method", FIRST_ORDER)
@pytest.mark.parametrize("prob", catalogue(), ids=lambda p: p.name)
def test_reaches_known_minimum(method, prob):
    res = minimize(prob.fun, prob.x0, method=method, jac=prob.grad,
                   options={"gtol": 1e-7, "ftol": None})
    assert res.success, res.message
    np.testing.assert_allclose(res.x, prob.x_star, atol=1e-5)
    assert res.fun == pytest.approx(prob.f_star, abs=1e-9)
    assert res.certificate.kind == "minimum"
    assert "gtol" in res.message


@pytest.mark.parametrize("method", FIRST_ORDER)
@pytest.mark.parametrize("prob", catalogue(), ids=lambda p: p.name)
def test_wolfe_conditions_at_every_accepted_step(method, prob):
    c1, c2 = 1e-4, (0.2 if method == "cg" else 0.9)
    res = minimize(prob.fun, prob.x0, method=method, jac=prob.grad, options={"store_x": True})
    xs = res.trace.as_arrays()["x"]
    for xa, xb in zip(xs[:-1], xs[1:]):
        s = xb - xa
        ga, gb = prob.grad(xa), prob.grad(xb)
        assert prob.fun(xb) <= prob.fun(xa) + c1 * (ga @ s) + 1e-12
        assert abs(gb @ s) <= -c2 * (ga @ s) + 1e-12


def test_gd_exact_line_search_steps_are_orthogonal():
    prob, A, _ = quadratic(n=4, cond=30.0, seed=1)
    res = minimize(prob.fun, prob.x0, method="gd", jac=prob.grad, hess=prob.hess,
                   options={"line_search": "exact", "quadratic": True, "store_x": True,
                            "maxiter": 30})
    steps = np.diff(res.trace.as_arrays()["x"], axis=0)
    for s0, s1 in zip(steps[:-1], steps[1:]):
        if np.linalg.norm(s1) > 1e-10:
            assert abs(s0 @ s1) <= 1e-8 * np.linalg.norm(s0) * np.linalg.norm(s1)


def test_gd_exact_brent_also_orthogonal_on_rosenbrock():
    res = minimize(rosen, np.array([-1.2, 1.0]), method="gd", jac=rosen_grad,
                   options={"line_search": "exact", "store_x": True, "maxiter": 20})
    steps = np.diff(res.trace.as_arrays()["x"], axis=0)
    cos = [abs(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b)) for a, b in zip(steps, steps[1:])]
    assert max(cos) < 1e-3


class _RecordingBFGS(InverseBFGSUpdate):
    def __init__(self):
        super().__init__()
        self.min_eigs = []

    def update(self, H, s, y, first):
        done = super().update(H, s, y, first)
        self.min_eigs.append(np.linalg.eigvalsh(0.5 * (H + H.T)).min())
        return done


@pytest.mark.parametrize("prob", catalogue(), ids=lambda p: p.name)
def test_bfgs_keeps_inverse_hessian_positive_definite(prob):
    rec = _RecordingBFGS()
    res = minimize(prob.fun, prob.x0, method="bfgs", jac=prob.grad, options={"update": rec})
    assert res.success and rec.min_eigs and min(rec.min_eigs) > 0
    assert np.linalg.eigvalsh(res.hess_inv).min() > 0


def test_bfgs_hess_inv_approximates_inverse_hessian_on_quadratic():
    prob, A, _ = quadratic(n=4, cond=10.0, seed=2)
    res = minimize(prob.fun, prob.x0, method="bfgs", jac=prob.grad, options={"gtol": 1e-10})
    # the Wolfe interpolation is exact on a quadratic, so quadratic termination: H_n = A^-1
    np.testing.assert_allclose(res.hess_inv @ A, np.eye(4), atol=1e-8)


def test_rosenbrock_evaluations_close_to_scipy():
    x0 = np.array([-1.2, 1.0])
    ours = minimize(rosen, x0, method="bfgs", jac=rosen_grad)
    ref = so.minimize(rosen, x0, method="BFGS", jac=rosen_grad)
    assert ours.success and ours.nfev <= ref.nfev + 5


def test_nan_region_is_backtracked_from():
    def f(x):
        return np.nan if x[0] > 1.5 else rosen(x)

    res = minimize(f, np.array([-1.2, 1.0]), method="bfgs", jac=rosen_grad)
    assert res.success and np.allclose(res.x, 1.0, atol=1e-4)
    assert np.max(np.abs(rosen_grad(res.x))) <= 1e-5  # the gtol it claims, rechecked


def test_objective_nan_everywhere_but_x0_fails_cleanly():
    x0 = np.array([0.3, -0.2])

    def f(x):
        return 1.0 if np.array_equal(x, x0) else np.nan

    res = minimize(f, x0, method="lbfgs", jac=lambda x: np.ones(2))
    assert not res.success and res.status == Status.NON_FINITE
    np.testing.assert_array_equal(res.x, x0)
    assert "line search" in res.message


def test_non_finite_start_raises():
    with pytest.raises(ValueError, match="non-finite"):
        minimize(rosen, np.array([np.nan, 1.0]), jac=rosen_grad)


def test_objective_non_finite_at_x0_reported():
    res = minimize(lambda x: np.inf, np.zeros(2), jac=lambda x: np.zeros(2))
    assert not res.success and res.status == Status.NON_FINITE and "x0" in res.message


def test_unknown_method_lists_methods():
    with pytest.raises(ValueError, match="choose one of.*bfgs"):
        minimize(rosen, np.zeros(2), method="nelder-mead", jac=rosen_grad)


def test_unknown_option_names_the_fix():
    with pytest.raises(ValueError, match="option"):
        minimize(rosen, np.zeros(2), method="bfgs", jac=rosen_grad, options={"memory": 3})


def test_callback_stop_iteration():
    seen = []

    def cb(intermediate_result):
        seen.append(intermediate_result.fun)
        if len(seen) == 3:
            raise StopIteration

    res = minimize(rosen, np.array([-1.2, 1.0]), jac=rosen_grad, callback=cb)
    assert res.status == Status.STOPPED_BY_CALLBACK and not res.success and res.nit == 3
    assert res.fun == seen[-1]


def test_old_style_callback_gets_x():
    xs = []
    minimize(rosen, np.array([-1.2, 1.0]), jac=rosen_grad, callback=lambda xk: xs.append(xk))
    assert len(xs) > 5 and all(x.shape == (2,) for x in xs)


def test_pytree_x0():
    target = {"w": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": -1.5}

    def f(p):
        return float(np.sum((p["w"] - target["w"]) ** 2) + (p["b"] - target["b"]) ** 2)

    def g(p):
        return {"w": 2 * (p["w"] - target["w"]), "b": 2 * (p["b"] - target["b"])}

    res = minimize(f, {"w": np.zeros((2, 2)), "b": 0.0}, method="lbfgs", jac=g)
    assert res.success and set(res.x) == {"w", "b"}
    np.testing.assert_allclose(res.x["w"], target["w"], atol=1e-6)
    assert res.x["b"] == pytest.approx(-1.5, abs=1e-6)


def test_jac_true_and_args():
    def fg(x, a, b):
        r = (a - x[0]) ** 2 + b * (x[1] - x[0] ** 2) ** 2
        g = np.array([-2 * (a - x[0]) - 4 * b * x[0] * (x[1] - x[0] ** 2),
                      2 * b * (x[1] - x[0] ** 2)])
        return r, g

    res = minimize(fg, np.array([-1.2, 1.0]), jac=True, args=(2.0, 10.0))
    assert res.success and np.allclose(res.x, [2.0, 4.0], atol=1e-5)
    assert res.nfev == res.njev


def test_finite_difference_jac():
    res = minimize(rosen, np.array([-1.2, 1.0]), jac="3-point", options={"gtol": 1e-6})
    assert np.allclose(res.x, 1.0, atol=1e-4)


def test_maximize_reports_in_terms_of_f():
    f = lambda x: 3.0 - (x[0] - 1) ** 2 - 2 * (x[1] + 2) ** 2  # noqa: E731
    g = lambda x: np.array([-2 * (x[0] - 1), -4 * (x[1] + 2)])  # noqa: E731
    res = maximize(f, np.zeros(2), jac=g)
    assert res.success and res.fun == pytest.approx(3.0)
    np.testing.assert_allclose(res.x, [1.0, -2.0], atol=1e-5)
    np.testing.assert_allclose(res.jac, g(res.x))
    assert res.trace.f[-1] == pytest.approx(3.0) and res.trace.f[0] < res.trace.f[-1]
    assert res.certificate.kind == "maximum"


def test_result_is_scipy_compatible():
    res = minimize(rosen, np.array([-1.2, 1.0]), jac=rosen_grad)
    assert isinstance(res, so.OptimizeResult) and isinstance(res, OptimizeResult)
    for key in ("x", "fun", "jac", "hess_inv", "nit", "nfev", "njev", "nhev", "status",
                "success", "message", "trace", "certificate"):
        assert key in res and getattr(res, key) is res[key]
    assert len(res.trace) == res.nit + 1


@pytest.mark.parametrize("opts,reason", [
    ({"maxiter": 3, "gtol": 0.0}, Status.MAX_ITER),
    ({"maxfev": 5, "gtol": 0.0}, Status.MAX_FEV),
    ({"max_time": 0.0, "gtol": 0.0}, Status.MAX_TIME),
])
def test_limits_end_unsuccessfully(opts, reason):
    res = minimize(rosen, np.array([-1.2, 1.0]), jac=rosen_grad, options=opts)
    assert res.status == reason and not res.success
    assert res.fun <= rosen(np.array([-1.2, 1.0]))


@pytest.mark.parametrize("crit,value", [("fatol", 1e-3), ("ftol", 1e-3), ("xtol", 1e-2)])
def test_each_convergence_criterion_named(crit, value):
    res = minimize(rosen, np.array([-1.2, 1.0]), method="lbfgs", jac=rosen_grad,
                   options={"gtol": None, "ftol": None, crit: value})
    assert res.success and f"({crit})" in res.message
    tr = res.trace
    if crit == "fatol":
        assert abs(tr.f[-2] - tr.f[-1]) < value
    if crit == "xtol":
        assert tr.step_norm[-1] <= value


def test_trace_columns():
    res = minimize(rosen, np.array([-1.2, 1.0]), method="lbfgs", jac=rosen_grad)
    cols = res.trace.as_arrays()
    assert np.all(np.diff(cols["f"]) <= 0)
    assert np.all(cols["ls_evals"][1:] >= 1) and cols["ls_evals"].sum() + 1 == res.nfev
    assert np.all(np.diff(cols["time"]) >= 0)
    assert cols["gnorm"][-1] <= 1e-5 or "(ftol)" in res.message


@pytest.mark.parametrize("beta", ["FR", "PR", "PR+", "HS"])
def test_cg_variants(beta):
    res = minimize(rosen, np.array([-1.2, 1.0]), method="cg", jac=rosen_grad,
                   options={"beta": beta, "maxiter": 2000})
    assert res.success and np.allclose(res.x, 1.0, atol=1e-4)
    assert np.max(np.abs(rosen_grad(res.x))) <= 1e-5  # the gtol it claims, rechecked


def test_cg_is_linear_cg_on_quadratic_with_exact_search():
    prob, A, b = quadratic(n=6, cond=100.0, seed=5)
    res = minimize(prob.fun, prob.x0, method="cg", jac=prob.grad, hess=prob.hess,
                   options={"beta": "FR", "line_search": "exact", "quadratic": True,
                            "gtol": 1e-9})
    assert res.success and res.nit <= 6 + 1


def test_gd_fixed_step_is_a_learning_rate():
    f = lambda x: float(x @ x)  # noqa: E731
    res = minimize(f, np.array([1.0, -2.0]), method="gd", jac=lambda x: 2 * x,
                   options={"step_size": 0.1, "maxiter": 5})
    np.testing.assert_allclose(res.x, np.array([1.0, -2.0]) * 0.8 ** 5)
    assert res.nfev == 6 and res.status == Status.MAX_ITER


def test_gd_fixed_step_divergence_to_inf_is_reported():
    f = lambda x: float(np.exp(x @ x))  # noqa: E731
    g = lambda x: 2 * x * np.exp(x @ x)  # noqa: E731
    x0 = np.array([1.5, 0.0])
    with np.errstate(over="ignore", invalid="ignore"):
        res = minimize(f, x0, method="gd", jac=g, options={"step_size": 1.0})
    assert not res.success and res.status == Status.NON_FINITE
    assert np.isfinite(res.fun) and res.fun <= f(x0)


def test_dfp_update_converges():
    res = minimize(rosen, np.array([-1.2, 1.0]), method="bfgs", jac=rosen_grad,
                   options={"update": "dfp", "maxiter": 5000})
    assert res.success and np.allclose(res.x, 1.0, atol=1e-4)
    assert np.max(np.abs(rosen_grad(res.x))) <= 1e-5  # the gtol it claims, rechecked


@pytest.mark.parametrize("ls", ["armijo", "wolfe", "strong_wolfe", "more-thuente"])
def test_any_line_search_with_bfgs(ls):
    res = minimize(rosen, np.array([-1.2, 1.0]), method="bfgs", jac=rosen_grad,
                   options={"line_search": ls, "maxiter": 2000})
    assert res.success and np.allclose(res.x, 1.0, atol=1e-4)
    assert np.max(np.abs(rosen_grad(res.x))) <= 1e-5  # the gtol it claims, rechecked


def test_line_search_object_option():
    from steepest.unconstrained import Armijo

    res = minimize(rosen, np.array([-1.2, 1.0]), method="gd", jac=rosen_grad,
                   options={"line_search": Armijo(shrink=2 / 3), "maxiter": 50})
    assert res.nit == 50 and res.fun < rosen(np.array([-1.2, 1.0]))


def test_constraints_delegate(monkeypatch):
    import steepest._minimize as dispatch

    seen = {}

    def fake(fun, x0, **kw):
        seen.update(kw)
        return "delegated"

    monkeypatch.setattr(dispatch, "minimize_constrained", fake)
    out = minimize(rosen, np.zeros(2), method="bfgs", jac=rosen_grad, bounds=[(0, 1)] * 2)
    assert out == "delegated" and seen["bounds"] == [(0, 1)] * 2 and seen["method"] == "bfgs"


def test_solver_instance_as_method():
    from steepest.unconstrained import LBFGS

    res = minimize(rosen, np.array([-1.2, 1.0]), method=LBFGS(m=3, line_search="wolfe"),
                   jac=rosen_grad)
    assert res.success and res.method == "lbfgs"
    with pytest.raises(ValueError, match="constructor"):
        minimize(rosen, np.zeros(2), method=LBFGS(), jac=rosen_grad, options={"m": 4})


def test_certificate_kinds_not_critical_and_inconclusive():
    stopped = minimize(rosen, np.array([-1.2, 1.0]), jac=rosen_grad, options={"maxiter": 2})
    assert stopped.certificate.kind == "not_critical"
    flat = minimize(lambda x: float(x[0] ** 4 + x[1] ** 2), np.array([0.0, 1.0]),
                    jac=lambda x: np.array([4 * x[0] ** 3, 2 * x[1]]),
                    hess=lambda x: np.diag([12 * x[0] ** 2, 2.0]), method="newton")
    assert flat.success and flat.certificate.kind == "inconclusive"
    assert flat.certificate.evaluations >= 1 and flat.nhev == flat.nit


def test_certificate_can_be_switched_off():
    res = minimize(rosen, np.array([-1.2, 1.0]), jac=rosen_grad, options={"certify": False})
    assert res.certificate.kind == "unknown" and res.certificate.hessian_eigenvalues is None
    assert res.certificate.gradient_norm == pytest.approx(np.linalg.norm(res.jac))


@pytest.mark.parametrize("name", ["BFGS", "L-BFGS-B", "CG", "Newton-CG", "trust-exact"])
def test_scipy_method_names_are_accepted(name):
    res = minimize(rosen, np.array([-1.2, 1.0]), method=name, jac=rosen_grad,
                   hess=lambda x: np.array([[2 - 400 * (x[1] - 3 * x[0] ** 2), -400 * x[0]],
                                            [-400 * x[0], 200.0]]))
    assert res.success and np.allclose(res.x, 1.0, atol=1e-4)


@settings(max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6),
       log_cond=st.floats(0.0, 3.0), method=st.sampled_from(
           ["gd", "cg", "bfgs", "lbfgs", "newton", "newton-cg", "trust-newton"]))
def test_random_spd_quadratics_are_solved(seed, n, log_cond, method):
    """gtol 1e-7 is reachable in floating point (f - f* stays above rounding), and gd's
    O(cond) iterations keep it to cond <= 100 here."""
    assume(method != "gd" or log_cond <= 2.0)
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag(np.geomspace(1.0, 10.0 ** log_cond, n)) @ Q.T
    A = 0.5 * (A + A.T)
    b = rng.standard_normal(n)
    x_star = np.linalg.solve(A, b)
    res = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(n), method=method,
                   jac=lambda x: A @ x - b, hess=lambda x: A,
                   options={"gtol": 1e-7, "ftol": None, "maxiter": 100_000})
    assert res.success, res.message
    np.testing.assert_allclose(A @ res.x, b, atol=1e-7)
    # |x - x*| <= |A^-1| |g|: the smallest eigenvalue is 1
    assert np.linalg.norm(res.x - x_star) <= 1e-7 * np.sqrt(n) * (1 + 1e-9)


def test_stall_at_the_precision_of_f_is_reported():
    # gtol far below what f's rounding allows: gd cannot get there and says so
    A = np.diag([1.0, 100.0])
    b = np.array([1.0, 1.0])
    res = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(2), method="gd",
                   jac=lambda x: A @ x - b, options={"gtol": 1e-13, "maxiter": 100_000})
    assert res.status == Status.STALLED and not res.success and "gtol" in res.message
    assert res.nit < 100_000 and res.fun == pytest.approx(-0.505, abs=1e-12)


def test_maximize_with_constraints_follows_eq_4_20_signs():
    """maximize x + y on x² + y² = 32 (notes' scaling ½x² + ½y² − 16): (4, 4), λ = −1/4."""
    from steepest import maximize
    from steepest.constrained import Eq

    res = maximize(lambda v: v[0] + v[1], np.array([1.0, 0.5]),
                   constraints=[Eq(lambda v: 0.5 * v @ v - 16)])
    np.testing.assert_allclose(res.x, [4.0, 4.0], atol=1e-10)
    np.testing.assert_allclose(res.fun, 8.0, atol=1e-10)
    np.testing.assert_allclose(res.lam, [-0.25], atol=1e-10)
    assert res.kkt.passed


def _nan_wall(x):
    # a NaN region 0.5 < x[0] < 2.9 lies between x0 = (0, 0.5) and the minimum (3, 0)
    return np.nan if 0.5 < x[0] < 2.9 else (x[0] - 3.0) ** 2 + x[1] ** 2


def _nan_wall_grad(x):
    if 0.5 < x[0] < 2.9:
        return np.full(2, np.nan)
    return np.array([2 * (x[0] - 3.0), 2 * x[1]])


@pytest.mark.parametrize("method", ["gd", "cg"])
def test_nan_region_before_the_minimum_is_named(method):
    """Issue 14, defect 11: the message names the non-finite region, not "loosen gtol"."""
    x0 = np.array([0.0, 0.5])
    res = minimize(_nan_wall, x0, method=method, jac=_nan_wall_grad)
    assert not res.success
    assert res.status in (Status.NON_FINITE, Status.LINE_SEARCH_FAILED)
    assert "NaN/inf at trial points" in res.message and "domain of fun" in res.message
    assert "bounds" in res.message and "gtol" not in res.message
    assert np.isfinite(res.fun) and res.fun <= _nan_wall(x0)


def test_precision_stall_without_nan_keeps_its_advice():
    A = np.diag([1.0, 100.0])
    b = np.array([1.0, 1.0])
    res = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(2), method="gd",
                   jac=lambda x: A @ x - b, options={"gtol": 1e-13, "maxiter": 100_000})
    assert res.status == Status.STALLED and "NaN" not in res.message


@pytest.mark.parametrize("scheme", ["2-point", "3-point"])
@pytest.mark.parametrize("method", ["newton", "newton-cg", "trust-newton"])
def test_hess_finite_differences_of_the_gradient(scheme, method):
    """Issue 14, defect 8: ``hess="2-point"``/``"3-point"`` as in scipy."""
    res = minimize(rosen, np.array([-1.2, 1.0]), method=method, jac=rosen_grad, hess=scheme)
    assert res.success, res.message
    np.testing.assert_allclose(res.x, 1.0, atol=1e-4)


def test_hess_finite_differences_even_for_a_traceable_fun():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    res = minimize(lambda x: 0.5 * x @ A @ x, np.array([1.0, -1.0]), method="newton",
                   hess="2-point", options={"gtol": 1e-8})
    assert res.success and np.allclose(res.x, 0.0, atol=1e-7)
    assert res.nhev == 0  # differences of gradients, not the autodiff Hessian
    assert res.certificate.hessian_source == "finite differences"


@pytest.mark.parametrize("method, closest", [("bfgss", "bfgs"), ("trust-newtn", "trust-newton"),
                                             ("lbgfs", "lbfgs")])
def test_a_misspelt_method_suggests_the_closest(method, closest):
    with pytest.raises(ValueError) as info:
        minimize(rosen, np.zeros(2), method=method, jac=rosen_grad)
    assert f"did you mean {closest!r}?" in str(info.value) and "'newton-cg'" in str(info.value)


def test_unknown_option_is_the_methods_and_lists_line_search_options():
    """Issue 14, defect 8: not blamed on the line search; every valid option listed."""
    with pytest.raises(ValueError) as info:
        minimize(rosen, np.zeros(2), method="cg", jac=rosen_grad, options={"maxiters": 5})
    msg = str(info.value)
    assert "method 'cg'" in msg and "line search" not in msg
    assert "did you mean 'maxiter'?" in msg
    for name in ("maxiter", "gtol", "beta", "line_search", "c1", "c2", "interval_tol"):
        assert f"'{name}'" in msg
