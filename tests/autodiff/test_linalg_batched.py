"""``numpy.linalg`` on stacks ``(..., m, n)``: every function passes ``check_grads`` to order 2
in both modes on two batch shapes, through plain ``numpy``, and its values equal NumPy's."""

import numpy as np
import pytest

import steepest as st
import steepest.numpy as snp
from steepest.autodiff import check_grads

rng = np.random.default_rng(11)
BATCHES = [(2,), (2, 3)]
N = 3


def _sq(batch, n=N):
    return rng.standard_normal(batch + (n, n)) + 3 * np.eye(n)


def _spd(batch, n=N):
    a = rng.standard_normal(batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _rect(batch, m, n):
    return rng.standard_normal(batch + (m, n))


def _cases(batch):
    sq, spd = _sq(batch), _spd(batch)
    tall, wide = _rect(batch, 4, 2), _rect(batch, 2, 4)
    vec, mat = rng.standard_normal(N), rng.standard_normal(batch + (N, 2))
    return [
        ("inv", np.linalg.inv, (sq,)),
        ("solve-vector-b", np.linalg.solve, (sq, vec)),
        ("solve-matrix-b", np.linalg.solve, (sq, mat)),
        ("solve-stacked-vector-b", lambda a, b: np.linalg.solve(a, b[..., None])[..., 0],
         (sq, rng.standard_normal(batch + (N,)))),
        ("det", np.linalg.det, (sq,)),
        ("slogdet", lambda a: np.linalg.slogdet(a)[1], (sq,)),
        ("cholesky", np.linalg.cholesky, (spd,)),
        ("cholesky-upper", lambda a: np.linalg.cholesky(a, upper=True), (spd,)),
        ("eigh-values", lambda a: np.linalg.eigh(a)[0], (spd,)),
        ("eigh-vectors", lambda a: np.linalg.eigh(a)[1] ** 2, (spd,)),
        ("eigh-upper", lambda a: np.linalg.eigh(a, UPLO="U")[0], (spd,)),
        ("eigvalsh", np.linalg.eigvalsh, (spd,)),
        ("svdvals-square", lambda a: np.linalg.svd(a, compute_uv=False), (sq,)),
        ("svdvals-tall", lambda a: np.linalg.svd(a, compute_uv=False), (tall,)),
        ("svdvals-wide", np.linalg.svdvals, (wide,)),
        ("svd-square-full", lambda a: [f ** 2 for f in np.linalg.svd(a)], (sq,)),
        ("svd-tall-reduced", lambda a: [f ** 2 for f in np.linalg.svd(a, full_matrices=False)],
         (tall,)),
        ("svd-wide-reduced", lambda a: [f ** 2 for f in np.linalg.svd(a, full_matrices=False)],
         (wide,)),
        ("qr-tall", lambda a: list(np.linalg.qr(a)), (tall,)),
        ("qr-square-complete", lambda a: list(np.linalg.qr(a, mode="complete")), (sq,)),
        ("qr-wide", lambda a: list(np.linalg.qr(a)), (wide,)),
        ("qr-r", lambda a: np.linalg.qr(a, mode="r"), (tall,)),
        ("pinv-tall", np.linalg.pinv, (tall,)),
        ("pinv-wide", np.linalg.pinv, (wide,)),
        ("matrix_power", lambda a: np.linalg.matrix_power(a, 3), (sq,)),
        ("matrix_power-negative", lambda a: np.linalg.matrix_power(a, -2), (sq,)),
        ("norm-2", lambda a: np.linalg.norm(a, 2, axis=(-2, -1)), (tall,)),
        ("norm--2", lambda a: np.linalg.norm(a, -2, axis=(-2, -1)), (wide,)),
        ("norm-nuc", lambda a: np.linalg.norm(a, "nuc", axis=(-2, -1)), (tall,)),
        ("norm-nuc-moved-axes", lambda a: np.linalg.norm(a, "nuc", axis=(-1, 0)), (tall,)),
        ("norm-fro", lambda a: np.linalg.norm(a, "fro", axis=(-2, -1), keepdims=True),
         (tall,)),
        ("norm-1", lambda a: np.linalg.norm(a, 1, axis=(-2, -1)), (tall,)),
        ("norm-inf", lambda a: np.linalg.norm(a, np.inf, axis=(-2, -1)), (tall,)),
        ("norm-2-keepdims", lambda a: np.linalg.norm(a, 2, axis=(-2, -1), keepdims=True),
         (tall,)),
        ("norm-vector-axis", lambda a: np.linalg.norm(a, axis=-1), (tall,)),
        ("norm-vector-p", lambda a: np.linalg.norm(a, 3, axis=-2), (tall,)),
        ("norm-vector-1", lambda a: np.linalg.norm(a, 1, axis=0), (tall,)),
        ("matrix_norm", lambda a: np.linalg.matrix_norm(a, ord="nuc"), (wide,)),
        ("matrix_norm-fro", np.linalg.matrix_norm, (wide,)),
        ("vector_norm", lambda a: np.linalg.vector_norm(a, axis=(-2, -1), ord=3), (wide,)),
        ("vector_norm-all", lambda a: np.linalg.vector_norm(a, ord=1.5), (wide,)),
        ("cond", np.linalg.cond, (sq,)),
        ("cond-fro", lambda a: np.linalg.cond(a, "fro"), (sq,)),
        ("trace", np.linalg.trace, (sq,)),
        ("diagonal", lambda a: np.linalg.diagonal(a, offset=1), (sq,)),
        ("matmul", np.linalg.matmul, (sq, mat)),
        ("matrix_transpose", lambda a: np.linalg.matrix_transpose(a) * a, (sq,)),
        ("vecdot", np.linalg.vecdot, (sq, sq[..., ::-1])),
        ("cross", np.linalg.cross, (sq, sq[..., ::-1])),
        ("tensordot", lambda a, b: np.linalg.tensordot(a, b, axes=([-1, -2], [-2, -1])),
         (sq, sq[..., ::-1, :])),
        ("multi_dot", lambda a, b: np.linalg.multi_dot([vec, a.reshape(-1, N, N)[0], b.reshape(
            -1, N, N)[-1], a.reshape(-1, N, N)[-1], vec]), (sq, sq)),
        ("cross-axis", lambda a, b: np.linalg.cross(a, b, axis=-2), (sq, sq[..., ::-1, :])),
    ]


CASES = [(f"{name}{list(batch)}", f, args) for batch in BATCHES
         for name, f, args in _cases(batch)]


@pytest.mark.parametrize(("name", "f", "args"), CASES, ids=[c[0] for c in CASES])
def test_batched_linalg_passes_check_grads_to_second_order(name, f, args):
    check_grads(f, args, modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize(("name", "f", "args"), CASES, ids=[c[0] for c in CASES])
def test_batched_linalg_values_equal_numpy(name, f, args):
    got = st.value_and_grad(lambda *xs: _total(f(*xs)))(*args)[0]
    np.testing.assert_allclose(got, _total(f(*args)), rtol=1e-10)


def _total(out):
    return sum(np.sum(o) for o in out) if isinstance(out, list) else np.sum(out)


def test_unbatched_functions_of_numpy_linalg_on_matrices():
    a, v = _sq(()), rng.standard_normal(3)
    check_grads(lambda a: np.linalg.outer(a[0], v), (a,), order=2)
    check_grads(lambda a: np.linalg.tensorinv(np.reshape(a, (3, 3)), ind=1), (a,), order=2)
    t = rng.standard_normal((2, 3, 6)) + np.reshape(np.eye(6), (2, 3, 6))
    check_grads(lambda t, b: np.linalg.tensorsolve(t, b), (t, rng.standard_normal((2, 3))),
                order=2)
    np.testing.assert_allclose(snp.linalg.tensorsolve(t, np.ones((2, 3))),
                               np.linalg.tensorsolve(t, np.ones((2, 3))))


def test_matrix_rank_passes_through_on_traced_values():
    a = np.diag([1.0, 2.0, 0.0])
    assert st.value_and_grad(lambda m: np.sum(m) * np.linalg.matrix_rank(m))(a)[0] == 6.0


def test_gradients_of_the_stack_are_the_gradients_of_each_matrix():
    stack = _sq((2, 3))
    g = st.grad(lambda a: np.sum(np.linalg.slogdet(a)[1] + np.linalg.norm(a, "nuc", (-2, -1))))
    one = st.grad(lambda a: np.linalg.slogdet(a)[1] + np.linalg.norm(a, "nuc"))
    expected = np.stack([[one(m) for m in row] for row in stack])
    np.testing.assert_allclose(g(stack), expected, rtol=1e-12)


def test_eigvalsh_and_nuclear_norm_are_finite_at_repeated_and_zero_values():
    # d/dA Σ eigenvalues = I and d/dA tr(A²) = 2A hold at a repeated eigenvalue
    q = np.linalg.qr(rng.standard_normal((3, 3)))[0]
    a = q @ np.diag([2.0, 2.0, 5.0]) @ q.T
    np.testing.assert_allclose(st.grad(lambda m: np.sum(np.linalg.eigvalsh(m)))(a),
                               np.eye(3), atol=1e-12)
    # eigh reads the lower triangle: tr(S²) with S = tril(A) + tril(A, -1)ᵀ
    np.testing.assert_allclose(st.grad(lambda m: np.sum(np.linalg.eigh(m)[0] ** 2))(a),
                               2 * np.tril(a) + 2 * np.tril(a, -1), atol=1e-10)
    # the nuclear norm of a rank-deficient matrix: the subgradient U Vᵀ, not NaN
    r = np.diag([3.0, 1.0, 0.0])
    g = st.grad(lambda m: np.linalg.norm(m, "nuc"))(r)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g[:2, :2], np.eye(2))


def test_lstsq_and_pinv_agree_with_numpy_on_a_stack():
    a = _rect((2, 3), 4, 2)
    np.testing.assert_allclose(snp.linalg.pinv(a), np.linalg.pinv(a), atol=1e-12)
    x, res, rank, s = snp.linalg.lstsq(a[0, 0], np.ones(4))
    ref = np.linalg.lstsq(a[0, 0], np.ones(4))
    for got, want in zip((x, res, rank, s), ref):
        np.testing.assert_allclose(got, want, atol=1e-12)


def test_determinant_gradient_is_the_cofactor_matrix_at_singular_matrices_too():
    a = _sq((2, 3))
    np.testing.assert_allclose(st.grad(lambda m: np.sum(np.linalg.det(m)))(a),
                               np.linalg.det(a)[..., None, None] *
                               np.swapaxes(np.linalg.inv(a), -1, -2), rtol=1e-10)
    # rank 1: cof([[1, 2], [2, 4]]) = [[4, -2], [-2, 1]]; rank 2 of 3: the adjugate's transpose
    np.testing.assert_allclose(st.grad(np.linalg.det)(np.array([[1.0, 2.0], [2.0, 4.0]])),
                               [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    r = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    cof = np.array([[np.linalg.det(np.delete(np.delete(r, i, 0), j, 1)) * (-1) ** (i + j)
                     for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(st.grad(np.linalg.det)(r), cof, atol=1e-10)
    _, tangent = st.jvp(np.linalg.det, (r,), (np.eye(3),))
    np.testing.assert_allclose(tangent, np.trace(cof), atol=1e-10)
