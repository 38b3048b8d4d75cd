"""``steepest bench [NAME ...] [--list]``: run benchmarks of the source tree's ``benchmarks/``
folder by name and print their tables (each in its own interpreter, BLAS pinned to one thread).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import steepest

from ._common import CliError, add_common, print_json

__all__ = ["add_parser", "run", "find_folder", "available"]

HELP = "run benchmarks (benchmarks/NAME.py of a source checkout) and print their tables"
PINNED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def add_parser(sub: Any) -> None:
    """Register the ``bench`` verb."""
    p = sub.add_parser("bench", help=HELP, description=HELP + ".")
    p.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    p.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    p.add_argument("--dir", type=Path, help="the benchmarks folder (default: found from the "
                   "current directory or beside the installed source)")
    add_common(p)
    p.set_defaults(run=run)


def find_folder(given: Path | None) -> Path:
    """``--dir``, else ``./benchmarks`` or the ``benchmarks`` folder above the package."""
    if given is not None:
        if not given.is_dir():
            raise CliError(f"--dir {str(given)!r} is not a folder; pass the benchmarks folder")
        return given
    here = Path(steepest.__file__).resolve().parents[2] / "benchmarks"
    for candidate in (Path.cwd() / "benchmarks", here):
        if candidate.is_dir():
            return candidate
    raise CliError("no benchmarks/ folder found; run from a steepest source checkout or pass "
                   "--dir PATH")


def available(folder: Path) -> dict[str, Path]:
    """Benchmark name -> script (every ``*.py`` not starting with ``_``)."""
    return {p.stem: p for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")}


def _first_line(script: Path) -> str:
    for line in script.read_text().splitlines():
        text = line.strip().strip('"').strip()
        if text:
            return text
    return ""


def run(args: argparse.Namespace) -> int:
    """List (0) or run the benchmarks: 0 when every one exited 0, else 1."""
    scripts = available(find_folder(args.dir))
    if args.list:
        if args.json:
            print_json({"benchmarks": [{"name": n, "about": _first_line(p)}
                                       for n, p in scripts.items()]})
        else:
            for name, path in scripts.items():
                print(f"{name:<24} {_first_line(path)}")
        return 0
    unknown = [n for n in args.names if n not in scripts]
    if unknown:
        raise CliError(f"unknown benchmark(s) {', '.join(unknown)}; choose from "
                       f"{', '.join(scripts)} (steepest bench --list)")
    env = {**os.environ, **PINNED}
    outcomes = []
    for name in args.names or list(scripts):
        if not args.json:
            print(f"=== {name} ===", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(scripts[name])], env=env, text=True,
                              capture_output=args.json, check=False)
        outcomes.append({"name": name, "returncode": proc.returncode,
                         "seconds": time.perf_counter() - t0,
                         "output": proc.stdout if args.json else None})
    if args.json:
        print_json({"benchmarks": outcomes})
    failed = [o["name"] for o in outcomes if o["returncode"] != 0]
    if failed:
        print(f"steepest: benchmark(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
