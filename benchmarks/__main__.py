"""Run every benchmark script in this folder, one after another (``make bench``).

Each script pins BLAS to one thread before NumPy is imported, runs steepest beside its peer in
one process and prints a table of ratios. Peers that are not installed are skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_PINNED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def main() -> int:
    here = Path(__file__).resolve().parent
    scripts = sorted(p for p in here.glob("*.py") if not p.name.startswith("_"))
    env = {**os.environ, **_PINNED}
    failures = 0
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        rc = subprocess.call([sys.executable, str(script)], env=env)
        failures += rc != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
