"""Function transformations: ``grad``, ``value_and_grad``, ``vjp``, ``jvp``, ``stop_gradient``
(``linearize`` is in :mod:`.linear`).

Each call opens a fresh trace (a new level), boxes the differentiated inputs, runs the user's
function and reads derivatives off the boxes of its own level only, so transformations nest
to any order (``grad(grad(f))``, ``jvp(grad(f), ...)``).

Arguments and outputs may be pytrees (nested dict/list/tuple of arrays and scalars).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._validate import check_callable
from ..tree import tree_flatten, tree_map, tree_unflatten
from .backward import backward_pass
from .errors import IndependentOutputWarning, conversion_error, scipy_error
from .rules.broadcast import broadcast_to
from .rules.complex import iscomplex_value, real_part
from .tracing import ForwardTrace, ForwardTracer, ReverseTrace, Traced, getval, pack_object_array

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "stop_gradient"]


_FLOAT_KINDS = frozenset("f")
_LEAF_TYPES = (np.ndarray, float, np.float64, np.float32)
_LEAF_DEF = tree_flatten(0.0)[1]


def _flatten(x: Any) -> tuple[list[Any], Any]:
    """``tree_flatten`` with a fast path for a single array or float (the common case)."""
    if type(x) in _LEAF_TYPES or isinstance(x, Traced):
        return [x], _LEAF_DEF
    return tree_flatten(x)


def _unflatten(tdef: Any, leaves: list[Any]) -> Any:
    return leaves[0] if tdef is _LEAF_DEF else tree_unflatten(tdef, leaves)


def check_differentiable(x: Any, where: str = "input", complex_ok: bool = False) -> None:
    """Raise a TypeError naming the fix when ``x`` cannot be differentiated (complex values
    only where ``complex_ok``: ``grad``, ``vjp`` and ``jvp`` take them)."""
    t = type(x)
    if t is float or (t is np.ndarray and x.dtype.kind in _FLOAT_KINDS) or isinstance(x, Traced):
        return
    dtype = x.dtype if isinstance(x, (np.ndarray, np.generic)) else np.asarray(x).dtype
    if np.issubdtype(dtype, np.floating):
        return
    if np.issubdtype(dtype, np.complexfloating):
        if complex_ok:
            return
        raise TypeError(
            f"complex {where} ({dtype}) is not supported here; grad, value_and_grad, vjp and "
            "jvp take complex inputs (autograd's convention), or differentiate with respect "
            "to the real and imaginary parts as two real arrays instead"
        )
    if np.issubdtype(dtype, np.integer) or dtype == np.bool_:
        raise TypeError(
            f"cannot differentiate with respect to an integer/boolean {where} ({dtype}); pass "
            "floats, e.g. np.asarray(x, dtype=float) or 1.0 instead of 1"
        )
    raise TypeError(
        f"cannot differentiate with respect to a non-numeric {where} of type "
        f"{type(x).__name__}; pass a float array or a pytree (dict/list/tuple) of them"
    )


def check_output(leaves: list[Any], who: str) -> None:
    """Raise naming the fix when ``f`` returned nothing (None) or text: no derivative exists."""
    if not leaves or any(isinstance(leaf, str | bytes) for leaf in leaves):
        got = "None (or an empty container)" if not leaves else "text"
        raise TypeError(f"{who}: f returned {got}; f must return an array, a number or a "
                        "pytree of them")


def _own(x: Any, trace: Any) -> bool:
    return isinstance(x, Traced) and x._trace is trace


class _Reverse:
    """Result of tracing ``fun(x)`` for reverse mode: output values and the pullback."""

    def __init__(self, fun: Callable[[Any], Any], x: Any, has_aux: bool) -> None:
        trace = ReverseTrace()
        leaves, self.in_def = _flatten(x)
        for leaf in leaves:
            check_differentiable(leaf, complex_ok=True)
        self.in_leaves = leaves
        self.boxes = [trace.new_input(leaf) for leaf in leaves]
        try:
            out = fun(_unflatten(self.in_def, self.boxes))
        except (TypeError, ValueError) as exc:
            err = scipy_error(exc)
            err = conversion_error(exc) if err is exc and isinstance(exc, ValueError) else err
            if err is exc:
                raise
            raise err from exc
        self.aux = None
        if has_aux:
            out, self.aux = _split_aux(out)
            self.aux = tree_map(getval_level(trace), self.aux)
        out_leaves, self.out_def = _flatten(out)
        self.out_leaves = [pack_object_array(o) for o in out_leaves]
        self.trace = trace
        self.values = [o._value if _own(o, trace) else o for o in self.out_leaves]

    @property
    def out(self) -> Any:
        return _unflatten(self.out_def, self.values)

    def pullback(self, cotangent: Any, retain_graph: bool = True) -> Any:
        ct_leaves, ct_def = _flatten(cotangent)
        if ct_def != self.out_def:
            raise ValueError(f"the cotangent must have the output's structure {self.out_def!r}, "
                             f"got {ct_def!r}")
        return self.pull_leaves(ct_leaves, retain_graph)

    def pull_leaves(self, ct_leaves: list[Any], retain_graph: bool = True) -> Any:
        """The pullback for cotangent leaves in the output's flattening order."""
        seeds = []
        for o, c in zip(self.out_leaves, ct_leaves):
            if _own(o, self.trace):
                if type(c) not in _LEAF_TYPES:
                    check_differentiable(c, "cotangent", complex_ok=True)
                if np.shape(getval(c)) != np.shape(getval(o)):
                    raise ValueError(f"cotangent of shape {np.shape(getval(c))} for an output "
                                     f"of shape {np.shape(getval(o))}; give them one shape")
                seeds.append((o._node, c))
        rules = None if self.trace.complex_prim is None else (iscomplex_value, real_part)
        grads = backward_pass(seeds, retain_graph, self.trace.tape, rules) if seeds else {}
        res = []
        for box, leaf in zip(self.boxes, self.in_leaves):
            g = grads.get(box._node)
            res.append(_zeros_like(leaf) if g is None else _match(g, leaf))
        return _unflatten(self.in_def, res)


