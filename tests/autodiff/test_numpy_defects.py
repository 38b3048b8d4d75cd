"""Regressions for the defects of issue 11: each failed (or answered wrong) before its fix."""

import numpy as np
import pytest

import steepest.numpy as snp
from steepest.autodiff import check_grads, grad, jvp

rng = np.random.default_rng(11)


def _fd_grad(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


@pytest.mark.parametrize("mod", [np, snp], ids=["numpy", "steepest.numpy"])
def test_complex_intermediate_of_real_input_gives_the_real_gradient_in_both_modes(mod):
    def f(x):
        return mod.abs(mod.sum((x[0] + 1j * x[1]) ** 3 * mod.exp(1j * x)))

    x = np.array([0.3, -0.8])
    fd = _fd_grad(f, x)
    assert np.allclose(fd, [0.985, -3.170], atol=1e-3)  # what a right answer is
    g = grad(f)(x)
    assert g.dtype == np.float64 and np.allclose(g, fd, atol=1e-6)  # was [4.095-0.653j, ...]
    tangents = [jvp(f, (x,), (e,))[1] for e in np.eye(2)]
    assert np.allclose(tangents, fd, atol=1e-6)
    check_grads(f, (x,), order=2)


def test_real_functions_of_real_inputs_still_differentiate():
    check_grads(lambda x: np.sum(np.abs(x) ** 3 * np.exp(x)), (rng.standard_normal(3),))


@pytest.mark.parametrize("x", [np.array([2.0]), np.full(4, -1.5), np.full((2, 2), 3.0)])
def test_std_where_all_entries_are_equal_has_zero_gradient(x):
    g = grad(snp.std)(x)
    assert np.array_equal(g, np.zeros_like(x))
    t = jvp(np.std, (x,), (np.ones_like(x),))[1]
    assert t == 0.0


def test_std_along_an_axis_of_length_one_has_zero_gradient():
    x = rng.standard_normal((1, 3))
    assert np.array_equal(grad(lambda a: np.sum(np.std(a, axis=0)))(x), np.zeros((1, 3)))


def test_std_keeps_its_gradient_and_second_order_where_spread_is_positive():
    x = rng.standard_normal((3, 4))
    check_grads(lambda a: np.std(a, axis=1, ddof=1), (x,))
    check_grads(lambda a: snp.std(a), (x,))


def test_std_mixes_zero_and_positive_spread_slices():
    x = np.array([[1.0, 1.0, 1.0], [0.0, 1.0, 3.0]])
    g = grad(lambda a: np.sum(np.std(a, axis=1)))(x)
    assert np.array_equal(g[0], np.zeros(3))
    assert np.allclose(g[1], _fd_grad(lambda r: np.std(r), x[1]))


@pytest.mark.parametrize("fn", [np.max, np.min, np.amax, snp.max])
def test_max_of_a_python_float(fn):
    assert grad(lambda x: fn(x))(3.5) == 1.0
    assert grad(lambda x: fn(x) * x)(3.5) == 7.0


def test_einsum_sublist_form_on_plain_arrays_matches_numpy():
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    assert np.array_equal(snp.einsum(a, [0, 1], [1, 0]), np.einsum(a, [0, 1], [1, 0]))
    assert np.allclose(snp.einsum(a, [0, 1], b, [1, 2], [0, 2]), a @ b)
    assert np.allclose(snp.einsum(a, [0, 1], b, [1, 2]), np.einsum(a, [0, 1], b, [1, 2]))
    c = rng.standard_normal((5, 2, 3))
    assert np.allclose(snp.einsum(c, [Ellipsis, 0, 1], [Ellipsis, 1, 0]),
                       np.einsum(c, [Ellipsis, 0, 1], [Ellipsis, 1, 0]))


@pytest.mark.parametrize("mod", [np, snp], ids=["numpy", "steepest.numpy"])
def test_einsum_sublist_form_is_differentiable(mod):
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    check_grads(lambda x: mod.einsum(x, [0, 1], [1, 0]), (a,))
    check_grads(lambda x, y: mod.einsum(x, [0, 1], y, [1, 2], [0, 2]), (a, b))


def test_reductions_of_lists_of_traced_scalars():
    # plain NumPy never shows a list's items to __array_function__: this is steepest.numpy's
    mod = snp
    assert grad(lambda x: mod.mean([x, x + 2]))(1.0) == 1.0
    assert np.isclose(grad(lambda x: mod.var((x, 3 * x)))(1.5), 2 * 1.5)  # var = x**2
    assert np.isclose(grad(lambda x: mod.std([x, 3 * x]))(1.5), 1.0)  # std = |x|
    assert np.isclose(grad(lambda x: mod.sum([[x, x * x], [1.0, x]]))(2.0), 6.0)
    assert np.isclose(grad(lambda x: mod.max((x, 2 * x)))(1.0), 2.0)
    check_grads(lambda x: mod.var([x[0], x[1] * x[0], x[2]]), (rng.standard_normal(3),))
