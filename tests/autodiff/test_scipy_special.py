"""scipy.special traced directly (ufuncs through __array_ufunc__) and through the drop-in
steepest.scipy.special (issue 11 point 5): values equal SciPy's, derivatives checked by
check_grads to order 2 in both modes and, for the new rules, against mpmath."""

import mpmath
import numpy as np
import pytest
import scipy.special as sps

from steepest.autodiff import MissingRuleError, check_grads, grad, jvp
from steepest.scipy import special

rng = np.random.default_rng(511)
POS = np.array([0.4, 1.3, 2.7])
UNIT = np.array([-0.7, 0.1, 0.6])
PROB = np.array([0.02, 0.4, 0.9])
SIGNED = np.array([-1.8, 0.3, 2.2])

UFUNC_CASES = [
    ("gammaln", lambda x: sps.gammaln(x), POS),
    ("digamma", lambda x: sps.digamma(x), POS),
    ("psi", lambda x: sps.psi(x), POS),
    ("betaln a", lambda x: sps.betaln(x, 2.5), POS),
    ("betaln both", lambda x: sps.betaln(x, x[::-1] + 0.5), POS),
    ("erf", lambda x: sps.erf(x), SIGNED),
    ("erfc", lambda x: sps.erfc(x), SIGNED),
    ("erfinv", lambda x: sps.erfinv(x), UNIT),
    ("erfcinv", lambda x: sps.erfcinv(x + 1.0), UNIT),
    ("erfcx", lambda x: sps.erfcx(x), SIGNED),
    ("ndtr", lambda x: sps.ndtr(x), SIGNED),
    ("log_ndtr", lambda x: sps.log_ndtr(x), SIGNED),
    ("ndtri", lambda x: sps.ndtri(x), PROB),
    ("xlogy", lambda x: sps.xlogy(x, x[::-1]), POS),
    ("xlog1py", lambda x: sps.xlog1py(x, x[::-1]), POS),
    ("expit", lambda x: sps.expit(x), SIGNED),
    ("logit", lambda x: sps.logit(x), PROB),
    ("log_expit", lambda x: sps.log_expit(x), SIGNED),
    ("i0", lambda x: sps.i0(x), SIGNED),
    ("i1", lambda x: sps.i1(x), SIGNED),
    ("i0e", lambda x: sps.i0e(x), SIGNED),
    ("i1e", lambda x: sps.i1e(x), SIGNED),
    ("iv", lambda x: sps.iv(1.5, x), POS),
    ("ive", lambda x: sps.ive(2.5, x), POS),
    ("ive integer order, negative x", lambda x: sps.ive(3, x), SIGNED),
    ("gammainc", lambda x: sps.gammainc(2.5, x), POS),
    ("gammaincc", lambda x: sps.gammaincc(0.7, x), POS),
    ("betainc", lambda x: sps.betainc(2.0, 3.5, x), PROB),
    ("stdtr", lambda x: sps.stdtr(4.0, x), SIGNED),
    ("entr", lambda x: sps.entr(x), POS),
    ("rel_entr", lambda x: sps.rel_entr(x, x[::-1]), POS),
    ("kl_div", lambda x: sps.kl_div(x, x[::-1]), POS),
]


@pytest.mark.parametrize("name, f, x", UFUNC_CASES, ids=[c[0] for c in UFUNC_CASES])
def test_scipy_ufuncs_are_traced_directly_to_order_two(name, f, x):
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)


MP_CASES = [  # scipy ufunc, mpmath of the same function, points
    (sps.erfinv, mpmath.erfinv, UNIT),
    (sps.erfcinv, lambda y: mpmath.erfinv(1 - y), UNIT + 1.0),
    (sps.erfcx, lambda x: mpmath.exp(x**2) * mpmath.erfc(x), SIGNED),
    (sps.ndtri, lambda p: mpmath.sqrt(2) * mpmath.erfinv(2 * p - 1), PROB),
    (sps.i0, lambda x: mpmath.besseli(0, x), SIGNED),
    (sps.i1, lambda x: mpmath.besseli(1, x), SIGNED),
    (sps.i0e, lambda x: mpmath.exp(-abs(x)) * mpmath.besseli(0, x), SIGNED),
    (sps.i1e, lambda x: mpmath.exp(-abs(x)) * mpmath.besseli(1, x), SIGNED),
    (lambda x: sps.ive(2.5, x), lambda x: mpmath.exp(-x) * mpmath.besseli(2.5, x), POS),
    (lambda x: sps.betaln(x, 2.5), lambda x: mpmath.log(mpmath.beta(x, 2.5)), POS),
    (lambda x: sps.gammainc(2.5, x), lambda x: mpmath.gammainc(2.5, 0, x, regularized=True),
     POS),
    (lambda x: sps.betainc(2.0, 3.5, x),
     lambda x: mpmath.betainc(2.0, 3.5, 0, x, regularized=True), PROB),
    (lambda x: sps.stdtr(4.0, x), lambda x: mpmath.quad(
        lambda s: mpmath.gamma(2.5) / (mpmath.sqrt(4 * mpmath.pi) * mpmath.gamma(2))
        * (1 + s**2 / 4) ** -2.5, [-mpmath.inf, x]), SIGNED),
    (sps.log_expit, lambda x: -mpmath.log1p(mpmath.exp(-x)), SIGNED),
]


