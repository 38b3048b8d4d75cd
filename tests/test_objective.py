"""The one Objective: values, derivatives by every route, counts, the sign and pytree x0."""

from __future__ import annotations

import numpy as np
import pytest

from steepest.objective import NonFiniteDerivativeError, Objective

RNG = np.random.default_rng(10)
A = RNG.standard_normal((4, 4))
A = A @ A.T + 4 * np.eye(4)
B = RNG.standard_normal(4)


def quad(x):
    return 0.5 * x @ A @ x - B @ x


def quad_grad(x):
    return A @ x - B


def quartic(x):  # a non-quadratic f with a known Hessian: sum x^4 / 4 + quad
    return 0.25 * np.sum(x**4) + quad(x)


def quartic_hess(x):
    return np.diag(3 * x**2) + A


X = RNG.standard_normal(4)


def test_fg_grad_and_counts_with_a_gradient_callable():
    obj = Objective(quad, X, jac=quad_grad)
    f, g = obj.fg(X)
    assert f == pytest.approx(quad(X)) and np.allclose(g, quad_grad(X))
    assert obj.f(X) == f and np.array_equal(obj.grad(X), g)
    assert (obj.nfev, obj.njev, obj.nhev) == (1, 1, 0)  # the same point is not re-evaluated
    obj.f(X + 1.0)
    obj.fg(X + 1.0)  # the value is known there: only the gradient is evaluated
    assert (obj.nfev, obj.njev, obj.nhev) == (2, 2, 0)


def test_jac_true_bundles_value_and_gradient():
    obj = Objective(lambda x: (quad(x), quad_grad(x)), X, jac=True)
    assert obj.f(X) == pytest.approx(quad(X))
    assert np.allclose(obj.grad(X), quad_grad(X))
    assert (obj.nfev, obj.njev) == (1, 1) and obj.gradient_is_bundled
    obj.grad(X + 1.0)
    assert (obj.nfev, obj.njev) == (2, 2)


def test_autodiff_gradient_counts_value_and_gradient_together():
    obj = Objective(quartic, X)
    f, g = obj.fg(X)
    assert f == pytest.approx(quartic(X)) and np.allclose(g, X**3 + quad_grad(X))
    assert (obj.nfev, obj.njev) == (1, 1)
    assert np.allclose(obj.grad(X), g) and (obj.nfev, obj.njev) == (1, 1)
    obj.grad(X + 1.0)
    assert (obj.nfev, obj.njev) == (1, 2)


@pytest.mark.parametrize(("scheme", "tol"), [("2-point", 1e-6), ("3-point", 1e-8)])
def test_finite_difference_gradients(scheme, tol):
    obj = Objective(quartic, X, jac=scheme)
    f, g = obj.fg(X)
    exact = X**3 + quad_grad(X)
    assert f == pytest.approx(quartic(X))
    assert np.max(np.abs(g - exact)) <= tol * max(1.0, np.max(np.abs(exact)))
    assert (obj.nfev, obj.njev) == (1, 1) and not obj.gradient_is_bundled


def test_sign_flips_every_quantity_but_fun_stays_the_users():
    plain, neg = Objective(quartic, X), Objective(quartic, X, sign=-1.0)
    p = RNG.standard_normal(4)
    assert neg.f(X) == -plain.f(X)
    assert np.array_equal(neg.grad(X), -plain.grad(X))
    assert np.allclose(neg.hessian(X), -plain.hessian(X))
    assert np.allclose(neg.hessp(X, p), -plain.hessp(X, p))
    assert neg.fun(X) == quartic(X)


def test_hessian_sources_in_order_user_first():
    hessp_calls = []

    def hessp(x, p):
        hessp_calls.append(1)
        return quartic_hess(x) @ p

    assert Objective(quartic, X, hess=quartic_hess, hessp=hessp).hessian_source == "hess"
    by_hessp = Objective(quartic, X, hessp=hessp)
    assert by_hessp.hessian_source == "hessp"
    assert np.allclose(by_hessp.hessian(X), quartic_hess(X))
    assert len(hessp_calls) == 4 == by_hessp.nhev
    assert Objective(quartic, X).hessian_source == "autodiff"
    assert Objective(quartic, X, jac=lambda x: x**3 + quad_grad(x)).hessian_source == \
        "finite differences"
    assert Objective(quartic, X, jac=quad_grad, traceable=True).hessian_source == "autodiff"


