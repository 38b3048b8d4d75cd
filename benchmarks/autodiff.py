"""Autodiff speed: per-op overhead vs autograd, gradient / f and HVP / f on large objectives.

(a) chains of 200 small ops (shape () and (1000,)): time of one gradient per op, steepest vs
    autograd (optional peer);
(b) grad time / f time on an MLP loss (batch 256, 784-512-512-10, tanh, cross-entropy) and on
    the chained Rosenbrock function with n = 10⁶;
(c) Hessian-vector product time / f time on the same two objectives;
(d) batched linear algebra (issue 11): the gradient of Σ over a (64, 8, 8) stack of
    log|det A| + ‖A‖_* + Σ eigvalsh(AᵀA) in one batched call vs a Python loop of per-matrix
    gradients (medians of interleaved rounds).
(e) ``jacrev``/``jacfwd``/``hessian`` of a function of 100 inputs: the vmapped pass (one batched
    backward/tangent pass) against the Python loop of passes it replaced, ``torch.func`` and
    JAX (optional peers; medians of interleaved rounds).

Targets (issue 3): grad ≤ 2.5× f on the large cases, HVP ≤ 4× f, ≥ 2× faster than autograd on
small-op chains. Run: ``python benchmarks/autodiff.py`` (BLAS pinned to one thread).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from steepest.autodiff import grad, hessian, hvp, jacfwd, jacrev, value_and_grad  # noqa: E402
from steepest.autodiff import jacobians as _jacobians  # noqa: E402

try:  # optional peer
    import autograd
    import autograd.numpy as anp
except ImportError:  # pragma: no cover - peer absent
    autograd = None
    anp = None


def best_times(fns: list[Callable[[], Any]], rounds: int = 15) -> list[float]:
    """Minimum time of each of ``fns`` over ``rounds`` interleaved runs (CPU time of this
    process, so that other load on a shared machine disturbs the ratios less)."""
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            t0 = time.process_time()
            fn()
            best[i] = min(best[i], time.process_time() - t0)
    return best


def chain(xp: Any) -> Callable[[Any], Any]:
    """200 elementwise ops: 40 × (sin, multiply, multiply, add, tanh)."""

    def f(x: Any) -> Any:
        for _ in range(40):
            x = xp.tanh(xp.sin(x) * 0.9 + x * 0.5)
        return x if xp.ndim(x) == 0 else xp.sum(x)

    return f


def per_op_rows() -> list[list[str]]:
    rows = []
    for shape in [(), (1000,)]:
        x = np.full(shape, 0.3)
        ours_grad = grad(chain(np))
        fns = [lambda g=ours_grad, x=x: g(x)]
        if autograd is not None:
            peer_grad = autograd.grad(chain(anp))
            fns.append(lambda g=peer_grad, x=x: g(x))
        times = [t / 200 for t in best_times(fns, rounds=40)]
        label = f"grad of a 200-op chain, shape {shape}"
        if autograd is None:
            rows.append([label, f"{times[0] * 1e6:.2f} µs/op", "not installed", "-"])
        else:
            rows.append([label, f"{times[0] * 1e6:.2f} µs/op", f"{times[1] * 1e6:.2f} µs/op",
                         f"{times[1] / times[0]:.2f}× faster (≥ 2)"])
    return rows


def mlp_problem(xp: Any = np) -> tuple[Callable[[Any], Any], Any, Any]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 784))
    y = rng.integers(0, 10, 256)
    sizes = [784, 512, 512, 10]
    params = [(rng.standard_normal((m, n)) / np.sqrt(m), np.zeros(n))
              for m, n in zip(sizes[:-1], sizes[1:])]
    onehot = np.eye(10)[y]

    def loss(p: Any) -> Any:
        h = X
        for W, b in p[:-1]:
            h = xp.tanh(h @ W + b)
        W, b = p[-1]
        z = h @ W + b
        zmax = xp.max(z, axis=1, keepdims=True)
        logp = z - zmax - xp.log(xp.sum(xp.exp(z - zmax), axis=1, keepdims=True))
        return -xp.sum(onehot * logp) / 256

    v = [(rng.standard_normal(W.shape), rng.standard_normal(b.shape)) for W, b in params]
    return loss, params, v


def rosenbrock_problem(xp: Any = np, n: int = 10**6) -> tuple[Callable[[Any], Any], Any, Any]:
    rng = np.random.default_rng(1)

    def rosen(x: Any) -> Any:
        return xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    return rosen, rng.uniform(-1, 1, n), rng.standard_normal(n)


def _flat_peer(f: Callable[[Any], Any], x: Any, v: Any) -> tuple[Callable, Any, Any]:
    """For autograd: the objective of one flat vector (its HVP helper takes arrays only)."""
    if isinstance(x, np.ndarray):
        return f, x, v
    leaves = [a for pair in x for a in pair]
    shapes = [a.shape for a in leaves]
    bounds = np.cumsum([0] + [a.size for a in leaves])

    def flat_f(theta: Any) -> Any:
        parts = [anp.reshape(theta[lo:hi], s) for lo, hi, s in
                 zip(bounds[:-1], bounds[1:], shapes)]
        return f([(parts[k], parts[k + 1]) for k in range(0, len(parts), 2)])

    ravel = lambda t: np.concatenate([a.ravel() for pair in t for a in pair])  # noqa: E731
    return flat_f, ravel(x), ravel(v)


def large_rows() -> list[list[str]]:
    rows = []
    for name, make in [("MLP 784-512-512-10, batch 256", mlp_problem),
                       ("chained Rosenbrock, n = 10^6", rosenbrock_problem)]:
        f, x, v = make()
        fns = [lambda f=f, x=x: f(x), lambda f=f, x=x: grad(f)(x),
               lambda f=f, x=x, v=v: hvp(f, x, v)]
        if autograd is not None:
            pf, px, pv = _flat_peer(make(anp)[0], x, v)
            peer_grad, peer_hvp = autograd.grad(pf), autograd.hessian_vector_product(pf)
            fns += [lambda g=peer_grad, x=px: g(x), lambda h=peer_hvp, x=px, v=pv: h(x, v)]
        t = best_times(fns, rounds=10)
        peer = (f"{t[3] / t[0]:.2f}×", f"{t[4] / t[0]:.2f}×") if autograd is not None else (
            "-", "-")
        rows.append([name, f"{t[0] * 1e3:.1f} ms", f"{t[1] / t[0]:.2f}× (≤ 2.5)", peer[0],
                     f"{t[2] / t[0]:.2f}× (≤ 4)", peer[1]])
    return rows


def cross_entropy_rows() -> list[list[str]]:
    """value_and_grad of a 32×10 softmax cross-entropy: the fused primitive against the same
    loss composed from log_softmax + take_along_axis + mean (what it replaced)."""
    import steepest as st
    import steepest.numpy as snp

    rng = np.random.default_rng(2)
    rows = []
    for dtype in (np.float32, np.float64):
        z = rng.standard_normal((32, 10)).astype(dtype)
        y = rng.integers(0, 10, 32)
        fused = value_and_grad(lambda z, y=y: st.cross_entropy(z, y))
        composed = value_and_grad(lambda z, y=y: -snp.mean(
            snp.take_along_axis(st.log_softmax(z, axis=1), y[:, None], axis=1)))
        t = best_times([lambda f=fused, z=z: f(z), lambda f=composed, z=z: f(z),
                        lambda z=z, y=y: st.cross_entropy(z, y)], rounds=200)
        rows.append([f"32×10 {np.dtype(dtype).name}", f"{t[0] * 1e6:.0f} µs",
                     f"{t[1] * 1e6:.0f} µs", f"{t[1] / t[0]:.2f}×", f"{t[2] * 1e6:.0f} µs"])
    return rows


def median_times(fns: list[Callable[[], Any]], rounds: int = 9) -> list[float]:
    """Median wall time of each of ``fns`` over ``rounds`` interleaved rounds (after a warm-up)."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t0)
    return [float(np.median(t)) for t in times]


