"""Differentiable ``numpy.fft``: every transform is one of four primitives
(:mod:`steepest.autodiff.rules.fft`) with static lengths ``s`` and ``axes``.

``np.fft.fft(x, n, axis, norm)`` is ``fftn`` with ``s=(n,)``, ``axes=(axis,)``; ``fft2`` is
``fftn`` over the last two axes; ``hfft``/``ihfft`` are ``irfft``/``rfft`` of the conjugate
with the opposite normalisation (as NumPy defines them); ``fftshift``/``ifftshift`` are
``np.roll``. Each is registered in the one dispatch table under NumPy's function, so plain
``np.fft.fft(x)`` on a traced ``x`` is differentiated. Complex values follow autograd's
convention (:mod:`steepest.autodiff.rules.complex`).

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> x = np.array([0.5, -1.0, 2.0, 0.25])
    >>> g = grad(lambda x: np.sum(np.fft.irfft(np.fft.rfft(x) * 2.0)))(x)
    >>> np.allclose(g, 2.0)
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._dispatch import implements
from ..errors import traced_error
from ..rules import fft as fft_rules
from ..rules.ufunc import conjugate
from ..tracing import shape_of
from .shape import roll

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2",
           "irfft2", "fftn", "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift"]


def _lengths(a: Any, s: Any, axes: Any, out: Any, half_input: bool = False
             ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Static ``(s, axes)``: non-negative axes, and the transform length along each (for the
    inverse real transforms the default last length is ``2 (m − 1)``)."""
    if out is not None:
        raise traced_error("out=...", "in-place")
    shape = shape_of(a)
    nd = len(shape)
    if axes is None:
        axes = tuple(range(nd)) if s is None else tuple(range(nd - len(s), nd))
    axes = tuple(int(ax) % nd for ax in np.atleast_1d(axes))
    if s is None:
        s = [shape[ax] for ax in axes]
        if half_input:
            s[-1] = 2 * (shape[axes[-1]] - 1)
    if len(s) != len(axes):
        raise ValueError(f"s has {len(s)} lengths for {len(axes)} axes; give one length per "
                         "axis, e.g. s=(8, 8) with axes=(0, 1)")
    return tuple(int(n) for n in s), axes


def _one_axis(n: Any) -> Any:
    return None if n is None else (n,)


def _swap_direction(norm: Any) -> str:
    return {None: "forward", "backward": "forward", "ortho": "ortho",
            "forward": "backward"}[norm]


@implements(np.fft.fftn)
def fftn(a: Any, s: Any = None, axes: Any = None, norm: Any = None, out: Any = None) -> Any:
    """N-dimensional DFT ``X_k = c Σ_j x_j e^{−2πi k·j/n}`` over ``axes``."""
    s, axes = _lengths(a, s, axes, out)
    return fft_rules.fftn(a, s, axes, norm)


@implements(np.fft.ifftn)
def ifftn(a: Any, s: Any = None, axes: Any = None, norm: Any = None, out: Any = None) -> Any:
    """N-dimensional inverse DFT ``x_j = c Σ_k X_k e^{2πi k·j/n}`` over ``axes``."""
    s, axes = _lengths(a, s, axes, out)
    return fft_rules.ifftn(a, s, axes, norm)


@implements(np.fft.rfftn)
def rfftn(a: Any, s: Any = None, axes: Any = None, norm: Any = None, out: Any = None) -> Any:
    """DFT of a real array, keeping the ``n//2 + 1`` non-negative frequencies of the last axis."""
    s, axes = _lengths(a, s, axes, out)
    return fft_rules.rfftn(a, s, axes, norm)


@implements(np.fft.irfftn)
def irfftn(a: Any, s: Any = None, axes: Any = None, norm: Any = None, out: Any = None) -> Any:
    """Inverse of :func:`rfftn`: the real array whose half-spectrum is ``a``."""
    s, axes = _lengths(a, s, axes, out, half_input=True)
    return fft_rules.irfftn(a, s, axes, norm)


@implements(np.fft.fft)
def fft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """One-dimensional DFT along ``axis`` (length ``n``: cropped or zero-padded)."""
    return fftn(a, _one_axis(n), (axis,), norm, out)


@implements(np.fft.ifft)
def ifft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """One-dimensional inverse DFT along ``axis``."""
    return ifftn(a, _one_axis(n), (axis,), norm, out)


@implements(np.fft.rfft)
def rfft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """One-dimensional DFT of a real array: frequencies ``0 .. n//2``."""
    return rfftn(a, _one_axis(n), (axis,), norm, out)


@implements(np.fft.irfft)
def irfft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """Inverse of :func:`rfft` (output length ``n``, default ``2 (m − 1)``)."""
    return irfftn(a, _one_axis(n), (axis,), norm, out)


@implements(np.fft.hfft)
def hfft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """DFT of a Hermitian-symmetric signal given by its first half: a real spectrum."""
    return irfft(conjugate(a), n, axis, _swap_direction(norm), out)


@implements(np.fft.ihfft)
def ihfft(a: Any, n: Any = None, axis: int = -1, norm: Any = None, out: Any = None) -> Any:
    """Inverse of :func:`hfft`: the half-spectrum of a real signal, conjugated."""
    return conjugate(rfft(a, n, axis, _swap_direction(norm), out))


@implements(np.fft.fft2)
def fft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """Two-dimensional DFT (:func:`fftn` over the last two axes)."""
    return fftn(a, s, axes, norm, out)


@implements(np.fft.ifft2)
def ifft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """Two-dimensional inverse DFT."""
    return ifftn(a, s, axes, norm, out)


@implements(np.fft.rfft2)
def rfft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """Two-dimensional DFT of a real array."""
    return rfftn(a, s, axes, norm, out)


@implements(np.fft.irfft2)
def irfft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: Any = None,
           out: Any = None) -> Any:
    """Inverse of :func:`rfft2`."""
    return irfftn(a, s, axes, norm, out)


def _shifts(x: Any, axes: Any, sign: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    nd = len(shape_of(x))
    axes = tuple(range(nd)) if axes is None else tuple(np.atleast_1d(axes))
    return tuple(sign * (shape_of(x)[ax] // 2) for ax in axes), axes


@implements(np.fft.fftshift)
def fftshift(x: Any, axes: Any = None) -> Any:
    """Move the zero frequency to the centre (``np.roll`` by ``n // 2``)."""
    shift, axes = _shifts(x, axes, 1)
    return roll(x, shift, axes)


@implements(np.fft.ifftshift)
def ifftshift(x: Any, axes: Any = None) -> Any:
    """Inverse of :func:`fftshift` (``np.roll`` by ``−(n // 2)``)."""
    shift, axes = _shifts(x, axes, -1)
    return roll(x, shift, axes)
