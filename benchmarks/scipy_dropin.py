"""steepest.minimize as a scipy.optimize.minimize drop-in: evaluations and wall time per method.

Every scipy method name runs through both ``scipy.optimize.minimize`` and
``steepest.minimize`` (the same call, the same derivative callables, each library's default
options), in one process. Calls are counted by wrappers, so the counts do not depend on how
either library reports them; steepest's end-point certificate is switched off (it would add
evaluations). Cost = function + gradient calls (Hessian calls are printed beside).

Sets:

* ``mgh`` -- the 35 Moré-Garbow-Hillstrom problems from their standard starts;
* ``rosenbrock`` -- chained (scipy's ``rosen``) and separable (MGH 21) Rosenbrock at
  n = 10, 100, 1000 (the dense-Hessian trust-region methods, BFGS and SLSQP at n <= 100
  only: scipy's BFGS update costs two n x n matrix products per iteration);
* ``bounded`` (L-BFGS-B only) -- MGH problems with upper bounds cutting off their
  unconstrained minimiser, non-negative least squares, bounded logistic regression.

A run solves a problem by the Moré-Wild test of ``benchmarks/mgh.py``. For each method:
problems solved by each library and the geometric mean of steepest/scipy cost over the
problems both solve. Then the wall-time ratio of L-BFGS-B at n = 10**6 on the separable
Rosenbrock, plain and with bounds (interleaved rounds, medians).

Dolan-Moré performance profiles in evaluations (solved runs) go to
``benchmarks/results/scipy_dropin_profiles.png`` when matplotlib is installed.

Run: ``python benchmarks/scipy_dropin.py [--quick] [--methods=BFGS,CG]
[--sets=mgh,rosenbrock,bounded,wall] [--rounds=3]`` (``--quick``: Rosenbrock at n <= 100, the
wall time at n = 10**5 in one round).
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import scipy.optimize as so  # noqa: E402

import steepest  # noqa: E402
from mgh import RESULTS, TAU, Counted, profile_curve  # noqa: E402
from steepest.problems import mgh_problem, mgh_problems  # noqa: E402

METHODS = ["BFGS", "L-BFGS-B", "CG", "Newton-CG", "trust-exact", "trust-ncg", "trust-krylov",
           "dogleg", "SLSQP", "trust-constr"]
HESS = {"trust-exact", "trust-ncg", "trust-krylov", "dogleg", "trust-constr"}
HESSP = {"Newton-CG"}
DENSE = {"BFGS", "SLSQP"}  # scipy's BFGS does two n x n matrix products per iteration


@dataclass
class Case:
    """A problem: value, gradient, Hessian, Hessian-vector product, start, bounds, f_L."""

    name: str
    fun: Any
    grad: Any
    hess: Any
    hessp: Any
    x0: np.ndarray
    bounds: Any = None
    f_ref: float = np.nan


def _mgh_cases() -> list[Case]:
    return [Case(p.name, p.fun, p.grad, p.hessian, p.hessian_vector_product, p.start(),
                 f_ref=p.f_star) for p in mgh_problems()]


def _rosen_cases(sizes=(10, 100, 1000)) -> list[Case]:
    out = []
    for n in sizes:
        x0 = np.tile([-1.2, 1.0], n // 2)
        out.append(Case(f"chained_rosenbrock_{n}", so.rosen, so.rosen_der, so.rosen_hess,
                        so.rosen_hess_prod, x0, f_ref=0.0))
        p = mgh_problem("extended_rosenbrock", n=n)
        out.append(Case(f"separable_rosenbrock_{n}", p.fun, p.grad, p.hessian,
                        p.hessian_vector_product, p.start(), f_ref=0.0))
    return out


def _bounded_cases() -> list[Case]:
    out = []
    for p in mgh_problems():
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            xs = so.minimize(p.fun, p.start(), jac=p.grad, method="L-BFGS-B").x
        hi = np.where(np.arange(xs.size) % 2 == 0, xs - 0.25 * (1 + np.abs(xs)), np.inf)
        bounds = so.Bounds(np.full(xs.size, -np.inf), hi)
        out.append(Case(f"{p.name}_bounded", p.fun, p.grad, None, None,
                        np.minimum(p.start(), hi), bounds))
    rng = np.random.default_rng(0)
    for k in range(5):
        A, b = rng.standard_normal((60, 30)), rng.standard_normal(60)
        out.append(Case(f"nnls_{k}", lambda x, A=A, b=b: 0.5 * float(np.sum((A @ x - b) ** 2)),
                        lambda x, A=A, b=b: A.T @ (A @ x - b), None, None, np.ones(30),
                        so.Bounds(np.zeros(30), np.full(30, np.inf)),
                        0.5 * float(np.sum((A @ so.nnls(A, b)[0] - b) ** 2))))
    for k in range(3):
        X = rng.standard_normal((400, 20))
        y = (X @ rng.standard_normal(20) + 0.5 * rng.standard_normal(400) > 0).astype(float)

        def nll(w, X=X, y=y):
            z = X @ w
            return float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5e-2 * float(w @ w)

        def nll_grad(w, X=X, y=y):
            return X.T @ (1.0 / (1.0 + np.exp(-(X @ w))) - y) + 1e-2 * w

        out.append(Case(f"logistic_box_{k}", nll, nll_grad, None, None, np.zeros(20),
                        so.Bounds(np.full(20, -0.3), np.full(20, 0.3))))
    return out


def run(case: Case, method: str, library: str) -> tuple[float, int, int, int]:
    """(f at the end, function calls, gradient calls, Hessian calls)."""
    fun, grad = Counted(case.fun), Counted(case.grad)
    kw: dict[str, Any] = {"jac": grad}
    h = None
    if method in HESS and case.hess is not None:
        h = kw["hess"] = Counted(case.hess)
    elif method in HESSP and case.hessp is not None:
        h = kw["hessp"] = Counted(case.hessp)
    if case.bounds is not None:
        kw["bounds"] = case.bounds
    lib = so if library == "scipy" else steepest
    if library == "steepest":
        kw["options"] = {"certify": False}
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            res = lib.minimize(fun, case.x0.copy(), method=method, **kw)
        f = float(case.fun(res.x))
    except Exception:  # noqa: BLE001 - a crash is a failed run
        f = np.inf
    return f, fun.calls, grad.calls, (h.calls if h is not None else 0)


def solved(case: Case, f: float, f_ref: float) -> bool:
    f0 = float(case.fun(case.x0))
    return bool(np.isfinite(f) and f0 - f >= (1.0 - TAU) * (f0 - f_ref))


def compare(cases: list[Case], methods: list[str], title: str) -> list[tuple]:
    rows = []
    for method in methods:
        todo = [c for c in cases if not (method in HESS | HESSP and c.hess is None)
                and not (method in HESS | DENSE and c.x0.size > 100)]
        runs = {lib: [run(c, method, lib) for c in todo] for lib in ("scipy", "steepest")}
        ratios, won = [], {"scipy": 0, "steepest": 0}
        costs = {lib: [] for lib in runs}
        for i, c in enumerate(todo):
            found = [runs[lib][i][0] for lib in runs]
            f_ref = c.f_ref if np.isfinite(c.f_ref) else min(found)
            f_ref = min(f_ref, min(found))
            ok = {lib: solved(c, runs[lib][i][0], f_ref) for lib in runs}
            for lib in ok:
                won[lib] += ok[lib]
                costs[lib].append(runs[lib][i][1] + runs[lib][i][2] if ok[lib] else np.inf)
            if all(ok.values()):
                cost = {lib: runs[lib][i][1] + runs[lib][i][2] for lib in runs}
                ratios.append(cost["steepest"] / max(cost["scipy"], 1))
        gm = float(np.exp(np.mean(np.log(ratios)))) if ratios else np.nan
        nh = {lib: sum(r[3] for r in runs[lib]) for lib in runs}
        rows.append((title, method, costs))
        print(f"{title:11s} {method:13s} {len(todo):4d}  solved scipy {won['scipy']:3d}  "
              f"steepest {won['steepest']:3d}   (f+g) ratio {gm:6.3f}   "
              f"hess calls {nh['scipy']:6d} / {nh['steepest']:6d}", flush=True)
    return rows


def save_profiles(rows: list[tuple], path) -> bool:
    """Dolan-Moré profiles in evaluations, one panel per method (steepest beside scipy);
    False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    taus = np.logspace(0, 3, 300, base=2.0)
    cols = 5
    fig, axes = plt.subplots((len(rows) + cols - 1) // cols, cols, squeeze=False,
                             figsize=(3.2 * cols, 2.6 * ((len(rows) + cols - 1) // cols)),
                             sharey=True)
    for ax, (title, method, costs) in zip(axes.ravel(), rows, strict=False):
        arr = np.array([costs["steepest"], costs["scipy"]])
        for curve, label, style in zip(profile_curve(arr, taus), ("steepest", "scipy"),
                                       ("-", "--"), strict=True):
            ax.step(taus, curve, style, where="post", label=label)
        ax.set_xscale("log", base=2)
        ax.set_title(f"{title}: {method}", fontsize=9)
        ax.grid(alpha=0.3)
    for ax in axes.ravel()[len(rows):]:
        ax.axis("off")
    axes[0, 0].legend(loc="lower right", fontsize=8)
    fig.supxlabel("tau: evaluations within tau x the best of the two")
    fig.tight_layout()
    path.parent.mkdir(exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _sep_rosen(n: int, bounded: bool):
    def fg(x):
        a, b = x[0::2], x[1::2]
        t = b - a * a
        g = np.empty_like(x)
        g[0::2] = -400.0 * a * t - 2.0 * (1.0 - a)
        g[1::2] = 200.0 * t
        return float(np.sum(100.0 * t * t + (1.0 - a) ** 2)), g

    x0 = np.tile([-1.2, 1.0], n // 2)
    bounds = None
    if bounded:
        hi = np.tile([0.8, np.inf], n // 2)
        bounds = so.Bounds(np.full(n, -np.inf), hi)
        x0 = np.minimum(x0, hi)
    return fg, x0, bounds


def wall(n: int, rounds: int) -> None:
    for bounded in (False, True):
        fg, x0, bounds = _sep_rosen(n, bounded)
        times: dict[str, list[float]] = {"scipy": [], "steepest": []}
        evals = {}
        for _ in range(rounds):
            for lib, mod in (("scipy", so), ("steepest", steepest)):
                kw = {"options": {"certify": False}} if lib == "steepest" else {}
                t0 = time.perf_counter()
                res = mod.minimize(fg, x0, jac=True, method="L-BFGS-B", bounds=bounds, **kw)
                times[lib].append(time.perf_counter() - t0)
                evals[lib] = (res.nfev, res.nit, float(res.fun))
        med = {lib: statistics.median(v) for lib, v in times.items()}
        print(f"wall n={n:.0e} L-BFGS-B {'bounded' if bounded else 'plain  '}: scipy "
              f"{med['scipy']:.2f} s, steepest {med['steepest']:.2f} s, ratio "
              f"{med['steepest'] / med['scipy']:.2f}   (nfev, nit, f) scipy {evals['scipy']} "
              f"steepest {evals['steepest']}", flush=True)


def _arg(name: str, default: str) -> str:
    """``--name=value`` from the command line, else ``default``."""
    for a in sys.argv[1:]:
        if a.startswith(f"--{name}="):
            return a.split("=", 1)[1]
    return default


def main() -> int:
    if "--help" in sys.argv or "-h" in sys.argv:
        print(__doc__)
        return 0
    quick = "--quick" in sys.argv
    methods = _arg("methods", ",".join(METHODS)).split(",")
    sets = _arg("sets", "mgh,rosenbrock,bounded,wall").split(",")
    rows = []
    if "mgh" in sets:
        rows += compare(_mgh_cases(), methods, "mgh")
    if "rosenbrock" in sets:
        rows += compare(_rosen_cases((10, 100) if quick else (10, 100, 1000)), methods,
                        "rosenbrock")
    if "bounded" in sets and "L-BFGS-B" in methods:
        rows += compare(_bounded_cases(), ["L-BFGS-B"], "bounded")
    path = RESULTS / "scipy_dropin_profiles.png"
    if set(methods) == set(METHODS) and {"mgh", "rosenbrock", "bounded"} <= set(sets) \
            and save_profiles(rows, path):
        print(f"performance profiles: {path}")
    if "wall" in sets:
        wall(10**5 if quick else 10**6, 1 if quick else int(_arg("rounds", "3")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
