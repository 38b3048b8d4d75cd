import numpy as np
import pytest

from steepest.analysis import lanczos_extremes

from ._problems import random_spd, random_symmetric


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lanczos_extremes_match_eigh_on_random_spd_n200(seed):
    A = random_spd(200, seed, cond=1e4)
    lam = np.linalg.eigvalsh(A)
    r = lanczos_extremes(lambda v: A @ v, 200, k=2, tol=1e-12, seed=seed)
    assert r.converged
    np.testing.assert_allclose(r.eigenvalues[:2], lam[:2], rtol=0, atol=1e-8)
    np.testing.assert_allclose(r.eigenvalues[-2:], lam[-2:], rtol=0, atol=1e-8)
    # Ritz vectors are unit eigenvectors with the reported residuals
    for theta, y, res in zip(r.eigenvalues, r.eigenvectors.T, r.residuals):
        assert np.linalg.norm(y) == pytest.approx(1.0, abs=1e-10)
        assert np.linalg.norm(A @ y - theta * y) <= res + 1e-9 * lam[-1]


def test_lanczos_on_indefinite_matrix_and_random_rank():
    A = random_symmetric(150, 7)
    lam = np.linalg.eigvalsh(A)
    r = lanczos_extremes(lambda v: A @ v, 150, tol=1e-12)
    np.testing.assert_allclose(r.eigenvalues, [lam[0], lam[-1]], atol=1e-8)
    assert r.iterations <= 150


def test_lanczos_stops_on_invariant_subspace():
    A = np.diag([1.0, 1.0, 1.0, 5.0, 5.0])  # two distinct eigenvalues: Krylov dim <= 2
    r = lanczos_extremes(lambda v: A @ v, 5)
    assert r.invariant and r.iterations <= 3
    np.testing.assert_allclose(r.eigenvalues[[0, -1]], [1.0, 5.0], atol=1e-12)


def test_lanczos_input_checks():
    with pytest.raises(ValueError, match="k must be"):
        lanczos_extremes(lambda v: v, 4, k=0)
    with pytest.raises(ValueError, match="nonzero"):
        lanczos_extremes(lambda v: v, 4, v0=np.zeros(4))
    with pytest.raises(ValueError, match="non-finite"):
        lanczos_extremes(lambda v: v * np.nan, 4)


def test_one_end_only_converges_sooner_and_returns_that_end():
    # a spectrum clustered near 0 with a well separated top: the top converges quickly
    lam = np.r_[np.linspace(1e-3, 1e-2, 299), 10.0]
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((300, 300)))
    A = (Q * lam) @ Q.T
    top = lanczos_extremes(lambda v: A @ v, 300, which="largest", tol=1e-12)
    both = lanczos_extremes(lambda v: A @ v, 300, which="both", tol=1e-12)
    assert top.eigenvalues.size == 1 and abs(top.eigenvalues[0] - 10.0) <= 1e-8
    assert top.iterations < both.iterations
    low = lanczos_extremes(lambda v: A @ v, 300, which="smallest", k=2, tol=1e-12)
    np.testing.assert_allclose(low.eigenvalues, lam[:2], atol=1e-8)
    with pytest.raises(ValueError, match="which must be"):
        lanczos_extremes(lambda v: A @ v, 300, which="middle")
