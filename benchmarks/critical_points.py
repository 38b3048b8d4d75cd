"""All critical points of the peaks function: steepest find_critical_points vs scipy root.

Both start from the same 200 scrambled-Halton points of [-3, 3]² and use the same exact
gradient and Hessian (steepest.problems.textbook). scipy's ``root`` (MINPACK hybrid method)
solves ∇f = 0 from each start; we keep converged roots inside the box, deduplicate at 1e-6,
and count distinct points (the reference set has 9: 3 minima, 3 maxima, 3 saddles).

Run: ``python benchmarks/critical_points.py``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy.stats import qmc  # noqa: E402

from steepest.analysis import find_critical_points  # noqa: E402
from steepest.problems.textbook import peaks, peaks_grad, peaks_hess  # noqa: E402

BOX = np.array([[-3.0, 3.0], [-3.0, 3.0]])
N_STARTS = 200


def run_steepest() -> tuple[int, int]:
    cps = find_critical_points(peaks, BOX, n_starts=N_STARTS, grad=peaks_grad, hess=peaks_hess)
    return len(cps.points), sum(1 for p in cps.points if p.grad_norm < 1e-9)


def run_scipy() -> tuple[int, int]:
    from scipy.optimize import root

    starts = qmc.scale(qmc.Halton(d=2, scramble=True, seed=0).random(N_STARTS), BOX[:, 0],
                       BOX[:, 1])
    pts: list[np.ndarray] = []
    for x0 in starts:
        s = root(peaks_grad, x0, jac=peaks_hess, method="hybr")
        inside = np.all(np.abs(s.x) <= 3.0)
        if s.success and inside and all(np.linalg.norm(s.x - q) > 1e-6 for q in pts):
            pts.append(s.x)
    return len(pts), sum(1 for q in pts if np.linalg.norm(peaks_grad(q)) < 1e-9)


def main() -> None:
    print(f"peaks on [-3, 3]^2, {N_STARTS} starts, exact derivatives; ratio = t / t(steepest)")
    fmt = "{:>28} {:>9} {:>9} {:>18} {:>7}"
    print(fmt.format("solver", "seconds", "distinct", "with |grad| < 1e-9", "ratio"))
    t0 = time.perf_counter()
    n_st, ok_st = run_steepest()
    t_st = time.perf_counter() - t0
    print(fmt.format("steepest find_critical_points", f"{t_st:.2f}", n_st, ok_st, "1.00"))
    try:
        t0 = time.perf_counter()
        n_sp, ok_sp = run_scipy()
        t_sp = time.perf_counter() - t0
        print(fmt.format("scipy root (hybr) multistart", f"{t_sp:.2f}", n_sp, ok_sp,
                         f"{t_sp / t_st:.2f}"))
    except ImportError:
        print("scipy.optimize not importable: skipped")


if __name__ == "__main__":
    main()
