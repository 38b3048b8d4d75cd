"""Logistic regression on a Dask cluster: steepest.distributed beside a fused hand-written
driver and dask-ml (an optional peer, skipped when absent).

Data: n = 2·10⁶ × 50 (800 MB), 20 row chunks, generated on the workers from a seeded dask RNG
and persisted once; the same persisted arrays serve every contender. Cluster: LocalCluster,
2 worker processes × 1 thread, BLAS pinned to one thread. Objective: scikit-learn's
``LogisticRegression(C=1)``, mean log-loss + (1/(2Cn))‖w‖², intercept unpenalised.

* per evaluation (value and gradient at one point), medians of interleaved rounds:
  steepest ``FiniteSum.value_and_grad`` (the hand-derived, cache-blocked logistic kernel of
  ``steepest.distributed.kernels``, and with ``kernel=None`` the model's own
  ``value_and_grad`` on the whole chunk); the hand-written baseline (w scattered once, one
  fused task per chunk by ``client.map`` returning (Σ loss, Σ grad), summed pairwise); dask-ml's
  own per-evaluation function (dask_glm's ``compute_loss_grad``: one ``dask.compute`` of the
  elementwise loss and gradient graphs over X with an intercept column); steepest in memory
  (``steepest.train.FiniteSum`` on the NumPy arrays, this process); before each timed call
  the workers and this process collect garbage and wait 0.3 s (untimed), so a contender's
  cleanup is not charged to the next;
* the scheduler overhead of one steepest evaluation: wall time minus the busiest worker's
  compute time (from the task stream);
* whole fits to scikit-learn's tolerance (``gtol=1e-4``): steepest ``distributed.minimize``
  (L-BFGS), dask-ml ``LogisticRegression(solver="lbfgs")``, with F − F* and max |coef −
  sklearn| (F* from scikit-learn's Newton-Cholesky at tol 1e-10);
* the steepest evaluation on a one-worker cluster.

Run: ``python benchmarks/distributed.py [--rows N] [--rounds R]``. Targets (issue 13): per
evaluation ≤ 1.15× the baseline and ≤ 0.35× dask-ml; whole fit ≤ 0.35× dask-ml's wall time.
This VM's 2 cores are shared, so speed-ups are reported, never asserted.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

# this file is named like the `distributed` package: take its folder off the import path
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import dask.array as da  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from distributed import get_task_stream  # noqa: E402
from steepest.distributed import connect, minimize, model_sum, sklearn_l2  # noqa: E402
from steepest.distributed.cluster import close  # noqa: E402
from steepest.train import FiniteSum  # noqa: E402
from steepest.train.models import LogisticRegression  # noqa: E402

COLS, CHUNKS, SEED = 50, 20, 0


def make_data(rows: int) -> tuple[da.Array, da.Array]:
    rs = da.random.RandomState(SEED)
    X = rs.normal(size=(rows, COLS), chunks=(rows // CHUNKS, COLS))
    beta = np.linspace(-1.0, 1.0, COLS) / np.sqrt(COLS)
    z = X @ beta + 0.25
    y = (rs.random_sample(size=rows, chunks=rows // CHUNKS) < 1 / (1 + da.exp(-z)))
    return X, y.astype(float)


def _fused(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    z = X @ w[:-1] + w[-1]
    p = 1 / (1 + np.exp(-z))
    r = p - y
    loss = np.sum(np.logaddexp(0.0, z) - y * z)
    return np.concatenate([[loss], X.T @ r, [r.sum()]])


def _add_all(parts: list[np.ndarray]) -> np.ndarray:
    return parts[0] + parts[1] if len(parts) == 2 else parts[0]


def baseline(client, X: da.Array, y: da.Array, l2: float):
    """The fused hand-written driver: one task per chunk, futures summed pairwise."""
    fx = {f.key: f for f in client.futures_of(X)}
    fy = {f.key: f for f in client.futures_of(y)}
    xs = [fx[k[0]] for k in X.__dask_keys__()]
    ys = [fy[k] for k in y.__dask_keys__()]
    n = X.shape[0]

    def fg(w: np.ndarray) -> tuple[float, np.ndarray]:
        wf = client.scatter(w, broadcast=True)  # w sent once
        parts = client.map(_fused, [wf] * len(xs), xs, ys, pure=False)  # one message
        while len(parts) > 1:  # pairwise sums, one batch of submissions per level
            pairs = [parts[k:k + 2] for k in range(0, len(parts), 2)]
            parts = client.map(_add_all, pairs, pure=False)
        s = parts[0].result() / n
        g = s[1:].copy()
        g[:-1] += l2 * w[:-1]
        return float(s[0] + 0.5 * l2 * w[:-1] @ w[:-1]), g

    return fg


def dask_ml_evaluation(X: da.Array, y: da.Array, C: float):
    """dask-ml's per-evaluation work (dask_glm.algorithms.lbfgs's compute_loss_grad)."""
    from dask import compute  # noqa: PLC0415 - optional peer
    from dask_glm.families import Logistic  # noqa: PLC0415
    from dask_glm.regularizers import L2  # noqa: PLC0415
    from dask_glm.utils import add_intercept  # noqa: PLC0415

    Xi = add_intercept(X)
    reg = L2()
    loss_fn = reg.add_reg_f(Logistic.pointwise_loss, 1.0 / C)
    grad_fn = reg.add_reg_grad(Logistic.pointwise_gradient, 1.0 / C)

    def fg(beta: np.ndarray) -> tuple[float, np.ndarray]:
        return compute(loss_fn(beta, Xi, y), grad_fn(beta, Xi, y))

    return fg


def _settle(client) -> None:
    """Let the previous contender's releases and garbage finish (untimed), so its cleanup is
    not charged to the next one (dask-ml leaves ~800 MB of intermediates per evaluation)."""
    if client is not None:
        client.run(gc.collect)
    gc.collect()
    time.sleep(0.3)


def _median_rounds(cases: dict, rounds: int, client=None) -> dict[str, float]:
    for fn in cases.values():
        fn()
    times = {k: [] for k in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            _settle(client)
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def _overhead(client, C, w) -> tuple[float, float]:
    with get_task_stream(client) as ts:
        t0 = time.perf_counter()
        C.value_and_grad(w)
        wall = time.perf_counter() - t0
    busy: dict[str, float] = {}
    for task in ts.data:
        for ss in task["startstops"]:
            if ss["action"] == "compute":
                busy[task["worker"]] = busy.get(task["worker"], 0.0) + ss["stop"] - ss["start"]
    return wall, wall - max(busy.values())


def _params(x: np.ndarray) -> dict[str, np.ndarray]:
    return {"w": x[:-1], "b": np.array(x[-1])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    n = args.rows
    client, owned = connect(None, n_workers=2, stream=sys.stdout)
    X, y = client.persist(list(make_data(n)))
    client.wait_for_workers(2)
    Xn, yn = X.compute(), y.compute()  # for the in-memory contenders and scikit-learn
    C_inv = 1.0
    l2 = sklearn_l2(C_inv, n)
    model = LogisticRegression(COLS, l2=l2)
    Cd = model_sum(model, (X, y), cluster=client, stream=None)
    Cv = model_sum(model, (X, y), cluster=client, stream=None, kernel=None)
    mem = FiniteSum(model.loss, (Xn, yn), value_and_grad=model.value_and_grad)
    base = baseline(client, X, y, l2)
    w = np.full(COLS + 1, 0.01)
    p = _params(w)
    f_s, g_s = Cd.value_and_grad(p)
    f_b, g_b = base(w)
    print(f"n = {n} x {COLS}, {CHUNKS} chunks, 2 workers x 1 thread; "
          f"|f_steepest - f_baseline| = {abs(f_s - f_b):.2e}, max |g diff| = "
          f"{np.max(np.abs(np.append(g_s['w'], g_s['b']) - g_b)):.2e}")
    cases = {"steepest distributed": lambda: Cd.value_and_grad(p),
             "steepest distributed, kernel=None": lambda: Cv.value_and_grad(p),
             "hand-written fused baseline": lambda: base(w),
             "steepest in memory (1 process)": lambda: mem.value_and_grad(p)}
    try:
        dm_fg = dask_ml_evaluation(X, y, C_inv)
        have_dask_ml = True
        cases["dask-ml (dask_glm) evaluation"] = lambda: dm_fg(w)
    except ImportError:
        have_dask_ml = False
        print("dask-ml not installed: its rows are skipped")
    med = _median_rounds(cases, args.rounds, client)
    ref = med["hand-written fused baseline"]
    print(f"\nper evaluation, median of {args.rounds} interleaved rounds")
    for name, t in med.items():
        print(f"  {name:34s} {t:8.3f} s   {t / ref:5.2f}x baseline")
    if have_dask_ml:
        ratio = med["steepest distributed"] / med["dask-ml (dask_glm) evaluation"]
        print(f"  steepest / dask-ml = {ratio:.2f}")
    walls = [_overhead(client, Cd, p) for _ in range(3)]
    wall, over = (statistics.median(v) for v in zip(*walls, strict=True))
    print(f"scheduler overhead per evaluation (wall - busiest worker's compute): "
          f"{over:.3f} s of {wall:.3f} s")
    Cv.close()
    fits(client, X, y, Xn, yn, model, Cd, have_dask_ml, n)
    close(client, owned)
    one_worker(n, model)


def fits(client, X, y, Xn, yn, model, Cd, have_dask_ml, n) -> None:
    from sklearn.linear_model import LogisticRegression as SkLR  # noqa: PLC0415 - peer

    t0 = time.perf_counter()
    sk = SkLR(C=1.0).fit(Xn, yn)
    t_sk = time.perf_counter() - t0
    star = SkLR(C=1.0, solver="newton-cholesky", tol=1e-10).fit(Xn, yn)
    mem = FiniteSum(model.loss, (Xn, yn), value_and_grad=model.value_and_grad)
    F = lambda coef, b: mem.value({"w": coef, "b": np.array(b)})  # noqa: E731
    F_star = F(star.coef_[0], star.intercept_[0])
    print(f"\nwhole fit to scikit-learn's tolerance (gtol 1e-4), F* = {F_star:.12f}")
    print(f"  sklearn lbfgs in memory: {t_sk:7.2f} s, {sk.n_iter_[0]} iterations, "
          f"F - F* = {F(sk.coef_[0], sk.intercept_[0]) - F_star:.2e}")
    e0 = Cd.evaluations
    t0 = time.perf_counter()
    res = minimize(Cd, model.init(), method="lbfgs", tol=1e-4, progress=False)
    t_st = time.perf_counter() - t0
    print(f"  steepest distributed:    {t_st:7.2f} s, {res.nit} iterations, "
          f"{Cd.evaluations - e0} evaluations, F - F* = {F(res.x['w'], res.x['b']) - F_star:.2e}, "
          f"max |coef - sklearn| = {np.max(np.abs(res.x['w'] - sk.coef_[0])):.2e}")
    if have_dask_ml:
        from dask_ml.linear_model import LogisticRegression as DmLR  # noqa: PLC0415 - peer

        t0 = time.perf_counter()
        dm = DmLR(C=1.0, solver="lbfgs", tol=1e-4 * n).fit(X, y)
        t_dm = time.perf_counter() - t0
        print(f"  dask-ml lbfgs:           {t_dm:7.2f} s, F - F* = "
              f"{F(dm.coef_, dm.intercept_) - F_star:.2e}, max |coef - sklearn| = "
              f"{np.max(np.abs(dm.coef_ - sk.coef_[0])):.2e}")
        print(f"  steepest / dask-ml wall time = {t_st / t_dm:.2f}")


def one_worker(n: int, model) -> None:
    client, owned = connect(None, n_workers=1, stream=None)
    X, y = client.persist(list(make_data(n)))
    C1 = model_sum(model, (X, y), cluster=client, stream=None)
    p = _params(np.full(COLS + 1, 0.01))
    med = _median_rounds({"one worker": lambda: C1.value_and_grad(p)}, 3)
    print(f"\nsteepest distributed on 1 worker: {med['one worker']:.3f} s per evaluation")
    close(client, owned)


if __name__ == "__main__":
    main()
