"""Discrete Fourier transforms: four primitives (``fftn``, ``ifftn``, ``rfftn``, ``irfftn``)
whose rules are transforms again, so they nest to any order.

Every ``np.fft`` function is one of them with static ``s`` (lengths, after cropping or
zero-padding the input) and ``axes`` (:mod:`steepest.autodiff.numpy.fft`). All four are linear,
so each JVP is the transform of the tangent. The VJPs follow autograd's complex convention
(:mod:`.complex`: the VJP of a linear map is its transpose, without a conjugate):

* ``fftn``/``ifftn``: the DFT matrix ``F_jk = c·e^{∓2πi jk/n}`` is symmetric, so the VJP is
  the same transform of ``g``, cropped or padded back to the input's lengths;
* ``rfftn`` keeps the first ``m = n//2 + 1`` frequencies of a real input's ``fftn``: its VJP
  is ``Re fftn(g padded to n)`` (computed as a half-size ``irfftn``);
* ``irfftn`` reads a Hermitian half-spectrum ``z`` (length ``m``) as
  ``x_j = c Σ_k w_k Re(z_k e^{2πi jk/n})`` with ``w_0 = 1``, ``w_{n/2} = 1`` (``n`` even) and
  ``w_k = 2`` otherwise, so its VJP is ``w · ifftn(g)[..., :m]`` (a half-size ``rfftn`` of
  the real ``g``).

The normalisation ``norm`` (``"backward"``, ``"ortho"``, ``"forward"``) scales the transform
and its VJP alike.

Reference: Cooley & Tukey, Math. Comp. 19 (1965); NumPy's ``numpy.fft`` documentation (the
definitions and the ``norm`` factors); autograd's ``numpy/fft.py`` for the rules' shapes.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> x = np.array([1.0, 2.0, 0.5])
    >>> g = grad(lambda x: np.sum(np.abs(np.fft.fft(x)) ** 2))(x)  # Parseval: 3 Σ x²
    >>> np.allclose(g, 6 * x)
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import shape_of
from .complex import iscomplex_value
from .shape import getitem, pad
from .ufunc import conjugate

__all__ = ["fftn", "ifftn", "rfftn", "irfftn", "fit"]


def fit(y: Any, shape: tuple[int, ...], axes: tuple[int, ...]) -> Any:
    """Crop or zero-pad ``y`` along ``axes`` to the lengths of ``shape`` (at the end).

    The adjoint of NumPy's crop-or-pad of an FFT's input, and that crop-or-pad itself.

    Args:
        y: a plain or traced array.
        shape: the target shape (only the entries at ``axes`` are read).
        axes: the axes to fit.

    Returns:
        ``y`` cropped (``getitem``) and/or zero-padded (``pad``), differentiable.

    Example:
        >>> fit(np.arange(4.0), (2,), (0,)), fit(np.ones(2), (3,), (0,))
        (array([0., 1.]), array([1., 1., 0.]))
    """
    have = shape_of(y)
    if all(have[a] == shape[a] for a in axes):
        return y
    crop = [slice(None)] * len(have)
    widths = [(0, 0)] * len(have)
    for a in axes:
        if have[a] > shape[a]:
            crop[a] = slice(0, shape[a])
        elif have[a] < shape[a]:
            widths[a] = (0, shape[a] - have[a])
    if any(c != slice(None) for c in crop):
        y = getitem(y, tuple(crop))
    if any(w != (0, 0) for w in widths):
        y = pad(y, tuple(widths))
    return y


def _transform(fn: Any, name: str) -> Primitive:
    return Primitive(lambda x, s, axes, norm: fn(x, s=s, axes=axes, norm=norm), name)


fftn = _transform(np.fft.fftn, "fftn")
ifftn = _transform(np.fft.ifftn, "ifftn")
rfftn = _transform(np.fft.rfftn, "rfftn")
irfftn = _transform(np.fft.irfftn, "irfftn")


def _same_transform(prim: Primitive) -> None:
    """Rules of a symmetric linear map: VJP and JVP are the map itself."""
    defvjp(prim, lambda g, ans, x, s, axes, norm:
           fit(prim(g, s, axes, norm), shape_of(x), axes))
    defjvp(prim, lambda t, ans, x, s, axes, norm: prim(t, s, axes, norm))
    defsaves(prim, ())


_same_transform(fftn)
_same_transform(ifftn)


def _forward_over_inverse(norm: Any, s: tuple) -> float:
    """The forward transform's scale over the inverse's (``c_f / c_i``) for ``norm``."""
    total = float(np.prod(s))
    return {None: total, "backward": total, "ortho": 1.0, "forward": 1.0 / total}[norm]


def _rfftn_vjp(g: Any, ans: Any, x: Any, s: tuple, axes: tuple, norm: Any) -> Any:
    """``Re fftn(g zero-padded to n)``, computed as the half-size ``(c_f/c_i) irfftn(ḡ / w)``
    (``irfftn`` reads ``Re(h_k e^{+2πi jk/n})`` and ignores what ``Re`` ignores)."""
    w = _half_weights(s[-1], shape_of(g)[axes[-1]], len(shape_of(g)), axes[-1])
    back = irfftn(conjugate(g) / w, s, axes, norm) * _forward_over_inverse(norm, s)
    return fit(back, shape_of(x), axes)


def _half_weights(n: int, m: int, ndim: int, axis: int) -> np.ndarray:
    """``w_k`` of the Hermitian half-spectrum (1 at 0 and at n/2, else 2), shaped to broadcast
    along ``axis``."""
    w = np.full(m, 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    shape = [1] * ndim
    shape[axis] = m
    return w.reshape(shape)


def _irfftn_vjp(g: Any, ans: Any, z: Any, s: tuple, axes: tuple, norm: Any) -> Any:
    """``w · ifftn(g)[..., :m]``; for a real ``g`` (always, but for a complex cotangent given
    by hand) the half ``ifftn(g)[..., :m]`` is ``conj(rfftn(g)) c_i/c_f``, at half the cost."""
    last = axes[-1]
    n = s[-1]
    m = n // 2 + 1
    if iscomplex_value(g):
        half = getitem(ifftn(g, s, axes, norm), (slice(None),) * last + (slice(0, m),))
    else:
        half = conjugate(rfftn(g, s, axes, norm)) * (1.0 / _forward_over_inverse(norm, s))
    weighted = half * _half_weights(n, m, len(shape_of(g)), last)
    return fit(weighted, shape_of(z), axes)


defvjp(rfftn, _rfftn_vjp)
defjvp(rfftn, lambda t, ans, x, s, axes, norm: rfftn(t, s, axes, norm))
defsaves(rfftn, ())
defvjp(irfftn, _irfftn_vjp)
defjvp(irfftn, lambda t, ans, z, s, axes, norm: irfftn(t, s, axes, norm))
defsaves(irfftn, ())

for _prim in (fftn, ifftn, rfftn, irfftn):
    _prim.complex_ok = True
