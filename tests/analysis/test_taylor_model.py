import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.analysis import predicted_decrease, taylor

from ._problems import Quadratic, random_spd, rosenbrock, rosenbrock_grad, rosenbrock_hess


def test_second_order_model_is_exact_on_a_quadratic():
    q = Quadratic(random_spd(5, 0), np.arange(5.0))
    rng = np.random.default_rng(1)
    x0 = rng.standard_normal(5)
    m = taylor(q.f, x0, grad=q.grad, hess=q.hess)
    for y in rng.standard_normal((10, 5)):
        assert m(y) == pytest.approx(q.f(y), rel=1e-12, abs=1e-12)
    # vectorized evaluation on a stack of points agrees with point-wise evaluation
    Y = rng.standard_normal((4, 5))
    np.testing.assert_allclose(m(Y), [q.f(y) for y in Y], rtol=1e-12)


def test_model_errors_shrink_with_the_right_order():
    x0 = np.array([-0.7, 0.4])
    d = np.array([0.6, -0.8])
    m1 = taylor(rosenbrock, x0, order=1, grad=rosenbrock_grad)
    m2 = taylor(rosenbrock, x0, order=2, grad=rosenbrock_grad, hess=rosenbrock_hess)
    err1 = [abs(m1(x0 + h * d) - rosenbrock(x0 + h * d)) for h in (1e-2, 5e-3)]
    err2 = [abs(m2(x0 + h * d) - rosenbrock(x0 + h * d)) for h in (1e-2, 5e-3)]
    assert err1[0] / err1[1] == pytest.approx(4.0, rel=0.05)  # O(h^2)
    assert err2[0] / err2[1] == pytest.approx(8.0, rel=0.05)  # O(h^3)
    assert not np.any(m1.H)


def test_taylor_rejects_bad_order_and_point():
    with pytest.raises(ValueError, match="order"):
        taylor(rosenbrock, [0.0, 0.0], order=3, grad=rosenbrock_grad)
    with pytest.raises(ValueError, match="NaN"):
        taylor(rosenbrock, [np.nan, 0.0], grad=rosenbrock_grad, hess=rosenbrock_hess)
    with pytest.raises(TypeError, match="callable"):
        taylor(3.0, [0.0, 0.0])


@given(st.floats(-3, 3), st.floats(1e-3, 2.0), st.sampled_from([-2.0, 0.0, 2.0]))
def test_eq_4_9_matches_the_truth_for_a_quadratic(x, eps, curv):
    # f(x) = a x + c x^2 / 2 is its own second-order model: eq. 4.9 is exact
    a = 1.5

    def f(z):
        return a * z[0] + 0.5 * curv * z[0] ** 2

    p = predicted_decrease(f, [x], eps, grad=lambda z: np.array([a + curv * z[0]]),
                           hess=lambda z: np.array([[curv]]))
    assert float(p.predicted) == pytest.approx(float(p.actual), rel=1e-9, abs=1e-9)
    g = a + curv * x
    assert p.gHg == pytest.approx(curv * g * g, abs=1e-12)
    assert float(p.first_order) == pytest.approx(p.f0 - eps * g * g)


def test_large_step_goes_uphill_under_positive_curvature():
    A = np.diag([1.0, 100.0])
    q = Quadratic(A, np.zeros(2))
    x = np.array([0.0, 1.0])
    eps = np.array([0.001, 0.01, 0.019, 0.021, 0.05])
    p = predicted_decrease(q.f, x, eps, grad=q.grad, hvp=q.hvp)
    # along the top eigenvector a step beyond 2/lambda_max = 0.02 goes uphill, below it does not
    np.testing.assert_array_equal(p.goes_uphill, eps > 0.02)
    np.testing.assert_array_equal(p.model_goes_uphill, p.goes_uphill)
    np.testing.assert_allclose(p.curvature_correction, 0.5 * eps**2 * p.gHg)
