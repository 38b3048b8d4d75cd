import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.analysis import (
    CriticalKind,
    classify_critical_point,
    find_critical_points,
)
from steepest.problems.textbook import (
    NOTEBOOK_COEFFS,
    notebook_polynomial,
    notebook_polynomial_grad,
    notebook_polynomial_hess,
    peaks,
    peaks_grad,
    peaks_hess,
    saddle,
    saddle_grad,
    saddle_hess,
)


def _quartic_family():
    # (f, grad, hess, point, expected kind) — the cases of the second-derivative test
    def mk(a, b):
        f = lambda x: a * x[0] ** 2 + b * x[1] ** 4  # noqa: E731
        g = lambda x: np.array([2 * a * x[0], 4 * b * x[1] ** 3])  # noqa: E731
        h = lambda x: np.diag([2 * a, 12 * b * x[1] ** 2])  # noqa: E731
        return f, g, h

    return [
        (*mk(1.0, 1.0), [0.0, 0.0], CriticalKind.INCONCLUSIVE),   # psd, one zero eigenvalue
        (*mk(-1.0, -1.0), [0.0, 0.0], CriticalKind.INCONCLUSIVE),  # nsd, one zero eigenvalue
        (*mk(1.0, 1.0), [0.0, 1.0], CriticalKind.NOT_CRITICAL),
        (saddle, saddle_grad, saddle_hess, [0.0, 0.0], CriticalKind.SADDLE),
    ]


@pytest.mark.parametrize("case", _quartic_family(), ids=["psd0", "nsd0", "noncrit", "saddle"])
def test_second_derivative_test_cases(case):
    f, g, h, x, kind = case
    r = classify_critical_point(f, x, grad=g, hess=h)
    assert r.kind is kind
    assert r.kind == kind.value  # string comparison works too
    np.testing.assert_allclose(r.eigenvalues, np.linalg.eigvalsh(h(np.asarray(x))))
    assert r.grad_norm == pytest.approx(np.linalg.norm(g(np.asarray(x))))


def test_saddle_with_a_zero_eigenvalue_is_still_a_saddle():
    H = np.diag([2.0, 0.0, -1.0])
    r = classify_critical_point(lambda x: 0.5 * x @ H @ x, np.zeros(3),
                                grad=lambda x: H @ x, hess=lambda x: H)
    assert r.kind is CriticalKind.SADDLE


def test_tolerances_scale_with_the_problem():
    # the same quadratic bowl at scales 1e-6 and 1e6: classification must not change
    for s in (1e-6, 1.0, 1e6):
        H = s * np.diag([1.0, 3.0])
        xstar = np.array([2.0, -1.0])
        r = classify_critical_point(lambda x: 0.5 * (x - xstar) @ H @ (x - xstar),  # noqa: B023
                                    xstar + 1e-9, grad=lambda x: H @ (x - xstar),  # noqa: B023
                                    hess=lambda x: H)  # noqa: B023
        assert r.kind is CriticalKind.MINIMUM
        assert r.eig_tol == pytest.approx(1e-6 * 3 * s)
        assert r.grad_tol == pytest.approx(1e-6 * 3 * s * np.linalg.norm(xstar + 1e-9))
        # a point 1 unit away is not critical at any scale
        far = classify_critical_point(lambda x: 0.0, xstar + 1.0,  # noqa: B023
                                      grad=lambda x: H @ (x - xstar), hess=lambda x: H)  # noqa: B023
        assert far.kind is CriticalKind.NOT_CRITICAL


def test_tiny_eigenvalue_is_zero_only_relative_to_the_tolerance():
    H = np.diag([1.0, 1e-9])
    kw = dict(grad=lambda x: H @ x, hess=lambda x: H)
    f = lambda x: 0.5 * x @ H @ x  # noqa: E731
    assert classify_critical_point(f, np.zeros(2), **kw).kind is CriticalKind.INCONCLUSIVE
    assert classify_critical_point(f, np.zeros(2), tol=1e-12, **kw).kind is CriticalKind.MINIMUM
    assert classify_critical_point(f, np.zeros(2), eig_tol=0.0, **kw).kind is CriticalKind.MINIMUM


