"""steepest vs scipy.optimize on the 35 Moré–Garbow–Hillstrom problems.

Each steepest method runs beside the closest scipy.optimize method, in one process, from the
standard starting points, with the same derivative callables on both sides:

    bfgs ↔ BFGS, lbfgs ↔ L-BFGS-B, cg ↔ CG, newton-cg ↔ Newton-CG (Hessian-vector products),
    trust-newton ↔ trust-exact (Hessians).

Gradients are the problems' analytic ones; Hessians and HVPs come from steepest.autodiff (the
same function object is given to both libraries). Calls are counted by wrappers, so the
counts do not depend on how either library reports them. Both libraries use their default
tolerances; steepest's end-point certificate is switched off (it would add evaluations).

A run *solves* a problem when it passes the Moré–Wild (2009) test
``f(x0) - f(x) >= (1 - tau) (f(x0) - f_L)`` with ``tau = 1e-7``, where ``f_L`` is the published
minimum ``f*`` -- or the best value any run found when that agrees with ``f*`` to the six
digits the paper prints (so a rounded ``f*`` cannot fail every solver). The Dolan–Moré
performance profile uses cost = function + gradient calls of solved runs.

Run: ``python benchmarks/mgh.py`` (writes benchmarks/results/mgh_profile.png when matplotlib
is installed).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from steepest import minimize  # noqa: E402
from steepest.problems import Problem, mgh_problems  # noqa: E402

try:
    import scipy.optimize as so
except ImportError:  # pragma: no cover - scipy is a core dependency
    so = None

PAIRS = [
    ("bfgs", "BFGS"),
    ("lbfgs", "L-BFGS-B"),
    ("cg", "CG"),
    ("newton-cg", "Newton-CG"),
    ("trust-newton", "trust-exact"),
]
TAU = 1e-7
RESULTS = Path(__file__).resolve().parent / "results"


class Counted:
    """A callable that counts its calls."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.calls = fn, 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        return self.fn(*args)


@dataclass
class Run:
    solver: str
    problem: str
    f: float
    nf: int
    ng: int
    nh: int
    seconds: float
    solved: bool
    accurate: bool = False
    error: str = ""

    @property
    def cost(self) -> float:
        return float(self.nf + self.ng) if self.solved else np.inf


def reference_value(p: Problem, found: list[float]) -> float:
    """``f_L`` of the Moré–Wild test: ``f*``, or the best value found if it matches ``f*``'s
    printed digits (the paper rounds nonzero minima to 6 significant digits)."""
    best = min((f for f in found if np.isfinite(f)), default=np.inf)
    if abs(best - p.f_star) <= 5e-6 * abs(p.f_star):
        return best
    return min(best, p.f_star)


def solved(p: Problem, f: float, f_ref: float) -> bool:
    f0 = float(p.fun(p.x0))
    return bool(np.isfinite(f) and f0 - f >= (1.0 - TAU) * (f0 - f_ref))


def accurate(p: Problem, f: float, f_ref: float) -> bool:
    """A stricter test: ``f - f_L <= max(1e-6 |f_L|, 1e-12 (f(x0) - f_L))``.

    The Moré–Wild test is loose when ``f(x0)`` is large (penalty I: any ``f <= f* + 0.015``
    passes); this one asks for six correct digits of a nonzero minimum.
    """
    f0 = float(p.fun(p.x0))
    return bool(np.isfinite(f) and f - f_ref <= max(1e-6 * abs(f_ref), 1e-12 * (f0 - f_ref)))


def _derivatives(p: Problem, second: str | None) -> tuple[Counted, Counted, Counted | None]:
    fun, grad = Counted(p.fun), Counted(p.grad)
    if second == "hess":
        return fun, grad, Counted(p.hessian)
    if second == "hessp":
        return fun, grad, Counted(p.hessian_vector_product)
    return fun, grad, None


