"""With jac/hess omitted, derivatives come from steepest.autodiff and give the same answers."""

import numpy as np
import pytest

import steepest as st
from steepest.constrained import (
    Eq,
    Ineq,
    kkt_check,
    lagrangian,
    maximize_constrained,
    minimize_constrained,
)
from steepest.problems.hock_schittkowski import hs_problems

PROBLEMS = {p.name: p for p in hs_problems()}


def _strip(constraints):
    """The same constraints without any user derivatives."""
    return [type(c)(c.fun, name=c.name, linear=c.linear) for c in constraints]


@pytest.mark.parametrize("method", ["sqp", "augmented-lagrangian"])
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_hs_with_autodiff_matches_analytic(name, method):
    p = PROBLEMS[name]
    ad = minimize_constrained(p.fun, p.x0, method=method, bounds=p.bounds,
                              constraints=_strip(p.constraints), tol=1e-10)
    ref = minimize_constrained(p.fun, p.x0, method=method, jac=p.jac, hess=p.hess,
                               bounds=p.bounds, constraints=p.constraints, tol=1e-10)
    assert ad.success and ad.nhev > 0
    np.testing.assert_allclose(ad.x, ref.x, atol=1e-10)
    np.testing.assert_allclose(ad.lam, ref.lam, atol=1e-9)
    np.testing.assert_allclose(ad.alpha, ref.alpha, atol=1e-9)


def test_seed_examples_with_plain_numpy_functions():
    res = maximize_constrained(lambda x: x[0] + x[1], np.array([1.0, 2.0]),
                               constraints=[Eq(lambda x: 0.5 * x @ x - 16.0)])
    np.testing.assert_allclose(res.x, [4.0, 4.0], atol=1e-10)
    assert res.lam[0] == pytest.approx(-0.25, abs=1e-10)
    res = maximize_constrained(lambda x: x[0] * x[1] + x[1] * x[2], np.zeros(3),
                               constraints=[Eq(lambda x: x[0] + 2 * x[1] - 6),
                                            Eq(lambda x: x[0] - 3 * x[2])])
    np.testing.assert_allclose(res.x, [3.0, 1.5, 1.0], atol=1e-10)
    np.testing.assert_allclose(res.lam, [-2.0, 0.5], atol=1e-10)
    assert res.kkt.passed


def test_lagrangian_is_differentiable_in_x_and_multipliers():
    rng = np.random.default_rng(0)
    A, b = rng.standard_normal((6, 3)), rng.standard_normal(6)
    L = lagrangian(lambda x: 0.5 * np.sum((A @ x - b) ** 2), ineqs=[lambda x: x @ x - 1.0])
    x, lam = rng.standard_normal(3), np.array([0.7])
    # eq. 4.25: ∇ₓL = AᵀAx − Aᵀb + 2λx ;  eq. 4.27: ∂L/∂λ = xᵀx − 1
    np.testing.assert_allclose(st.grad(lambda z: L(z, None, lam))(x),
                               A.T @ (A @ x - b) + 2 * lam[0] * x, rtol=1e-12)
    np.testing.assert_allclose(st.grad(lambda a: L(x, None, a))(lam), [x @ x - 1.0],
                               rtol=1e-12)
    np.testing.assert_allclose(st.hessian(lambda z: L(z, None, lam))(x),
                               A.T @ A + 2 * lam[0] * np.eye(3), atol=1e-12)


def test_kkt_check_with_autodiff_gradients():
    rep = kkt_check(lambda x: x[0] + x[1], np.array([4.0, 4.0]), lam=[-0.25],
                    eqs=[lambda x: 0.5 * x @ x - 16.0], maximize=True, tol=1e-12)
    assert rep.passed
    h = Ineq(lambda x: 1.0 - x[0] * x[1])
    rep = kkt_check(lambda x: x @ x, np.array([1.0, 1.0]), alpha=[2.0], ineqs=[h], tol=1e-12)
    assert rep.passed


def test_projected_gradient_with_autodiff():
    from steepest.constrained import Simplex, projected_gradient

    c = np.array([0.1, 0.5, 0.2, 0.9])
    res = projected_gradient(lambda x: np.sum((x - c) ** 2), np.ones(4) / 4, Simplex(),
                             tol=1e-10)
    np.testing.assert_allclose(res.x, Simplex()(c), atol=1e-9)
