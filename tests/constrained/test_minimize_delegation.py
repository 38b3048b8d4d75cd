"""steepest.minimize(..., constraints=/bounds=) delegates here and keeps the KKT certificate."""

import numpy as np
import pytest

import steepest as st
from steepest.constrained import ConstrainedResult, Eq, Ineq, L2Ball, ProjectedGradientResult
from steepest.problems.hock_schittkowski import hs71


def test_minimize_with_constraints_returns_certified_result():
    p = hs71()
    res = st.minimize(p.fun, p.x0, jac=p.jac, hess=p.hess, bounds=p.bounds,
                      constraints=p.constraints, tol=1e-10)
    assert isinstance(res, ConstrainedResult) and res.success and res.kkt.passed
    assert res.method == "sqp"  # minimize's default "bfgs" maps to SQP with damped BFGS
    np.testing.assert_allclose(res.alpha[:2], p.alpha_star[:2], atol=1e-7)


def test_minimize_with_projection_runs_projected_gradient():
    c = np.array([2.0, 1.0, -2.0])
    res = st.minimize(lambda x: np.sum((x - c) ** 2), np.zeros(3), constraints=L2Ball(1.0))
    assert isinstance(res, ProjectedGradientResult) and res.success
    np.testing.assert_allclose(res.x, c / 3.0, atol=1e-7)
    assert res.kkt.passed and res.alpha[0] == pytest.approx(2.0, rel=1e-6)  # ∇f + 2αx = 0


def test_minimize_with_bounds_only_and_autodiff():
    res = st.minimize(lambda x: (x[0] - 3) ** 2 + (x[1] + 1) ** 2, np.zeros(2), method="newton",
                      bounds=[(0, 1), (0, 1)])
    np.testing.assert_allclose(res.x, [1.0, 0.0], atol=1e-10)
    assert res.active_set == ["x[0] <= 1", "x[1] >= 0"]
    np.testing.assert_allclose(res.alpha, [0.0, 4.0, 2.0, 0.0], atol=1e-9)


def test_jac_true_and_hessp_are_accepted():
    def fg(x):
        return x @ x, 2 * x

    res = st.minimize(fg, np.array([2.0, 0.5]), jac=True, method="newton",
                      hessp=lambda x, v: 2 * v,
                      constraints=[Eq(lambda x: x[0] + x[1] - 1, jac=lambda x: np.ones(2))])
    np.testing.assert_allclose(res.x, [0.5, 0.5], atol=1e-10)
    assert res.lam[0] == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="jac"):
        st.minimize(lambda x: x @ x, np.ones(2), jac="4-point",
                    constraints=[Ineq(lambda x: 1 - x[0])])
    # scipy's differences are accepted with constraints too (the scipy tutorial's trust-constr
    # call uses jac="2-point"): the same answer as autodiff's
    fd = st.minimize(lambda x: (x[0] - 2) ** 2 + x[1] ** 2, np.zeros(2), jac="2-point",
                     constraints=[Ineq(lambda x: x[0] - 1)])
    np.testing.assert_allclose(fd.x, [1.0, 0.0], atol=1e-6)
    assert fd.alpha[0] == pytest.approx(2.0, abs=1e-5)


def test_augmented_lagrangian_uses_steepest_inner_solver():
    res = st.minimize(lambda x: x[0] + x[1], np.array([1.0, -2.0]), method="lbfgs",
                      constraints=[Eq(lambda x: 0.5 * x @ x - 16.0)],
                      options={"polish": False}, tol=1e-7)
    assert res.method == "augmented-lagrangian" and "via steepest" in res.message
    np.testing.assert_allclose(res.x, [-4.0, -4.0], atol=1e-6)


def test_pytree_parameters():
    target = {"w": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": np.array([2.0])}

    def f(p):
        return np.sum((p["w"] - target["w"]) ** 2) + np.sum((p["b"] - target["b"]) ** 2)

    x0 = {"w": np.zeros((2, 2)), "b": np.zeros(1)}
    ball = Ineq(lambda p: np.sum(p["w"] ** 2) + np.sum(p["b"] ** 2) - 1.0, name="ball")
    res = st.minimize(f, x0, constraints=[ball], tol=1e-9)
    flat_t = np.concatenate([target["b"], target["w"].ravel()])  # leaf order: sorted keys
    norm = np.linalg.norm(flat_t)
    np.testing.assert_allclose(res.x["w"], target["w"] / norm, atol=1e-7)
    np.testing.assert_allclose(res.x["b"], target["b"] / norm, atol=1e-7)
    assert res.alpha[0] == pytest.approx(norm - 1.0, rel=1e-6)  # 2(x − t) + 2αx = 0
    assert isinstance(res.jac, dict) and res.kkt.passed
    with pytest.raises(ValueError, match="pytree"):
        st.minimize(f, x0, hess=lambda p: np.eye(5), constraints=[ball])
