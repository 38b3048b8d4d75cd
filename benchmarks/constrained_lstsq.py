"""Norm-constrained least squares: how fast and how accurately is the multiplier λ found?

min ½‖Ax − b‖² s.t. ‖x‖ ≤ r with r = 0.3‖A⁺b‖ (so the constraint is active), for
cond(A) = 5, 1e2, 1e3. Compared side by side in one process:

* steepest secular Newton (``lstsq(A, b, max_norm=r)``): factorizations of [A; √μ I];
* steepest gradient ascent on λ (the seed's eq. 4.27, safe step 1/|ψ′(0)|): iterations;
* scipy's trust-region subproblem solver ``IterativeSubproblem`` (Moré–Sorensen with Cholesky,
  a private scipy class, skipped if its import fails), at its default k_easy = 0.1 and with
  k_easy = 1e-12: Cholesky factorizations.

λ accuracy is measured against λ* from the secular equation in the SVD basis solved with
mpmath at 40 digits. Run: ``python benchmarks/constrained_lstsq.py``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import time  # noqa: E402

import mpmath  # noqa: E402
import numpy as np  # noqa: E402

from steepest import lstsq  # noqa: E402

try:  # private scipy API: guard it
    from scipy.optimize._trustregion_exact import IterativeSubproblem
except ImportError:  # pragma: no cover
    IterativeSubproblem = None

SHAPES = [(50, 20), (400, 100)]
CONDS = [5.0, 1e2, 1e3]
ASCENT_MAXITER = 200_000


def problem(m, n, cond, seed=0):
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((m, n)))
    V, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (U * np.geomspace(cond, 1.0, n)) @ V.T
    b = rng.standard_normal(m)
    return A, b, 0.3 * np.linalg.norm(np.linalg.pinv(A) @ b)


def lambda_star(A, b, r):
    U, s, _ = np.linalg.svd(A, full_matrices=False)
    c = s * (U.T @ b)
    with mpmath.workdps(40):
        cs = [mpmath.mpf(float(v)) for v in c]
        ss = [mpmath.mpf(float(v)) ** 2 for v in s]
        rr = mpmath.mpf(float(r))

        def phi(lam):
            return 1 / mpmath.sqrt(sum(ci**2 / (si + 2 * lam) ** 2 for ci, si in zip(cs, ss))) \
                - 1 / rr

        hi = mpmath.sqrt(sum(ci**2 for ci in cs)) / rr
        return float(mpmath.findroot(phi, (mpmath.mpf(0), hi), solver="anderson"))


def timed(fn, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def scipy_subproblem(A, b, r, k_easy):
    H, g = A.T @ A, -(A.T @ b)
    sub = IterativeSubproblem(np.zeros(A.shape[1]), lambda x: 0.0, lambda x: g, lambda x: H,
                              k_easy=k_easy, maxiter=200)
    p, _ = sub.solve(r)
    return p, sub.lambda_current / 2, sub.niter


def rows_for(A, b, r, lam_ref, repeat):
    rows = []
    res, t = timed(lambda: lstsq(A, b, max_norm=r), repeat)
    t_ref = t
    rows.append(("secular Newton", f"{res.nfact} fact.", res.lam, res.x, t))
    res, t = timed(lambda: lstsq(A, b, max_norm=r, lambda_method="ascent",
                                 maxiter=ASCENT_MAXITER), 1)
    label = f"{res.nit} it." + ("" if res.success else " (not conv.)")
    rows.append(("ascent (eq. 4.27)", label, res.lam, res.x, t))
    if IterativeSubproblem is not None:
        for k in (0.1, 1e-12):
            (p, lam, nit), t = timed(lambda k=k: scipy_subproblem(A, b, r, k), repeat)
            rows.append((f"scipy exact k_easy={k:g}", f"{nit} fact.", lam, p, t))
    out = []
    for name, work, lam, x, t in rows:
        out.append([name, work, f"{abs(lam - lam_ref) / lam_ref:.1e}",
                    f"{abs(np.linalg.norm(x) - r) / r:.1e}", f"{1e3 * t:.3f}",
                    f"{t / t_ref:.2f}"])
    return out


def main() -> None:
    header = ["method", "work", "rel. err λ", "|‖x‖−r|/r", "time ms", "× Newton"]
    for m, n in SHAPES:
        for cond in CONDS:
            A, b, r = problem(m, n, cond)
            lam_ref = lambda_star(A, b, r)
            print(f"\nA {m}×{n}, cond(A) = {cond:g}, r = 0.3‖A⁺b‖, λ* = {lam_ref:.15g}")
            rows = rows_for(A, b, r, lam_ref, repeat=5)
            widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
            for row in [header, *rows]:
                print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


if __name__ == "__main__":
    main()
