"""Linearisation (``linearize``): record the tangent program of ``f`` at a point once, replay
it per tangent.

Forward mode pushes a tangent through every primitive's JVP rule. Those tangent computations
are linear in the input tangent and, at a fixed point, do not depend on it otherwise. Running
the JVP once with the input tangent *traced* (a reverse-mode box, values kept) records exactly
that linear program as a graph; replaying the graph for another tangent costs one NumPy call
per recorded node, with no tracing (JAX's ``linearize`` idea, by recording instead of partial
evaluation). ``jacfwd`` and ``hessian`` replay it once per input direction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tree import tree_flatten, tree_unflatten
from .tracing import ReverseTrace, Traced, getval
from .transforms import jvp

__all__ = ["LinearizedJVP", "linearize"]


class LinearizedJVP:
    """``t ↦ J_f(primals) t`` for a fixed point, recorded once and replayed per call.

    Attributes:
        out: ``f(*primals)``.
    """

    def __init__(self, f: Callable[..., Any], primals: tuple) -> None:
        p_leaves, self._p_def = tree_flatten(tuple(primals))
        self._shapes = [np.shape(getval(p)) for p in p_leaves]
        trace = ReverseTrace(keep_values=True)
        boxes = [trace.new_input(np.zeros(s, dtype=np.result_type(getval(p), float)))
                 for s, p in zip(self._shapes, p_leaves)]
        self._inputs = [b._node for b in boxes]
        self.out, tangent = jvp(f, tuple(primals), tree_unflatten(self._p_def, boxes))
        leaves, self._t_def = tree_flatten(tangent)
        self._outs = [(o._node if isinstance(o, Traced) and o._trace is trace else None, o)
                      for o in leaves]
        self._tape = trace.tape

    def __call__(self, *tangents: Any) -> Any:
        """The output tangent for input tangents with the structure of ``primals``."""
        leaves, t_def = tree_flatten(tuple(tangents))
        if t_def != self._p_def:
            raise ValueError(f"tangents must have the structure of the primals: {self._p_def!r}"
                             f", got {t_def!r}")
        env = {}
        for node, t, s in zip(self._inputs, leaves, self._shapes):
            if np.shape(getval(t)) != s:
                raise ValueError(f"tangent of shape {np.shape(getval(t))} for a primal of shape "
                                 f"{s}; give them one shape")
            env[node] = t
        for node in self._tape:
            args = list(node.args)
            for i, p in node.parents:
                args[i] = env[p]
            env[node] = node.prim(*args, **node.kwargs)  # type: ignore[misc]
        outs = [env[node] if node is not None else const for node, const in self._outs]
        return tree_unflatten(self._t_def, outs)


def linearize(f: Callable, *primals: Any) -> tuple[Any, Callable[..., Any]]:
    """Return ``(f(*primals), f_jvp)`` with ``f_jvp(*tangents) = J_f(primals) · tangents``.

    The tangent program is recorded once at ``primals``; each ``f_jvp`` call replays it
    (one NumPy call per recorded operation, no re-tracing of ``f``).

    Args:
        f: function of the positional ``primals``.
        *primals: the point of linearisation.

    Returns:
        ``(out, f_jvp)``; ``f_jvp`` takes tangents with the structure of ``primals``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic Differentiation"
        (forward mode).

    Example:
        >>> import numpy as np
        >>> y, f_jvp = linearize(np.sin, 0.0)
        >>> float(f_jvp(2.0))
        2.0
    """
    lin = LinearizedJVP(f, primals)
    return lin.out, lin
