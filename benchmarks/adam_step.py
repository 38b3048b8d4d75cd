"""One Adam step on 10^7 parameters: steepest vs torch.optim.Adam (and optax) on one CPU core.

Reports milliseconds per step (best of several), the effective bandwidth of the step counted
as the 7 arrays it must touch (read p, g, m, v; write p, m, v) and that as a fraction of the
machine's bandwidth, measured here with a large NumPy copy (read + write of 1 GiB).

steepest variants:
  update+apply  functional: updates, state = opt.update(...); params = apply_updates(...)
  step          fused functional step (fresh arrays for p, m, v; nothing mutated)
  step inplace  opt-in fused step writing into p, m, v (zero allocation)

Run: python benchmarks/adam_step.py  (about a minute; torch/optax columns skipped if absent)
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_k] = "1"
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                      "intra_op_parallelism_threads=1")

import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
import steepest.optimizers as so  # noqa: E402
from _timing import interleaved_best  # noqa: E402

N = 10_000_000
REPEATS = 9


COPY = "numpy copy 1 GiB"


def copy_case() -> dict[str, Callable[[], None]]:
    """A 1 GiB np.copyto (read + write, beyond the last-level cache): the bandwidth yardstick,
    timed in turn with the cases so that it sees the same machine load."""
    src = np.ones(2**27)
    dst = np.empty_like(src)
    return {COPY: lambda: np.copyto(dst, src)}


def steepest_cases(dtype: np.dtype) -> dict[str, Callable[[], None]]:
    rng = np.random.default_rng(0)
    g = rng.standard_normal(N).astype(dtype)
    opt = so.adam(1e-3)
    box = {"p": rng.standard_normal(N).astype(dtype)}
    box["s"] = opt.init(box["p"])

    def functional() -> None:
        u, box["s"] = opt.update(g, box["s"], box["p"])
        box["p"] = so.apply_updates(box["p"], u)

    def fused() -> None:
        box["p"], box["s"] = so.step(opt, g, box["s"], box["p"])

    def inplace() -> None:
        box["p"], box["s"] = so.step(opt, g, box["s"], box["p"], inplace=True)

    return {"steepest update+apply": functional, "steepest step": fused,
            "steepest step inplace": inplace}


def torch_cases(dtype: np.dtype) -> dict[str, Callable[[], None]]:
    try:
        import torch
    except ImportError:
        return {}
    torch.set_num_threads(1)
    tdt = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}[dtype]
    cases = {}
    for label, kw in (("torch Adam foreach", {"foreach": True}),
                      ("torch Adam fused", {"fused": True})):
        p = torch.zeros(N, dtype=tdt, requires_grad=True)
        p.grad = torch.randn(N, dtype=tdt, generator=torch.Generator().manual_seed(0))
        try:
            opt = torch.optim.Adam([p], lr=1e-3, **kw)
        except (RuntimeError, ValueError):
            continue
        cases[label] = opt.step
    return cases


def optax_cases(dtype: np.dtype) -> dict[str, Callable[[], None]]:
    try:
        import jax
        import optax
    except ImportError:
        return {}
    jax.config.update("jax_enable_x64", True)
    opt = optax.adam(1e-3)
    p = jax.numpy.zeros(N, dtype=dtype)
    g = jax.numpy.ones(N, dtype=dtype)
    box = {"p": p, "s": opt.init(p)}

    @jax.jit
    def stepper(p, s, g):
        u, s = opt.update(g, s, p)
        return optax.apply_updates(p, u), s

    def run() -> None:
        box["p"], box["s"] = stepper(box["p"], box["s"], g)
        box["p"].block_until_ready()

    return {"optax adam (jit)": run}


def main() -> None:
    print(f"one thread everywhere; N = {N:.0e}; best of {REPEATS} interleaved runs")
    for dtype in (np.dtype(np.float32), np.dtype(np.float64)):
        moved = 7 * N * dtype.itemsize
        cases = {**steepest_cases(dtype), **torch_cases(dtype), **optax_cases(dtype)}
        times = interleaved_best({**cases, **copy_case()}, REPEATS)
        bw = 2 * 2**30 / times.pop(COPY)
        ref = times.get("torch Adam foreach")
        print(f"\n{dtype.name}: {moved / 1e6:.0f} MB moved per step at minimum; "
              f"machine bandwidth (1 GiB numpy copy, read+write) {bw / 1e9:.1f} GB/s")
        print(f"{'implementation':<24}{'ms/step':>9}{'GB/s':>8}{'% of bw':>9}"
              f"{'speedup vs torch foreach':>26}")
        for name, t in times.items():
            ratio = f"{ref / t:.2f}x" if ref else "n/a"
            print(f"{name:<24}{t * 1e3:>9.1f}{moved / t / 1e9:>8.1f}{100 * moved / t / bw:>8.0f}%"
                  f"{ratio:>26}")


if __name__ == "__main__":
    main()
