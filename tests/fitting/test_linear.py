"""lstsq: every method reaches the normal equations; the norm-constrained λ satisfies KKT."""

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import OptimizeResult as ScipyOptimizeResult
from scipy.optimize import brentq

import steepest as st
from steepest import Status
from steepest.fitting.linear import _solve_gd
from steepest.numerics import ConditioningWarning

METHODS = ["qr", "svd", "normal", "gd", "newton", "cg"]


def _problem(m=50, n=20, cond=5.0, seed=0):
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((m, n)))
    V, _ = np.linalg.qr(rng.standard_normal((n, n)))
    s = np.geomspace(cond, 1.0, n)
    return (U * s) @ V.T, rng.standard_normal(m)


@pytest.mark.parametrize("method", METHODS)
def test_methods_satisfy_normal_equations(method):
    A, b = _problem(cond=20.0)
    res = st.lstsq(A, b, method=method)
    assert res.success
    grad = A.T @ (A @ res.x - b)
    assert np.linalg.norm(grad) <= 1e-8 * np.linalg.norm(A.T @ b)
    assert res.residual_norm == pytest.approx(np.linalg.norm(A @ res.x - b))


def test_svd_is_minimum_norm_on_rank_deficient():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((8, 3)) @ rng.standard_normal((3, 6))  # rank 3, n = 6
    b = rng.standard_normal(8)
    res = st.lstsq(A, b, method="svd")
    assert res.rank == 3
    # minimum norm: x is orthogonal to null(A)
    null = np.linalg.svd(A)[2][3:]
    np.testing.assert_allclose(null @ res.x, 0, atol=1e-12)
    for method in ("cg", "gd"):  # from x0 = 0 the iterates stay in range(Aᵀ)
        np.testing.assert_allclose(st.lstsq(A, b, method=method).x, res.x, atol=1e-7)
    qr = st.lstsq(A, b, method="qr")
    assert qr.rank == 3
    np.testing.assert_allclose(A.T @ (A @ qr.x - b), 0, atol=1e-10)


def test_svd_reports_singular_values_and_cond():
    A, b = _problem(cond=1e3)
    res = st.lstsq(A, b, method="svd")
    assert res.cond == pytest.approx(1e3, rel=1e-10)
    np.testing.assert_allclose(res.singular_values, np.linalg.svd(A, compute_uv=False))


def test_normal_warns_when_conditioning_squares():
    A, b = _problem(cond=1e5)
    with pytest.warns(ConditioningWarning, match=r"cond\(AᵀA\)"):
        res = st.lstsq(A, b, method="normal")
    assert res.cond == pytest.approx(1e5, rel=1e-3)
    # the squared conditioning costs accuracy relative to QR
    x_ref = st.lstsq(A, b, method="svd").x
    err_qr = np.linalg.norm(st.lstsq(A, b, method="qr").x - x_ref)
    err_normal = np.linalg.norm(res.x - x_ref)
    assert err_normal > err_qr


def test_normal_rejects_rank_deficient():
    A = np.ones((4, 2))
    with pytest.raises(ValueError, match="svd"):
        st.lstsq(A, np.ones(4), method="normal")


def test_gd_safe_step_and_tolerance():
    A, b = _problem(cond=5.0)
    delta = 1e-6
    res = st.lstsq(A, b, method="gd", tol=delta)
    assert np.linalg.norm(A.T @ (A @ res.x - b)) <= delta
    assert res.nit > 1
    with pytest.raises(ValueError, match="1/σ_max²"):
        st.lstsq(A, b, method="gd", step=2.5 / np.linalg.norm(A, 2) ** 2)
    slow = st.lstsq(A, b, method="gd", maxiter=3)
    assert slow.status is Status.MAX_ITER and not slow.success


def test_newton_is_one_step_from_any_start():
    A, b = _problem(cond=50.0)
    res = st.lstsq(A, b, method="newton", x0=np.full(20, 7.0))
    assert res.nit == 1
    np.testing.assert_allclose(res.x, st.lstsq(A, b, method="svd").x, atol=1e-10)


def test_cg_matrix_free():
    from scipy.sparse.linalg import aslinearoperator

    A, b = _problem(cond=10.0)
    res = st.lstsq(aslinearoperator(A), b, method="cg")
    np.testing.assert_allclose(res.x, st.lstsq(A, b).x, atol=1e-9)
    assert res.nit <= 40


def _lambda_reference(A, b, r):
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    c = s * (U.T @ b)

    def phi(lam):
        return np.linalg.norm(c / (s**2 + 2 * lam)) - r

    return brentq(phi, 0.0, np.linalg.norm(c) / r, xtol=1e-15, rtol=1e-15)


