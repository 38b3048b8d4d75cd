"""Separable Rosenbrock, n = 10**6, from (-1.2, 1, -1.2, 1, ...): steepest L-BFGS vs scipy.

f(x) = sum_i 100 (x_{2i} - x_{2i-1}^2)^2 + (1 - x_{2i-1})^2. Both solvers get the same
vectorised ``fun`` returning ``(f, g)`` (``jac=True``), memory m = 10 and scipy L-BFGS-B's
default stopping rules (max-norm gradient <= 1e-5, relative improvement <= 2.2e-9). Wall time
is the best of ``--repeat`` runs; evaluations are value+gradient calls.

Also prints 2-D Rosenbrock from (-1.2, 1): evaluations of our bfgs, lbfgs, cg, newton-cg and
trust-newton beside scipy's BFGS, L-BFGS-B, CG, Newton-CG and trust-exact (the issue quotes
scipy at 39 evaluations with BFGS and 44 with L-BFGS-B).

Run: ``python benchmarks/rosenbrock_large.py [--n 1000000] [--repeat 3]``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import steepest as so_st  # noqa: E402


def rosen_separable(x: np.ndarray) -> tuple[float, np.ndarray]:
    a, b = x[0::2], x[1::2]
    d = b - a * a
    e = 1.0 - a
    f = float(100.0 * (d @ d) + e @ e)
    g = np.empty_like(x)
    g[0::2] = -400.0 * a * d - 2.0 * e
    g[1::2] = 200.0 * d
    return f, g


def _interleaved(runs: dict, repeat: int) -> dict:
    """Best wall time and last result of each run, alternating runs to share the machine's
    load fairly between them."""
    best = {k: (np.inf, None) for k in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            t0 = time.perf_counter()
            out = run()
            dt = time.perf_counter() - t0
            best[name] = (min(best[name][0], dt), out)
    return best


def large(n: int, repeat: int) -> None:
    x0 = np.tile([-1.2, 1.0], n // 2)
    runs = {"steepest lbfgs": lambda: so_st.minimize(rosen_separable, x0, method="lbfgs",
                                                     jac=True, options={"certify": False})}
    try:
        from scipy.optimize import minimize as sp_minimize
    except ImportError:  # pragma: no cover
        sp_minimize = None
    if sp_minimize is not None:
        runs["scipy L-BFGS-B"] = lambda: sp_minimize(rosen_separable, x0, method="L-BFGS-B",
                                                     jac=True)
    best = _interleaved(runs, repeat)
    rows = [(k, t, r.nfev, r.nit, r.fun, r.success) for k, (t, r) in best.items()]
    t_sp = best["scipy L-BFGS-B"][0] if "scipy L-BFGS-B" in best else None
    print(f"Separable Rosenbrock n={n:,} from (-1.2, 1, ...), best of {repeat}")
    print(f"{'solver':<16} {'time [s]':>9} {'evals':>6} {'iters':>6} {'f':>11} ok   ratio")
    for name, t, nfev, nit, f, ok in rows:
        ratio = f"{t / t_sp:.2f}x" if t_sp else "-"
        print(f"{name:<16} {t:9.3f} {nfev:6d} {nit:6d} {f:11.3e} {str(ok):5} {ratio}")


def _rosen2_hess(x: np.ndarray) -> np.ndarray:
    return np.array([[2 - 400 * (x[1] - 3 * x[0] ** 2), -400 * x[0]], [-400 * x[0], 200.0]])


PAIRS = (("bfgs", "BFGS"), ("lbfgs", "L-BFGS-B"), ("cg", "CG"), ("newton-cg", "Newton-CG"),
         ("trust-newton", "trust-exact"))


def small() -> None:
    x0 = np.array([-1.2, 1.0])
    print("\n2-D Rosenbrock from (-1.2, 1): function / gradient / Hessian(-vector) evaluations")
    print(f"{'steepest':<13} {'nfev':>5} {'njev':>5} {'nhev':>5}   {'scipy':<12} {'nfev':>5} "
          f"{'njev':>5} {'nhev':>5}")
    try:
        from scipy.optimize import minimize as sp_minimize
    except ImportError:  # pragma: no cover
        sp_minimize = None
    for ours, theirs in PAIRS:
        r = so_st.minimize(rosen_separable, x0, method=ours, jac=True, hess=_rosen2_hess)
        line = f"{ours:<13} {r.nfev:5d} {r.njev:5d} {r.nhev:5d}"
        if sp_minimize is not None:
            kw = {"hess": _rosen2_hess} if theirs in ("Newton-CG", "trust-exact") else {}
            s = sp_minimize(rosen_separable, x0, method=theirs, jac=True, **kw)
            line += f"   {theirs:<12} {s.nfev:5d} {s.get('njev', s.nfev):5d} " \
                    f"{s.get('nhev', 0):5d}"
        print(line)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    large(args.n, args.repeat)
    small()
