"""The fallback classifier of the optimize certificate agrees with steepest.analysis."""

import numpy as np
import pytest

from steepest.analysis import classify_critical_point
from steepest.objective import Objective
from steepest.unconstrained.certificate import STATIONARY_REL, certify_point, classify_eigenvalues


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


def test_certify_point_kind_is_classify_critical_points_at_its_tolerances():
    """The certificate applies classify_critical_point's test to its own eigenvalues: the
    same kind on random quadratics at random points (critical or not)."""
    rng = np.random.default_rng(11)
    kinds = set()
    for _ in range(120):
        n = int(rng.integers(1, 4))
        eig = rng.choice([-1.0, 0.0, 1.0], size=n) * 10.0 ** rng.uniform(-2, 2, n)
        Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        H = Q @ np.diag(eig) @ Q.T
        H = 0.5 * (H + H.T)
        x = rng.standard_normal(n)
        g = rng.standard_normal(n) * 10.0 ** rng.uniform(-8, 0)
        obj = Objective(lambda y: 0.0, x, jac=lambda y, g=g: g, hess=lambda y, H=H: H)
        cert = certify_point(obj, x, g, 0.0)
        hn = float(np.max(np.abs(cert.hessian_eigenvalues)))
        cp = classify_critical_point(
            lambda _: 0.0, x, grad=lambda _, g=g: g, hess=lambda _, H=H: H,
            grad_tol=STATIONARY_REL * hn * max(float(np.linalg.norm(x)), 1.0),
            eig_tol=float(np.sqrt(np.finfo(float).eps)) * hn)
        assert cert.kind == cp.kind.value
        np.testing.assert_array_equal(cert.hessian_eigenvalues, cp.eigenvalues)
        kinds.add(cert.kind)
    assert kinds == {"minimum", "maximum", "saddle", "inconclusive", "not_critical"}
