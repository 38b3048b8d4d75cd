"""Timing helper shared by the benchmark scripts (imported as ``_timing``: the scripts run as
``python benchmarks/<name>.py``, which puts this folder first on ``sys.path``)."""

from __future__ import annotations

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
