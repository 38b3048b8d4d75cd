"""Jacobians, Hessians and their products: ``jacfwd``, ``jacrev``, ``jacobian``, ``hessian``,
``hvp``, ``directional_derivative``.

``jacfwd`` pushes the ``n`` input basis vectors forward (``n`` JVPs, cheap when inputs are few),
``jacrev`` pulls the ``m`` output basis vectors back through one recorded graph (``m`` VJPs,
cheap when outputs are few); ``jacobian`` picks the cheaper one. The Hessian is
forward-over-reverse (``jacfwd(grad(f))``); ``hvp`` computes ``∇²f(x) v`` as the gradient of a
directional derivative, at the cost of a few gradient evaluations and without ever forming
the Hessian.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._validate import check_callable
from ..tree import ravel_pytree, tree_leaves, tree_map
from .batching import vmap
from .linear import LinearizedJVP
from .numpy import concatenate, reshape, stack
from .tracing import Traced, getval, shape_of
from .transforms import (
    _argnums_tuple,
    _partial,
    _Reverse,
    check_argnums,
    check_differentiable,
    check_output,
    grad,
    jvp,
)

__all__ = ["jacfwd", "jacrev", "jacobian", "hessian", "hvp", "directional_derivative"]


def _ravel(tree: Any) -> tuple[Any, Callable[[Any], Any], Any]:
    """``(flat, unravel, positions)`` for a pytree of (possibly traced) arrays.

    ``unravel`` is :func:`steepest.tree.ravel_pytree`'s; ``flat`` concatenates the leaves with
    differentiable operations, so it keeps their derivatives; ``positions`` is
    ``unravel(0, 1, ..., size - 1)`` as integers: where each leaf's entries sit in ``flat``.
    """
    _, unravel = ravel_pytree(tree_map(_template, tree))
    flat = _flat(tree)
    size = int(shape_of(flat)[0])
    # the layout from a float64 copy, so that the positions are exact (up to 2**53 entries)
    _, unravel64 = ravel_pytree(tree_map(lambda v: np.zeros(shape_of(v)), tree))
    positions = tree_map(lambda p: np.asarray(p).astype(np.intp), unravel64(np.arange(size)))
    return flat, unravel, positions


def _template(v: Any) -> Any:
    """A plain stand-in for ``v`` with its shape and dtype (one example's shape for a value
    batched by ``vmap``; a plain value is its own stand-in)."""
    p = getval(v)
    return p if not isinstance(p, Traced) else np.zeros(shape_of(v), np.result_type(p))


def _flat(tree: Any) -> Any:
    """The leaves of ``tree`` concatenated into one vector, keeping their derivatives."""
    parts = [reshape(leaf, (-1,)) for leaf in tree_leaves(tree)]
    return parts[0] if len(parts) == 1 else concatenate(parts)


def _span(pos: np.ndarray) -> slice:
    """The slice of the flat vector holding one leaf (its entries are contiguous)."""
    start = int(pos.flat[0]) if pos.size else 0
    return slice(start, start + pos.size)


def _blocks(mat: Any, out_pos: Any, in_pos: Any) -> Any:
    """Cut an ``(m, n)`` Jacobian into the out-tree of in-trees of blocks ``∂out_i/∂in_j``."""

    def row(rows: np.ndarray) -> Any:
        block = mat[_span(rows)]
        return tree_map(lambda cols: reshape(block[:, _span(cols)], rows.shape + cols.shape),
                        in_pos)

    return tree_map(row, out_pos)


def _size(tree: Any) -> int:
    return sum(int(np.prod(shape_of(leaf), dtype=np.int64)) for leaf in tree_leaves(tree))


# From this many basis vectors on, the Jacobian's rows/columns come from vmapped passes instead
# of a Python loop of passes (the measured crossover; benchmarks/autodiff.py for n = 100), in
# chunks of _VMAP_CHUNK vectors so that the batched intermediates stay small.
_VMAP_FROM, _VMAP_CHUNK = 4, 256


def _batched(fn: Callable[[Any], Any], eye: np.ndarray, axis: int) -> Any:
    """``fn`` of every row of ``eye``, stacked along ``axis`` (vmapped chunk by chunk)."""
    parts = [vmap(fn, out_axes=axis)(eye[i:i + _VMAP_CHUNK])
             for i in range(0, len(eye), _VMAP_CHUNK)]
    return parts[0] if len(parts) == 1 else concatenate(parts, axis=axis)


def _dyn(f: Callable, argnums: int | Sequence[int], args: tuple, kwargs: dict) -> tuple:
    nums = _argnums_tuple(argnums, len(args))
    single = isinstance(argnums, int)
    dyn = args[nums[0]] if single else tuple(args[i] for i in nums)
    return _partial(f, args, kwargs, nums, single), dyn


def _at_argnums(f: Callable, argnums: int | Sequence[int],
                jac: Callable[[Callable, Any], Any]) -> Callable[..., Any]:
    """``f`` wrapped to return ``jac(fun, x)``: ``x`` the argument(s) ``argnums`` of a call
    and ``fun`` the function of ``x`` alone (the other arguments held fixed)."""
    check_callable(f, "f")
    check_argnums(argnums)

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        fun, x = _dyn(f, argnums, args, kwargs)
        for leaf in tree_leaves(x):
            check_differentiable(leaf)
        return jac(fun, x)

    return wrapped


def _basis(n: int, like: Any) -> np.ndarray:
    dtype = np.result_type(getval(like))
    dtype = dtype if np.issubdtype(dtype, np.floating) else np.dtype(float)
    return np.eye(n, dtype=dtype) if n else np.zeros((0, 0))


def jacfwd(f: Callable, argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Jacobian by forward mode: columns ``J e_j``, one per input entry.

    The tangent program is recorded once (:class:`~steepest.autodiff.linear.LinearizedJVP`)
    and replayed for each basis vector (Liquet et al. §4.4: ``v = e_j`` gives column ``j``).

    Args:
        f: function of arrays/pytrees.
        argnums: positional argument(s) to differentiate.

    Returns:
        A function giving an array of shape ``out.shape + x.shape`` (pytrees: an out-tree of
        in-trees of such blocks).

    Example:
        >>> import numpy as np
        >>> jacfwd(lambda x: x ** 2)(np.array([1.0, 2.0]))
        array([[2., 0.],
               [0., 4.]])
    """

    return _at_argnums(f, argnums, _jacfwd_at)


