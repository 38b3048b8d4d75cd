"""Scalar test lines phi(alpha) with phi'(0) < 0, and the Wolfe checks recomputed from phi."""

import numpy as np

C1, C2 = 1e-4, 0.9


def check_wolfe(phi, dphi, step, c1, c2=None, strong=True):
    """The conditions recomputed from phi itself, not read off the result's own flags."""
    p0, d0 = phi(0.0), dphi(0.0)
    assert step > 0 and phi(step) <= p0 + c1 * step * d0  # Armijo, eq. (sufficient decrease)
    if c2 is not None:
        d = dphi(step)
        assert (abs(d) if strong else -d) <= -c2 * d0


def phis():
    """Some 1-D functions with phi'(0) < 0."""
    return [
        (lambda a: (a - 3.0) ** 2, lambda a: 2 * (a - 3.0)),
        (lambda a: np.exp(-a) + 0.1 * a * a, lambda a: -np.exp(-a) + 0.2 * a),
        (lambda a: -a + a ** 4, lambda a: -1 + 4 * a ** 3),
        (lambda a: np.log1p(np.exp(5 - 10 * a)) + 0.01 * a,
         lambda a: -10 / (1 + np.exp(10 * a - 5)) + 0.01),
    ]
