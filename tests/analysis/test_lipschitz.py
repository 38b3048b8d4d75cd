import numpy as np
import pytest

from steepest.analysis import LipschitzTarget, lipschitz_estimate

from ._problems import Quadratic, random_spd


def test_gradient_constant_of_a_quadratic_is_lambda_max_and_never_exceeded():
    A = random_spd(4, 3, cond=50.0)
    q = Quadratic(A, np.ones(4))
    box = [(-2, 2)] * 4
    est = lipschitz_estimate(q.f, box, grad=q.grad, hess=q.hess)
    L = np.linalg.eigvalsh(A)[-1]
    assert est.target is LipschitzTarget.GRADIENT and est.is_lower_bound
    assert est.constant <= L * (1 + 1e-12)
    assert est.constant == pytest.approx(L, rel=1e-10)  # the local part is exact here
    assert est.pair_bound <= L * (1 + 1e-12)
    a, b = est.pair
    ratio = np.linalg.norm(q.grad(a) - q.grad(b)) / np.linalg.norm(a - b)
    assert ratio == pytest.approx(est.pair_bound)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_function_constant_of_sin_of_a_linear_form_is_a_lower_bound(seed):
    w = np.random.default_rng(seed).standard_normal(3)
    f = lambda x: np.sin(w @ x)  # noqa: E731
    g = lambda x: np.cos(w @ x) * w  # noqa: E731
    est = lipschitz_estimate(f, [(-3, 3)] * 3, of="function", grad=g, seed=seed)
    L = np.linalg.norm(w)  # sup |cos| = 1 is attained in the box
    assert est.constant <= L * (1 + 1e-12)
    assert est.constant >= 0.9 * L  # and it is a useful estimate, not a trivial one
    a, b = est.pair
    assert abs(f(a) - f(b)) / np.linalg.norm(a - b) == pytest.approx(est.pair_bound)
    assert "lower bound" in est.note


def test_logistic_loss_gradient_constant_below_the_classical_bound():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((50, 3))
    y = (rng.random(50) < 0.5).astype(float)

    def sig(z):
        return 0.5 * (1 + np.tanh(0.5 * z))

    f = lambda t: np.mean(np.logaddexp(0, X @ t) - y * (X @ t))  # noqa: E731
    g = lambda t: X.T @ (sig(X @ t) - y) / 50  # noqa: E731

    def h(t):
        s = sig(X @ t)
        return (X.T * (s * (1 - s))) @ X / 50

    est = lipschitz_estimate(f, [(-1, 1)] * 3, grad=g, hess=h)
    bound = np.linalg.eigvalsh(X.T @ X)[-1] / (4 * 50)  # sigma' <= 1/4
    assert 0 < est.constant <= bound


def test_lipschitz_input_checks():
    q = Quadratic(np.eye(2), np.zeros(2))
    with pytest.raises(ValueError, match="gradient"):
        lipschitz_estimate(q.f, [(-1, 1)] * 2, of="hessian", grad=q.grad)
    with pytest.raises(ValueError, match="n_samples"):
        lipschitz_estimate(q.f, [(-1, 1)] * 2, n_samples=1, grad=q.grad)


def test_refinement_only_raises_the_bound_and_stays_below_the_truth():
    # f = sum(x^4)/4 on [-1, 2]^2: grad Lipschitz constant = sup 3 x_max^2 = 12 at (2, .)
    f = lambda x: np.sum(x**4) / 4  # noqa: E731
    g = lambda x: x**3  # noqa: E731
    h = lambda x: np.diag(3 * x**2)  # noqa: E731
    box = [(-1.0, 2.0), (-1.0, 2.0)]
    raw = lipschitz_estimate(f, box, grad=g, hess=h, n_samples=20, refine=0)
    ref = lipschitz_estimate(f, box, grad=g, hess=h, n_samples=20, refine=40)
    assert raw.constant <= ref.constant <= 12.0 * (1 + 1e-12)
    assert ref.local_bound == pytest.approx(np.max(3 * ref.local_point**2))
    assert np.all(ref.local_point >= -1.0) and np.all(ref.local_point <= 2.0)
    assert ref.constant > raw.constant and ref.constant > 0.999 * 12.0
