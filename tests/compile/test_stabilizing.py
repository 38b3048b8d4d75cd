"""stabilize(f): the ten textbook-unstable expressions at their breaking inputs, values and
gradients against mpmath or the closed form; no pattern means bit-identical results."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

import steepest as st

from ._breaking import naive_form_breaks, stabilized_gradient_ulps, ulps


def _mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def _cases():
    # name: (f, breaking input, exact value (mpmath), exact gradient of sum(f) (closed form))
    with mpmath.workdps(400):  # e^-800 beside 1 needs 348 digits
        return {
            "log_softmax": (lambda x: np.log(st.softmax(x)), np.array([0.0, -800.0]),
                            [-mpmath.log(1 + mpmath.exp(-800)),
                             -800 - mpmath.log(1 + mpmath.exp(-800))],
                            # d/dx_j Σ_i log_softmax_i = 1 - n softmax_j
                            [1 - 2 / (1 + mpmath.exp(-800)),
                             1 - 2 * mpmath.exp(-800) / (1 + mpmath.exp(-800))]),
            "log1p": (lambda x: np.log(1 + x), np.array(1e-17),
                      [mpmath.log1p(mpmath.mpf(1e-17))], [1 / (1 + mpmath.mpf(1e-17))]),
            "expm1": (lambda x: np.exp(x) - 1, np.array(1e-17),
                      [mpmath.expm1(mpmath.mpf(1e-17))], [mpmath.exp(mpmath.mpf(1e-17))]),
            "log_sigmoid": (lambda x: np.log(st.sigmoid(x)), np.array(-800.0),
                            [mpmath.log(_mp_sigmoid(-800))], [_mp_sigmoid(800)]),
            "log1m_sigmoid": (lambda x: np.log(1 - st.sigmoid(x)), np.array(800.0),
                              [mpmath.log(_mp_sigmoid(-800))], [-_mp_sigmoid(800)]),
            "softplus": (lambda x: np.log(1 + np.exp(x)), np.array(1000.0),
                         [mpmath.log(1 + mpmath.exp(1000))], [_mp_sigmoid(1000)]),
            "logsumexp": (lambda x: np.log(np.sum(np.exp(x))), np.array([1000.0, 1000.0]),
                          [1000 + mpmath.log(2)], [0.5, 0.5]),
            "log1mexp": (lambda x: np.log(1 - np.exp(x)), np.array(-1e-20),
                         [mpmath.log(-mpmath.expm1(mpmath.mpf(-1e-20)))],
                         [-1 / mpmath.expm1(mpmath.mpf(1e-20))]),
            "log_exp": (lambda x: np.log(np.exp(x)), np.array(1000.0), [1000], [1]),
            # d/dx (w·x/‖x‖) = (w - (w·u)u)/‖x‖ with u = x/‖x‖, here w = (1, 2)
            "normalize": (lambda x: np.array([1.0, 2.0]) * (x / np.sqrt(np.sum(x**2))),
                          np.array([1e200, 1e200]),
                          [1 / mpmath.sqrt(2), 2 / mpmath.sqrt(2)],
                          [(1 - 1.5) / (mpmath.sqrt(2) * mpmath.mpf(1e200)),
                           (2 - 1.5) / (mpmath.sqrt(2) * mpmath.mpf(1e200))]),
        }  # fmt: skip


CASES = _cases()



@pytest.mark.parametrize("name", sorted(CASES))
def test_breaking_input_gives_right_value(name):
    f, x, value, _ = CASES[name]
    assert np.max(ulps(st.stabilize(f)(x), value)) <= 4


@pytest.mark.parametrize("name", sorted(CASES))
def test_breaking_input_gives_right_gradient(name):
    f, x, _, gradient = CASES[name]
    assert stabilized_gradient_ulps(f, x, gradient) <= 4


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_naive_form_is_wrong_there(name):
    # the table is only meaningful if the original really breaks at these inputs
    f, x, value, gradient = CASES[name]
    assert naive_form_breaks(f, x, value, gradient)


def test_gradient_of_log1mexp_is_the_rewritten_forms():
    f = st.stabilize(lambda x: np.log(1 - np.exp(x)))
    assert float(st.grad(f)(-1e-20)) == pytest.approx(-1e20, rel=1e-15)
    # second derivative -e^x/(1-e^x)^2 ≈ -1/x² near 0
    assert float(st.hessian(f)(-1e-10)) == pytest.approx(-1e20, rel=1e-9)


def test_logaddexp_and_softmax_forms():
    lae = st.stabilize(lambda a, b: np.log(np.exp(a) + np.exp(b)))
    assert float(lae(1000.0, 1000.0)) == pytest.approx(1000 + np.log(2), rel=1e-15)
    sm = st.stabilize(lambda x: np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True))
    x = np.array([[1000.0, 999.0], [0.0, -1.0]])
    np.testing.assert_allclose(sm(x), st.softmax(x, axis=-1), rtol=1e-15)
    assert [r.name for r in sm.rewrites(x)] == ["softmax"]


def test_norm_is_max_scaled_and_differentiates():
    f = st.stabilize(lambda x: np.sqrt(np.sum(x**2)))
    x = np.array([3e200, 4e200])
    assert float(f(x)) == pytest.approx(5e200, rel=1e-15)
    np.testing.assert_allclose(st.grad(f)(x), [0.6, 0.8], rtol=1e-15)
    tiny = np.array([3e-200, 4e-200])
    assert float(f(tiny)) == pytest.approx(5e-200, rel=1e-15)
    assert float(f(np.zeros(2))) == 0.0


def test_a_function_without_patterns_is_bit_identical():
    def f(x):
        return np.sum(np.sin(x) * np.exp(-x) + np.log(2.0 + x**2))

    x = np.random.default_rng(0).normal(size=7)
    g = st.stabilize(f)
    assert g.rewrites(x) == []
    assert g(x) == f(x)
    assert np.array_equal(st.grad(g)(x), st.grad(f)(x))
    assert np.array_equal(st.hessian(g)(x), st.hessian(f)(x))


def test_rewrites_name_the_source_line_and_reason():
    f = st.stabilize(lambda x: np.log(1 + np.exp(x)))
    (r,) = f.rewrites(np.array(1000.0))
    assert r.name == "softplus" and "overflows" in r.reason
    assert r.line is not None and r.line.startswith(__file__)
    assert str(r).startswith(r.line)


def test_pytrees_and_signature_carry_over():
    def f(params, x):
        """doc"""
        return np.log(np.sum(np.exp(params["w"] * x)))

    g = st.stabilize(f)
    assert g.__doc__ == "doc" and g.__wrapped__ is f
    p = {"w": np.array([1000.0, 1000.0])}
    assert float(g(p, 1.0)) == pytest.approx(1000 + np.log(2), rel=1e-15)
    np.testing.assert_allclose(st.grad(g)(p, 1.0)["w"], [0.5, 0.5], rtol=1e-15)


def test_not_callable_is_rejected():
    with pytest.raises(TypeError, match="f"):
        st.stabilize(3.0)