@pytest.mark.parametrize("f, mp, xs", MP_CASES, ids=[f"mp{i}" for i in range(len(MP_CASES))])
def test_first_and_second_derivatives_agree_with_mpmath(f, mp, xs):
    d1, d2 = grad(f), grad(grad(f))
    with mpmath.workdps(30):
        for x in xs:
            want1 = float(mpmath.diff(mp, mpmath.mpf(float(x))))
            want2 = float(mpmath.diff(mp, mpmath.mpf(float(x)), 2))
            assert abs(d1(x) - want1) <= 1e-13 * max(1.0, abs(want1))
            assert abs(d2(x) - want2) <= 1e-12 * max(1.0, abs(want2))


def test_an_order_or_shape_parameter_is_refused_with_the_functions_name():
    with pytest.raises(MissingRuleError, match="gammainc has no VJP rule for positional "
                                               "argument 0"):
        grad(lambda a: sps.gammainc(a, 1.5))(2.0)
    with pytest.raises(MissingRuleError, match="ive has no JVP rule"):
        jvp(lambda v: sps.ive(v, 1.5), (2.0,), (1.0,))


LSE_CASES = [
    ("all", dict()),
    ("axis 1", dict(axis=1)),
    ("axis tuple keepdims", dict(axis=(0, 1), keepdims=True)),
    ("b positive", dict(axis=0, b=np.array([[1.0], [0.5]]))),
    ("b with a zero", dict(axis=1, b=np.array([1.0, 0.0, 2.0]))),
    ("b signed, return_sign", dict(axis=1, b=np.array([1.0, -3.0, 0.5]), return_sign=True)),
    ("b signed, keepdims", dict(axis=0, b=np.array([[-1.0], [0.2]]), keepdims=True,
                                return_sign=True)),
    ("return_sign", dict(return_sign=True)),
]
A = rng.standard_normal((2, 3))


@pytest.mark.parametrize("name, kw", LSE_CASES, ids=[c[0] for c in LSE_CASES])
def test_logsumexp_matches_scipy_and_differentiates_to_order_two(name, kw):
    got, want = special.logsumexp(A, **kw), sps.logsumexp(A, **kw)
    traced = jvp(lambda a: special.logsumexp(a, **kw), (A,), (np.ones_like(A),))[0]
    def parts(v):
        return tuple(v) if kw.get("return_sign") else (v,)

    for value in (got, traced):
        for g, w in zip(parts(value), parts(want), strict=True):
            assert np.shape(g) == np.shape(w)
            assert np.allclose(g, w, rtol=1e-14, atol=1e-14)
    first = (lambda a: special.logsumexp(a, **kw)[0]) if kw.get("return_sign") else \
        (lambda a: special.logsumexp(a, **kw))
    check_grads(first, (A,), order=2)


def test_logsumexp_with_traced_weights_and_a_negative_sum_gives_nan_like_scipy():
    b = np.array([1.0, 2.0, 3.0])
    check_grads(lambda w: special.logsumexp(A, axis=1, b=w), (b,), order=2)
    with np.errstate(invalid="ignore"):
        assert np.isnan(jvp(lambda a: special.logsumexp(a, b=np.array([1.0, -2.0])),
                            (np.zeros(2),), (np.ones(2),))[0])
    assert np.isnan(sps.logsumexp(np.zeros(2), b=np.array([1.0, -2.0])))


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_softmax_and_log_softmax_match_scipys_axis_convention(fn, axis):
    ours, theirs = getattr(special, fn), getattr(sps, fn)
    traced = jvp(lambda a: ours(a, axis=axis), (A,), (np.ones_like(A),))[0]
    assert np.allclose(traced, theirs(A, axis=axis), rtol=1e-14, atol=1e-15)
    assert np.array_equal(ours(A, axis=axis), theirs(A, axis=axis))
    check_grads(lambda a: ours(a, axis=axis) * A, (A,), order=2)


def test_polygamma_is_differentiable_in_x_and_checks_its_order():
    x = POS
    for n in (0, 1, 3):
        assert np.allclose(jvp(lambda y, n=n: special.polygamma(n, y), (x,), (x,))[0],
                           sps.polygamma(n, x), rtol=1e-15)
        check_grads(lambda y, n=n: special.polygamma(n, y), (x,), order=2)
    assert np.allclose(grad(lambda y: np.sum(special.polygamma(2, y)))(x), sps.polygamma(3, x))
    with pytest.raises(ValueError, match="order n must be a non-negative integer"):
        grad(lambda y: special.polygamma(1.5, y))(1.0)


