"""Cache-blocked elementwise kernels for the fused rules (SGD, momentum, RMSprop, Adagrad, Adam
family).

Why blocked: written as whole-array NumPy expressions, one Adam step makes about twelve passes
over every parameter-sized array and allocates as many temporaries; at 10^7 parameters that
is memory-bound and slower than torch's foreach kernels. Here each leaf is processed in
chunks of ``CHUNK_BYTES`` so that the temporaries live in small scratch buffers that stay in
cache, every ufunc writes through ``out=``, and the fused ``a*x + y`` updates go to BLAS
``axpy``. Main memory is touched about once per input and once per output array.

Each rule is a chunk function ``(g, moments, p, out_moments, target, scratch, c, axpy, ...)``
that computes a direction ``d`` and hands it to :func:`_finish`, which writes either the
updates ``scale * d - decay * p`` or the new parameters ``p (1 - decay) + scale * d``.

Adam's arithmetic is torch.optim.Adam's with the bias corrections folded into constants:
``lr * m_hat / (sqrt(v_hat) + eps) == (lr * sqrt(bc2) / bc1) * m / (sqrt(v) + eps * sqrt(bc2))``
(equal in exact arithmetic; the float results agree to a few ulp).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import blas

__all__ = ["CHUNK_BYTES", "KERNELS", "Coefficients", "fused_leaf"]

CHUNK_BYTES = 1 << 17  # 128 KiB per scratch buffer: a few of them sit in L2 beside the chunks

Alloc = Callable[[int, np.dtype], np.ndarray]
Axpy = Callable[[np.ndarray, np.ndarray, float], None]


@dataclass(frozen=True)
class Coefficients:
    """Per-step constants (Python floats, so float32 stays float32).

    ``b1``/``c1``: first moment ``m' = b1 m + c1 g``; ``b2``/``c2``: second moment
    ``v' = b2 v + c2 g^2``; ``eps_hat`` guards ``sqrt(v')``; ``scale`` multiplies the
    direction (``-lr`` times folded bias corrections for a descent step); ``l2`` adds
    ``l2 * p`` to g; ``decay`` is decoupled decay (``lr * weight_decay``); ``nesterov``
    = Nadam's ``(nm, ng)`` for ``nm m' + ng g``; ``lookahead`` = momentum's ``b1 m' + c1 g``.
    """

    scale: float
    b1: float = 0.0
    c1: float = 1.0
    b2: float = 0.0
    c2: float = 1.0
    eps_hat: float = 0.0
    l2: float = 0.0
    decay: float = 0.0
    nesterov: tuple[float, float] | None = None
    lookahead: bool = False


def _axpy_for(dtype: np.dtype) -> Axpy:
    """``y += a * x`` in place on contiguous 1-D chunks (BLAS for float32/float64)."""
    fn = {np.dtype(np.float64): blas.daxpy, np.dtype(np.float32): blas.saxpy}.get(dtype)
    if fn is None:
        def numpy_axpy(x: np.ndarray, y: np.ndarray, a: float) -> None:
            y += a * x
        return numpy_axpy

    def blas_axpy(x: np.ndarray, y: np.ndarray, a: float) -> None:
        fn(x, y, a=a)

    return blas_axpy


def _finish(d, p, target, c: Coefficients, axpy: Axpy, to_params: bool, same: bool) -> None:
    """Write ``p (1 - decay) + scale d`` (parameters) or ``scale d - decay p`` (updates)."""
    if to_params:
        if c.decay:
            np.multiply(p, 1.0 - c.decay, out=target)
        elif not same:
            np.copyto(target, p)
        axpy(d, target, c.scale)
    else:
        np.multiply(d, c.scale, out=target)
        if c.decay:
            axpy(p, target, -c.decay)


def _grad(g, p, gl, c: Coefficients):
    if not c.l2:
        return g
    np.multiply(p, c.l2, out=gl)
    np.add(gl, g, out=gl)                          # g + l2 p (L2 regularisation)
    return gl


def _sgd_chunk(g, ms, p, oms, target, scratch, c, axpy, to_params, same) -> None:
    _finish(_grad(g, p, scratch[2], c), p, target, c, axpy, to_params, same)


def _momentum_chunk(g, ms, p, oms, target, scratch, c, axpy, to_params, same) -> None:
    a, _, gl = scratch
    g = _grad(g, p, gl, c)
    (v,), (ov,) = ms, oms
    np.multiply(v, c.b1, out=ov)
    axpy(g, ov, c.c1)                              # v' = b1 v + c1 g
    d = ov
    if c.lookahead:
        np.multiply(ov, c.b1, out=a)
        axpy(g, a, c.c1)                           # b1 v' + c1 g  (eq. 4.37)
        d = a
    _finish(d, p, target, c, axpy, to_params, same)


def _rms_chunk(g, ms, p, oms, target, scratch, c, axpy, to_params, same) -> None:
    a, _, gl = scratch
    g = _grad(g, p, gl, c)
    (s,), (os_,) = ms, oms
    np.multiply(g, g, out=a)
    if c.b2 == 1.0 and c.c2 == 1.0:
        np.add(s, a, out=os_)                      # Adagrad: s' = s + g^2
    else:
        np.multiply(s, c.b2, out=os_)
        axpy(a, os_, c.c2)                         # RMSprop: s' = b2 s + c2 g^2
    np.sqrt(os_, out=a)
    np.add(a, c.eps_hat, out=a)
    np.divide(g, a, out=a)
    _finish(a, p, target, c, axpy, to_params, same)


def _adam_chunk(g, ms, p, oms, target, scratch, c, axpy, to_params, same) -> None:
    a, b, gl = scratch
    g = _grad(g, p, gl, c)
    (m, v), (om, ov) = ms, oms
    np.multiply(m, c.b1, out=om)
    axpy(g, om, c.c1)                              # m' = b1 m + (1 - b1) g
    np.multiply(g, g, out=a)
    np.multiply(v, c.b2, out=ov)
    axpy(a, ov, c.c2)                              # v' = b2 v + (1 - b2) g^2
    np.sqrt(ov, out=a)
    np.add(a, c.eps_hat, out=a)                    # sqrt(v') + eps sqrt(bc2)
    if c.nesterov:
        np.multiply(om, c.nesterov[0], out=b)
        axpy(g, b, c.nesterov[1])                  # Nadam look-ahead numerator
        np.divide(b, a, out=a)
    else:
        np.divide(om, a, out=a)
    _finish(a, p, target, c, axpy, to_params, same)


KERNELS: dict[str, Callable[..., None]] = {
    "sgd": _sgd_chunk, "momentum": _momentum_chunk, "rms": _rms_chunk, "adam": _adam_chunk,
}


def _flat_in(x: Any, dtype: np.dtype | None = None) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=dtype).reshape(-1)


def _flat_out(x: Any, dtype: np.dtype, inplace: bool, alloc: Alloc) -> np.ndarray:
    if (inplace and isinstance(x, np.ndarray) and x.dtype == dtype and x.flags.writeable
            and x.flags.c_contiguous):
        return x.reshape(-1)
    return alloc(np.size(x), dtype)


def fused_leaf(
    kind: str, g: Any, moments: tuple, p: Any, dtype: np.dtype, c: Coefficients, *,
    to_params: bool, inplace: bool = False, alloc: Alloc = np.empty,
) -> tuple[tuple, np.ndarray]:
    """One step of rule ``kind`` on one leaf.

    Args:
        kind: a key of :data:`KERNELS`.
        g, moments, p: gradient, the rule's moment arrays, parameter (``p`` may be None when
            neither decay nor ``to_params`` needs it).
        dtype: the parameter dtype (all outputs have it).
        c: the step's coefficients.
        to_params: write new parameters (fused step) instead of updates.
        inplace: reuse the moments (and ``p``) as outputs where they are writable
            C-contiguous arrays of the right dtype.
        alloc: ``alloc(size, dtype)`` returns a fresh 1-D output buffer (a BufferPool's
            ``take`` recycles unreferenced ones).

    Returns:
        ``(new_moments, target)`` with the leaf's shape: target is updates or parameters.
    """
    shape, size = np.shape(g) if p is None else np.shape(p), np.size(g)
    gf = _flat_in(g, dtype)
    pf = None if p is None else _flat_in(p, dtype)
    mf = tuple(_flat_in(m) for m in moments)
    om = tuple(_flat_out(m, dtype, inplace, alloc) for m in moments)
    ot = _flat_out(p, dtype, inplace and to_params, alloc) if to_params else alloc(size, dtype)
    same = to_params and pf is not None and np.may_share_memory(ot, pf)
    chunk = max(1, CHUNK_BYTES // dtype.itemsize)
    a = np.empty(min(chunk, max(size, 1)), dtype)
    scratch = (a, np.empty_like(a) if c.nesterov else a, np.empty_like(a) if c.l2 else a)
    kernel, axpy = KERNELS[kind], _axpy_for(dtype)
    for i in range(0, size, chunk):
        s = slice(i, min(i + chunk, size))
        k = s.stop - s.start
        kernel(gf[s], tuple(x[s] for x in mf), None if pf is None else pf[s],
               tuple(x[s] for x in om), ot[s], tuple(x[:k] for x in scratch), c, axpy,
               to_params, same)
    new = tuple(_back(o, m, np.shape(m)) for o, m in zip(om, moments))
    return new, _back(ot, p, shape)


def _back(out: np.ndarray, orig: Any, shape: tuple) -> Any:
    """The output with the leaf's shape; the original object itself when written in place."""
    if isinstance(orig, np.ndarray) and np.may_share_memory(out, orig):
        return orig
    return out.reshape(shape)
