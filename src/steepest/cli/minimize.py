"""``steepest minimize FILE.py:FUNC --x0 "1,2" [--method bfgs] [--options k=v ...]
[--plot out.png] [--json]``: minimize a function of your own, with autodiff gradients.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import steepest

from ._common import (
    CliError,
    add_common,
    evaluate_at,
    load_function,
    parse_options,
    parse_x0,
    print_json,
    run_failure,
    run_output,
)
from .plotting import draw_run, require_matplotlib

__all__ = ["add_parser", "run", "result_json"]

HELP = "minimize FUNC from FILE.py (autodiff gradients) and print the result"


def add_parser(sub: Any) -> None:
    """Register the ``minimize`` verb."""
    p = sub.add_parser("minimize", help=HELP, description=HELP + ". FUNC(x) takes a float "
                       "vector and returns a number; write it with NumPy (np.sin, x @ x, ...).")
    p.add_argument("target", metavar="FILE.py:FUNC", help="the file and the function in it")
    p.add_argument("--x0", required=True, help='starting point, e.g. "1,2" or "-1.2 1"')
    p.add_argument("--method", default="bfgs",
                   help="gd, cg, bfgs, lbfgs, newton, newton-cg, trust-newton (default bfgs)")
    p.add_argument("--options", nargs="*", default=[], metavar="KEY=VALUE",
                   help="minimize options, e.g. gtol=1e-8 maxiter=200 disp=10")
    p.add_argument("--maximize", action="store_true", help="maximize FUNC instead")
    p.add_argument("--plot", type=Path, metavar="OUT.png",
                   help="save the path (2-D) and convergence figure (needs matplotlib)")
    add_common(p)
    p.set_defaults(run=run)


def result_json(res: Any) -> dict[str, Any]:
    """The fields of a ``minimize`` result as plain JSON values."""
    cert = res.get("certificate")
    out = {k: res.get(k) for k in ("x", "fun", "jac", "nit", "nfev", "njev", "nhev", "success",
                                   "message", "method")}
    out["status"] = getattr(res.status, "name", str(res.status))
    out["status_code"] = int(res.status)
    if cert is not None:
        out["certificate"] = {"kind": cert.kind, "gradient_norm": cert.gradient_norm,
                              "hessian_eigenvalues": cert.hessian_eigenvalues,
                              "hessian_source": cert.hessian_source}
    out["trace"] = {k: v for k, v in res.trace.to_dict().items() if k != "x"}
    return out


def run(args: argparse.Namespace) -> int:
    """Run the verb; 0 when the solver succeeded, 1 when it stopped without success."""
    if args.plot is not None:
        require_matplotlib()
        if not args.plot.parent.is_dir():
            raise CliError(f"--plot {args.plot}: folder {str(args.plot.parent)!r} does not "
                           "exist; create it or pass another path")
    fun, name = load_function(args.target)
    x0 = parse_x0(args.x0)
    evaluate_at(fun, name, x0)
    options = parse_options(args.options)
    if args.plot is not None:
        options.setdefault("store_x", True)
    solve = steepest.maximize if args.maximize else steepest.minimize
    try:
        with run_output(args.json):
            res = solve(fun, x0, method=args.method, options=options)
    except Exception as exc:
        raise run_failure(exc, fun, name, solve.__name__) from exc
    if args.plot is not None:
        draw_run(res, (lambda x: -fun(x)) if args.maximize else fun, args.plot)
    if args.json:
        print_json({"function": args.target, **result_json(res),
                    "plot": None if args.plot is None else str(args.plot)})
    else:
        print(repr(res))
        if args.plot is not None:
            print(f"figure: {args.plot}")
    if not res.success:
        print(f"steepest: {name} was not minimized: {res.status.name}: {res.message}",
              file=sys.stderr)
        return 1
    return 0