_SECOND = {
    "newton-cg": "hessp", "trust-newton": "hess", "Newton-CG": "hessp", "trust-exact": "hess"
}  # fmt: skip


def run_one(p: Problem, solver: str, library: str) -> Run:
    """Run one solver of one library on one problem, counting every evaluation."""
    second = _SECOND.get(solver)
    fun, grad, h = _derivatives(p, second)
    kwargs: dict[str, Any] = {second: h} if second else {}
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if library == "steepest":
                res = minimize(fun, p.start(), method=solver, jac=grad,
                               options={"certify": False}, **kwargs)  # fmt: skip
            else:
                res = so.minimize(fun, p.start(), method=solver, jac=grad, **kwargs)
        f, error = float(p.fun(res.x)), ""
    except Exception as exc:  # noqa: BLE001 - a crash is a failed run, reported as such
        f, error = np.inf, f"{type(exc).__name__}: {exc}"[:80]
    seconds = time.perf_counter() - t0
    nh = h.calls if h is not None else 0
    label = f"{library}:{solver}"
    return Run(label, p.name, f, fun.calls, grad.calls, nh, seconds, False, error)


def judge(runs: dict[str, list[Run]], problems: list[Problem]) -> None:
    """Set ``solved`` on every run with the Moré–Wild test against ``f_L``."""
    for i, p in enumerate(problems):
        f_ref = reference_value(p, [rs[i].f for rs in runs.values()])
        for rs in runs.values():
            rs[i].solved = solved(p, rs[i].f, f_ref)
            rs[i].accurate = accurate(p, rs[i].f, f_ref)


def profile_curve(costs: np.ndarray, taus: np.ndarray) -> np.ndarray:
    """Dolan–Moré: fraction of problems with cost <= tau * (best cost on that problem).

    ``costs`` is (solvers, problems) with ``inf`` for failures.
    """
    best = np.min(costs, axis=0)
    ratios = np.where(np.isfinite(best), costs / np.where(np.isfinite(best), best, 1.0), np.inf)
    return np.array([[np.mean(r <= t) for t in taus] for r in ratios])


