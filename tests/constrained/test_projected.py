"""Projected gradient: reaches constrained minima with a vanishing gradient mapping."""

import importlib.util
import pathlib

import numpy as np
import pytest

from steepest import Status
from steepest import minimize as st_minimize
from steepest.constrained import (
    Affine,
    Box,
    Eq,
    Hyperplane,
    Ineq,
    L1Ball,
    L2Ball,
    Simplex,
    minimize_constrained,
    projected_gradient,
)

rng = np.random.default_rng(0)
M = rng.standard_normal((6, 4))
Q = M.T @ M + 0.5 * np.eye(4)
C = rng.standard_normal(4) * 3


def f(x):
    return 0.5 * x @ Q @ x - C @ x


def jac(x):
    return Q @ x - C


def _optimal_by_variational_inequality(P, x, samples):
    """x minimizes a convex f on S iff ⟨∇f(x), y − x⟩ ≥ 0 for all y ∈ S."""
    return np.all((samples - x) @ jac(x) >= -1e-6)


SETS = [Box(-0.5, 0.5), L2Ball(1.0), L1Ball(1.0), Simplex()]


@pytest.mark.parametrize("P", SETS, ids=lambda P: type(P).__name__)
@pytest.mark.parametrize("step", ["bb", "armijo", "fixed"])
def test_projected_gradient_reaches_constrained_minimum(P, step):
    opts = {"step": 1.0 / np.linalg.eigvalsh(Q)[-1]} if step == "fixed" else {"step": step}
    res = projected_gradient(f, np.ones(4) * 3, P, jac=jac, tol=1e-7, options=opts)
    assert res.success and res.gradient_mapping <= 1e-7
    assert P.contains(res.x, tol=1e-12)
    samples = np.array([P(y) for y in np.random.default_rng(1).standard_normal((300, 4)) * 3])
    assert _optimal_by_variational_inequality(P, res.x, samples)
    fs = [f(p) for p in res.path]
    assert all(b <= a + 1e-12 for a, b in zip(fs, fs[1:]))  # monotone descent


def test_fixed_step_too_large_does_not_converge():
    big = 2.5 / np.linalg.eigvalsh(Q)[-1]
    res = projected_gradient(f, np.ones(4) * 3, L2Ball(10.0), jac=jac,
                             options={"step": big, "maxiter": 300})
    assert res.status is Status.MAX_ITER and not res.success


def test_tangent_space_variant_on_affine_set():
    A = np.array([[1.0, 1.0, 1.0, 1.0], [1.0, -1.0, 0.0, 2.0]])
    b = np.array([1.0, 0.5])
    P = Affine(A, b)
    res_t = projected_gradient(f, np.zeros(4), P, jac=jac, options={"variant": "tangent"},
                               tol=1e-10)
    res_p = projected_gradient(f, np.zeros(4), P, jac=jac, tol=1e-10)
    # the equality-constrained QP solved exactly by its KKT system
    K = np.block([[Q, A.T], [A, np.zeros((2, 2))]])
    x_star = np.linalg.solve(K, np.concatenate([C, b]))[:4]
    for res in (res_t, res_p):
        np.testing.assert_allclose(res.x, x_star, atol=1e-9)
    # every iterate of the tangent variant stays on the set
    assert max(np.abs(A @ p - b).max() for p in res_t.path) < 1e-12


def test_tangent_variant_on_hyperplane_and_rejects_balls():
    a = np.array([1.0, 2.0, 0.0, -1.0])
    res = projected_gradient(f, np.zeros(4), Hyperplane(a, 1.0), jac=jac,
                             options={"variant": "tangent"})
    assert res.success and abs(a @ res.x - 1.0) < 1e-12
    with pytest.raises(ValueError, match="Affine"):
        projected_gradient(f, np.zeros(4), L2Ball(1.0), jac=jac, options={"variant": "tangent"})


def test_through_minimize_constrained_with_projection_and_bounds():
    res = minimize_constrained(f, np.zeros(4), jac=jac, constraints=L2Ball(0.5))
    assert res.success and np.linalg.norm(res.x) == pytest.approx(0.5)
    sqp = minimize_constrained(f, np.zeros(4), jac=jac, hess=lambda x: Q,
                               constraints=[Ineq(lambda x: x @ x - 0.25, jac=lambda x: 2 * x,
                                                 hess=lambda x, v: 2 * v[0] * np.eye(4))])
    np.testing.assert_allclose(res.x, sqp.x, atol=1e-7)
    box = minimize_constrained(f, np.zeros(4), jac=jac, method="projected-gradient",
                               bounds=(-0.1, 0.1))
    assert box.success and np.all(np.abs(box.x) <= 0.1)
    assert box["success"] and box["x"] is box.x


