"""Timing helper shared by the benchmark scripts (imported as ``_timing``: the scripts run as
``python benchmarks/<name>.py``, which puts this folder first on ``sys.path``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def interleaved_best(cases: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Best (minimum) wall time of each case over ``repeats`` rounds, after one warm-up round.

    One round runs every case once, taking turns, so that a change of machine load from other
    processes hits all cases alike.
    """
    for fn in cases.values():
        fn()  # warm up
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(repeats):
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def interleaved_median(cases: dict[str, Callable[[], object]], rounds: int, number: int = 1
                       ) -> dict[str, float]:
    """Median per-call wall time of each case over ``rounds`` interleaved rounds of ``number``
    calls each, after one warm-up call per case (the shared machine's noise is reported as
    medians, not minima)."""
    for fn in cases.values():
        fn()  # warm up
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            t0 = time.perf_counter()
            for _ in range(number):
                fn()
            times[name].append((time.perf_counter() - t0) / number)
    return {k: statistics.median(v) for k, v in times.items()}
