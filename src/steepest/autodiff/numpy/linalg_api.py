"""The array-API names of ``numpy.linalg`` (``matmul``, ``trace``, ``diagonal``, ``outer``,
``cross``, ``tensordot``, ``vecdot``, ``matrix_transpose``, ``multi_dot``, ``tensorinv``,
``tensorsolve``) as compositions of steepest's ruled functions, so they need no rules of their
own; ``matrix_rank`` is integer-valued and passes through.

Each keeps NumPy's ``numpy.linalg`` semantics: the matrix axes are the last two, ``outer``
takes 1-D vectors, ``vecdot``/``cross`` act along ``axis`` (default the last).

Example:
    >>> import numpy as np
    >>> from steepest import grad
    >>> A = np.arange(8.0).reshape(2, 2, 2)
    >>> grad(lambda a: np.sum(np.linalg.trace(a)))(A)[0]
    array([[1., 0.],
           [0., 1.]])
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..._dispatch import TRACED, implements
from ..arraylike import NonDifferentiable
from ..rules import linalg as linalg_rules
from ..rules.broadcast import reshape
from ..rules.products import matmul as _matmul
from ..tracing import shape_of
from .reductions import cross as _cross
from .reductions import outer as _outer
from .reductions import tensordot as _tensordot
from .reductions import trace as _trace
from .shape import diagonal as _diagonal

__all__ = ["matmul", "trace", "diagonal", "outer", "cross", "tensordot", "vecdot",
           "matrix_transpose", "multi_dot", "tensorinv", "tensorsolve"]

TRACED[np.linalg.matrix_rank] = NonDifferentiable(np.linalg.matrix_rank)


@implements(np.linalg.matmul)
def matmul(x1: Any, x2: Any, /) -> Any:
    """``x1 @ x2`` (stacks of matrices broadcast).

    Args:
        x1, x2: arrays with at least one axis.

    Returns:
        The matrix product; ``x̄1 = ḡ x2ᵀ``, ``x̄2 = x1ᵀ ḡ``.

    Example:
        >>> matmul(np.eye(2), np.ones(2))
        array([1., 1.])
    """
    return _matmul(x1, x2)


@implements(np.linalg.trace)
def trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Any:
    """Sum of the ``offset`` diagonal of each matrix of ``x`` (shape ``(..., m, n)``).

    Args:
        x: a matrix or stack; offset: which diagonal; dtype: NumPy's.

    Returns:
        ``Σ_i x[..., i, i + offset]``.

    Example:
        >>> float(trace(np.eye(3)))
        3.0
    """
    return _trace(x, offset=offset, axis1=-2, axis2=-1, dtype=dtype)


@implements(np.linalg.diagonal)
def diagonal(x: Any, /, *, offset: int = 0) -> Any:
    """The ``offset`` diagonal of each matrix of ``x`` (shape ``(..., m, n)``).

    Args:
        x: a matrix or stack; offset: which diagonal.

    Returns:
        ``x[..., i, i + offset]`` over ``i``.

    Example:
        >>> diagonal(np.arange(4.0).reshape(2, 2))
        array([0., 3.])
    """
    return _diagonal(x, offset=offset, axis1=-2, axis2=-1)


@implements(np.linalg.outer)
def outer(x1: Any, x2: Any, /) -> Any:
    """``x1[:, None] * x2[None, :]`` of two 1-D vectors.

    Args:
        x1, x2: 1-D vectors.

    Returns:
        Their outer product.

    Example:
        >>> outer(np.ones(2), np.arange(2.0))
        array([[0., 1.],
               [0., 1.]])
    """
    if len(shape_of(x1)) != 1 or len(shape_of(x2)) != 1:
        raise ValueError(f"np.linalg.outer takes two 1-D vectors, got shapes {shape_of(x1)} "
                         f"and {shape_of(x2)}; for other shapes use np.outer (it ravels) or "
                         "np.einsum('...i,...j->...ij', x1, x2)")
    return _outer(x1, x2)


@implements(np.linalg.cross)
def cross(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
    """Cross product of 3-vectors along ``axis``.

    Args:
        x1, x2: arrays with 3 entries along ``axis`` (broadcasting the rest); axis: that axis.

    Returns:
        ``x1 × x2``.

    Example:
        >>> cross(np.array([1.0, 0, 0]), np.array([0.0, 1, 0]))
        array([0., 0., 1.])
    """
    if shape_of(x1)[axis] != 3 or shape_of(x2)[axis] != 3:
        raise ValueError(f"np.linalg.cross needs 3-vectors along axis {axis}, got shapes "
                         f"{shape_of(x1)} and {shape_of(x2)}; for 2-vectors use np.cross")
    return np.moveaxis(_cross(np.moveaxis(x1, axis, -1), np.moveaxis(x2, axis, -1)), -1, axis)


@implements(np.linalg.tensordot)
def tensordot(x1: Any, x2: Any, /, *, axes: Any = 2) -> Any:
    """``np.tensordot``: the sum of products over ``axes``.

    Args:
        x1, x2: arrays; axes: an int (last/first axes) or a pair of axis lists.

    Returns:
        The contraction.

    Example:
        >>> float(tensordot(np.eye(2), np.eye(2)))
        2.0
    """
    return _tensordot(x1, x2, axes=axes)


@implements(np.linalg.vecdot)
def vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
    """``Σ_i x1_i x2_i`` along ``axis`` (real inputs), broadcasting the rest.

    Args:
        x1, x2: arrays; axis: the summed axis.

    Returns:
        The dot products.

    Example:
        >>> vecdot(np.ones((2, 3)), np.arange(3.0))
        array([3., 3.])
    """
    return np.sum(x1 * x2, axis=axis)


@implements(np.linalg.matrix_transpose)
def matrix_transpose(x: Any, /) -> Any:
    """Swap the last two axes.

    Args:
        x: an array with at least two axes.

    Returns:
        ``x`` with axes ``-1`` and ``-2`` swapped.

    Example:
        >>> matrix_transpose(np.zeros((4, 2, 3))).shape
        (4, 3, 2)
    """
    if len(shape_of(x)) < 2:
        raise ValueError(f"np.linalg.matrix_transpose needs x with at least 2 axes, got shape "
                         f"{shape_of(x)}")
    return linalg_rules.T(x)


@implements(np.linalg.multi_dot)
def multi_dot(arrays: Any, *, out: Any = None) -> Any:
    """``arrays[0] @ arrays[1] @ ...`` (a 1-D first/last array is a row/column vector).

    Args:
        arrays: two or more arrays; out: not supported on traced values.

    Returns:
        The chained product (left to right).

    Example:
        >>> float(multi_dot([np.ones(2), np.eye(2), np.ones(2)]))
        2.0
    """
    if out is not None:
        raise TypeError("np.linalg.multi_dot(out=...) writes into a plain array and drops the "
                        "derivative; use the return value")
    if len(arrays) < 2:
        raise ValueError("np.linalg.multi_dot needs at least two arrays")
    return functools.reduce(_matmul, arrays)


@implements(np.linalg.tensorinv)
def tensorinv(a: Any, ind: int = 2) -> Any:
    """The inverse of ``a`` seen as a map from its last ``ndim − ind`` axes to its first ``ind``
    (a reshape, ``inv``, reshape back).

    Args:
        a: the tensor; ind: the number of leading (output) axes.

    Returns:
        The tensor inverse, of shape ``a.shape[ind:] + a.shape[:ind]``.

    Example:
        >>> tensorinv(np.eye(4).reshape(4, 2, 2), ind=1).shape
        (2, 2, 4)
    """
    shape = shape_of(a)
    rows, cols = shape[:ind], shape[ind:]
    n = int(np.prod(rows))
    return reshape(np.linalg.inv(reshape(a, (n, -1))), cols + rows)


@implements(np.linalg.tensorsolve)
def tensorsolve(a: Any, b: Any, axes: Any = None) -> Any:
    """``x`` with ``tensordot(a, x, x.ndim) = b`` (a reshape, ``solve``, reshape back).

    Args:
        a: the tensor; b: the right-hand side; axes: axes of ``a`` moved to the end first.

    Returns:
        ``x`` of shape ``a.shape[b.ndim:]``.

    Example:
        >>> tensorsolve(np.eye(4).reshape(2, 2, 4), np.ones((2, 2)))
        array([1., 1., 1., 1.])
    """
    if axes is not None:
        nd = len(shape_of(a))
        moved = [ax % nd for ax in axes]
        a = np.moveaxis(a, moved, list(range(nd - len(moved), nd)))
    shape = shape_of(a)
    b_nd = len(shape_of(b))
    x_shape = shape[b_nd:]
    n = int(np.prod(x_shape))
    return reshape(np.linalg.solve(reshape(a, (-1, n)), reshape(b, (-1,))), x_shape)
