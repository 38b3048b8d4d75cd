"""Per-example gradients: ``vmap(grad(loss))`` against one batch gradient, a Python loop over
the examples, ``torch.func.vmap(grad)`` and ``jax.vmap(grad)`` (optional peers, skipped when
absent).

The loss is the MLP 784-512-512-10 (tanh, softmax cross-entropy, one-hot labels) of issue 11,
on a batch of 256 examples, in float64 everywhere. Goal (issue 11): ``vmap(grad)`` ≤ 3× one
batch gradient. Every case runs in this process, interleaved round by round, BLAS pinned to one
thread; the table gives the median of the rounds. Note that the per-example gradients are
256 × 670 k numbers (1.4 GB in float64): writing them is part of every per-example case.

Run: ``python benchmarks/vmap.py [rounds]``.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import steepest as st  # noqa: E402
from _timing import interleaved_median  # noqa: E402

SIZES, BATCH = (784, 512, 512, 10), 256



def problem(seed: int = 0) -> tuple[dict, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    params = {}
    for i, (m, n) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        params[f"W{i}"] = rng.normal(size=(m, n)) / np.sqrt(m)
        params[f"b{i}"] = np.zeros(n)
    X = rng.normal(size=(BATCH, SIZES[0]))
    Y = np.eye(SIZES[-1])[rng.integers(0, SIZES[-1], BATCH)]
    return params, X, Y


def loss(p: dict, x: Any, y: Any, log_softmax: Callable = st.log_softmax,
         tanh: Callable = np.tanh, total: Callable = np.sum) -> Any:
    """Cross-entropy of one example (or of a batch: the rows of ``x`` and ``y``)."""
    h = x
    for i in range(len(SIZES) - 2):
        h = tanh(h @ p[f"W{i}"] + p[f"b{i}"])
    z = h @ p[f"W{len(SIZES) - 2}"] + p[f"b{len(SIZES) - 2}"]
    return -total(y * log_softmax(z, axis=-1))


def steepest_cases(params: dict, X: np.ndarray, Y: np.ndarray) -> dict[str, Callable]:
    per_example = st.vmap(st.grad(loss), in_axes=(None, 0, 0))
    one = st.grad(loss)
    return {
        "steepest batch grad": lambda: st.grad(loss)(params, X, Y),
        "steepest vmap(grad)": lambda: per_example(params, X, Y),
        "steepest loop of grad": lambda: [one(params, x, y) for x, y in zip(X, Y)],
    }


def torch_cases(params: dict, X: np.ndarray, Y: np.ndarray) -> dict[str, Callable]:
    try:
        import torch
        from torch.func import grad, vmap
    except ImportError:
        return {}
    torch.set_num_threads(1)
    tp = {k: torch.tensor(v) for k, v in params.items()}
    tx, ty = torch.tensor(X), torch.tensor(Y)

    def tloss(p: dict, x: Any, y: Any) -> Any:
        return loss(p, x, y, log_softmax=lambda z, axis: torch.log_softmax(z, dim=axis),
                    tanh=torch.tanh, total=torch.sum)

    per_example = vmap(grad(tloss), in_dims=(None, 0, 0))
    return {"torch.func batch grad": lambda: grad(tloss)(tp, tx, ty),
            "torch.func vmap(grad)": lambda: per_example(tp, tx, ty)}


def jax_cases(params: dict, X: np.ndarray, Y: np.ndarray) -> dict[str, Callable]:
    try:
        import jax
    except ImportError:
        return {}
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    jp = {k: jnp.asarray(v) for k, v in params.items()}
    jx, jy = jnp.asarray(X), jnp.asarray(Y)

    def jloss(p: dict, x: Any, y: Any) -> Any:
        return loss(p, x, y, log_softmax=jax.nn.log_softmax, tanh=jnp.tanh, total=jnp.sum)

    batch = jax.jit(jax.grad(jloss))
    per_example = jax.jit(jax.vmap(jax.grad(jloss), in_axes=(None, 0, 0)))
    return {"jax.jit batch grad": lambda: jax.block_until_ready(batch(jp, jx, jy)),
            "jax.jit vmap(grad)": lambda: jax.block_until_ready(per_example(jp, jx, jy))}


def check(params: dict, X: np.ndarray, Y: np.ndarray) -> float:
    """Largest relative difference between vmap(grad) and the loop, on 8 examples."""
    got = st.vmap(st.grad(loss), in_axes=(None, 0, 0))(params, X[:8], Y[:8])
    worst = 0.0
    for j in range(8):
        ref = st.grad(loss)(params, X[j], Y[j])
        for k in ref:
            worst = max(worst, float(np.max(np.abs(got[k][j] - ref[k]))
                                     / (np.max(np.abs(ref[k])) + 1e-300)))
    return worst


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    params, X, Y = problem()
    print(f"MLP {'-'.join(map(str, SIZES))}, batch {BATCH}, float64; vmap(grad) vs loop: "
          f"max relative difference {check(params, X, Y):.1e}")
    cases = {**steepest_cases(params, X, Y), **torch_cases(params, X, Y),
             **jax_cases(params, X, Y)}
    t = interleaved_median(cases, rounds)
    base = t["steepest batch grad"]
    print(f"median of {rounds} rounds (interleaved, 1 BLAS thread)")
    print("| case | time (ms) | / steepest batch grad |")
    print("|---|---|---|")
    for name, v in t.items():
        print(f"| {name} | {v * 1e3:.1f} | {v / base:.2f} |")
    ratio = t["steepest vmap(grad)"] / base
    loop = t["steepest loop of grad"] / t["steepest vmap(grad)"]
    print(f"\nsteepest vmap(grad) / batch grad = {ratio:.2f} (goal ≤ 3); "
          f"vmap is {loop:.1f}× faster than the loop")
    for peer in ("torch.func", "jax.jit"):
        peer_vmap = t.get(f"{peer} vmap(grad)")
        if peer_vmap is not None:
            print(f"{peer}: vmap(grad) / its batch grad = "
                  f"{peer_vmap / t[f'{peer} batch grad']:.2f}; steepest vmap(grad) / "
                  f"{peer} vmap(grad) = {t['steepest vmap(grad)'] / peer_vmap:.2f}")


if __name__ == "__main__":
    main()
