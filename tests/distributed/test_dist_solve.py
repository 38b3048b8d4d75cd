"""minimize, the analysis functions and checkpoints on a distributed finite sum."""

from __future__ import annotations

import io

import numpy as np
import pytest
from _dist_data import as_dask, logistic_data, multiclass_data, ship_by_value

import steepest as st
from steepest.distributed import minimize, model_sum, ridge_l2, sklearn_l2
from steepest.train import FiniteSum as InMemory
from steepest.train import load_checkpoint
from steepest.train.models import LinearRegression, LogisticRegression, SoftmaxRegression

sklearn = pytest.importorskip("sklearn.linear_model")


ship_by_value(__name__)



@pytest.fixture(scope="module")
def logistic(client):
    X, y = logistic_data()
    model = LogisticRegression(X.shape[1], l2=sklearn_l2(1.0, len(y)))
    C = model_sum(model, as_dask(X, y), cluster=client, stream=None)
    ref = sklearn.LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-14,
                                     max_iter=1000).fit(X, y)
    return C, model, ref


@pytest.mark.parametrize(("method", "gtol"), [("lbfgs", 1e-9), ("newton-cg", 1e-9),
                                             ("bfgs", 1e-7), ("trust-newton", 1e-7)])
def test_minimize_reaches_sklearns_logistic_regression(logistic, method, gtol):
    C, model, ref = logistic
    res = minimize(C, model.init(), method=method, tol=gtol, options={"ftol": 0.0},
                   progress=False)
    assert res.success, res.message
    assert np.max(np.abs(res.x["w"] - ref.coef_[0])) <= 1e3 * gtol
    assert abs(res.x["b"] - ref.intercept_[0]) <= 1e3 * gtol


def test_multinomial_matches_sklearn_to_1e_8(client):
    X, y = multiclass_data()
    model = SoftmaxRegression(X.shape[1], n_classes=3, l2=sklearn_l2(0.5, len(y)))
    C = model_sum(model, as_dask(X, y, chunks=100), cluster=client, stream=None)
    res = minimize(C, model.init(), method="newton-cg", tol=1e-12, options={"ftol": 0.0},
                   progress=False)
    ref = sklearn.LogisticRegression(C=0.5, solver="newton-cholesky", tol=1e-14,
                                     max_iter=1000).fit(X, y)
    assert np.max(np.abs(res.x["w"].T - ref.coef_)) <= 1e-8
    assert np.max(np.abs(res.x["b"] - ref.intercept_)) <= 1e-8


def test_linear_regression_is_ridge(client):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(400, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 3.0 + rng.normal(size=400)
    model = LinearRegression(3, l2=ridge_l2(5.0, 400))
    C = model_sum(model, as_dask(X, y, chunks=90), cluster=client, stream=None)
    res = minimize(C, model.init(), method="newton-cg", tol=1e-12, options={"ftol": 0.0},
                   progress=False)
    ref = sklearn.Ridge(alpha=5.0).fit(X, y)
    assert np.max(np.abs(res.x["w"] - ref.coef_)) <= 1e-8
    assert abs(res.x["b"] - ref.intercept_) <= 1e-8


def test_st_minimize_takes_the_sum_directly(logistic):
    C, model, ref = logistic
    res = st.minimize(C.value_and_grad, model.init(), method="lbfgs", jac=True, tol=1e-10,
                      options={"ftol": 0.0, "certify": False})
    assert res.success and np.max(np.abs(res.x["w"] - ref.coef_[0])) <= 1e-6


def test_analysis_on_distributed_hvps_equals_in_memory(logistic):
    C, model, ref = logistic
    x = {"w": ref.coef_[0].copy(), "b": np.array(ref.intercept_[0])}
    X, y = (np.asarray(a.compute()) for a in C.layout.leaves)
    mem = InMemory(model.loss, (X, y))
    spec = st.curvature_spectrum(C.value, x, method="lanczos", grad=C.grad, hvp=C.hvp, k=1)
    dense = st.curvature_spectrum(mem.value, x, method="dense")
    assert np.allclose(spec.eigenvalues[[0, -1]], dense.eigenvalues[[0, -1]], rtol=1e-9)
    kind = st.classify_critical_point(C.value, x, grad=C.grad, hvp=C.hvp, tol=1e-5)
    assert kind.kind.name.lower() == "minimum"
    cond = st.hessian_condition_number(C.value, x, grad=C.grad, hvp=C.hvp, method="lanczos")
    assert cond.condition_number == pytest.approx(
        dense.eigenvalues[-1] / dense.eigenvalues[0], rel=1e-8)


def test_progress_line_and_checkpoint_resume(logistic, tmp_path):
    """Three iterations, a checkpoint, then a resumed run that ends at sklearn's answer."""
    C, model, ref = logistic
    out = io.StringIO()
    ck = tmp_path / "run"
    first = minimize(C, model.init(), method="lbfgs", options={"maxiter": 3}, progress=True,
                     stream=out, checkpoint=ck)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 and lines[0].startswith("iter 1/3  f ") and "s/eval" in lines[0]
    assert lines[-1].endswith(str(first.message))
    saved = load_checkpoint(ck)
    assert saved.meta["nit"] == 3
    assert np.array_equal(saved.restore("params", model.init())["w"], first.x["w"])
    res = minimize(C, model.init(), method="lbfgs", tol=1e-9, progress=False, resume=ck,
                   options={"ftol": 0.0})
    assert res.success and np.max(np.abs(res.x["w"] - ref.coef_[0])) <= 1e-6


def test_progress_shows_iteration_f_gradient_and_seconds_per_evaluation(logistic):
    C, model, _ = logistic
    out = io.StringIO()
    res = minimize(C, model.init(), method="lbfgs", tol=1e-6, progress=True, stream=out)
    lines = out.getvalue().splitlines()
    rows = [ln for ln in lines if ln.startswith("iter ")]
    assert len(rows) == res.nit + 1  # a row per iteration, then the last one with the message
    first = rows[0].split()
    assert first[:2] == ["iter", "1"] and first[2] == "f" and first[4] == "|g|max"
    assert [int(r.split()[1]) for r in rows[:-1]] == list(range(1, res.nit + 1))
    assert "s/eval" in first and float(first[first.index("s/eval") + 1]) > 0
    assert rows[-1].endswith(str(res.message))
    assert float(rows[-1].split()[first.index("f") + 1]) == pytest.approx(res.fun, rel=1e-5)


def test_binary_logistic_matches_sklearn_to_1e_8(logistic):
    # the same objective as scikit-learn's: driven to a tight tolerance the coefficients agree
    # to 1e-8 (the looser tests above are bounded by their own gtol, not by the objective)
    C, model, ref = logistic
    res = minimize(C, model.init(), method="newton-cg", tol=1e-12, options={"ftol": 0.0},
                   progress=False)
    assert np.max(np.abs(res.x["w"] - ref.coef_[0])) <= 1e-8
    assert abs(res.x["b"] - ref.intercept_[0]) <= 1e-8
