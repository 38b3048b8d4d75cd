"""``convergence``: f − f*, the gradient norm or the step length of runs on a log axis."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validate import check_choice
from ._axes import Axes, axes_or_new, finite_floor, named_items

__all__ = ["convergence", "X_AXES", "Y_AXES"]

#: the x quantities and their axis labels.
X_AXES = {"iteration": "iteration", "evaluations": "function evaluations",
          "time": "seconds"}
#: the y quantities and their axis labels.
Y_AXES = {"f - f*": "f − f*", "grad_norm": "‖∇f‖", "step": "‖x_{k+1} − x_k‖"}


def _has_trace(value: Any) -> bool:
    return not isinstance(value, np.ndarray | tuple) and hasattr(value, "trace")


def _is_run(value: Any) -> bool:
    if isinstance(value, tuple) and len(value) == 2:  # an (x, y) pair of arrays
        return all(isinstance(v, np.ndarray) for v in value)
    return _has_trace(value) or (isinstance(value, np.ndarray) and value.ndim == 1)


def _label(run: Any) -> str:
    return str(run.get("method", "run")) if _has_trace(run) else "curve"


def _columns(run: Any, x: str, y: str, f_star: float) -> tuple[np.ndarray, np.ndarray]:
    if not _has_trace(run):
        xs, ys = run if isinstance(run, tuple) else (np.arange(len(run)), run)
        return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    t = run.trace.as_arrays()
    xs = {"iteration": np.arange(len(t["f"])), "evaluations": 1 + np.cumsum(t["ls_evals"]),
          "time": t["time"]}[x]
    ys = {"f - f*": t["f"] - f_star, "grad_norm": t["gnorm"], "step": t["step_norm"]}[y]
    first = 1 if y == "step" else 0  # row 0 is the start: no step has been taken yet
    return np.asarray(xs[first:], dtype=float), ys[first:]


def convergence(results: Any, x: str = "iteration", y: str = "f - f*", *,
                f_star: float | None = None, floor: float = 1e-300, xlog: bool = False,
                xlabel: str | None = None, ylabel: str | None = None, ax: Axes | None = None,
                **line_kw: Any) -> Axes:
    """Convergence curves of one or several runs, y on a log axis.

    For a ``minimize`` result the curve is taken from its trace: y is f(x_k) − f*, ‖∇f(x_k)‖
    (in the norm of the ``gtol`` test) or ‖x_{k+1} − x_k‖; x is the iteration k, the number
    of function evaluations so far (1 + the line-search evaluations of steps 1..k, which is
    ``nfev`` at the end) or the seconds since the start. Values below ``floor`` (an exact
    zero) are drawn at ``floor``.

    Args:
        results: a ``minimize`` result, a list of them, or a ``{label: run}`` dict; a run may
            also be a 1-D array of y values (against 0, 1, ...) or an ``(x, y)`` pair of
            arrays, for curves computed elsewhere.
        x: ``"iteration"``, ``"evaluations"`` or ``"time"``.
        y: ``"f - f*"``, ``"grad_norm"`` or ``"step"``.
        f_star: the optimal value for ``"f - f*"`` (default: the least f in any of the runs,
            so the curves show the distance to the best value found).
        floor: smallest value drawn on the log axis.
        xlog: log scale on x as well.
        xlabel, ylabel: axis labels (default: the names of the quantities).
        ax: the Axes to draw into; a new figure when ``None``.
        **line_kw: passed to ``ax.plot`` for every curve.

    Returns:
        The Axes.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> f = lambda z: (1 - z[0]) ** 2 + 100 * (z[1] - z[0] ** 2) ** 2
        >>> runs = [minimize(f, np.array([-1.2, 1.0]), method=m) for m in ("bfgs", "newton")]
        >>> ax = convergence(runs, x="evaluations", f_star=0.0)
        >>> [line.get_label() for line in ax.get_lines()], ax.get_yscale()
        (['bfgs', 'newton'], 'log')
    """
    check_choice(x, "x", tuple(X_AXES))
    check_choice(y, "y", tuple(Y_AXES))
    runs = named_items(results, "results", _is_run, _label)
    if f_star is None and y == "f - f*":
        f_star = min((float(np.min(r.trace.f)) for _, r in runs if _has_trace(r)),
                     default=0.0)
    ax = axes_or_new(ax)
    for label, run in runs:
        xs, ys = _columns(run, x, y, float(f_star or 0.0))
        ax.plot(xs, finite_floor(ys, floor), label=label, **line_kw)
    ax.set_yscale("log")
    if xlog:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel or X_AXES[x], ylabel=ylabel or Y_AXES[y])
    if len(runs) > 1:
        ax.legend()
    return ax
