"""Primitives of :mod:`scipy.linalg` and their rules: triangular solves, the matrix exponential
and the LU factorization (real matrices).

- ``trisolve(t, b, lower, trans)``: ``x = op(t)⁻¹ b`` with ``op`` the identity (``trans=0``) or
  the transpose (``trans=1``) of the triangular ``t``; ``b̄ = op(t)⁻ᵀ x̄`` and
  ``op(t)̄ = −b̄ xᵀ``, restricted to the triangle that is read.
- ``expm``: the derivative is the Fréchet derivative ``L(A, E)``, read off the upper-right block
  of ``expm([[A, E], [0, A]]) = [[e^A, L(A, E)], [0, e^A]]`` (Higham, *Functions of Matrices*,
  2008, Thm 3.6; Mathias 1996); the VJP is ``Ā = L(Aᵀ, Ḡ)``. Both are compositions of
  ``expm`` itself, so every order is differentiable.
- ``lu_packed``: with the row permutation ``P`` (piecewise constant) fixed, ``P A = L U`` gives
  ``dL = L tril₋(X)``, ``dU = triu(X) U`` with ``X = L⁻¹ P dA U⁻¹`` (Seeger et al.,
  *Auto-differentiating linear algebra*, 2017, §3); the VJP is the adjoint of that map.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg as sla

from ..primitives import Primitive, defjvp, defvjp
from ..tracing import getval, shape_of
from .broadcast import unbroadcast
from .linalg import T, tril, triu
from .products import matmul
from .shape import concatenate

__all__ = ["trisolve", "expm", "frechet", "lu_packed", "lu_permutation", "permute_rows"]


def _tri(x: Any, lower: bool) -> Any:
    return tril(x) if lower else triu(x)


def _op(x: Any, trans: int) -> Any:
    return T(x) if trans else x


def _trisolve_fun(t: Any, b: Any, lower: bool = False, trans: int = 0) -> np.ndarray:
    batch = np.broadcast_shapes(t.shape[:-2], b.shape[:-2])
    t = np.broadcast_to(t, batch + t.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    return sla.solve_triangular(t, b, trans=trans, lower=lower)


trisolve = Primitive(_trisolve_fun, "solve_triangular")
"""``op(t)⁻¹ b`` for a triangular ``t`` (``(..., n, n)``) and ``b`` of shape ``(..., n, k)``."""


def _trisolve_vjp_t(g: Any, x: Any, t: Any, b: Any, lower: bool = False, trans: int = 0) -> Any:
    gb = trisolve(t, g, lower=lower, trans=1 - trans)
    return unbroadcast(_tri(_op(-matmul(gb, T(x)), trans), lower), t)


def _trisolve_jvp_t(dt: Any, x: Any, t: Any, b: Any, lower: bool = False, trans: int = 0) -> Any:
    return -trisolve(t, matmul(_op(_tri(dt, lower), trans), x), lower=lower, trans=trans)


defvjp(trisolve, _trisolve_vjp_t, lambda g, x, t, b, lower=False, trans=0: unbroadcast(
    trisolve(t, g, lower=lower, trans=1 - trans), b))
defjvp(trisolve, _trisolve_jvp_t,
       lambda db, x, t, b, lower=False, trans=0: trisolve(t, db, lower=lower, trans=trans))

expm = Primitive(sla.expm, "expm")


def frechet(a: Any, e: Any) -> Any:
    """The Fréchet derivative ``L(a, e)`` of ``expm`` at ``a`` in the direction ``e``."""
    n = shape_of(a)[-1]
    batch = np.broadcast_shapes(shape_of(a)[:-2], shape_of(e)[:-2])
    a = a + np.zeros(batch + (n, n))
    e = e + np.zeros(batch + (n, n))
    block = concatenate(concatenate(a, e, axis=-1),
                        concatenate(np.zeros(batch + (n, n)), a, axis=-1), axis=-2)
    return expm(block)[..., :n, n:]


defvjp(expm, lambda g, ans, a: unbroadcast(frechet(T(a), g), a))
defjvp(expm, lambda t, ans, a: frechet(a, t))


def lu_permutation(piv: np.ndarray) -> np.ndarray:
    """The row order ``perm`` with ``a[..., perm, :] = L U`` from LAPACK's pivots ``piv``
    (row ``i`` was swapped with row ``piv[i]``, in turn), for one matrix or a stack."""
    piv = np.asarray(piv)
    perm = np.broadcast_to(np.arange(piv.shape[-1]), piv.shape).copy()
    for i in range(piv.shape[-1]):
        p = piv[..., i:i + 1]
        here, there = perm[..., i:i + 1].copy(), np.take_along_axis(perm, p, axis=-1)
        np.put_along_axis(perm, p, here, axis=-1)
        perm[..., i:i + 1] = there
    return perm


def permute_rows(x: Any, perm: np.ndarray) -> Any:
    """``x[..., perm, :]`` with one ``perm`` per matrix of the stack."""
    grids = [g[..., None] for g in np.indices(perm.shape[:-1], sparse=True)]
    return x[(*grids, perm)]


def _factors(lu: Any) -> tuple[Any, Any]:
    n = shape_of(lu)[-1]
    return tril(lu, -1) + np.eye(n), triu(lu)


def _perm_of(a: Any) -> np.ndarray:
    return lu_permutation(sla.lu_factor(np.asarray(getval(a)))[1])


def _lu_jvp(t: Any, lu: Any, a: Any) -> Any:
    L, U = _factors(lu)
    x = trisolve(L, permute_rows(t, _perm_of(a)), lower=True)
    x = T(trisolve(U, T(x), lower=False, trans=1))
    return matmul(L, tril(x, -1)) + matmul(triu(x), U)


def _lu_vjp(g: Any, lu: Any, a: Any) -> Any:
    L, U = _factors(lu)
    mid = tril(matmul(T(L), tril(g, -1)), -1) + triu(matmul(triu(g), T(U)))
    y = trisolve(L, mid, lower=True, trans=1)
    y = T(trisolve(U, T(y), lower=False))
    return permute_rows(y, np.argsort(_perm_of(a), axis=-1))


lu_packed = Primitive(lambda a: sla.lu_factor(a)[0], "lu_factor")
"""LAPACK's packed LU of ``a`` (or a stack): ``L`` strictly below the diagonal (unit diagonal
implied), ``U`` on and above it."""
defvjp(lu_packed, _lu_vjp)
defjvp(lu_packed, _lu_jvp)
