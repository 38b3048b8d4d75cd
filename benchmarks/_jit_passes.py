"""Helpers of ``benchmarks/jit.py`` for the graph passes (lane g12graph): a jit with the
passes switched off (to measure what they bring), the tracemalloc peak of one call, the
"GEMM floor" of the MLP gradient and a per-node profile of a replay."""

from __future__ import annotations

import contextlib
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator

import numpy as np

import steepest.compile.jitting as _jitting
from steepest.compile.passes.graph import plain_fun, value
from steepest.compile.terms import Term


@contextlib.contextmanager
def passes_off() -> Iterator[None]:
    """Within the block, new recordings skip the graph passes (CSE of the rewrite step
    stays), as before lane g12graph."""
    saved = _jitting.run_passes
    _jitting.run_passes = lambda roots, rewrite=False, recorded=None: (roots, None)
    try:
        yield
    finally:
        _jitting.run_passes = saved


def traced_first(jitted: Callable, *args: object) -> Callable:
    """Call ``jitted`` once (the trace), so the passes setting at this point is the one used."""
    jitted(*args)
    return jitted


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak traced allocation (MiB) of one call of ``fn`` (after a warm-up call)."""
    fn()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2 ** 20
    finally:
        tracemalloc.stop()


def mlp_gemm_floor(params: list, x: np.ndarray, f: Callable[[], object]) -> Callable:
    """``f()`` followed by the five matrix products of the MLP's backward pass (same shapes
    and layouts as the replay's: dW = Aᵀ·G with Aᵀ a transposed view, dA = G·Wᵀ)."""
    rng = np.random.default_rng(3)
    h1, h2 = np.tanh(rng.standard_normal((256, 512))), np.tanh(rng.standard_normal((256, 512)))
    g3, g2, g1 = (rng.standard_normal((256, 10)), rng.standard_normal((256, 512)),
                  rng.standard_normal((256, 512)))

    def floor() -> None:
        f()
        g3 @ params[4].T  # dA2 = G3 W3ᵀ
        g2 @ params[2].T  # dA1 = G2 W2ᵀ
        x.T @ g1          # dW1 = Xᵀ G1
        h1.T @ g2         # dW2 = A1ᵀ G2
        h2.T @ g3         # dW3 = A2ᵀ G3

    return floor


def replay_profile(jitted: object, *args: object, rounds: int = 5, top: int = 8
                   ) -> list[tuple[str, tuple, float]]:
    """``(operation, shape, median seconds)`` of the slowest terms of the replay of
    ``jitted(*args)``, each run alone on its traced arguments (no buffer plan)."""
    rec = jitted.recordings(*args)[0]
    rows = []
    for t in rec.program_terms():
        if t.op is None:
            continue
        fun = plain_fun(t)
        vals = [value(a) if isinstance(a, Term) else a for a in t.args]
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            fun(*vals, **t.kwargs)
            times.append(time.perf_counter() - t0)
        rows.append((t.name, np.shape(value(t)), statistics.median(times)))
    rows.sort(key=lambda r: -r[2])
    return rows[:top]
