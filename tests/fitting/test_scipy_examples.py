"""scipy.optimize.least_squares's documented examples run unchanged through steepest."""

import warnings

import numpy as np
import pytest
import scipy.optimize as so
import scipy.sparse as sp

import steepest as st


def fun_rosenbrock(x):
    return np.array([10 * (x[1] - x[0] ** 2), (1 - x[0])])


def jac_rosenbrock(x):
    return np.array([[-20 * x[0], 10], [-1, 0]])


@pytest.mark.parametrize("kwargs", [{}, {"jac": jac_rosenbrock},
                                    {"jac": jac_rosenbrock, "bounds": ([-np.inf, 1.5], np.inf)}])
def test_rosenbrock_examples(kwargs):
    ours = st.least_squares(fun_rosenbrock, np.array([2, 2]), **kwargs)
    ref = so.least_squares(fun_rosenbrock, np.array([2, 2]), **kwargs)
    np.testing.assert_allclose(ours.x, ref.x, rtol=1e-7)
    assert ours.cost == pytest.approx(ref.cost, rel=1e-7, abs=1e-20)
    np.testing.assert_array_equal(ours.active_mask, ref.active_mask)
    assert ours.status == ref.status


def test_robust_curve_fitting_example():
    def gen_data(t, a, b, c, noise=0.0, n_outliers=0, seed=None):
        rng = np.random.default_rng(seed)
        y = a + b * np.exp(t * c)
        error = noise * rng.standard_normal(t.size)
        outliers = rng.integers(0, t.size, n_outliers)
        error[outliers] *= 10
        return y + error

    t_train = np.linspace(0, 10, 15)
    y_train = gen_data(t_train, 0.5, 2.0, -1.0, noise=0.1, n_outliers=3, seed=0)

    def fun(x, t, y):
        return x[0] + x[1] * np.exp(x[2] * t) - y

    x0 = np.array([1.0, 1.0, 0.0])
    # (with the plain loss both libraries wander along a flat valley of this data set)
    for kwargs in ({"loss": "soft_l1", "f_scale": 0.1}, {"loss": "cauchy", "f_scale": 0.1}):
        ours = st.least_squares(fun, x0, args=(t_train, y_train), **kwargs)
        ref = so.least_squares(fun, x0, args=(t_train, y_train), **kwargs)
        np.testing.assert_allclose(ours.x, ref.x, rtol=1e-5, atol=1e-7)


def test_complex_residuals_split_into_real_and_imaginary_parts():
    def f(z):
        return z - (0.5 + 0.5j)

    def f_wrap(x):
        fx = f(x[0] + 1j * x[1])
        return np.array([fx.real, fx.imag])

    with warnings.catch_warnings():  # complex intermediates are differentiated (issue 11)
        warnings.simplefilter("error", RuntimeWarning)  # no finite-difference fallback
        res = st.least_squares(f_wrap, (0.1, 0.1), bounds=([0, 0], [1, 1]))
    np.testing.assert_allclose(res.jac, np.eye(2), atol=1e-12)  # exact: f is z − c
    ref = so.least_squares(f_wrap, (0.1, 0.1), bounds=([0, 0], [1, 1]))
    np.testing.assert_allclose(res.x, [0.5, 0.5], atol=1e-8)
    assert res.nfev == ref.nfev


def test_sparse_jacobian_is_accepted():
    res = st.least_squares(fun_rosenbrock, [2.0, 2.0],
                           jac=lambda x: sp.csr_matrix(jac_rosenbrock(x)))
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-8)
