"""The backward pass: reverse topological order, adjoint accumulation, lazy scatters.

``backward_pass`` implements ``ζ_i = Σ_k (∂a_{i_k}/∂a_i) ζ_{i_k}`` (Liquet et al. eq. 4.31):
each node's VJP rules send one term of the sum to each parent. Adjoints of large arrays are
summed in place once the pass owns the buffer, and the adjoint of an indexing ``x[idx]`` is a
lazy :class:`Scatter` added straight into the accumulator of ``x``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .tracing import Node, Traced, shape_of

__all__ = ["toposort", "backward_pass", "Scatter"]


def toposort(roots: Iterable[Node]) -> list[Node]:
    """Nodes reachable from ``roots``, each after all of its consumers (iterative, Kahn)."""
    roots = list(roots)
    child_count: dict[Node, int] = {}
    stack = list(roots)
    seen = set(roots)
    while stack:
        node = stack.pop()
        for _, p in node.parents:
            if p in child_count:
                child_count[p] += 1
            else:
                child_count[p] = 1
            if p not in seen:
                seen.add(p)
                stack.append(p)
    order = []
    ready = [r for r in dict.fromkeys(roots) if r not in child_count]
    while ready:
        node = ready.pop()
        order.append(node)
        for _, p in node.parents:
            c = child_count[p] - 1
            child_count[p] = c
            if c == 0:
                ready.append(p)
    return order


class Scatter:
    """A lazy cotangent: zeros of ``shape`` with ``g`` added at ``idx`` (the VJP of indexing).

    The backward pass adds it into an accumulator in place (``acc[idx] += g``) instead of
    materialising a full array of zeros for every ``x[i:j]`` taken from a large ``x``.
    Only produced for plain (untraced) cotangents.
    """

    __slots__ = ("g", "idx", "shape")

    def __init__(self, g: Any, idx: Any, shape: tuple[int, ...]) -> None:
        self.g, self.idx, self.shape = g, idx, shape

    def dense(self) -> np.ndarray:
        out = np.zeros(self.shape, dtype=np.result_type(self.g, float))
        if self._fancy():
            np.add.at(out, self.idx, self.g)
        else:  # basic indexing never repeats an entry: assigning is adding to zeros
            out[self.idx] = self.g
        return out

    def _fancy(self) -> bool:
        """Whether ``idx`` holds an integer array (entries may repeat, so ``np.add.at``)."""
        parts = self.idx if isinstance(self.idx, tuple) else (self.idx,)
        return any(isinstance(p, np.ndarray) and p.dtype != bool for p in parts)

    def add_into(self, out: Any) -> Any:
        """``out[idx] += g`` in place; returns ``out`` (cells outside ``idx`` are untouched)."""
        if self._fancy():
            np.add.at(out, self.idx, self.g)
        else:
            out[self.idx] += self.g
        return out


def _dense(x: Any) -> Any:
    return x.dense() if isinstance(x, Scatter) else x


def _owns(total: Any) -> bool:
    """Whether a sum the pass computed is a private array: a plain one, or a traced one of
    at least one dimension (where the eager pass would hold an array, not a NumPy scalar)."""
    return type(total) is np.ndarray or (isinstance(total, Traced) and len(shape_of(total)) > 0)


def _dtype(x: Any) -> Any:
    return x.dtype if isinstance(x, (np.ndarray, np.generic, Traced)) else np.result_type(x)


def _adds_in_place(prev: Any, contrib: Scatter) -> bool:
    """Whether ``contrib`` goes into the accumulator ``prev`` as ``prev[idx] += g`` (eager) or
    the ``scatter_add`` it records (traced): ``prev`` is an array that keeps its dtype."""
    if type(contrib) is Scatter:  # plain g: only into a plain array, in place
        return type(prev) is np.ndarray and prev.dtype == np.result_type(prev, contrib.g)
    return _owns(prev) and _dtype(prev) == np.result_type(_dtype(prev), _dtype(contrib.g))


def _accumulate(grads: dict, owned: set, node: Node, contrib: Any) -> None:
    """``grads[node] += contrib``, in place when the accumulator is a private float array."""
    prev = grads.get(node)
    if prev is None:
        grads[node] = contrib
        return
    if isinstance(prev, Scatter):
        prev = prev.dense()
        owned.add(node)
    if node in owned:
        if isinstance(contrib, Scatter) and _adds_in_place(prev, contrib):
            grads[node] = contrib.add_into(prev)  # traced: a recorded scatter-add, same bits
            return
        if (type(prev) is np.ndarray and type(contrib) is np.ndarray
                and contrib.shape == prev.shape and prev.dtype == np.result_type(prev, contrib)):
            np.add(prev, contrib, out=prev)
            grads[node] = prev
            return
    total = prev + _dense(contrib)
    grads[node] = total
    if _owns(total):
        owned.add(node)
    else:
        owned.discard(node)


def _real_for(parent: Node, contrib: Any, is_complex: Callable[[Any], bool],
              real_part: Callable[[Any], Any]) -> Any:
    """``contrib``, or its real part when it is complex and ``parent``'s value is real."""
    if is_complex(contrib) and not is_complex(parent.value):
        return real_part(contrib)
    return contrib


def backward_pass(seeds: list[tuple[Node, Any]], retain_graph: bool = True,
                  tape: list[Node] | None = None,
                  complex_rules: tuple[Callable[[Any], bool], Callable[[Any], Any]] | None = None,
                  ) -> dict[Node, Any]:
    """Propagate cotangents from ``(node, cotangent)`` seeds to every reachable node.

    With ``retain_graph=False`` each node drops its values once its rules have run, so the
    forward intermediates are freed during the pass (the graph cannot be walked again).
    ``tape`` (the trace's nodes in creation order, itself a topological order) replaces the
    topological sort when given.

    Implements ``ζ_i = Σ_k (∂a_{i_k}/∂a_i) ζ_{i_k}`` (Liquet et al. eq. 4.31) in reverse topological
    order; each VJP rule supplies one term of the sum.

    ``complex_rules`` (given when the trace saw a complex value) is ``(is_complex, real_part)``:
    a complex cotangent sent to a real value is replaced by its real part, the cotangent of a
    real variable under autograd's convention (:mod:`.rules.complex`).

    Returns:
        The accumulated cotangent (adjoint ``ζ_i``) of every leaf (input) node reached;
        intermediate entries are dropped once used to save memory.
    """
    grads: dict[Node, Any] = {}
    owned: set[Node] = set()
    for node, g in seeds:
        _accumulate(grads, owned, node, g)
    for node in reversed(tape) if tape is not None else toposort(n for n, _ in seeds):
        prim = node.prim
        if prim is None:
            continue
        g = grads.pop(node, None)
        if g is None:
            continue
        if isinstance(g, Scatter):
            g = g.dense()
        vjps = prim.vjps
        args, kwargs, ans = node.args, node.kwargs, node.value
        for i, parent in node.parents:
            contrib = vjps[i](g, ans, *args, **kwargs)
            if complex_rules is not None:
                contrib = _real_for(parent, contrib, *complex_rules)
            if parent in grads:
                _accumulate(grads, owned, parent, contrib)
            else:
                grads[parent] = contrib
        if not retain_graph:
            node.args, node.value, node.parents = (), None, ()
            del g, ans, args
    return {n: _dense(g) for n, g in grads.items()}
