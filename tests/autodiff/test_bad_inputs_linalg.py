"""Bad input to the differentiable ``steepest.numpy.linalg`` facade: one row per case.

Non-square, wrong-ndim, singular and indefinite matrices get a LinAlgError raised by steepest
that names ``a`` and what to use instead, on plain arrays and under ``grad`` alike.
"""

from __future__ import annotations

import numpy as np

import steepest as st
import steepest.numpy as snp
from _bad_input import assert_clear_error, case, parametrize

LinAlgError = np.linalg.LinAlgError
M23 = np.ones((2, 3))
V3 = np.ones(3)
SINGULAR = np.zeros((2, 2))
SQUARE = ("needs a square matrix a", "(..., n, n)")
IS_SINGULAR = ("a is singular", "np.linalg.lstsq or np.linalg.pinv")
NOT_PD = ("a is not positive definite", "a + λI")


def _grad(fun, a):
    return lambda: st.grad(lambda m: np.sum(fun(m)))(a)


CASES = [
    case("inv of a rectangular matrix", lambda: snp.linalg.inv(M23), LinAlgError, *SQUARE,
         "got shape (2, 3)", "np.linalg.pinv"),
    case("inv of a vector", lambda: snp.linalg.inv(V3), LinAlgError, *SQUARE, "got shape (3,)"),
    case("inv of a singular matrix", lambda: snp.linalg.inv(SINGULAR), LinAlgError,
         "np.linalg.inv", *IS_SINGULAR),
    case("inv of a stack of singular matrices", lambda: snp.linalg.inv(np.zeros((3, 2, 2))),
         LinAlgError, *IS_SINGULAR),
    case("solve with a rectangular matrix", lambda: snp.linalg.solve(M23, np.ones(2)),
         LinAlgError, *SQUARE, "np.linalg.lstsq"),
    case("solve with a singular matrix", lambda: snp.linalg.solve(SINGULAR, np.ones(2)),
         LinAlgError, "np.linalg.solve", *IS_SINGULAR),
    case("solve with b of another length", lambda: snp.linalg.solve(np.eye(2), V3), ValueError,
         "b has shape (3,)", "pass b of shape (2,) or (2, k)"),
    case("solve with a 0-d b", lambda: snp.linalg.solve(np.eye(2), 1.0), ValueError,
         "b has shape ()", "pass b of shape (2,)"),
    case("det of a vector", lambda: snp.linalg.det(V3), LinAlgError, *SQUARE,
         "only square matrices have a determinant"),
    case("det of a rectangular matrix", lambda: snp.linalg.det(M23), LinAlgError, *SQUARE),
    case("slogdet of a vector", lambda: snp.linalg.slogdet(V3), LinAlgError, *SQUARE),
    case("cholesky of a negative-definite matrix", lambda: snp.linalg.cholesky(-np.eye(2)),
         LinAlgError, "np.linalg.cholesky", *NOT_PD),
    case("cholesky of a rectangular matrix", lambda: snp.linalg.cholesky(M23), LinAlgError,
         *SQUARE, "symmetric positive-definite"),
    case("eigh of a rectangular matrix", lambda: snp.linalg.eigh(M23), LinAlgError, *SQUARE,
         "pass a symmetric matrix"),
    case("eigvalsh of a vector", lambda: snp.linalg.eigvalsh(V3), LinAlgError, *SQUARE),
    case("norm ord 'fro' of a vector", lambda: snp.linalg.norm(V3, ord="fro"), ValueError,
         "ord='fro' is a matrix norm", "axis=(0, 1)"),
    case("norm ord 'nuc' of a vector", lambda: snp.linalg.norm(V3, ord="nuc"), ValueError,
         "ord='nuc' is a matrix norm"),
    case("full svd of a tall matrix under grad", _grad(lambda m: snp.linalg.svd(m)[0],
                                                        np.eye(3, 2)), ValueError,
         "full_matrices=True", "not unique", "pass full_matrices=False"),
    case("complete qr of a tall matrix under grad", _grad(
        lambda m: snp.linalg.qr(m, mode="complete")[0], np.eye(3, 2)), ValueError,
         "mode='complete'", "not unique", "use mode='reduced'"),
    case("raw qr under grad", _grad(lambda m: snp.linalg.qr(m, mode="raw")[0], np.eye(2)),
         ValueError, "mode='raw'", "use mode='reduced'"),
    case("lstsq of a stack", lambda: snp.linalg.lstsq(np.ones((2, 3, 2)), np.ones((2, 3))),
         LinAlgError, "2-D a", "np.linalg.pinv(a) @ b"),
    case("norm with three axes", lambda: snp.linalg.norm(np.ones((2, 2, 2)), axis=(0, 1, 2)),
         ValueError, "axis=(0, 1, 2)", "pass an int", "or a pair"),
    case("norm with a repeated axis", lambda: snp.linalg.norm(np.ones((2, 2)), 2, axis=(0, 0)),
         ValueError, "same axis twice", "axis=(-2, -1)"),
    case("norm of a 3-D array with ord and no axis", lambda: snp.linalg.norm(
        np.ones((2, 2, 2)), ord=2), ValueError, "explicit axis", "axis=(-2, -1)"),
    case("outer of matrices", lambda: snp.linalg.outer(np.ones((2, 2)), V3), ValueError,
         "two 1-D vectors", "np.outer"),
    case("multi_dot of one array", lambda: snp.linalg.multi_dot([V3]), ValueError,
         "at least two arrays"),
    case("grad of inv of a rectangular matrix", _grad(snp.linalg.inv, M23), LinAlgError,
         *SQUARE),
    case("grad of solve with a singular matrix", _grad(
        lambda m: snp.linalg.solve(m, np.ones(2)), SINGULAR), LinAlgError, *IS_SINGULAR),
    case("grad of det of a vector", _grad(snp.linalg.det, V3), LinAlgError, *SQUARE),
    case("grad of cholesky of an indefinite matrix", _grad(
        snp.linalg.cholesky, np.array([[1.0, 2.0], [2.0, 1.0]])), LinAlgError, *NOT_PD),
    case("grad of eigh of a rectangular matrix", _grad(
        lambda m: snp.linalg.eigh(m)[0], M23), LinAlgError, *SQUARE),
    case("eig of a rectangular matrix under grad", _grad(lambda m: snp.linalg.eig(m)[0], M23),
         LinAlgError, *SQUARE, "np.linalg.svd"),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)


def test_square_check_keeps_valid_calls_and_stacks():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    np.testing.assert_allclose(snp.linalg.solve(a, np.ones(2)), np.linalg.solve(a, np.ones(2)))
    stack = np.stack([a, 2 * a])
    np.testing.assert_allclose(snp.linalg.inv(stack), np.linalg.inv(stack))
    np.testing.assert_allclose(snp.linalg.solve(a, np.eye(2)), np.linalg.inv(a))
    assert snp.linalg.norm(np.ones(4), ord=1) == 4.0
