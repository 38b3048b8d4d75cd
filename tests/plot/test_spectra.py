"""spectrum: the markers are the eigenvalues at their indices, coloured by sign."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from steepest import curvature_spectrum, minimize
from steepest.plot import spectrum

LAM = np.array([-3.0, 0.5, 2.0, 1000.0])


def quad(x):
    return 0.5 * np.sum(LAM * x**2)


def test_dense_spectrum_markers_are_the_eigenvalues():
    ax = spectrum(curvature_spectrum(quad, np.ones(4)))
    (dots,) = ax.collections
    assert np.allclose(dots.get_offsets(), np.c_[np.arange(1, 5), np.sort(LAM)])
    colours = dots.get_facecolors()
    assert np.allclose(colours[0], to_rgba("tab:red")) and np.allclose(colours[1],
                                                                        to_rgba("tab:blue"))
    assert ax.get_yscale() == "symlog"  # |λ| spans more than three decades
    assert ax.get_xlabel() == "index i" and "all, dense" in dots.get_label()


def test_lanczos_extremes_sit_at_the_ends_and_arrays_work():
    rng = np.random.default_rng(0)
    d = np.linspace(1.0, 2.0, 50)

    def f(x):
        return 0.5 * np.sum(d * x**2) + 0.01 * np.sum(np.cos(x))

    lz = curvature_spectrum(f, rng.standard_normal(50), method="lanczos", k=2)
    ax = spectrum(lz)
    xy = ax.collections[0].get_offsets()
    assert xy[:, 0].tolist() == [1, 2, 49, 50]
    assert np.allclose(xy[:, 1], lz.eigenvalues)
    ax = spectrum([2.0, 1.0], symlog=False, label="mine", colors=("k", "green"))
    assert ax.collections[0].get_offsets().tolist() == [[1, 1], [2, 2]]
    assert np.allclose(ax.collections[0].get_facecolors(), to_rgba("green"))
    assert ax.get_yscale() == "linear" and ax.collections[0].get_label() == "mine"


def test_a_minimize_certificate():
    res = minimize(lambda x: 0.5 * np.sum(np.abs(LAM) * x**2), np.ones(4), method="newton")
    ax = spectrum(res.certificate)
    assert np.allclose(ax.collections[0].get_offsets()[:, 1], np.sort(np.abs(LAM)))


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="curvature_spectrum"):
        spectrum([])
    with pytest.raises(ValueError, match="curvature_spectrum"):
        spectrum([np.nan])
