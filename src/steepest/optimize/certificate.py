"""What is known about an end point: gradient norm and, when affordable, Hessian curvature.

For ``n <= certify_max_n`` (default 2000) the Hessian at the end point is taken from the
user's ``hess``, else from autodiff, else (``n <= 200``) from central differences of the
gradient; its eigenvalues classify the point as a minimum (all positive), maximum (all
negative), saddle (both signs) or degenerate (an eigenvalue within
``sqrt(eps) * max|lambda|`` of zero). Evaluations spent here are reported in the certificate
and not added to ``nfev``/``njev``/``nhev``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .result import Certificate

__all__ = ["certify_point", "classify_eigenvalues"]

_FD_MAX_N = 200


def classify_eigenvalues(eig: np.ndarray) -> str:
    """``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"degenerate"`` from Hessian eigenvalues.

    Example:
        >>> classify_eigenvalues(np.array([1.0, -2.0]))
        'saddle'
    """
    scale = max(float(np.max(np.abs(eig))), np.finfo(float).tiny)
    tol = np.sqrt(np.finfo(float).eps) * scale
    pos, neg = bool(np.any(eig > tol)), bool(np.any(eig < -tol))
    if pos and neg:
        return "saddle"
    if np.any(np.abs(eig) <= tol):
        return "degenerate"
    return "minimum" if pos else "maximum"


def certify_point(obj: Any, x: np.ndarray, g: np.ndarray, max_n: int = 2000,
                  stationary_tol: float = 1e-3) -> Certificate:
    """Certificate for the flat point ``x`` with gradient ``g`` of objective ``obj``.

    Args:
        obj: the :class:`~steepest.optimize.objective.Objective` (its sign is undone, so the
            classification is of the user's ``f``: a ``maximize`` run ends at a "maximum").
        x, g: end point and gradient (of the minimised objective).
        max_n: largest n for which a Hessian is computed.
        stationary_tol: above this gradient 2-norm the point is reported ``"not stationary"``.
    """
    gnorm = float(np.linalg.norm(g))
    if x.size > max_n or not np.all(np.isfinite(x)):
        return Certificate(gnorm)
    counts = (obj.nfev, obj.njev, obj.nhev)
    try:
        H, source = _hessian(obj, x)
    except Exception:  # noqa: BLE001 - a certificate never breaks a finished run
        H, source = None, ""
    spent = (obj.nfev - counts[0]) + (obj.njev - counts[1]) + (obj.nhev - counts[2])
    obj.nfev, obj.njev, obj.nhev = counts
    if H is None or not np.all(np.isfinite(H)):
        return Certificate(gnorm, evaluations=spent)
    eig = np.linalg.eigvalsh(obj.sign * 0.5 * (H + H.T))
    kind = classify_eigenvalues(eig) if gnorm <= stationary_tol else "not stationary"
    return Certificate(gnorm, kind, eig, source, spent)


def _hessian(obj: Any, x: np.ndarray) -> tuple[np.ndarray | None, str]:
    if obj.has_hessian:
        return obj.hessian(x), "hess"
    if obj.jac is None:
        from .objective import _autodiff

        if _autodiff("hessian") is not None:
            return obj.hessian(x), "autodiff"
    if x.size <= _FD_MAX_N:
        return obj._fd_hessian(x), "finite differences"
    return None, ""