def test_every_hessian_route_agrees_with_the_exact_hessian():
    H = quartic_hess(X)
    g = lambda x: x**3 + quad_grad(x)  # noqa: E731
    routes = {
        "hess": Objective(quartic, X, jac=g, hess=quartic_hess),
        "hessp": Objective(quartic, X, jac=g, hessp=lambda x, p: quartic_hess(x) @ p),
        "autodiff": Objective(quartic, X),
        "finite differences": Objective(quartic, X, jac=g),
    }
    for source, obj in routes.items():
        assert obj.hessian_source == source
        assert np.allclose(obj.hessian(X), H, rtol=1e-6, atol=1e-6), source
    fd = routes["finite differences"]
    fd.njev = 0
    fd.hessian(X)
    assert fd.njev == 8 and fd.nhev == 0  # 2n gradients, no Hessian evaluation


def test_hessian_source_override_and_symmetric_part():
    asym = np.array([[2.0, 1.0], [0.0, 2.0]])
    obj = Objective(lambda x: x @ x, np.ones(2), hess=lambda x: asym)
    assert np.array_equal(obj.hessian(obj.x0), asym)
    assert np.array_equal(obj.hessian(obj.x0, symmetric=True), [[2.0, 0.5], [0.5, 2.0]])
    assert np.allclose(obj.hessian(obj.x0, source="autodiff"), 2 * np.eye(2))
    with pytest.raises(ValueError, match="source"):
        obj.hessian(obj.x0, source="exact")


def test_hessp_reuses_the_users_hessian_at_one_point():
    calls = []

    def hess(x):
        calls.append(x.copy())
        return quartic_hess(x)

    obj = Objective(quartic, X, hess=hess)
    for e in np.eye(4):
        assert np.allclose(obj.hessp(X, e), quartic_hess(X) @ e)
    assert len(calls) == 1 and obj.nhev == 1  # nhev counts Hessians evaluated, as scipy
    obj.hessp(X + 1.0, np.ones(4))
    assert len(calls) == 2 and obj.nhev == 2


def test_hessp_by_autodiff_and_by_gradient_differences():
    p = RNG.standard_normal(4)
    ad = Objective(quartic, X)
    assert np.allclose(ad.hessp(X, p), quartic_hess(X) @ p) and ad.nhev == 1
    fd = Objective(quartic, X, jac=lambda x: x**3 + quad_grad(x))
    assert np.allclose(fd.hessp(X, p), quartic_hess(X) @ p, rtol=1e-6, atol=1e-6)
    assert fd.nhev == 0 and fd.njev == 2
    assert np.array_equal(fd.hessp(X, np.zeros(4)), np.zeros(4))


