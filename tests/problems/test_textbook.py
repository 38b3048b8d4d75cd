import numpy as np
import pytest

from steepest.problems.textbook import (
    NOTEBOOK_COEFFS,
    notebook_polynomial,
    notebook_polynomial_grad,
    notebook_polynomial_hess,
    peaks,
    peaks_grad,
    peaks_hess,
    saddle,
    saddle_grad,
    saddle_hess,
)

from ._fd import central_gradient


def test_notebook_polynomial_is_the_poly1d_of_the_notebook():
    t = np.linspace(-2.5, 2.5, 11)
    np.testing.assert_allclose(notebook_polynomial(t), np.poly1d(NOTEBOOK_COEFFS)(t))
    assert float(notebook_polynomial(np.array([1.3]))) == pytest.approx(
        np.poly1d(NOTEBOOK_COEFFS)(1.3))


@pytest.mark.parametrize("f,g,h", [
    (notebook_polynomial, notebook_polynomial_grad, notebook_polynomial_hess),
    (saddle, saddle_grad, saddle_hess),
    (peaks, peaks_grad, peaks_hess),
])
def test_exact_derivatives_match_central_differences(f, g, h):
    rng = np.random.default_rng(0)
    n = g(np.zeros(2)).size if f is not notebook_polynomial else 1
    for x in rng.uniform(-2, 2, (5, n)):
        fs = lambda z: float(np.asarray(f(z)).sum())  # noqa: E731
        # h = 1e-6 central differences: O(h^2) truncation + O(eps |f| / h) rounding, ~1e-8
        np.testing.assert_allclose(g(x), central_gradient(fs, x), rtol=1e-7, atol=1e-7)
        Hn = np.array([central_gradient(lambda z: g(z)[i], x) for i in range(n)])  # noqa: B023
        np.testing.assert_allclose(h(x), Hn, rtol=1e-7, atol=1e-6)
        np.testing.assert_allclose(h(x), h(x).T)


def test_peaks_grad_broadcasts_over_grids():
    U, V = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-2, 2, 3))
    G = peaks_grad(np.stack([U, V]))
    assert G.shape == (2, 3, 4)
    np.testing.assert_allclose(G[:, 1, 2], peaks_grad([U[1, 2], V[1, 2]]))
    assert peaks_hess(np.stack([U, V])).shape == (2, 2, 3, 4)
