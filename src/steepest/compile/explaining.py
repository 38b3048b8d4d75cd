"""``explain(f, x, rewrites=True)``: Liquet's tables of the graph that is differentiated.

With ``rewrites=False`` this is :func:`steepest.autodiff.explain` (Tables 4.1–4.3 of the traced
graph). With ``rewrites=True`` the function is first wrapped in :func:`~.stabilize`, so the
tables show the *rewritten* graph — the one ``grad(stabilize(f))`` differentiates — and the
explanation lists each applied rewrite with the user's source line and the reason.

Example:
    >>> import numpy as np
    >>> ex = explain(lambda x: np.log(1 - np.exp(x)), -1e-20, rewrites=True)
    >>> [r.name for r in ex.rewrites], float(ex.gradient[0])
    (['log1mexp'], -1e+20)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._validate import check_callable
from ..autodiff.explanation import Explanation
from ..autodiff.explanation import explain as explain_graph
from .stabilizing import stabilize

__all__ = ["explain"]


def explain(f: Callable, *args: Any, j: int = 1, rewrites: bool = False) -> Explanation:
    """Trace ``f(*args)`` and tabulate its primals, tangents (for input ``j``) and adjoints.

    Forward mode: ȧ_i = Σ_k (∂f_i/∂u_k) u̇_k (Liquet eq. 4.29); backward mode: ζ_i = Σ_k
    (∂a_{i_k}/∂a_i) ζ_{i_k} (eq. 4.31) and ∂C/∂θ_j from eq. 4.32.

    Args:
        f: scalar function of one vector ``θ`` or of several scalar arguments.
        *args: the point ``θ``.
        j: the input (1-based, as in Liquet et al.) whose tangent the forward-mode table follows.
        rewrites: tabulate the graph after steepest's stabilizing rewrites (what
            ``grad(stabilize(f))`` differentiates) and list the rewrites applied, each with
            the user's source line and the reason.

    Returns:
        An :class:`~steepest.autodiff.Explanation`; ``print`` it for the three tables (and, with
        ``rewrites=True``, the rewrites), or read ``primal_table()``, ``gradient``,
        ``rewrites`` ...

    Raises:
        TypeError: ``f`` is not callable, or ``rewrites`` is not a bool.

    Example:
        >>> import numpy as np
        >>> f = lambda x: np.log(np.sum(np.exp(x)))
        >>> ex = explain(f, np.array([1000.0, 1000.0]), rewrites=True)
        >>> ex.gradient.tolist(), ex.primal_table()[1][1][1]
        ([0.5, 0.5], 'a1 = logsumexp(θ)')

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4, Tables 4.1-4.3;
        Goodfellow et al., *Deep Learning*, §4.1 (stabilizing rewrites).
    """
    check_callable(f, "f")
    if not isinstance(rewrites, bool):
        raise TypeError(f"rewrites must be True or False, got {rewrites!r}")
    if not rewrites:
        return explain_graph(f, *args, j=j)
    stable = stabilize(f)
    out = explain_graph(stable, *args, j=j)
    out.rewrites = stable.rewrites(*args)
    return out