def test_the_drop_in_is_all_of_scipy_special_and_its_ufuncs_are_scipys():
    assert special.gammaln is sps.gammaln and special.ive is sps.ive
    assert {n for n in dir(sps) if not n.startswith("_")} <= set(dir(special))
    with pytest.raises(AttributeError, match="not a name of scipy.special"):
        special.no_such_function  # noqa: B018


def test_scipys_python_level_functions_are_not_traceable_so_the_drop_in_exists():
    # the reason for steepest.scipy.special: SciPy converts before any ufunc sees the value
    for fn in ("logsumexp", "log_softmax"):
        with pytest.raises(TypeError, match=rf"scipy\.special\.{fn} cannot be traced.*"
                                            rf"steepest\.scipy\.special\.{fn}"):
            grad(lambda a, fn=fn: np.sum(getattr(sps, fn)(a)))(np.zeros(2))
    with pytest.raises(TypeError, match=r"scipy\.special\.polygamma cannot be traced"):
        jvp(lambda a: sps.polygamma(1, a), (np.ones(2),), (np.ones(2),))
    # softmax is plain NumPy on top of ufuncs: SciPy's own function is traced
    assert np.allclose(grad(lambda a: sps.softmax(a)[0])(np.zeros(2)), [0.25, -0.25])
    assert np.allclose(grad(lambda a: special.logsumexp(a))(np.zeros(2)), [0.5, 0.5])


MORE_CASES = [
    ("jv", lambda x: sps.jv(1.5, x), POS),
    ("yv", lambda x: sps.yv(0.5, x), POS),
    ("kv", lambda x: sps.kv(2.5, x), POS),
    ("j0", lambda x: sps.j0(x), SIGNED),
    ("j1", lambda x: sps.j1(x), SIGNED),
    ("y0", lambda x: sps.y0(x), POS),
    ("y1", lambda x: sps.y1(x), POS),
    ("k0", lambda x: sps.k0(x), POS),
    ("k1", lambda x: sps.k1(x), POS),
    ("beta", lambda x: sps.beta(x, x[::-1] + 0.3), POS),
    ("loggamma", lambda x: sps.loggamma(x), POS),
    ("rgamma", lambda x: sps.rgamma(x), SIGNED),
    ("dawsn", lambda x: sps.dawsn(x), SIGNED),
    ("erfi", lambda x: sps.erfi(x), SIGNED),
    ("exp10", lambda x: sps.exp10(x), SIGNED),
    ("cosm1", lambda x: sps.cosm1(x), SIGNED),
    ("cbrt, exp2, expm1, log1p", lambda x: sps.cbrt(x) + sps.exp2(x) + sps.expm1(x)
     + sps.log1p(x), POS),
]


@pytest.mark.parametrize("name, f, x", MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_more_scipy_ufuncs_to_order_two(name, f, x):
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("f, mp", [
    (sps.j1, lambda x: mpmath.besselj(1, x)), (sps.y1, lambda x: mpmath.bessely(1, x)),
    (sps.k1, lambda x: mpmath.besselk(1, x)), (sps.dawsn, lambda x: mpmath.sqrt(mpmath.pi) / 2
                                               * mpmath.exp(-x**2) * mpmath.erfi(x)),
    (sps.rgamma, mpmath.rgamma)], ids=["j1", "y1", "k1", "dawsn", "rgamma"])
def test_bessel_and_gamma_derivatives_agree_with_mpmath(f, mp):
    d1 = grad(f)
    with mpmath.workdps(30):
        for x in POS:
            want = float(mpmath.diff(mp, mpmath.mpf(float(x))))
            assert abs(d1(x) - want) <= 1e-13 * max(1.0, abs(want))


def test_a_scipy_ufunc_without_a_rule_names_itself_and_an_alternative():
    with pytest.raises(MissingRuleError, match=r"scipy\.special\.kn is not differentiable in "
                                               r"steepest .*use scipy\.special\.kv"):
        grad(lambda x: sps.kn(1, x))(0.5)
    with pytest.raises(MissingRuleError, match=r"scipy\.special\.airy .*gammaln"):
        grad(lambda x: sps.airy(x)[0])(0.5)
    assert grad(lambda x: x * sps.round(x))(2.2) == 2.0  # piecewise constant: no derivative


def test_log_ndtr_derivative_is_accurate_in_the_left_tail():
    # (log Φ)' = φ/Φ; the old rule exp(-x²/2 - log Φ(x)) was ~1000 ulp off at x = -30
    x = np.concatenate([[-38.0, -30.0, -10.0, -1e5], np.linspace(-40.0, 0.0, 81)])
    got = grad(lambda v: np.sum(sps.log_ndtr(v)))(x)
    with mpmath.workdps(50):
        want = np.array([float(mpmath.npdf(v) / mpmath.ncdf(v)) for v in map(mpmath.mpf, x)])
    assert np.max(np.abs(got - want) / np.spacing(want)) <= 4
    _, tangent = jvp(sps.log_ndtr, (np.array(-30.0),), (np.array(1.0),))
    assert abs(tangent - want[1]) <= 4 * np.spacing(want[1])
