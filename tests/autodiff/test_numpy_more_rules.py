"""The remaining NumPy rules of issue 11 point 2 (order statistics, NaN reductions, cov,
differences, interpolation, convolution, polynomials, selections, floating-point ufuncs):
values equal NumPy's, derivatives checked by check_grads to order 2 in both modes, through
plain ``numpy`` (``__array_function__``/``__array_ufunc__``) and ``steepest.numpy``."""

import numpy as np
import pytest

import steepest.numpy as snp
from steepest.autodiff import MissingRuleError, check_grads, grad, jvp

rng = np.random.default_rng(211)
V = rng.standard_normal(7)
W = rng.standard_normal(4)
M = rng.standard_normal((3, 5))
T = rng.standard_normal((2, 3, 4))
NANV = np.where(np.arange(7) % 3 == 1, np.nan, V)
NANM = np.where(np.arange(15).reshape(3, 5) % 4 == 2, np.nan, M)
POS = np.abs(V) + 0.5
X = np.cumsum(np.abs(W) + 0.3)

CASES = [
    ("median odd", lambda m, a: m.median(a), (V,)),
    ("median even", lambda m, a: m.median(a), (V[:6],)),
    ("median axis", lambda m, a: m.median(a, axis=1), (M,)),
    ("median axes keepdims", lambda m, a: m.median(a, axis=(0, 2), keepdims=True), (T,)),
    ("quantile q vector", lambda m, a: m.quantile(a, [0.1, 0.5, 0.93]), (V,)),
    ("quantile axis 0", lambda m, a: m.quantile(a, 0.3, axis=0), (M,)),
    ("quantile q array keepdims", lambda m, a: m.quantile(a, np.array([0.2, 0.7]), axis=1,
                                                          keepdims=True), (M,)),
    *[(f"quantile {meth}", lambda m, a, meth=meth: m.quantile(a, [0.15, 0.5, 0.8],
                                                              method=meth), (V,))
      for meth in ("lower", "higher", "midpoint", "nearest")],
    ("percentile", lambda m, a: m.percentile(a, [25, 75], axis=-1), (M,)),
    ("nanmedian", lambda m, a: m.nanmedian(a), (NANV,)),
    ("nanmedian axis", lambda m, a: m.nanmedian(a, axis=1), (NANM,)),
    ("nanquantile", lambda m, a: m.nanquantile(a, [0.3, 0.6], axis=0), (NANM,)),
    ("nanpercentile", lambda m, a: m.nanpercentile(a, 40.0), (NANV,)),
    ("nansum", lambda m, a: m.nansum(a, axis=1) + m.nansum(a), (NANM,)),
    ("nanprod", lambda m, a: m.nanprod(a, axis=0, keepdims=True), (NANM,)),
    ("nanmean", lambda m, a: m.nanmean(a, axis=1), (NANM,)),
    ("nanvar", lambda m, a: m.nanvar(a, axis=0, ddof=1), (NANM,)),
    ("nanstd", lambda m, a: m.nanstd(a) + m.nanstd(a, axis=1), (NANM,)),
    ("nanmax", lambda m, a: m.nanmax(a, axis=1), (NANM,)),
    ("nanmin", lambda m, a: m.nanmin(a), (NANV,)),
    ("nancumsum", lambda m, a: m.nancumsum(a, axis=1), (NANM,)),
    ("nancumprod", lambda m, a: m.nancumprod(a), (NANV,)),
    ("cov", lambda m, a: m.cov(a), (M,)),
    ("cov rowvar False bias", lambda m, a: m.cov(a, rowvar=False, bias=True), (M,)),
    ("cov y ddof", lambda m, a, b: m.cov(a, b, ddof=0), (V[:5], M[0])),
    ("cov weights", lambda m, a: m.cov(a, fweights=[1, 2, 1, 3, 1],
                                       aweights=[0.5, 1.0, 2.0, 1.0, 0.3]), (M,)),
    ("cov 1-d", lambda m, a: m.cov(a), (V,)),
    ("corrcoef", lambda m, a: m.corrcoef(a), (M,)),
    ("corrcoef y", lambda m, a, b: m.corrcoef(a, b), (V[:5], M[1])),
    ("partition values", lambda m, a: m.partition(a, 3), (V,)),
    ("partition axis", lambda m, a: m.partition(a, (1, 3), axis=1), (M,)),
    ("gradient 1-d", lambda m, a: m.gradient(a), (V,)),
    ("gradient spacing edge 2", lambda m, a: m.gradient(a, 0.3, edge_order=2), (V,)),
    ("gradient coordinates", lambda m, a: m.gradient(a, X, edge_order=2), (W,)),
    ("gradient coordinates edge 1", lambda m, a: m.gradient(a, X), (W,)),
    ("gradient 2-d", lambda m, a: m.gradient(a)[0] * m.gradient(a)[1], (M,)),
    ("gradient axis", lambda m, a: m.gradient(a, 0.5, axis=1), (M,)),
    ("ediff1d", lambda m, a: m.ediff1d(a, to_begin=a[:1] ** 2, to_end=[1.0, 2.0]), (M,)),
    ("diff prepend append", lambda m, a: m.diff(a, prepend=0.0, append=a[-1:] ** 2), (V,)),
    ("trapezoid", lambda m, a: m.trapezoid(a ** 2, dx=0.3), (V,)),
    ("trapezoid x", lambda m, a, x: m.trapezoid(m.sin(a), x), (W, X)),
    ("trapezoid axis 0", lambda m, a: m.trapezoid(a, axis=0), (M,)),
    ("interp in x", lambda m, a: m.interp(a, X, np.sin(X)), (np.array([-1.0, 0.9, 1.7, 9.0]),)),
    ("interp in fp and xp", lambda m, f, xp: m.interp(np.array([0.9, 1.7, 2.3]), xp, f),
     (W, X)),
    ("interp left right", lambda m, f: m.interp(np.array([-5.0, 1.2, 50.0]), X, f,
                                               left=-1.0, right=f[0]), (W,)),
    *[(f"convolve {mode}", lambda m, a, b, mode=mode: m.convolve(a, b, mode), (V, W))
      for mode in ("full", "same", "valid")],
    ("convolve short first", lambda m, a, b: m.convolve(a, b, "same"), (W, V)),
    *[(f"correlate {mode}", lambda m, a, b, mode=mode: m.correlate(a, b, mode), (V, W))
      for mode in ("full", "same", "valid")],
    *[(f"correlate short first {mode}", lambda m, a, b, mode=mode: m.correlate(a, b, mode),
       (W, V)) for mode in ("full", "same", "valid")],
    ("polyval", lambda m, p, x: m.polyval(p, x), (W, V)),
    ("polyadd polysub", lambda m, a, b: m.polyadd(a, b) * m.polysub(b, a), (V, W)),
    ("polymul", lambda m, a, b: m.polymul(a, b), (V, W)),
    ("polyder", lambda m, a: m.polyder(a, 2), (V,)),
    ("polyint", lambda m, a: m.polyint(a, 2, k=[1.0, 2.0]), (V,)),
    ("select", lambda m, a: m.select([a < -0.5, a > 0.5], [a ** 2, m.sin(a)], default=a),
     (V,)),
    ("piecewise", lambda m, a: m.piecewise(a, [a < 0, a >= 0], [lambda x: x ** 2, np.sin]),
     (V,)),
    ("piecewise otherwise", lambda m, a: m.piecewise(a, [a < 0], [lambda x: -x, 3.0]), (V,)),
    ("choose", lambda m, a, b: m.choose(np.array([0, 1, 1, 0, 2, 1, 0]), [a, b, a * b]),
     (V, V[::-1])),
    ("choose clip", lambda m, a: m.choose(np.array([[0, 3], [1, -1]]), [a, 2 * a], mode="clip"),
     (W.reshape(2, 2),)),
    ("broadcast_arrays", lambda m, a, b: m.broadcast_arrays(a, b)[0] * m.broadcast_arrays(
        a, b)[1], (W[:, None], V)),
    ("compress", lambda m, a: m.compress([True, False, True], a, axis=0), (M,)),
    ("extract", lambda m, a: m.extract(a > 0, a), (M,)),
    ("delete", lambda m, a: m.delete(a, [0, 2], axis=1) + 0 * m.delete(a, 1)[0], (M,)),
    ("diagflat", lambda m, a: m.diagflat(a, 1), (W,)),
    ("vander", lambda m, a: m.vander(a, 4) + m.vander(a, increasing=True)[:, :4], (W,)),
    ("unwrap", lambda m, a: m.unwrap(a * 4.0), (V,)),
    ("cumulative_sum", lambda m, a: m.cumulative_sum(a, axis=1, include_initial=True), (M,)),
    ("cumulative_prod", lambda m, a: m.cumulative_prod(a), (V,)),
    ("matrix_transpose", lambda m, a: m.matrix_transpose(a) * np.arange(24.0).reshape(
        2, 4, 3), (T,)),
    ("unstack", lambda m, a: m.unstack(a, axis=1)[2] * m.unstack(a)[0][:3], (M,)),
    ("apply_along_axis", lambda m, a: m.apply_along_axis(lambda r: r ** 2 * r[0], 1, a), (M,)),
    ("apply_along_axis scalar", lambda m, a: m.apply_along_axis(np.sum, 0, a ** 2), (T,)),
    ("kron", lambda m, a, b: m.kron(a, b), (M[:2, :2], W.reshape(2, 2))),
    ("cumprod", lambda m, a: m.cumprod(a, axis=1), (M,)),
    ("take_along_axis", lambda m, a: m.take_along_axis(a, np.argsort(M, axis=1), axis=1),
     (M,)),
    ("copysign", lambda m, a, b: m.copysign(a, b) * a, (V, V[::-1])),
    ("ldexp", lambda m, a: m.ldexp(a, np.arange(7) - 3), (V,)),
    ("frexp", lambda m, a: m.frexp(a)[0] * m.frexp(a)[1], (V * 5,)),
    ("modf", lambda m, a: m.modf(a)[0] + m.modf(a)[1] * a, (V * 3,)),
    ("divmod", lambda m, a, b: m.divmod(a, b)[1] + m.divmod(a, b)[0], (V * 3, POS)),
    ("float_power", lambda m, a, b: m.float_power(a, b), (POS, V)),
    ("nextafter", lambda m, a, b: m.nextafter(a, b) * a, (V, W[:1])),
    ("hypot", lambda m, a, b: m.hypot(a, b), (V, V[::-1])),
    ("heaviside", lambda m, a: m.heaviside(a, 0.5) * a, (V,)),
    ("i0", lambda m, a: m.i0(a), (V,)),
    ("vecdot", lambda m, a, b: m.vecdot(a, b), (M, M[::-1])),
    ("matvec", lambda m, a, b: m.matvec(a, b), (T, W)),
    ("vecmat", lambda m, a, b: m.vecmat(a, b), (W[:3], T)),
]


