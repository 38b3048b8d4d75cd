import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.analysis import (
    SpectrumMethod,
    curvature_spectrum,
    directional_curvature,
    hessian_condition_number,
)

from ._problems import Quadratic, random_spd, random_symmetric


@given(st.integers(0, 10_000))
def test_directional_curvature_lies_between_extreme_eigenvalues(seed):
    rng = np.random.default_rng(seed)
    A = random_symmetric(5, seed)
    q = Quadratic(A, np.zeros(5))
    d = rng.standard_normal(5)
    c = directional_curvature(q.f, rng.standard_normal(5), d, hvp=q.hvp)
    lam = np.linalg.eigvalsh(A)
    assert lam[0] - 1e-12 <= c <= lam[-1] + 1e-12
    # scale invariant, and equal to the eigenvalue along an eigenvector
    assert directional_curvature(q.f, np.zeros(5), 3.0 * d, hvp=q.hvp) == pytest.approx(c)
    v = np.linalg.eigh(A)[1][:, 2]
    assert directional_curvature(q.f, np.zeros(5), v, hess=q.hess) == pytest.approx(lam[2])


def test_directional_curvature_rejects_zero_and_wrong_size():
    q = Quadratic(np.eye(2), np.zeros(2))
    with pytest.raises(ValueError, match="zero vector"):
        directional_curvature(q.f, [1.0, 1.0], [0.0, 0.0], hvp=q.hvp)
    with pytest.raises(ValueError, match="one entry per coordinate"):
        directional_curvature(q.f, [1.0, 1.0], [1.0], hvp=q.hvp)


def test_dense_spectrum_reconstructs_the_hessian():
    A = random_symmetric(6, 2)
    q = Quadratic(A, np.zeros(6))
    s = curvature_spectrum(q.f, np.ones(6), hess=q.hess)
    assert s.method is SpectrumMethod.DENSE and s.complete
    np.testing.assert_allclose((s.eigenvectors * s.eigenvalues) @ s.eigenvectors.T, A,
                               atol=1e-12)
    assert np.all(np.diff(s.eigenvalues) >= 0)


def test_hessian_from_hvp_columns_when_only_hvp_given():
    A = random_symmetric(4, 5)
    q = Quadratic(A, np.zeros(4))
    s = curvature_spectrum(q.f, np.ones(4), hvp=q.hvp, method="dense")
    np.testing.assert_allclose(s.eigenvalues, np.linalg.eigvalsh(A), atol=1e-12)


def test_lanczos_spectrum_never_forms_the_hessian_and_matches_eigh():
    A = random_spd(200, 11, cond=1e3)
    calls = {"hess": 0}

    def hess(x):  # pragma: no cover - must not be called
        calls["hess"] += 1
        return A

    q = Quadratic(A, np.zeros(200))
    s = curvature_spectrum(q.f, np.zeros(200), method="lanczos", hvp=q.hvp, tol=1e-12)
    lam = np.linalg.eigvalsh(A)
    assert s.method is SpectrumMethod.LANCZOS and not s.complete and s.converged
    assert calls["hess"] == 0 and 0 < s.n_hvp <= 200
    assert abs(s.lambda_min - lam[0]) <= 1e-8 and abs(s.lambda_max - lam[-1]) <= 1e-8


def test_condition_number_and_gd_steps():
    A = np.diag([2.0, 20.0, 200.0])
    q = Quadratic(A, np.zeros(3))
    c = hessian_condition_number(q.f, np.ones(3), hess=q.hess)
    assert c.condition_number == pytest.approx(100.0)
    assert c.positive_definite
    assert c.max_stable_step == pytest.approx(2.0 / 200.0)
    assert c.best_fixed_step == pytest.approx(2.0 / 202.0)
    assert c.contraction == pytest.approx(99.0 / 101.0)
    # gradient descent at the best fixed step contracts by exactly `contraction` per step
    x = np.array([1.0, 0.0, 1.0])
    for _ in range(5):
        x_new = x - c.best_fixed_step * q.grad(x)
        assert np.linalg.norm(x_new) <= c.contraction * np.linalg.norm(x) * (1 + 1e-12)
        x = x_new


def test_condition_number_of_indefinite_and_singular_hessians():
    q = Quadratic(np.diag([-4.0, 1.0, 2.0]), np.zeros(3))
    c = hessian_condition_number(q.f, np.ones(3), hess=q.hess)
    assert c.condition_number == pytest.approx(4.0) and not c.positive_definite
    assert np.isnan(c.best_fixed_step)
    s = Quadratic(np.diag([0.0, 1.0]), np.zeros(2))
    assert hessian_condition_number(s.f, np.ones(2), hess=s.hess).condition_number == np.inf
    big = Quadratic(np.diag(np.r_[-1.0, np.ones(500)]), np.zeros(501))
    with pytest.raises(ValueError, match="method='dense'"):
        hessian_condition_number(big.f, np.ones(501), hvp=big.hvp, method="lanczos")


def test_spectrum_rejects_unknown_method():
    q = Quadratic(np.eye(2), np.zeros(2))
    with pytest.raises(ValueError, match="method must be"):
        curvature_spectrum(q.f, np.ones(2), hess=q.hess, method="qr")


def test_user_hessian_is_evaluated_once_per_point_for_lanczos():
    A = random_spd(50, 4)
    calls = {"n": 0}

    def hess(x):
        calls["n"] += 1
        return A

    q = Quadratic(A, np.zeros(50))
    s = curvature_spectrum(q.f, np.ones(50), method="lanczos", hess=hess, tol=1e-12)
    assert calls["n"] == 1 and s.n_hvp > 1
    lam = np.linalg.eigvalsh(A)
    assert abs(s.lambda_max - lam[-1]) <= 1e-8 and abs(s.lambda_min - lam[0]) <= 1e-8
