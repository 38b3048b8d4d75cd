"""Tour section: what ``jit``'s graph passes remove from a derivative graph, and what that
buys per call, on the chained Rosenbrock function (issue 12's unfused speed goals).

The passes (:mod:`steepest.compile.passes`) run on every recording: dead-code elimination,
constant folding, exact simplifications, CSE (and, with ``rewrite=True``, rounding-changing
reassociations). ``jit(grad(f))`` then no longer computes ``f``'s value (only its seed
``ones_like(f(x))`` was read, and that is a constant), multiplies by no broadcast ones and
negates nothing twice — with the same bits as eager ``grad(f)``.
"""

from __future__ import annotations

import time

import numpy as np

from ..autodiff import grad, hvp
from ..compile import jit
from .core import SectionContext

TITLE = "Graph passes of jit"


def chained(x: np.ndarray) -> np.ndarray:
    """Chained Rosenbrock, ``Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²``."""
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _median_interleaved(cases: dict, calls: int = 10, rounds: int = 7) -> dict[str, float]:
    for fn in cases.values():
        fn()
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(rounds):
        for k, fn in cases.items():
            t0 = time.perf_counter()
            for _ in range(calls):
                fn()
            times[k].append((time.perf_counter() - t0) / calls)
    return {k: float(np.median(v)) for k, v in times.items()}


def run(ctx: SectionContext) -> None:
    """Show the pass report of ``jit(grad)`` and ``jit(hvp)`` and the per-call ratios."""
    n = 100_000
    rng = np.random.default_rng(0)
    x, v = rng.uniform(-1, 1, n), rng.standard_normal(n)
    jg, jh = jit(grad(chained), rewrite=False), jit(lambda x, v: hvp(chained, x, v),
                                                    rewrite=False)
    same_g = np.array_equal(jg(x), grad(chained)(x))
    same_h = np.array_equal(jh(x, v), hvp(chained, x, v))
    ctx.text("`jit` runs named graph passes, in a fixed order to a fixed point, on every "
             "recording; `jitted.passes(*args)` reports what each did. For the chained "
             f"Rosenbrock function (n = {n:,}) with `rewrite=False`:")
    rg, rh = jg.passes(x), jh.passes(x, v)
    rows = [[s.name, s.replaced, s.removed, h.replaced, h.removed]
            for s, h in zip(rg.stats, rh.stats)]
    rows.append(["operations replayed / recorded", f"{rg.replayed} / {rg.recorded}", "",
                 f"{rh.replayed} / {rh.recorded}", ""])
    ctx.table(["pass", "grad: replaced", "grad: removed", "hvp: replaced", "hvp: removed"],
              rows)
    ctx.text("`fold_constants` turns the seed `ones_like(f(x))` and its reshape/broadcast into "
             "constants, after which nothing reads `f(x)`: the forward value is dead and not "
             "replayed. `simplify` drops the multiply by the broadcast ones, moves negations "
             "into constants (−(2·a) → (−2)·a) and subtractions, and merges 100·(2·a) into "
             "200·a (exact: 2 is a power of two). Bit-identical to eager: gradient "
             f"{same_g}, Hessian-vector product {same_h}.")
    t = _median_interleaved({"f": lambda: chained(x), "eager grad": lambda: grad(chained)(x),
                             "jit(grad)": lambda: jg(x),
                             "eager hvp": lambda: hvp(chained, x, v),
                             "jit(hvp)": lambda: jh(x, v)})
    ctx.table(["call", "time per call", "/ time(f)"],
              [[k, f"{s * 1e3:.2f} ms", f"{s / t['f']:.2f}×"] for k, s in t.items()])
    ctx.text("Measured here (median of interleaved rounds, this machine's load included); "
             "`benchmarks/jit.py` measures n = 10⁶ against the issue's goals (grad ≤ 2.0×, "
             "hvp ≤ 3.5× f without fusion).")
    ctx.summary(f"jit(grad) of chained Rosenbrock: {t['jit(grad)'] / t['f']:.2f}× f, "
                f"{rg.recorded} → {rg.replayed} operations, same bits as eager")