def test_notebook_polynomial_critical_points_match_the_roots_of_its_derivative():
    cps = find_critical_points(notebook_polynomial, [(-2.5, 2.5)], grad=notebook_polynomial_grad,
                               hess=notebook_polynomial_hess)
    roots = np.roots(np.polyder(NOTEBOOK_COEFFS))
    real = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
    inside = real[(real >= -2.5) & (real <= 2.5)]
    found = np.sort([p.x[0] for p in cps.points])
    np.testing.assert_allclose(found, inside, atol=1e-8)
    d2 = np.polyder(NOTEBOOK_COEFFS, 2)
    for p in cps.points:
        expected = CriticalKind.MINIMUM if np.polyval(d2, p.x[0]) > 0 else CriticalKind.MAXIMUM
        assert p.kind is expected
    assert len(cps.minima) == 2 and len(cps.maxima) == 2


def test_saddle_of_x2_minus_y2_is_found_and_classified():
    cps = find_critical_points(saddle, [(-1, 1), (-1, 1)], grad=saddle_grad, hess=saddle_hess,
                               n_starts=10)
    assert len(cps.points) == 1
    p = cps.saddles[0]
    np.testing.assert_allclose(p.x, 0.0, atol=1e-12)


def _reference_peaks_points():
    """Independent reference: discrete minima of |grad f| on a fine grid, polished by Newton."""
    t = np.linspace(-3, 3, 241)
    U, V = np.meshgrid(t, t, indexing="ij")
    G = np.linalg.norm(peaks_grad(np.stack([U, V])), axis=0)
    inner = G[1:-1, 1:-1]
    is_min = np.ones_like(inner, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                is_min &= inner < G[1 + di: G.shape[0] - 1 + di, 1 + dj: G.shape[1] - 1 + dj]
    pts = []
    for i, j in zip(*np.nonzero(is_min & (inner < 0.5))):
        x = np.array([U[i + 1, j + 1], V[i + 1, j + 1]])
        for _ in range(20):
            x = x - np.linalg.solve(peaks_hess(x), peaks_grad(x))
        if np.linalg.norm(peaks_grad(x)) < 1e-10 and all(np.linalg.norm(x - q) > 1e-6
                                                         for q in pts):
            pts.append(x)
    return np.array(pts)


def test_peaks_critical_points_are_all_found_and_correctly_classified():
    cps = find_critical_points(peaks, [(-3, 3), (-3, 3)], grad=peaks_grad, hess=peaks_hess)
    ref = _reference_peaks_points()
    assert len(cps.points) == len(ref) == 9
    for q in ref:
        assert min(np.linalg.norm(p.x - q) for p in cps.points) < 1e-8
    assert (len(cps.minima), len(cps.maxima), len(cps.saddles)) == (3, 3, 3)
    rng = np.random.default_rng(1)
    for p in cps.points:
        # kinds agree with the values around the point
        around = np.array([peaks(p.x + 1e-3 * u) for u in rng.standard_normal((40, 2))])
        if p.kind is CriticalKind.MINIMUM:
            assert np.all(around >= p.value)
        elif p.kind is CriticalKind.MAXIMUM:
            assert np.all(around <= p.value)
        else:
            assert np.any(around > p.value) and np.any(around < p.value)
    # extreme values: those of the independently Newton-refined points, and the quoted ones
    ref_values = sorted(float(peaks(q)) for q in ref)
    assert cps.minima[0].value == pytest.approx(ref_values[0], abs=1e-12)
    assert cps.maxima[-1].value == pytest.approx(ref_values[-1], abs=1e-12)
    assert ref_values[0] == pytest.approx(-6.5511, abs=5e-5)  # MATLAB peaks: min -6.5511
    assert ref_values[-1] == pytest.approx(8.1062, abs=5e-5)  # and max 8.1062


def test_find_critical_points_validates_bounds():
    with pytest.raises(ValueError, match="low < high"):
        find_critical_points(saddle, [(1, -1), (-1, 1)], grad=saddle_grad, hess=saddle_hess)
    with pytest.raises(ValueError, match="shape"):
        find_critical_points(saddle, [(1, 2, 3)], grad=saddle_grad, hess=saddle_hess)
    with pytest.raises(ValueError, match="finite"):
        find_critical_points(saddle, [(-np.inf, 1), (-1, 1)], grad=saddle_grad, hess=saddle_hess)


def test_non_finite_derivatives_raise_clearly_and_do_not_break_the_search():
    def f(x):
        return np.sqrt(x[0]) + (x[0] - 1.0) ** 2 if x[0] >= 0 else np.nan

    def g(x):
        return np.array([0.5 / np.sqrt(x[0]) + 2 * (x[0] - 1.0)]) if x[0] > 0 else \
            np.array([np.nan])

    def h(x):
        return np.array([[-0.25 * x[0] ** -1.5 + 2.0]]) if x[0] > 0 else np.array([[np.nan]])

    with pytest.raises(ValueError, match="NaN or inf"):
        classify_critical_point(f, [-1.0], grad=g, hess=h)
    cps = find_critical_points(f, [(-1.0, 2.0)], grad=g, hess=h, n_starts=30)
    # f' = 1/(2 sqrt x) + 2(x - 1) = 0: a maximum near 0.07 and a minimum near 0.70
    assert all(np.isfinite(p.value) for p in cps.points)
    assert any(p.kind is CriticalKind.MINIMUM for p in cps.points)
    for p in cps.points:
        assert abs(g(p.x)[0]) < 1e-8


@given(st.lists(st.sampled_from([-1, 0, 1]), min_size=1, max_size=6), st.integers(0, 10_000))
def test_kind_follows_the_sign_pattern_of_the_eigenvalues(signs, seed):
    rng = np.random.default_rng(seed)
    n = len(signs)
    lam = np.array(signs, dtype=float) * rng.uniform(0.5, 5.0, n)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    H = (Q * lam) @ Q.T
    r = classify_critical_point(lambda x: 0.5 * x @ H @ x, np.zeros(n),  # noqa: B023
                                grad=lambda x: H @ x, hess=lambda x: H)  # noqa: B023
    pos, neg, zero = signs.count(1), signs.count(-1), signs.count(0)
    if pos and neg:
        expected = CriticalKind.SADDLE
    elif zero:
        expected = CriticalKind.INCONCLUSIVE
    else:
        expected = CriticalKind.MINIMUM if pos else CriticalKind.MAXIMUM
    assert r.kind is expected


def test_separable_double_wells_give_the_full_grid_of_critical_points():
    # f = sum_i a_i x_i^4 / 4 - b_i x_i^2 / 2: per coordinate a max at 0 and minima at
    # +-sqrt(b_i / a_i); in 2-D: 4 minima, 1 maximum, 4 saddles
    a, b = np.array([1.0, 2.0]), np.array([2.0, 1.0])

    def f(x):
        return np.sum(a * x**4 / 4 - b * x**2 / 2)

    cps = find_critical_points(f, [(-2, 2), (-2, 2)], grad=lambda x: a * x**3 - b * x,
                               hess=lambda x: np.diag(3 * a * x**2 - b))
    r = np.sqrt(b / a)
    expected = {(s0 * r[0], s1 * r[1]): CriticalKind.MINIMUM for s0 in (-1, 1) for s1 in (-1, 1)}
    expected[(0.0, 0.0)] = CriticalKind.MAXIMUM
    for s in (-1, 1):
        expected[(s * r[0], 0.0)] = CriticalKind.SADDLE
        expected[(0.0, s * r[1])] = CriticalKind.SADDLE
    assert len(cps.points) == 9
    for p in cps.points:
        key = min(expected, key=lambda k: np.linalg.norm(np.array(k) - p.x))  # noqa: B023
        assert np.linalg.norm(np.array(key) - p.x) < 1e-10
        assert p.kind is expected[key]


def test_classify_rejects_bad_tolerances():
    kw = dict(grad=saddle_grad, hess=saddle_hess)
    with pytest.raises(ValueError, match="tol"):
        classify_critical_point(saddle, [0.0, 0.0], tol=-1.0, **kw)
    with pytest.raises(ValueError, match="x_scale"):
        classify_critical_point(saddle, [0.0, 0.0], x_scale=0.0, **kw)
    with pytest.raises(ValueError, match="eig_tol"):
        classify_critical_point(saddle, [0.0, 0.0], eig_tol=-1e-3, **kw)


def test_explicit_starts_are_used():
    # from a start next to the global minimum of peaks only that minimum is found
    cps = find_critical_points(peaks, [(-3, 3), (-3, 3)], grad=peaks_grad, hess=peaks_hess,
                               starts=[[0.2, -1.6]])
    assert cps.n_starts == 1 and len(cps.points) == 1
    assert cps.points[0].kind is CriticalKind.MINIMUM
    ref_min = min(float(peaks(q)) for q in _reference_peaks_points())
    assert cps.points[0].value == pytest.approx(ref_min, abs=1e-12)
    with pytest.raises(ValueError, match="starts must be"):
        find_critical_points(peaks, [(-3, 3), (-3, 3)], grad=peaks_grad, hess=peaks_hess,
                             starts=[[0.0, 0.0, 0.0]])
