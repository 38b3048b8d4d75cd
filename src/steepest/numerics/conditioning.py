"""Condition numbers, a linear solve that reports how far to trust it, perturbation reports.

Goodfellow §4.2: the condition number of :math:`f(x) = A^{-1}x` bounds how much a relative
change of ``x`` can be amplified. In the 2-norm it is :math:`\\kappa(A) = \\sigma_{\\max} /
\\sigma_{\\min}`; the book's eigenvalue ratio :math:`\\max_{i,j}|\\lambda_i/\\lambda_j|`
(eq. 4.2) equals it for normal (e.g. symmetric) matrices only and can be wildly optimistic
otherwise: ``[[1, a], [0, 1]]`` has eigenvalue ratio 1 but :math:`\\kappa \\approx a^2`.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla

from .._validate import check_positive_float

__all__ = [
    "ConditioningWarning",
    "SolveStatus",
    "SolveResult",
    "PerturbationReport",
    "condition_number",
    "solve",
    "perturbation_report",
]


class ConditioningWarning(Warning):
    """The condition number of a matrix makes a computed answer untrustworthy.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.2 "Poor Conditioning" (eq. 4.2).

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     r = solve([[1.0, 1.0], [1.0, 1.0 + 1e-14]], [2.0, 2.0])
        >>> caught[0].category is ConditioningWarning
        True
    """


def _matrix(A: Any, name: str = "A", square: bool = False, why: str = "") -> np.ndarray:
    a = np.asarray(A)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real matrix, got dtype {a.dtype}")
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D matrix, got shape {a.shape}")
    if square and a.shape[0] != a.shape[1]:
        raise ValueError(f"{name} must be square {why}, got shape {a.shape}; use kind='svd'")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains nan or inf; condition numbers need finite entries")
    return a.astype(np.result_type(a.dtype, np.float32), copy=False)


def _singular(smallest: float, largest: float, a: np.ndarray) -> bool:
    """Numerically singular: the smallest scale is below the rank tolerance of ``matrix_rank``."""
    return bool(smallest <= largest * max(a.shape) * np.finfo(a.dtype).eps)


def _cond_svd(a: np.ndarray) -> float:
    s = np.linalg.svd(a, compute_uv=False)
    return np.inf if _singular(s[-1], s[0], a) else float(s[0] / s[-1])


def _cond_eig(a: np.ndarray) -> float:
    mags = np.abs(np.linalg.eigvals(a))
    return np.inf if _singular(mags.min(), mags.max(), a) else float(mags.max() / mags.min())


def _cond_norm(order: Any) -> Callable[[np.ndarray], float]:
    def cond(a: np.ndarray) -> float:
        if np.isinf(_cond_svd(a)):
            return np.inf
        return float(np.linalg.norm(a, order) * np.linalg.norm(np.linalg.inv(a), order))

    return cond


_KINDS: dict[Any, tuple[Callable[[np.ndarray], float], bool, str]] = {
    "svd": (_cond_svd, False, ""),
    2: (_cond_svd, False, ""),
    "eig": (_cond_eig, True, "for the eigenvalue ratio of eq. 4.2"),
    1: (_cond_norm(1), True, "for the 1-norm condition number"),
    np.inf: (_cond_norm(np.inf), True, "for the inf-norm condition number"),
    "fro": (_cond_norm("fro"), True, "for the Frobenius condition number"),
}


def condition_number(A: Any, kind: Any = "svd") -> float:
    r"""Condition number of a matrix, in one of several senses.

    Kinds:
        - ``"svd"`` (or ``2``): :math:`\sigma_{\max}/\sigma_{\min}`, the 2-norm condition
          number, for any shape (the ratio of the extreme singular values);
        - ``"eig"``: :math:`\max_{i,j}|\lambda_i/\lambda_j|` (Goodfellow eq. 4.2), square only;
          equal to ``"svd"`` for normal matrices, a *lower* bound otherwise;
        - ``1``, ``np.inf``, ``"fro"``: :math:`\|A\|\,\|A^{-1}\|` in that norm, square only.

    A numerically singular matrix (smallest singular value or eigenvalue modulus below
    ``max(m, n) · eps`` times the largest, the rank tolerance of ``np.linalg.matrix_rank``)
    reports ``inf``.

    The two notions can differ hugely: ``[[1, a], [0, 1]]`` has both eigenvalues 1, so its
    eigenvalue ratio is 1, yet its singular values multiply to 1 and add (squared) to
    ``2 + a²``, so :math:`\sigma_{\max}/\sigma_{\min} \approx a^2` — solving with it loses
    about ``2·log10(a)`` digits.

    Args:
        A: real matrix.
        kind: ``"svd"``, ``2``, ``"eig"``, ``1``, ``np.inf`` or ``"fro"``.

    Returns:
        The condition number (>= 1), or ``inf`` when numerically singular.

    Raises:
        ValueError: for an unknown kind, a non-2-D or non-finite matrix, or a non-square
            matrix with a square-only kind.

    Example:
        >>> round(condition_number([[4.1, 2.8], [9.7, 6.6]]), 1)
        1623.0
        >>> condition_number([[1.0, 100.0], [0.0, 1.0]], "eig")
        1.0
    """
    try:
        fn, square, why = _KINDS[kind]
    except (KeyError, TypeError):
        valid = ", ".join(repr(k) if k is not np.inf else "np.inf" for k in _KINDS)
        raise ValueError(f"unknown condition-number kind {kind!r}; use one of {valid}") from None
    return fn(_matrix(A, square=square, why=why))


class SolveStatus(enum.Enum):
    """How far the answer of :func:`solve` can be trusted.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.2 (eq. 4.2); Higham, *Accuracy and Stability of
        Numerical Algorithms*, §7.1.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     r = solve([[1.0, 1.0], [1.0, 1.0 + 1e-14]], [2.0, 2.0])
        >>> r.status is SolveStatus.ILL_CONDITIONED, r.trustworthy
        (True, False)
    """

    WELL_CONDITIONED = "well_conditioned"
    ILL_CONDITIONED = "ill_conditioned"
    NUMERICALLY_SINGULAR = "numerically_singular"


@dataclass(frozen=True)
class SolveResult:
    """Solution of ``A x = b`` with the evidence needed to trust it.

    Attributes:
        x: the computed solution (shape of ``b``).
        cond: LAPACK's estimate of the 1-norm condition number :math:`\\kappa_1(A)`.
        error_bound: estimated bound on the relative error :math:`\\|\\hat x - x\\|_1 /
            \\|\\hat x\\|_1` (first order): ``cond`` times the larger of the normwise
            backward error of ``x`` and ``eps``.
        residual_norm: :math:`\\|b - A\\hat x\\|_1` (max over columns of ``b``).
        status: a :class:`SolveStatus`.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.2 (eq. 4.2); Higham, *Accuracy and Stability of
        Numerical Algorithms*, §7.1 (forward error ≤ κ · backward error).

    Example:
        >>> r = solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 4.0])
        >>> r.x.tolist(), r.status.value, float(r.cond)
        ([1.0, 1.0], 'well_conditioned', 2.0)
    """

    x: np.ndarray
    cond: float
    error_bound: float
    residual_norm: float
    status: SolveStatus

    @property
    def trustworthy(self) -> bool:
        """True when the status is well-conditioned."""
        return self.status is SolveStatus.WELL_CONDITIONED

    @property
    def digits(self) -> float:
        """Roughly how many leading significant digits of ``x`` are right (>= 0)."""
        return float(max(0.0, -np.log10(max(self.error_bound, 1e-300))))


def solve(A: Any, b: Any, warn_tol: float | None = None) -> SolveResult:
    r"""Solve ``A x = b`` by LU with partial pivoting (no inverse) and bound the error.

    The relative forward error obeys, to first order,

    .. math:: \frac{\|\hat x - x\|}{\|\hat x\|} \le \kappa(A)\,
              \frac{\|b - A\hat x\|}{\|A\|\,\|\hat x\|},

    the condition number times the backward error. ``cond`` is LAPACK's ``gecon`` estimate
    of :math:`\kappa_1(A)` from the LU factors (O(n²) extra work), the residual is computed
    directly, and the backward error is floored at ``eps`` (the residual's own rounding).

    A :class:`ConditioningWarning` is issued when the bound exceeds ``warn_tol`` (default
    ``sqrt(eps)``: fewer than half of the digits are right) and the status says so.

    Args:
        A: square real matrix (n, n).
        b: right-hand side (n,) or (n, k).
        warn_tol: relative-error level above which to warn.

    Returns:
        A :class:`SolveResult` (``result.x``, ``result.cond``, ``result.error_bound`` ...).

    Raises:
        ValueError: on non-square ``A``, mismatched ``b`` or non-finite entries.
        numpy.linalg.LinAlgError: if ``A`` is exactly singular (a zero pivot).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.2 "Poor Conditioning" (eq. 4.2).

    Example:
        >>> r = solve([[4.1, 2.8], [9.7, 6.6]], [4.1, 9.7])
        >>> (np.round(r.x, 12) + 0.0).tolist(), r.trustworthy, r.error_bound < 1e-12
        ([1.0, 0.0], True, True)
    """
    a = _matrix(A, square=True, why="to solve A x = b")
    if warn_tol is not None:
        warn_tol = check_positive_float(warn_tol, "warn_tol", fix="pass e.g. warn_tol=1e-8")
    rhs = np.asarray(b)
    if rhs.ndim not in (1, 2) or rhs.shape[0] != a.shape[0]:
        raise ValueError(
            f"b has shape {rhs.shape} but A is {a.shape}; pass b of shape ({a.shape[0]},) "
            f"or ({a.shape[0]}, k)"
        )
    if not np.all(np.isfinite(rhs)):
        raise ValueError("b contains nan or inf; pass finite values")
    dtype = np.result_type(a, rhs, np.float32)
    a, rhs = a.astype(dtype, copy=False), rhs.astype(dtype, copy=False)
    eps = float(np.finfo(dtype).eps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sla.LinAlgWarning)
        lu, piv = sla.lu_factor(a, check_finite=False)
    if np.any(np.diag(lu) == 0):
        raise np.linalg.LinAlgError("A is exactly singular (zero pivot in LU); no solution")
    x = sla.lu_solve((lu, piv), rhs, check_finite=False)
    cond = _gecon_cond(lu, a)
    residual, backward = _backward_error(a, x, rhs)
    bound = cond * max(backward, eps)
    status = _status(cond, bound, eps, np.sqrt(eps) if warn_tol is None else warn_tol)
    if status is not SolveStatus.WELL_CONDITIONED:
        warnings.warn(
            f"A is {status.value.replace('_', ' ')} (cond ≈ {cond:.3g}, cond·eps ≈ "
            f"{cond * eps:.3g}): the relative error of x may reach {bound:.3g}",
            ConditioningWarning,
            stacklevel=2,
        )
    return SolveResult(x=x, cond=cond, error_bound=float(bound), residual_norm=residual,
                       status=status)


def _gecon_cond(lu: np.ndarray, a: np.ndarray) -> float:
    (gecon,) = sla.get_lapack_funcs(("gecon",), (lu,))
    rcond, _ = gecon(lu, np.linalg.norm(a, 1), norm="1")
    return float(np.inf if rcond == 0 else 1.0 / rcond)


def _backward_error(a: np.ndarray, x: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(max residual 1-norm, max normwise backward error ‖r‖/(‖A‖‖x‖ + ‖b‖)) over columns."""
    r = b - a @ x
    rn = np.abs(r).sum(axis=0)
    scale = np.linalg.norm(a, 1) * np.abs(x).sum(axis=0) + np.abs(b).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        back = np.where(scale > 0, rn / scale, 0.0)
    return float(np.max(rn)), float(np.max(back))


def _status(cond: float, bound: float, eps: float, warn_tol: float) -> SolveStatus:
    if not np.isfinite(cond) or cond * eps >= 1.0:
        return SolveStatus.NUMERICALLY_SINGULAR
    if bound > warn_tol:
        return SolveStatus.ILL_CONDITIONED
    return SolveStatus.WELL_CONDITIONED


@dataclass(frozen=True)
class PerturbationReport:
    """How a change ``db`` of the right-hand side moved the solution of ``A x = b`` (2-norm).

    Attributes:
        x, x_perturbed: solutions for ``b`` and ``b + db``.
        rel_change_b: :math:`\\|db\\| / \\|b\\|`.
        rel_change_x: :math:`\\|dx\\| / \\|x\\|`.
        amplification: ``rel_change_x / rel_change_b``.
        cond: :math:`\\kappa_2(A)`, the largest possible amplification.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.2 (eq. 4.2: κ bounds the amplification of relative
        errors).

    Example:
        >>> rep = perturbation_report([[4.1, 2.8], [9.7, 6.6]], [4.1, 9.7], [0.01, 0.0])
        >>> bool(rep.amplification <= rep.cond), rep.bound_holds
        (True, True)
    """

    x: np.ndarray
    x_perturbed: np.ndarray
    rel_change_b: float
    rel_change_x: float
    amplification: float
    cond: float

    @property
    def bound_holds(self) -> bool:
        """amplification <= cond (up to rounding), i.e. the condition bound is respected."""
        return bool(self.amplification <= self.cond * (1 + 1e-6))

    def describe(self) -> str:
        """Two lines for a terminal or a report."""
        return (
            f"relative change in b: {self.rel_change_b:.3g}, in x: {self.rel_change_x:.3g} "
            f"(amplified {self.amplification:.3g}x)\n"
            f"bound cond(A) = {self.cond:.4g}; "
            f"{'within' if self.bound_holds else 'EXCEEDS'} the bound"
        )


def perturbation_report(A: Any, b: Any, db: Any) -> PerturbationReport:
    r"""Measure the amplification of a relative change of ``b`` in the solution of ``A x = b``.

    For :math:`A x = b` and :math:`A (x + dx) = b + db`,

    .. math:: \frac{\|dx\|}{\|x\|} \le \kappa_2(A)\,\frac{\|db\|}{\|b\|},

    with equality when ``b`` lies along the top left singular vector and ``db`` along the
    bottom one. Both systems are solved by LU (no inverse), so for very ill-conditioned
    ``A`` the measured change also contains rounding error of size ``cond · eps``.

    Args:
        A: square real matrix (n, n).
        b: right-hand side (n,), non-zero.
        db: perturbation of ``b`` (n,), non-zero.

    Returns:
        A :class:`PerturbationReport`.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.2 (eq. 4.2); Higham, *Accuracy and Stability*, §7.1
        (κ bounds the relative error).

    Example:
        >>> rep = perturbation_report([[4.1, 2.8], [9.7, 6.6]], [4.1, 9.7], [0.01, 0.0])
        >>> np.round(rep.x_perturbed, 2).tolist(), rep.bound_holds
        ([0.34, 0.97], True)
    """
    a = _matrix(A, square=True, why="for a perturbation report")
    b, db = np.asarray(b, dtype=float), np.asarray(db, dtype=float)
    n = a.shape[0]
    if b.shape != (n,) or db.shape != (n,):
        raise ValueError(f"b and db must both have shape ({n},), got {b.shape} and {db.shape}")
    if not np.any(b) or not np.any(db):
        raise ValueError("b and db must be non-zero to measure relative changes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConditioningWarning)
        x = solve(a, b).x
        xp = solve(a, b + db).x
    rel_b = float(np.linalg.norm(db) / np.linalg.norm(b))
    rel_x = float(np.linalg.norm(xp - x) / np.linalg.norm(x))
    return PerturbationReport(x=x, x_perturbed=xp, rel_change_b=rel_b, rel_change_x=rel_x,
                              amplification=rel_x / rel_b, cond=condition_number(a, "svd"))
