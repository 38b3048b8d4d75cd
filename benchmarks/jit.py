"""steepest.jit: per-call cost of recorded-and-replayed derivatives, beside the peers.

Sections (issue 12's goals; ratios are medians of interleaved rounds, one BLAS thread):

1. 2-D Rosenbrock gradient per call: ``jit(grad(f))`` against hand-written NumPy gradients
   (the scalar formula and ``scipy.optimize.rosen_der``), eager steepest, and autograd,
   torch eager, ``torch.func.grad`` and ``jax.jit(jax.grad)`` when installed; plus the
   first call (trace + compile + run). 1b: ``jit(f)``, ``jit(value_and_grad)`` and
   ``jit(hessian)`` of the same function beside hand-written NumPy formulas.
2. Chained Rosenbrock, n = 10⁶: ``jit(grad)`` and ``jit(hvp)`` over the NumPy ``f``;
   2b. the same fused, ``fuse="numba"`` and ``fuse="numexpr"`` (one thread; numexpr then at
   its default), beside one NumPy pass over the array and a numexpr ``f`` fused by hand (the
   floors), and each backend's first call (trace + compile).
3. MLP 784-512-512-10 (tanh, softmax cross-entropy), batch 256: ``jit(grad)`` over ``f``.
4. BFGS with ``options={"jit": True}``: total wall time over scipy's BFGS with a
   hand-written gradient, on 2-D Rosenbrock and some MGH problems; beside it the first call
   of a new function (trace and compile included) and eager autodiff without jit.

Run: ``python benchmarks/jit.py`` (``--quick`` for fewer rounds, ``--fused`` for 2b only).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import importlib.util  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
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


def rosen_value_and_grad_hand(x):
    d = x[1] - x[0] ** 2
    return 100 * d ** 2 + (1 - x[0]) ** 2, np.array([-400 * x[0] * d - 2 * (1 - x[0]), 200 * d])


def rosen_hess_hand(x):
    h01 = -400 * x[0]
    return np.array([[1200 * x[0] ** 2 - 400 * x[1] + 2, h01], [h01, 200.0]])


def section_rosen2d_small_calls() -> None:
    """``jit(f)``, ``jit(value_and_grad)`` and ``jit(hessian)`` of 2-D Rosenbrock beside the
    hand-written NumPy formulas and eager steepest (the scalar lowering's other figures)."""
    x = np.array([-1.2, 1.0])
    pairs = {"f": (rosen, rosen), "value_and_grad": (st.value_and_grad(rosen),
                                                     rosen_value_and_grad_hand),
             "hessian": (st.hessian(rosen), rosen_hess_hand)}
    cases, firsts = {}, {}
    for name, (fn, hand) in pairs.items():
        jf = st.jit(fn)
        t0 = time.perf_counter()
        jf(x)
        firsts[name] = time.perf_counter() - t0
        cases[f"{name}: numpy hand"] = lambda hand=hand: hand(x)
        cases[f"{name}: steepest jit"] = lambda jf=jf: jf(x)
        if name != "f":
            cases[f"{name}: steepest eager"] = lambda fn=fn: fn(x)
    cases["hessian: scipy rosen_hess"] = lambda: so.rosen_hess(x)
    t = interleaved_median(cases, rounds=7 if QUICK else 21, number=200)
    print("\n1b. 2-D Rosenbrock, other small calls, per call (median of interleaved rounds)")
    for name in pairs:
        hand = t[f"{name}: numpy hand"]
        for k, v in t.items():
            if k.startswith(name + ":"):
                print(f"   {k:32s} {v * 1e6:9.1f} µs   {v / hand:6.2f}× hand")
        print(f"   {name + ': first call of jit':32s} {firsts[name] * 1e3:9.2f} ms")


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


def _first_call(f: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def _fused_jits(kinds: list[str], x: np.ndarray, v: np.ndarray) -> tuple[dict, dict]:
    """Per backend: the jitted grad and hvp, and their first calls' seconds (trace + compile
    + run; the first backend's include its import, numba's its one-time initialisation)."""
    jits, first = {}, {}
    for kind in kinds:
        g = st.jit(st.grad(chained), fuse=kind)
        h = st.jit(lambda x, v: st.hvp(chained, x, v), fuse=kind)
        first[kind] = (_first_call(lambda g=g: g(x)), _first_call(lambda h=h: h(x, v)))
        again = st.jit(st.grad(chained), fuse=kind)  # a second jit: the same kernels
        first[kind] += (_first_call(lambda again=again: again(x)),)
        jits[kind] = (g, h)
    return jits, first


def section_fused() -> None:
    """2b. ``jit(fuse=...)`` on the chained Rosenbrock, each installed backend (numba: one
    loop per kernel; numexpr at one thread) beside one BLAS thread; numexpr's default-thread
    figure after it, labelled. numba runs single-threaded (no ``parallel=True``)."""
    kinds = [k for k in ("numba", "numexpr") if _have(k)]
    if not kinds:
        print("\n2b. fused replay: numba and numexpr absent (pip install steepest[fast-numba] "
              "or steepest[fast]); skipped")
        return
    n = 10 ** 5 if QUICK else 10 ** 6
    rng = np.random.default_rng(0)
    x, v = rng.uniform(-1, 1, n), rng.standard_normal(n)
    out = np.empty(n - 1)
    jg, jh = st.jit(st.grad(chained)), st.jit(lambda x, v: st.hvp(chained, x, v))
    jits, first = _fused_jits(kinds, x, v)
    cases = {"numpy f": lambda: chained(x),
             "one numpy pass (x*2, out=)": lambda: np.multiply(x[1:], 2.0, out=out),
             "steepest jit(grad)": lambda: jg(x), "steepest jit(hvp)": lambda: jh(x, v)}
    for kind, (g, h) in jits.items():
        cases[f"jit(grad) fuse={kind}"] = lambda g=g: g(x)
        cases[f"jit(hvp) fuse={kind}"] = lambda h=h: h(x, v)
    ne = None
    if "numexpr" in kinds:
        import numexpr as ne

        def hand():
            return np.sum(ne.evaluate("100 * (a - b ** 2) ** 2 + (1 - b) ** 2", out=out,
                                      local_dict={"a": x[1:], "b": x[:-1]}))
        cases["numexpr-fused f (by hand)"] = hand
        before = ne.set_num_threads(1)
    t = interleaved_median(cases, rounds=5 if QUICK else 11)
    versions = ", ".join(f"{k} {importlib.import_module(k).__version__}" for k in kinds)
    print(f"\n2b. chained Rosenbrock n = {n:.0e}, fused replay ({versions}; one thread; "
          + "; ".join(f"{k}: {g.kernels(x)} kernels in grad, {h.kernels(x, v)} in hvp"
                      for k, (g, h) in jits.items())
          + f"; load average {os.getloadavg()[0]:.1f}): time / time(numpy f), in NumPy passes")
    pass_ = t["one numpy pass (x*2, out=)"]
    for k, val in t.items():
        print(f"   {k:28s} {val * 1e3:9.2f} ms   {val / t['numpy f']:6.2f}×   "
              f"{val / pass_:5.1f} passes")
    for kind, (fg, fh, again) in first.items():
        print(f"   first call fuse={kind}: grad {fg:.2f} s, hvp {fh:.2f} s (trace + compile + "
              f"run); a second jit of the same grad {again:.2f} s (kernels cached)")
    if ne is not None:
        g, h = jits["numexpr"]
        cores = ne.detect_number_of_cores()  # numexpr's default without OMP_NUM_THREADS=1
        ne.set_num_threads(cores)
        td = interleaved_median({"numpy f": cases["numpy f"], "fused grad": lambda: g(x),
                                 "fused hvp": lambda: h(x, v)}, rounds=3 if QUICK else 7)
        ne.set_num_threads(before)
        print(f"   numexpr at {cores} threads (one per core): fused grad "
              f"{td['fused grad'] / td['numpy f']:.2f}×, fused hvp "
              f"{td['fused hvp'] / td['numpy f']:.2f}× numpy f (not a one-thread figure)")


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


def _fresh(fun: Callable) -> Callable:
    """A new function object with ``fun``'s code: nothing compiled for it yet."""
    return types.FunctionType(fun.__code__, fun.__globals__, fun.__name__, fun.__defaults__,
                              fun.__closure__)


def _bfgs_pair(name: str, fun: Callable, grad: Callable, x0: np.ndarray) -> list[float]:
    cases = {
        "jit": lambda: st.minimize(fun, x0, method="BFGS", options={"jit": True}),
        "scipy": lambda: so.minimize(fun, x0, jac=grad, method="BFGS"),
        "jit, first call": lambda: st.minimize(_fresh(fun), x0, method="BFGS",
                                               options={"jit": True}),
        "eager autodiff": lambda: st.minimize(fun, x0, method="BFGS"),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = interleaved_median(cases, rounds=3 if QUICK else 9)
        r1, r2 = cases["jit"](), cases["scipy"]()
    ratios = [t[k] / t["scipy"] for k in ("jit", "jit, first call", "eager autodiff")]
    print(f"   {name:22s} {r1.nit:3d}/{r2.nit:3d} it  scipy {t['scipy'] * 1e3:6.2f} ms   jit "
          f"{t['jit'] * 1e3:6.2f} ms ({ratios[0]:4.2f}×)   first call {ratios[1]:4.2f}×   "
          f"eager {ratios[2]:4.2f}×")
    return ratios


def section_bfgs() -> None:
    print("\n4. BFGS: st.minimize(f, x0, method='BFGS', options={'jit': True}) (autodiff "
          "gradient, certificate on) vs scipy BFGS with a hand gradient, total wall time. "
          "'jit' reuses the compiled objective of the previous call with the same f; 'first "
          "call' is a new function object (trace + compile included); 'eager' is plain "
          "autodiff without jit.")
    rows = [_bfgs_pair("rosenbrock 2-D", rosen, rosen_grad_hand, np.array([-1.2, 1.0]))]
    for name in ("beale", "helical_valley", "wood", "powell_singular"):
        p = st.problems.mgh_problem(name)
        rows.append(_bfgs_pair(f"mgh {name}", p.fun, p.grad, np.asarray(p.x0, dtype=float)))
    geo = np.exp(np.mean(np.log(np.array(rows)), axis=0))
    print(f"   geometric mean over scipy: jit {geo[0]:.2f}×, first call {geo[1]:.2f}×, "
          f"eager {geo[2]:.2f}×  (goal for jit: ≤ 1.0)")


if __name__ == "__main__":
    print("peers:", ", ".join(f"{m} {'yes' if _have(m) else 'absent'}"
                              for m in ("autograd", "torch", "jax")))
    if "--fused" in sys.argv:  # only section 2b
        section_fused()
        sys.exit(0)
    section_rosen2d()
    section_rosen2d_small_calls()
    section_chained()
    section_fused()
    section_mlp()
    section_bfgs()
