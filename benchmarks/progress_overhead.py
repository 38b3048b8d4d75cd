"""What reading a run costs: minimize with per-iteration lines or a bar vs silent, and the
start-up of the ``steepest`` command line vs importing NumPy + scipy.optimize.

Part 1 runs BFGS on the chained Rosenbrock function (n = 20, analytic gradient: cheap
iterations, so the reporting overhead shows) silent, with ``disp=1`` (a line per iteration),
``disp=10`` and with the plain and tqdm bars, all written to ``os.devnull``; scipy's BFGS on
the same problem is the reference. Part 2 times fresh interpreters: ``python -m steepest.cli
--version``, ``steepest problems rosenbrock --json`` and ``import numpy, scipy.optimize``.
Rounds interleave the cases; the tables give medians and ratios.

Run: ``python benchmarks/progress_overhead.py`` (about 30 s).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

import scipy.optimize  # noqa: E402

import steepest  # noqa: E402
from _timing import interleaved_median  # noqa: E402

ROUNDS = 15
CLI_ROUNDS = 7



def _table(title: str, medians: dict[str, float], base: str, unit: float, label: str) -> None:
    print(title)
    width = max(map(len, medians))
    print(f"{'case'.ljust(width)} | {label:>8} | ratio to {base}")
    for name, t in medians.items():
        print(f"{name.ljust(width)} | {t / unit:8.2f} | {t / medians[base]:.2f}")
    print()


def minimize_cases() -> dict:
    p = steepest.problems.rosenbrock(20)
    sink = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the benchmark

    def run(**options):
        def case():
            with contextlib.redirect_stdout(sink):
                steepest.minimize(p.fun, p.x0, method="bfgs", jac=p.grad,
                                  options={"certify": False, **options})
        return case

    cases = {"steepest silent": run(), "steepest disp=1": run(disp=1),
             "steepest disp=10": run(disp=10), "steepest progress=plain": run(progress="plain")}
    if importlib.util.find_spec("tqdm") is not None:
        cases["steepest progress=tqdm"] = run(progress="tqdm")
    cases["scipy BFGS (reference)"] = lambda: scipy.optimize.minimize(
        p.fun, p.x0, jac=p.grad, method="BFGS")
    return cases


def _fresh(args: list[str]):
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return lambda: subprocess.run([sys.executable, *args], env=env, check=True,
                                  capture_output=True)


def main() -> int:
    p = steepest.problems.rosenbrock(20)
    res = steepest.minimize(p.fun, p.x0, jac=p.grad, options={"certify": False})
    print(f"BFGS on chained Rosenbrock n=20: {res.nit} iterations\n")
    _table(f"minimize, median of {ROUNDS} interleaved rounds (output to os.devnull)",
           interleaved_median(minimize_cases(), ROUNDS), "steepest silent", 1e-3, "ms")
    cli = {"python -c 'import numpy, scipy.optimize'":
           _fresh(["-c", "import numpy, scipy.optimize"]),
           "steepest --version": _fresh(["-m", "steepest.cli", "--version"]),
           "steepest problems rosenbrock --json": _fresh(["-m", "steepest.cli", "problems",
                                                          "rosenbrock", "--json"])}
    _table(f"fresh interpreters, median of {CLI_ROUNDS} interleaved rounds",
           interleaved_median(cli, CLI_ROUNDS), "python -c 'import numpy, scipy.optimize'",
           1.0, "s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
