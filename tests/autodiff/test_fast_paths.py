"""Fast paths of the backward pass give the same numbers as the general rules: a uniform
(broadcast) cotangent scaled once, lazy scatters made dense by assignment, and the returned
gradients are ordinary writeable arrays."""

from __future__ import annotations

import numpy as np
import pytest

from steepest.autodiff import check_grads, grad, hvp

X = np.random.default_rng(3).uniform(-1, 1, 6000)

CASES = [
    ("sum", lambda x: np.sum(x), lambda x: np.ones_like(x)),
    ("neg-sum", lambda x: np.sum(-x), lambda x: -np.ones_like(x)),
    ("scaled-sum", lambda x: np.sum(100.0 * x - x * 3), lambda x: np.full_like(x, 97.0)),
    ("square-sum", lambda x: np.sum(x**2), lambda x: 2 * x),
    ("sub-sum", lambda x: np.sum(1.0 - x), lambda x: -np.ones_like(x)),
]


@pytest.mark.parametrize("name,f,df", CASES, ids=[c[0] for c in CASES])
def test_uniform_cotangent_paths_match_the_analytic_gradient(name, f, df):
    g = grad(f)(X)
    np.testing.assert_array_equal(g, df(X))
    assert g.flags.writeable
    g *= 2.0  # a caller may update its gradient in place


def test_rosenbrock_gradient_and_hvp_match_the_closed_form():
    def rosen(x):
        return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    x = X[:50]
    r = x[1:] - x[:-1] ** 2
    expected = np.zeros_like(x)
    expected[:-1] += -400.0 * x[:-1] * r - 2.0 * (1.0 - x[:-1])
    expected[1:] += 200.0 * r
    np.testing.assert_allclose(grad(rosen)(x), expected, rtol=1e-12, atol=1e-12)
    v = np.random.default_rng(4).standard_normal(50)
    eps = 1e-6
    fd = (grad(rosen)(x + eps * v) - grad(rosen)(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hvp(rosen, x, v), fd, rtol=1e-6, atol=1e-6)
    check_grads(rosen, (x,), modes=("fwd", "rev"), order=2)


def test_scatter_of_repeated_indices_still_adds():
    idx = np.array([0, 0, 2, 2, 2])
    g = grad(lambda x: np.sum(x[idx] * 2.0) + np.sum(x[1:3]))(np.arange(4.0))
    np.testing.assert_array_equal(g, [4.0, 1.0, 7.0, 0.0])
