"""The eigendecomposition of a general real matrix, with its rules in real arithmetic.

``eig_packed(a)`` returns one real array of shape ``(..., 2 + 2n, n)``: row 0 the real and row 1
the imaginary parts of the eigenvalues, then ``n`` rows of ``Re V`` and ``n`` of ``Im V``. The
rules never form a complex array, so they need no complex support from the tracer and hold in
any complex convention (a complex value is its pair of real parts).

With ``P = V⁻¹ dA V`` and ``F_ij = 1/(w_j − w_i)`` (0 on the diagonal and at exact ties), the
tangents are ``dw = diag(P)`` and ``dV = V (F ∘ P)`` (Magnus 1985; Giles 2008, §3.1), followed
by LAPACK's normalisation of each eigenvector: unit 2-norm (subtract ``v Re(vᴴ dv)``) and its
largest component real (subtract the phase rotation ``i θ v``). The VJP is the adjoint of that
real-linear map for the real inner product ``Re tr(Xᴴ Y)``:
``Ā = Re(V⁻ᴴ (diag(w̄) + conj(F) ∘ (Vᴴ V̄')) Vᴴ)``, ``V̄'`` the cotangent after the adjoint
normalisation steps.

Eigenvectors are defined up to scale and phase, and at a repeated eigenvalue not at all:
derivatives assume distinct eigenvalues (the coupling of an exactly tied pair is dropped,
which keeps functions of the eigenvalues right) and a diagonalisable ``a``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..primitives import Primitive, defjvp, defvjp
from ..tracing import getval, shape_of
from .broadcast import sum
from .linalg import T, inv
from .products import matmul
from .shape import concatenate, expand_dims
from .ufunc import where_prim

__all__ = ["eig_packed", "eig_unpack"]


class _C(NamedTuple):
    """A complex array as its real and imaginary parts (each possibly traced)."""

    re: Any
    im: Any

    def __matmul__(self, o: _C) -> _C:  # type: ignore[override]
        return _C(matmul(self.re, o.re) - matmul(self.im, o.im),
                  matmul(self.re, o.im) + matmul(self.im, o.re))

    def times(self, o: _C) -> _C:
        return _C(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)

    def H(self) -> _C:
        return _C(T(self.re), -T(self.im))

    def conj(self) -> _C:
        return _C(self.re, -self.im)


def _eig_fun(a: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eig(a)
    w, v = w.astype(complex), v.astype(complex)
    return np.concatenate([w.real[..., None, :], w.imag[..., None, :], v.real, v.imag], axis=-2)


def eig_unpack(packed: Any) -> tuple[_C, _C]:
    """``(w, V)`` as real/imaginary pairs from a packed ``eig``."""
    n = shape_of(packed)[-1]
    return (_C(packed[..., 0, :], packed[..., 1, :]),
            _C(packed[..., 2:2 + n, :], packed[..., 2 + n:, :]))


def _inverse(v: _C) -> _C:
    """``V⁻¹`` through the real block form ``[[Vr, −Vi], [Vi, Vr]]``."""
    n = shape_of(v.re)[-1]
    block = inv(concatenate(concatenate(v.re, -v.im, axis=-1),
                            concatenate(v.im, v.re, axis=-1), axis=-2))
    return _C(block[..., :n, :n], block[..., n:, :n])


def _gaps(w: _C) -> _C:
    """``F_ij = 1 / (w_j − w_i)`` off the diagonal, 0 on it and at exact ties."""
    dr = expand_dims(w.re, -2) - expand_dims(w.re, -1)
    di = expand_dims(w.im, -2) - expand_dims(w.im, -1)
    m2 = dr * dr + di * di
    zero = np.asarray(getval(m2)) == 0
    inv_m2 = where_prim(zero, 0.0, 1.0 / where_prim(zero, 1.0, m2))
    return _C(dr * inv_m2, -di * inv_m2)


def _largest(v: _C) -> np.ndarray:
    """One-hot (plain) mask of each eigenvector's largest component, which LAPACK makes real."""
    mag = np.asarray(getval(v.re)) ** 2 + np.asarray(getval(v.im)) ** 2
    return (np.arange(mag.shape[-2])[:, None] == np.argmax(mag, axis=-2)[..., None, :]) * 1.0


def _eig_jvp(t: Any, ans: Any, a: Any) -> Any:
    w, V = eig_unpack(ans)
    P = _inverse(V) @ _C(t, 0.0 * t) @ V
    eye = np.eye(shape_of(t)[-1])
    D = V @ _gaps(w).times(P)
    rho = sum(V.re * D.re + V.im * D.im, axis=-2, keepdims=True)  # Re(vᴴ dv) per column
    D = _C(D.re - V.re * rho, D.im - V.im * rho)
    E = _largest(V)
    theta = -sum(D.im * E, axis=-2, keepdims=True) / sum(V.re * E, axis=-2, keepdims=True)
    D = _C(D.re - V.im * theta, D.im + V.re * theta)
    dw = _C(sum(P.re * eye, axis=-1), sum(P.im * eye, axis=-1))
    return concatenate(expand_dims(dw.re, -2), expand_dims(dw.im, -2), D.re, D.im, axis=-2)


def _eig_vjp(g: Any, ans: Any, a: Any) -> Any:
    w, V = eig_unpack(ans)
    gw, gV = eig_unpack(g)
    E = _largest(V)
    s = -sum(gV.re * V.im - gV.im * V.re, axis=-2, keepdims=True)
    c = sum(V.re * E, axis=-2, keepdims=True)
    gV = _C(gV.re, gV.im - E * (s / c))
    u = sum(gV.re * V.re + gV.im * V.im, axis=-2, keepdims=True)
    gD = _C(gV.re - V.re * u, gV.im - V.im * u)
    eye = np.eye(shape_of(a)[-1])
    gP = _gaps(w).conj().times(V.H() @ gD)
    gP = _C(gP.re + eye * expand_dims(gw.re, -2), gP.im + eye * expand_dims(gw.im, -2))
    return (_inverse(V).H() @ gP @ V.H()).re


eig_packed = Primitive(_eig_fun, "eig")
defvjp(eig_packed, _eig_vjp)
defjvp(eig_packed, _eig_jvp)
