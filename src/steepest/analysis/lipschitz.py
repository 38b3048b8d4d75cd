"""Sampled estimates of Lipschitz constants of f and of ∇f on a box.

Goodfellow et al., *Deep Learning*, §4.3.1, eq. 4.13: f is L-Lipschitz on D when
|f(x) − f(y)| ≤ L ‖x − y‖ for all x, y in D; gradient methods are analysed with the Lipschitz
constant of ∇f, the bound L on ‖∇f(x) − ∇f(y)‖ / ‖x − y‖ (for C² functions on a convex set,
L = sup ‖∇²f‖₂ — the curvature that caps the safe step size 2/L).

Sampling can only *under*-estimate a supremum: every number returned here is attained by some
pair or point of D, hence a lower bound on the true constant, never a certificate. We combine
two sources: difference quotients over all pairs of sampled points, and local constants at the
samples (‖∇f(x)‖ for f; ‖∇²f(x)‖₂ = max|λ| for ∇f), which are the limits of the quotients for
nearby pairs and usually the larger of the two.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial.distance import pdist

from .._validate import check_bounds, check_choice, check_positive_int, check_seed
from ..objective import Objective
from ._inputs import GradFn, HessFn, HvpFn, ScalarFn, analysis_objective
from .lanczos import lanczos_extremes

__all__ = ["LipschitzTarget", "LipschitzEstimate", "lipschitz_estimate"]


class LipschitzTarget(enum.StrEnum):
    """Whose Lipschitz constant is estimated.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3.1 (eq. 4.13: Lipschitz continuity of f or of its
        gradient).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import lipschitz_estimate
        >>> lipschitz_estimate(lambda x: 0.5 * x @ x, [(-1, 1)], grad=lambda x: x).target.value
        'gradient'
    """

    FUNCTION = "function"
    GRADIENT = "gradient"


@dataclass(frozen=True)
class LipschitzEstimate:
    """A sampled **lower bound** on a Lipschitz constant over a box.

    Attributes:
        constant: max(pair_bound, local_bound) — the estimate (a lower bound).
        target: :class:`LipschitzTarget` (function or gradient).
        pair_bound: largest difference quotient over sampled pairs.
        pair: the two points attaining ``pair_bound``, shape ``(2, n)``.
        local_bound: largest local constant at the samples (‖∇f‖ or ‖∇²f‖₂).
        local_point: the sample attaining ``local_bound``.
        n_samples: points sampled.
        is_lower_bound: always True: sampling cannot certify a supremum.
        note: a sentence saying so.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3.1 (eq. 4.13).

    Example:
        >>> import numpy as np
        >>> from steepest.analysis import lipschitz_estimate
        >>> est = lipschitz_estimate(lambda x: np.sin(x[0]), [(-1, 1)], of="function")
        >>> est.target is LipschitzTarget.FUNCTION, round(est.constant, 3), est.is_lower_bound
        (True, 1.0, True)
    """

    constant: float
    target: LipschitzTarget
    pair_bound: float
    pair: np.ndarray
    local_bound: float
    local_point: np.ndarray
    n_samples: int
    is_lower_bound: bool
    note: str


def lipschitz_estimate(f: ScalarFn, domain: Any, *, of: str = "gradient",
                       n_samples: int = 200, n_local: int | None = None, refine: int = 20,
                       seed: int = 0, grad: GradFn | None = None, hess: HessFn | None = None,
                       hvp: HvpFn | None = None) -> LipschitzEstimate:
    """Estimate (from below) the Lipschitz constant of f or ∇f on the box ``domain``.

    .. math:: \\hat L = \\max\\Big(\\max_{i<j} \\frac{\\|\\nabla f(x_i)-\\nabla f(x_j)\\|}
              {\\|x_i-x_j\\|},\\ \\max_i \\|\\nabla^2 f(x_i)\\|_2\\Big) \\le L
              \\quad(\\text{for } \\nabla f; \\text{ for } f \\text{ use } |f_i-f_j|
              \\text{ and } \\|\\nabla f(x_i)\\|)

    Args:
        f: scalar function.
        domain: box ``[(low, high), ...]``.
        of: "function" (constant of f) or "gradient" (constant of ∇f).
        n_samples: uniform samples in the box (all pairs are used).
        n_local: samples at which the local constant is computed (default all for "function",
            min(n_samples, 64) Hessians for "gradient"; λmax by Lanczos when n > 400).
        refine: steps of a shrinking random local search (inside the box) that pushes the best
            local constant up from the best sample; 0 turns it off. Every point it accepts is
            in the box, so the result stays a lower bound.
        seed: seed of the samples.
        grad, hess, hvp: optional derivative callables; by default :mod:`steepest.autodiff`.

    Returns:
        A :class:`LipschitzEstimate`; ``constant`` is a lower bound on the true constant.

    Example:
        >>> import numpy as np
        >>> A = np.diag([1.0, 10.0])
        >>> est = lipschitz_estimate(lambda x: 0.5 * x @ A @ x, [(-1, 1), (-1, 1)],
        ...                          grad=lambda x: A @ x, hess=lambda x: A)
        >>> round(est.constant, 12), est.is_lower_bound   # exact here: L = lambda_max
        (10.0, True)

    Reference: Goodfellow et al., *Deep Learning*, §4.3.1, eq. 4.13.
    """
    check_choice(of, "of", ("function", "gradient"))
    target = LipschitzTarget(of)
    box = check_bounds(domain)
    m = check_positive_int(n_samples, "n_samples", minimum=2)
    obj, _ = analysis_objective(f, box.mean(axis=1), grad, hess, hvp)
    rng = np.random.default_rng(check_seed(seed))
    X = box[:, 0] + rng.random((m, box.shape[0])) * (box[:, 1] - box[:, 0])
    G = np.array([obj.grad(x) for x in X])
    if target is LipschitzTarget.FUNCTION:
        values = np.array([obj.f(x) for x in X])[:, None]
        local = np.linalg.norm(G, axis=1)

        def local_fn(x: np.ndarray) -> float:
            return float(np.linalg.norm(obj.grad(x)))
    else:
        values = G
        k = min(m, 64) if n_local is None else min(check_positive_int(n_local, "n_local"), m)
        local = np.full(m, -np.inf)
        local[:k] = [_hessian_norm(obj, x) for x in X[:k]]

        def local_fn(x: np.ndarray) -> float:
            return _hessian_norm(obj, x)
    pair_bound, pair = _best_pair(X, values)
    i = int(np.argmax(local))
    steps = check_positive_int(refine, "refine", minimum=0)
    best_x, best_local = _refine(local_fn, X[i], float(local[i]), box, steps, rng)
    const = max(pair_bound, best_local)
    note = ("a sampled lower bound on the Lipschitz constant of "
            f"{'f' if target is LipschitzTarget.FUNCTION else 'grad f'} over the box, not a "
            "certificate: the true constant may be larger between or beyond the samples")
    return LipschitzEstimate(const, target, pair_bound, pair, best_local, best_x, m, True, note)


def _refine(local_fn: Any, x: np.ndarray, value: float, box: np.ndarray, steps: int,
            rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Random local search for a larger local constant; the radius halves after a miss."""
    radius = 0.1 * (box[:, 1] - box[:, 0])
    best_x, best = x.copy(), value
    for _ in range(steps):
        cand = np.clip(best_x + radius * rng.standard_normal(x.size), box[:, 0], box[:, 1])
        val = local_fn(cand)
        if val > best:
            best_x, best = cand, val
        else:
            radius = 0.5 * radius
    return best_x, best


def _best_pair(X: np.ndarray, values: np.ndarray) -> tuple[float, np.ndarray]:
    dx = pdist(X)
    dv = pdist(values)
    ok = dx > 0
    ratios = np.where(ok, dv / np.where(ok, dx, 1.0), 0.0)
    best = int(np.argmax(ratios))
    i, j = _pair_index(best, X.shape[0])
    return float(ratios[best]), np.stack([X[i], X[j]])


def _pair_index(k: int, m: int) -> tuple[int, int]:
    """Inverse of the condensed-distance index used by ``scipy.spatial.distance.pdist``."""
    i = int(m - 2 - np.floor(np.sqrt(-8 * k + 4 * m * (m - 1) - 7) / 2.0 - 0.5))
    j = int(k + i + 1 - m * (m - 1) // 2 + (m - i) * ((m - i) - 1) // 2)
    return i, j


def _hessian_norm(obj: Objective, x: np.ndarray) -> float:
    if obj.n <= 400:
        return float(np.max(np.abs(np.linalg.eigvalsh(obj.hessian(x, symmetric=True)))))
    res = lanczos_extremes(lambda v: obj.hessp(x, v), obj.n, tol=1e-8)
    return float(np.max(np.abs(res.eigenvalues)))

