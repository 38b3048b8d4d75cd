"""steepest.least_squares vs scipy.optimize.least_squares on the 35 Moré–Garbow–Hillstrom problems.

Every problem is given as its residual vector from the standard start, to both libraries at
the same tolerances (scipy's defaults, ftol = xtol = gtol = 1e-8), for both methods ("trf" and
"lm"), and once more for "trf" with bounds that cut off each unconstrained minimizer
(``trf+bounds``: a box around x0 of half-widths ``0.5 |x_u − x0| + 0.1``, x_u scipy's
unbounded solution). Three runs per problem and method, in one process:

- ``steepest/AD``: steepest with its default Jacobian (autodiff, forward mode when m ≥ n);
- ``steepest/J``: steepest with the problem's analytic Jacobian;
- ``scipy/J``:    scipy with the same analytic Jacobian callable.

Reported per method: problems where ``success`` is set and problems *solved* (success and the
Moré–Wild (2009) test ``C(x0) − C(x) ≥ (1 − τ)(C(x0) − C_L)``, τ = 1e-7, ``C_L`` the best cost
any of the three runs reached); the
geometric mean of the residual-evaluation ratio ``nfev(steepest) / nfev(scipy)``; the largest
relative cost difference between steepest/J and scipy/J where both succeed (on the problems
whose minimum f* is not zero: near zero the cost is rounding noise); and the wall-time
ratio (medians over interleaved rounds, summed over the problems).

Run: ``python benchmarks/least_squares.py [rounds]`` (default 5 rounds); with matplotlib it
writes Dolan–Moré profiles in residual evaluations to
``benchmarks/results/least_squares_profile.png``.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy.optimize as so  # noqa: E402

import steepest as st  # noqa: E402
from mgh import profile_curve  # noqa: E402
from steepest.problems.mgh import mgh_problems  # noqa: E402

RUNS = ("steepest/AD", "steepest/J", "scipy/J")
METHODS = ("trf", "lm", "trf+bounds")
RESULTS = Path(__file__).resolve().parent / "results"


def cut_box(p) -> tuple[np.ndarray, np.ndarray]:
    """A box around x0 that cuts off the unconstrained minimizer x_u found by scipy's trf:
    half-widths ``0.5 |x_u - x0| + 0.1``."""
    x_u = so.least_squares(p.residuals, p.x0, jac=p.jacobian).x
    w = 0.5 * np.abs(x_u - p.x0) + 0.1
    return p.x0 - w, p.x0 + w


def _runners(p, method: str) -> dict[str, Callable[[], object]]:
    kw = {"method": "trf", "bounds": cut_box(p)} if method == "trf+bounds" else {
        "method": method}
    return {
        "steepest/AD": lambda: st.least_squares(p.residuals, p.x0, **kw),
        "steepest/J": lambda: st.least_squares(p.residuals, p.x0, jac=p.jacobian, **kw),
        "scipy/J": lambda: so.least_squares(p.residuals, p.x0, jac=p.jacobian, **kw),
    }


def _median_times(cases: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median wall time of each case over interleaved rounds (one warm-up round first)."""
    for fn in cases.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: float(np.median(ts)) for name, ts in times.items()}


def _method_table(method: str, rounds: int) -> np.ndarray:
    """Print the table of one method; return the (runs, problems) nfev of solved runs (inf
    for the others)."""
    rows, wall = [], dict.fromkeys(RUNS, 0.0)
    for p in mgh_problems():
        cases = _runners(p, method)
        results = {name: fn() for name, fn in cases.items()}
        for name, t in _median_times(cases, rounds).items():
            wall[name] += t
        rows.append((p, results))
    success = dict.fromkeys(RUNS, 0)
    solved = dict.fromkeys(RUNS, 0)
    costs = np.full((len(RUNS), len(rows)), np.inf)
    ratios = {"steepest/AD": [], "steepest/J": []}
    worst_cost = 0.0
    for j, (p, results) in enumerate(rows):
        best = min(r.cost for r in results.values())
        start = 0.5 * float(p.residuals(p.x0) @ p.residuals(p.x0))
        for i, (run, r) in enumerate(results.items()):
            success[run] += bool(r.success)
            ok = bool(r.success) and r.cost - best <= 1e-7 * (start - best)
            solved[run] += ok
            costs[i, j] = r.nfev if ok else np.inf
        ref = results["scipy/J"]
        for run in ratios:
            ratios[run].append(results[run].nfev / ref.nfev)
        ours = results["steepest/J"]
        if ours.success and ref.success and (p.f_star or 0.0) > 0:
            worst_cost = max(worst_cost, abs(ours.cost - ref.cost) / ref.cost)
        print(f"  {method} {p.name:36s} nfev " + " ".join(
            f"{results[run].nfev:5d}" for run in RUNS) + "   cost " + " ".join(
            f"{results[run].cost:.6e}" for run in RUNS))
    print(f"\nmethod {method!r} on {len(rows)} MGH problems ({rounds} interleaved rounds, "
          "medians):")
    for run in RUNS:
        line = f"  {run:12s} success {success[run]:2d}  solved {solved[run]:2d}"
        if run in ratios:
            gm = float(np.exp(np.mean(np.log(ratios[run]))))
            line += f"  nfev ratio vs scipy (geo. mean) {gm:.3f}"
        line += f"  wall {wall[run]:.3f} s"
        if run != "scipy/J":
            line += f" (ratio {wall[run] / wall['scipy/J']:.2f})"
        print(line)
    print(f"  largest relative cost difference steepest/J vs scipy/J (both successful, "
          f"problems with f* > 0): {worst_cost:.1e}")
    return costs


def save_profile(costs: dict[str, np.ndarray], path: Path) -> bool:
    """Dolan–Moré profiles in residual evaluations, one panel per method; False without
    matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    taus = np.logspace(0, 3, 300, base=2.0)
    fig, axes = plt.subplots(1, len(costs), figsize=(4.5 * len(costs), 3.8), sharey=True)
    for ax, (method, c) in zip(np.atleast_1d(axes), costs.items()):
        for k, (run, curve) in enumerate(zip(RUNS, profile_curve(c, taus))):
            ax.step(taus, curve, "--" if run.startswith("scipy") else "-", where="post",
                    label=run, color=f"C{k}")
        ax.set_xscale("log", base=2)
        ax.set_title(method)
        ax.set_xlabel("tau (nfev within tau x best)")
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", fontsize=8)
    np.atleast_1d(axes)[0].set_ylabel("fraction of the 35 MGH problems")
    fig.suptitle("least_squares: Dolan–Moré profiles in residual evaluations (Moré–Wild test)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main(rounds: int = 5) -> None:
    costs = {method: _method_table(method, rounds) for method in METHODS}
    path = RESULTS / "least_squares_profile.png"
    if save_profile(costs, path):
        print(f"\nperformance profiles written to {path}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
