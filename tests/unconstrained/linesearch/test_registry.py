"""Line searches by name, and the (f, x, p) wrapper."""

import numpy as np
import pytest

from steepest.unconstrained import Armijo, line_search, make_line_search


def test_wrapper_from_f_x_p():
    f = lambda z: float(z @ z) + np.sin(z[0])  # noqa: E731
    g = lambda z: 2 * z + np.array([np.cos(z[0]), 0.0])  # noqa: E731
    x = np.array([1.0, -2.0])
    for method in ("armijo", "wolfe", "strong_wolfe", "more-thuente", "exact"):
        r = line_search(f, x, -g(x), grad=g, method=method)
        assert r.success and f(x - r.step * g(x)) < f(x)


def test_bad_hyperparameters_raise():
    with pytest.raises(ValueError, match="c1 < c2"):
        make_line_search("wolfe", c1=0.5, c2=0.1)
    with pytest.raises(ValueError, match="shrink"):
        make_line_search("armijo", shrink=1.5)
    with pytest.raises(ValueError, match="choose one of"):
        make_line_search("goldstein")
    with pytest.raises(ValueError, match="no option"):
        make_line_search("armijo", c2=0.9)


def test_objects_pass_through_and_non_searches_are_refused():
    search = Armijo(shrink=0.3)
    assert make_line_search(search) is search
    with pytest.raises(TypeError, match="search"):
        make_line_search(3.0)
