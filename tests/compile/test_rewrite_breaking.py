"""The newer table entries at inputs where the textbook form breaks: the stabilized value and
gradient within 4 ulp of mpmath / the closed form, and the naive form wrong there; the stable
primitives they emit checked against finite differences."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.special as sps

import steepest as st
from steepest.compile.rewrites import ops

from ._breaking import naive_form_breaks, stabilized_gradient_ulps, ulps


def _sig(x):
    return 1 / (1 + mpmath.exp(-x))


def _mp(x):
    return mpmath.mpf(float(x))


def _var_grad(x):
    xs = [_mp(v) for v in x]
    m = mpmath.fsum(xs) / len(xs)
    return [2 * (v - m) / len(xs) for v in xs]


def _var(x):
    xs = [_mp(v) for v in x]
    m = mpmath.fsum(xs) / len(xs)
    return [mpmath.fsum((v - m) ** 2 for v in xs) / len(xs)]


def _cases():
    # rule: (f, breaking input, exact value, exact gradient of sum(f))
    spike = np.array([2e154] + [0.0] * 99)
    moments = 1e8 + np.array([0.0, 1.0, 2.0])
    with mpmath.workdps(400):
        s40 = _sig(40) * _sig(-40)
        e800 = mpmath.exp(-800)
        return {
            "sigmoid_derivative": (lambda x: st.sigmoid(x) * (1 - st.sigmoid(x)), np.array(40.0),
                                   [s40], [s40 * (_sig(-40) - _sig(40))]),
            "log_prod": (lambda x: np.log(np.prod(x)), np.full(400, 1e300),
                         [400 * mpmath.log(_mp(1e300))], [1 / _mp(1e300)] * 400),
            "log_det": (lambda a: np.log(np.linalg.det(a)), 1e-200 * np.eye(2),
                        [2 * mpmath.log(_mp(1e-200))], [1 / _mp(1e-200), 0, 0, 1 / _mp(1e-200)]),
            "variance_moments": (lambda x: np.mean(x**2) - np.mean(x) ** 2, moments,
                                 _var(moments), _var_grad(moments)),
            "variance_centered": (lambda x: np.sum((x - np.mean(x)) ** 2) / x.size, spike,
                                  _var(spike), _var_grad(spike)),
            "log_erfc": (lambda x: np.log(sps.erfc(x)), np.array(30.0),
                         [mpmath.log(mpmath.erfc(30))],
                         [-2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-900) / mpmath.erfc(30)]),
            "logdiffexp": (lambda x: np.log(np.exp(x[0]) - np.exp(x[1])), np.array([1000.0, 999.0]),
                           [1000 + mpmath.log(1 - mpmath.exp(-1))],
                           [1 / (1 - mpmath.exp(-1)), -1 / (mpmath.exp(1) - 1)]),
            "logmexpm1": (lambda x: np.log(-np.expm1(x)), np.array(-50.0),
                          [mpmath.log(-mpmath.expm1(-50))], [1 / (1 - mpmath.exp(50))]),
            "log1p_expm1": (lambda x: np.log1p(np.expm1(x)), np.array(1000.0), [1000], [1]),
            "exp_log": (lambda x: np.exp(np.log(x)), np.array(0.0), [0], [1]),
            "sqrt_square": (lambda x: np.sqrt(x**2), np.array(1e200), [_mp(1e200)], [1]),
            "logaddexp_n": (lambda x: np.log(np.exp(x[0]) + np.exp(x[1]) + np.exp(x[2])),
                            np.full(3, 1000.0), [1000 + mpmath.log(3)], [mpmath.mpf(1) / 3] * 3),
            "hypot": (lambda x: np.sqrt(x[0] ** 2 + x[1] ** 2), np.array([3e200, 4e200]),
                      [mpmath.hypot(_mp(3e200), _mp(4e200))],
                      [_mp(3e200) / mpmath.hypot(_mp(3e200), _mp(4e200)),
                       _mp(4e200) / mpmath.hypot(_mp(3e200), _mp(4e200))]),
            "square_sqrt": (lambda x: np.sqrt(x) ** 2, np.array(0.0), [0], [1]),
            "log1m": (lambda x: np.log(1 - x), np.array(1e-17), [mpmath.log1p(-_mp(1e-17))],
                      [-1 / (1 - _mp(1e-17))]),
            "log_softmax_indexed": (lambda x: np.log(st.softmax(x)[1]), np.array([0.0, -800.0]),
                                    [-800 - mpmath.log1p(e800)],
                                    [-1 / (1 + e800), 1 - e800 / (1 + e800)]),
            "odds_sigmoid": (lambda x: st.sigmoid(x) / (1 - st.sigmoid(x)), np.array(40.0),
                             [mpmath.exp(40)], [mpmath.exp(40)]),
            "sigmoid_of_exp": (lambda x: np.exp(x) / (1 + np.exp(x)), np.array(1000.0),
                               [_sig(1000)], [_sig(1000) * _sig(-1000)]),
            "exp_times_sigmoid": (lambda x: np.exp(x) * st.sigmoid(-x), np.array(1000.0),
                                  [_sig(1000)], [_sig(1000) * _sig(-1000)]),
            "one_minus_sigmoid": (lambda x: 1 - st.sigmoid(x), np.array(40.0), [_sig(-40)],
                                  [-s40]),
            "inverse_pairs": (lambda x: st.softplus(np.log(x)), np.array(1e-300),
                              [mpmath.log1p(_mp(1e-300))], [1 / (1 + _mp(1e-300))]),
        }  # fmt: skip


CASES = _cases()



@pytest.mark.parametrize("name", sorted(CASES))
def test_the_rule_fires_and_the_value_is_right(name):
    f, x, value, _ = CASES[name]
    g = st.stabilize(f)
    assert [r.name for r in g.rewrites(x)] == [name]
    assert np.max(ulps(g(x), value)) <= 4


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_gradient_is_right(name):
    f, x, _, gradient = CASES[name]
    assert stabilized_gradient_ulps(f, x, gradient) <= 4


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_naive_form_is_wrong_there(name):
    f, x, value, gradient = CASES[name]
    assert naive_form_breaks(f, x, value, gradient)


def test_inv_solve_is_backward_stable_where_inv_is_not():
    # Hilbert matrix, cond ≈ 1.5e10: the inverse's residual |Ax - b| / (|A||x|) is ~1e4 eps,
    # solve's is below n eps (Higham, Accuracy and Stability, §14.1)
    n = 8
    a = 1.0 / (np.arange(n)[:, None] + np.arange(n) + 1.0)
    b = np.ones(n)

    def residual(x):
        return np.max(np.abs(a @ x - b)) / (np.max(np.abs(a)) * np.max(np.abs(x)))

    f = lambda a_, b_: np.linalg.inv(a_) @ b_  # noqa: E731
    g = st.stabilize(f)
    assert [r.name for r in g.rewrites(a, b)] == ["inv_solve"]
    eps = np.finfo(float).eps
    assert residual(g(a, b)) <= n * eps
    assert residual(f(a, b)) > 100 * eps
    # gradient of sum(A⁻¹b) w.r.t. b is A⁻ᵀ1, the solution of a transposed system
    gb = st.grad(lambda v: np.sum(g(a, v)))(b)
    assert residual_t(a, gb) <= n * eps


def test_matmul_inv_is_backward_stable_where_inv_is_not():
    # b @ inv(A) on the Hilbert matrix: solve(Aᵀ, b) has residual |yA - b| / (|A||y|) below n eps
    n = 8
    a = 1.0 / (np.arange(n)[:, None] + np.arange(n) + 1.0)
    b = np.ones(n)

    def residual(y):
        return np.max(np.abs(y @ a - b)) / (np.max(np.abs(a)) * np.max(np.abs(y)))

    f = lambda a_, b_: b_ @ np.linalg.inv(a_)  # noqa: E731
    g = st.stabilize(f)
    assert [r.name for r in g.rewrites(a, b)] == ["matmul_inv"]
    eps = np.finfo(float).eps
    assert residual(g(a, b)) <= n * eps
    assert residual(f(a, b)) > 100 * eps
    # gradient of sum(b A⁻¹) w.r.t. b is A⁻¹1, the solution of A y = 1
    gb = st.grad(lambda v: np.sum(g(a, v)))(b)
    assert np.max(np.abs(a @ gb - 1.0)) / (np.max(np.abs(a)) * np.max(np.abs(gb))) <= n * eps


@pytest.mark.parametrize("f", [
    lambda a, b: np.linalg.inv(a) @ b, lambda a, b: b @ np.linalg.inv(a),
    lambda a, b: np.linalg.inv(a) @ b[0, 0], lambda a, b: b[0, 0] @ np.linalg.inv(a),
    lambda a, b: np.dot(b[0, 0], np.linalg.inv(a[0])),
])  # fmt: skip
def test_solve_rewrites_on_stacks_and_vectors(f):
    # a stack of two 3×3 systems and a stack of 3×3 right-hand sides; derivatives in A and b
    rng = np.random.default_rng(3)
    a = rng.normal(size=(2, 3, 3)) + 3.0 * np.eye(3)
    b = rng.normal(size=(2, 3, 3))
    g = st.stabilize(f)
    assert [r.name for r in g.rewrites(a, b)] in (["inv_solve"], ["matmul_inv"])
    np.testing.assert_allclose(g(a, b), f(a, b), rtol=1e-13, atol=1e-15)
    st.check_grads(g, (a, b), order=2)


def residual_t(a, y):
    one = np.ones(len(y))
    return np.max(np.abs(a.T @ y - one)) / (np.max(np.abs(a)) * np.max(np.abs(y)))


def test_exp_log_variants_keep_nan_below_the_domain():
    for f, x in [(lambda v: np.exp(np.log(v)), -1.0), (lambda v: np.expm1(np.log1p(v)), -2.0),
                 (lambda v: np.exp(np.log1p(v)), -2.0), (lambda v: np.expm1(np.log(v)), -1.0)]:
        with np.errstate(invalid="ignore"):
            assert np.isnan(f(np.array(x))) and np.isnan(st.stabilize(f)(np.array(x)))
    # at the edge of the domain the derivative exists and the rewritten form has it
    g = st.stabilize(lambda v: np.expm1(np.log1p(v)))
    assert float(g(np.array(-1.0))) == -1.0
    assert float(st.grad(g)(np.array(-1.0))) == 1.0


def test_inverse_pairs_keep_nan_outside_the_domain():
    for f, x in [(lambda v: st.softplus(np.log(v)), -1.0),
                 (lambda v: st.log1mexp(np.log(v)), -1.0),
                 (lambda v: st.log1mexp(st.log1mexp(v)), 1.0),
                 (lambda v: np.exp(st.log1mexp(v)), 1.0),
                 (lambda v: np.expm1(st.log1mexp(v)), 1.0)]:
        with np.errstate(invalid="ignore"):
            assert np.isnan(f(np.array(x))) and np.isnan(st.stabilize(f)(np.array(x)))
    # the other pairs at their breaking inputs: ≤ 4 ulp of mpmath where the naive form is not
    with mpmath.workdps(60):
        for f, x, want in [
                (lambda v: st.log1mexp(np.log(v)), 1e-300, mpmath.log1p(-_mp(1e-300))),
                (lambda v: st.log1mexp(st.log1mexp(v)), -1e-20, _mp(-1e-20)),
                (lambda v: np.exp(st.log1mexp(v)), -1e-20, -mpmath.expm1(_mp(-1e-20)))]:
            assert ulps(st.stabilize(f)(np.array(x)), [want])[0] <= 4
            assert ulps(f(np.array(x)), [want])[0] > 4


def test_odds_with_sigmoid_and_expit_mixed():
    # two spellings of σ are two terms: the entry must still see which one is on top
    x = np.array(3.0)
    up = st.stabilize(lambda v: sps.expit(v) / (1 - st.sigmoid(v)))
    down = st.stabilize(lambda v: (1 - sps.expit(v)) / st.sigmoid(v))
    assert [r.name for r in up.rewrites(x)] == ["odds_sigmoid"]
    assert float(up(x)) == float(np.exp(3.0)) and float(down(x)) == float(np.exp(-3.0))


def test_log_det_sign_condition():
    flip = np.diag([-2.0, 3.0])  # det < 0: log(det) is nan, and so is the rewrite
    g = st.stabilize(lambda a: np.log(np.linalg.det(a)))
    with np.errstate(invalid="ignore"):
        assert np.isnan(g(flip))
    assert float(g(np.zeros((2, 2)))) == -np.inf
    both = np.diag([-2.0, -3.0])
    assert float(g(both)) == pytest.approx(np.log(6.0), rel=1e-15)


def test_log_prod_sign_axis_and_zero():
    x = np.array([[-2.0, -3.0, 4.0], [1e300, 1e300, 1e-300]])
    g = st.stabilize(lambda v: np.log(np.prod(v, axis=1, keepdims=True)))
    got = g(x)
    assert got.shape == (2, 1)
    with mpmath.workdps(50):
        want = [mpmath.log(24), mpmath.log(_mp(1e300) ** 2 * _mp(1e-300))]
    assert np.max(ulps(got, want)) <= 4
    assert float(st.stabilize(lambda v: np.log(np.prod(v)))(np.array([0.0, 2.0]))) == -np.inf
    # where the plain product is a normal number with exponent 0 it is the same product
    y = np.array([0.9, 1.05, 1.01])
    assert float(st.stabilize(lambda v: np.log(np.prod(v)))(y)) == float(np.log(np.prod(y)))


def test_variance_divisor_must_be_the_count():
    x = np.array([1.0, 2.0, 4.0])
    centered = lambda v, d: np.sum((v - np.mean(v)) ** 2) / d  # noqa: E731
    ddof1 = st.stabilize(lambda v: centered(v, 2))
    assert [r.name for r in ddof1.rewrites(x)] == ["variance_centered"]
    assert float(ddof1(x)) == pytest.approx(np.var(x, ddof=1), rel=1e-15)
    other = st.stabilize(lambda v: centered(v, 5))
    assert other.rewrites(x) == []
    rows = np.array([[1.0, 2.0, 4.0], [1e8, 1e8 + 1, 1e8 + 2]])
    per_row = st.stabilize(lambda v: np.mean(v**2, axis=1) - np.mean(v, axis=1) ** 2)
    np.testing.assert_allclose(per_row(rows), np.var(rows, axis=1), rtol=1e-15)
    mixed = st.stabilize(lambda v: np.mean(v**2, axis=1) - np.mean(v) ** 2)
    assert mixed.rewrites(rows) == []


@pytest.mark.parametrize("name,f,x", [
    ("log_erfc", ops.log_erfc, np.array([-2.0, 0.3, 0.7, 4.0])),
    ("erfcx", ops.erfcx, np.array([-1.0, 0.5, 3.0])),
    ("log_prod", lambda v: ops.log_prod(v, axis=0), np.array([[0.5, -2.0], [3.0, -1.5]])),
    ("stable_var", lambda v: ops.stable_var(v, axis=1, ddof=1),
     np.array([[0.5, 2.0, 1.0], [-3.0, -1.5, 4.0]])),
])  # fmt: skip
def test_stable_primitives_against_finite_differences(name, f, x):
    st.check_grads(f, (x,), order=2)