@pytest.mark.parametrize("kwargs, err", [
    (dict(constraints=L2Ball(1.0), bounds=(0, 1)), ValueError),
    (dict(method="projected-gradient"), TypeError),
    (dict(constraints=Box(0, 1), options={"step": -1.0}), ValueError),
    (dict(constraints=Box(0, 1), options={"variant": "mirror"}), ValueError),
])
def test_bad_input(kwargs, err):
    with pytest.raises(err):
        minimize_constrained(f, np.zeros(4), jac=jac, **kwargs)


def test_reparametrization_example_matches_sqp():
    path = pathlib.Path(__file__).parents[2] / "examples" / "reparametrize_circle.py"
    spec = importlib.util.spec_from_file_location("reparametrize_circle", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    x_rep, nit = mod.minimize_on_circle()
    assert nit < 10_000 and np.linalg.norm(x_rep) == pytest.approx(1.0)
    res = minimize_constrained(mod.f, np.array([1.0, 0.0]), jac=mod.grad_f,
                               hess=lambda x: mod.C,
                               constraints=[Eq(lambda x: x @ x - 1.0, jac=lambda x: 2 * x,
                                               hess=lambda x, v: 2 * v[0] * np.eye(2))])
    np.testing.assert_allclose(x_rep, res.x, atol=1e-10)
    # ∇f is normal to the circle at the optimum: ∇f + 2λx = 0
    np.testing.assert_allclose(mod.grad_f(res.x), -2 * res.lam[0] * res.x, atol=1e-10)


@pytest.mark.parametrize("P", [L2Ball(0.5), Simplex(), Box(-0.2, 0.3),
                               Affine(np.ones((1, 4)), [0.5])], ids=lambda P: type(P).__name__)
def test_certificate_multipliers_match_sqp(P):
    from steepest.constrained.certificate import as_constraints

    res = projected_gradient(f, np.ones(4), P, jac=jac, tol=1e-10)
    assert res.kkt is not None and res.kkt.passed
    eqs, ineqs = as_constraints(P, 4)
    sqp = minimize_constrained(f, P(np.ones(4)), jac=jac, hess=lambda x: Q,
                               constraints=[*eqs, *ineqs], tol=1e-11)
    np.testing.assert_allclose(res.x, sqp.x, atol=1e-8)
    np.testing.assert_allclose(res.lam, sqp.lam, atol=1e-6)
    np.testing.assert_allclose(res.alpha, sqp.alpha, atol=1e-6)


def test_certificate_absent_for_l1_ball_and_present_for_products():
    assert projected_gradient(f, np.ones(4), L1Ball(1.0), jac=jac).kkt is None
    from steepest.constrained import Product

    res = projected_gradient(f, np.ones(4), Product([Simplex(), L2Ball(0.3)], [2, 2]), jac=jac,
                             tol=1e-10)
    assert res.kkt.passed and res.lam.size == 1 and res.alpha.size == 3


def test_barzilai_borwein_trial_step_saves_evaluations():
    for P in SETS:
        bb = projected_gradient(f, np.ones(4) * 3, P, jac=jac, tol=1e-9)
        plain = projected_gradient(f, np.ones(4) * 3, P, jac=jac, tol=1e-9,
                                   options={"step": "armijo"})
        assert bb.success and bb.nfev < plain.nfev


def test_disp_prints_the_gradient_mapping_per_iteration(capsys):
    res = st_minimize(lambda x: np.sum((x - 2.0) ** 2), np.zeros(3), constraints=L2Ball(1.0),
                      options={"disp": 1, "step": "armijo"})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["iter", "f(x)", "|G|"]
    rows = [ln.split() for ln in lines[1:] if ln.split() and ln.split()[0].isdigit()]
    assert [int(r[0]) for r in rows] == list(range(res.nit + 1))
    assert float(rows[0][1]) == pytest.approx(12.0)
    assert float(rows[-1][1]) == pytest.approx(res.fun, rel=1e-5)
    assert float(rows[-1][2]) <= 1e-8 and any(res.message in ln for ln in lines)
