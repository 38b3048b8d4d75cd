"""The optimizers driven by steepest.autodiff gradients over a pytree of mixed dtypes."""

from __future__ import annotations

import numpy as np
import pytest

import steepest.optimizers as so
from steepest.autodiff import grad
from steepest.tree import tree_leaves


def loss(p):
    x = p["x"]
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2 + np.sum((p["b"] - 0.5) ** 2)


@pytest.mark.parametrize("make", [lambda: so.adam(0.02), lambda: so.momentum(0.01, 0.9),
                                  lambda: so.nadam(0.01)])
def test_autodiff_gradients_drive_a_pytree_to_the_minimum(make):
    opt = make()
    params = {"x": np.array([0.2, -0.2]), "b": np.zeros(3, np.float32)}
    state = opt.init(params)
    g = grad(loss)
    for _ in range(3000):
        params, state = so.step(opt, g(params), state, params)
    assert params["b"].dtype == np.float32
    assert all(leaf.dtype in (np.float32, np.float64) for leaf in tree_leaves(state)
               if isinstance(leaf, np.ndarray))
    # constant-step Adam/NAdam hover within ~1e-3 of the Rosenbrock minimum after 3000 steps
    np.testing.assert_allclose(params["x"], [1.0, 1.0], atol=2e-3)
    np.testing.assert_allclose(params["b"], 0.5, atol=1e-5)  # the separable float32 part


def test_true_nesterov_with_autodiff_grad_fn():
    opt = so.nesterov(0.01, 0.9)
    params = {"x": np.array([0.2, -0.2]), "b": np.zeros(3)}
    state = opt.init(params)
    for _ in range(3000):
        u, state = opt.update(grad(loss), state, params)
        params = so.apply_updates(params, u)
    np.testing.assert_allclose(params["x"], [1.0, 1.0], atol=1e-5)
