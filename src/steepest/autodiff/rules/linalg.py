"""Linear-algebra primitives and their rules (real matrices, batched over leading axes).

Decompositions with several outputs (``eigh``, ``svd``, ``qr``) are primitives returning one
packed array, unpacked by indexing, so every graph node keeps a single array value.

Formulas: Giles, *An extended collection of matrix derivative results* (2008); Murray,
*Differentiation of the Cholesky decomposition* (2016); Townsend, *Differentiating the singular
value decomposition* (2016); Walter & Lehmann (2018) for QR. They assume what the
decomposition needs: invertible / positive-definite inputs, distinct eigen- and singular values,
full column rank for QR and constant rank for ``pinv``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..primitives import Primitive, defjvp, defvjp
from ..tracing import asarray_value, shape_of
from .broadcast import expand_to, reshape, sum, unbroadcast
from .products import matmul
from .shape import concatenate, expand_dims, transpose
from .ufunc import where_prim

__all__ = ["solve", "inv", "det", "logabsdet", "cholesky", "eigh_packed", "svd_packed",
           "qr_packed", "pinv", "norm2", "T", "tril", "triu"]


def T(x: Any) -> Any:
    """Swap the last two axes."""
    nd = len(shape_of(x))
    axes = list(range(nd))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return transpose(x, tuple(axes))


def tril(x: Any, k: int = 0) -> Any:
    n, m = shape_of(x)[-2:]
    return x * np.tril(np.ones((n, m)), k)


def triu(x: Any, k: int = 0) -> Any:
    n, m = shape_of(x)[-2:]
    return x * np.triu(np.ones((n, m)), k)


def _col(x: Any) -> Any:
    return expand_dims(x, -1)


def _mat(g: Any) -> Any:
    return reshape(g, shape_of(g) + (1, 1))


def _eye(x: Any) -> np.ndarray:
    return np.eye(shape_of(x)[-1])


# ---- solve / inv / det ---------------------------------------------------------------------
def _solve_fun(a: Any, b: Any) -> Any:
    return np.linalg.solve(a, b)


solve = Primitive(_solve_fun, "solve")


def _solve_vjp_a(g: Any, ans: Any, a: Any, b: Any) -> Any:
    gb = solve(T(a), g)
    if len(shape_of(b)) == 1:
        return unbroadcast(-_col(gb) * expand_dims(ans, -2), a)
    return unbroadcast(-matmul(gb, T(ans)), a)


def _solve_jvp_a(t: Any, ans: Any, a: Any, b: Any) -> Any:
    if len(shape_of(b)) == 1:
        return -solve(a, matmul(t, ans))
    return -solve(a, matmul(t, ans))


defvjp(solve, _solve_vjp_a, lambda g, ans, a, b: unbroadcast(solve(T(a), g), b))
defjvp(solve, _solve_jvp_a, lambda t, ans, a, b: solve(a, t))

inv = Primitive(np.linalg.inv, "inv")
defvjp(inv, lambda g, ans, a: -matmul(matmul(T(ans), g), T(ans)))
defjvp(inv, lambda t, ans, a: -matmul(matmul(ans, t), ans))

det = Primitive(np.linalg.det, "det")
defvjp(det, lambda g, ans, a: _mat(g * ans) * T(inv(a)))
defjvp(det, lambda t, ans, a: ans * sum(T(inv(a)) * t, axis=(-2, -1)))

logabsdet = Primitive(lambda a: np.linalg.slogdet(a)[1], "logabsdet")
defvjp(logabsdet, lambda g, ans, a: _mat(g) * T(inv(a)))
defjvp(logabsdet, lambda t, ans, a: sum(T(inv(a)) * t, axis=(-2, -1)))


# ---- cholesky ------------------------------------------------------------------------------
def _phi(x: Any) -> Any:
    """Lower triangle with the diagonal halved."""
    n = shape_of(x)[-1]
    return x * (np.tril(np.ones((n, n))) - 0.5 * np.eye(n))


def _cholesky_vjp(g: Any, L: Any, a: Any) -> Any:
    P = _phi(matmul(T(L), g))
    Lt = T(L)
    Sm = solve(Lt, T(solve(Lt, T(P))))
    return 0.5 * (Sm + T(Sm))


def _cholesky_jvp(t: Any, L: Any, a: Any) -> Any:
    Z = solve(L, t)
    W = T(solve(L, T(Z)))
    return matmul(L, _phi(W))


cholesky = Primitive(np.linalg.cholesky, "cholesky")
defvjp(cholesky, _cholesky_vjp)
defjvp(cholesky, _cholesky_jvp)


# ---- eigh (packed: row 0 the eigenvalues, rows 1.. the eigenvectors) ------------------------
def _eigh_fun(a: Any) -> np.ndarray:
    w, v = np.linalg.eigh(a)
    return np.concatenate([w[..., None, :], v], axis=-2)


def _gap_inverse(w: Any) -> Any:
    """``F_ij = 1 / (w_j - w_i)`` off the diagonal, 0 on it (differentiable in ``w``)."""
    n = shape_of(w)[-1]
    eye = np.eye(n)
    diff = expand_dims(w, -2) - _col(w)
    return (1.0 - eye) / (diff + eye)


def _lower_adjoint(m: Any) -> Any:
    """Adjoint of ``A ↦ tril(A) + tril(A, -1)ᵀ`` (eigh reads the lower triangle only)."""
    sym = 0.5 * (m + T(m))
    return tril(sym) + tril(sym, -1)


def _eigh_vjp(g: Any, ans: Any, a: Any) -> Any:
    w, V = ans[..., 0, :], ans[..., 1:, :]
    gw, gV = g[..., 0, :], g[..., 1:, :]
    inner = expand_dims(gw, -1) * _eye(w) + _gap_inverse(w) * matmul(T(V), gV)
    return _lower_adjoint(matmul(matmul(V, inner), T(V)))


def _eigh_jvp(t: Any, ans: Any, a: Any) -> Any:
    w, V = ans[..., 0, :], ans[..., 1:, :]
    ts = tril(t) + T(tril(t, -1))
    P = matmul(matmul(T(V), ts), V)
    dw = sum(P * _eye(w), axis=-1)
    dV = matmul(V, _gap_inverse(w) * P)
    return concatenate(expand_dims(dw, -2), dV, axis=-2)


eigh_packed = Primitive(_eigh_fun, "eigh")
defvjp(eigh_packed, _eigh_vjp)
defjvp(eigh_packed, _eigh_jvp)


# ---- svd (2-D, reduced; packed flat as [U.ravel(), s, Vh.ravel()]) -------------------------
def _svd_fun(a: Any) -> np.ndarray:
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return np.concatenate([u.ravel(), s, vh.ravel()])


def svd_unpack(packed: Any, m: int, n: int) -> tuple[Any, Any, Any]:
    """Split a packed SVD into ``(U, s, Vh)`` for an ``m × n`` input."""
    k = min(m, n)
    u = reshape(packed[: m * k], (m, k))
    s = packed[m * k : m * k + k]
    vh = reshape(packed[m * k + k :], (k, n))
    return u, s, vh


def _svd_F(s: Any) -> Any:
    k = shape_of(s)[-1]
    eye = np.eye(k)
    s2 = s * s
    return (1.0 - eye) / (expand_dims(s2, -2) - _col(s2) + eye)


def _svd_vjp(g: Any, ans: Any, a: Any) -> Any:
    m, n = shape_of(a)
    u, s, vh = svd_unpack(ans, m, n)
    gu, gs, gvh = svd_unpack(g, m, n)
    v, gv = T(vh), T(gvh)
    F, eye_k = _svd_F(s), np.eye(min(m, n))
    J = F * (matmul(T(u), gu) - matmul(T(gu), u))
    K = F * (matmul(vh, gv) - matmul(T(gv), v))
    core = J * expand_dims(s, -2) + eye_k * _col(gs) + _col(s) * K
    out = matmul(matmul(u, core), vh)
    out = out + matmul((np.eye(m) - matmul(u, T(u))), gu / expand_dims(s, -2)) @ vh
    return out + matmul(u / expand_dims(s, -2), matmul(T(gv), np.eye(n) - matmul(v, vh)))


def _svd_jvp(t: Any, ans: Any, a: Any) -> Any:
    m, n = shape_of(a)
    u, s, vh = svd_unpack(ans, m, n)
    v = T(vh)
    F = _svd_F(s)
    dP = matmul(matmul(T(u), t), v)
    ds = sum(dP * np.eye(min(m, n)), axis=-1)
    srow = expand_dims(s, -2)
    du = matmul(u, F * (dP * srow + _col(s) * T(dP)))
    du = du + matmul(np.eye(m) - matmul(u, T(u)), matmul(t, v)) / srow
    dv = matmul(v, F * (_col(s) * dP + T(dP) * srow))
    dv = dv + matmul(np.eye(n) - matmul(v, vh), matmul(T(t), u)) / srow
    return concatenate(reshape(du, (-1,)), ds, reshape(T(dv), (-1,)), axis=0)


svd_packed = Primitive(_svd_fun, "svd")
defvjp(svd_packed, _svd_vjp)
defjvp(svd_packed, _svd_jvp)


# ---- qr (2-D, reduced, m >= n; packed as [Q; R] rows) ---------------------------------------
def _qr_fun(a: Any) -> np.ndarray:
    q, r = np.linalg.qr(a)
    return np.concatenate([q, r], axis=-2)


def _qr_vjp(g: Any, ans: Any, a: Any) -> Any:
    m = shape_of(a)[-2]
    q, r, gq, gr = ans[..., :m, :], ans[..., m:, :], g[..., :m, :], g[..., m:, :]
    M = matmul(gr, T(r)) - matmul(T(q), gq)
    N = triu(M) + tril(T(M), -1)
    return T(solve(r, T(gq + matmul(q, N))))


def _qr_jvp(t: Any, ans: Any, a: Any) -> Any:
    m = shape_of(a)[-2]
    q, r = ans[..., :m, :], ans[..., m:, :]
    x = T(solve(T(r), T(t)))  # t R^{-1}
    qt = matmul(T(q), x)
    low = tril(qt, -1)
    do = low - T(low)
    dq = matmul(q, do - qt) + x
    dr = matmul(qt - do, r)
    return concatenate(dq, dr, axis=-2)


qr_packed = Primitive(_qr_fun, "qr")
defvjp(qr_packed, _qr_vjp)
defjvp(qr_packed, _qr_jvp)


# ---- pinv (constant rank) ------------------------------------------------------------------
def _pinv_vjp(g: Any, X: Any, a: Any) -> Any:
    I_m, I_n = np.eye(shape_of(a)[-2]), np.eye(shape_of(a)[-1])
    out = -matmul(matmul(T(X), g), T(X))
    out = out + matmul(matmul(I_m - matmul(a, X), T(g)), matmul(X, T(X)))
    return out + matmul(matmul(T(X), X), matmul(T(g), I_n - matmul(X, a)))


def _pinv_jvp(t: Any, X: Any, a: Any) -> Any:
    I_m, I_n = np.eye(shape_of(a)[-2]), np.eye(shape_of(a)[-1])
    out = -matmul(matmul(X, t), X)
    out = out + matmul(matmul(X, T(X)), matmul(T(t), I_m - matmul(a, X)))
    return out + matmul(matmul(I_n - matmul(X, a), T(t)), matmul(T(X), X))


pinv = Primitive(np.linalg.pinv, "pinv")
defvjp(pinv, _pinv_vjp)
defjvp(pinv, _pinv_jvp)


# ---- Euclidean / Frobenius norm (derivative 0 at 0, never NaN) -----------------------------
def _norm2_fun(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return np.sqrt(np.sum(np.square(x), axis=axis, keepdims=keepdims))


def _safe(ans: Any) -> Any:
    return where_prim(asarray_value(ans) == 0, 1.0, ans)


norm2 = Primitive(_norm2_fun, "norm")
defvjp(norm2, lambda g, ans, x, axis=None, keepdims=False:
       expand_to(g / _safe(ans), x, axis, keepdims) * x)
defjvp(norm2, lambda t, ans, x, axis=None, keepdims=False:
       sum(t * x, axis=axis, keepdims=keepdims) / _safe(ans))
