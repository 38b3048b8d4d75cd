"""Speed of steepest's stable functions beside scipy.special and torch (CPU), same process.

Each row times one call on a float64 array (best of several repeats) and prints the ratio
steepest / peer (below 1: steepest is faster). steepest carries the rounding error of the
max-shift and sums exactly, which costs a few extra passes over the data; see
``benchmarks/ulp_accuracy.py`` for what that buys. Peers that are not installed are skipped.

Run: ``python benchmarks/stable_speed.py``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import timeit  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

import steepest as st  # noqa: E402

SHAPES = [(10,), (1000, 100), (100, 10000)]


def best_time(f: Callable[[], object], budget: float = 0.15) -> float:
    n = max(1, int(budget / max(timeit.timeit(f, number=1), 1e-7)))
    return min(timeit.repeat(f, number=n, repeat=5)) / n


def cases(x: np.ndarray) -> dict[str, dict[str, Callable[[], object]]]:
    out: dict[str, dict[str, Callable[[], object]]] = {
        "softmax": {"steepest": lambda: st.softmax(x)},
        "log_softmax": {"steepest": lambda: st.log_softmax(x)},
        "logsumexp": {"steepest": lambda: st.logsumexp(x, axis=-1)},
        "sigmoid": {"steepest": lambda: st.sigmoid(x)},
        "log_sigmoid": {"steepest": lambda: st.log_sigmoid(x)},
        "softplus": {"steepest": lambda: st.softplus(x)},
    }
    try:
        import scipy.special as sps

        out["softmax"]["scipy"] = lambda: sps.softmax(x, axis=-1)
        out["log_softmax"]["scipy"] = lambda: sps.log_softmax(x, axis=-1)
        out["logsumexp"]["scipy"] = lambda: sps.logsumexp(x, axis=-1)
        out["sigmoid"]["scipy"] = lambda: sps.expit(x)
        out["log_sigmoid"]["scipy"] = lambda: sps.log_expit(x)
        if hasattr(sps, "softplus"):
            out["softplus"]["scipy"] = lambda: sps.softplus(x)
    except ImportError:
        pass
    try:
        import torch

        torch.set_num_threads(1)
        tx = torch.from_numpy(x)
        out["softmax"]["torch"] = lambda: torch.softmax(tx, -1).numpy()
        out["log_softmax"]["torch"] = lambda: torch.log_softmax(tx, -1).numpy()
        out["logsumexp"]["torch"] = lambda: torch.logsumexp(tx, -1).numpy()
        out["sigmoid"]["torch"] = lambda: torch.sigmoid(tx).numpy()
        out["log_sigmoid"]["torch"] = lambda: torch.nn.functional.logsigmoid(tx).numpy()
        out["softplus"]["torch"] = lambda: torch.nn.functional.softplus(tx).numpy()
    except ImportError:
        pass
    return out


def main() -> None:
    rng = np.random.default_rng(0)
    peers = ["scipy", "torch"]
    print(f"| {'function':<11} | {'shape':<12} | {'steepest':>10} | "
          + " | ".join(f"{p:>10} | {'ratio':>6}" for p in peers) + " |")
    print("|" + "---|" * (3 + 2 * len(peers)))
    for shape in SHAPES:
        x = rng.standard_normal(shape) * 10
        with np.errstate(all="ignore"):
            for name, impls in cases(x).items():
                t_st = best_time(impls["steepest"])
                cells = []
                for p in peers:
                    if p in impls:
                        t_p = best_time(impls[p])
                        cells.append(f"{t_p * 1e6:8.1f}us | {t_st / t_p:6.2f}")
                    else:
                        cells.append(f"{'-':>10} | {'-':>6}")
                print(f"| {name:<11} | {str(shape):<12} | {t_st * 1e6:8.1f}us | "
                      + " | ".join(cells) + " |")
    print("\nratio = steepest time / peer time (float64, one thread; lower is better for "
          "steepest)")


if __name__ == "__main__":
    main()
