"""Differentiable ``numpy.linalg`` (exposed as :mod:`steepest.numpy.linalg`), built on the
primitives of :mod:`steepest.autodiff.rules.linalg` and registered in the one dispatch table.

Results with several parts keep NumPy's named-tuple types (``EighResult``, ``SVDResult``,
``QRResult``, ``SlogdetResult``), so unpacking code works unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._dispatch import implements, is_traced
from ..arraylike import NonDifferentiable
from ..rules import eig as eig_rules
from ..rules import linalg as linalg_rules
from ..rules import reduce as reduce_rules
from ..rules.broadcast import reshape
from ..rules.products import matmul
from ..rules.shape import concatenate
from ..tracing import getval, shape_of
from .linalg_api import *  # noqa: F403
from .linalg_api import __all__ as _api_all
from .linalg_norms import *  # noqa: F403
from .linalg_norms import __all__ as _norms_all

__all__ = ["solve", "inv", "det", "slogdet", "cholesky", "eigh", "eigvalsh", "svd", "qr",
           "pinv", "matrix_power", "lstsq", "eig", "eigvals", *_norms_all, *_api_all]


def _real(a: Any, name: str) -> None:
    if np.iscomplexobj(getval(a)):
        raise TypeError(f"np.linalg.{name} on complex input is not differentiable in steepest; "
                        "work with the real and imaginary parts as real matrices")


_SINGULAR = ("a is singular (or numerically so), so there is no unique solution; for a "
             "least-squares or minimum-norm answer use np.linalg.lstsq or np.linalg.pinv")
_NOT_PD = ("a is not positive definite; pass a symmetric positive-definite matrix (e.g. add "
           "a multiple of the identity, a + λI) or use np.linalg.eigh")


def _square(a: Any, name: str, fix: str) -> int:
    """``n`` for a square ``a`` of shape ``(..., n, n)``, else a LinAlgError naming ``a``."""
    shape = shape_of(a)
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise np.linalg.LinAlgError(
            f"np.linalg.{name} needs a square matrix a (or a stack of them, shape (..., n, n)), "
            f"got shape {shape}; {fix}")
    return shape[-1]


def _explained(name: str, why: str) -> np.linalg.LinAlgError:
    """NumPy's LinAlgError of ``np.linalg.<name>`` restated with ``why`` (the cause and fix)."""
    return np.linalg.LinAlgError(f"np.linalg.{name}: {why}")


@implements(np.linalg.solve)
def solve(a: Any, b: Any) -> Any:
    """Solve ``a x = b`` with NumPy 2's rule: ``b`` is a vector when 1-D, else ``(..., n, k)``.

    ``a`` may be a stack ``(..., n, n)``; ``x̄_b = a⁻ᵀ x̄``, ``x̄_a = −a⁻ᵀ x̄ xᵀ``.
    """
    n = _square(a, "solve", "for a rectangular system use np.linalg.lstsq")
    b_shape = shape_of(b)
    rows = b_shape[0] if len(b_shape) == 1 else b_shape[-2] if b_shape else None
    if rows != n:
        raise ValueError(f"np.linalg.solve: b has shape {b_shape} but a is {shape_of(a)}; pass "
                         f"b of shape ({n},) or ({n}, k) (a stack: (..., {n}, k))")
    try:
        if len(b_shape) == 1:
            return linalg_rules.solve(a, reshape(b, (n, 1)))[..., 0]
        return linalg_rules.solve(a, b)
    except np.linalg.LinAlgError as exc:
        raise _explained("solve", _SINGULAR) from exc


@implements(np.linalg.inv)
def inv(a: Any) -> Any:
    """Matrix inverse; ``d(A⁻¹) = −A⁻¹ dA A⁻¹``."""
    _square(a, "inv", "for a rectangular matrix use np.linalg.pinv")
    try:
        return linalg_rules.inv(a)
    except np.linalg.LinAlgError as exc:
        raise _explained("inv", _SINGULAR) from exc


@implements(np.linalg.det)
def det(a: Any) -> Any:
    """Determinant; ``d det A = det A · tr(A⁻¹ dA)``."""
    _square(a, "det", "only square matrices have a determinant")
    return linalg_rules.det(a)


_slogdet_sign = NonDifferentiable(lambda a: np.linalg.slogdet(a)[0])  # batched under vmap
_matrix_rank = NonDifferentiable(np.linalg.matrix_rank)


