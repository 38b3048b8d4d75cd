"""Cache-blocked kernel for the Adam family (Adam, AdamW, Nadam, L2-decayed Adam).

Why blocked: written as whole-array NumPy expressions, one Adam step makes about twelve passes
over every parameter-sized array and allocates as many temporaries; at 10^7 parameters that
is memory-bound and slower than torch's foreach kernels. Here each leaf is processed in
chunks of ``CHUNK_BYTES`` so that the temporaries live in two small scratch buffers that stay
in cache, every ufunc writes through ``out=``, and the fused ``a*x + y`` updates go to BLAS
``axpy``. Main memory is touched about once per input and once per output array.

The arithmetic is that of torch.optim.Adam with the bias corrections folded into constants:
``lr * m_hat / (sqrt(v_hat) + eps) == (lr * sqrt(bc2) / bc1) * m / (sqrt(v) + eps * sqrt(bc2))``
(equal in exact arithmetic; the float results agree to a few ulp).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import blas

__all__ = ["CHUNK_BYTES", "AdamCoefficients", "adam_leaf"]

CHUNK_BYTES = 1 << 17  # 128 KiB per scratch buffer: two of them sit in L2 beside the chunks


@dataclass(frozen=True)
class AdamCoefficients:
    """Per-step constants of the kernel (Python floats, so float32 stays float32).

    ``target = p * (1 - decay) + scale * num / (sqrt(v') + eps_hat)`` (parameters), or
    ``scale * num / (...) - decay * p`` (updates), with ``num = m'`` or, for Nadam,
    ``nm * m' + ng * g``; ``g`` includes ``l2 * p`` when L2 decay is on.
    """

    b1: float
    b2: float
    eps_hat: float
    scale: float
    l2: float = 0.0
    decay: float = 0.0
    nesterov: tuple[float, float] | None = None


def _axpy_for(dtype: np.dtype) -> Callable[[np.ndarray, np.ndarray, float], None]:
    """``y += a * x`` in place on contiguous 1-D chunks (BLAS for float32/float64)."""
    fn = {np.dtype(np.float64): blas.daxpy, np.dtype(np.float32): blas.saxpy}.get(dtype)
    if fn is None:
        def numpy_axpy(x: np.ndarray, y: np.ndarray, a: float) -> None:
            y += a * x
        return numpy_axpy

    def blas_axpy(x: np.ndarray, y: np.ndarray, a: float) -> None:
        fn(x, y, a=a)

    return blas_axpy


def _flat_in(x: Any, dtype: np.dtype | None = None) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=dtype).reshape(-1)


Alloc = Callable[[int, np.dtype], np.ndarray]


def _flat_out(x: Any, dtype: np.dtype, inplace: bool, alloc: Alloc) -> np.ndarray:
    if (inplace and isinstance(x, np.ndarray) and x.dtype == dtype and x.flags.writeable
            and x.flags.c_contiguous):
        return x.reshape(-1)
    return alloc(np.size(x), dtype)


def adam_leaf(
    g: Any, m: np.ndarray, v: np.ndarray, p: Any, c: AdamCoefficients, *,
    to_params: bool, inplace: bool = False, alloc: Alloc = np.empty,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Adam-family step on one leaf.

    Args:
        g, m, v, p: gradient, first and second moments, parameter (``p`` may be None when
            neither decay nor ``to_params`` needs it).
        c: the step's coefficients.
        to_params: write new parameters (fused step) instead of updates.
        inplace: reuse ``m``, ``v`` (and ``p``) as outputs where they are writable
            C-contiguous arrays of the right dtype.
        alloc: ``alloc(size, dtype)`` returns a fresh 1-D output buffer (a BufferPool's
            ``take`` recycles unreferenced ones).

    Returns:
        ``(new_m, new_v, target)`` with the leaf's shape: target is updates or parameters.
    """
    shape, dtype = np.shape(m), np.asarray(m).dtype
    gf, mf, vf = _flat_in(g, dtype), _flat_in(m), _flat_in(v)
    pf = None if p is None else _flat_in(p, dtype)
    om, ov = _flat_out(m, dtype, inplace, alloc), _flat_out(v, dtype, inplace, alloc)
    ot = _flat_out(p, dtype, inplace and to_params, alloc) if to_params else alloc(mf.size, dtype)
    same = to_params and pf is not None and np.may_share_memory(ot, pf)
    chunk = max(1, CHUNK_BYTES // dtype.itemsize)
    a = np.empty(min(chunk, mf.size), dtype)
    b = np.empty_like(a) if c.nesterov else a
    gl = np.empty_like(a) if c.l2 else a
    axpy = _axpy_for(dtype)
    for i in range(0, mf.size, chunk):
        k = min(chunk, mf.size - i)
        s = slice(i, i + k)
        _chunk(gf[s], mf[s], vf[s], None if pf is None else pf[s], om[s], ov[s], ot[s],
               (a[:k], b[:k], gl[:k]), c, axpy, to_params, same)
    return _back(om, m, shape), _back(ov, v, shape), _back(ot, p, shape)


def _back(out: np.ndarray, orig: Any, shape: tuple) -> Any:
    """The output with the leaf's shape; the original object itself when written in place."""
    if isinstance(orig, np.ndarray) and np.may_share_memory(out, orig):
        return orig
    return out.reshape(shape)


def _chunk(g, m, v, p, om, ov, ot, scratch, c: AdamCoefficients, axpy, to_params: bool,
           same: bool) -> None:
    a, b, gl = scratch
    if c.l2:
        np.multiply(p, c.l2, out=gl)
        np.add(gl, g, out=gl)                    # g + l2 p (L2 regularisation)
        g = gl
    np.multiply(m, c.b1, out=om)
    axpy(g, om, 1.0 - c.b1)                      # m' = b1 m + (1 - b1) g
    np.multiply(g, g, out=a)
    np.multiply(v, c.b2, out=ov)
    axpy(a, ov, 1.0 - c.b2)                      # v' = b2 v + (1 - b2) g^2
    np.sqrt(ov, out=a)
    np.add(a, c.eps_hat, out=a)                  # sqrt(v') + eps sqrt(bc2)
    if c.nesterov:
        np.multiply(om, c.nesterov[0], out=b)
        axpy(g, b, c.nesterov[1])                # Nadam look-ahead numerator
        np.divide(b, a, out=a)
    else:
        np.divide(om, a, out=a)
    if to_params:
        if c.decay:
            np.multiply(p, 1.0 - c.decay, out=ot)
        elif not same:
            np.copyto(ot, p)
        axpy(a, ot, c.scale)
    else:
        np.multiply(a, c.scale, out=ot)
        if c.decay:
            axpy(p, ot, -c.decay)
