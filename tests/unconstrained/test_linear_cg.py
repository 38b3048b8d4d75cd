"""Linear conjugate gradient: finite termination, orthogonality, conjugacy, preconditioning."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import OptimizeResult as ScipyOptimizeResult
from scipy.sparse.linalg import aslinearoperator

from steepest import Status
from steepest.unconstrained.linear_cg import (
    NotPositiveDefiniteError,
    conjugate_gradient,
)


def spd(n: int, cond: float, seed: int, eigenvalues: np.ndarray | None = None) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    eig = np.geomspace(1.0, cond, n) if eigenvalues is None else eigenvalues
    A = (q * eig) @ q.T
    return 0.5 * (A + A.T)


@given(
    n=st.integers(1, 40),
    seed=st.integers(0, 10_000),
    beta=st.sampled_from(["seed", "fletcher-reeves"]),
)
def test_solves_n_dimensional_spd_system_in_at_most_n_steps(n: int, seed: int, beta: str) -> None:
    # Finite termination is exact-arithmetic; rounding erodes it as cond(A) grows (a cond-100
    # matrix may take a few steps more than n), so this checks a well-conditioned family.
    A = spd(n, 10.0, seed)
    b = np.random.default_rng(seed + 1).standard_normal(n)
    r = conjugate_gradient(A, b, tol=1e-10, beta=beta)
    assert r.success and r.status is Status.SUCCESS
    assert r.nit <= n
    assert r.residual_norm <= 1e-9 * np.linalg.norm(b)
    x_star = np.linalg.solve(A, b)
    assert np.linalg.norm(r.x - x_star) <= 1e-8 * np.linalg.norm(x_star)


def test_k_distinct_eigenvalues_need_k_steps() -> None:
    eig = np.repeat([1.0, 3.0, 10.0, 40.0], 15)
    A = spd(60, 0.0, 4, eigenvalues=eig)
    r = conjugate_gradient(A, np.random.default_rng(5).standard_normal(60), tol=1e-12)
    assert r.success and r.nit <= 4


def test_residuals_orthogonal_and_directions_conjugate() -> None:
    n = 30
    A = spd(n, 10.0, 7)
    b = np.random.default_rng(8).standard_normal(n)
    for beta in ("seed", "fletcher-reeves"):
        r = conjugate_gradient(A, b, tol=1e-12, beta=beta, store_history=True)
        R, P = r.residuals, r.directions
        assert R.shape == (r.nit + 1, n) and P.shape == (r.nit, n)
        assert np.allclose(r.residual_norms, np.linalg.norm(R, axis=1))
        # In floating point, global orthogonality is lost gradually once Ritz values converge
        # (Paige 1976); it is checked while the residual is above 1e-6 ||r_0||.
        keep = r.residual_norms >= 1e-6 * r.residual_norms[0]
        R, P = R[keep], P[keep[:-1]]
        G = R @ R.T
        d = np.sqrt(np.diag(G))
        cos = G / np.outer(d, d)
        assert np.max(np.abs(cos - np.eye(len(d)))) < 1e-6  # r_i^T r_j = 0, i != j
        C = P @ A @ P.T
        s = np.sqrt(np.diag(C))
        assert np.max(np.abs(C / np.outer(s, s) - np.eye(len(s)))) < 1e-6  # p_i^T A p_j = 0


def test_each_step_is_an_exact_line_search_and_error_decreases_in_a_norm() -> None:
    n = 25
    A = spd(n, 1e3, 9)
    b = np.random.default_rng(10).standard_normal(n)
    x_star = np.linalg.solve(A, b)
    xs: list[np.ndarray] = []
    r = conjugate_gradient(A, b, tol=1e-12, store_history=True, callback=xs.append)
    assert len(xs) == r.nit
    for p, r_next in zip(r.directions, r.residuals[1:]):
        assert abs(p @ r_next) <= 1e-8 * np.linalg.norm(p) * np.linalg.norm(b)  # phi'(alpha) = 0
    errors = [float((x - x_star) @ A @ (x - x_star)) for x in [np.zeros(n), *xs]]
    assert np.all(np.diff(errors) <= 1e-12 * errors[0])


def test_jacobi_preconditioning_cuts_iterations_on_an_ill_conditioned_diagonal_problem() -> None:
    rng = np.random.default_rng(0)
    n = 200
    d = np.logspace(0, 6, n)
    rng.shuffle(d)
    E = rng.standard_normal((n, n))
    A = np.diag(d) + 0.001 * (E + E.T) * np.sqrt(np.outer(d, d))  # diagonal-dominated
    assert np.linalg.eigvalsh(A).min() > 0
    b = rng.standard_normal(n)
    plain = conjugate_gradient(A, b, tol=1e-8)
    jacobi = conjugate_gradient(A, b, tol=1e-8, M="jacobi")
    as_callable = conjugate_gradient(A, b, tol=1e-8, M=lambda v: v / np.diag(A))
    assert jacobi.success and jacobi.nit < plain.nit / 10
    assert as_callable.nit == jacobi.nit
    assert np.allclose(jacobi.x, np.linalg.solve(A, b), rtol=1e-6)


def test_matrix_free_sparse_and_linear_operator_inputs_agree() -> None:
    n = 50
    main, off = 4.0 * np.ones(n), -np.ones(n - 1)
    dense = np.diag(main) + np.diag(off, 1) + np.diag(off, -1)
    sparse = sp.diags([off, main, off], [-1, 0, 1], format="csr")
    b = np.random.default_rng(1).standard_normal(n)

    def matvec(v: np.ndarray) -> np.ndarray:
        out = 4.0 * v
        out[1:] -= v[:-1]
        out[:-1] -= v[1:]
        return out

    xs = [conjugate_gradient(A, b).x for A in (dense, sparse, aslinearoperator(sparse), matvec)]
    for x in xs[1:]:
        assert np.allclose(x, xs[0], rtol=1e-12, atol=1e-14)


def test_warm_start_and_zero_right_hand_side() -> None:
    A = spd(10, 10.0, 2)
    b = np.ones(10)
    exact = np.linalg.solve(A, b)
    warm = conjugate_gradient(A, b, x0=exact)
    assert warm.nit == 0 and warm.success
    zero = conjugate_gradient(A, np.zeros(10))
    assert zero.nit == 0 and np.array_equal(zero.x, np.zeros(10))


def test_indefinite_matrix_raises_or_returns_the_curvature_direction() -> None:
    A = np.diag([1.0, 2.0, -3.0])
    b = np.ones(3)
    with pytest.raises(NotPositiveDefiniteError, match="not positive definite"):
        conjugate_gradient(A, b)
    r = conjugate_gradient(A, b, on_indefinite="return")
    assert r.status is Status.NONPOSITIVE_CURVATURE and not r.success
    p = r.curvature_direction
    assert p is not None and p @ A @ p <= 0.0
    with pytest.raises(NotPositiveDefiniteError):
        conjugate_gradient(-np.eye(4), np.ones(4))


def test_max_iterations_and_nonfinite_are_reported() -> None:
    A = spd(30, 1e4, 3)
    b = np.ones(30)
    r = conjugate_gradient(A, b, maxiter=3)
    assert r.status is Status.MAX_ITER and r.nit == 3 and not r.success
    bad = conjugate_gradient(lambda v: v * np.nan, np.ones(3))
    assert bad.status is Status.NON_FINITE and np.all(np.isfinite(bad.x))


@pytest.mark.parametrize(
    ("A", "b", "kwargs", "match"),
    [
        (np.eye(3), np.ones(4), {}, "shape"),
        (np.eye(3), np.ones((3, 1)), {}, "1-D"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), np.ones(2), {}, "symmetric"),
        (np.eye(3), np.ones(3), {"x0": np.ones(2)}, "x0 has 2"),
        (lambda v: np.ones(2), np.ones(3), {}, "returned shape"),
        (np.eye(3), np.ones(3), {"M": "ilu"}, "preconditioner"),
        (np.diag([1.0, -1.0]), np.ones(2), {"M": "jacobi"}, "positive diagonal"),
        (np.eye(3), np.ones(3), {"beta": "polak"}, "beta"),
        (np.eye(3), np.ones(3), {"tol": -1.0}, "tol"),
        (np.eye(3), np.ones(3), {"on_indefinite": "ignore"}, "on_indefinite"),
    ],
)
def test_bad_input_raises_a_clear_error(A: object, b: np.ndarray, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        conjugate_gradient(A, b, **kwargs)


def test_non_operator_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="callable"):
        conjugate_gradient("A", np.ones(2))


def test_result_is_a_scipy_optimize_result():
    r = conjugate_gradient(spd(4, 10.0, 0), np.ones(4))
    assert isinstance(r, ScipyOptimizeResult) and "x" in r and "residual_norms" in r
    assert r.status is Status.SUCCESS and r.status == 0 and r["success"]
    assert r.message == "residual norm below tolerance"
