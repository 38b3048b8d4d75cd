"""``steepest problems [NAME] [--method ...]``: list the built-in test problems, or run one.

The problems are those of :mod:`steepest.problems`: the classic ones (Rosenbrock, Beale,
Himmelblau, peaks, a quadratic) and the 35 Moré–Garbow–Hillstrom problems (by name such as
``helical_valley`` or ``mgh07_helical_valley``, or by number ``7``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import numpy as np

import steepest

from ._common import (
    CliError,
    add_common,
    parse_options,
    parse_x0,
    print_json,
    run_failure,
    run_output,
)
from .minimize import result_json

__all__ = ["add_parser", "run", "catalogue", "find"]

HELP = "list the built-in test problems, or run one (NAME) with a chosen method"

_CLASSIC = ("rosenbrock", "beale", "himmelblau", "peaks", "quadratic")


def add_parser(sub: Any) -> None:
    """Register the ``problems`` verb."""
    p = sub.add_parser("problems", help=HELP, description=HELP + ".")
    p.add_argument("name", nargs="?", help="a problem to run (omit to list them all)")
    p.add_argument("--method", default="bfgs", help="the minimize method (default bfgs)")
    p.add_argument("--options", nargs="*", default=[], metavar="KEY=VALUE",
                   help="minimize options, e.g. gtol=1e-8 maxiter=500")
    p.add_argument("--x0", help="start here instead of the problem's standard start")
    add_common(p)
    p.set_defaults(run=run)


def catalogue() -> dict[str, Callable[[], Any]]:
    """Problem name -> a function building the :class:`~steepest.problems.Problem`."""
    out: dict[str, Callable[[], Any]] = {n: getattr(steepest.problems, n) for n in _CLASSIC}
    for i, short_name in enumerate(steepest.problems.MGH_NAMES, 1):
        out[f"mgh{i:02d}_{short_name}"] = lambda i=i: steepest.problems.mgh_problem(i)
    return out


def find(name: str) -> Any:
    """The problem called ``name`` (classic name, MGH name with or without ``mghNN_``, or an
    MGH number)."""
    table = catalogue()
    key = name.lower()
    if key in table:
        return table[key]()
    if key.isdigit() and 1 <= int(key) <= len(steepest.problems.MGH_NAMES):
        return steepest.problems.mgh_problem(int(key))
    if key in steepest.problems.MGH_NAMES:
        return steepest.problems.mgh_problem(key)
    close = [n for n in table if key in n][:5]
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise CliError(f"unknown problem {name!r}; {hint}`steepest problems` lists them")


def _listing(as_json: bool) -> int:
    rows = []
    for name, make in catalogue().items():
        p = make()
        rows.append({"name": name, "n": p.n, "f_star": p.f_star, "title": p.title})
    if as_json:
        print_json({"problems": rows})
        return 0
    print(f"{'name':<34} {'n':>3}  {'f*':>12}  title")
    for r in rows:
        f_star = "?" if r["f_star"] is None else f"{r['f_star']:.6g}"
        print(f"{r['name']:<34} {r['n']:>3}  {f_star:>12}  {r['title']}")
    print(f"\n{len(rows)} problems; run one with `steepest problems NAME --method bfgs`")
    return 0


def run(args: argparse.Namespace) -> int:
    """List (0) or run one problem: 0 when the solver succeeded, else 1."""
    if args.name is None:
        return _listing(args.json)
    problem = find(args.name)
    x0 = problem.x0 if args.x0 is None else parse_x0(args.x0, problem.n)
    options = parse_options(args.options)
    try:
        with run_output(args.json):
            res = steepest.minimize(problem.fun, x0, method=args.method, jac=problem.grad,
                                    options=options)
    except Exception as exc:
        raise run_failure(exc, problem.fun, problem.name, "minimize") from exc
    gap = None if problem.f_star is None else float(res.fun - problem.f_star)
    if args.json:
        print_json({"problem": problem.name, "n": problem.n, "f_star": problem.f_star,
                    "f_minus_f_star": gap, **result_json(res)})
    else:
        print(f"{problem.name}: {problem.title} (n = {problem.n})")
        print(repr(res))
        if gap is not None:
            print(f"  f - f*       {gap:.3g}")
        if problem.x_star is not None and np.shape(problem.x_star) == np.shape(res.x):
            print(f"  |x - x*|max  {np.max(np.abs(res.x - problem.x_star)):.3g}")
    return 0 if res.success else 1