@pytest.mark.parametrize("cond", [5.0, 1e2, 1e3])
@pytest.mark.parametrize("shrink", [0.9, 0.3, 0.05])
def test_secular_newton_kkt_and_lambda(cond, shrink):
    A, b = _problem(cond=cond, seed=2)
    r = shrink * np.linalg.norm(np.linalg.pinv(A) @ b)
    res = st.lstsq(A, b, max_norm=r)
    assert res.success and res.nfact <= 12
    assert np.linalg.norm(res.x) == pytest.approx(r, rel=1e-13)
    stationarity = A.T @ (A @ res.x - b) + 2 * res.lam * res.x
    assert np.linalg.norm(stationarity) <= 1e-10 * np.linalg.norm(A.T @ b)
    assert res.lam == pytest.approx(_lambda_reference(A, b, r), rel=1e-10)


def test_pseudoinverse_branch_when_feasible():
    A, b = _problem(cond=10.0)
    r = 1.5 * np.linalg.norm(np.linalg.pinv(A) @ b)
    res = st.lstsq(A, b, max_norm=r, method="cg")
    assert res.lam == 0.0 and res.nfact == 0
    np.testing.assert_allclose(res.x, np.linalg.pinv(A) @ b, atol=1e-9)


def test_rank_deficient_norm_constrained():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((10, 2)) @ rng.standard_normal((2, 5))
    b = rng.standard_normal(10)
    r = 0.5 * np.linalg.norm(np.linalg.pinv(A) @ b)
    for method in ("qr", "svd"):
        res = st.lstsq(A, b, method=method, max_norm=r)
        assert np.linalg.norm(res.x) == pytest.approx(r, rel=1e-13)
        assert res.lam == pytest.approx(_lambda_reference(A, b, r), rel=1e-9)


def test_ascent_is_slow_but_agrees_then_diverges_for_large_step():
    A, b = _problem(m=50, n=20, cond=5.0, seed=3)
    r = 0.3 * np.linalg.norm(np.linalg.pinv(A) @ b)
    newton = st.lstsq(A, b, max_norm=r)
    ascent = st.lstsq(A, b, max_norm=r, lambda_method="ascent")
    assert ascent.success
    assert 300 <= ascent.nit <= 5000  # "on the order of a thousand"
    assert newton.nfact <= 8
    assert ascent.lam == pytest.approx(newton.lam, rel=1e-7)
    # too large a step: η|ψ′(λ*)| > 2 makes the fixed-point iteration unstable
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    c = s * (U.T @ b)
    slope = 4 * np.sum(c**2 / (s**2 + 2 * newton.lam) ** 3)
    bad = st.lstsq(A, b, max_norm=r, lambda_method="ascent", lambda_step=3.0 / slope)
    assert bad.status is Status.DIVERGED and not bad.success
    assert abs(np.linalg.norm(bad.x) - r) > 1e-3 * r


@pytest.mark.parametrize("bad", [
    dict(A=np.ones(3), b=np.ones(3)),
    dict(A=np.ones((3, 2)), b=np.ones(2)),
    dict(A=np.array([[np.nan, 1.0]]), b=np.ones(1)),
    dict(A=np.eye(2), b=np.ones(2), method="lu"),
    dict(A=np.eye(2), b=np.ones(2), max_norm=-1.0),
    dict(A=np.eye(2), b=np.ones(2), max_norm=0.5, lambda_method="bisect"),
])
def test_bad_input(bad):
    with pytest.raises(ValueError):
        st.lstsq(**bad)


def test_hard_case_data_still_converges():
    # Aᵀb orthogonal to the right singular vector of σ_min: the trust-region "hard case"
    # pattern; for least squares it cannot leave a gap, Newton converges as usual
    A, _ = _problem(m=30, n=10, cond=100.0, seed=7)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    b = U[:, :-1] @ np.linspace(1.0, 2.0, 9)
    assert abs(Vt[-1] @ (A.T @ b)) < 1e-12
    r = 0.2 * np.linalg.norm(np.linalg.pinv(A) @ b)
    res = st.lstsq(A, b, max_norm=r)
    assert res.success and res.nfact <= 10
    assert res.lam == pytest.approx(_lambda_reference(A, b, r), rel=1e-10)


@pytest.mark.parametrize("seed", range(6))
def test_random_shapes_agree_with_numpy(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(3, 40))
    n = int(rng.integers(1, m + 1))
    A, b = rng.standard_normal((m, n)), rng.standard_normal(m)
    ref = np.linalg.lstsq(A, b, rcond=None)[0]
    for method in ("qr", "svd", "cg"):
        np.testing.assert_allclose(st.lstsq(A, b, method=method).x, ref, atol=1e-8)
    r = 0.5 * np.linalg.norm(ref)
    res = st.lstsq(A, b, max_norm=r)
    assert np.linalg.norm(res.x) == pytest.approx(r, rel=1e-12)
    grad_L = A.T @ (A @ res.x - b) + 2 * res.lam * res.x
    assert np.linalg.norm(grad_L) <= 1e-9 * max(1.0, np.linalg.norm(A.T @ b))


