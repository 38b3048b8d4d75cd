"""steepest's L-BFGS-B: Cauchy point, compact matrix, box never left, same answers as scipy."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize as so

import steepest
from steepest import minimize
from steepest.constrained.lbfgsb import (
    LBFGSB,
    _Compact,
    _Pairs,
    cauchy_point,
    projected_gradient_norm,
)
from steepest.problems.mgh import mgh_problem


def _pairs(n: int, k: int, m: int, seed: int) -> tuple[_Pairs, np.ndarray]:
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((n, n))
    A = Q @ Q.T + n * np.eye(n)
    z = np.zeros
    pairs = _Pairs(z((m, n)), z((m, n)), z((m, m)), z((m, m)), z((m, m)))
    for _ in range(k):
        s = rng.standard_normal(n)
        assert pairs.add(s, A @ s)
    return pairs, A


def _dense_B(cp: _Compact) -> np.ndarray:
    n, k2 = cp.pairs.S.shape[1], 2 * cp.k
    W = np.column_stack([cp.W(e) for e in np.eye(k2)])
    return cp.pairs.theta * np.eye(n) - W @ cp.M(np.eye(k2)) @ W.T


@pytest.mark.parametrize("k", [1, 3, 5, 7])  # 7 > m = 5: the ring buffer wraps
def test_compact_matrix_is_the_bfgs_matrix_satisfying_the_newest_secant(k):
    pairs, A = _pairs(6, k, 5, seed=k)
    B = _dense_B(_Compact.of(pairs))
    i = (pairs.head - 1) % 5
    assert np.allclose(B @ pairs.S[i], pairs.Y[i], rtol=1e-9, atol=1e-9)
    assert np.allclose(B, B.T, atol=1e-9) and np.linalg.eigvalsh(B).min() > 0
    # the Gram matrices kept incrementally equal the ones recomputed from the pairs
    o = pairs.order()
    S, Y = pairs.S[o], pairs.Y[o]
    assert np.allclose(pairs.SY[np.ix_(o, o)], S @ Y.T)
    assert np.allclose(pairs.SS[np.ix_(o, o)], S @ S.T)
    assert np.allclose(pairs.YY[np.ix_(o, o)], Y @ Y.T)


@pytest.mark.parametrize("seed", range(6))
def test_cauchy_point_is_the_first_local_minimiser_along_the_projected_path(seed):
    rng = np.random.default_rng(seed)
    n = 8
    pairs, _ = _pairs(n, 3, 5, seed=seed + 10)
    cp = _Compact.of(pairs) if seed % 2 else None
    theta = pairs.theta if cp is not None else 1.0
    B = _dense_B(cp) if cp is not None else theta * np.eye(n)
    lo, hi = -rng.uniform(0.1, 1.0, n), rng.uniform(0.1, 1.0, n)
    lo[0], hi[1] = -np.inf, np.inf
    x = rng.uniform(lo.clip(-1), hi.clip(max=1))
    x[2] = hi[2]  # a variable at its bound
    g = rng.standard_normal(n) * 3
    xc, c, fixed = cauchy_point(x, g, lo, hi, theta, cp)

    def model(z):
        d = z - x
        return g @ d + 0.5 * d @ B @ d

    ts = np.linspace(0.0, 10.0, 200_001)
    path = np.clip(x[None, :] - ts[:, None] * g[None, :], lo, hi)
    vals = np.einsum("ij,j->i", path - x, g) + 0.5 * np.einsum(
        "ij,jk,ik->i", path - x, B, path - x)
    first = int(np.argmax(np.diff(vals) > 1e-15)) if np.any(np.diff(vals) > 1e-15) else -1
    assert model(xc) <= vals[: first + 1].min() + 1e-9
    assert np.all((xc >= lo) & (xc <= hi))
    at_bound = (xc == lo) | (xc == hi)
    assert np.all(at_bound[fixed])
    if cp is not None:
        assert np.allclose(c, cp.Wt(xc - x))


def test_projected_gradient_norm_vanishes_exactly_at_box_kkt_points():
    lo, hi = np.zeros(3), np.ones(3)
    x = np.array([0.0, 0.5, 1.0])
    assert projected_gradient_norm(x, np.array([2.0, 0.0, -3.0]), lo, hi) == 0.0
    assert projected_gradient_norm(x, np.array([-2.0, 0.0, -3.0]), lo, hi) == 1.0


def _rosen(x):
    return float(np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))


@pytest.mark.parametrize("n", [2, 10, 40])
@pytest.mark.parametrize("box", ["none", "cut", "wide"])
def test_same_answer_as_scipy_lbfgsb_with_no_more_evaluations(n, box):
    x0 = np.full(n, -1.2)
    x0[1::2] = 1.0
    bounds = {"none": None, "cut": [(-2.0, 0.5)] * n, "wide": [(-np.inf, np.inf)] * n}[box]
    ours = minimize(_rosen, x0, method="L-BFGS-B", jac=so.rosen_der, bounds=bounds)
    ref = so.minimize(_rosen, x0, method="L-BFGS-B", jac=so.rosen_der, bounds=bounds)
    assert ours.success and ref.success
    assert ours.fun <= ref.fun + 1e-7 * max(1.0, abs(ref.fun))
    assert np.allclose(ours.x, ref.x, atol=1e-3)
    assert ours.nfev <= ref.nfev + 2


def test_objective_is_never_evaluated_outside_the_box_even_with_fixed_variables():
    lo = np.array([0.0, 0.5, -1.0, 2.0, -np.inf])
    hi = np.array([1.0, 0.5, 1.0, 2.0, 0.3])  # variables 1 and 3 fixed (lb == ub)
    seen = []

    def fun(x):
        seen.append(x.copy())
        if np.any(x < lo) or np.any(x > hi):
            raise AssertionError(f"evaluated outside the box at {x}")
        return float(np.sum((x - [3.0, 0.0, 0.25, 0.0, -1.0]) ** 2) + np.prod(x[:3]))

    res = minimize(fun, np.array([5.0, -3.0, 0.0, 0.0, 9.0]), method="L-BFGS-B",
                   bounds=so.Bounds(lo, hi), jac="2-point")
    # one evaluation per point plus one per non-fixed variable for the differences (+ the
    # certificate's differences of the gradient, inside the box too)
    assert res.success and res.nit >= 2 and len(seen) >= res.nfev * (1 + 3)
    assert res.x[1] == 0.5
    assert res.x[3] == 2.0
    x = res.x
    g = 2 * (x - [3.0, 0.0, 0.25, 0.0, -1.0])
    g[:3] += [x[1] * x[2], x[0] * x[2], x[0] * x[1]]
    g[[1, 3]] = 0.0  # fixed variables
    assert projected_gradient_norm(x, g, lo, hi) < 1e-5


def test_pairs_with_none_and_lbfgs_name_use_the_bounded_solver():
    f = lambda x: ((x - 2.0) ** 2).sum()  # noqa: E731
    res = minimize(f, [0.5, 0.5], method="lbfgs", jac=lambda x: 2 * (x - 2.0),
                   bounds=[(None, 1.0), (0.0, None)])
    assert res.method == "l-bfgs-b" and np.allclose(res.x, [1.0, 2.0])
    assert res.certificate.kind == "minimum" and res.status == 0


def test_hess_inv_is_a_symmetric_linear_operator_with_todense():
    res = minimize(so.rosen, np.zeros(4), method="L-BFGS-B", jac=so.rosen_der,
                   bounds=[(-1, 0.8)] * 4)
    H = res.hess_inv.todense()
    v = np.arange(1.0, 5.0)
    assert np.allclose(H, H.T) and np.allclose(H @ v, res.hess_inv @ v)
    assert np.linalg.eigvalsh(H).min() > 0


@pytest.mark.parametrize("name", ["rosenbrock", "beale", "helical_valley", "wood", "brown_dennis"])
def test_bounds_cutting_off_the_minimum_give_a_kkt_point(name):
    prob = mgh_problem(name)
    x_star = so.minimize(prob.fun, prob.x0, jac=prob.grad, method="L-BFGS-B").x
    lo, hi = np.full(prob.x0.size, -np.inf), x_star - 0.1 * (1 + np.abs(x_star))
    x0 = np.minimum(prob.x0, hi)
    ours = minimize(prob.fun, x0, method="L-BFGS-B", jac=prob.grad, bounds=list(zip(lo, hi)))
    ref = so.minimize(prob.fun, x0, method="L-BFGS-B", jac=prob.grad, bounds=list(zip(lo, hi)))
    assert projected_gradient_norm(ours.x, prob.grad(ours.x), lo, hi) <= 1e-4 * max(
        1.0, abs(ours.fun)) or ours.fun <= ref.fun + 1e-8 * max(1.0, abs(ref.fun))
    assert ours.fun <= ref.fun + 1e-6 * max(1.0, abs(ref.fun))


def test_bad_bounds_are_refused_naming_the_fix():
    with pytest.raises(ValueError, match="lower <= upper"):
        minimize(so.rosen, np.zeros(2), method="L-BFGS-B", bounds=[(1, 0), (0, 1)])
    with pytest.raises(ValueError, match="one pair per variable"):
        minimize(so.rosen, np.zeros(3), method="L-BFGS-B", bounds=[(0, 1)] * 2)
    with pytest.raises(ValueError, match="maxcor"):
        LBFGSB(np.zeros(2), np.ones(2), m=0)


def test_bounds_alone_default_to_lbfgsb_and_maximize_uses_it_too():
    f = lambda x: ((x - 3.0) ** 2).sum()  # noqa: E731
    low = minimize(f, np.zeros(2), bounds=[(0, 1), (0, 5)])
    assert low.method == "l-bfgs-b" and np.allclose(low.x, [1.0, 3.0])
    high = steepest.maximize(lambda x: -f(x), np.zeros(2), bounds=[(0, 1), (0, 5)])
    assert high.method == "l-bfgs-b" and np.allclose(high.x, [1.0, 3.0])
    assert high.fun == pytest.approx(-4.0) and high.trace.f[-1] == pytest.approx(-4.0)
    assert high.certificate.kind == "maximum"


def test_disp_prints_projected_gradient_rows_through_the_driver(capsys):
    f = lambda x: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2  # noqa: E731
    res = minimize(f, np.array([-1.2, 1.0]), method="L-BFGS-B", bounds=[(-2, 0.5), (-1, 2)],
                   options={"disp": 10})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["iter", "f(x)", "|pg|"]
    rows = [ln.split() for ln in lines[1:] if ln.split() and ln.split()[0].isdigit()]
    assert [int(r[0]) for r in rows][:2] == [0, 10]
    assert float(rows[-1][1]) == pytest.approx(res.fun, rel=1e-5)
    assert any(res.message in ln for ln in lines)


def test_without_finite_bounds_the_fast_path_follows_the_compact_subspace_step():
    """No finite bound: the step is scipy's free-variable ``subsm`` step (plain L-BFGS's
    -H g above ``EXACT_MAX_N``) instead of the Cauchy point plus the Woodbury subspace step;
    with an upper bound of 1e10 (never active) the compact path runs instead, and the two
    follow the same iterates (the same B from the same pairs)."""
    p = mgh_problem("extended_rosenbrock", n=10)
    runs = [minimize(p.fun, p.start(), method="L-BFGS-B", jac=p.grad,
                     bounds=[(None, hi)] * 10, options={"certify": False})
            for hi in (None, 1e10)]
    assert all(r.success for r in runs) and runs[0].nit == runs[1].nit > 20
    # the iterates agree until rounding (different operation orders) parts them near x*
    xs = [np.asarray(r.trace.x[:20]) for r in runs]
    np.testing.assert_allclose(xs[0], xs[1], rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(runs[0].x, runs[1].x, atol=1e-3)