def getval_level(trace: Any) -> Callable[[Any], Any]:
    """Strip the boxes of ``trace`` only (used for auxiliary outputs)."""

    def strip(x: Any) -> Any:
        return x._value if _own(x, trace) else x

    return strip


def _zeros_like(x: Any) -> Any:
    v = getval(x)
    return np.zeros(np.shape(v), dtype=np.result_type(v, float))


def _match(g: Any, leaf: Any) -> Any:
    """Give the gradient the input's shape (a Python float input gets a 0-d result)."""
    if type(g) is np.ndarray and type(leaf) is np.ndarray and g.shape == leaf.shape:
        return g if g.flags.writeable else g.copy()  # a broadcast cotangent: give a real array
    gs, ls = np.shape(getval(g)), np.shape(getval(leaf))
    if gs != ls:
        g = broadcast_to(g, ls)
    return g


def _split_aux(out: Any) -> tuple[Any, Any]:
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError("with has_aux=True the function must return a pair (output, aux)")
    return out[0], out[1]


def check_argnums(argnums: Any) -> None:
    """Raise naming the fix unless ``argnums`` is an int or a non-empty tuple of distinct ints."""
    nums = (argnums,) if isinstance(argnums, int) else argnums
    if isinstance(argnums, bool) or not isinstance(nums, tuple | list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in nums):
        raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}; pass e.g. "
                        "argnums=0 or argnums=(0, 1)")
    if not nums or len(set(nums)) != len(nums):
        raise ValueError(f"argnums must name each argument once and at least one, got "
                         f"{argnums!r}; pass e.g. argnums=(0, 1)")


def _argnums_tuple(argnums: int | Sequence[int], nargs: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"argnums={argnums!r} but the function got {nargs} positional "
                             "arguments; pass the index of an argument that exists")
    return tuple(i % nargs for i in nums)


def _partial(f: Callable, args: tuple, kwargs: dict, nums: tuple[int, ...],
             single: bool) -> Callable[[Any], Any]:
    def fun(dyn: Any) -> Any:
        new = list(args)
        for i, v in zip(nums, (dyn,) if single else dyn):
            new[i] = v
        return f(*new, **kwargs)

    return fun


