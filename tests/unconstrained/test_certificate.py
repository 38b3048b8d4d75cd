"""The fallback classifier of the optimize certificate agrees with steepest.analysis."""

import numpy as np
import pytest

from steepest.analysis import classify_critical_point
from steepest.unconstrained.certificate import classify_eigenvalues


@pytest.mark.parametrize("eig,kind", [
    ([1.0, 2.0], "minimum"), ([-1.0, -2.0], "maximum"), ([1.0, -2.0], "saddle"),
    ([0.0, 2.0], "inconclusive"), ([0.0, -2.0], "inconclusive"), ([0.0, 1.0, -1.0], "saddle"),
    ([1e-12, 1.0], "inconclusive"), ([], "inconclusive"),
])
def test_second_derivative_test_cases(eig, kind):
    assert classify_eigenvalues(np.array(eig)) == kind


def test_fallback_agrees_with_classify_critical_point_on_random_spectra():
    """At a critical point (g = 0) both apply the same test with the same eigenvalue band."""
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(1, 5))
        eig = rng.choice([-1.0, 0.0, 1.0], size=n) * 10.0 ** rng.uniform(-3, 3, n)
        Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        H = Q @ np.diag(eig) @ Q.T
        tol = 1e-8 * max(float(np.max(np.abs(eig))), 1.0)
        cp = classify_critical_point(lambda _: 0.0, np.zeros(n), grad=np.zeros_like,
                                     hess=lambda _, H=H: H, grad_tol=1.0, eig_tol=tol)
        assert classify_eigenvalues(np.linalg.eigvalsh(H), tol) == cp.kind.value
