"""The ``steepest`` command line."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .tour import SECTIONS, run_tour


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="steepest",
        description="Numerical computation for machine learning: stable numerics, autodiff, "
        "local analysis and optimization.",
    )
    parser.add_argument("--version", action="version", version=f"steepest {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    tour = sub.add_parser("tour", help="run every section of the tour and write a report")
    tour.add_argument("--out", type=Path, default=Path("steepest-tour"),
                      help="directory for report.md and figures (default: ./steepest-tour/)")
    tour.add_argument("--only", nargs="*", default=(),
                      help="run only sections whose name contains one of these words")
    tour.add_argument("--list", action="store_true", help="list the sections and exit")
    return parser


def _cmd_tour(args: argparse.Namespace) -> int:
    if args.list:
        for name in SECTIONS:
            print(f"{name.rsplit('.', 1)[-1]:<16} {importlib.import_module(name).TITLE}")
        return 0
    print(f"steepest tour -> {args.out}/report.md")
    outcomes = run_tour(SECTIONS, args.out, only=args.only)
    failed = [o.title for o in outcomes if not o.ok]
    total = sum(o.seconds for o in outcomes)
    print(f"\n{len(outcomes) - len(failed)}/{len(outcomes)} sections done in {total:.1f} s; "
          f"report: {args.out / 'report.md'}")
    if failed:
        print("failed sections: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``steepest`` console script."""
    args = _build_parser().parse_args(argv)
    if args.command == "tour":
        return _cmd_tour(args)
    return 2  # pragma: no cover - argparse enforces a known command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
