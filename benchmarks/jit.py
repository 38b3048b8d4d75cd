"""steepest.jit: per-call cost of recorded-and-replayed derivatives, beside the peers.

Sections (issue 12's goals; ratios are medians of interleaved rounds, one BLAS thread):

1. 2-D Rosenbrock gradient per call: ``jit(grad(f))`` against hand-written NumPy gradients
   (the scalar formula and ``scipy.optimize.rosen_der``), eager steepest, and autograd,
   torch eager, ``torch.func.grad`` and ``jax.jit(jax.grad)`` when installed; plus the
   first call (trace + compile + run).
2. Chained Rosenbrock, n = 10⁶: ``jit(grad)`` and ``jit(hvp)`` over the NumPy ``f``.
3. MLP 784-512-512-10 (tanh, softmax cross-entropy), batch 256: ``jit(grad)`` over ``f``.
4. BFGS with ``options={"jit": True}``: total wall time over scipy's BFGS with a
   hand-written gradient, on 2-D Rosenbrock and some MGH problems.

Run: ``python benchmarks/jit.py`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import importlib.util  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402
import scipy.optimize as so  # noqa: E402

import steepest as st  # noqa: E402
from _jit_passes import (  # noqa: E402
    mlp_gemm_floor,
    passes_off,
    peak_mib,
    replay_profile,
    traced_first,
)
from _timing import interleaved_median  # noqa: E402

QUICK = "--quick" in sys.argv


def _have(name: str) -> bool:
    return importlib.util.find_spec(name) is not None



def rosen(x):
    return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2


def rosen_grad_hand(x):
    d = x[1] - x[0] ** 2
    return np.array([-400 * x[0] * d - 2 * (1 - x[0]), 200 * d])


def chained(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _peer_grads(f_np: Callable, x: np.ndarray) -> dict[str, Callable[[], object]]:
    """Gradient-per-call closures of the installed peers for a NumPy-written ``f``."""
    out: dict[str, Callable[[], object]] = {}
    if _have("autograd"):
        import autograd
        import autograd.numpy as anp  # noqa: F401  (autograd traces plain numpy via its own)

        ag = autograd.grad(lambda v: f_np(v, autograd.numpy))
        out["autograd"] = lambda: ag(x)
    if _have("torch"):
        import torch

        torch.set_num_threads(1)
        xt = torch.tensor(x)

        def eager():
            v = xt.clone().requires_grad_(True)
            f_np(v, torch).backward()
            return v.grad

        out["torch eager"] = eager
        tg = torch.func.grad(lambda v: f_np(v, torch))
        out["torch.func.grad"] = lambda: tg(xt)
    if _have("jax"):
        import jax

        jax.config.update("jax_enable_x64", True)
        jg = jax.jit(jax.grad(lambda v: f_np(v, jax.numpy)))
        xj = jax.numpy.asarray(x)
        out["jax.jit(grad)"] = lambda: jg(xj).block_until_ready()
    return out


def _rosen_generic(x, xp):
    return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2


def _chained_generic(x, xp):
    return xp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def section_rosen2d() -> None:
    x = np.array([-1.2, 1.0])
    jg = st.jit(st.grad(rosen))
    cases = {"numpy hand formula": lambda: rosen_grad_hand(x),
             "scipy.optimize.rosen_der": lambda: so.rosen_der(x),
             "steepest eager grad": lambda: st.grad(rosen)(x),
             "steepest jit(grad)": lambda: jg(x)}
    cases.update(_peer_grads(_rosen_generic, x))
    t = interleaved_median(cases, rounds=7 if QUICK else 21, number=200)
    first = []
    for _ in range(5):
        fresh = st.jit(st.grad(rosen))
        t0 = time.perf_counter()
        fresh(x)
        first.append(time.perf_counter() - t0)
    ref = t["scipy.optimize.rosen_der"]
    print("1. 2-D Rosenbrock gradient, per call (median of interleaved rounds)")
    for k, v in t.items():
        print(f"   {k:28s} {v * 1e6:9.1f} µs   {v / ref:6.2f}× rosen_der"
              f"   {v / t['numpy hand formula']:6.1f}× hand formula")
    print(f"   first call of jit(grad): trace + compile + run {statistics.median(first) * 1e3:.2f}"
          f" ms ({statistics.median(first) / t['steepest jit(grad)']:.0f} replays)")


def section_chained() -> None:
    n = 10 ** 5 if QUICK else 10 ** 6
    rng = np.random.default_rng(0)
    x, v = rng.uniform(-1, 1, n), rng.standard_normal(n)
    jg = traced_first(st.jit(st.grad(chained)), x)
    jh = traced_first(st.jit(lambda x, v: st.hvp(chained, x, v)), x, v)
    with passes_off():
        jg0 = traced_first(st.jit(st.grad(chained)), x)
        jh0 = traced_first(st.jit(lambda x, v: st.hvp(chained, x, v)), x, v)
    cases = {"numpy f": lambda: chained(x), "steepest eager grad": lambda: st.grad(chained)(x),
             "steepest jit(grad)": lambda: jg(x),
             "jit(grad), passes off": lambda: jg0(x),
             "steepest eager hvp": lambda: st.hvp(chained, x, v),
             "steepest jit(hvp)": lambda: jh(x, v),
             "jit(hvp), passes off": lambda: jh0(x, v)}
    peers = _peer_grads(_chained_generic, x)
    cases.update({k: p for k, p in peers.items() if k != "autograd" or QUICK})
    t = interleaved_median(cases, rounds=5 if QUICK else 9)
    print(f"\n2. chained Rosenbrock n = {n:.0e}: time / time(numpy f)")
    for k, val in t.items():
        print(f"   {k:28s} {val * 1e3:9.2f} ms   {val / t['numpy f']:6.2f}×")
    print("   tracemalloc peak of one call (MiB): " + ", ".join(
        f"{k} {peak_mib(fn):.1f}" for k, fn in cases.items() if "torch" not in k
        and "jax" not in k and "autograd" not in k))
    for name, j, a in (("jit(grad)", jg, (x,)), ("jit(hvp)", jh, (x, v))):
        print(f"   {name} " + str(j.passes(*a)).replace("\n", "\n   "))


def _mlp_loss(params, x, labels):
    h = np.tanh(x @ params[0] + params[1])
    h = np.tanh(h @ params[2] + params[3])
    return st.cross_entropy(h @ params[4] + params[5], labels)


def section_mlp() -> None:
    rng = np.random.default_rng(1)
    sizes = [784, 512, 512, 10]
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        params += [rng.standard_normal((a, b)) / np.sqrt(a), np.zeros(b)]
    x, labels = rng.standard_normal((256, 784)), rng.integers(0, 10, 256)
    jg = traced_first(st.jit(st.grad(_mlp_loss)), params, x, labels)
    with passes_off():
        jg0 = traced_first(st.jit(st.grad(_mlp_loss)), params, x, labels)
    f = lambda: _mlp_loss(params, x, labels)  # noqa: E731
    cases = {"numpy f": f,
             "GEMM floor: f + 5 bwd matmuls": mlp_gemm_floor(params, x, f),
             "steepest eager grad": lambda: st.grad(_mlp_loss)(params, x, labels),
             "steepest jit(grad)": lambda: jg(params, x, labels),
             "jit(grad), passes off": lambda: jg0(params, x, labels)}
    t = interleaved_median(cases, rounds=5 if QUICK else 15)
    print("\n3. MLP 784-512-512-10, batch 256: time / time(f)")
    for k, val in t.items():
        print(f"   {k:28s} {val * 1e3:9.2f} ms   {val / t['numpy f']:6.2f}×")
    floor = t["GEMM floor: f + 5 bwd matmuls"]
    print(f"   jit(grad) / GEMM floor: {t['steepest jit(grad)'] / floor:.3f}")
    print("   tracemalloc peak of one call (MiB): " + ", ".join(
        f"{k} {peak_mib(fn):.1f}" for k, fn in cases.items() if "floor" not in k))
    print("   " + str(jg.passes(params, x, labels)).replace("\n", "\n   "))
    print("   slowest replayed operations (each alone, median of 5):")
    for name, shape, sec in replay_profile(jg, params, x, labels):
        print(f"     {name:14s} {str(shape):12s} {sec * 1e3:7.2f} ms")


def _bfgs_pair(name: str, fun: Callable, grad: Callable, x0: np.ndarray) -> None:
    def ours():
        return st.minimize(fun, x0, method="bfgs", options={"jit": True, "certify": False})

    def theirs():
        return so.minimize(fun, x0, jac=grad, method="BFGS")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = interleaved_median({"steepest": ours, "scipy": theirs}, rounds=3 if QUICK else 7)
        r1, r2 = ours(), theirs()
    print(f"   {name:24s} steepest {t['steepest'] * 1e3:8.2f} ms ({r1.nit:4d} it)   scipy "
          f"{t['scipy'] * 1e3:8.2f} ms ({r2.nit:4d} it)   ratio {t['steepest'] / t['scipy']:5.2f}")


def section_bfgs() -> None:
    print("\n4. BFGS, options={'jit': True} (autodiff gradient) vs scipy BFGS with a hand "
          "gradient: total wall time")
    _bfgs_pair("rosenbrock 2-D", rosen, rosen_grad_hand, np.array([-1.2, 1.0]))
    for name in ("beale", "helical_valley", "wood", "powell_singular"):
        p = st.problems.mgh_problem(name)
        _bfgs_pair(f"mgh {name}", p.fun, p.grad, np.asarray(p.x0, dtype=float))


if __name__ == "__main__":
    print("peers:", ", ".join(f"{m} {'yes' if _have(m) else 'absent'}"
                              for m in ("autograd", "torch", "jax")))
    section_rosen2d()
    section_chained()
    section_mlp()
    section_bfgs()
