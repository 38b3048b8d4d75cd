"""Linear conjugate gradient for symmetric positive definite systems ``A x = b``.

Solving ``A x = b`` with ``A`` SPD is minimizing the quadratic (Liquet et al. eq. 4.46)

.. math::

    C(\\theta) = \\tfrac12 \\theta^\\top A \\theta - b^\\top \\theta,\\qquad
    \\nabla C(\\theta) = A\\theta - b = -r.

Conjugate gradient does exact line searches along directions that are mutually
``A``-conjugate, so in exact arithmetic it finishes in at most ``n`` steps. ``A`` may be a
dense matrix, anything supporting ``A @ v`` (sparse matrices, ``LinearOperator``), or a
callable ``v -> A v``; only matrix-vector products are used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._result import OptimizeResult, Status
from .._validate import check_choice, check_nonnegative_float, check_positive_int

__all__ = ["CGResult", "NotPositiveDefiniteError", "conjugate_gradient"]

Array = np.ndarray
MatVec = Callable[[Array], Array]


_MESSAGES = {
    Status.SUCCESS: "residual norm below tolerance",
    Status.MAX_ITER: "maximum number of iterations reached",
    Status.NONPOSITIVE_CURVATURE: "direction of non-positive curvature p^T A p <= 0 found",
    Status.NON_FINITE: "non-finite value encountered; returning the last finite iterate",
}


class NotPositiveDefiniteError(ValueError):
    """Raised when CG meets ``p^T A p <= 0``: ``A`` is not positive definite.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §5.1 (CG needs A symmetric positive
        definite).

    Example:
        >>> import numpy as np
        >>> try:
        ...     conjugate_gradient(np.diag([1.0, -1.0]), np.array([1.0, 1.0]))
        ... except NotPositiveDefiniteError:
        ...     print("indefinite")
        indefinite
    """


class CGResult(OptimizeResult):
    """Outcome of :func:`conjugate_gradient`: an :class:`~steepest._result.OptimizeResult`.

    Attributes:
        x: Approximate solution.
        success: ``status is Status.SUCCESS`` (the residual norm is below tolerance).
        status: A :class:`~steepest._result.Status`: ``SUCCESS``, ``MAX_ITER``,
            ``NONPOSITIVE_CURVATURE`` (``p^T A p <= 0`` with ``on_indefinite="return"``) or
            ``NON_FINITE``.
        message: Reason for stopping.
        nit: Number of CG iterations.
        nmatvec: Number of products with ``A``.
        residual_norm: ``||b - A x||`` recomputed from ``x`` at the end.
        residual_norms: Recursively updated ``||r_k||`` for ``k = 0..nit``.
        residuals: ``r_0, ..., r_nit`` as rows (only with ``store_history=True``, else None).
        directions: ``p_0, ..., p_{nit-1}`` as rows (only with ``store_history=True``).
        curvature_direction: A direction ``p`` with ``p^T A p <= 0`` when one was found.

    Reference:
        Hestenes & Stiefel, J. Res. NBS 49 (1952); Liquet et al., *Mathematical Engineering of Deep
        Learning*, §4.5 (eqs. 4.46-4.47).

    Example:
        >>> import numpy as np
        >>> A = np.array([[4.0, 1.0], [1.0, 3.0]]); b = np.array([1.0, 2.0])
        >>> res = conjugate_gradient(A, b)
        >>> res.status.name, res.nit, res.status == 0
        ('SUCCESS', 2, True)
    """


_BETAS = ("seed", "fletcher-reeves")


def conjugate_gradient(
    A: Any,
    b: Array,
    x0: Array | None = None,
    *,
    tol: float = 1e-10,
    atol: float = 0.0,
    maxiter: int | None = None,
    M: Any = None,
    beta: str = "seed",
    on_indefinite: str = "raise",
    store_history: bool = False,
    callback: Callable[[Array], None] | None = None,
) -> CGResult:
    """Solve ``A x = b`` for symmetric positive definite ``A`` by (preconditioned) CG.

    With ``r = b - A x = -grad C`` and preconditioned residual ``z = M r`` (``z = r``
    without ``M``), each iteration takes the exact line-search step and the next
    ``A``-conjugate direction, in Liquet et al.'s form (§4.5):

    .. math::

        \\alpha_t = -\\frac{p_t^\\top (A x_t - b)}{p_t^\\top A p_t},\\qquad
        x_{t+1} = x_t + \\alpha_t p_t,\\qquad
        \\beta_t = -\\frac{z_{t+1}^\\top A p_t}{p_t^\\top A p_t},\\qquad
        p_{t+1} = z_{t+1} + \\beta_t p_t,

    so that ``p_{t+1}^T A p_t = 0``. ``beta="fletcher-reeves"`` uses the equivalent (in exact
    arithmetic) ``beta_t = r_{t+1}^T z_{t+1} / r_t^T z_t`` of Hestenes and Stiefel (1952).
    Stops when ``||r|| <= max(tol ||b||, atol)``.

    Args:
        A: SPD matrix ``(n, n)``, an object with ``A @ v``, or a callable ``v -> A v``.
        b: Right-hand side, shape ``(n,)``.
        x0: Starting guess (default zeros).
        tol: Relative residual tolerance.
        atol: Absolute residual tolerance.
        maxiter: Maximum iterations (default ``10 n``; ``n`` suffice in exact arithmetic).
        M: Preconditioner approximating ``A^{-1}``: a matrix, an object with ``M @ v``, a
            callable ``r -> M r``, or ``"jacobi"`` (``1 / diag(A)``, matrix ``A`` only). It
            must be SPD.
        beta: ``"seed"`` (default) or ``"fletcher-reeves"``.
        on_indefinite: ``"raise"`` a :class:`NotPositiveDefiniteError` on ``p^T A p <= 0``,
            or ``"return"`` the iterate so far with that direction in ``curvature_direction``
            (what a truncated-Newton solver wants).
        store_history: Keep all residuals and directions (``O(n nit)`` memory).
        callback: Called as ``callback(x)`` after every iteration.

    Returns:
        A :class:`CGResult`.

    Raises:
        ValueError: Shape mismatch, non-symmetric dense ``A``, bad options.
        NotPositiveDefiniteError: ``p^T A p <= 0`` met and ``on_indefinite="raise"``.

    Example:
        >>> A = np.array([[4.0, 1.0], [1.0, 3.0]]); b = np.array([1.0, 2.0])
        >>> res = conjugate_gradient(A, b)
        >>> res.nit, bool(np.allclose(A @ res.x, b))
        (2, True)

    References: M. R. Hestenes and E. Stiefel, Methods of conjugate gradients for solving
    linear systems, J. Res. NBS 49 (1952); Liquet, Moka & Nazarathy, §4.5; Nocedal & Wright,
    Numerical Optimization, Alg. 5.3 (preconditioned CG).
    """
    b = _as_vector(b, "b")
    n = b.size
    matvec = _operator(A, n, "A")
    precond = _preconditioner(M, A, n)
    tol, atol = check_nonnegative_float(tol, "tol"), check_nonnegative_float(atol, "atol")
    check_choice(beta, "beta", _BETAS)
    check_choice(on_indefinite, "on_indefinite", ("raise", "return"))
    maxiter = 10 * n if maxiter is None else check_positive_int(maxiter, "maxiter", minimum=0)
    state = _initial_state(b, x0, matvec, precond, store_history)
    threshold = max(tol * float(np.linalg.norm(b)), atol)
    status = _iterate(state, matvec, precond, beta, maxiter, threshold, callback)
    if status is Status.NONPOSITIVE_CURVATURE and on_indefinite == "raise":
        raise _indefinite_error(state)
    return state.result(status, matvec)


def _initial_state(
    b: Array, x0: Array | None, matvec: MatVec, precond: MatVec | None, store: bool
) -> _CGState:
    """State at ``x0`` (zeros by default, which saves the product ``A x0``)."""
    x = np.zeros(b.size) if x0 is None else _as_vector(x0, "x0", b.size).copy()
    r0 = b - matvec(x) if x0 is not None else b.copy()
    state = _CGState(b, x, r0, precond, store)
    state.nmatvec = int(x0 is not None)
    return state


def _iterate(
    state: _CGState,
    matvec: MatVec,
    precond: MatVec | None,
    beta: str,
    maxiter: int,
    threshold: float,
    callback: Callable[[Array], None] | None,
) -> Status:
    """Run CG steps until ``||r|| <= threshold``, a breakdown, or ``maxiter`` steps."""
    status = Status.MAX_ITER
    for _ in range(maxiter):
        if state.rnorm <= threshold:
            return Status.SUCCESS
        status = state.iterate(matvec, precond, beta)
        if status is not Status.MAX_ITER:
            return status
        if callback is not None:
            callback(state.x.copy())
    return Status.SUCCESS if state.rnorm <= threshold else status


def _indefinite_error(state: _CGState) -> NotPositiveDefiniteError:
    return NotPositiveDefiniteError(
        f"conjugate_gradient: p^T A p = {state.curvature:.3g} <= 0 at iteration "
        f"{state.nit}, so A (or the preconditioner M) is not positive definite; use a "
        "solver for indefinite systems (e.g. scipy.sparse.linalg.minres) or pass "
        "on_indefinite='return' to get the negative-curvature direction"
    )


@dataclass
class _CGState:
    b: Array
    x: Array
    r: Array
    precond: MatVec | None
    store: bool
    nit: int = 0
    nmatvec: int = 0
    curvature: float = 0.0
    neg_dir: Array | None = None

    def __post_init__(self) -> None:
        self.z = self.r if self.precond is None else self.precond(self.r)
        self.rz = float(self.r @ self.z)
        self.p = self.z.copy()
        self.rnorm = float(np.linalg.norm(self.r))
        self.norms = [self.rnorm]
        self.rs, self.ps = ([self.r.copy()], []) if self.store else ([], [])

    def iterate(self, matvec: MatVec, precond: MatVec | None, beta: str) -> Status:
        """One CG step; returns ``MAX_ITER`` to mean "keep going"."""
        Ap = matvec(self.p)
        self.nmatvec += 1
        self.curvature = curv = float(self.p @ Ap)
        if not np.isfinite(curv):
            return Status.NON_FINITE
        if curv <= 0.0:
            self.neg_dir = self.p.copy()
            return Status.NONPOSITIVE_CURVATURE
        alpha = float(self.p @ self.r) / curv  # = -p^T (A x - b) / p^T A p
        x_new, r_new = self.x + alpha * self.p, self.r - alpha * Ap
        if not (np.all(np.isfinite(x_new)) and np.all(np.isfinite(r_new))):
            return Status.NON_FINITE
        if self.store:
            self.ps.append(self.p.copy())
            self.rs.append(r_new.copy())
        self.x, self.r, self.nit = x_new, r_new, self.nit + 1
        self.z = r_new if precond is None else precond(r_new)
        rz_new = float(r_new @ self.z)
        if beta == "seed":
            b_t = -float(self.z @ Ap) / curv  # makes p_{t+1}^T A p_t = 0
        else:
            b_t = rz_new / self.rz
        self.rz = rz_new
        self.p = self.z + b_t * self.p
        self.rnorm = float(np.linalg.norm(r_new))
        self.norms.append(self.rnorm)
        return Status.MAX_ITER

    def result(self, status: Status, matvec: MatVec) -> CGResult:
        # r is updated recursively; recompute b - A x once for an honest final report.
        true_residual = float(np.linalg.norm(self.b - matvec(self.x)))
        return CGResult(
            x=self.x, success=status is Status.SUCCESS, status=status,
            message=_MESSAGES[status], nit=self.nit, nmatvec=self.nmatvec + 1,
            residual_norm=true_residual, residual_norms=np.array(self.norms),
            residuals=np.array(self.rs) if self.store else None,
            directions=np.array(self.ps).reshape(-1, self.x.size) if self.store else None,
            curvature_direction=self.neg_dir,
        )  # fmt: skip


def _as_vector(v: Any, name: str, n: int | None = None) -> Array:
    arr = np.asarray(v, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D vector, got shape {arr.shape}; use .ravel()")
    if n is not None and arr.size != n:
        raise ValueError(f"{name} has {arr.size} entries but b has {n}")
    return arr


def _operator(A: Any, n: int, name: str) -> MatVec:
    """``v -> A v`` after checking shapes (and symmetry of a dense matrix)."""
    if isinstance(A, np.ndarray) or (hasattr(A, "shape") and not callable(A)):
        shape = tuple(A.shape)
        if shape != (n, n):
            raise ValueError(f"{name} has shape {shape} but b has {n} entries; need ({n}, {n})")
        if isinstance(A, np.ndarray):
            Ad = np.asarray(A, dtype=float)
            scale = np.max(np.abs(Ad)) if Ad.size else 0.0
            if not np.allclose(Ad, Ad.T, rtol=0.0, atol=1e-12 * scale):
                raise ValueError(f"{name} must be symmetric; CG needs an SPD matrix")
            return lambda v: Ad @ v
        return lambda v: np.asarray(A @ v, dtype=float).reshape(n)
    if callable(A):

        def checked(v: Array) -> Array:
            out = np.asarray(A(v), dtype=float)
            if out.shape != (n,):
                raise ValueError(f"{name}(v) returned shape {out.shape}, expected ({n},)")
            return out

        return checked
    raise TypeError(f"{name} must be a matrix, support {name} @ v, or be a callable v -> {name} v")


def _preconditioner(M: Any, A: Any, n: int) -> MatVec | None:
    if M is None:
        return None
    if isinstance(M, str):
        if M != "jacobi":
            raise ValueError(f"unknown preconditioner {M!r}; use 'jacobi', a matrix or a callable")
        if not isinstance(A, np.ndarray):
            raise ValueError("M='jacobi' needs A as a dense matrix; pass M as a callable instead")
        d = np.diag(A).astype(float)
        if np.any(d <= 0.0):
            raise ValueError("M='jacobi' needs a positive diagonal; A is not SPD")
        inv = 1.0 / d
        return lambda r: inv * r
    return _operator(M, n, "M")

