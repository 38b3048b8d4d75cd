"""What the bad-input checks of issue 14 cost on hot paths: this checkout beside a base revision.

The base revision's ``src/steepest`` is ``git archive``'d into a temporary folder as the package
``steepest_base`` (steepest imports itself only relatively, so the copy works under another
name), and both versions are timed in this one process, taking turns: per round and case one batch
of calls for each version, the version going first alternating from round to round (whichever
runs second gains ~2 µs on a warm cache). Best of the rounds; the table gives the per-call
time in µs, the difference and the ratio.

The base is ``STEEPEST_BASE_REV`` (default ``main``); without git or that revision the
benchmark is skipped.

Run: python benchmarks/validation_overhead.py  (about half a minute)
"""

from __future__ import annotations

import os

for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_k] = "1"

import importlib  # noqa: E402
import io  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tarfile  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
import steepest  # noqa: E402

REPEATS = 60
BATCH = 50


def cases(st: ModuleType) -> dict[str, Callable[[], object]]:
    """The hot paths the checks touch, on small inputs (where a fixed cost shows most)."""
    so = importlib.import_module(f"{st.__name__}.optimizers")
    snp = importlib.import_module(f"{st.__name__}.numpy")
    tree_map = importlib.import_module(f"{st.__name__}.tree").tree_map

    def f(x):
        return np.sum(x * x)

    x, v = np.linspace(0.0, 1.0, 10), np.ones(10)
    g = st.grad(f)
    _, pullback = st.vjp(lambda y: y * y, x)
    adam = so.adam(1e-3)
    box = {"p": x.copy(), "s": adam.init(x)}
    sgd = so.sgd(0.1)
    tree = {"a": x, "b": v, "c": np.ones(3)}
    s_sgd = sgd.init(tree)
    sched = so.cosine_decay_schedule(0.1, 1000)
    a3, b3 = np.eye(3) * 2.0 + 0.1, np.ones(3)

    def adam_step():
        box["p"], box["s"] = so.step(adam, v, box["s"], box["p"])

    def sgd_update_apply():
        u, _ = sgd.update(tree, s_sgd, tree)
        return so.apply_updates(tree, u)

    return {
        "grad(f)(x), n=10": lambda: g(x),
        "grad(f) construction": lambda: st.grad(f),
        "jvp(f, (x,), (v,))": lambda: st.jvp(f, (x,), (v,)),
        "vjp pullback(v)": lambda: pullback(v),
        "adam step, n=10": adam_step,
        "sgd update + apply_updates, 3 leaves": sgd_update_apply,
        "tree_map, 3 leaves": lambda: tree_map(lambda a: a, tree),
        "schedule(100)": lambda: sched(100),
        "snp.linalg.solve 3x3": lambda: snp.linalg.solve(a3, b3),
        "armijo on scalars": lambda: st.armijo(lambda t: (t - 1.0) ** 2, 1.0, -2.0),
        "golden_section to 1.5e-8": lambda: st.golden_section(lambda t: (t - 1.0) ** 2,
                                                              (0.0, 3.0)),
    }


def _batch_time(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    for _ in range(BATCH):
        fn()
    return time.perf_counter() - t0


def alternating_best(sides: dict[str, dict[str, Callable[[], object]]]) -> dict[str, dict]:
    """Best batch time per side and case; the side timed first alternates between rounds."""
    order = list(sides)
    best = {side: dict.fromkeys(sides[side], float("inf")) for side in order}
    for side in order:  # warm up
        for fn in sides[side].values():
            fn()
    for r in range(REPEATS):
        for name in sides[order[0]]:
            for side in order if r % 2 == 0 else order[::-1]:
                best[side][name] = min(best[side][name], _batch_time(sides[side][name]))
    return best


def _load_base(rev: str, into: Path) -> ModuleType | None:
    """The package ``src/steepest`` of ``rev``, imported as ``steepest_base``."""
    try:
        archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev, "src/steepest"],
                                 check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "src" / "steepest").rename(into / "steepest_base")
    sys.path.insert(0, str(into))
    return importlib.import_module("steepest_base")


def main() -> int:
    rev = os.environ.get("STEEPEST_BASE_REV", "main")
    with tempfile.TemporaryDirectory() as tmp:
        base = _load_base(rev, Path(tmp))
        if base is None:
            print(f"skipped: cannot git archive revision {rev!r}")
            return 0
        sides = {"base": cases(base), "here": cases(steepest)}
        best = alternating_best(sides)
    print(f"per-call µs, best of {REPEATS} alternating rounds of {BATCH} calls; base = {rev}")
    print(f"{'case':40s} {'base':>8s} {'here':>8s} {'diff':>7s} {'ratio':>6s}")
    for name in sides["here"]:
        b, h = (best[side][name] / BATCH * 1e6 for side in ("base", "here"))
        print(f"{name:40s} {b:8.2f} {h:8.2f} {h - b:+7.2f} {h / b:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
