"""Convexity facts of Liquet et al. §4.1 and the counterexample machinery."""

import numpy as np
import pytest

from steepest.analysis import ConvexityStatus, convexity_check

RNG = np.random.default_rng(0)
N, P, K = 40, 2, 3
X = RNG.standard_normal((N, P))
Xt = np.hstack([np.ones((N, 1)), X])  # (1, x) rows: bias + weights
y_reg = Xt @ np.array([0.5, -1.0, 2.0]) + 0.1 * RNG.standard_normal(N)
y_bin = (RNG.random(N) < 0.5).astype(float)
y_cls = RNG.integers(0, K, N)


def _sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def linreg(t):
    r = y_reg - Xt @ t
    return r @ r


def linreg_hess(t):
    return 2 * Xt.T @ Xt


def logreg(t):
    z = Xt @ t
    return np.mean(np.logaddexp(0, z) - y_bin * z)


def logreg_hess(t):
    s = _sig(Xt @ t)
    return (Xt.T * (s * (1 - s))) @ Xt / N


def multinomial(theta):
    W = theta.reshape(K, P + 1)
    Z = Xt @ W.T
    m = Z.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True)))[:, 0]
    return np.mean(lse - Z[np.arange(N), y_cls])


def multinomial_hess(theta):
    W = theta.reshape(K, P + 1)
    Z = Xt @ W.T
    S = np.exp(Z - Z.max(axis=1, keepdims=True))
    S /= S.sum(axis=1, keepdims=True)
    H = np.zeros((K * (P + 1),) * 2)
    for s, x in zip(S, Xt):
        H += np.kron(np.diag(s) - np.outer(s, s), np.outer(x, x))
    return H / N


def logreg_squared(t):
    r = y_bin - _sig(Xt @ t)
    return np.mean(r * r)


def logreg_squared_hess(t):
    s = _sig(Xt @ t)
    d1 = s * (1 - s)
    d2 = d1 * (1 - 2 * s)
    c = 2 * d1 * d1 - 2 * (y_bin - s) * d2
    return (Xt.T * c) @ Xt / N


CONVEX = [
    ("linear regression", linreg, linreg_hess, 3),
    ("logistic regression", logreg, logreg_hess, 3),
    ("multinomial regression", multinomial, multinomial_hess, K * (P + 1)),
]


def _verify(ce, f):
    """The counterexample really violates eq. 4.3 when re-evaluated from scratch."""
    lhs = f(ce.lam * ce.theta + (1 - ce.lam) * ce.phi)
    rhs = ce.lam * f(ce.theta) + (1 - ce.lam) * f(ce.phi)
    assert lhs > rhs
    assert lhs - rhs == pytest.approx(ce.gap, rel=1e-9)
    assert 0 < ce.lam < 1


@pytest.mark.parametrize("name,f,h,d", CONVEX, ids=[c[0] for c in CONVEX])
def test_liquet_convex_losses_show_no_violation(name, f, h, d):
    r = convexity_check(f, [(-4, 4)] * d, hess=h, n_samples=150, n_hessians=16)
    assert r.status is ConvexityStatus.NO_VIOLATION_FOUND, name
    assert r.convex_on_samples and r.counterexample is None
    assert r.min_hessian_eigenvalue >= -1e-12


def test_logistic_regression_with_squared_loss_is_not_convex():
    r = convexity_check(logreg_squared, [(-6, 6)] * 3, hess=logreg_squared_hess)
    assert r.status is ConvexityStatus.NOT_CONVEX
    assert r.min_hessian_eigenvalue < 0
    _verify(r.counterexample, logreg_squared)


def test_counterexample_from_hessian_when_definition_sampling_misses():
    # a saddle-shaped quadratic: a single sampled triple may miss it, the Hessian does not
    f = lambda x: -x[0] ** 2 + 10 * x[1] ** 2  # noqa: E731
    h = lambda x: np.diag([-2.0, 20.0])  # noqa: E731
    r = convexity_check(f, [(-1, 1), (-1, 1)], hess=h, n_samples=1, seed=3)
    assert r.status is ConvexityStatus.NOT_CONVEX
    _verify(r.counterexample, f)
    assert r.min_hessian_eigenvalue == pytest.approx(-2.0)


def test_definition_only_check_finds_concavity():
    r = convexity_check(lambda x: np.cos(x[0]), [(-1.0, 1.0)], check_hessian=False)
    assert r.status is ConvexityStatus.NOT_CONVEX and r.counterexample.source == "definition"
    assert np.isnan(r.min_hessian_eigenvalue) and r.n_hessians == 0
    _verify(r.counterexample, lambda x: np.cos(x[0]))


def test_affine_function_is_not_flagged_by_rounding():
    w = np.array([1e8, -3e7, 2.0])
    r = convexity_check(lambda x: w @ x + 1e9, [(-1e3, 1e3)] * 3,
                        hess=lambda x: np.zeros((3, 3)), n_samples=300)
    assert r.status is ConvexityStatus.NO_VIOLATION_FOUND
