"""``steepest check FILE.py:FUNC --x0 "1,2"``: are steepest's derivatives of FUNC right at x0
(``check_grads`` against central differences), and what kind of point is x0 (the
second-derivative test, ``classify_critical_point``)?
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

import steepest

from ._common import (
    CliError,
    add_common,
    evaluate_at,
    load_function,
    parse_x0,
    print_json,
    run_failure,
)

__all__ = ["add_parser", "run"]

HELP = "check FUNC's autodiff derivatives at x0 and classify x0 (minimum, saddle, ...)"


def add_parser(sub: Any) -> None:
    """Register the ``check`` verb."""
    p = sub.add_parser("check", help=HELP, description=HELP + ".")
    p.add_argument("target", metavar="FILE.py:FUNC", help="the file and the function in it")
    p.add_argument("--x0", required=True, help='the point, e.g. "1,2"')
    p.add_argument("--order", type=int, default=2,
                   help="highest derivative order checked (default 2: gradient and Hessian)")
    p.add_argument("--tol", type=float, default=1e-6,
                   help="relative tolerance of the critical-point test (default 1e-6)")
    add_common(p)
    p.set_defaults(run=run)


def _gradient_check(fun: Any, x0: np.ndarray, order: int) -> tuple[bool, str]:
    try:
        steepest.check_grads(fun, (x0,), modes=("fwd", "rev"), order=order)
    except steepest.GradientCheckError as exc:
        return False, " ".join(str(exc).split())
    return True, f"forward and reverse mode agree with central differences up to order {order}"


def run(args: argparse.Namespace) -> int:
    """Run the verb; 0 when the derivatives check out, 1 when they do not."""
    if args.order < 1:
        raise CliError(f"--order must be >= 1, got {args.order}")
    fun, name = load_function(args.target)
    x0 = parse_x0(args.x0)
    f0 = evaluate_at(fun, name, x0)
    try:
        g0 = np.asarray(steepest.grad(fun)(x0), dtype=float)
        ok, words = _gradient_check(fun, x0, args.order)
        point = steepest.classify_critical_point(fun, x0, tol=args.tol)
    except Exception as exc:
        raise run_failure(exc, fun, name, "the derivative check") from exc
    kind = point.kind.value
    if args.json:
        print_json({"function": args.target, "x0": x0, "f": f0, "grad": g0,
                    "gradient_check": {"passed": ok, "order": args.order, "message": words},
                    "critical_point": {"kind": kind, "grad_norm": point.grad_norm,
                                       "eigenvalues": point.eigenvalues,
                                       "grad_tol": point.grad_tol, "eig_tol": point.eig_tol}})
    else:
        ev = np.asarray(point.eigenvalues)
        print(f"{name} at x0 = {np.array2string(x0, precision=6)}")
        print(f"  f(x0)           {f0:.10g}")
        print(f"  grad            {np.array2string(g0, precision=6)}")
        print(f"  gradient check  {'passed' if ok else 'FAILED'}: {words}")
        print(f"  x0 is           {kind} (|grad| {point.grad_norm:.3g} vs tol "
              f"{point.grad_tol:.3g}; Hessian eigenvalues in [{ev.min():.4g}, {ev.max():.4g}])")
    return 0 if ok else 1
