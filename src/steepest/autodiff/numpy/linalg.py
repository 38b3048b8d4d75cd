"""Differentiable ``numpy.linalg`` (exposed as :mod:`steepest.numpy.linalg`), built on the
primitives of :mod:`steepest.autodiff.rules.linalg` and registered in the one dispatch table.

Results with several parts keep NumPy's named-tuple types (``EighResult``, ``SVDResult``,
``QRResult``, ``SlogdetResult``), so unpacking code works unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._dispatch import implements
from ..arraylike import NonDifferentiable
from ..rules import linalg as linalg_rules
from ..rules import reduce as reduce_rules
from ..rules.broadcast import reshape
from ..rules.products import matmul
from ..rules.ufunc import absolute
from ..tracing import getval, shape_of

__all__ = ["solve", "inv", "det", "slogdet", "cholesky", "eigh", "eigvalsh", "svd", "qr",
           "norm", "pinv", "matrix_power", "lstsq", "eig", "eigvals"]


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
    """Solve ``a x = b`` (``b`` a vector when 1-D)."""
    n = _square(a, "solve", "for a rectangular system use np.linalg.lstsq")
    b_shape = shape_of(b)
    rows = b_shape[0] if len(b_shape) == 1 else b_shape[-2] if b_shape else None
    if rows != n:
        raise ValueError(f"np.linalg.solve: b has shape {b_shape} but a is {shape_of(a)}; pass "
                         f"b of shape ({n},) or ({n}, k)")
    try:
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
    """Lower Cholesky factor of a symmetric positive-definite matrix."""
    _square(a, "cholesky", "pass a symmetric positive-definite matrix")
    try:
        low = linalg_rules.cholesky(a)
    except np.linalg.LinAlgError as exc:
        raise _explained("cholesky", _NOT_PD) from exc
    return linalg_rules.T(low) if upper else low


@implements(np.linalg.eigh)
def eigh(a: Any, UPLO: str = "L") -> Any:
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix (lower triangle read).

    Derivatives assume distinct eigenvalues.
    """
    _real(a, "eigh")
    _square(a, "eigh", "pass a symmetric matrix")
    if UPLO != "L":
        a = linalg_rules.T(a)
    packed = linalg_rules.eigh_packed(a)
    return np.linalg._linalg.EighResult(packed[..., 0, :], packed[..., 1:, :])


@implements(np.linalg.eigvalsh)
def eigvalsh(a: Any, UPLO: str = "L") -> Any:
    """Eigenvalues of a symmetric matrix."""
    return eigh(a, UPLO).eigenvalues


@implements(np.linalg.svd)
def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False
        ) -> Any:
    """SVD of a 2-D matrix. Derivatives assume distinct non-zero singular values.

    Traced inputs always get the *reduced* factors (``U`` is ``m × k``, ``Vh`` is ``k × n``,
    ``k = min(m, n)``): the extra columns of ``full_matrices=True`` are not unique and have no
    derivative. Write ``full_matrices=False`` to get the same shapes on plain arrays.
    """
    _real(a, "svd")
    shape = shape_of(a)
    if len(shape) != 2:
        raise ValueError("steepest differentiates the SVD of 2-D matrices; loop over the batch")
    u, s, vh = linalg_rules.svd_unpack(linalg_rules.svd_packed(a), *shape)
    if not compute_uv:
        return s
    return np.linalg._linalg.SVDResult(u, s, vh)


