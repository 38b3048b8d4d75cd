"""The ``steepest`` command line: one module per verb.

``steepest minimize FILE.py:FUNC --x0 "1,2"`` (:mod:`.minimize`), ``steepest check``
(:mod:`.check`), ``steepest problems`` (:mod:`.problems`), ``steepest bench``
(:mod:`.bench`) and ``steepest tour`` (:mod:`.tour`). Every verb has ``--help`` and
``--json`` (one strict JSON document on stdout), exits 0 on success and non-zero with a
one-line ``steepest VERB: ...`` message on stderr otherwise: 2 for bad input (a missing file
or function, an unparsable or wrong-length ``--x0``, a function that raises, ``--plot``
without matplotlib), 1 when the run itself did not succeed.
``--debug`` adds the traceback.

Example:
    >>> main(["problems", "rosenbrock", "--json"])  # doctest: +ELLIPSIS
    {
      "problem": "rosenbrock",
    ...
    0
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from .. import __version__
from . import bench, check, minimize, problems, tour
from ._common import CliError

__all__ = ["main", "build_parser"]

VERBS = (minimize, check, problems, bench, tour)


def build_parser() -> argparse.ArgumentParser:
    """The ``steepest`` parser with one sub-command per verb module."""
    parser = argparse.ArgumentParser(
        prog="steepest",
        description="Numerical computation for machine learning: stable numerics, autodiff, "
        "local analysis and optimization.",
    )
    parser.add_argument("--version", action="version", version=f"steepest {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="VERB")
    for verb in VERBS:
        verb.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``steepest`` console script; returns the exit status.

    Args:
        argv: the arguments (default ``sys.argv[1:]``).

    Returns:
        0 on success, 1 when a run did not succeed, 2 on bad input (argparse's usage errors
        exit 2 too).
    """
    args = build_parser().parse_args(_glue_x0(sys.argv[1:] if argv is None else list(argv)))
    try:
        return args.run(args)
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        message = " ".join(str(exc).split())
        if isinstance(exc, CliError | ImportError | ValueError | TypeError):
            print(f"steepest {args.command}: {message}", file=sys.stderr)
            return 2
        print(f"steepest {args.command}: internal error {type(exc).__name__}: {message} "
              "(--debug shows the traceback; please report it)", file=sys.stderr)
        return 1


def _glue_x0(argv: list[str]) -> list[str]:
    """``--x0 "-1.2,1"`` as ``--x0=-1.2,1``: argparse would read the leading minus as a flag."""
    out: list[str] = []
    it = iter(argv)
    for token in it:
        if token == "--x0":
            value = next(it, None)
            out.append(token if value is None else f"--x0={value}")
        else:
            out.append(token)
    return out
