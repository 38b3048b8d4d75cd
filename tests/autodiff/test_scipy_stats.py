"""steepest.scipy.stats (issue 11 point 5): on traced values every method gives SciPy's value
and derivatives that check_grads confirms to order 2 in both modes, in x, loc, scale and the
shape parameters; on plain values it is SciPy's own method."""

import numpy as np
import pytest
import scipy.stats as ss

from steepest.autodiff import MissingRuleError, check_grads, grad, jvp
from steepest.scipy import stats

X = np.array([0.15, 0.45, 0.8])


def _none(p):
    return {}


K = np.array([0.0, 2.0, 5.0])

CASES = [  # name, method, args builder p -> (x, *params), kwargs builder, point
    ("norm", "logpdf", lambda p: (p[:3],), lambda p: dict(loc=p[3], scale=p[4]), [*X, 0.2, 1.7]),
    ("norm", "pdf", lambda p: (p[:3], p[3], p[4]), _none, [*X, 0.2, 1.7]),
    ("norm", "cdf", lambda p: (p[:3],), lambda p: dict(loc=p[3], scale=p[4]), [*X, 0.2, 1.7]),
    ("norm", "logcdf", lambda p: (p[:3], p[3], p[4]), _none, [*X, -3.0, 0.4]),
    ("norm", "sf", lambda p: (p[:3], p[3]), _none, [*X, 0.2]),
    ("norm", "logsf", lambda p: (p[:3], p[3], p[4]), _none, [*X, 0.2, 0.1]),
    ("t", "logpdf", lambda p: (p[:3], p[3]), lambda p: dict(loc=p[4], scale=p[5]),
     [*X, 3.5, 0.1, 0.8]),
    ("t", "pdf", lambda p: (p[:3], p[3]), _none, [*X, 2.5]),
    ("t", "cdf", lambda p: (p[:3], 3.5, p[3], p[4]), _none, [*X, 0.1, 0.8]),
    ("t", "logcdf", lambda p: (p[:3], 3.5), _none, X),
    ("t", "sf", lambda p: (p[:3],), lambda p: dict(df=2.0, scale=p[3]), [*X, 0.6]),
    ("gamma", "logpdf", lambda p: (p[:3], p[3]), lambda p: dict(scale=p[4]), [*X, 2.2, 1.3]),
    ("gamma", "pdf", lambda p: (p[:3], p[3], p[4]), _none, [*X, 1.7, 0.05]),
    ("gamma", "cdf", lambda p: (p[:3], 2.2), lambda p: dict(loc=p[3], scale=p[4]),
     [*X, 0.05, 1.3]),
    ("gamma", "logsf", lambda p: (p[:3], 1.5), _none, X),
    ("beta", "logpdf", lambda p: (p[:3], p[3], p[4]), _none, [*X, 2.2, 1.3]),
    ("beta", "pdf", lambda p: (p[:3], p[3], p[4]), lambda p: dict(scale=p[5]),
     [*X, 2.2, 3.0, 1.1]),
    ("beta", "cdf", lambda p: (p[:3], 2.0, 3.5), _none, X),
    ("beta", "logcdf", lambda p: (p[:3], 2.0, 3.5), lambda p: dict(loc=p[3]), [*X, -0.1]),
    ("poisson", "logpmf", lambda p: (K, p[0]), _none, [2.3]),
    ("poisson", "pmf", lambda p: (K, p[0]), _none, [2.3]),
    ("poisson", "cdf", lambda p: (K, p[0]), _none, [2.3]),
    ("poisson", "logcdf", lambda p: (K + 0.5, p[0]), _none, [2.3]),
    ("poisson", "sf", lambda p: (K, p[0], -1.0), _none, [2.3]),
]


def _call(mod, name, method, args, kw):
    return getattr(getattr(mod, name), method)(*args, **kw)