@implements(np.linalg.qr)
def qr(a: Any, mode: str = "reduced") -> Any:
    """Reduced QR of an ``m × n`` matrix with ``m ≥ n`` and full column rank."""
    m, n = shape_of(a)[-2:]
    if mode not in ("reduced", "r") or m < n:
        raise ValueError("steepest differentiates mode='reduced' QR with rows >= columns; "
                         "for a wide matrix take the QR of its transpose")
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

    Differentiable in ``a`` and ``b`` where the rank is locally constant.
    """
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


@implements(np.linalg.eig)
def eig(a: Any) -> Any:
    """Not differentiable here: eigenvectors of a general matrix are complex."""
    raise TypeError("np.linalg.eig of a traced matrix is not supported (complex eigenpairs); "
                    "for a symmetric matrix use np.linalg.eigh / eigvalsh instead")


@implements(np.linalg.eigvals)
def eigvals(a: Any) -> Any:
    """Not differentiable here: eigenvalues of a general matrix may be complex."""
    raise TypeError("np.linalg.eigvals of a traced matrix is not supported (complex values); "
                    "for a symmetric matrix use np.linalg.eigvalsh instead")


def _vector_norm(x: Any, ord: Any, axis: Any, keepdims: bool) -> Any:
    if isinstance(ord, str) or not np.isreal(ord):
        raise ValueError(f"np.linalg.norm: ord={ord!r} is a matrix norm, not a vector norm; for "
                         "a vector pass a number (1, 2, np.inf, ...) or axis=(0, 1) on a matrix")
    if ord is None or ord == 2:
        return linalg_rules.norm2(x, axis=axis, keepdims=keepdims)
    ax = axis
    if ord == np.inf:
        return reduce_rules.amax(absolute(x), axis=ax, keepdims=keepdims)
    if ord == -np.inf:
        return reduce_rules.amin(absolute(x), axis=ax, keepdims=keepdims)
    if ord == 0:
        return np.sum(getval(x) != 0, axis=ax, keepdims=keepdims).astype(float)
    if ord == 1:
        return reduce_rules.sum(absolute(x), axis=ax, keepdims=keepdims)
    return reduce_rules.sum(absolute(x) ** ord, axis=ax, keepdims=keepdims) ** (1.0 / ord)


def _matrix_norm(x: Any, ord: Any, axis: tuple[int, int], keepdims: bool) -> Any:
    nd = len(shape_of(x))
    r, c = axis[0] % nd, axis[1] % nd
    if ord in (None, "fro"):
        return linalg_rules.norm2(x, axis=(r, c), keepdims=keepdims)
    if ord in (1, -1, np.inf, -np.inf):
        sum_ax, red_ax = (r, c) if ord in (1, -1) else (c, r)
        colsum = reduce_rules.sum(absolute(x), axis=sum_ax, keepdims=True)
        red = reduce_rules.amax if ord > 0 else reduce_rules.amin
        out = red(colsum, axis=(red_ax,), keepdims=True)
        return out if keepdims else reshape(out, tuple(
            d for i, d in enumerate(shape_of(out)) if i not in (r, c)))
    if nd != 2:
        raise ValueError(f"matrix norm ord={ord!r} is differentiable for 2-D input only")
    s = svd(x, compute_uv=False)
    val = {"nuc": lambda: reduce_rules.sum(s), 2: lambda: reduce_rules.amax(s),
           -2: lambda: reduce_rules.amin(s)}[ord]()
    return reshape(val, (1, 1)) if keepdims else val


@implements(np.linalg.norm)
def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """Vector or matrix norm with NumPy's ``ord``/``axis`` conventions.

    At ``x = 0`` the 2-norm's derivative is taken as 0 (a subgradient) rather than NaN.
    """
    nd = len(shape_of(x))
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None:
        if ord is None:
            return linalg_rules.norm2(x, axis=None, keepdims=keepdims)
        axis = (0, 1) if nd == 2 else (0,) if nd == 1 else None
        if axis is None:
            raise ValueError("norm with ord needs 1-D or 2-D input or an explicit axis")
    if isinstance(axis, (int, np.integer)) or len(axis) == 1:
        ax = axis if isinstance(axis, (int, np.integer)) else axis[0]
        return _vector_norm(x, ord, int(ax), keepdims)
    return _matrix_norm(x, ord, tuple(axis), keepdims)
