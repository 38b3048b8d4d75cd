"""The fused replay's tolerance (shared by the numexpr and numba tests): 4 ulp, or the
rounding an elementwise chain may carry at its array's scale (16 ε × the largest magnitude);
non-finite positions and non-float leaves equal."""

import numpy as np

import steepest as st

EPS = np.finfo(float).eps


def close(a, b):
    la, lb = st.tree.tree_leaves(a), st.tree.tree_leaves(b)
    assert len(la) == len(lb)
    for x, y in zip(la, lb):
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (x, y)
        if x.dtype.kind not in "fc":
            assert np.array_equal(x, y), (x, y)
            continue
        assert np.array_equal(np.isfinite(x), np.isfinite(y)), (x, y)
        fin = np.isfinite(y)
        assert np.array_equal(x[~fin], y[~fin], equal_nan=True), (x, y)
        err = np.abs(x[fin] - y[fin])
        scale = np.max(np.abs(y[fin]), initial=0.0)
        tol = np.maximum(4 * np.spacing(np.abs(y[fin])), 16 * EPS * scale)
        assert np.all(err <= tol), (x, y, err, tol)