@pytest.mark.parametrize("name, method, args, kw, point", CASES,
                         ids=[f"{c[0]}.{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_traced_methods_equal_scipys_and_check_to_order_two(name, method, args, kw, point):
    p0 = np.array(point, dtype=float)

    def f(p):
        return _call(stats, name, method, args(p), kw(p))

    want = _call(ss, name, method, args(p0), kw(p0))
    value = jvp(f, (p0,), (np.ones_like(p0),))[0]
    assert np.allclose(value, want, rtol=1e-13, atol=1e-300)
    assert np.array_equal(_call(stats, name, method, args(p0), kw(p0)), want)
    check_grads(f, (p0,), modes=("fwd", "rev"), order=2, rtol=1e-4)


def test_frozen_distributions_and_the_gaussian_likelihood_gradient():
    x = np.array([0.5, 1.5, 2.5, 4.0])
    def nll(theta):
        return -np.sum(stats.norm(theta[0], theta[1]).logpdf(x))
    mu, s = 1.2, 0.9
    g = grad(nll)(np.array([mu, s]))
    n = x.size
    assert np.allclose(g, [-np.sum(x - mu) / s**2, n / s - np.sum((x - mu) ** 2) / s**3])
    check_grads(nll, (np.array([mu, s]),), order=2)


def test_outside_the_support_the_log_density_is_minus_inf_like_scipy():
    z = np.array([-0.5, 0.5, 1.5])
    for name, params in (("gamma", (2.0,)), ("beta", (2.0, 3.0))):
        got = jvp(lambda y, name=name, params=params:
                  _call(stats, name, "logpdf", (y, *params), {}), (z,), (np.ones(3),))
        assert np.array_equal(got[0], _call(ss, name, "logpdf", (z, *params), {}))
        assert np.all(np.isfinite(got[1][1]))
    lp = jvp(lambda m: stats.poisson.logpmf(np.array([-1.0, 1.5, 2.0]), m), (1.3,), (1.0,))
    assert np.array_equal(lp[0], ss.poisson.logpmf(np.array([-1.0, 1.5, 2.0]), 1.3))


def test_a_cdf_is_not_differentiated_in_a_shape_parameter():
    with pytest.raises(MissingRuleError, match="stdtr has no VJP rule for positional argument 0"):
        grad(lambda df: stats.t.cdf(0.3, df))(3.0)


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="scale must be positive"):
        grad(lambda x: stats.norm.logpdf(x, scale=-1.0))(0.0)
    with pytest.raises(TypeError, match="missing shape parameter"):
        grad(lambda x: stats.gamma.logpdf(x))(1.0)
    with pytest.raises(TypeError, match="unexpected or repeated parameter 'sigma'"):
        grad(lambda x: stats.norm.logpdf(x, sigma=1.0))(1.0)
    with pytest.raises(ValueError, match="rate mu must be non-negative"):
        grad(lambda m: stats.poisson.logpmf(1, m - 5.0))(1.0)
    with pytest.raises(ValueError, match="dirichlet: x must have 3"):
        grad(lambda a: stats.dirichlet.logpdf(np.ones(5) / 5, a))(np.ones(3))


rng = np.random.default_rng(1105)
R = rng.standard_normal((3, 3))
COV = R @ R.T + 3 * np.eye(3)
MEAN = rng.standard_normal(3)
ROWS = rng.standard_normal((4, 3))


@pytest.mark.parametrize("cov", [COV, np.array([1.0, 2.0, 0.5]), 1.7],
                         ids=["matrix", "diagonal", "scalar"])
@pytest.mark.parametrize("x", [MEAN + 0.3, ROWS], ids=["one", "rows"])
def test_multivariate_normal_matches_scipy_in_x_mean_and_cov(cov, x):
    for method in ("logpdf", "pdf"):
        want = getattr(ss.multivariate_normal, method)(x, MEAN, cov)
        m = getattr(stats.multivariate_normal, method)
        got = jvp(lambda mu, m=m: m(x, mu, cov), (MEAN,), (np.ones(3),))[0]
        assert np.shape(got) == np.shape(want) and np.allclose(got, want, rtol=1e-12)
        check_grads(lambda y, mu, m=m: m(y, mu, cov), (x, MEAN), order=2)
    def sym(c):  # SciPy reads one triangle of a covariance matrix: perturb symmetrically
        return (c + c.T) / 2 if np.ndim(c) == 2 else c

    check_grads(lambda c: stats.multivariate_normal(MEAN, sym(c)).logpdf(x), (np.asarray(cov),),
                order=2)


@pytest.mark.parametrize("x", [np.array([0.2, 0.3, 0.5]), np.array([0.2, 0.3]),
                               np.array([[0.2, 0.6], [0.3, 0.1], [0.5, 0.3]])],
                         ids=["k", "k-1", "columns"])
def test_dirichlet_matches_scipy_in_x_and_alpha(x):
    alpha = np.array([1.5, 2.0, 3.5])
    for method in ("logpdf", "pdf"):
        want = getattr(ss.dirichlet, method)(x, alpha)
        m = getattr(stats.dirichlet, method)
        got = jvp(lambda a, m=m: m(x, a), (alpha,), (np.ones(3),))[0]
        assert np.shape(got) == np.shape(want) and np.allclose(got, want, rtol=1e-12)
        check_grads(lambda a, m=m: m(x, a), (alpha,), order=2)
    check_grads(lambda y: stats.dirichlet(alpha).logpdf(y), (x[:2],), order=2)  # k − 1 free


def test_scipys_own_methods_cannot_be_traced_so_the_drop_in_exists():
    with pytest.raises(TypeError, match=r"scipy\.stats\.norm\.logpdf cannot be traced.*"
                                        r"steepest\.scipy\.stats\.norm\.logpdf"):
        grad(lambda x: np.sum(ss.norm.logpdf(x)))(X)
    with pytest.raises(TypeError, match=r"scipy\.stats\.gamma\.cdf cannot be traced"):
        jvp(lambda x: ss.gamma(2.0).cdf(x), (X,), (X,))
    with pytest.raises(TypeError, match=r"stats\.multivariate_normal\.logpdf cannot be traced"):
        grad(lambda x: ss.multivariate_normal.logpdf(x, np.zeros(3)))(X)
    assert np.allclose(grad(lambda x: np.sum(stats.norm.logpdf(x)))(X), -X)
