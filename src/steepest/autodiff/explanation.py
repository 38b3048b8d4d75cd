"""``explain``: Liquet et al.'s Tables 4.1–4.3 (§4.4) for any traced function.

The function is traced once into the explicit graph; nodes are numbered by *iteration* (a
node is evaluated in the first iteration at which all its inputs are available, as in the
seed), then three tables are produced from the same graph with the primitives' own rules:

* Table 4.1 — primals ``a_i`` (forward evaluation);
* Table 4.2 — forward mode: primals and tangents ``ȧ_i = ∂a_i/∂θ_j`` (eq. 4.29);
* Table 4.3 — backward pass: adjoints ``ζ_i = ∂C/∂a_i = Σ_k (∂a_{i_k}/∂a_i) ζ_{i_k}``
  (eq. 4.31) down to the gradient ``∂C/∂θ_j`` (eq. 4.32).

Example:
    >>> import numpy as np
    >>> C = lambda t: np.sin(t[0] * t[1]) + np.exp(t[1] + t[2]) - 2 * t[2]
    >>> ex = explain(C, np.array([np.pi / 6, 2.0, 5.0]), j=2)
    >>> np.allclose(ex.gradient, [1, np.pi / 12 + np.exp(7), np.exp(7) - 2])
    True
    >>> float(ex.tangent_of_output) == float(np.pi / 12 + np.exp(7))
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import check_callable, check_positive_int
from ..tree import tree_flatten, tree_unflatten
from .backward import toposort
from .rules.broadcast import broadcast_to
from .tracing import Node, ReverseTrace, Traced, getval
from .transforms import check_differentiable

__all__ = ["explain", "Explanation", "ExplainedNode"]

_INFIX = {"add": "+", "subtract": "−", "multiply": "·", "true_divide": "/", "divide": "/",
          "power": "^", "matmul": "@"}
# local partial derivative ∂a/∂u_k as text, with {0}, {1} the inputs and {a} the output
_PARTIALS: dict[str, tuple[str, ...]] = {
    "add": ("1", "1"), "subtract": ("1", "−1"), "multiply": ("{1}", "{0}"),
    "true_divide": ("1/{1}", "−{a}/{1}"), "negative": ("−1",), "sin": ("cos({0})",),
    "cos": ("−sin({0})",), "tan": ("1 + {a}²",), "exp": ("exp({0})",), "log": ("1/{0}",),
    "tanh": ("1 − {a}²",), "sqrt": ("1/(2{a})",), "square": ("2{0}",),
    "power": ("{1}·{0}^({1}−1)", "{a}·log({0})"), "sigmoid": ("{a}·σ(−{0})",),
    "expit": ("{a}·σ(−{0})",), "log1p": ("1/(1 + {0})",), "absolute": ("sign({0})",),
    "expm1": ("{a} + 1",), "softplus": ("σ({0})",), "log_sigmoid": ("σ(−{0})",),
    "log1mexp": ("−1/expm1(−{0})",), "logaddexp": ("σ({0} − {1})", "σ({1} − {0})"),
}


@dataclass
class ExplainedNode:
    """One row of the tables: node ``a_i`` with its expression and the three values."""

    name: str
    expression: str
    iteration: int
    primal: Any
    tangent: Any
    adjoint: Any
    tangent_expression: str
    adjoint_expression: str
    back_iteration: int = 0


@dataclass
class Explanation:
    """Primals, tangents and adjoints of every node of a traced scalar function.

    Attributes:
        inputs, input_values: the input names (θ1, θ2, ...) and values.
        j: the input followed by the forward-mode table.
        nodes: the traced nodes with their primals, tangents and adjoints.
        output: C(θ).
        tangent_of_output: ∂C/∂θ_j.
        gradient: ∇C(θ).
        input_adjoints: (name, expression, value) per input.
        rewrites: the stabilizing rewrites applied before tracing (each printed by ``str``;
            filled by ``steepest.explain(..., rewrites=True)``), empty otherwise.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4, Tables 4.1-4.3.

    Example:
        >>> import numpy as np
        >>> ex = explain(lambda x, y: x * y + np.sin(x), 1.0, 2.0)
        >>> round(float(ex.output), 6), round(float(ex.tangent_of_output), 6)
        (2.841471, 2.540302)
    """

    inputs: list[str]
    input_values: list[Any]
    j: int
    nodes: list[ExplainedNode]
    output: Any
    tangent_of_output: Any
    gradient: Any
    input_adjoints: list[tuple[str, str, Any]] = field(default_factory=list)
    rewrites: list[Any] = field(default_factory=list)

    def primal_table(self) -> tuple[list[str], list[list[str]]]:
        """Table 4.1: iteration, general expression, value of each primal."""
        rows = [["Input", f"θ = ({', '.join(self.inputs)})", _fmt_vec(self.input_values)]]
        rows += [[_it(n.iteration), f"{n.name} = {n.expression}", _fmt(n.primal)]
                 for n in self.nodes]
        return ["iteration", "general expression", "value"], rows

    def tangent_table(self) -> tuple[list[str], list[list[str]]]:
        """Table 4.2: primals and tangents for the input direction ``e_j``."""
        seed = ["1" if k + 1 == self.j else "0" for k in range(len(self.inputs))]
        rows = [["Start", f"{_dot('θ')} = e{self.j}", f"({', '.join(seed)})"]]
        rows += [[_it(n.iteration), f"{n.name} = {n.expression};  {_dot(n.name)} = "
                  f"{n.tangent_expression}", f"({_fmt(n.primal)}, {_fmt(n.tangent)})"]
                 for n in self.nodes]
        return ["iteration", "primal; tangent", f"(value, tangent) for j = {self.j}"], rows

    def adjoint_table(self) -> tuple[list[str], list[list[str]]]:
        """Table 4.3: adjoints from the output back to the gradient."""
        out = max(self.nodes, key=lambda n: n.iteration)
        rows = [["Start", f"ζ{out.name[1:]} = ∂C/∂{out.name}", "1"]]
        inner = sorted((n for n in self.nodes if n is not out), key=lambda n: n.back_iteration)
        rows += [[_it(n.back_iteration), f"ζ{n.name[1:]} = {n.adjoint_expression}",
                  _fmt(n.adjoint)] for n in inner]
        last = 1 + max((n.back_iteration for n in inner), default=0)
        rows += [[_it(last), f"∂C/∂{name} = {expr}", _fmt(val)]
                 for name, expr, val in self.input_adjoints]
        return ["step", "general expression", "value"], rows

    def __str__(self) -> str:
        parts = []
        for title, (headers, rows) in [
            ("Table 4.1 - primals", self.primal_table()),
            (f"Table 4.2 - forward mode, j = {self.j}", self.tangent_table()),
            ("Table 4.3 - backward pass (adjoints)", self.adjoint_table()),
        ]:
            parts.append(title + "\n" + _text_table(headers, rows))
        if self.rewrites:
            parts.insert(0, "Rewrites applied before differentiation\n"
                         + "\n".join(f"  {r}" for r in self.rewrites))
        return "\n\n".join(parts)


def _dot(name: str) -> str:
    """Tangent symbol: a dot over the letter (a1 -> ȧ1)."""
    return name[0] + "\u0307" + name[1:]


def _times(partial: str, symbol: str) -> str:
    """``partial · symbol`` without the noise of unit factors."""
    if partial == "1":
        return symbol
    if partial == "−1":
        return "−" + symbol
    return f"{partial}·{symbol}"


def _join(terms: list[str]) -> str:
    return " + ".join(terms).replace("+ −", "− ")


def _it(k: int) -> str:
    return f"Iteration {k}"


def _fmt(v: Any) -> str:
    v = getval(v)
    if v is None:
        return "0"
    if np.ndim(v) == 0:
        return f"{float(v):.6g}"
    return np.array2string(np.asarray(v), precision=4, separator=", ", threshold=8)


def _fmt_vec(vals: list[Any]) -> str:
    return "(" + ", ".join(_fmt(v) for v in vals) + ")"


def _text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[c])) for r in [headers, *rows]) for c in range(len(headers))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])


class _Graph:
    """The traced graph with input aliases (``θ[k]`` shown as ``θ_{k+1}``) and numbering."""

    def __init__(self, f: Callable, args: tuple) -> None:
        leaves, tdef = tree_flatten(args)
        for leaf in leaves:
            check_differentiable(leaf)
        trace = ReverseTrace(keep_values=True)
        self.boxes = [trace.new_input(v) for v in leaves]
        out = f(*tree_unflatten(tdef, self.boxes))
        if not (isinstance(out, Traced) and out._trace is trace) or np.ndim(getval(out)):
            raise TypeError("explain needs a function with a scalar output that depends on "
                            "its inputs; for vector outputs explain one component at a time")
        self.out = out._node
        self.order = list(reversed(toposort([self.out])))
        self.vector = len(leaves) == 1 and np.ndim(leaves[0]) == 1
        self.n_inputs = int(np.size(leaves[0])) if self.vector else len(leaves)
        self.names: dict[Node, str] = {}
        self.input_index: dict[Node, int] = {}
        for k, b in enumerate(self.boxes):
            self.names[b._node] = "θ" if self.vector else f"θ{k + 1}"
            self.input_index[b._node] = k
        self.alias = {n: int(n.args[1]) for n in self.order if self._is_alias(n)}
        for n, k in self.alias.items():
            self.names[n] = f"θ{k + 1}"
        self.iteration: dict[Node, int] = {}
        for n in self.order:
            internal = n.prim is not None and n not in self.alias
            self.iteration[n] = 1 + max((self.iteration[p] for _, p in n.parents), default=0) \
                if internal else 0
        shown = [n for n in self.order if self.iteration[n] > 0]
        shown.sort(key=lambda n: self.iteration[n])  # stable: keeps creation order per iteration
        self.shown = shown
        for i, n in enumerate(shown, 1):
            self.names[n] = f"a{i}"

    def _is_alias(self, n: Node) -> bool:
        return (self.vector and n.prim is not None and n.prim.name == "getitem"
                and len(n.parents) == 1 and n.parents[0][1] is self.boxes[0]._node
                and isinstance(n.args[1], (int, np.integer)))

    def sym(self, n: Node, i: int) -> str:
        """Text for positional argument ``i`` of node ``n``."""
        for k, p in n.parents:
            if k == i:
                return self.names[p]
        return _fmt(n.args[i])

    def expression(self, n: Node) -> str:
        name = n.prim.name  # type: ignore[union-attr]
        nargs = len(n.args)
        if name in _INFIX and nargs == 2:
            return f"{self.sym(n, 0)} {_INFIX[name]} {self.sym(n, 1)}"
        inner = ", ".join(self.sym(n, i) for i in range(nargs))
        return f"{name}({inner})"

    def partial(self, n: Node, i: int) -> str:
        templates = _PARTIALS.get(n.prim.name)  # type: ignore[union-attr]
        if templates is None or i >= len(templates):
            return f"∂{n.prim.name}/∂u{i + 1}"  # type: ignore[union-attr]
        return templates[i].format(*(self.sym(n, k) for k in range(len(n.args))),
                                   a=self.names[n])


def _tangents(g: _Graph, j: int) -> dict[Node, Any]:
    t: dict[Node, Any] = {}
    for k, b in enumerate(g.boxes):
        v = getval(b._value)
        if g.vector:
            e = np.zeros(np.shape(v))
            e[j - 1] = 1.0
            t[b._node] = e
        else:
            t[b._node] = np.ones(np.shape(v)) if k == j - 1 else np.zeros(np.shape(v))
    for n in g.order:
        if n.prim is None:
            continue
        total = None
        for i, p in n.parents:
            c = n.prim.jvps[i](t[p], n.value, *n.args, **n.kwargs)
            total = c if total is None else total + c
        if np.shape(total) != np.shape(n.value):
            total = broadcast_to(total, np.shape(n.value))
        t[n] = total
    return t


def _adjoints(g: _Graph) -> dict[Node, Any]:
    z: dict[Node, Any] = {g.out: np.ones(np.shape(g.out.value))}
    for n in reversed(g.order):
        if n.prim is None or n not in z:
            continue
        for i, p in n.parents:
            c = n.prim.vjps[i](z[n], n.value, *n.args, **n.kwargs)
            c = c.dense() if hasattr(c, "dense") else c
            z[p] = c if p not in z else z[p] + c
    return z


def explain(f: Callable, *args: Any, j: int = 1) -> Explanation:
    """Trace ``f(*args)`` and tabulate its primals, tangents (for input ``j``) and adjoints.

    Forward mode: ȧ_i = Σ_k (∂f_i/∂u_k) u̇_k (Liquet eq. 4.29); backward mode: ζ_i = Σ_k
    (∂a_{i_k}/∂a_i) ζ_{i_k} (eq. 4.31) and ∂C/∂θ_j from eq. 4.32.

    Args:
        f: scalar function of one vector ``θ`` or of several scalar arguments.
        *args: the point ``θ``.
        j: the input (1-based, as in Liquet et al.) whose tangent the forward-mode table follows.

    Returns:
        An :class:`Explanation`; ``print`` it for the three tables, or read
        ``primal_table()``, ``tangent_table()``, ``adjoint_table()`` and ``gradient``.

    Example:
        >>> import numpy as np
        >>> ex = explain(lambda x, y: x * y + np.sin(x), 1.0, 2.0)
        >>> np.round(ex.gradient, 4).tolist()  # (y + cos x, x)
        [2.5403, 1.0]

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic
        Differentiation", Tables 4.1-4.3.
    """
    check_callable(f, "f")
    check_positive_int(j, "j")
    g = _Graph(f, args)
    if not 1 <= j <= g.n_inputs:
        raise ValueError(f"j={j} but the function has {g.n_inputs} inputs; pick 1..{g.n_inputs}")
    t, z = _tangents(g, j), _adjoints(g)
    consumers: dict[Node, list[tuple[Node, int]]] = {}
    for n in g.order:
        for i, p in n.parents:
            consumers.setdefault(p, []).append((n, i))
    back: dict[Node, int] = {g.out: 0}
    for n in reversed(g.shown):
        if n is not g.out:
            back[n] = 1 + max((back.get(c, 0) for c, _ in consumers.get(n, [])), default=0)
    rows = []
    for n in g.shown:
        t_expr = _join([_times(g.partial(n, i), _dot(g.names[p])) for i, p in n.parents])
        z_expr = _join([_times(g.partial(c, i), f"ζ{g.names[c][1:]}")
                        for c, i in consumers.get(n, [])])
        rows.append(ExplainedNode(g.names[n], g.expression(n), g.iteration[n], n.value, t[n],
                                  z.get(n), t_expr or "0", z_expr or "1", back[n]))
    grad_leaves = [z.get(b._node, np.zeros(np.shape(getval(b._value)))) for b in g.boxes]
    names = [f"θ{k + 1}" for k in range(g.n_inputs)]
    values = list(np.ravel(getval(g.boxes[0]._value))) if g.vector else [
        getval(b._value) for b in g.boxes]
    gradient = grad_leaves[0] if g.vector else np.array([getval(v) for v in grad_leaves])
    input_rows = []
    for k, name in enumerate(names):
        sources = [n for n, idx in g.alias.items() if idx == k] if g.vector else [
            g.boxes[k]._node]
        terms = [_times(g.partial(c, i), f"ζ{g.names[c][1:]}") for node in sources
                 for c, i in consumers.get(node, [])]
        input_rows.append((name, _join(terms) or "0", np.ravel(gradient)[k]))
    return Explanation(names, values, j, rows, g.out.value, t[g.out], gradient, input_rows)