def _loop_of_passes(jac: Callable) -> Callable:
    """``jac`` as it was before vmap: one backward/tangent pass per row/column (a loop)."""

    def run(*args: Any) -> Any:
        saved, _jacobians._VMAP_FROM = _jacobians._VMAP_FROM, 1 << 62
        try:
            return jac(*args)
        finally:
            _jacobians._VMAP_FROM = saved

    return run


def _jac_problem(xp: Any, asarray: Callable = np.asarray) -> tuple[Callable, Callable]:
    rng = np.random.default_rng(3)
    A = asarray(rng.standard_normal((100, 100)) / 10)

    def f(x: Any) -> Any:
        return xp.tanh(A @ x) * xp.sin(x) + xp.cumsum(x) / 100

    return f, lambda x: xp.sum(f(x) ** 2)


def _jac_peers() -> dict[str, dict[str, Callable]]:
    peers: dict[str, dict[str, Callable]] = {}
    x = np.random.default_rng(4).standard_normal(100)
    try:
        import torch
        import torch.func as tf
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(1)
        tx = torch.tensor(x)
        tfun, tg = _jac_problem(_TorchNumpy(torch), torch.tensor)
        peers["torch.func"] = {"jacrev": lambda: tf.jacrev(tfun)(tx),
                               "jacfwd": lambda: tf.jacfwd(tfun)(tx),
                               "hessian": lambda: tf.hessian(tg)(tx)}
    try:
        import jax
    except ImportError:
        jax = None
    if jax is not None:
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp

        jfun, jg = _jac_problem(jnp, jnp.asarray)
        jx = jnp.asarray(x)
        jr, jf, jh = jax.jit(jax.jacrev(jfun)), jax.jit(jax.jacfwd(jfun)), jax.jit(jax.hessian(jg))
        peers["jax.jit"] = {"jacrev": lambda: jax.block_until_ready(jr(jx)),
                            "jacfwd": lambda: jax.block_until_ready(jf(jx)),
                            "hessian": lambda: jax.block_until_ready(jh(jx))}
    return peers