def _close(a, b):
    if isinstance(a, tuple):
        return all(_close(x, y) for x, y in zip(a, b, strict=True))
    return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-13, atol=1e-13,
                                                     equal_nan=True)


@pytest.mark.parametrize("mod", [np, snp], ids=["numpy", "steepest.numpy"])
@pytest.mark.parametrize("name, f, args", CASES, ids=[c[0] for c in CASES])
def test_values_match_numpy_and_derivatives_check_to_order_two(mod, name, f, args):
    ones = tuple(np.ones_like(a) for a in args)
    traced = jvp(lambda *a: f(mod, *a), args, ones)[0]
    assert _close(traced, f(np, *args))
    check_grads(lambda *a: f(mod, *a), args, modes=("fwd", "rev"), order=2)


def test_median_and_quantile_split_the_derivative_between_the_bracketing_values():
    x = np.array([3.0, 1.0, 2.0, 4.0])
    assert np.array_equal(grad(np.median)(x), [0.5, 0.0, 0.5, 0.0])
    assert np.allclose(grad(lambda a: np.quantile(a, 0.25))(x), [0.0, 0.25, 0.75, 0.0])
    assert np.array_equal(grad(lambda a: np.nanmedian(a))(np.array([1.0, np.nan, 5.0])),
                          [0.5, 0.0, 0.5])