@pytest.mark.parametrize("max_norm", [None, 0.5])
def test_result_is_a_scipy_optimize_result(max_norm):
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    res = st.lstsq(A, np.array([1.0, 2.0, 3.0]), max_norm=max_norm)
    assert isinstance(res, ScipyOptimizeResult) and "x" in res and "nfact" in res
    assert res.status is Status.SUCCESS and res.status == 0 and res.success
    assert res["lambda_method"] == (None if max_norm is None else "newton")


# --- bad inputs (issue 14, defect 6): one row per case -------------------------------------
_A = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
_B = np.array([1.0, 2.0, 3.0])
_STEEPEST = Path(st.__file__).parent

BAD_OPTIONS = [
    ("gd step negative", dict(method="gd", step=-1), ValueError, ["step", "pass step > 0"]),
    ("gd step zero", dict(method="gd", step=0.0), ValueError, ["step", "pass step > 0"]),
    ("gd step nan", dict(method="gd", step=np.nan), ValueError, ["step", "finite", "step > 0"]),
    ("gd step inf", dict(method="gd", step=np.inf), ValueError, ["step", "finite", "step > 0"]),
    ("gd step str", dict(method="gd", step="0.1"), TypeError, ["step", "pass a real number"]),
    ("tol negative", dict(method="gd", tol=-1e-8), ValueError, ["tol", "pass tol > 0"]),
    ("tol nan", dict(method="cg", tol=np.nan), ValueError, ["tol", "pass tol > 0"]),
    ("maxiter zero", dict(method="cg", maxiter=0), ValueError, ["maxiter", "maxiter >= 1"]),
    ("maxiter float", dict(method="gd", maxiter=10.5), TypeError, ["maxiter", "pass an int"]),
    ("rcond negative", dict(method="svd", rcond=-1.0), ValueError, ["rcond", "rcond >= 0"]),
    ("warn_cond zero", dict(method="normal", warn_cond=0), ValueError,
     ["warn_cond", "warn_cond > 0"]),
    ("lambda_step negative", dict(max_norm=0.5, lambda_method="ascent", lambda_step=-1.0),
     ValueError, ["lambda_step", "lambda_step > 0"]),
    ("max_norm negative", dict(max_norm=-1.0), ValueError, ["max_norm", "max_norm > 0"]),
    ("lambda_method misspelt", dict(lambda_method="ascend"), ValueError,
     ["lambda_method", "'newton', 'ascent'"]),
    ("x0 wrong length", dict(method="gd", x0=np.zeros(3)), ValueError, ["x0", "shape (2,)"]),
    ("x0 nan", dict(method="cg", x0=[np.nan, 0.0]), ValueError, ["x0", "pass finite values"]),
    ("method misspelt", dict(method="qrr"), ValueError, ["unknown method 'qrr'",
                                                        "did you mean 'qr'?"]),
]


@pytest.mark.parametrize(("kwargs", "exc", "fragments"), [c[1:] for c in BAD_OPTIONS],
                         ids=[c[0] for c in BAD_OPTIONS])
def test_lstsq_bad_option_is_rejected_at_the_boundary(kwargs, exc, fragments):
    with pytest.raises(exc) as info:
        st.lstsq(_A, _B, **kwargs)
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))
    raising = Path(str(info.traceback[-1].path))
    assert _STEEPEST in raising.parents, f"raised from {raising}, not by steepest"


@pytest.mark.parametrize(("step", "status"), [(-1.0, Status.DIVERGED), (-1e200, Status.NON_FINITE)])
def test_diverging_gd_stops_with_its_best_finite_point(step, status):
    # bypass the boundary check to drive the iteration itself unstable
    with np.errstate(all="ignore"):
        sol = _solve_gd(_A, _B, {"step": step, "maxiter": 1000})
    assert sol.status is status and sol.nit < 1000
    assert np.all(np.isfinite(sol.x)) and sol.x.tolist() == [0.0, 0.0]  # the start was best
    assert "diverged" in sol.message and "maxiter" not in sol.message


def test_a_misspelt_lstsq_method_suggests_the_closest():
    with pytest.raises(ValueError, match=r"unknown method 'qrr' \(did you mean 'qr'\?\); "
                                         r"choose one of \['cg', 'gd', 'newton'"):
        st.lstsq(np.eye(2), np.ones(2), method="qrr")