class _TorchNumpy:
    """The three functions the Jacobian problem needs, from torch."""

    def __init__(self, torch: Any) -> None:
        self.tanh, self.sin, self.sum = torch.tanh, torch.sin, torch.sum
        self.cumsum = lambda x: torch.cumsum(x, dim=0)


def jacobian_rows() -> list[list[str]]:
    f, g = _jac_problem(np)
    x = np.random.default_rng(4).standard_normal(100)
    peers = _jac_peers()
    rows = []
    for name, jac, fun in (("jacrev", jacrev, f), ("jacfwd", jacfwd, f), ("hessian", hessian, g)):
        new, old = jac(fun), _loop_of_passes(jac(fun))
        if not np.allclose(new(x), old(x), rtol=1e-12, atol=1e-12):
            raise RuntimeError(f"{name}: the vmapped and the looped Jacobians differ")
        fns = [lambda new=new: new(x), lambda old=old: old(x)]
        fns += [p[name] for p in peers.values()]
        t = median_times(fns, rounds=9)
        cells = [f"{t[2 + i] * 1e3:.2f} ms ({t[0] / t[2 + i]:.1f}×)" for i in range(len(peers))]
        rows.append([f"{name}, 100 inputs", f"{t[0] * 1e3:.2f} ms", f"{t[1] * 1e3:.2f} ms",
                     f"{t[1] / t[0]:.1f}×", *cells])
    return rows


def batched_linalg_rows() -> list[list[str]]:
    """One gradient over a stack of matrices vs a Python loop of per-matrix gradients."""
    rng = np.random.default_rng(3)

    def spectral(a: Any) -> Any:
        return (np.linalg.slogdet(a)[1] + np.linalg.norm(a, "nuc", axis=(-2, -1))
                + np.sum(np.linalg.eigvalsh(np.swapaxes(a, -1, -2) @ a), axis=-1))

    rows = []
    for shape in [(64, 8, 8), (16, 32, 32)]:
        stack = rng.standard_normal(shape) + 3 * np.eye(shape[-1])
        batched = grad(lambda a: np.sum(spectral(a)))
        one = grad(spectral)
        t = median_times([lambda g=batched, a=stack: g(a),
                          lambda g=one, a=stack: [g(m) for m in a]], rounds=9)
        rows.append([f"grad over a {shape} stack", f"{t[0] * 1e3:.1f} ms",
                     f"{t[1] * 1e3:.1f} ms", f"{t[1] / t[0]:.1f}× faster"])
    return rows


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    print(table(["case", "steepest", "autograd", "ratio"], per_op_rows()))
    print()
    print(table(["objective", "f time", "steepest grad / f", "autograd grad / f",
                 "steepest HVP / f", "autograd HVP / f"], large_rows()))
    print()
    print(table(["cross-entropy value_and_grad", "fused primitive", "composed", "speed-up",
                 "value only (numerics)"], cross_entropy_rows()))
    print()
    print(table(["log|det| + nuclear norm + Σ eigvalsh", "batched", "Python loop", "ratio"],
                batched_linalg_rows()))
    peers = [f"{p} (steepest / {p})" for p in _jac_peers()]
    print(table(["Jacobian (median of 9)", "steepest (vmap)", "loop of passes", "loop / vmap",
                 *peers], jacobian_rows()))


if __name__ == "__main__":
    main()
