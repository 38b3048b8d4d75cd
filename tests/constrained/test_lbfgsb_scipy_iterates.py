"""L-BFGS-B with no finite bound takes scipy's iterates bit for bit (scipy's ``lbfgsb.c``
arithmetic: ``formk``/``subsm`` with sequential sums, ``lnsrlb``'s trial points and
``matupd``'s pair update), so its evaluation counts are scipy's."""

import numpy as np
import pytest
import scipy.optimize as so

from steepest import minimize
from steepest.constrained import lbfgsb as lbfgsb_module
from steepest.constrained.lbfgsb_compact import EPS
from steepest.constrained.lbfgsb_exact import SequentialGram, free_step, sequential_dots
from steepest.problems import mgh_problem


def _recorded(lib, fun, grad, x0, bounds=None):
    points = []

    def f(x):
        points.append(np.array(x, copy=True))
        return fun(x)

    kw = {"options": {"certify": False}} if lib == "steepest" else {}
    mod = so if lib == "scipy" else __import__("steepest")
    res = mod.minimize(f, x0.copy(), jac=grad, method="L-BFGS-B", bounds=bounds, **kw)
    return points, res


def _cases():
    out = []
    for n in (10, 100):
        x0 = np.tile([-1.2, 1.0], n // 2)
        out.append((f"chained_rosenbrock_{n}", so.rosen, so.rosen_der, x0))
    for name, n in (("extended_rosenbrock", 10), ("wood", None), ("helical_valley", None),
                    ("penalty2", None), ("brown_almost_linear", None)):
        p = mgh_problem(name, n=n) if n else mgh_problem(name)
        out.append((name, p.fun, p.grad, p.start()))
    return out


@pytest.mark.parametrize("name,fun,grad,x0", _cases(), ids=[c[0] for c in _cases()])
def test_every_evaluated_point_is_scipys(name, fun, grad, x0):
    ref_pts, ref = _recorded("scipy", fun, grad, x0)
    pts, res = _recorded("steepest", fun, grad, x0)
    assert len(pts) == len(ref_pts) == ref.nfev
    for k, (p, q) in enumerate(zip(pts, ref_pts, strict=True)):
        assert np.array_equal(p, q), f"evaluation {k} differs by {np.max(np.abs(p - q))}"
    assert res.nit == ref.nit and res.nfev == ref.nfev
    assert np.array_equal(res.x, ref.x) and res.fun == ref.fun


def test_infinite_bounds_take_the_same_exact_path():
    x0 = np.tile([-1.2, 1.0], 5)
    bounds = [(-np.inf, np.inf)] * 10
    ref_pts, ref = _recorded("scipy", so.rosen, so.rosen_der, x0, bounds)
    pts, res = _recorded("steepest", so.rosen, so.rosen_der, x0, bounds)
    assert len(pts) == len(ref_pts) and all(map(np.array_equal, pts, ref_pts))
    assert res.nit == ref.nit


def test_above_the_exact_size_the_plain_path_follows_the_same_iterates(monkeypatch):
    """Above ``EXACT_MAX_N`` the step is plain L-BFGS's two-loop ``-H g`` (the same B, other
    rounding): forced here at n = 10, it follows the exact path until rounding parts them."""
    p = mgh_problem("extended_rosenbrock", n=10)
    exact = minimize(p.fun, p.start(), method="L-BFGS-B", jac=p.grad,
                     options={"certify": False})
    monkeypatch.setattr(lbfgsb_module, "EXACT_MAX_N", 0)
    plain = minimize(p.fun, p.start(), method="L-BFGS-B", jac=p.grad,
                     options={"certify": False})
    assert exact.success and plain.success and exact.nit > 20
    xs = [np.asarray(r.trace.x[:20]) for r in (exact, plain)]
    assert not np.array_equal(xs[0], xs[1])  # the plain path really ran
    np.testing.assert_allclose(xs[0], xs[1], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(exact.x, plain.x, atol=1e-3)


@pytest.mark.parametrize("k", [1, 2, 3, 7])
def test_sequential_dots_sum_in_index_order(k):
    rng = np.random.default_rng(k)
    A = rng.standard_normal((k, 257)) * 10.0 ** rng.integers(-8, 8, (k, 257))
    v = rng.standard_normal(257)
    loop = []
    for row in A:
        t = 0.0
        for a, b in zip(row, v, strict=True):
            t = t + a * b
        loop.append(t)
    assert np.array_equal(sequential_dots(A, v), np.array(loop))


def _dense_B(S, Y, theta):
    """θI − W M Wᵀ with W = [Y θS], M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹ (Byrd, Nocedal & Schnabel)."""
    SY = S @ Y.T
    L = np.tril(SY, -1)
    K = np.block([[-np.diag(np.diag(SY)), L.T], [L, theta * S @ S.T]])
    W = np.hstack([Y.T, theta * S.T])
    return theta * np.eye(S.shape[1]) - W @ np.linalg.solve(K, W.T)


def test_free_step_is_the_quasi_newton_point_of_the_compact_matrix():
    rng = np.random.default_rng(3)
    n, k = 9, 4
    A = rng.standard_normal((n, n))
    H = A @ A.T + n * np.eye(n)  # y = H s: positive curvature
    S = rng.standard_normal((k, n))
    Y = S @ H
    theta = float(Y[-1] @ Y[-1] / (S[-1] @ Y[-1]))
    gram = SequentialGram.empty(k)
    for j in range(k):
        gram.add(S, Y, np.arange(j + 1), j)
    x, g = rng.standard_normal(n), rng.standard_normal(n)
    z = free_step(S, Y, np.arange(k), gram, np.einsum("ij,ij->i", S, Y), theta, x, g)
    B = _dense_B(S, Y, theta)
    np.testing.assert_allclose(z, x - np.linalg.solve(B, g), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(B @ S[-1], Y[-1], rtol=1e-9, atol=1e-9)  # the newest secant


def test_the_pair_update_skips_as_matupd_does():
    """``mainlb`` skips a pair unless s·y > eps·(−α gᵀd); its scipy ftol is factr·eps."""
    assert lbfgsb_module.SCIPY_FTOL == 2.2204460492503131e-09 / EPS * EPS
    solver = lbfgsb_module.LBFGSB(np.full(2, -np.inf), np.full(2, np.inf))
    st = solver.init(None, np.zeros(2), 0.0, np.zeros(2))
    trial = lbfgsb_module._Trial(np.array([1.0, 0.0]), -1.0, 1.0, 1.0)
    g = np.array([-1.0, 0.0])
    solver._remember(st, trial, 1.0, g, g + np.array([0.5 * EPS, 1.0]))  # s·y = EPS/2
    assert st.pairs.count == 0
    solver._remember(st, trial, 1.0, g, g + np.array([2 * EPS, 1.0]))
    assert st.pairs.count == 1 and st.pairs.SY[0, 0] == 2 * EPS
