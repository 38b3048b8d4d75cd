"""Tour section "Scale": logistic regression on a two-worker Dask cluster (Liquet §4.2).

The finite sum C(θ) = (1/n) Σᵢ Cᵢ(θ) of a generated logistic-regression problem *larger than
one worker's memory limit* is stored as a ``.npy`` stack and read memory-mapped by the chunk
tasks: no process ever holds it whole, each task maps its chunk from disk, so each worker's
memory stays below its limit (the section prints the workers' peak resident memory).
``steepest.distributed.minimize`` fits it with L-BFGS on two workers, then on one (one worker
retired from the same cluster), and the same fit runs in memory in this process; the section
reports the evaluations, the seconds per evaluation and the agreement with the in-memory
answer, and draws the loss against wall time. Registered only when dask.distributed is
installed.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import dask
import dask.array as da
import numpy as np
import psutil

from .. import plot
from .._minimize import minimize as st_minimize
from ..distributed import connect, minimize, model_sum, sklearn_l2
from ..distributed.cluster import close
from ..train import FiniteSum
from ..train.models import LogisticRegression
from .core import figures_unavailable

TITLE = "Scale"

#: 9·10⁵ × 50 float64 (360 MB + 7 MB of labels) against a 350 MB limit per worker.
ROWS, COLS, CHUNK, LIMIT, SEED = 900_000, 50, 45_000, 350e6, 0


def _write_stack(root: Path) -> tuple[da.Array, da.Array]:
    """A seeded logistic problem written chunk by chunk as .npy stacks; read back memmapped."""
    rs = da.random.RandomState(SEED)
    X = rs.normal(size=(ROWS, COLS), chunks=(CHUNK, COLS))
    z = X @ (np.linspace(-1.0, 1.0, COLS) / np.sqrt(COLS)) + 0.25
    y = (rs.random_sample(size=ROWS, chunks=CHUNK) < 1 / (1 + da.exp(-z))).astype(float)
    with dask.config.set(scheduler="threads", num_workers=1):  # a chunk at a time
        da.to_npy_stack(root / "X", X)
        da.to_npy_stack(root / "y", y)
    return (da.from_npy_stack(root / "X", mmap_mode="r"),
            da.from_npy_stack(root / "y", mmap_mode="r"))


def quiet_worker_logs() -> None:
    """On a worker: no "unmanaged memory is high" warnings (a bare worker process is most of
    this small limit; the section prints the peak memory instead) and no INFO lines about
    connections when a worker is retired."""
    for name in ("distributed.worker.memory", "distributed", "distributed.core"):
        logging.getLogger(name).setLevel(logging.ERROR)


def peak_rss() -> int:
    """This process's peak resident memory in bytes: Linux's ``VmHWM`` (the high-water mark of
    this process image; ``getrusage``'s maximum would include the forking parent's before
    ``exec``), else the current resident size."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return psutil.Process().memory_info().rss


def _fit(client: Any, data: tuple, model: Any) -> dict[str, Any]:
    C = model_sum(model, data, cluster=client, persist=False, stream=None)
    res = minimize(C, model.init(), method="lbfgs", tol=1e-4, progress=False)
    return {"res": res, "evals": C.evaluations, "s_per_eval": C.seconds_per_evaluation,
            "peak": max(client.run(peak_rss).values())}


