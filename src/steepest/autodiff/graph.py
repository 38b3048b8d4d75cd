"""Inspecting the computational graph as plain data (for rewrites and teaching).

:func:`trace_graph` runs a function once under a reverse-mode trace that keeps every value,
and returns its :class:`Graph`: the input nodes, the output nodes and all nodes in topological
order. Each :class:`~steepest.autodiff.tracing.Node` is a plain record (``prim``, ``args``,
``kwargs``, ``value``, ``parents``), so a pass that rewrites patterns such as
``log(softmax(x))`` can walk and rebuild it.

Example:
    >>> import numpy as np
    >>> g = trace_graph(lambda x: np.sum(np.exp(x) * 2.0), np.ones(3))
    >>> [n.prim.name for n in g.nodes if n.prim is not None]
    ['exp', 'multiply', 'sum']
    >>> g.evaluate(np.zeros(3))
    np.float64(6.0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._validate import check_callable
from ..tree import tree_flatten, tree_unflatten
from .backward import toposort
from .tracing import Node, ReverseTrace, Traced
from .transforms import check_differentiable

__all__ = ["Graph", "trace_graph"]


@dataclass
class Graph:
    """A traced computation: inputs, outputs and nodes (inputs first, outputs last).

    Attributes:
        inputs: the input (leaf) nodes, in the flattened order of the arguments.
        outputs: the output nodes.
        nodes: every node in evaluation order.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "The Computational Graph
        and Forward Mode Automatic Differentiation" (Figure 4.7).

    Example:
        >>> import numpy as np
        >>> g = trace_graph(lambda x: np.sin(x) * x, np.array([0.5]))
        >>> len(g.inputs), len(g.outputs), len(g.nodes)
        (1, 1, 3)
    """

    inputs: list[Node]
    outputs: list[Node]
    nodes: list[Node]

    def consumers(self) -> dict[Node, list[Node]]:
        """For each node, the nodes that take it as an argument."""
        out: dict[Node, list[Node]] = {n: [] for n in self.nodes}
        for n in self.nodes:
            for _, p in n.parents:
                out[p].append(n)
        return out

    def evaluate(self, *inputs: Any) -> Any:
        """Re-run the recorded primitives on new input values (same shapes and control flow).

        Returns:
            The output value (a list when the traced function had several outputs).
        """
        env: dict[Node, Any] = dict(zip(self.inputs, inputs))
        for n in self.nodes:
            if n.prim is None:
                continue
            args = list(n.args)
            for i, p in n.parents:
                args[i] = env[p]
            env[n] = n.prim(*args, **n.kwargs)
        outs = [env[o] for o in self.outputs]
        return outs[0] if len(outs) == 1 else outs


def trace_graph(f: Callable[..., Any], *args: Any) -> Graph:
    """Trace ``f(*args)`` and return its computational graph with all values kept.

    Each node records a_i = f_i(u_1, …, u_ℓ) with its primitive f_i and parents u_k (Liquet Figure
    4.7).

    Args:
        f: function of float arrays (pytrees allowed) written with NumPy.
        *args: the point at which the graph is recorded.

    Returns:
        The :class:`Graph`; its input nodes follow the flattened order of ``args``.

    Example:
        >>> import numpy as np
        >>> g = trace_graph(lambda x: np.sin(x) * x, np.array([0.5]))
        >>> [n.prim.name if n.prim else "input" for n in g.nodes]
        ['input', 'sin', 'multiply']
        >>> np.round(g.evaluate(np.array([1.0])), 6).tolist()  # sin(1) * 1
        [0.841471]

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic Differentiation"
        "The Computational Graph and Forward Mode Automatic Differentiation".
    """
    check_callable(f, "f")
    leaves, tdef = tree_flatten(args)
    for leaf in leaves:
        check_differentiable(leaf)
    trace = ReverseTrace(keep_values=True)
    boxes = [trace.new_input(v) for v in leaves]
    out = f(*tree_unflatten(tdef, boxes))
    outs = [o._node for o in tree_flatten(out)[0] if isinstance(o, Traced) and o._trace is trace]
    inputs = [b._node for b in boxes]
    nodes = list(reversed(toposort(outs + inputs)))
    return Graph(inputs, outs, nodes)
