"""Tour section: per-example gradients with ``vmap`` (Goodfellow, *Efficient per-example
gradient computations*, 2015; the clipping of Abadi et al., *Deep learning with differential
privacy*, 2016).

A small MLP's loss written for one example; ``vmap(grad(loss), in_axes=(None, 0, 0))`` gives
the gradient of every example in one batched pass, equal to the Python loop over examples and
faster than it (the ratio is measured here); the per-example norms then clip each gradient
before averaging.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import plot
from ..autodiff import grad, vmap
from ..numerics import log_softmax
from .core import SectionContext, figures_unavailable

TITLE = "Per-example gradients"

def loss(params: dict, x: Any, y: Any) -> Any:
    """Cross-entropy of one example under a 20-32-3 tanh MLP (``y`` one-hot)."""
    h = np.tanh(x @ params["W1"] + params["b1"])
    return -np.sum(y * log_softmax(h @ params["W2"] + params["b2"]))


def problem(n: int = 64, seed: int = 0) -> tuple[dict, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(size=(20, 32)) / np.sqrt(20), "b1": np.zeros(32),
              "W2": rng.normal(size=(32, 3)) / np.sqrt(32), "b2": np.zeros(3)}
    X = rng.normal(size=(n, 20)) * rng.uniform(0.2, 3.0, size=(n, 1))  # uneven example scales
    Y = np.eye(3)[rng.integers(0, 3, n)]
    return params, X, Y


def _median_time(fn: Callable[[], Any], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _norms(per_example: dict) -> np.ndarray:
    return np.sqrt(sum(np.sum(g.reshape(len(g), -1) ** 2, axis=1) for g in per_example.values()))


def _per_example(ctx: SectionContext) -> tuple[np.ndarray, float]:
    params, X, Y = problem()
    per_example = vmap(grad(loss), in_axes=(None, 0, 0))
    one = grad(loss)
    G = per_example(params, X, Y)
    looped = [one(params, x, y) for x, y in zip(X, Y)]
    diff = max(float(np.max(np.abs(G[k] - np.stack([g[k] for g in looped])))) for k in G)
    t_vmap = _median_time(lambda: per_example(params, X, Y))
    t_loop = _median_time(lambda: [one(params, x, y) for x, y in zip(X, Y)])
    t_batch = _median_time(lambda: grad(lambda p: np.sum(vmap(loss, in_axes=(None, 0, 0))(
        p, X, Y)))(params))
    ctx.text("`vmap(f)` maps a function written for one example over a batch axis in one "
             "pass: every primitive runs once on all examples (NumPy broadcasting with the "
             "batch axis in front, `matmul` as one BLAS call). Composed with `grad` it gives "
             "the gradient of **every example**, which clipping, influence functions and "
             "Fisher diagonals need:")
    ctx.code("per_example = st.vmap(st.grad(loss), in_axes=(None, 0, 0))\n"
             "G = per_example(params, X, Y)   # G['W1'].shape == (64, 20, 32)")
    ctx.table(["64 examples, 20-32-3 MLP", "time (median of 5)", "vs vmap(grad)"],
              [["vmap(grad(loss))", f"{t_vmap * 1e3:.2f} ms", "1.0×"],
               ["Python loop of grad(loss)", f"{t_loop * 1e3:.2f} ms",
                f"{t_loop / t_vmap:.1f}×"],
               ["one batch gradient (grad of the vmapped sum)", f"{t_batch * 1e3:.2f} ms",
                f"{t_batch / t_vmap:.2f}×"]])
    ctx.text(f"The batched and looped gradients agree to {diff:.1e} (max abs difference); "
             f"`vmap(grad)` is {t_loop / t_vmap:.1f}× faster than the loop here.")
    norms = _norms(G)
    clip = float(np.round(np.median(norms), 2))
    scale = np.minimum(1.0, clip / norms)
    clipped = {k: np.mean(g * scale.reshape((-1,) + (1,) * (g.ndim - 1)), axis=0)
               for k, g in G.items()}
    plain = {k: np.mean(g, axis=0) for k, g in G.items()}
    ctx.text(f"**Per-example clipping** (Abadi et al. 2016): each gradient is scaled to norm "
             f"≤ {clip} (the median norm) before averaging, so no single example dominates the "
             f"step. {int(np.sum(norms > clip))} of {len(norms)} examples are clipped; the "
             f"averaged W1 gradient's norm goes from {np.linalg.norm(plain['W1']):.3f} to "
             f"{np.linalg.norm(clipped['W1']):.3f}.")
    ctx.summary(f"per-example gradients: vmap(grad) = loop to {diff:.0e}, "
                f"{t_loop / t_vmap:.1f}× faster than the loop")
    return norms, clip


def _figure(ctx: SectionContext, norms: np.ndarray, clip: float) -> None:
    if figures_unavailable(ctx):
        return
    import matplotlib.pyplot as plt

    rank = np.arange(1.0, norms.size + 1)
    ordered = np.sort(norms)[::-1]
    fig, ax = plt.subplots(figsize=(7, 4))
    plot.functions({"‖∇ℓᵢ‖ (vmap(grad))": ordered,
                    "after clipping": np.minimum(ordered, clip),
                    f"clip norm {clip}": np.full(rank.size, clip)}, rank, log=True,
                   styles={f"clip norm {clip}": {"color": "k", "ls": "--"}}, ax=ax)
    ax.set_xlabel("example (sorted by gradient norm)")
    ax.set_ylabel("gradient norm")
    ax.set_title("Per-example gradient norms of a small MLP")
    ctx.figure(fig, "per_example_gradients", "Per-example gradient norms from one "
               "vmap(grad) pass, before and after clipping to the median norm.")


def run(ctx: SectionContext) -> None:
    """Write the Per-example gradients section."""
    _figure(ctx, *_per_example(ctx))
