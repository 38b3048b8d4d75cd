"""Differentiable norms of ``numpy.linalg``: ``norm`` with every ``ord`` and ``axis``,
``vector_norm``, ``matrix_norm``, ``svdvals`` and ``cond``, on single arrays and on stacks.

Matrix norms act on the two axes named by ``axis`` (the last two by default), so a
``(..., m, n)`` stack gives one norm per matrix. The spectral (``ord=2``/``-2``), nuclear
(``"nuc"``) norms and ``cond`` go through the singular values, whose derivative
``ds_i = u_iᵀ dA v_i`` (Townsend 2016) is finite wherever the singular values are distinct
(for ``nuc`` also at zero singular values, where it is a subgradient). The 2-norm of a vector
and the Frobenius norm have derivative ``x / ‖x‖``, taken as 0 at ``x = 0``.

Example:
    >>> import numpy as np
    >>> from steepest import grad
    >>> A = np.stack([np.diag([3.0, 1.0]), np.diag([2.0, 5.0])])
    >>> grad(lambda a: np.sum(np.linalg.norm(a, ord=2, axis=(-2, -1))))(A)[1]
    array([[0., 0.],
           [0., 1.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._dispatch import implements
from ..rules import linalg as linalg_rules
from ..rules import reduce as reduce_rules
from ..rules.broadcast import reshape
from ..rules.shape import expand_dims, transpose
from ..rules.ufunc import absolute
from ..tracing import getval, shape_of

__all__ = ["norm", "vector_norm", "matrix_norm", "svdvals", "cond"]


@implements(np.linalg.svdvals)
def svdvals(x: Any) -> Any:
    """Singular values (descending) of ``x`` of shape ``(..., m, n)``.

    Args:
        x: a matrix or a stack of matrices.

    Returns:
        An array of shape ``(..., min(m, n))``; ``d s_i = u_iᵀ dx v_i``.

    Example:
        >>> svdvals(np.diag([1.0, 4.0]))
        array([4., 1.])
    """
    if len(shape_of(x)) < 2:
        raise np.linalg.LinAlgError(f"np.linalg.svdvals needs a matrix x (or a stack of them, "
                                    f"shape (..., m, n)), got shape {shape_of(x)}")
    return linalg_rules.svdvals(x)


def _vector_norm(x: Any, ord: Any, axis: Any, keepdims: bool) -> Any:
    if isinstance(ord, str) or not np.isreal(ord):
        raise ValueError(f"np.linalg.norm: ord={ord!r} is a matrix norm, not a vector norm; for "
                         "a vector pass a number (1, 2, np.inf, ...) or axis=(0, 1) on a matrix")
    if ord is None or ord == 2:
        return linalg_rules.norm2(x, axis=axis, keepdims=keepdims)
    if ord == np.inf:
        return reduce_rules.amax(absolute(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return reduce_rules.amin(absolute(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        return np.sum(getval(x) != 0, axis=axis, keepdims=keepdims).astype(float)
    if ord == 1:
        return reduce_rules.sum(absolute(x), axis=axis, keepdims=keepdims)
    return reduce_rules.sum(absolute(x) ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _to_last(x: Any, r: int, c: int) -> Any:
    """``x`` with its axes ``r`` and ``c`` moved to the end, in that order."""
    rest = [i for i in range(len(shape_of(x))) if i not in (r, c)]
    return transpose(x, (*rest, r, c))


def _keep(val: Any, r: int, c: int, keepdims: bool) -> Any:
    return expand_dims(val, tuple(sorted((r, c)))) if keepdims else val


def _matrix_norm(x: Any, ord: Any, axis: tuple[int, int], keepdims: bool) -> Any:
    nd = len(shape_of(x))
    r, c = axis[0] % nd, axis[1] % nd
    if r == c:
        raise ValueError(f"np.linalg.norm: axis={axis} names the same axis twice; pass two "
                         "different axes, e.g. axis=(-2, -1)")
    if ord in (None, "fro"):
        return linalg_rules.norm2(x, axis=(r, c), keepdims=keepdims)
    if ord in (1, -1, np.inf, -np.inf):
        sum_ax, red_ax = (r, c) if ord in (1, -1) else (c, r)
        colsum = reduce_rules.sum(absolute(x), axis=sum_ax, keepdims=True)
        red = reduce_rules.amax if ord > 0 else reduce_rules.amin
        out = red(colsum, axis=(red_ax,), keepdims=True)
        return out if keepdims else reshape(out, tuple(
            d for i, d in enumerate(shape_of(out)) if i not in (r, c)))
    if ord not in (2, -2, "nuc"):
        raise ValueError(f"np.linalg.norm: ord={ord!r} is not a matrix norm; pass one of None, "
                         "'fro', 'nuc', 1, -1, 2, -2, np.inf, -np.inf")
    s = linalg_rules.svdvals(_to_last(x, r, c))
    if ord == "nuc":
        return _keep(reduce_rules.sum(s, axis=-1), r, c, keepdims)
    return _keep(s[..., 0] if ord == 2 else s[..., -1], r, c, keepdims)


@implements(np.linalg.norm)
def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """Vector or matrix norm with NumPy's ``ord``/``axis`` conventions, on stacks too.

    ``axis`` an int: vector norms along it; a pair: matrix norms over those two axes (the
    others are a batch); ``None``: the whole array (``ord=None``), a vector (1-D) or a matrix
    (2-D). At ``x = 0`` the 2-norm's derivative is taken as 0 (a subgradient) rather than NaN.

    Args:
        x: the array.
        ord: ``None``, a number, ``±np.inf``, ``"fro"`` or ``"nuc"``.
        axis: ``None``, an int or a pair of ints.
        keepdims: keep the reduced axes with size 1.

    Returns:
        The norm(s).

    Example:
        >>> float(norm(np.array([3.0, 4.0])))
        5.0
    """
    nd = len(shape_of(x))
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None:
        if ord is None:
            return linalg_rules.norm2(x, axis=None, keepdims=keepdims)
        axis = (0, 1) if nd == 2 else (0,) if nd == 1 else None
        if axis is None:
            raise ValueError(f"np.linalg.norm with ord={ord!r} needs 1-D or 2-D input or an "
                             f"explicit axis, got shape {shape_of(x)}; pass axis=-1 (vectors) "
                             "or axis=(-2, -1) (a stack of matrices)")
    if isinstance(axis, (int, np.integer)) or len(axis) == 1:
        ax = axis if isinstance(axis, (int, np.integer)) else axis[0]
        return _vector_norm(x, ord, int(ax), keepdims)
    if len(axis) != 2:
        raise ValueError(f"np.linalg.norm: axis={axis} has {len(axis)} entries; pass an int "
                         "(vector norms) or a pair (matrix norms)")
    return _matrix_norm(x, ord, tuple(axis), keepdims)


@implements(np.linalg.vector_norm)
def vector_norm(x: Any, /, *, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Any:
    """Array-API vector norm: ``(Σ |x_i|^ord)^(1/ord)`` over ``axis`` (every axis by default).

    Args:
        x: the array.
        axis: ``None`` (all axes), an int or a tuple of ints.
        keepdims: keep the reduced axes with size 1.
        ord: a number or ``±np.inf`` (default 2).

    Returns:
        The norm(s).

    Example:
        >>> vector_norm(np.array([[3.0, 4.0], [6.0, 8.0]]), axis=-1)
        array([ 5., 10.])
    """
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None and not keepdims:
        x, axis = reshape(x, (-1,)), 0
    return _vector_norm(x, ord, axis, keepdims)


@implements(np.linalg.matrix_norm)
def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Any:
    """Array-API matrix norm over the last two axes of ``x`` (shape ``(..., m, n)``).

    Args:
        x: a matrix or a stack of matrices.
        keepdims: keep the two reduced axes with size 1.
        ord: ``"fro"``, ``"nuc"``, ``1``, ``-1``, ``2``, ``-2``, ``±np.inf``.

    Returns:
        One norm per matrix.

    Example:
        >>> float(matrix_norm(np.diag([3.0, 4.0]), ord="nuc"))
        7.0
    """
    if len(shape_of(x)) < 2:
        raise ValueError(f"np.linalg.matrix_norm needs x of shape (..., m, n), got "
                         f"{shape_of(x)}; for a vector use np.linalg.vector_norm")
    return _matrix_norm(x, ord, (-2, -1), keepdims)


@implements(np.linalg.cond)
def cond(x: Any, p: Any = None) -> Any:
    """Condition number ``‖x‖ ‖x⁻¹‖`` in the norm ``p``; ``s_max / s_min`` for ``p=None``/``2``.

    Args:
        x: a matrix or a stack of matrices (square unless ``p`` is ``None``/``±2``).
        p: the norm, as ``ord`` of :func:`norm`.

    Returns:
        One condition number per matrix.

    Example:
        >>> float(cond(np.diag([1.0, 4.0])))
        4.0
    """
    if p in (None, 2, -2):
        s = svdvals(x)
        return s[..., 0] / s[..., -1] if p != -2 else s[..., -1] / s[..., 0]
    return _matrix_norm(x, p, (-2, -1), False) * _matrix_norm(
        np.linalg.inv(x), p, (-2, -1), False)
