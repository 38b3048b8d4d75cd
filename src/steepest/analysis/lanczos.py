"""Extreme eigenpairs of a symmetric operator from matrix-vector products alone (Lanczos).

The Lanczos process builds an orthonormal basis Q_j of the Krylov space span{v, Av, ..., A^{j-1}v}
in which A is tridiagonal, ``Q_jᵀ A Q_j = T_j`` (diagonal α, off-diagonal β). The eigenvalues of
T_j (Ritz values) converge first at the ends of the spectrum; the residual of a Ritz pair
(θ, Q_j s) is exactly ``β_j |s_j|`` (the last component of s), which gives a stopping test that
costs nothing extra. We re-orthogonalize fully against all previous vectors (twice, "twice is
enough"), which keeps the basis orthonormal in floating point at O(n j) cost per step and
avoids spurious copies of converged eigenvalues.

Reference: Golub & Van Loan, *Matrix Computations*, 4th ed., §10.1–10.3; Parlett, *The
Symmetric Eigenvalue Problem*, ch. 13.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.linalg import eigh_tridiagonal

from .._validate import check_choice, check_positive_float, check_positive_int, check_seed

__all__ = ["LanczosResult", "lanczos_extremes"]


@dataclass(frozen=True)
class LanczosResult:
    """Extreme Ritz pairs of a symmetric operator.

    Attributes:
        eigenvalues: ascending; the ``k`` smallest and/or ``k`` largest Ritz values, as
            requested by ``which`` (all of them when fewer Lanczos steps were taken than asked).
        eigenvectors: ``(n, m)`` Ritz vectors, column i for ``eigenvalues[i]``.
        residuals: ``‖A y − θ y‖`` for each pair (exact Lanczos bound β_j |s_j|).
        iterations: Lanczos steps taken (= matrix-vector products).
        converged: True when every reported pair met the residual tolerance.
        invariant: True when the Krylov space became invariant (Ritz values exact there).

    Reference:
        Golub & Van Loan, *Matrix Computations*, §10.1 (Lanczos).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import lanczos_extremes
        >>> A = np.diag(np.arange(1.0, 101.0))
        >>> r = lanczos_extremes(lambda v: A @ v, 100)
        >>> r.converged, [round(float(t), 8) for t in r.eigenvalues]
        (True, [1.0, 100.0])
    """

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    residuals: np.ndarray
    iterations: int
    converged: bool
    invariant: bool


def lanczos_extremes(matvec: Callable[[np.ndarray], np.ndarray], n: int, *, k: int = 1,
                     which: str = "both", tol: float = 1e-10, maxiter: int | None = None,
                     seed: int = 0, v0: np.ndarray | None = None) -> LanczosResult:
    """The ``k`` smallest and/or ``k`` largest eigenpairs of a symmetric operator by Lanczos.

    Stops when every wanted Ritz pair has residual ``β_j |s_j| ≤ tol · max|θ|``, so the
    eigenvalue error is at most that residual (Bauer–Fike for symmetric matrices).

    Args:
        matvec: ``v -> A v`` for a symmetric A (e.g. a Hessian-vector product).
        n: dimension.
        k: number of eigenpairs wanted at each requested end of the spectrum.
        which: "both", "largest" or "smallest" — the ends to compute (and to wait for: one
            end often converges much sooner than the other).
        tol: relative residual tolerance.
        maxiter: maximum Lanczos steps; the basis costs ``maxiter · n`` floats (default:
            all n steps when that is at most 2e7 floats, else max(200, 2e7 // n)).
        seed: seed of the random start vector (ignored when ``v0`` is given).
        v0: optional start vector.

    Returns:
        A :class:`LanczosResult`.

    Example:
        >>> import numpy as np
        >>> A = np.diag(np.arange(1.0, 101.0))
        >>> r = lanczos_extremes(lambda v: A @ v, 100)
        >>> [round(float(t), 8) for t in r.eigenvalues]
        [1.0, 100.0]

    Reference: Golub & Van Loan, *Matrix Computations*, §10.1 (Lanczos), §10.3 (practical
    Lanczos with re-orthogonalization).
    """
    n = check_positive_int(n, "n")
    k = check_positive_int(k, "k")
    check_choice(which, "which", tuple(_ENDS))
    tol = check_positive_float(tol, "tol")
    m = _default_steps(n) if maxiter is None else min(check_positive_int(maxiter, "maxiter"), n)
    rng = np.random.default_rng(check_seed(seed))
    q = rng.standard_normal(n) if v0 is None else np.asarray(v0, dtype=float).ravel().copy()
    if q.size != n or not np.linalg.norm(q) > 0:
        raise ValueError(f"v0 must be a nonzero vector of length {n}")
    Q = np.zeros((m, n))  # Lanczos vectors as rows (contiguous)
    Q[0] = q / np.linalg.norm(q)
    alpha, beta = np.zeros(m), np.zeros(m)
    for j in range(m):
        w = np.array(matvec(Q[j].copy()), dtype=float).ravel()
        if w.size != n or not np.all(np.isfinite(w)):
            raise ValueError("matvec returned a wrong-sized or non-finite vector")
        alpha[j] = Q[j] @ w
        basis = Q[: j + 1]
        for _ in range(2):  # full re-orthogonalization, twice
            w -= (basis @ w) @ basis
        beta[j] = np.linalg.norm(w)
        scale = max(np.max(np.abs(alpha[: j + 1])), np.max(beta[: j + 1]), np.finfo(float).tiny)
        invariant = beta[j] <= 1e3 * np.finfo(float).eps * scale
        done = invariant or j + 1 == m
        if done or j + 1 >= (2 * k if which == "both" else k):
            res = _ritz(alpha[: j + 1], beta[:j], beta[j], basis, k, which, tol, invariant)
            if res.converged or done:
                return LanczosResult(res.eigenvalues, res.eigenvectors, res.residuals, j + 1,
                                     res.converged, bool(invariant))
        Q[j + 1] = w / beta[j]
    raise RuntimeError("unreachable: the Lanczos loop always returns")  # pragma: no cover


_ENDS = {
    "both": lambda j, k: np.arange(j) if j <= 2 * k else np.r_[np.arange(k), np.arange(j - k, j)],
    "largest": lambda j, k: np.arange(max(j - k, 0), j),
    "smallest": lambda j, k: np.arange(min(k, j)),
}


def _default_steps(n: int) -> int:
    """Full Lanczos when the basis fits in ~2e7 floats (160 MB), else at least 200 steps."""
    return min(n, max(200, 20_000_000 // n))


def _ritz(alpha: np.ndarray, off: np.ndarray, beta_last: float, basis: np.ndarray, k: int,
          which: str, tol: float, invariant: bool) -> LanczosResult:
    """Wanted Ritz pairs of T_j; only the selected eigenvectors of T_j are computed."""
    j = alpha.size
    idx = _ENDS[which](j, k)
    theta, S = _select_eigh(alpha, off, idx)
    resid = np.abs(beta_last * S[-1]) if not invariant else np.zeros(idx.size)
    scale = max(float(np.max(np.abs(theta))), abs(float(alpha[0])), np.finfo(float).tiny)
    converged = bool(np.all(resid <= tol * scale))
    return LanczosResult(theta, basis.T @ S, resid, j, converged, invariant)


def _select_eigh(alpha: np.ndarray, off: np.ndarray, idx: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Eigenpairs ``idx`` (ascending indices) of the tridiagonal (alpha, off)."""
    j = alpha.size
    if j <= 64 or idx.size >= j // 2:
        theta, S = eigh_tridiagonal(alpha, off)
        return theta[idx], S[:, idx]
    parts = []
    for run in np.split(idx, np.nonzero(np.diff(idx) > 1)[0] + 1):
        parts.append(eigh_tridiagonal(alpha, off, select="i",
                                      select_range=(int(run[0]), int(run[-1]))))
    return np.concatenate([p[0] for p in parts]), np.hstack([p[1] for p in parts])
