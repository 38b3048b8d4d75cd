"""surface: the 3-D surface holds f on the grid; critical points sit on it."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from steepest import classify_critical_point
from steepest.plot import surface


def saddle(v):
    return v[0] ** 2 - v[1] ** 2


def test_the_surface_vertices_are_f_on_the_grid():
    ax = surface(saddle, [(-1, 1), (-2, 2)], n=7)
    (poly,) = ax.collections
    faces = np.asarray(poly._faces)  # the quadrilaterals' 3-D vertices, (faces, 4, 3)
    verts = faces.reshape(-1, 3)
    assert ax.name == "3d" and ax.get_xlabel() == "x" and faces.shape == (36, 4, 3)
    assert np.allclose(verts[:, 2], verts[:, 0] ** 2 - verts[:, 1] ** 2)
    grid = np.linspace(-1, 1, 7)
    assert np.allclose(np.unique(verts[:, 0]), grid) and np.isclose(verts[:, 1].max(), 2)
    assert np.allclose(poly.get_array(), faces[:, :, 2].mean(axis=1))  # colour = height


def test_critical_points_are_marked_on_the_surface():
    cp = classify_critical_point(saddle, np.zeros(2))
    ax = surface(saddle, [(-1, 1), (-1, 1)], n=5, critical_points=cp, vectorized=True)
    marks = ax.collections[1]
    x, y, z = (np.asarray(c, dtype=float) for c in marks._offsets3d)
    assert (x.tolist(), y.tolist(), z.tolist()) == ([0.0], [0.0], [0.0])
    assert marks.get_label() == "saddle (1)"


def test_bad_input_is_named():
    with pytest.raises(TypeError, match="3-D Axes"):
        surface(saddle, [(-1, 1), (-1, 1)], ax=plt.subplots()[1])
    with pytest.raises(ValueError, match="surface draws 2-D"):
        surface(lambda v: v[0], [(-1, 1)])
    ax = plt.figure().add_subplot(projection="3d")
    assert surface(saddle, [(-1, 1), (-1, 1)], n=3, ax=ax) is ax