def test_nan_entries_get_zero_derivative_and_all_nan_slices_give_nan():
    g = grad(lambda a: np.nanmean(a) + np.nanstd(a) + np.nanmax(a))(NANV)
    assert np.all(g[np.isnan(NANV)] == 0) and np.all(np.isfinite(g))
    with np.errstate(invalid="ignore"), pytest.warns(RuntimeWarning):
        want = np.nanmax(np.full((2, 2), np.nan), axis=0)
    got = jvp(lambda a: np.nanmax(a, axis=0), (np.full((2, 2), np.nan),), (np.ones((2, 2)),))
    assert np.array_equal(got[0], want, equal_nan=True)


def test_nanstd_has_zero_derivative_at_zero_spread_like_std():
    x = np.array([[2.0, np.nan, 2.0], [1.0, 3.0, np.nan]])
    g = grad(lambda a: np.sum(np.nanstd(a, axis=1)))(x)
    assert np.all(np.isfinite(g)) and np.all(g[0] == 0)


def test_interp_derivative_in_x_is_the_slope_of_the_segment():
    xp, fp = np.array([0.0, 1.0, 3.0]), np.array([0.0, 2.0, 3.0])
    dx = grad(lambda x: np.interp(x, xp, fp))
    assert [float(dx(0.5)), float(dx(2.0)), float(dx(-1.0)), float(dx(4.0))] == \
        [2.0, 0.5, 0.0, 0.0]


def test_gradient_of_a_quadratic_is_exact_inside_and_with_second_order_edges():
    x = np.linspace(0.0, 2.0, 9)
    assert np.allclose(np.gradient(x**2, x, edge_order=2), 2 * x)
    j = jvp(lambda y: np.gradient(y**2, 0.25, edge_order=2), (x,), (np.ones(9),))[1]
    assert np.allclose(j, np.gradient(2 * x, 0.25, edge_order=2))


def test_ufunc_methods_without_rules_name_the_alternative():
    with pytest.raises(MissingRuleError, match=r"np\.add\.outer .*x\[:, None\]"):
        grad(lambda a: np.sum(np.add.outer(a, a)))(V)
    with pytest.raises(MissingRuleError, match=r"np\.maximum\.accumulate"):
        grad(lambda a: np.sum(np.maximum.accumulate(a)))(V)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="quantile method 'weibull'"):
        grad(lambda a: np.quantile(a, 0.5, method="weibull"))(V)
    with pytest.raises(ValueError, match=r"quantiles must lie in \[0, 1\]"):
        grad(lambda a: np.quantile(a, 1.5))(V)
    with pytest.raises(NotImplementedError, match="period"):
        grad(lambda a: np.interp(a, X, W, period=2.0))(1.0)
    with pytest.raises(ValueError, match="edge_order"):
        grad(lambda a: np.sum(np.gradient(a, edge_order=2)))(np.ones(2))