def _jacfwd_at(fun: Callable, x: Any) -> Any:
    x_flat, unravel, in_pos = _ravel(x)
    n = int(np.shape(getval(x_flat))[0])
    lin = LinearizedJVP(lambda v: fun(unravel(v)), (x_flat,))
    check_output(tree_leaves(lin.out), "jacfwd")
    out_flat, _, out_pos = _ravel(lin.out)
    eye = _basis(n, x_flat)
    if not n:
        return _blocks(np.zeros((_size(out_flat), 0)), out_pos, in_pos)
    if n < _VMAP_FROM:
        return _blocks(stack([_flat(lin(eye[j])) for j in range(n)], axis=1), out_pos, in_pos)
    return _blocks(_batched(lambda v: _flat(lin(v)), eye, 1), out_pos, in_pos)


def jacrev(f: Callable, argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Jacobian by reverse mode: one recorded forward pass, one VJP per output entry (rows
    ``e_iᵀ J``, Liquet et al. §4.4).

    Args:
        f: function of arrays/pytrees.
        argnums: positional argument(s) to differentiate.

    Returns:
        A function giving the Jacobian with the layout of :func:`jacfwd`.

    Example:
        >>> import numpy as np
        >>> jacrev(lambda x: x ** 2)(np.array([1.0, 2.0]))
        array([[2., 0.],
               [0., 4.]])
    """

    return _at_argnums(f, argnums, lambda fun, x: _jacrev_from(_Reverse(fun, x, False), x))


def _jacrev_from(rev: _Reverse, x: Any) -> Any:
    check_output(rev.out_leaves, "jacrev")
    x_flat, _, in_pos = _ravel(x)
    out_flat, out_unravel, out_pos = _ravel(rev.out)
    m, n = np.size(getval(out_flat)), np.size(getval(x_flat))
    eye = _basis(m, rev.values[0] if rev.values else 0.0)
    if not m:
        return _blocks(np.zeros((0, n)), out_pos, in_pos)
    if m < _VMAP_FROM:
        mat = stack([_flat(rev.pullback(out_unravel(eye[i]))) for i in range(m)], axis=0)
    else:  # every pullback at once: one batched backward pass
        mat = _batched(lambda c: _flat(rev.pullback(out_unravel(c))), eye, 0)
    return _blocks(mat, out_pos, in_pos)


def jacobian(f: Callable, argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Jacobian choosing the cheaper mode: reverse when outputs ≤ inputs, else forward.

    Args:
        f: function of arrays/pytrees.
        argnums: positional argument(s) to differentiate.

    Returns:
        A function giving ``∂f_i/∂x_j`` with the layout of :func:`jacfwd`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic Differentiation"
        (forward vs backward cost); Baydin et al., "Automatic differentiation in machine learning: a
        survey", JMLR 18 (2018).

    Example:
        >>> import numpy as np
        >>> jacobian(lambda x: np.array([x[0] * x[1], np.sin(x[0])]))(np.array([0.0, 2.0]))
        array([[2., 0.],
               [1., 0.]])
    """

    return _at_argnums(f, argnums, _jacobian_at)


def _jacobian_at(fun: Callable, x: Any) -> Any:
    rev = _Reverse(fun, x, False)
    if _size(rev.out) <= _size(x):
        return _jacrev_from(rev, x)
    return _jacfwd_at(fun, x)


def hessian(f: Callable, argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Hessian ``∇²f(x)`` by forward-over-reverse (``jacfwd(grad(f))``): the gradient's
    tangent program is recorded once and replayed for each basis direction.

    Args:
        f: scalar function of arrays/pytrees.
        argnums: positional argument(s) to differentiate.

    Returns:
        A function giving ``∂²f/∂x_i∂x_j`` of shape ``x.shape + x.shape``.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.6); Griewank & Walther, *Evaluating
        Derivatives* (2008) (forward-over-reverse, second-order adjoints).

    Example:
        >>> import numpy as np
        >>> f = lambda v: v[0] ** 3 - 2 * v[0] * v[1] - v[1] ** 6
        >>> hessian(f)(np.array([1.0, 2.0]))
        array([[   6.,   -2.],
               [  -2., -480.]])
    """
    return jacfwd(grad(f, argnums), argnums)


def hvp(f: Callable, x: Any, v: Any) -> Any:
    """Hessian-vector product ``∇²f(x) v`` without forming the Hessian.

    Computed as the gradient of the directional derivative, ``∇_x [∇f(x)ᵀ v]``
    (reverse-over-forward: one forward-mode pass recorded for one reverse pass). Both orders
    give the same vector; this one measured faster here than forward-over-reverse
    (``benchmarks/autodiff.py``). ``x`` and ``v`` may be pytrees of one structure.
    Reference: Pearlmutter, *Fast exact multiplication by the Hessian* (1994).

    Args:
        f: scalar function of one argument.
        x: the point.
        v: the direction, with the structure of ``x``.

    Returns:
        ``∇²f(x) v`` with the structure of ``x``.

    Example:
        >>> import numpy as np
        >>> hvp(lambda x: np.sum(x ** 3), np.array([1.0, 2.0]), np.array([1.0, 0.0]))
        array([6., 0.])
    """
    check_callable(f, "f")
    return grad(lambda y: jvp(f, (y,), (v,))[1])(x)


def directional_derivative(f: Callable, x: Any, u: Any) -> Any:
    """Directional derivative ``J_f(x) u = d/dt f(x + t u)`` at ``t = 0`` (one JVP;
    Liquet et al. §4.4, footnote 22).

    Args:
        f: function of one argument.
        x: the point.
        u: the direction, with the structure of ``x``.

    Returns:
        ``J_f(x) u`` with the structure of ``f(x)``.

    Example:
        >>> import numpy as np
        >>> float(directional_derivative(lambda x: np.sum(x ** 2), np.ones(2), np.ones(2)))
        4.0
    """
    return jvp(f, (x,), (u,))[1]