@contextlib.contextmanager
def _quiet_cluster_logs() -> Iterator[None]:
    """Dask's own log lines (connections closed, a retired worker's nanny) stay out of the
    tour's output while the section's cluster runs; the section reports what happened."""
    loggers = [logging.getLogger(n) for n in ("distributed", "distributed.core",
                                               "distributed.nanny", "distributed.scheduler")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _distributed(data: tuple, model: Any) -> dict[str, dict[str, Any]]:
    """The fit on two workers, then on one (the other retired): one cluster start."""
    with _quiet_cluster_logs():
        return _fit_on_cluster(data, model)


def _fit_on_cluster(data: tuple, model: Any) -> dict[str, dict[str, Any]]:
    client, owned = connect(None, n_workers=2, memory_limit=LIMIT, stream=None)
    try:
        for module in ("steepest.distributed.kernels", "steepest.tour.scale"):
            client.run(import_module, module)  # warm the workers: time the fit, not imports
        client.run(quiet_worker_logs)
        two = _fit(client, data, model)
        workers = sorted(client.scheduler_info()["workers"])
        client.retire_workers(workers[1:])
        return {"2 workers": two, "1 worker": _fit(client, data, model)}
    finally:
        close(client, owned)


def _in_memory(data: tuple, model: Any) -> dict[str, Any]:
    X, y = (np.asarray(a.compute(scheduler="threads")) for a in data)
    mem = FiniteSum(model.loss, (X, y), value_and_grad=model.value_and_grad)
    res = st_minimize(mem.value_and_grad, model.init(), method="lbfgs", jac=True, tol=1e-4,
                      options={"certify": False})
    evals = int(res.nfev)
    return {"res": res, "evals": evals, "s_per_eval": res.trace.time[-1] / max(evals, 1),
            "peak": peak_rss()}


def _figure(ctx: Any, runs: dict[str, dict[str, Any]], f_ref: float) -> None:
    if figures_unavailable(ctx):
        return
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.8))
    plot.convergence({name: run["res"] for name, run in runs.items()}, x="time",
                     f_star=f_ref, floor=1e-16, xlabel="seconds", ylabel="C(θ) − C(θ*)",
                     ax=ax, marker="o", ms=3)
    ax.set_title(f"L-BFGS on logistic regression, n = {ROWS:,} × {COLS}")
    ax.legend()
    ctx.figure(fig, "loss-vs-time", "Training loss above its optimum against wall time: in "
               "memory (one process) and on a LocalCluster of 1 and 2 workers reading the "
               "memory-mapped stack, each worker limited to less memory than the data.")


def run(ctx: Any) -> None:
    """Fit the generated problem on 2 and 1 workers and in memory; report and draw."""
    model = LogisticRegression(COLS, l2=sklearn_l2(1.0, ROWS))
    with tempfile.TemporaryDirectory() as tmp:
        data = _write_stack(Path(tmp))
        size = sum(a.nbytes for a in data)
        runs = _distributed(data, model)
        runs["in memory"] = _in_memory(data, model)
    ref = runs["in memory"]["res"]
    f_ref = min(float(r["res"].fun) for r in runs.values()) - 1e-12
    ctx.text(
        f"A generated logistic-regression problem, n = {ROWS:,} rows × {COLS} features "
        f"({size / 1e6:.0f} MB), is written as `.npy` stacks of {CHUNK:,}-row chunks and read "
        "back with `da.from_npy_stack(dir, mmap_mode=\"r\")`. Each worker of the LocalCluster "
        f"may use {LIMIT / 1e6:.0f} MB, less than the data: no process holds it whole, each "
        "chunk task maps its chunk from disk. One evaluation of (C, ∇C) is one fused task per "
        "chunk (a hand-derived loss and gradient, one pass over the chunk) and one fixed tree "
        "of sums; the objective is scikit-learn's `LogisticRegression(C=1)` (λ = 1/(Cn), "
        "intercept unpenalised), fitted with L-BFGS to scikit-learn's tolerance.")
    ctx.code("C = st.distributed.model_sum(LogisticRegression(50, l2=sklearn_l2(1.0, n)), (X, y),\n"
             "                             cluster=None, persist=False)   # LocalCluster\n"
             "res = st.distributed.minimize(C, model.init(), method='lbfgs', tol=1e-4)")
    rows = []
    for name, r in runs.items():
        dw = np.max(np.abs(r["res"].x["w"] - ref.x["w"]))
        rows.append([name, r["res"].nit, r["evals"], f"{r['s_per_eval']:.3f}",
                     f"{r['peak'] / 1e6:.0f}", f"{float(r['res'].fun):.10f}", f"{dw:.1e}"])
    ctx.table(["run", "iterations", "evaluations", "s / evaluation", "peak MB per process",
               "C(θ̂)", "max |w − w_in memory|"], rows)
    _figure(ctx, runs, f_ref)
    two = runs["2 workers"]
    ctx.summary(f"{ROWS:,}×{COLS} logistic regression ({size / 1e6:.0f} MB, {LIMIT / 1e6:.0f} MB "
                f"per worker) on 2 workers: {two['evals']} evaluations, "
                f"{two['s_per_eval']:.2f} s each; max |w − in memory| = "
                f"{np.max(np.abs(two['res'].x['w'] - ref.x['w'])):.1e}")
