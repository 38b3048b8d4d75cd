"""The cheaper arithmetic of BFGS's step keeps scipy's bits: the product-form update against
scipy's own expression, the curvature test against the np.linalg.norm form."""

from __future__ import annotations

import numpy as np
import pytest

from steepest.unconstrained.solvers.quasi_newton import _apply_product, _curvature_ok


def _scipy_update(H: np.ndarray, s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """scipy's ``_minimize_bfgs`` update, as written there."""
    rho = 1.0 / (y @ s)
    eye = np.eye(H.shape[0])
    a1 = eye - s[:, np.newaxis] * y[np.newaxis, :] * rho
    a2 = eye - y[:, np.newaxis] * s[np.newaxis, :] * rho
    return a1 @ (H @ a2) + (rho * s[:, np.newaxis] * s[np.newaxis, :])


@pytest.mark.parametrize("n", [1, 2, 3, 5, 17, 64, 200])
def test_product_update_is_scipys_to_the_bit(n):
    rng = np.random.default_rng(n)
    for _ in range(4):
        A = rng.standard_normal((n, n))
        H = A @ A.T + n * np.eye(n)
        s = rng.standard_normal(n) * 10.0 ** rng.uniform(-6, 2)
        y = s + 0.3 * rng.standard_normal(n) * np.abs(s)
        expected = _scipy_update(H, s, y)
        _apply_product(H, s, y, float(s @ y))
        np.testing.assert_array_equal(H, expected)


def test_curvature_test_decides_as_with_np_linalg_norm():
    rng = np.random.default_rng(3)
    for _ in range(500):
        n = int(rng.integers(1, 20))
        s, y = rng.standard_normal(n), rng.standard_normal(n)
        bound = 1e-10 * np.linalg.norm(s) * np.linalg.norm(y)
        for sy in (float(s @ y), bound, np.nextafter(bound, np.inf), -bound):
            assert _curvature_ok(sy, s, y) == bool(sy > bound)
