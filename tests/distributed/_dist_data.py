"""Small seeded data sets shared by the distributed tests (in memory and as dask arrays)."""

from __future__ import annotations

import sys

import cloudpickle
import dask.array as da
import numpy as np


def logistic_data(n: int = 600, d: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.linspace(0.5, 3.0, d) + np.linspace(-1.0, 2.0, d)
    z = (X - X.mean(0)) @ np.linspace(1.0, -1.0, d) + 0.3
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(float)
    return X, y


def multiclass_data(n: int = 600, d: int = 3, k: int = 3, seed: int = 1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(d, k))
    y = np.argmax(X @ W + rng.gumbel(size=(n, k)), axis=1)
    return X, y


def as_dask(*arrays: np.ndarray, chunks: int = 128):
    return tuple(da.from_array(a, chunks=(chunks,) + a.shape[1:]) for a in arrays)


def ship_by_value(module_name: str) -> None:
    """Send the test module's functions to the workers by value, so a worker does not import
    the test module (and pytest, scikit-learn ...) to unpickle a loss defined in a test."""
    cloudpickle.register_pickle_by_value(sys.modules[module_name])
