"""Differentiable ``scipy.linalg``: ``solve_triangular``, ``cho_factor``/``cho_solve``, ``expm``,
``lu_factor``/``lu_solve``, and ``solve``, ``inv``, ``det``, ``cholesky`` with SciPy's
signatures.

SciPy's own functions turn their inputs into plain arrays (they do not dispatch through
``__array_function__`` as NumPy's do), so a traced value passed to ``scipy.linalg.expm`` fails;
call these instead — ``import steepest.scipy.linalg as sla`` is a drop-in. On plain arrays each
function is SciPy's own; on traced values it records the derivative (rules and references in
:mod:`steepest.autodiff.rules.scipy_linalg`). Differences on traced values: ``cho_factor``
returns zeros, not leftover entries, in the unused triangle; ``lu_factor``/``lu_solve`` take
stacks of matrices; the pivots are piecewise constant and carry no derivative.

Example:
    >>> import numpy as np
    >>> import steepest as st
    >>> import scipy.linalg
    >>> A = np.array([[0.0, 1.0], [-2.0, 0.5]])
    >>> g = st.grad(lambda a: np.sum(expm(a)))(A)  # = L(Aᵀ, ones), the Fréchet derivative
    >>> np.allclose(g, scipy.linalg.expm_frechet(A.T, np.ones((2, 2)))[1])
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg as _sla

from .._dispatch import is_traced
from ..autodiff.numpy import linalg as _np_linalg
from ..autodiff.rules import scipy_linalg as _rules
from ..autodiff.rules.broadcast import reshape
from ..autodiff.rules.linalg import T, tril, triu
from ..autodiff.tracing import getval, shape_of

__all__ = ["solve_triangular", "cho_factor", "cho_solve", "expm", "lu_factor", "lu_solve",
           "solve", "inv", "det", "cholesky"]

_SYMMETRIC = ("sym", "symmetric", "her", "hermitian", "pos", "positive definite")
_TRANS = {0: 0, 1: 1, 2: 1, "N": 0, "T": 1, "C": 1}


def _finite(name: str, **arrays: Any) -> None:
    for arg, x in arrays.items():
        if not np.all(np.isfinite(getval(x))):
            raise ValueError(f"scipy.linalg.{name}: {arg} contains infs or NaNs; pass finite "
                             "values (or check_finite=False to skip this check)")


def _as_matrix(b: Any, fn: Any) -> Any:
    """Apply ``fn`` to ``b`` seen as ``(..., n, k)``: a 1-D ``b`` is one column."""
    if len(shape_of(b)) == 1:
        return fn(reshape(b, (-1, 1)))[..., 0]
    return fn(b)


def solve_triangular(a: Any, b: Any, trans: Any = 0, lower: bool = False,
                     unit_diagonal: bool = False, overwrite_b: bool = False,
                     check_finite: bool = True) -> Any:
    """Solve ``op(a) x = b`` for a triangular ``a`` (only its ``lower``/upper triangle is read).

    Args:
        a: ``(..., n, n)`` triangular matrix (or stack).
        b: ``(..., n)`` or ``(..., n, k)`` right-hand side.
        trans: ``0``/``"N"`` (``a x = b``), ``1``/``"T"`` or ``2``/``"C"`` (``aᵀ x = b``).
        lower: read the lower triangle (default the upper).
        unit_diagonal: take the diagonal as ones.
        overwrite_b, check_finite: as in SciPy.

    Returns:
        ``x``; derivatives ``b̄ = op(a)⁻ᵀ x̄``, ``ā = −tri(op(b̄ xᵀ))``.

    Example:
        >>> float(solve_triangular(np.array([[2.0, 0.0], [1.0, 1.0]]), np.ones(2), lower=True)[1])
        0.5
    """
    if not (is_traced(a) or is_traced(b)):
        return _sla.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal,
                                     overwrite_b=overwrite_b, check_finite=check_finite)
    if trans not in _TRANS:
        raise ValueError(f"scipy.linalg.solve_triangular: trans={trans!r}; pass 0, 1, 2, 'N', "
                         "'T' or 'C'")
    _np_linalg._square(a, "solve_triangular", "pass a square triangular matrix")
    if check_finite:
        _finite("solve_triangular", a=a, b=b)
    t = tril(a) if lower else triu(a)
    if unit_diagonal:
        n = shape_of(a)[-1]
        t = t * (1.0 - np.eye(n)) + np.eye(n)
    return _as_matrix(b, lambda m: _rules.trisolve(t, m, lower=lower, trans=_TRANS[trans]))


def cholesky(a: Any, lower: bool = False, overwrite_a: bool = False,
             check_finite: bool = True) -> Any:
    """SciPy's Cholesky factor: upper ``U`` with ``a = Uᵀ U`` by default, lower with
    ``lower=True`` (only that triangle of ``a`` is read; Murray 2016 for the derivative).

    Args:
        a: symmetric positive-definite matrix (or stack).
        lower: return the lower factor ``L`` (``a = L Lᵀ``).
        overwrite_a, check_finite: as in SciPy.

    Returns:
        The triangular factor.

    Example:
        >>> cholesky(np.array([[4.0, 2.0], [2.0, 5.0]]))
        array([[2., 1.],
               [0., 2.]])
    """
    if not is_traced(a):
        return _sla.cholesky(a, lower=lower, overwrite_a=overwrite_a, check_finite=check_finite)
    if check_finite:
        _finite("cholesky", a=a)
    return _np_linalg.cholesky(a, upper=not lower)


def cho_factor(a: Any, lower: bool = False, overwrite_a: bool = False,
               check_finite: bool = True) -> tuple[Any, bool]:
    """``(c, lower)`` for :func:`cho_solve`: the Cholesky factor in one triangle of ``c``.

    Args:
        a: symmetric positive-definite matrix (or stack).
        lower: factor as ``L Lᵀ`` (else ``Uᵀ U``).
        overwrite_a, check_finite: as in SciPy.

    Returns:
        ``(c, lower)``; on traced input the other triangle of ``c`` is zero.

    Example:
        >>> c, low = cho_factor(np.array([[4.0, 2.0], [2.0, 5.0]]), lower=True)
        >>> float(c[1, 0]), low
        (1.0, True)
    """
    if not is_traced(a):
        return _sla.cho_factor(a, lower=lower, overwrite_a=overwrite_a, check_finite=check_finite)
    return cholesky(a, lower=lower, check_finite=check_finite), lower


def cho_solve(c_and_lower: tuple[Any, bool], b: Any, overwrite_b: bool = False,
              check_finite: bool = True) -> Any:
    """Solve ``a x = b`` from ``cho_factor(a)``: two triangular solves with ``L`` (``a = L Lᵀ``).

    Args:
        c_and_lower: the result of :func:`cho_factor`.
        b: right-hand side ``(..., n)`` or ``(..., n, k)``.
        overwrite_b, check_finite: as in SciPy.

    Returns:
        ``x = L⁻ᵀ L⁻¹ b``, differentiable in ``c`` (its factor triangle) and ``b``.

    Example:
        >>> a = np.array([[4.0, 2.0], [2.0, 5.0]])
        >>> np.allclose(cho_solve(cho_factor(a), np.ones(2)), np.linalg.solve(a, np.ones(2)))
        True
    """
    c, lower = c_and_lower
    if not (is_traced(c) or is_traced(b)):
        return _sla.cho_solve((c, lower), b, overwrite_b=overwrite_b, check_finite=check_finite)
    if check_finite:
        _finite("cho_solve", c=c, b=b)
    low = tril(c) if lower else T(triu(c))

    def two_solves(m: Any) -> Any:
        y = _rules.trisolve(low, m, lower=True, trans=0)
        return _rules.trisolve(low, y, lower=True, trans=1)

    return _as_matrix(b, two_solves)


def expm(A: Any) -> Any:
    """The matrix exponential ``e^A = Σ Aᵏ/k!`` of a square matrix (or stack).

    Args:
        A: ``(..., n, n)`` matrix.

    Returns:
        ``e^A``; ``d e^A = L(A, dA)`` and ``Ā = L(Aᵀ, Ḡ)``.

    Its derivative is the Fréchet derivative, computed as the upper-right block of
    ``expm([[A, E], [0, A]])`` (Higham, *Functions of Matrices*, 2008, Thm 3.6).

    Example:
        >>> expm(np.zeros((2, 2)))
        array([[1., 0.],
               [0., 1.]])
    """
    if not is_traced(A):
        return _sla.expm(A)
    _np_linalg._square(A, "expm", "the exponential is defined for square matrices")
    return _rules.expm(A)


def lu_factor(a: Any, overwrite_a: bool = False, check_finite: bool = True
              ) -> tuple[Any, np.ndarray]:
    """``(lu, piv)``: LAPACK's packed LU with partial pivoting (``L`` unit lower, ``U`` upper).

    Args:
        a: square matrix (or stack).
        overwrite_a, check_finite: as in SciPy.

    Returns:
        ``(lu, piv)``: ``P a = L U`` with ``L`` strictly below the diagonal of ``lu``.

    ``a`` may be a stack ``(..., n, n)``; ``piv`` is plain (no derivative).

    Example:
        >>> lu, piv = lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> piv
        array([1, 1], dtype=int32)
    """
    if not is_traced(a):
        return _sla.lu_factor(a, overwrite_a=overwrite_a, check_finite=check_finite)
    _np_linalg._square(a, "lu_factor", "pass a square matrix")
    if check_finite:
        _finite("lu_factor", a=a)
    return _rules.lu_packed(a), _sla.lu_factor(np.asarray(getval(a)))[1]


def lu_solve(lu_and_piv: tuple[Any, Any], b: Any, trans: Any = 0, overwrite_b: bool = False,
             check_finite: bool = True) -> Any:
    """Solve ``a x = b`` (``trans=0``) or ``aᵀ x = b`` (``1``/``2``) from ``lu_factor(a)``.

    Args:
        lu_and_piv: the result of :func:`lu_factor`.
        b: right-hand side ``(..., n)`` or ``(..., n, k)``.
        trans: ``0``/``"N"``, ``1``/``"T"``, ``2``/``"C"``.
        overwrite_b, check_finite: as in SciPy.

    Returns:
        ``x`` through two triangular solves and the row permutation.

    Example:
        >>> a = np.array([[1.0, 2.0], [3.0, 4.0]])
        >>> np.allclose(lu_solve(lu_factor(a), np.ones(2)), np.linalg.solve(a, np.ones(2)))
        True
    """
    lu, piv = lu_and_piv
    if not (is_traced(lu) or is_traced(b)):
        return _sla.lu_solve((lu, piv), b, trans=trans, overwrite_b=overwrite_b,
                             check_finite=check_finite)
    if trans not in _TRANS:
        raise ValueError(f"scipy.linalg.lu_solve: trans={trans!r}; pass 0, 1, 2, 'N', 'T' or 'C'")
    if check_finite:
        _finite("lu_solve", lu=lu, b=b)
    perm = _rules.lu_permutation(np.asarray(piv))
    n = shape_of(lu)[-1]
    L, U = tril(lu, -1) + np.eye(n), triu(lu)
    if _TRANS[trans] == 0:
        def solves(m: Any) -> Any:
            m = m + np.zeros(perm.shape[:-1] + shape_of(m)[-2:])  # one b per matrix
            y = _rules.trisolve(L, _rules.permute_rows(m, perm), lower=True)
            return _rules.trisolve(U, y, lower=False)
    else:
        def solves(m: Any) -> Any:
            y = _rules.trisolve(U, m, lower=False, trans=1)
            y = _rules.trisolve(L, y, lower=True, trans=1)
            return _rules.permute_rows(y, np.argsort(perm, axis=-1))
    return _as_matrix(b, solves)


def solve(a: Any, b: Any, lower: bool = False, overwrite_a: bool = False,
          overwrite_b: bool = False, check_finite: bool = True, assume_a: Any = None,
          transposed: bool = False) -> Any:
    """Solve ``a x = b`` (``aᵀ x = b`` with ``transposed=True``).

    Args:
        a: square matrix; b: ``(n,)`` or ``(n, k)`` right-hand side.
        lower: which triangle a symmetric ``assume_a`` reads.
        overwrite_a, overwrite_b, check_finite, assume_a, transposed: as in SciPy.

    Returns:
        ``x = a⁻¹ b``; ``b̄ = a⁻ᵀ x̄``, ``ā = −b̄ xᵀ`` (restricted to what is read).

    On traced values the derivative follows what SciPy reads: for ``assume_a`` symmetric,
    Hermitian or positive definite only the ``lower``/upper triangle (mirrored), for a
    triangular or diagonal ``assume_a`` only that part; otherwise the whole matrix.

    Example:
        >>> solve(np.diag([2.0, 4.0]), np.ones(2))
        array([0.5 , 0.25])
    """
    if not (is_traced(a) or is_traced(b)):
        return _sla.solve(a, b, lower=lower, overwrite_a=overwrite_a, overwrite_b=overwrite_b,
                          check_finite=check_finite, assume_a=assume_a, transposed=transposed)
    if check_finite:
        _finite("solve", a=a, b=b)
    if assume_a in _SYMMETRIC:
        a = tril(a) + T(tril(a, -1)) if lower else triu(a) + T(triu(a, 1))
    elif assume_a in ("upper triangular", "lower triangular"):
        return solve_triangular(a, b, trans=int(transposed), check_finite=False,
                                lower=assume_a == "lower triangular")
    elif assume_a == "diagonal":
        a = a * np.eye(shape_of(a)[-1])
    return _np_linalg.solve(T(a) if transposed else a, b)


def inv(a: Any, overwrite_a: bool = False, check_finite: bool = True) -> Any:
    """Matrix inverse (see ``numpy.linalg.inv``): ``d(a⁻¹) = −a⁻¹ da a⁻¹``.

    Args:
        a: invertible square matrix (or stack).
        overwrite_a, check_finite: as in SciPy.

    Returns:
        ``a⁻¹``.

    Example:
        >>> inv(np.diag([2.0, 4.0]))
        array([[0.5 , 0.  ],
               [0.  , 0.25]])
    """
    if not is_traced(a):
        return _sla.inv(a, overwrite_a=overwrite_a, check_finite=check_finite)
    if check_finite:
        _finite("inv", a=a)
    return _np_linalg.inv(a)


def det(a: Any, overwrite_a: bool = False, check_finite: bool = True) -> Any:
    """Determinant (see ``numpy.linalg.det``): ``∂ det a / ∂a = cof(a)``, at singular ``a`` too.

    Args:
        a: square matrix (or stack).
        overwrite_a, check_finite: as in SciPy.

    Returns:
        ``det a``.

    Example:
        >>> float(det(np.diag([2.0, 4.0])))
        8.0
    """
    if not is_traced(a):
        return _sla.det(a, overwrite_a=overwrite_a, check_finite=check_finite)
    if check_finite:
        _finite("det", a=a)
    return _np_linalg.det(a)