def test_pytree_x0_is_raveled_and_derivatives_are_traced_through_unravel():
    tree = {"w": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": 0.5}

    def f(t):
        return np.sum(t["w"] ** 3) + t["b"] ** 2 * np.sum(t["w"])

    obj = Objective(f, tree)
    assert obj.n == 5 and obj.x0.tolist() == [0.5, 1.0, 2.0, 3.0, 4.0]  # sorted keys: b, w
    back = obj.unravel(obj.x0)
    assert back["w"].shape == (2, 2) and float(back["b"]) == 0.5
    w, b = tree["w"], tree["b"]
    g = obj.grad(obj.x0)
    assert np.allclose(g, np.r_[2 * b * w.sum(), (3 * w**2 + b**2).ravel()])
    H = obj.hessian(obj.x0)
    expected = np.zeros((5, 5))
    expected[0, 0] = 2 * w.sum()
    expected[0, 1:] = expected[1:, 0] = 2 * b
    expected[1:, 1:] = np.diag(6 * w.ravel())
    assert np.allclose(H, expected)
    assert np.allclose(obj.hessp(obj.x0, np.eye(5)[0]), expected[:, 0])


def test_pytree_gradient_returned_as_a_pytree_is_flattened():
    obj = Objective(lambda t: t["a"] @ t["a"] + t["c"] ** 2, {"a": np.ones(2), "c": 3.0},
                    jac=lambda t: {"a": 2 * t["a"], "c": 2 * t["c"]})
    assert obj.grad(obj.x0).tolist() == [2.0, 2.0, 6.0]


def test_matrix_and_scalar_x0_keep_their_shape_for_fun():
    seen = []
    obj = Objective(lambda x: seen.append(np.shape(x)) or np.sum(x**2), np.ones((2, 3)))
    assert obj.n == 6 and obj.f(obj.x0) == 6.0 and seen == [(2, 3)]
    scalar = Objective(lambda x: (x - 1.0) ** 2, 3.0)
    assert scalar.n == 1 and scalar.fg(scalar.x0) == (4.0, np.array([4.0]))


def test_list_of_numbers_reaches_fun_as_an_array_as_in_scipy():
    seen = []
    obj = Objective(lambda x: seen.append(type(x)) or x[0] ** 2 + x[1] ** 2, [1.0, 2.0],
                    jac=lambda x: np.array([2 * x[0], 2 * x[1]]))
    assert obj.fg(obj.x0) == (5.0, pytest.approx(np.array([2.0, 4.0])))
    assert seen == [np.ndarray]


def test_scalar_x0_reaches_fun_with_shape_1_and_size_1_outputs_are_scalars():
    seen = []
    obj = Objective(lambda x: seen.append(np.shape(x)) or (x - 1.0) ** 2, 3.0)
    f, g = obj.fg(obj.x0)
    assert (f, g.tolist(), seen[-1]) == (4.0, [4.0], (1,))


def test_fun_overwriting_its_argument_does_not_touch_the_iterate():
    def fun(x):
        v = float(x @ x)
        x[:] = 99.0
        return v

    obj = Objective(fun, np.array([1.0, 2.0]), jac="2-point")
    x = obj.x0.copy()
    obj.fg(x)
    assert x.tolist() == [1.0, 2.0]


def test_args_are_appended_to_every_call():
    obj = Objective(lambda x, c: c * x @ x, np.ones(2), args=(3.0,),
                    jac=lambda x, c: 2 * c * x, hess=lambda x, c: 2 * c * np.eye(2))
    assert obj.f(obj.x0) == 6.0 and obj.grad(obj.x0).tolist() == [6.0, 6.0]
    assert np.array_equal(obj.hessian(obj.x0), 6 * np.eye(2))
    assert Objective(lambda x, c: c * x @ x, np.ones(2), args=2.0).f(np.ones(2)) == 4.0


def test_check_finite_raises_on_nan_derivatives_only_when_asked():
    nan = np.full(2, np.nan)
    derivatives = {"jac": lambda x: nan, "hess": lambda x: np.full((2, 2), np.inf),
                   "hessp": lambda x, p: nan}
    loose = Objective(lambda x: x @ x, np.ones(2), **derivatives)
    assert np.all(np.isnan(loose.grad(loose.x0))) and np.all(np.isinf(loose.hessian(loose.x0)))
    strict = Objective(lambda x: x @ x, np.ones(2), check_finite=True, **derivatives)
    with pytest.raises(NonFiniteDerivativeError, match="gradient"):
        strict.grad(strict.x0)
    with pytest.raises(NonFiniteDerivativeError, match="gradient"):
        strict.fg(strict.x0)
    with pytest.raises(NonFiniteDerivativeError, match="Hessian"):
        strict.hessian(strict.x0)
    with pytest.raises(NonFiniteDerivativeError, match="Hessian-vector product"):
        strict.hessp(strict.x0, np.ones(2))
    assert issubclass(NonFiniteDerivativeError, ValueError)


def test_argument_errors_name_the_fix():
    with pytest.raises(TypeError, match="fun must be callable"):
        Objective(3.0, X)
    with pytest.raises(TypeError, match="hessp must be callable"):
        Objective(quad, X, hessp=1.0)
    with pytest.raises(ValueError, match="not understood"):
        Objective(quad, X, jac="4-point")
    with pytest.raises(TypeError, match="jac must be callable"):
        Objective(quad, X, jac=3)
    with pytest.raises(ValueError, match="non-finite"):
        Objective(quad, np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="empty"):
        Objective(quad, np.zeros(0))
    with pytest.raises(TypeError, match="x0 must be"):
        Objective(quad, {"a": object()})


def test_wrong_outputs_are_reported():
    obj = Objective(quad, X, jac=lambda x: np.ones(3), hess=lambda x: np.eye(3))
    with pytest.raises(ValueError, match="jac returned 3 entries but x has 4"):
        obj.grad(X)
    with pytest.raises(ValueError, match=r"hess must return an \(4, 4\) matrix"):
        obj.hessian(X)
    with pytest.raises(ValueError, match="must return a scalar"):
        Objective(lambda x: x, X, jac=quad_grad).f(X)
    with pytest.raises(TypeError, match="returns \\(value, gradient\\)"):
        Objective(quad, X, jac=True).f(X)


def test_hess_2_point_is_forward_differences_of_the_gradient():
    A = np.array([[4.0, 1.0], [1.0, 3.0]])
    obj = Objective(lambda x: 0.5 * x @ A @ x, np.array([0.5, -1.0]),
                    jac=lambda x: A @ x, hess="2-point")
    assert obj.hessian_source == "finite differences" and obj.hess_fd == "2-point"
    np.testing.assert_allclose(obj.hessian(obj.x0), A, atol=1e-6)
    assert obj.njev == 3  # n + 1 gradients
    np.testing.assert_allclose(obj.hessp(obj.x0, np.array([1.0, 0.0])), A[:, 0], atol=1e-6)


def test_non_finite_values_of_f_are_counted():
    obj = Objective(lambda x: np.nan if x[0] > 1 else float(x @ x), np.array([0.0]),
                    jac=lambda x: 2 * x)
    obj.f(np.array([2.0]))
    obj.fg(np.array([3.0]))
    obj.f(np.array([0.5]))
    assert obj.nonfinite == 2
