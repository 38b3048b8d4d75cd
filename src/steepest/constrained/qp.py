"""Small dense quadratic programs: the subproblems of SQP.

``solve_eqp`` solves the equality-constrained QP min ½pᵀBp + cᵀp s.t. Ap = −r through its KKT
system [[B, Aᵀ], [A, 0]] [p; y] = −[c; r], correcting the inertia so that the reduced Hessian is
positive definite (Nocedal & Wright §16.1, §18.3): when the KKT matrix does not have exactly n
positive and m negative eigenvalues, B ← B + δI (δ grown ×10) and, for a rank-deficient A, a
small −εI is placed in the (2, 2) block.

``solve_iqp`` adds inequalities Gp ≤ −s with a primal–dual active-set iteration (Hintermüller,
Ito & Kunisch 2002): W ← {j : αⱼ > 0} ∪ {j ∉ W : sⱼ + Gⱼp > 0}, each working set giving one EQP;
a repeated working set switches to one-at-a-time changes (add the most violated / drop the most
negative multiplier), which cannot cycle on a strictly convex reduced problem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["QPSolution", "solve_eqp", "solve_iqp"]


@dataclass(frozen=True)
class QPSolution:
    """p: step. y_eq: equality multipliers. y_in: inequality multipliers (≥ 0 on success).
    working: indices of the inequalities held as equalities. shift: inertia correction δ used.
    converged: the active-set iteration found a consistent working set."""

    p: np.ndarray
    y_eq: np.ndarray
    y_in: np.ndarray
    working: tuple[int, ...]
    shift: float
    converged: bool


def solve_eqp(B, c, A, r, *, max_tries: int = 40):
    """Solve min ½pᵀBp + cᵀp s.t. Ap = −r; returns (p, y, δ) with Bp + Aᵀy = −c − δp."""
    n, m = B.shape[0], A.shape[0]
    scale = max(1.0, float(np.max(np.abs(B), initial=0.0)))
    delta, eps = 0.0, 0.0
    for _ in range(max_tries):
        K = np.zeros((n + m, n + m))
        K[:n, :n] = B + delta * np.eye(n)
        K[:n, n:] = A.T
        K[n:, :n] = A
        K[n:, n:] = -eps * np.eye(m)
        ev = np.linalg.eigvalsh(K)
        cut = 1e-13 * max(scale, float(np.max(np.abs(ev), initial=1.0)))
        npos, nneg = int(np.sum(ev > cut)), int(np.sum(ev < -cut))
        if npos == n and nneg == m:
            sol = np.linalg.solve(K, -np.concatenate([c, r]))
            return sol[:n], sol[n:], delta
        if nneg < m and npos >= n:
            eps = max(1e-10 * scale, 10 * eps)  # dependent constraint rows
        else:
            delta = max(1e-8 * scale, 10 * delta)
            if nneg < m:
                eps = max(1e-10 * scale, eps)
    raise np.linalg.LinAlgError("could not correct the inertia of the KKT matrix")


def solve_iqp(B, c, A, r, G, s, working=(), *, maxiter: int = 200) -> QPSolution:
    """Solve min ½pᵀBp + cᵀp s.t. Ap = −r, Gp ≤ −s by primal–dual active sets.

    Args:
        B: (n, n) Hessian (indefinite allowed; the inertia is corrected per working set).
        c: (n,) gradient. A, r: equality data. G, s: inequality data.
        working: initial guess of the active inequalities (e.g. the previous SQP iteration's).
    """
    m, q = A.shape[0], G.shape[0]
    W = sorted({int(j) for j in working if 0 <= j < q})
    seen: set[tuple[int, ...]] = set()
    single = False
    shift = 0.0
    for _ in range(maxiter):
        AW = np.vstack([A, G[W]]) if W else A
        rW = np.concatenate([r, s[W]]) if W else r
        p, y, shift = solve_eqp(B, c, AW, rW)
        y_in = np.zeros(q)
        y_in[W] = y[m:]
        slack = s + G @ p
        viol = np.where(np.isin(np.arange(q), W), -np.inf, slack)
        neg = np.where(np.isin(np.arange(q), W), y_in, np.inf)
        tol = 1e-12 * (1.0 + float(np.max(np.abs(s), initial=0.0)))
        if (q == 0) or (np.max(viol) <= tol and np.min(neg) >= -tol):
            return QPSolution(p, y[:m], np.maximum(y_in, 0.0), tuple(W), shift, True)
        key = tuple(W)
        single = single or key in seen
        seen.add(key)
        if single:  # one change at a time: drop the most negative, else add the most violated
            if np.min(neg) < -tol:
                W.remove(int(np.argmin(neg)))
            else:
                W = sorted(set(W) | {int(np.argmax(viol))})
        else:
            W = sorted({j for j in W if y_in[j] > 0} | {j for j in range(q) if viol[j] > tol})
    return QPSolution(p, y[:m], np.maximum(y_in, 0.0), tuple(W), shift, False)
