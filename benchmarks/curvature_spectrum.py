"""Extreme Hessian eigenvalues from matrix-vector products: steepest Lanczos vs ARPACK (eigsh).

Both solvers see the same operator v -> A v (as a Hessian-vector product would be supplied),
on random SPD matrices with eigenvalues log-spaced in [1, 1e4]. We report wall time (best of
3), operator applications and the error of λmin and λmax against dense ``eigvalsh``.

Run: ``python benchmarks/curvature_spectrum.py``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402

from steepest.analysis import lanczos_extremes  # noqa: E402


def spectrum(kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "logspace":  # eigenvalues log-spaced in [1, 1e4]: both ends clustered
        return np.logspace(0, 4, n)
    # "outliers": a bulk in [0.01, 1] plus 5 large outliers, the shape of neural-net Hessians
    return np.sort(np.r_[rng.uniform(0.01, 1.0, n - 5), 10.0 * np.arange(1, 6) ** 2])


def spd(kind: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = spectrum(kind, n, rng)
    return (Q * lam) @ Q.T, lam


def best_of(fn, reps: int = 3):
    best, out = np.inf, None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def counted(A: np.ndarray):
    calls = [0]

    def mv(v):
        calls[0] += 1
        return A @ np.ravel(v)

    return mv, calls


def run_steepest(A, n):
    mv, calls = counted(A)
    r = lanczos_extremes(mv, n, tol=1e-10)
    return r.eigenvalues[0], r.eigenvalues[-1], calls[0]


def run_arpack(A, n):
    from scipy.sparse.linalg import LinearOperator, eigsh

    mv, calls = counted(A)
    op = LinearOperator((n, n), matvec=mv, dtype=float)
    kw = dict(k=1, tol=1e-10, v0=np.ones(n), ncv=min(n - 1, 40), maxiter=100 * n,
              return_eigenvectors=False)
    lo = eigsh(op, which="SA", **kw)[0]
    hi = eigsh(op, which="LA", **kw)[0]
    return lo, hi, calls[0]


FMT = "{:>9} {:>5} {:>18} {:>9} {:>8} {:>9} {:>9} {:>10}"


def row(kind, n, name, t, mv, lo, hi, lam, t_ref):
    errs = ("-", "-") if lo is None else (f"{abs(lo - lam[0]):.1e}", f"{abs(hi - lam[-1]):.1e}")
    print(FMT.format(kind, n, name, f"{t:.4f}", mv, *errs, f"{t / t_ref:.2f}"))


def main() -> None:
    print("extreme eigenvalues of random SPD A from v -> A v; best of 3; ratio = t / t(steepest)")
    head = FMT.format("spectrum", "n", "solver", "seconds", "matvecs", "err λmin", "err λmax",
                      "time ratio")
    print(head)
    print("-" * len(head))
    for kind, n in [("logspace", 200), ("logspace", 1000), ("outliers", 1000),
                    ("outliers", 3000)]:
        A, lam = spd(kind, n, n)
        t_dense, _ = best_of(lambda: np.linalg.eigvalsh(A))  # noqa: B023
        t_st, (lo, hi, mv) = best_of(lambda: run_steepest(A, n))  # noqa: B023
        row(kind, n, "steepest lanczos", t_st, mv, lo, hi, lam, t_st)
        try:
            t_ar, (lo, hi, mv) = best_of(lambda: run_arpack(A, n))  # noqa: B023
            row(kind, n, "scipy eigsh SA+LA", t_ar, mv, lo, hi, lam, t_st)
        except ImportError:
            print(f"{kind:>9} {n:>5} scipy eigsh skipped (not importable)")
        row(kind, n, "dense eigvalsh", t_dense, "-", None, None, lam, t_st)


if __name__ == "__main__":
    main()
