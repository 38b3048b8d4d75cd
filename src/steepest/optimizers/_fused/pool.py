"""Recycling of output buffers that nothing outside the pool references any more.

A pure optimizer step must return new arrays. At 10^7 parameters a fresh 80 MB array is not
free: the allocator maps new pages and the kernel zeroes every one of them on first touch,
which costs about as much as the Adam arithmetic itself. The pool keeps the buffers it handed
out; when a later step needs an output, a pooled buffer whose only reference is the pool's
own is reused instead of allocating.

Why this is safe: an array referenced by nothing but the pool is exactly an array that NumPy
would free if the pool let go of it; anything that still reads it (a held state, a view, a
memoryview, a torch tensor made by ``torch.from_numpy``) holds a reference, which the count
sees. So reuse happens only where free-then-malloc could have returned the same memory. The
check uses ``sys.getrefcount``; on interpreters without it or without the GIL the pool is off.

Cost: up to ``per_key`` buffers per (size, dtype) stay alive with the optimizer, typically one
extra generation of (params, m, v).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

import numpy as np

__all__ = ["BufferPool", "POOL_SUPPORTED"]


def _refcounts(bufs: list[np.ndarray]) -> list[int]:
    return [sys.getrefcount(b) for b in bufs]


POOL_SUPPORTED = hasattr(sys, "getrefcount") and getattr(sys, "_is_gil_enabled", lambda: True)()
_BASE = _refcounts([np.empty(0)])[0] if POOL_SUPPORTED else 0  # list slot + loop var + arg


@dataclass
class PoolStats:
    reused: int = 0
    allocated: int = 0


class BufferPool:
    """Hands out 1-D buffers, reusing those no longer referenced outside the pool.

    Buffers under ``min_bytes`` are plain ``np.empty`` (small allocations are cheap and come
    from the heap); ``per_key`` bounds how many buffers of one (size, dtype) are kept.
    """

    def __init__(self, per_key: int = 8, min_bytes: int = 1 << 20) -> None:
        self.per_key = per_key
        self.min_bytes = min_bytes
        self.stats = PoolStats()
        self._bufs: dict[tuple[int, str], list[np.ndarray]] = {}
        self._lock = threading.Lock()

    def take(self, size: int, dtype: np.dtype) -> np.ndarray:
        """A 1-D buffer of ``size`` elements of ``dtype`` (contents undefined)."""
        dtype = np.dtype(dtype)
        if size * dtype.itemsize < self.min_bytes:
            return np.empty(size, dtype)
        key = (int(size), dtype.str)
        with self._lock:
            bufs = self._bufs.setdefault(key, [])
            for i, count in enumerate(_refcounts(bufs)):
                if count <= _BASE:
                    self.stats.reused += 1
                    return bufs[i]
            buf = np.empty(size, dtype)
            bufs.append(buf)
            if len(bufs) > self.per_key:
                bufs.pop(0)  # forget the oldest; whoever holds it keeps it
            self.stats.allocated += 1
            return buf

    def __getstate__(self) -> dict:
        """Copies and pickles carry the settings only: buffers and lock are per instance."""
        return {"per_key": self.per_key, "min_bytes": self.min_bytes}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["per_key"], state["min_bytes"])

    def clear(self) -> None:
        """Drop every pooled buffer (memory returns to the system once unreferenced)."""
        with self._lock:
            self._bufs.clear()
