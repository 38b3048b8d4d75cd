"""``steepest tour [--out DIR] [--only WORD ...] [--list]``: run the tour, write its report."""

from __future__ import annotations

import argparse
import importlib
import io
import sys
from pathlib import Path
from typing import Any

from ..tour import SECTIONS, run_tour
from ._common import add_common, print_json

__all__ = ["add_parser", "run"]

HELP = "run every section of the tour and write a report"


def add_parser(sub: Any) -> None:
    """Register the ``tour`` verb."""
    p = sub.add_parser("tour", help=HELP, description=HELP + ".")
    p.add_argument("--out", type=Path, default=Path("steepest-tour"),
                   help="directory for report.md and figures (default: ./steepest-tour/)")
    p.add_argument("--only", nargs="*", default=(),
                   help="run only sections whose name contains one of these words")
    p.add_argument("--list", action="store_true", help="list the sections and exit")
    add_common(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """List the sections (0) or run them: 0 when every section ran, else 1."""
    if args.list:
        sections = [(name.rsplit(".", 1)[-1], importlib.import_module(name).TITLE)
                    for name in SECTIONS]
        if args.json:
            print_json({"sections": [{"name": n, "title": t} for n, t in sections]})
        else:
            for name, title in sections:
                print(f"{name:<16} {title}")
        return 0
    stream = io.StringIO() if args.json else sys.stdout
    if not args.json:
        print(f"steepest tour -> {args.out}/report.md")
    outcomes = run_tour(SECTIONS, args.out, stream=stream, only=args.only)
    failed = [o.title for o in outcomes if not o.ok]
    total = sum(o.seconds for o in outcomes)
    if args.json:
        print_json({"report": str(args.out / "report.md"), "sections": [
            {"title": o.title, "ok": o.ok, "seconds": o.seconds} for o in outcomes]})
    else:
        print(f"\n{len(outcomes) - len(failed)}/{len(outcomes)} sections done in {total:.1f} s;"
              f" report: {args.out / 'report.md'}")
    if failed:
        print("steepest: failed sections: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0
