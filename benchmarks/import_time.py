"""Import time of ``import steepest`` against ``import numpy, scipy.special``.

Each statement runs in a fresh interpreter (``python -c``), ROUNDS rounds taking turns, so
that a change of machine load hits both alike; the table gives the median wall time of each and
the ratio to the baseline. Two more rows show what the first use of a name costs once the lazy
package has loaded it (``steepest.grad`` imports autodiff, ``steepest.minimize`` the solvers).
The last lines say whether ``scipy.signal`` was imported, by ``import steepest`` alone and after
touching every name of ``steepest.__all__``.

Run: ``python benchmarks/import_time.py`` (about 20 s).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
ROUNDS = 5
BASELINE = "numpy + scipy.special"
CASES = {
    BASELINE: "import numpy, scipy.special",
    "steepest": "import steepest",
    "steepest, then steepest.grad": "import steepest; steepest.grad",
    "steepest, then steepest.minimize": "import steepest; steepest.minimize",
}
SIGNAL_CHECKS = {
    "import steepest": "import sys, steepest; print('scipy.signal' in sys.modules)",
    "every name of steepest.__all__": (
        "import sys, steepest\n"
        "for name in steepest.__all__: getattr(steepest, name)\n"
        "print('scipy.signal' in sys.modules)"
    ),
}


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def wall_time(code: str, env: dict[str, str]) -> float:
    """Seconds for one fresh interpreter to run ``code`` and exit."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - t0


def interleaved_medians(cases: dict[str, str], rounds: int) -> dict[str, float]:
    """Median wall time of each case over ``rounds`` rounds, the cases taking turns."""
    env = _env()
    wall_time("pass", env)  # warm the file-system cache once
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, code in cases.items():
            times[name].append(wall_time(code, env))
    return {name: statistics.median(ts) for name, ts in times.items()}


def loads_scipy_signal(code: str) -> bool:
    out = subprocess.run([sys.executable, "-c", code], env=_env(), check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return out.strip() == "True"


def main() -> int:
    medians = interleaved_medians(CASES, ROUNDS)
    base = medians[BASELINE]
    print(f"import time, median of {ROUNDS} fresh interpreters each, interleaved\n")
    width = max(map(len, CASES))
    print(f"{'statement'.ljust(width)} | seconds | ratio to {BASELINE}")
    print(f"{'-' * width}-|---------|-{'-' * (9 + len(BASELINE))}")
    for name, seconds in medians.items():
        print(f"{name.ljust(width)} | {seconds:7.3f} | {seconds / base:.2f}")
    print(f"\nratio import steepest / import numpy, scipy.special: "
          f"{medians['steepest'] / base:.2f} (target <= 1.3)")  # fmt: skip
    for label, code in SIGNAL_CHECKS.items():
        print(f"scipy.signal in sys.modules after {label}: {loads_scipy_signal(code)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