def vjp(f: Callable, *primals: Any, has_aux: bool = False) -> Any:
    """Evaluate ``f(*primals)`` and return ``(out, vjp_fn)`` (plus ``aux`` when ``has_aux``).

    ``vjp_fn(u)`` returns the tuple ``uᵀ J_f`` (one entry per primal): reverse mode, one
    backward pass per call over the recorded graph, adjoints ``ζ_i = Σ_k (∂a_{i_k}/∂a_i)
    ζ_{i_k}`` (Liquet et al. §4.4, eq. 4.31, Table 4.3). The graph is kept, so ``vjp_fn`` may
    be called many times (``jacrev`` does).

    Args:
        f: function of the positional ``primals`` (arrays or pytrees of float arrays).
        *primals: the point.
        has_aux: ``f`` returns ``(out, aux)``; ``aux`` is returned third, untraced.

    Returns:
        ``(out, vjp_fn)`` or ``(out, vjp_fn, aux)``; ``vjp_fn(u)`` takes a cotangent with the
        structure and shapes of ``out``.

    Example:
        >>> import numpy as np
        >>> out, f_vjp = vjp(lambda x: x ** 2, np.array([1.0, 2.0]))
        >>> f_vjp(np.array([1.0, 1.0]))
        (array([2., 4.]),)
    """
    check_callable(f, "f")
    if not primals:
        raise TypeError("vjp needs the point: pass the primals after f, e.g. vjp(f, x)")
    rev = _Reverse(lambda xs: f(*xs), tuple(primals), has_aux)
    check_output(rev.out_leaves, "vjp")
    if has_aux:
        return rev.out, rev.pullback, rev.aux
    return rev.out, rev.pullback


def value_and_grad(f: Callable, argnums: int | Sequence[int] = 0,
                   has_aux: bool = False) -> Callable[..., Any]:
    """Return a function computing ``(f(x), ∇f(x))`` in one forward and one backward pass.

    Args:
        f: scalar-valued function of arrays/pytrees written with NumPy.
        argnums: which positional argument(s) to differentiate (int or tuple of ints).
        has_aux: ``f`` returns ``(value, aux)``; the result is then ``((value, aux), grad)``.

    Returns:
        A function with the signature of ``f``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic Differentiation"
        (backward mode).

    Example:
        >>> import numpy as np
        >>> value_and_grad(lambda x: np.sum(x ** 2))(np.array([1.0, 2.0]))
        (np.float64(5.0), array([2., 4.]))
    """
    check_callable(f, "f")
    check_argnums(argnums)

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nums = _argnums_tuple(argnums, len(args))
        single = isinstance(argnums, int)
        dyn = args[nums[0]] if single else tuple(args[i] for i in nums)
        rev = _Reverse(_partial(f, args, kwargs, nums, single), dyn, has_aux)
        out = rev.out
        _check_scalar(out, rev)
        if not any(_own(o, rev.trace) for o in rev.out_leaves):
            warnings.warn(IndependentOutputWarning(
                "Output seems independent of input: the value does not depend on the traced "
                "argument, so the gradient is 0. If f reads x through a cache or a copy made "
                "outside the call, pass the gradient (jac=) or use jac='2-point'."),
                stacklevel=2)
        value = getval(rev.values[0])
        tv = type(value)
        seed = tv(1.0) if tv is np.float64 or tv is np.float32 else np.ones_like(value)
        g = rev.pull_leaves([seed], retain_graph=False)
        return ((out, rev.aux), g) if has_aux else (out, g)

    return wrapped


def _check_scalar(out: Any, rev: _Reverse) -> None:
    leaves = rev.values
    if len(leaves) == 1 and type(getval(leaves[0])) in (np.float64, float, np.float32):
        return
    if not leaves or isinstance(leaves[0], str | bytes):
        got = "None" if not leaves else f"the {type(leaves[0]).__name__} {leaves[0]!r}"
        raise TypeError(f"grad: f returned {got}; f must return a real scalar, e.g. "
                        "np.sum(x ** 2)")
    if len(leaves) != 1 or np.shape(getval(leaves[0])) != ():
        shape = [np.shape(getval(v)) for v in leaves]
        raise TypeError(
            f"grad requires a function with a scalar output, got output shape(s) {shape}. "
            "For a vector output use jacobian(f) (or jacrev/jacfwd) for the full Jacobian, "
            "vjp(f, x) for vector-Jacobian products, or reduce it first (e.g. .sum())."
        )
    dtype = np.result_type(getval(leaves[0]))
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(f"grad requires a real floating-point output, got {dtype}; "
                        "complex or integer outputs have no gradient here (for a complex f, "
                        "vjp(f, z)[1](1.0) is autograd's grad: f'(z) when f is holomorphic)")