def save_profile(runs: dict[str, list[Run]], path: Path) -> bool:
    """One panel per method pair; returns False when matplotlib is unavailable."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    taus = np.logspace(0, 4, 400, base=2.0)
    fig, axes = plt.subplots(2, 3, figsize=(13.5, 7.5), sharey=True)
    panels = [[f"steepest:{o}", f"scipy:{t}"] for o, t in PAIRS] + [list(runs)]
    titles = [f"{o} vs {t}" for o, t in PAIRS] + ["all ten solvers"]
    for ax, names, title in zip(axes.ravel(), panels, titles):
        costs = np.array([[r.cost for r in runs[name]] for name in names])
        for k, (name, curve) in enumerate(zip(names, profile_curve(costs, taus))):
            style = "-" if name.startswith("steepest") else "--"
            ax.step(
                taus,
                curve,
                style,
                where="post",
                label=name,
                color=f"C{k // 2 if len(names) > 2 else k}",
            )
        ax.set_xscale("log", base=2)
        ax.set_title(title)
        ax.legend(loc="lower right", fontsize=7)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("tau (cost within tau x best)")
    for ax in axes[:, 0]:
        ax.set_ylabel("fraction of the 35 problems")
    fig.suptitle("Dolan–Moré performance profiles, cost = f + g evaluations (Moré–Wild test)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def summary_rows(runs: dict[str, list[Run]]) -> list[list[str]]:
    rows = []
    for ours, theirs in PAIRS:
        a, b = runs[f"steepest:{ours}"], runs[f"scipy:{theirs}"]
        both = [i for i in range(len(a)) if a[i].solved and b[i].solved]
        fa = sum(a[i].nf for i in both)
        fb = sum(b[i].nf for i in both)
        ga = sum(a[i].ng for i in both)
        gb = sum(b[i].ng for i in both)
        ha = sum(a[i].nh for i in both)
        hb = sum(b[i].nh for i in both)
        ta, tb = sum(r.seconds for r in a), sum(r.seconds for r in b)
        rows.append([
            f"{ours} / {theirs}",
            f"{sum(r.solved for r in a)} / {sum(r.solved for r in b)}",
            f"{sum(r.accurate for r in a)} / {sum(r.accurate for r in b)}",
            str(len(both)),
            f"{fa} / {fb}", f"{fa / max(fb, 1):.2f}",
            f"{ga} / {gb}", f"{ga / max(gb, 1):.2f}",
            f"{ha} / {hb}" if ha + hb else "-",
            f"{ta:.2f} / {tb:.2f}", f"{ta / max(tb, 1e-12):.2f}",
        ])  # fmt: skip
    return rows


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)))


def per_problem_rows(runs: dict[str, list[Run]], problems: list[Problem]) -> list[list[str]]:
    rows = []
    for i, p in enumerate(problems):
        row = [f"{p.number:2d} {p.name.split('_', 1)[1]}"]
        for ours, theirs in PAIRS:
            for name in (f"steepest:{ours}", f"scipy:{theirs}"):
                r = runs[name][i]
                row.append(f"{r.nf + r.ng}" if r.solved else "x")
        rows.append(row)
    return rows


def main() -> int:
    if so is None:
        print("scipy not installed: nothing to compare against; skipping")
        return 0
    problems = mgh_problems()
    runs: dict[str, list[Run]] = {}
    t0 = time.perf_counter()
    for ours, theirs in PAIRS:
        runs[f"steepest:{ours}"] = [run_one(p, ours, "steepest") for p in problems]
        runs[f"scipy:{theirs}"] = [run_one(p, theirs, "scipy") for p in problems]
    print(f"MGH benchmark: 35 problems x {2 * len(PAIRS)} solvers in "
          f"{time.perf_counter() - t0:.1f} s (Moré–Wild tau = {TAU:g})\n")  # fmt: skip
    judge(runs, problems)
    headers = ["steepest / scipy", "solved", "accurate", "both", "f evals (both)", "ratio",
               "g evals (both)", "ratio", "H or Hv (both)", "seconds (all 35)",
               "ratio"]  # fmt: skip
    print_table(headers, summary_rows(runs))
    print(
        "\nsolved: Moré–Wild test (tau = 1e-7); accurate: f - f_L <= max(1e-6 |f_L|, "
        "1e-12 (f(x0) - f_L)); 'both' = solved by both, the set the evaluation sums use"
    )
    print("\nf+g evaluations per problem (x = not solved):\n")
    sub = [f"{o}|{t}" for o, t in PAIRS]
    print_table(["problem"] + [s for pair in sub for s in (pair.split("|")[0], "scipy")],
                per_problem_rows(runs, problems))  # fmt: skip
    rb = [runs[k][0] for k in ("steepest:bfgs", "scipy:BFGS", "steepest:lbfgs", "scipy:L-BFGS-B")]
    print("\n2-D Rosenbrock from (-1.2, 1), f evaluations: "
          f"steepest bfgs {rb[0].nf}, scipy BFGS {rb[1].nf}; "
          f"steepest lbfgs {rb[2].nf}, scipy L-BFGS-B {rb[3].nf}")  # fmt: skip
    errors = [(name, r.problem, r.error) for name, rs in runs.items() for r in rs if r.error]
    for name, prob, err in errors:
        print(f"error: {name} on {prob}: {err}")
    path = RESULTS / "mgh_profile.png"
    if save_profile(runs, path):
        print(f"\nperformance profile written to {path.relative_to(Path.cwd())}"
              if path.is_relative_to(Path.cwd()) else f"\nperformance profile: {path}")  # fmt: skip
    else:
        print("\nmatplotlib not installed: performance profile skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
