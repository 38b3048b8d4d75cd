"""The derivative rules stated in the stable functions' docstrings, checked through autodiff.

Each function is a traceable primitive; ``steepest.autodiff`` attaches rules to it. These
tests check that the derivatives are the documented formulas, stay finite at extreme inputs,
and agree with central differences.
"""

import numpy as np
import pytest

import steepest as st
import steepest.numerics as sn

EXTREME = np.array([-1e4, -745.0, -37.0, -1e-300, 0.0, 1e-300, 37.0, 709.0, 1e4])


@pytest.mark.parametrize(
    "name, formula, atol",
    [
        # σ(x)σ(−x) keeps σ′ ≈ e^−x relatively accurate for x > 37, where σ(1 − σ) gives 0
        ("sigmoid", lambda x: sn.sigmoid(x) * sn.sigmoid(-x), 0.0),
        ("softplus", lambda x: sn.sigmoid(x), 0.0),
        ("log_sigmoid", lambda x: sn.sigmoid(-x), 0.0),
    ],
)
def test_elementwise_derivatives_match_docstring_and_stay_finite(name, formula, atol):
    f = getattr(sn, name)
    g = st.grad(lambda x: np.sum(f(x)))(EXTREME)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, formula(EXTREME), rtol=1e-14, atol=atol)


def test_logit_and_log1mexp_derivatives():
    p = np.array([1e-10, 0.25, 0.5, 0.9])
    np.testing.assert_allclose(st.grad(lambda p: np.sum(sn.logit(p)))(p), 1 / (p * (1 - p)),
                               rtol=1e-12)
    x = np.array([-50.0, -1.0, -1e-8])
    np.testing.assert_allclose(st.grad(lambda x: np.sum(sn.log1mexp(x)))(x),
                               -1 / np.expm1(-x), rtol=1e-12)


def test_softmax_jvp_is_documented_formula():
    rng = np.random.default_rng(0)
    x = np.array([1000.0, 0.0, -1000.0, 3.0])
    v = rng.standard_normal(4)
    s, t = st.jvp(sn.softmax, (x,), (v,))
    np.testing.assert_allclose(t, s * (v - np.sum(s * v)), rtol=1e-14, atol=1e-300)
    _, t = st.jvp(sn.log_softmax, (x,), (v,))
    np.testing.assert_allclose(t, v - np.sum(sn.softmax(x) * v), rtol=1e-14)


def test_logsumexp_gradient_is_softmax_even_where_exp_overflows():
    x = np.array([[1000.0, 999.0, -1e4], [-1e4, -1e4 - 1, 0.0]])
    g = st.grad(lambda x: np.sum(sn.logsumexp(x, axis=1)))(x)
    # the rule is the stable softmax, not exp(a − lse) (whose rounding costs ~|a|·eps)
    np.testing.assert_allclose(g, sn.softmax(x, axis=1), rtol=1e-15, atol=1e-300)
    h = st.hessian(lambda x: sn.logsumexp(x))(np.array([800.0, 801.0]))
    s = sn.softmax(np.array([800.0, 801.0]))
    np.testing.assert_allclose(h, np.diag(s) - np.outer(s, s), rtol=1e-12)


def test_loss_gradients_are_softmax_minus_target():
    z = np.array([[1000.0, 0.0, -5.0], [0.5, -0.5, 2.0]])
    y = np.array([1, 2])
    g = st.grad(lambda z: sn.cross_entropy(z, y, reduction="sum"))(z)
    np.testing.assert_allclose(g, sn.softmax(z) - np.eye(3)[y], rtol=1e-14, atol=1e-300)
    zb = np.array([-800.0, 0.0, 40.0])
    tb = np.array([1.0, 0.3, 0.0])
    gb = st.grad(lambda z: sn.binary_cross_entropy_with_logits(z, tb, reduction="sum"))(zb)
    np.testing.assert_allclose(gb, sn.sigmoid(zb) - tb, rtol=1e-14)


@pytest.mark.parametrize("name", ["sigmoid", "softplus", "log_sigmoid", "softmax",
                                  "log_softmax", "logsumexp"])
def test_second_order_derivatives_against_finite_differences(name):
    x = np.random.default_rng(1).standard_normal(5)
    st.check_grads(getattr(sn, name), (x,), order=2)