def grad(f: Callable, argnums: int | Sequence[int] = 0,
         has_aux: bool = False) -> Callable[..., Any]:
    """Gradient of a scalar function by reverse mode: ``grad(f)(x) = ∇f(x)``.

    The backward pass propagates adjoints ``ζ_i = ∂C/∂a_i`` from the output (``ζ = 1``) to the
    inputs with ``ζ_i = Σ_k (∂a_{i_k}/∂a_i) ζ_{i_k}`` (Liquet et al. §4.4, eq. 4.31).

    Args:
        f: scalar-valued function of arrays/pytrees, written with plain NumPy.
        argnums: positional argument(s) to differentiate; a tuple gives a tuple of gradients.
        has_aux: ``f`` returns ``(value, aux)``; the result is then ``(grad, aux)``.

    Returns:
        A function returning the gradient, with the structure of the differentiated argument.

    Example:
        >>> import numpy as np
        >>> C = lambda t: np.sin(t[0] * t[1]) + np.exp(t[1] + t[2]) - 2 * t[2]
        >>> g = grad(C)(np.array([np.pi / 6, 2.0, 5.0]))
        >>> np.allclose(g, [1, np.pi / 12 + np.exp(7), np.exp(7) - 2])
        True
    """
    vg = value_and_grad(f, argnums, has_aux)

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        (val, g) = vg(*args, **kwargs)
        return (g, val[1]) if has_aux else g

    return wrapped


def jvp(f: Callable, primals: Sequence[Any], tangents: Sequence[Any],
        has_aux: bool = False) -> Any:
    """Forward mode: ``(f(*primals), J_f(primals) · tangents)`` in one pass
    (Liquet et al. Table 4.2).

    Args:
        f: function of ``len(primals)`` positional arguments (arrays or pytrees).
        primals: the point, as a tuple/list of arguments.
        tangents: the direction, with the structure of ``primals``.
        has_aux: ``f`` returns ``(out, aux)``; the result is then ``(out, tangent_out, aux)``.

    Returns:
        ``(f(*primals), J v)``: the tangent ``ȧ = Σ_k ∂f/∂u_k u̇_k`` pushed through every
        primitive (Liquet et al. eq. 4.29), with the structure of the output.

    Example:
        >>> import numpy as np
        >>> jvp(np.sin, (0.0,), (2.0,))
        (np.float64(0.0), np.float64(2.0))
    """
    check_callable(f, "f")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp takes primals and tangents as tuples: jvp(f, (x,), (v,))")
    p_leaves, p_def = tree_flatten(tuple(primals))
    t_leaves, t_def = tree_flatten(tuple(tangents))
    if p_def != t_def:
        raise ValueError(f"tangents must have the structure of primals: {p_def!r} vs {t_def!r}")
    trace = ForwardTrace()
    boxes = []
    for p, t in zip(p_leaves, t_leaves):
        check_differentiable(p, complex_ok=True)
        check_differentiable(t, "tangent", complex_ok=np.iscomplexobj(getval(p)))
        if np.shape(getval(p)) != np.shape(getval(t)):
            raise ValueError(f"tangent of shape {np.shape(getval(t))} for a primal of shape "
                             f"{np.shape(getval(p))}; give them one shape")
        boxes.append(trace.new_input(p, t))
    try:
        out = f(*tree_unflatten(p_def, boxes))
    except (TypeError, ValueError) as exc:
        err = scipy_error(exc)
        if err is exc:
            raise
        raise err from exc
    aux = None
    if has_aux:
        out, aux = _split_aux(out)
        aux = tree_map(getval_level(trace), aux)
    o_leaves, o_def = tree_flatten(out)
    check_output(o_leaves, "jvp")
    o_leaves = [pack_object_array(o) for o in o_leaves]
    vals = [o._value if _own(o, trace) else o for o in o_leaves]
    tans = [o._tangent if isinstance(o, ForwardTracer) and o._trace is trace
            else _zeros_like(o) for o in o_leaves]
    res = (tree_unflatten(o_def, vals), tree_unflatten(o_def, tans))
    return (*res, aux) if has_aux else res


def stop_gradient(x: Any) -> Any:
    """Return ``x`` (a pytree) with all tracing removed: its derivative is zero at every level.

    Forward value stop_gradient(x) = x; derivative ∂ stop_gradient(x)/∂x = 0, at every order.

    Args:
        x: a value or pytree, traced or not.

    Returns:
        The same structure holding plain NumPy values.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic
        Differentiation"; the same operation as ``jax.lax.stop_gradient``.

    Example:
        >>> float(grad(lambda x: x * stop_gradient(x))(3.0))
        3.0
    """
    return tree_map(getval, x)
