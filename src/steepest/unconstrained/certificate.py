r"""What is known about an end point: gradient norm and, when affordable, Hessian curvature.

For ``n <= certify_max_n`` (default 2000) the Hessian at the end point is taken from the
user's ``hess``, else from autodiff, else (``n <= 200``) from central differences of the
gradient. Its eigenvalues classify the point by the second-derivative test (Goodfellow et al.
§4.3.1) with scale-aware tolerances: with :math:`\|H\| = \max|\lambda|` and
:math:`s = \max(\|x\|, 1)`,

* :math:`\|g\|_2 > 10^{-3}\|H\| s`: ``"not_critical"`` (the solver stopped short);
* eigenvalues of both signs beyond :math:`\sqrt{\epsilon}\|H\|`: ``"saddle"``;
* otherwise an eigenvalue within that band: ``"inconclusive"``;
* otherwise ``"minimum"`` (all positive) or ``"maximum"`` (all negative).

The test is :func:`steepest.analysis.classify_critical_point`'s, applied to the eigenvalues
already computed (no second objective, Hessian or eigen-decomposition). Evaluations spent on the
certificate are reported in it and not added to ``nfev``/``njev``/``nhev``.

Example:
    >>> import numpy as np
    >>> from steepest.objective import Objective
    >>> obj = Objective(lambda x: x[0] ** 2 - x[1] ** 2, np.zeros(2))
    >>> cert = certify_point(obj, obj.x0, np.zeros(2), 0.0)
    >>> cert.kind, cert.hessian_source, obj.nhev
    ('saddle', 'autodiff', 0)
"""

from __future__ import annotations

import numpy as np

from ..objective import Objective
from .result import Certificate

__all__ = ["certify_point", "classify_eigenvalues"]

_FD_MAX_N = 200
STATIONARY_REL = 1e-3
_EIG_REL = float(np.sqrt(np.finfo(float).eps))


def classify_eigenvalues(eig: np.ndarray, eig_tol: float | None = None) -> str:
    """``"minimum"``, ``"maximum"``, ``"saddle"`` or ``"inconclusive"`` from eigenvalues.

    Example:
        >>> classify_eigenvalues(np.array([1.0, -2.0]))
        'saddle'
    """
    scale = float(np.max(np.abs(eig))) if eig.size else 0.0
    tol = _EIG_REL * scale if eig_tol is None else eig_tol
    pos, neg = bool(np.any(eig > tol)), bool(np.any(eig < -tol))
    if pos and neg:
        return "saddle"
    if not eig.size or np.any(np.abs(eig) <= tol):
        return "inconclusive"
    return "minimum" if pos else "maximum"


def _second_derivative_test(x: np.ndarray, gnorm: float, eig: np.ndarray) -> str:
    """:func:`steepest.analysis.classify_critical_point`'s test with ``grad_tol`` =
    ``1e-3 ‖H‖ max(‖x‖, 1)`` and ``eig_tol`` = ``√ε ‖H‖``, on the eigenvalues of the
    symmetric Hessian, ``eig`` ascending (as ``np.linalg.eigvalsh`` returns them): only the
    extremes and the sign band around zero are read, with Python floats."""
    lo, hi = float(eig[0]), float(eig[-1])
    hn = max(-lo, hi)  # max |λ| of sorted λ
    grad_tol = STATIONARY_REL * hn * max(float(np.linalg.norm(x)), 1.0)
    if gnorm > grad_tol:
        return "not_critical"
    tol = _EIG_REL * hn
    pos, neg = hi > tol, lo < -tol
    if pos and neg:
        return "saddle"
    if (lo <= tol) if pos else (hi >= -tol):  # an eigenvalue in [-tol, tol]
        return "inconclusive"
    return "minimum" if pos else "maximum"


def certify_point(obj: Objective, x: np.ndarray, g: np.ndarray, f: float,
                  max_n: int = 2000) -> Certificate:
    """Certificate for the flat point ``x`` with value ``f`` and gradient ``g`` of ``obj``.

    Args:
        obj: the :class:`~steepest.objective.Objective` (its sign is undone, so the
            classification is of the user's ``f``: a ``maximize`` run ends at a "maximum").
        x, g, f: end point, gradient and value (of the minimised objective).
        max_n: largest n for which a Hessian is computed.

    Returns:
        A :class:`~steepest.unconstrained.result.Certificate`: the gradient norm always; the
        kind, eigenvalues and Hessian source when a Hessian was affordable (n <= ``max_n``,
        and n <= 200 for one from finite differences of the gradient).
    """
    gnorm = float(np.linalg.norm(g))
    if x.size > max_n or not np.isfinite(x).all():
        return Certificate(gnorm)
    counts = (obj.nfev, obj.njev, obj.nhev)
    try:
        H, source = _hessian(obj, x)
    except Exception:  # noqa: BLE001 - a certificate never breaks a finished run
        H, source = None, ""
    spent = (obj.nfev - counts[0]) + (obj.njev - counts[1]) + (obj.nhev - counts[2])
    obj.nfev, obj.njev, obj.nhev = counts
    if H is None or not np.isfinite(H).all():
        return Certificate(gnorm, evaluations=spent)
    H = obj.sign * 0.5 * (H + H.T)
    eig = np.linalg.eigvalsh(H)
    kind = _second_derivative_test(x, gnorm, eig)
    return Certificate(gnorm, kind, eig, source, spent)


def _hessian(obj: Objective, x: np.ndarray) -> tuple[np.ndarray | None, str]:
    source = obj.hessian_source
    if source in ("hessp", "update"):  # the user's products, or a quasi-Newton approximation
        source = "autodiff" if obj.traceable else "finite differences"
    if source == "finite differences" and x.size > _FD_MAX_N:
        return None, ""
    return obj.hessian(x, source=source), source
