"""GD vs SGD vs momentum vs Adam on the seed's examples (Liquet et al. §4.2-4.3).

1. Rosenbrock, eq. 4.9, from (0.2, -0.2) with the settings of Figure 4.6
   (alpha = 0.001 / (1 - beta)), plus Adam: iterations to C < 1e-6 and C after 5000 steps.
2. The sum of quadratics of eq. 4.12 (n = 5 distinct minimisers): GD with the full gradient
   vs single-sample SGD, momentum and Adam: loss gap C - C* reached and per-sample gradient
   evaluations (GD pays n per iteration, SGD 1).
3. Per-step overhead on these 2-parameter problems: steepest vs torch.optim (same rule).

Run: python benchmarks/first_order.py  (a few seconds; the torch column is skipped if absent)
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_k] = "1"

import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
import steepest.optimizers as so  # noqa: E402
from steepest.tour.first_order import (  # noqa: E402
    ROSENBROCK_START,
    rosenbrock,
    rosenbrock_grad,
    sum_of_quadratics,
    trajectory,
)


def first_below(values: np.ndarray, tol: float) -> str:
    hit = np.flatnonzero(values < tol)
    return str(int(hit[0])) if hit.size else "-"


def rosenbrock_table(steps: int = 5000) -> None:
    rules = {f"momentum beta={b}" if b else "GD (beta=0)": so.momentum(0.001 / (1 - b), b)
             for b in (0.0, 0.5, 0.8, 0.9, 0.95)}
    rules["adam lr=0.02"] = so.adam(0.02)
    rules["nesterov beta=0.9"] = so.nesterov(0.01, 0.9)
    print(f"\nRosenbrock (eq. 4.9) from (0.2, -0.2), alpha = 0.001/(1 - beta), {steps} steps")
    print(f"{'rule':<22}{'iters to C<1e-6':>17}{'C at end':>12}{'|x - x*|':>11}")
    for name, opt in rules.items():
        xs = trajectory(opt, lambda x, t: rosenbrock_grad(x), ROSENBROCK_START, steps)
        c = np.array([rosenbrock(x) for x in xs])
        print(f"{name:<22}{first_below(c, 1e-6):>17}{c[-1]:>12.2e}"
              f"{np.linalg.norm(xs[-1] - 1):>11.2e}")


def quadratics_table(steps: int = 2000, lr: float = 0.05) -> None:
    prob = sum_of_quadratics()
    n, c_star = len(prob.a), prob.loss(prob.minimizer)
    picks = np.random.default_rng(0).integers(0, n, steps)
    x0 = np.array([-2.5, 2.0])

    def sample(x: np.ndarray, t: int) -> np.ndarray:
        return prob.grad_i(x, picks[t])

    def full(x: np.ndarray, t: int) -> np.ndarray:
        return prob.grad(x)

    rules = [("GD", so.sgd(lr), full, n), ("SGD", so.sgd(lr), sample, 1),
             ("SGD momentum 0.9", so.momentum(lr, 0.9), sample, 1),
             ("SGD + Adam lr=0.05", so.adam(0.05), sample, 1),
             ("GD momentum 0.9", so.momentum(lr, 0.9), full, n),
             ("GD + Adam", so.adam(0.05), full, n)]
    print(f"\nSum of quadratics (eq. 4.12), n = {n}, from (-2.5, 2), {steps} steps, lr = {lr}")
    print(f"{'rule':<20}{'grads/step':>11}{'evals to gap<1e-2':>19}{'gap at end':>12}"
          f"{'mean gap last 500':>19}")
    for name, opt, grad, cost in rules:
        gaps = np.array([prob.loss(x) - c_star for x in trajectory(opt, grad, x0, steps)])
        hit = np.flatnonzero(gaps < 1e-2)
        evals = str(int(hit[0]) * cost) if hit.size else "-"
        print(f"{name:<20}{cost:>11}{evals:>19}{gaps[-1]:>12.2e}{gaps[-500:].mean():>19.2e}")


def time_pair(opt: so.Optimizer, make_torch, steps: int, blocks: int) -> tuple[float, float]:
    """Best per-step seconds of steepest and torch over interleaved blocks of ``steps``."""
    import torch

    box = {"x": ROSENBROCK_START.copy()}
    box["s"] = opt.init(box["x"])
    p = torch.tensor(ROSENBROCK_START, requires_grad=True)
    topt = make_torch([p])

    def ours() -> None:
        for _ in range(steps):
            box["x"], box["s"] = so.step(opt, rosenbrock_grad(box["x"]), box["s"], box["x"])

    def theirs() -> None:
        for _ in range(steps):
            p.grad = torch.from_numpy(rosenbrock_grad(p.detach().numpy()))
            topt.step()

    best = {ours: float("inf"), theirs: float("inf")}
    for _ in range(blocks):
        for fn in best:
            t0 = time.perf_counter()
            fn()
            best[fn] = min(best[fn], (time.perf_counter() - t0) / steps)
    assert np.allclose(box["x"], p.detach().numpy(), rtol=1e-9)  # same trajectory
    return best[ours], best[theirs]


def overhead_table(steps: int = 600, blocks: int = 7) -> None:
    try:
        import torch
    except ImportError:
        print("\n(torch not installed: per-step overhead comparison skipped)")
        return
    torch.set_num_threads(1)
    pairs = {
        "sgd momentum (sum)": (so.momentum(1e-3, 0.9, form="sum"),
                               lambda ps: torch.optim.SGD(ps, lr=1e-3, momentum=0.9)),
        "adam": (so.adam(1e-3), lambda ps: torch.optim.Adam(ps, lr=1e-3)),
        "rmsprop": (so.rmsprop(1e-3), lambda ps: torch.optim.RMSprop(ps, lr=1e-3)),
    }
    print(f"\nPer-step cost on Rosenbrock (2 parameters, analytic gradient; best of {blocks} "
          f"interleaved blocks of {steps} steps)")
    print(f"{'rule':<20}{'steepest us/step':>18}{'torch us/step':>15}{'torch/steepest':>16}")
    for name, (opt, make) in pairs.items():
        ours, theirs = time_pair(opt, make, steps, blocks)
        print(f"{name:<20}{ours * 1e6:>18.1f}{theirs * 1e6:>15.1f}{theirs / ours:>15.2f}x")


if __name__ == "__main__":
    rosenbrock_table()
    quadratics_table()
    overhead_table()
