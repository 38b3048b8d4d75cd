"""One step of SGD-momentum, RMSprop and Adagrad on 10^7 float64 parameters: steepest's fused
rules (functional and in place) vs torch.optim with foreach=True, one thread each.

Run: python benchmarks/optimizer_steps.py  (about 30 s; the torch columns are n/a without torch)
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_k] = "1"

import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
import steepest.optimizers as so  # noqa: E402
from _timing import interleaved_best  # noqa: E402

N = 10_000_000
REPEATS = 7


def ours(opt: so.Optimizer, g: np.ndarray, inplace: bool) -> Callable[[], None]:
    box = {"p": np.random.default_rng(1).standard_normal(N)}
    box["s"] = opt.init(box["p"])

    def run() -> None:
        box["p"], box["s"] = so.step(opt, g, box["s"], box["p"], inplace=inplace)

    return run


def main() -> None:
    try:
        import torch
    except ImportError:
        torch = None
        print("torch not installed: its columns are n/a")
    else:
        torch.set_num_threads(1)
    g = np.random.default_rng(0).standard_normal(N)
    rules = {
        "sgd momentum 0.9": (lambda: so.momentum(1e-3, 0.9, form="sum"),
                             lambda ps: torch.optim.SGD(ps, lr=1e-3, momentum=0.9, foreach=True)),
        "rmsprop": (lambda: so.rmsprop(1e-3),
                    lambda ps: torch.optim.RMSprop(ps, lr=1e-3, foreach=True)),
        "adagrad": (lambda: so.adagrad(1e-3),
                    lambda ps: torch.optim.Adagrad(ps, lr=1e-3, foreach=True)),
    }
    print(f"float64, N = {N:.0e}, one thread, best of {REPEATS} interleaved runs (ms/step)")
    print(f"{'rule':<18}{'steepest step':>15}{'step inplace':>14}{'torch foreach':>15}"
          f"{'torch/step':>12}{'torch/inplace':>15}")
    for name, (make, make_torch) in rules.items():
        cases = {"step": ours(make(), g, False), "inplace": ours(make(), g, True)}
        if torch is not None:
            p = torch.zeros(N, dtype=torch.float64, requires_grad=True)
            p.grad = torch.from_numpy(g.copy())
            cases["torch"] = make_torch([p]).step
        t = interleaved_best(cases, REPEATS)
        theirs = (f"{t['torch'] * 1e3:>15.1f}{t['torch'] / t['step']:>11.2f}x"
                  f"{t['torch'] / t['inplace']:>14.2f}x") if "torch" in t else (
            f"{'n/a':>15}{'n/a':>12}{'n/a':>15}")
        print(f"{name:<18}{t['step'] * 1e3:>15.1f}{t['inplace'] * 1e3:>14.1f}{theirs}")


if __name__ == "__main__":
    main()
