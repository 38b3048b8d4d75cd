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

from ..tree import tree_flatten, tree_unflatten
from . import numpy_api as anp
from .core import getval
from .linear import LinearizedJVP
from .transforms import _argnums_tuple, _partial, _Reverse, grad, jvp

__all__ = ["jacfwd", "jacrev", "jacobian", "hessian", "hvp", "directional_derivative"]


class _Flat:
    """Ravel a pytree of (possibly traced) arrays to one vector and back, differentiably."""

    def __init__(self, tree: Any) -> None:
        leaves, self.tdef = tree_flatten(tree)
        self.shapes = [np.shape(getval(v)) for v in leaves]
        self.sizes = [int(np.prod(s, dtype=np.int64)) for s in self.shapes]
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(int)
        self.size = int(self.offsets[-1])

    def ravel(self, tree: Any) -> Any:
        leaves = tree_flatten(tree)[0]
        parts = [anp.reshape(v, (-1,)) for v in leaves]
        return parts[0] if len(parts) == 1 else anp.concatenate(parts)

    def unravel(self, vec: Any) -> Any:
        parts = [anp.reshape(vec[int(lo):int(hi)], s) for lo, hi, s in
                 zip(self.offsets[:-1], self.offsets[1:], self.shapes)]
        return tree_unflatten(self.tdef, parts)

    def split_rows(self, mat: Any, col: _Flat) -> Any:
        """Cut an ``(m, n)`` Jacobian into the nested out-tree-of-in-tree structure."""
        rows = []
        for lo, hi, s in zip(self.offsets[:-1], self.offsets[1:], self.shapes):
            block = mat[int(lo):int(hi)]
            cols = [anp.reshape(block[:, int(a):int(b)], s + cs)
                    for a, b, cs in zip(col.offsets[:-1], col.offsets[1:], col.shapes)]
            rows.append(tree_unflatten(col.tdef, cols))
        return tree_unflatten(self.tdef, rows)


def _dyn(f: Callable, argnums: int | Sequence[int], args: tuple, kwargs: dict) -> tuple:
    nums = _argnums_tuple(argnums, len(args))
    single = isinstance(argnums, int)
    dyn = args[nums[0]] if single else tuple(args[i] for i in nums)
    return _partial(f, args, kwargs, nums, single), dyn


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

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        fun, x = _dyn(f, argnums, args, kwargs)
        fin = _Flat(x)
        x_flat = fin.ravel(x)
        lin = LinearizedJVP(lambda v: fun(fin.unravel(v)), (x_flat,))
        fout = _Flat(lin.out)
        eye = _basis(fin.size, x_flat)
        cols = [fout.ravel(lin(eye[j])) for j in range(fin.size)]
        if not cols:
            return fout.split_rows(np.zeros((fout.size, 0)), fin)
        return fout.split_rows(anp.stack(cols, axis=1), fin)

    return wrapped


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

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        fun, x = _dyn(f, argnums, args, kwargs)
        return _jacrev_from(_Reverse(fun, x, False), x)

    return wrapped


def _jacrev_from(rev: _Reverse, x: Any) -> Any:
    fin, fout = _Flat(x), _Flat(rev.out)
    eye = _basis(fout.size, rev.values[0] if rev.values else 0.0)
    rows = [fin.ravel(rev.pullback(fout.unravel(eye[i]))) for i in range(fout.size)]
    mat = anp.stack(rows, axis=0) if rows else np.zeros((0, fin.size))
    return fout.split_rows(mat, fin)


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

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        fun, x = _dyn(f, argnums, args, kwargs)
        rev = _Reverse(fun, x, False)
        if _Flat(rev.out).size <= _Flat(x).size:
            return _jacrev_from(rev, x)
        return jacfwd(f, argnums)(*args, **kwargs)

    return wrapped


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