@implements(np.linalg.slogdet)
def slogdet(a: Any) -> Any:
    """``(sign, log|det a|)``; the sign carries no derivative."""
    _square(a, "slogdet", "only square matrices have a determinant")
    sign = _slogdet_sign(getval(a))
    return np.linalg._linalg.SlogdetResult(sign, linalg_rules.logabsdet(a))


@implements(np.linalg.cholesky)
def cholesky(a: Any, upper: bool = False) -> Any:
    """Cholesky factor of a symmetric positive-definite matrix (or stack): lower ``L`` with
    ``a = L Lᵀ``, or upper ``Lᵀ`` with ``upper=True``; reads the lower (upper) triangle only,
    so the derivative lands there (Murray 2016)."""
    _square(a, "cholesky", "pass a symmetric positive-definite matrix")
    try:
        low = linalg_rules.cholesky(linalg_rules.T(a) if upper else a)
    except np.linalg.LinAlgError as exc:
        raise _explained("cholesky", _NOT_PD) from exc
    return linalg_rules.T(low) if upper else low


@implements(np.linalg.eigh)
def eigh(a: Any, UPLO: str = "L") -> Any:
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix (or a stack of them).

    Only the lower triangle is read (the upper with ``UPLO="U"``), so the derivative lands on
    it. Eigenvectors are differentiable only where the eigenvalues are distinct: at an exactly
    repeated eigenvalue the coupling of the tied pair is dropped, which keeps derivatives of
    functions of the eigenvalues and of eigenspace projectors right, while derivatives of
    individual eigenvectors there are meaningless (the eigenvectors are not unique).
    """
    _real(a, "eigh")
    _square(a, "eigh", "pass a symmetric matrix")
    if UPLO != "L":
        a = linalg_rules.T(a)
    packed = linalg_rules.eigh_packed(a)
    return np.linalg._linalg.EighResult(packed[..., 0, :], packed[..., 1:, :])


@implements(np.linalg.eigvalsh)
def eigvalsh(a: Any, UPLO: str = "L") -> Any:
    """Eigenvalues of a symmetric matrix (or stack); ``dw_i = v_iᵀ da v_i``, finite (and right
    for symmetric functions of ``w``) at repeated eigenvalues too."""
    _real(a, "eigvalsh")
    _square(a, "eigvalsh", "pass a symmetric matrix")
    return linalg_rules.eigvalsh(a if UPLO == "L" else linalg_rules.T(a))


@implements(np.linalg.svd)
def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False
        ) -> Any:
    """SVD of a matrix or a stack ``(..., m, n)``; derivatives assume distinct non-zero
    singular values (``compute_uv=False`` only distinct ones, see ``svdvals``).

    ``full_matrices=True`` on a non-square traced input raises: the extra columns of ``U``
    (or rows of ``Vh``) span the orthogonal complement but are not unique, so they have no
    derivative; pass ``full_matrices=False`` and use ``I − U Uᵀ`` for the complement.
    """
    if not is_traced(a):
        return np.linalg.svd(a, full_matrices, compute_uv, hermitian)
    _real(a, "svd")
    shape = shape_of(a)
    if len(shape) < 2:
        raise np.linalg.LinAlgError(f"np.linalg.svd needs a matrix a (or a stack of them, "
                                    f"shape (..., m, n)), got shape {shape}")
    if not compute_uv:
        return linalg_rules.svdvals(a)
    if full_matrices and shape[-1] != shape[-2]:
        raise ValueError(
            f"np.linalg.svd(a, full_matrices=True) of a traced {shape[-2]}×{shape[-1]} matrix: "
            "the extra singular vectors are not unique and have no derivative; pass "
            "full_matrices=False (and I - U @ U.T for the orthogonal complement)")
    u, s, vh = linalg_rules.svd_unpack(linalg_rules.svd_packed(a), *shape[-2:])
    return np.linalg._linalg.SVDResult(u, s, vh)


@implements(np.linalg.qr)
def qr(a: Any, mode: str = "reduced") -> Any:
    """QR of a matrix or stack ``(..., m, n)`` with full rank, in modes ``reduced``, ``r`` and
    ``complete`` (the last for ``m ≤ n`` only, where it equals ``reduced``).

    A wide ``a = [X Y]`` (``m < n``) is ``Q [R_X  Qᵀ Y]`` with ``X = Q R_X`` the QR of its first
    ``m`` columns, so its derivative follows from the square case (Walter & Lehmann 2018).
    """
    if not is_traced(a):
        return np.linalg.qr(a, mode)
    m, n = shape_of(a)[-2:]
    if mode not in ("reduced", "r", "complete") or (mode == "complete" and m > n):
        raise ValueError(
            f"np.linalg.qr(mode={mode!r}) of a traced {m}×{n} matrix is not differentiable: "
            "the extra columns of a complete Q are not unique and mode='raw' is LAPACK's "
            "storage; use mode='reduced' or 'r'")
    if m < n:
        q, r = qr(a[..., :, :m])
        r = concatenate(r, matmul(linalg_rules.T(q), a[..., :, m:]), axis=-1)
    else:
        packed = linalg_rules.qr_packed(a)
        q, r = packed[..., :m, :], packed[..., m:, :]
    return r if mode == "r" else np.linalg._linalg.QRResult(q, r)


@implements(np.linalg.pinv)
def pinv(a: Any, rcond: Any = None, hermitian: bool = False, **kwargs: Any) -> Any:
    """Moore–Penrose pseudo-inverse (derivative valid where the rank is locally constant)."""
    return linalg_rules.pinv(a)


@implements(np.linalg.lstsq)
def lstsq(a: Any, b: Any, rcond: Any = None) -> Any:
    """Least-squares solution ``x = a⁺ b`` with NumPy's ``(x, residuals, rank, s)`` result.

    Differentiable in ``a`` and ``b`` where the rank is locally constant. Like NumPy's, it
    takes a 2-D ``a`` only (NumPy does not batch ``lstsq``); for a stack use
    ``np.linalg.pinv(a) @ b`` or ``np.linalg.solve(aᵀa, aᵀb)``.
    """
    if len(shape_of(a)) != 2 or len(shape_of(b)) not in (1, 2):
        raise np.linalg.LinAlgError(
            f"np.linalg.lstsq takes a 2-D a and a 1-D or 2-D b, got shapes {shape_of(a)} and "
            f"{shape_of(b)}; for a stack use np.linalg.pinv(a) @ b")
    x = matmul(linalg_rules.pinv(a), b)
    m, n = shape_of(a)
    rank = int(_matrix_rank(getval(a)))
    r = matmul(a, x) - b
    residuals = reduce_rules.sum(r * r, axis=0) if rank == n and m > n else np.empty((0,))
    if len(shape_of(b)) == 1 and rank == n and m > n:
        residuals = reshape(residuals, (1,))
    return x, residuals, rank, svd(a, compute_uv=False)


@implements(np.linalg.matrix_power)
def matrix_power(a: Any, n: int) -> Any:
    """``a`` multiplied by itself ``n`` times (``n ≥ 0``), or of its inverse for ``n < 0``."""
    if n < 0:
        return matrix_power(inv(a), -n)
    out = np.broadcast_to(np.eye(shape_of(a)[-1]), shape_of(a))
    for _ in range(n):
        out = matmul(out, a)
    return out


def _eig_parts(a: Any, name: str) -> tuple[Any, Any, bool]:
    """``(w, V)`` as real/imaginary pairs of a general real ``a``, and whether all are real."""
    _real(a, name)
    _square(a, name, "for a rectangular matrix use np.linalg.svd")
    w, v = eig_rules.eig_unpack(eig_rules.eig_packed(a))
    return w, v, not np.any(np.asarray(getval(w.im)))


@implements(np.linalg.eig)
def eig(a: Any) -> Any:
    """Eigenvalues and right eigenvectors of a general real matrix (or stack), as NumPy's
    ``EigResult``: real arrays when every eigenvalue is real, complex ones otherwise.

    The rules (:mod:`steepest.autodiff.rules.eig`) work in real arithmetic, so real-valued
    functions of real eigenpairs differentiate everywhere; complex eigenpairs are built as
    ``re + 1j·im``, which needs the tracer's complex support to be differentiated further.
    Derivatives assume distinct eigenvalues (eigenvectors at a repeated eigenvalue are not
    unique; only functions of the eigenvalues stay right there) and follow LAPACK's
    normalisation (unit norm, largest component real).
    """
    w, v, real = _eig_parts(a, "eig")
    if real:
        return np.linalg._linalg.EigResult(w.re, v.re)
    return np.linalg._linalg.EigResult(w.re + 1j * w.im, v.re + 1j * v.im)


@implements(np.linalg.eigvals)
def eigvals(a: Any) -> Any:
    """Eigenvalues of a general real matrix (or stack); real when all are real (see ``eig``)."""
    w, _, real = _eig_parts(a, "eigvals")
    return w.re if real else w.re + 1j * w.im
