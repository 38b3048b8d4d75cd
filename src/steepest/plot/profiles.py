"""``profile``: the Dolan–Moré performance profile of solvers over a set of problems."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._axes import Axes, axes_or_new

__all__ = ["profile", "performance_ratios"]


def _table(table: Any, solvers: Sequence[str] | None) -> tuple[list[str], np.ndarray]:
    if isinstance(table, Mapping):
        names = [str(s) for s in table]
        problems = list(dict.fromkeys(p for row in table.values() for p in row))
        costs = np.array([[float(table[s].get(p, np.inf)) for p in problems] for s in table])
    else:
        costs = np.array(table, dtype=float)
        if costs.ndim != 2:
            raise ValueError(f"table must be solver × problem: a dict of dicts or a 2-D array "
                             f"with one row per solver; got shape {costs.shape}")
        names = list(solvers) if solvers is not None else [f"solver {i}" for i in
                                                            range(len(costs))]
        if len(names) != len(costs):
            raise ValueError(f"solvers has {len(names)} names for {len(costs)} rows of table; "
                             "pass one name per row")
    if costs.size == 0:
        raise ValueError("table is empty; pass at least one solver and one problem")
    if np.any(np.isnan(costs)) or np.any(costs <= 0):
        raise ValueError("table costs must be > 0 (evaluations, seconds ...); mark a failed "
                         "run with inf, never nan, 0 or a negative number")
    return names, costs


def performance_ratios(table: Any, solvers: Sequence[str] | None = None
                       ) -> tuple[list[str], np.ndarray]:
    """r_{s,p} = cost of solver s on problem p / the least cost of any solver on p.

    Args:
        table: ``{solver: {problem: cost}}`` (a missing entry is a failure) or a 2-D array,
            one row per solver, one column per problem; a failure is ``inf``.
        solvers: the row names of an array table.

    Returns:
        ``(names, ratios)``, ratios of shape (solvers, problems), ``inf`` for failures and
        for problems no solver solved.

    Example:
        >>> performance_ratios({"a": {"p": 2.0, "q": 3.0}, "b": {"p": 4.0, "q": np.inf}})[1]
        array([[ 1.,  1.],
               [ 2., inf]])
    """
    names, costs = _table(table, solvers)
    best = costs.min(axis=0)
    with np.errstate(invalid="ignore"):
        ratios = np.where(np.isfinite(best), costs / best, np.inf)
    return names, ratios


def profile(table: Any, *, solvers: Sequence[str] | None = None, tau_max: float | None = None,
            ax: Axes | None = None, **line_kw: Any) -> Axes:
    r"""ρ_s(τ), the fraction of problems solver s solves within a factor τ of the best solver.

    With :math:`r_{s,p}` the performance ratios (:func:`performance_ratios`),
    :math:`\rho_s(\tau) = |\{p : r_{s,p} \le \tau\}| / n_p`, a step function drawn for
    τ ∈ [1, τ_max] on a log₂ axis: ρ_s(1) is the share of problems where s is (one of) the
    fastest, ρ_s(τ_max) the share it solves at all.

    Args:
        table: ``{solver: {problem: cost}}`` or a 2-D array with one row per solver; costs are
            positive (evaluations, seconds), failures ``inf``.
        solvers: the row names of an array table.
        tau_max: right end of the τ axis (default: twice the largest finite ratio, at least 2).
        ax: the Axes to draw into; a new figure when ``None``.
        **line_kw: passed to ``ax.step`` for every solver.

    Returns:
        The Axes.

    Reference:
        Dolan & Moré, "Benchmarking optimization software with performance profiles",
        *Mathematical Programming* 91 (2002), 201–213.

    Example:
        >>> ax = profile({"a": {"p": 2.0, "q": 3.0}, "b": {"p": 4.0, "q": float("inf")}})
        >>> [line.get_label() for line in ax.get_lines()], ax.get_xscale()
        (['a', 'b'], 'log')
    """
    names, ratios = performance_ratios(table, solvers)
    finite = ratios[np.isfinite(ratios)]
    top = float(tau_max) if tau_max is not None else max(2.0, 2.0 * float(
        finite.max(initial=1.0)))
    if not top > 1:
        raise ValueError(f"tau_max must be > 1, got {tau_max}")
    ax = axes_or_new(ax)
    n_problems = ratios.shape[1]
    for name, r in zip(names, ratios):
        tau = np.concatenate([[1.0], np.sort(r[r <= top]), [top]])
        rho = np.array([np.sum(r <= v) for v in tau]) / n_problems
        ax.step(tau, rho, where="post", label=name, **line_kw)
    ax.set_xscale("log", base=2)
    ax.set(xlim=(1.0, top), ylim=(0.0, 1.02), xlabel="within a factor τ of the best",
           ylabel=f"fraction of the {n_problems} problems")
    ax.legend(loc="lower right")
    return ax
