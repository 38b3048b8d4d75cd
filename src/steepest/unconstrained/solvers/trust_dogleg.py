r"""Powell's dogleg step for the trust-region subproblem (scipy's ``dogleg``).

With a positive definite :math:`H` the model :math:`m(p) = g^\top p + \tfrac12 p^\top Hp` is
minimised over the ball :math:`\|p\| \le \Delta` approximately along the path from 0 to the
Cauchy point :math:`p_U = -\frac{g^\top g}{g^\top H g}\,g` (the model minimum along
:math:`-g`) and on to the Newton point :math:`p_N = -H^{-1}g`:

* :math:`\|p_N\| \le \Delta`: the Newton step;
* :math:`\|p_U\| \ge \Delta`: the steepest-descent step to the boundary,
  :math:`-\Delta\, g / \|g\|`;
* otherwise :math:`p_U + \tau(p_N - p_U)` with :math:`\tau \in [0, 1]` the root of
  :math:`\|p_U + \tau(p_N - p_U)\| = \Delta`.

scipy's dogleg stops with "Hessian is not positive definite" when the Cholesky factorisation
fails; here that iteration takes the exact (Moré-Sorensen) step instead, which follows the
negative curvature to the boundary, and the run goes on.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from .trust_exact import solve_trust_subproblem

__all__ = ["dogleg_step"]


def dogleg_step(H: np.ndarray, g: np.ndarray, radius: float) -> np.ndarray:
    r"""The dogleg step for :math:`\min_{\|p\| \le \Delta} g^\top p + \tfrac12 p^\top Hp`.

    Args:
        H: the symmetric Hessian (dense).
        g: the gradient.
        radius: the trust radius :math:`\Delta > 0`.

    Returns:
        The step :math:`p` with :math:`\|p\| \le \Delta`: on the dogleg path when :math:`H` is
        positive definite (Cholesky succeeds), else the exact subproblem solution.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §4.1 (the dogleg method,
        eqs. 4.15-4.16); M. J. D. Powell, "A hybrid method for nonlinear equations" (1970);
        scipy's ``scipy/optimize/_trustregion_dogleg.py``.

    Example:
        >>> import numpy as np
        >>> H, g = np.diag([1.0, 4.0]), np.array([1.0, 4.0])
        >>> dogleg_step(H, g, 10.0).tolist()  # the Newton step fits
        [-1.0, -1.0]
        >>> p = dogleg_step(H, g, 0.5)  # the Cauchy point is outside: along -g
        >>> bool(np.isclose(np.linalg.norm(p), 0.5)), bool(np.isclose(p[0] * g[1], p[1] * g[0]))
        (True, True)
    """
    try:
        factor = linalg.cho_factor(H)
    except linalg.LinAlgError:
        return solve_trust_subproblem(H, g, radius)
    p_newton = -linalg.cho_solve(factor, g)
    if float(np.linalg.norm(p_newton)) <= radius:
        return p_newton
    p_cauchy = -(float(g @ g) / float(g @ (H @ g))) * g
    n_cauchy = float(np.linalg.norm(p_cauchy))
    if n_cauchy >= radius:
        return (radius / n_cauchy) * p_cauchy
    d = p_newton - p_cauchy
    a, b, c = float(d @ d), 2.0 * float(p_cauchy @ d), n_cauchy ** 2 - radius ** 2
    tau = (-b + np.sqrt(b * b - 4.0 * a * c)) / (2.0 * a)
    return p_cauchy + tau * d
