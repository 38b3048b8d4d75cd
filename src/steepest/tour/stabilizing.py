"""Tour section: the formulas people type, rewritten into stable ones before differentiation.

``steepest.stabilize(f)`` traces ``f``, rewrites textbook-unstable patterns with one table
(Goodfellow §4.1's remark on Theano) and runs the rewritten graph; ``grad`` then differentiates
the stable form; ``steepest.jit`` caches the recording, and the section measures the per-call
speed-up. The naive calls run under :func:`steepest.numerics.numerics_guard` so their
floating-point exceptions are recorded instead of printed.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import scipy.special as sps

from .. import plot
from .._minimize import minimize
from ..autodiff import grad
from ..compile import REWRITES, explain, jit, stabilize
from ..compile.fusion import BACKENDS
from ..compile.kernels import numexpr_module
from ..numerics import numerics_guard, sigmoid, softmax, softplus
from .core import SectionContext, figures_unavailable

TITLE = "Stabilizing rewrites"

#: The ten textbook-unstable expressions of issue 12 at their breaking inputs.
EXPRESSIONS = {
    "log(softmax(x))": (lambda x: np.log(softmax(x)), np.array([0.0, -800.0])),
    "log(1 + x)": (lambda x: np.log(1 + x), np.array(1e-17)),
    "exp(x) - 1": (lambda x: np.exp(x) - 1, np.array(1e-17)),
    "log(sigmoid(x))": (lambda x: np.log(sigmoid(x)), np.array(-800.0)),
    "log(1 - sigmoid(x))": (lambda x: np.log(1 - sigmoid(x)), np.array(800.0)),
    "log(1 + exp(x))": (lambda x: np.log(1 + np.exp(x)), np.array(1000.0)),
    "log(sum(exp(x)))": (lambda x: np.log(np.sum(np.exp(x))), np.array([1000.0, 1000.0])),
    "log(1 - exp(x))": (lambda x: np.log(1 - np.exp(x)), np.array(-1e-20)),
    "log(exp(x))": (lambda x: np.log(np.exp(x)), np.array(1000.0)),
    "x / sqrt(sum(x**2))": (lambda x: x / np.sqrt(np.sum(x**2)), np.array([1e200, 1e200])),
}


#: The rest of the table, each at an input where the textbook form breaks.
MORE_EXPRESSIONS = {
    "sigmoid(x) * (1 - sigmoid(x))": (lambda x: sigmoid(x) * (1 - sigmoid(x)), np.array(40.0)),
    "log(prod(x))": (lambda x: np.log(np.prod(x)), np.full(400, 1e300)),
    "log(det(A))": (lambda a: np.log(np.linalg.det(a)), 1e-200 * np.eye(2)),
    "mean(x**2) - mean(x)**2": (lambda x: np.mean(x**2) - np.mean(x) ** 2,
                                1e8 + np.array([0.0, 1.0, 2.0])),
    "sum((x - mean(x))**2) / n": (lambda x: np.sum((x - np.mean(x)) ** 2) / x.size,
                                  np.array([2e154, 0.0, 0.0, 0.0])),
    "log(erfc(x))": (lambda x: np.log(sps.erfc(x)), np.array(30.0)),
    "log(exp(a) - exp(b))": (lambda x: np.log(np.exp(x[0]) - np.exp(x[1])),
                             np.array([1000.0, 999.0])),
    "log(-expm1(x))": (lambda x: np.log(-np.expm1(x)), np.array(-50.0)),
    "log1p(expm1(x))": (lambda x: np.log1p(np.expm1(x)), np.array(1000.0)),
    "exp(log(x))": (lambda x: np.exp(np.log(x)), np.array(0.0)),
    "sqrt(x**2)": (lambda x: np.sqrt(x**2), np.array(1e200)),
    "log(exp(a) + exp(b) + exp(c))": (lambda x: np.log(np.exp(x[0]) + np.exp(x[1]) + np.exp(x[2])),
                                      np.full(3, 1000.0)),
    "sqrt(x**2 + y**2)": (lambda x: np.sqrt(x[0] ** 2 + x[1] ** 2), np.array([3e200, 4e200])),
    "sqrt(x)**2": (lambda x: np.sqrt(x) ** 2, np.array(0.0)),
    "log(1 - x)": (lambda x: np.log(1 - x), np.array(1e-17)),
    "log(softmax(x)[1])": (lambda x: np.log(softmax(x)[1]), np.array([0.0, -800.0])),
    "sigmoid(x) / (1 - sigmoid(x))": (lambda x: sigmoid(x) / (1 - sigmoid(x)), np.array(40.0)),
    "exp(x) / (1 + exp(x))": (lambda x: np.exp(x) / (1 + np.exp(x)), np.array(1000.0)),
    "exp(x) * sigmoid(-x)": (lambda x: np.exp(x) * sigmoid(-x), np.array(1000.0)),
    "1 - sigmoid(x)": (lambda x: 1 - sigmoid(x), np.array(40.0)),
    "softplus(log(x))": (lambda x: softplus(np.log(x)), np.array(1e-300)),
}  # fmt: skip


def _fmt(v: object) -> str:
    return "[" + ", ".join(f"{float(t):.6g}" for t in np.atleast_1d(v)) + "]"


def _summed(f):
    """x ↦ Σ_i w_i f(x)_i with w = 1, 2, ... (unit weights would hide the norm's gradient)."""
    def weighted(v):
        out = f(v)
        return np.sum(np.arange(1.0, np.size(out) + 1.0).reshape(np.shape(out)) * out)
    return weighted


def _short(v: object) -> str:
    """At most three entries (a 400-vector or a matrix is summarized by its first ones)."""
    flat = np.ravel(v)
    more = ", ..." if flat.size > 3 else ""
    return "[" + ", ".join(f"{float(t):.6g}" for t in flat[:3]) + more + "]"


def _rows(expressions: dict) -> list[list[str]]:
    rows = []
    for name, (f, x) in expressions.items():
        g = stabilize(f)
        rows.append([name, _short(x), _short(f(x)), _short(g(x)),
                     _short(grad(lambda v, f=f: np.sum(f(v)))(x)),
                     _short(grad(lambda v, g=g: np.sum(g(v)))(x)),
                     ", ".join(r.name for r in g.rewrites(x))])
    return rows


def _catalogue(ctx: SectionContext) -> None:
    with numerics_guard(ignore=()):
        rows = _rows(MORE_EXPRESSIONS)
    ctx.text("**The rest of the table.** σ(x)(1 − σ(x)), log∘prod, log∘det, the variance "
             "forms, log∘erfc, logdiffexp, hypot, log∘softmax indexed (cross-entropy) and "
             "PyTensor's remaining ones (its sigmoid forms among them), each at an input "
             "where the textbook form breaks (gradient of `sum(f(x))`, first entries shown):")
    ctx.table(["f", "x", "naive f(x)", "stabilize(f)(x)", "naive grad", "stabilized grad",
               "rewrite"], rows)
    ctx.text(f"**Every entry of `steepest.REWRITES`** ({len(REWRITES)}), with the condition "
             "under which the replacement is exact and why the original is unstable:")
    ctx.table(["rule", "exact when", "reason"], [[r.name, r.exact, r.reason] for r in REWRITES])
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    solved = stabilize(lambda m, b: np.linalg.inv(m) @ b).rewrites(a, a[0])
    right = stabilize(lambda m, b: b @ np.linalg.inv(m)).rewrites(a, a[0])
    ctx.text("`inv(A) @ b` becomes `solve(A, b)` and `b @ inv(A)` becomes `solve(Aᵀ, bᵀ)ᵀ` "
             "(backward stable; stacks of matrices too); on the Hilbert matrix of "
             "order 8 the residual |Ax − b| / (|A||x|) is 1e4·eps for the inverse and below "
             "8·eps for the solve (`benchmarks/stabilize.py`). "
             f"`stabilize(lambda A, b: inv(A) @ b).rewrites(A, b)` → "
             f"`{[r.name for r in solved]}`, and for `b @ inv(A)` → "
             f"`{[r.name for r in right]}`.")


def _explained(ctx: SectionContext) -> None:
    def loss(x):
        return np.log(1 - np.exp(x[0])) + np.log(1 + x[1])

    ex = explain(loss, np.array([-1e-20, 1e-17]), rewrites=True)
    text = str(ex)
    table = text[text.index("Table 4.1"):].split("\n\nTable 4.2")[0]
    # inside the tour the "user's line" is the tour's own caller, so it is shown as <line>
    listed = "\n".join(f"  <your line>: {r.name}: {r.reason}" for r in ex.rewrites)
    ctx.text("**The tables of the graph that is differentiated.** "
             "`print(steepest.explain(f, x, rewrites=True))` lists the rewrites (your file:line "
             "and the reason) and then Liquet's Tables 4.1–4.3 of the *rewritten* graph "
             "(Table 4.1 shown):")
    ctx.code(f"Rewrites applied before differentiation\n{listed}\n\n{table}")


def _table(ctx: SectionContext) -> None:
    rows = []
    with numerics_guard(ignore=()) as guard:
        for name, (f, x) in EXPRESSIONS.items():
            g = stabilize(f)
            rows.append([name, _fmt(x), _fmt(f(x)), _fmt(g(x)), _fmt(grad(_summed(f))(x)),
                         _fmt(grad(_summed(g))(x)), ", ".join(r.name for r in g.rewrites(x))])
    ctx.text(
        "**Ten formulas at the inputs where they break.** Each row is the plain NumPy code, "
        "then the same code wrapped in `steepest.stabilize`; the gradient is of "
        "`sum(w * f(x))` with `w = 1, 2, ...`. "
        "The rewrite runs on the traced graph *before* differentiation, so the gradient of "
        "`log(1 - exp(x))` at `-1e-20` is `-1e20` (through `log1mexp`), not `inf`."
    )
    ctx.table(["f", "x", "naive f(x)", "stabilize(f)(x)", "naive grad", "stabilized grad",
               "rewrite"], rows)
    ctx.text("What `numerics_guard(ignore=())` recorded while the ten naive and ten stabilized "
             "forms ran:")
    ctx.code(guard.report())
    ctx.summary(f"{len(rows)} unstable formulas rewritten; each stabilized value and gradient "
                "is finite")


def _report(ctx: SectionContext) -> None:
    def loss(x):
        return np.log(1 + np.exp(x)) - np.log(np.sum(np.exp(x)))

    x = np.array([1000.0, 0.0])
    ctx.text("**What was rewritten, and where.** `stabilize(f).rewrites(x)` names the rule, "
             "the line of your code and the reason:")
    ctx.code("\n".join(f"{r.name}: {r.reason}" for r in stabilize(loss).rewrites(x)))


def _per_call(fn, x, calls: int = 100, rounds: int = 5) -> float:
    """Median seconds per call of ``fn(x)`` over ``rounds`` rounds (after one warm-up)."""
    fn(x)
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn(x)
        times.append((time.perf_counter() - t0) / calls)
    return float(np.median(times))


def _interleaved(fns: dict[str, Any], x: np.ndarray, calls: int, rounds: int = 5
                 ) -> dict[str, float]:
    """Median seconds per call of each ``fn(x)``, rounds interleaved (after a warm-up)."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn(x)
    for _ in range(rounds):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            for _ in range(calls):
                fn(x)
            times[k].append((time.perf_counter() - t0) / calls)
    return {k: float(np.median(v)) for k, v in times.items()}


def _speed(ctx: SectionContext) -> None:
    def rosen(x):
        return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2

    def softplus(x):
        return np.sum(np.log(1 + np.exp(x)))

    x2, x100 = np.array([-1.2, 1.0]), np.linspace(-3.0, 3.0, 100)
    jg, sg = jit(grad(rosen)), stabilize(softplus)
    t0 = time.perf_counter()
    jit(grad(rosen))(x2)
    first = time.perf_counter() - t0
    rows = []
    for name, slow, fast, x in (
            ("gradient of 2-D Rosenbrock", grad(rosen), jg, x2),
            ("softplus", softplus, sg, x100), ("its gradient", grad(softplus), grad(sg), x100)):
        a, b = _per_call(slow, x), _per_call(fast, x)
        rows.append([name, f"{a * 1e6:.3g} µs", f"{b * 1e6:.3g} µs", f"{a / b:.1f}×"])
    ctx.text("**Trace once, replay after.** `steepest.jit(f)` records `f` once per call "
             "signature (shapes, dtypes, static values), rewrites it like `stabilize`, and "
             "later calls replay the recording as one generated straight-line function; "
             "`if`/`float()` on values become guards that re-trace when they flip. "
             "`stabilize` uses the same cache. Measured here (median of rounds, this "
             "machine's load included):")
    ctx.table(["call", "eager / naive", "jit / stabilize", "speed-up"], [
        [rows[0][0], rows[0][1], rows[0][2], rows[0][3]],
        ["sum(log(1 + exp(x))), 100 values, vs stabilize", *rows[1][1:]],
        ["its grad vs grad(stabilize(f))", *rows[2][1:]]])
    def rosen_grad_hand(x):
        d = x[1] - x[0] ** 2
        return np.array([-400 * x[0] * d - 2 * (1 - x[0]), 200 * d])

    hand = _per_call(rosen_grad_hand, x2)
    ctx.text(f"A graph this small replays on Python floats (`steepest.compile.scalars`: "
             "`+ − × ÷`, `x²` and `√` are correctly rounded in Python and in NumPy, so the "
             f"bits are the same): the jitted gradient costs {_per_call(jg, x2) / hand:.1f}× "
             f"the hand-written NumPy formula ({hand * 1e6:.1f} µs per call).")
    ctx.text(f"The first call of `jit(grad(rosen))` (trace, rewrite, compile, run) took "
             f"{first * 1e3:.1f} ms. A stabilized function costs a few microseconds more than the "
             "naive one (a replay of the stable primitive), no longer a re-trace per call; "
             "under `grad` the replay is recorded like eager code.")
    ctx.summary(f"jit(grad) of 2-D Rosenbrock: {rows[0][3]} faster per call than eager grad")


def _fused(ctx: SectionContext) -> None:
    """``jit(fuse=...)`` beside the unfused replay: numexpr at one thread and numba (one
    loop per kernel, single-threaded), each when installed, with its first call."""

    def chained(x):
        return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    x = np.random.default_rng(0).uniform(-1.0, 1.0, 200_000)
    fns: dict[str, Any] = {"f": chained, "unfused": jit(grad(chained))}
    first = {}
    for kind in ("numexpr", "numba"):
        t0 = time.perf_counter()
        if BACKENDS[kind][1]() is None:  # imported here, once per process
            continue
        fns[kind] = jit(grad(chained), fuse=kind)
        fns[kind](x)
        first[kind] = time.perf_counter() - t0
    kinds, ne = list(first), numexpr_module()
    if not kinds:
        ctx.text("**Fused replay.** `steepest.jit(f, fuse=True)` fuses elementwise chains "
                 "into numba or numexpr kernels; neither is installed here (`pip install "
                 "steepest[fast-numba]` or `steepest[fast]`), so `fuse=True` warns and "
                 "replays unfused.")
        return
    before = ne.set_num_threads(1) if ne is not None else None
    try:
        per = _interleaved(fns, x, calls=5)
    finally:
        if ne is not None:
            ne.set_num_threads(before)
    f, a, fused = per["f"], per["unfused"], fns
    counts = ", ".join(f"{fused[k].kernels(x)} {k} kernels" for k in kinds)
    ctx.text(f"**Fused replay.** `jit(f, fuse=...)` compiles the chains of elementwise "
             f"operations of the replay into kernels — here {counts} — for the gradient of "
             "the chained Rosenbrock function (n = 200 000; the backward of `x[1:]` written "
             "straight into the gradient buffer). numexpr makes one pass over memory per "
             "operation (one thread here); numba compiles each kernel into one loop "
             "(single-threaded), at a compile cost paid on the first call (the import and "
             "numba's one-time initialisation included); `fuse=True` takes numba when it "
             "is installed. Per call (this machine's load included):")
    rows = [["unfused", f"{a * 1e3:.2f} ms", f"{a / f:.2f}×", ""]]
    rows += [[f'fuse="{k}"', f"{per[k] * 1e3:.2f} ms", f"{per[k] / f:.2f}×",
              f"{first[k]:.2f} s"] for k in kinds]
    ctx.table(["jit(grad)", "per call", "/ NumPy f", "first call"], rows)
    best = min(kinds, key=per.get)
    ctx.summary(f'jit(grad, fuse="{best}") of the chained Rosenbrock: {a / per[best]:.2f}× '
                "the unfused replay's speed")


def _minimize_twice(ctx: SectionContext) -> None:
    def rosen(x):  # a new function object each time the section runs: nothing compiled yet
        return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2

    x0, opts, seconds, results = np.array([-1.2, 1.0]), {"jit": True}, [], []
    for _ in range(2):
        t0 = time.perf_counter()
        results.append(minimize(rosen, x0, method="BFGS", options=opts))
        seconds.append(time.perf_counter() - t0)
    same = bool(np.array_equal(results[0].x, results[1].x))
    ctx.text(f"`minimize(f, x0, method=\"BFGS\", options={{\"jit\": True}})` compiles the "
             f"value and gradient of `f` on its first call ({seconds[0] * 1e3:.1f} ms for "
             f"Rosenbrock) and a second call with the same, unchanged `f` reuses them "
             f"({seconds[1] * 1e3:.1f} ms; the same iterates: {same}). What `f` reads (its "
             "closure, the globals its code names, the functions it calls) is fingerprinted: "
             "a rebound global or an array written in place compiles afresh, and a function "
             "reading a list, a dict or an object is compiled for every call.")


def _figure(ctx: SectionContext) -> None:
    if figures_unavailable(ctx):
        return
    import matplotlib.pyplot as plt

    def f(x):
        return np.log(1 - np.exp(x))

    xs = -np.logspace(-20, -1, 60)
    with numerics_guard(ignore=()):
        naive = np.array([float(grad(f)(x)) for x in xs])
    stable = np.array([float(grad(stabilize(f))(x)) for x in xs])
    fig, ax = plt.subplots(figsize=(6, 4))
    plot.functions({"grad(stabilize(f))": -stable, "grad(f), naive": -naive}, -xs, log=True,
                   styles={"grad(stabilize(f))": {"lw": 3, "alpha": 0.5},
                           "grad(f), naive": {"color": "k", "ls": "--", "lw": 1}}, ax=ax)
    ax.set_xscale("log")
    ax.set_xlabel("-x")
    ax.set_ylabel("-d/dx log(1 - exp(x))")
    ax.legend(fontsize=8)
    fig.tight_layout()
    ctx.figure(fig, "log1mexp_gradient", "Gradient of log(1 - exp(x)) near 0: the naive "
               "derivative drifts and then becomes inf (shaded) once 1 - exp(x) cancels to "
               "0; the stabilized one follows -1/x all the way.")


def run(ctx: SectionContext) -> None:
    """Show ``stabilize`` on the textbook-unstable formulas, values and gradients."""
    ctx.text(
        "Goodfellow et al. (§4.1) note that Theano detects and stabilizes common unstable "
        "expressions. `steepest.stabilize(f)` does the same on plain NumPy code: it traces "
        "`f`, applies one table of rewrites (`steepest.REWRITES`) to a fixed point, and runs "
        "the rewritten graph. A function with no such pattern gives bit-identical results."
    )
    _table(ctx)
    _catalogue(ctx)
    _report(ctx)
    _explained(ctx)
    _speed(ctx)
    _fused(ctx)
    _minimize_twice(ctx)
    _figure(ctx)
