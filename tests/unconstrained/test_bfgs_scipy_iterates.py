"""steepest's BFGS under scipy's name takes scipy's BFGS iterates, hence its evaluations.

The first trial step (``f - (f + |g|/2)`` rounded as scipy rounds it), MINPACK's exact Armijo
test, ``s = alpha p`` and the update formed as two matrix products reproduce
``scipy.optimize._minimize_bfgs`` step for step; a failed search ends the run as scipy's does.
"""

import warnings

import numpy as np
import pytest
import scipy.optimize as so

from steepest import minimize
from steepest.problems import mgh_problem
from steepest.unconstrained.linesearch.more_thuente_search import MoreThuente
from steepest.unconstrained.solvers.quasi_newton import InverseBFGSUpdate


class _Counted:
    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, x):
        self.calls += 1
        return self.fn(x)


def _path(lib, fun, grad, x0, **kw):
    f, g, xs = _Counted(fun), _Counted(grad), []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        res = lib(f, x0.copy(), jac=g, method="BFGS",
                  callback=lambda xk: xs.append(np.array(xk, dtype=float)), **kw)
    return res, f.calls, g.calls, xs


CASES = [("rosen2", so.rosen, so.rosen_der, np.array([-1.2, 1.0])),
         ("rosen10", so.rosen, so.rosen_der, np.tile([-1.2, 1.0], 5))]
for _name in ("wood", "penalty2", "powell_badly_scaled", "helical_valley"):
    _p = mgh_problem(_name)
    CASES.append((_name, _p.fun, _p.grad, _p.start()))


@pytest.mark.parametrize("name,fun,grad,x0", CASES, ids=[c[0] for c in CASES])
def test_same_iterates_and_evaluations_as_scipy(name, fun, grad, x0):
    ref, rf, rg, rxs = _path(so.minimize, fun, grad, x0)
    res, sf, sg, sxs = _path(minimize, fun, grad, x0, options={"certify": False})
    assert (sf, sg) == (rf, rg)
    assert len(sxs) == len(rxs) == res.nit == ref.nit
    for a, b in zip(sxs, rxs, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(res.x, ref.x)
    assert res.success == ref.success


def test_failed_search_ends_the_run_where_scipy_ends_it():
    p = mgh_problem("meyer")  # scipy ends with "precision loss" after a failed search
    ref, rf, rg, _ = _path(so.minimize, p.fun, p.grad, p.start())
    res, sf, sg, _ = _path(minimize, p.fun, p.grad, p.start(), options={"certify": False})
    assert not ref.success and not res.success
    assert res.nit == ref.nit
    np.testing.assert_array_equal(res.x, ref.x)
    assert sf + sg <= rf + rg


def test_product_form_is_the_bfgs_update():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((5, 5))
    H = A @ A.T + np.eye(5)
    s, y = rng.standard_normal(5), rng.standard_normal(5)
    y = y if s @ y > 0 else -y
    H1, H2 = H.copy(), H.copy()
    assert InverseBFGSUpdate().update(H1, s, y, False)
    assert InverseBFGSUpdate(product=True).update(H2, s, y, False)
    np.testing.assert_allclose(H2, H1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(H2 @ y, s, rtol=1e-12, atol=1e-12)  # secant equation


def test_native_update_option_keeps_the_square_cost_form():
    p = mgh_problem("rosenbrock")
    a = minimize(p.fun, p.start(), jac=p.grad, method="BFGS", options={"update": "bfgs"})
    b = minimize(p.fun, p.start(), jac=p.grad, method="BFGS")
    assert a.success and b.success
    np.testing.assert_allclose(a.x, b.x, atol=1e-5)


def test_exact_armijo_rejects_a_rise_within_rounding():
    rise = 1.0 + 2.0 ** -52  # one ulp above phi(0) = 1, with zero slope: within the slack

    def phi_dphi(a):
        return rise, 0.0

    loose = MoreThuente(c1=1e-4, c2=0.9).run(phi_dphi, 1.0, -1e-20, 1.0)
    exact = MoreThuente(c1=1e-4, c2=0.9, armijo_slack=False, max_evals=5).run(
        phi_dphi, 1.0, -1e-20, 1.0)
    assert loose.success and loose.step == 1.0
    assert not exact.success


def test_product_form_gives_way_to_the_square_cost_form_above_its_size():
    rng = np.random.default_rng(4)
    n = 6
    A = rng.standard_normal((n, n))
    H = A @ A.T + np.eye(n)
    s, y = rng.standard_normal(n), rng.standard_normal(n)
    y = y if s @ y > 0 else -y
    square, small, large = H.copy(), H.copy(), H.copy()
    InverseBFGSUpdate().update(square, s, y, False)
    InverseBFGSUpdate(product=True, product_max_n=n - 1).update(small, s, y, False)
    InverseBFGSUpdate(product=True, product_max_n=n).update(large, s, y, False)
    np.testing.assert_array_equal(small, square)  # above the size: the O(n^2) form, bit for bit
    np.testing.assert_allclose(large, square, rtol=1e-12, atol=1e-12)
