"""Losses shared by the training tests, each with its analytic ``value_and_grad``."""

import numpy as np


def mse(w, batch):
    """Linear least squares: mean of ``(X w - y)^2``."""
    X, y = batch
    return np.mean((X @ w - y) ** 2)


def mse_value_and_grad(w, batch):
    X, y = batch
    r = X @ w - y
    return np.mean(r**2), 2.0 * X.T @ r / len(y)


def tanh_net(p, batch):
    """One hidden tanh layer: mean of ``(tanh(X W) v - y)^2`` for ``p = {"W", "v"}``."""
    X, y = batch
    return np.mean((np.tanh(X @ p["W"]) @ p["v"] - y) ** 2)


def tanh_net_value_and_grad(p, batch):
    X, y = batch
    h = np.tanh(X @ p["W"])
    r = h @ p["v"] - y
    dr = 2.0 * r / len(y)
    gW = X.T @ (np.outer(dr, p["v"]) * (1 - h * h))
    return np.mean(r**2), {"W": gW, "v": h.T @ dr}
