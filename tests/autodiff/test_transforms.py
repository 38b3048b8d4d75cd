"""Core transforms on plain-NumPy functions: values checked against closed forms and finite
differences."""

import numpy as np
import pytest

from steepest.autodiff import (
    check_grads,
    directional_derivative,
    grad,
    hessian,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    linearize,
    numerical_gradient,
    numerical_hessian,
    stop_gradient,
    value_and_grad,
    vjp,
)
from steepest.autodiff.errors import IndependentOutputWarning
from steepest.tree import tree_leaves


def seed_c(t):
    return np.sin(t[0] * t[1]) + np.exp(t[1] + t[2]) - 2 * t[2]


THETA = np.array([np.pi / 6, 2.0, 5.0])
SEED_GRAD = np.array([1.0, np.pi / 12 + np.exp(7), np.exp(7) - 2])


def test_seed_example_gradient_reverse_and_forward():
    np.testing.assert_allclose(grad(seed_c)(THETA), SEED_GRAD, rtol=1e-14)
    _, tangent = jvp(seed_c, (THETA,), (np.array([0.0, 1.0, 0.0]),))
    np.testing.assert_allclose(tangent, np.pi / 12 + np.exp(7), rtol=1e-14)


def test_hessian_of_cubic_polynomial():
    f = lambda v: v[0] ** 3 - 2 * v[0] * v[1] - v[1] ** 6  # noqa: E731
    H = hessian(f)(np.array([1.0, 2.0]))
    np.testing.assert_allclose(H, [[6.0, -2.0], [-2.0, -480.0]])


def test_higher_order_derivatives_of_x_cubed():
    f = lambda x: x**3  # noqa: E731
    assert grad(grad(f))(2.0) == pytest.approx(12.0)
    assert grad(grad(grad(f)))(2.0) == pytest.approx(6.0)
    with pytest.warns(IndependentOutputWarning):  # the third derivative is the constant 6
        assert grad(grad(grad(grad(f))))(2.0) == pytest.approx(0.0)


def test_no_perturbation_confusion():
    # d/dx [ x * d/dy (x + y) ] = 1, a wrong implementation mixing levels gives 2
    f = lambda x: x * grad(lambda y: x + y)(1.0)  # noqa: E731
    assert grad(f)(3.0) == pytest.approx(1.0)
    g = lambda x: jvp(lambda y: x * y, (1.0,), (1.0,))[1]  # noqa: E731
    assert grad(g)(2.0) == pytest.approx(1.0)


def test_jacobians_agree_between_modes_and_finite_differences():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 3))
    f = lambda x: np.tanh(A @ x) * np.sum(x**2)  # noqa: E731
    x = rng.standard_normal(3)
    J_fd = np.array([numerical_gradient(lambda z, i=i: f(z)[i], x) for i in range(4)])
    for jac in (jacfwd, jacrev, jacobian):
        np.testing.assert_allclose(jac(f)(x), J_fd, rtol=1e-6, atol=1e-8)


def test_jacobian_of_square_is_diagonal():
    np.testing.assert_allclose(jacobian(lambda x: x**2)(np.array([1.0, 2.0])), np.diag([2, 4]))


def test_hessian_modes_agree_and_match_numerical():
    f = lambda x: np.sum(np.exp(x[:-1] * x[1:])) + np.prod(np.cos(x))  # noqa: E731
    x = np.array([0.3, -0.5, 0.8, 0.1])
    H = hessian(f)(x)
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    np.testing.assert_allclose(H, jacrev(jacfwd(f))(x), atol=1e-12)
    np.testing.assert_allclose(H, jacrev(jacrev(f))(x), atol=1e-12)
    np.testing.assert_allclose(H, numerical_hessian(f, x, grad=grad(f)), atol=1e-9)
    v = np.array([1.0, -2.0, 0.5, 3.0])
    np.testing.assert_allclose(hvp(f, x, v), H @ v, atol=1e-12)
    np.testing.assert_allclose(directional_derivative(f, x, v), grad(f)(x) @ v, atol=1e-12)


def test_third_derivative_tensor_is_symmetric():
    f = lambda x: np.sum(x**3) * x[0] + np.sin(x[1] * x[2])  # noqa: E731
    T = jacfwd(hessian(f))(np.array([0.4, 1.1, -0.7]))
    for perm in [(1, 0, 2), (0, 2, 1), (2, 1, 0)]:
        np.testing.assert_allclose(T, T.transpose(perm), atol=1e-10)


def test_pytrees_in_and_out_with_argnums_and_aux():
    params = {"w": np.array([1.0, 2.0]), "b": 0.5}

    def loss(p, x):
        return np.sum((p["w"] * x + p["b"]) ** 2), {"note": 1}

    x = np.array([3.0, -1.0])
    g, aux = grad(loss, has_aux=True)(params, x)
    r = params["w"] * x + params["b"]
    np.testing.assert_allclose(g["w"], 2 * r * x)
    np.testing.assert_allclose(g["b"], 2 * r.sum())
    assert aux == {"note": 1}
    gw, gx = grad(lambda p, x: loss(p, x)[0], argnums=(0, 1))(params, x)
    np.testing.assert_allclose(gx, 2 * r * params["w"])
    (val, _), _ = value_and_grad(loss, has_aux=True)(params, x)
    assert val == pytest.approx(np.sum(r**2))


def test_vjp_and_linearize():
    out, pull = vjp(lambda x, y: x * y, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    gx, gy = pull(np.ones(2))
    np.testing.assert_allclose(out, [3.0, 8.0])
    np.testing.assert_allclose(gx, [3.0, 4.0])
    np.testing.assert_allclose(gy, [1.0, 2.0])
    y, f_jvp = linearize(np.sin, 0.5)
    assert f_jvp(2.0) == pytest.approx(2 * np.cos(0.5))


def test_stop_gradient_blocks_all_levels():
    assert grad(lambda x: x * stop_gradient(x))(3.0) == pytest.approx(3.0)
    assert grad(grad(lambda x: x**2 * stop_gradient(x)))(3.0) == pytest.approx(6.0)


def test_deep_chain_of_100k_ops_has_no_recursion_limit():
    def f(x):
        for _ in range(100_000):
            x = x * 1.0000001
        return x

    assert grad(f)(1.0) == pytest.approx(1.0000001**100_000, rel=1e-9)


def test_np_array_of_traced_scalars_and_stack():
    f = lambda x: np.array([x[0] * x[1], np.sin(x[0]), 2.0])  # noqa: E731
    J = jacobian(f)(np.array([0.5, 2.0]))
    np.testing.assert_allclose(J, [[2.0, 0.5], [np.cos(0.5), 0.0], [0.0, 0.0]])
    g = grad(lambda x: np.sum(np.stack([x, x**2]) @ np.ones(2)))(np.array([1.0, 3.0]))
    np.testing.assert_allclose(g, [3.0, 7.0])


def test_check_grads_on_mixed_function_to_third_order():
    rng = np.random.default_rng(1)
    W = rng.standard_normal((3, 2))
    check_grads(lambda x, W: np.sum(np.tanh(W @ x) ** 2), (np.array([0.3, 1.2]), W), order=3)


def test_linearize_replays_the_recorded_tangent_program():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((3, 3))

    def f(p):
        return {"y": np.tanh(A @ p["x"]) * p["s"], "z": np.sum(np.sort(p["x"]) ** 3)}

    p = {"x": rng.standard_normal(3), "s": 0.7}
    out, f_jvp = linearize(f, p)
    np.testing.assert_allclose(out["y"], f(p)["y"])
    for _ in range(3):
        t = {"x": rng.standard_normal(3), "s": float(rng.standard_normal())}
        expect = jvp(f, (p,), (t,))[1]
        got = f_jvp(t)
        np.testing.assert_allclose(got["y"], expect["y"], atol=1e-14)
        assert got["z"] == pytest.approx(expect["z"])
    with pytest.raises(ValueError, match="structure"):
        f_jvp(np.ones(3))


def test_jacfwd_inside_grad_sees_the_outer_variable():
    x0 = np.array([1.0, 2.0])
    f = lambda y: jacfwd(lambda x: np.sin(x * y))(x0).sum()  # noqa: E731
    expected = numerical_gradient(lambda y: f(float(y[0])), np.array([2.0]), richardson=True)
    assert grad(f)(2.0) == pytest.approx(expected[0], rel=1e-8)
    g = lambda v: np.sum(np.sin(v) ** 3 * v[0])  # noqa: E731
    np.testing.assert_allclose(jacfwd(jacfwd(jacfwd(g)))(x0), jacrev(jacrev(jacrev(g)))(x0),
                               atol=1e-12)


def test_jacobian_and_hessian_layouts_for_pytrees_and_scalars():
    H = hessian(lambda x, y: x**2 * y, argnums=(0, 1))(1.0, 2.0)
    np.testing.assert_allclose([[H[0][0], H[0][1]], [H[1][0], H[1][1]]], [[4.0, 2.0], [2.0, 0.0]])
    J = jacobian(lambda x: {"a": x**2, "b": x.sum()})(np.array([1.0, 2.0]))
    np.testing.assert_allclose(J["a"], np.diag([2.0, 4.0]))
    np.testing.assert_allclose(J["b"], [1.0, 1.0])
    Jm = jacrev(lambda M: M @ np.ones(3))(np.ones((2, 3)))
    assert Jm.shape == (2, 2, 3)
    np.testing.assert_allclose(Jm, jacfwd(lambda M: M @ np.ones(3))(np.ones((2, 3))))
    assert float(hessian(lambda s: s**3)(2.0)) == pytest.approx(12.0)


def test_jacobians_of_a_pytree_input_agree_between_modes():
    def f(p):
        return (p["w"] * p["b"], np.sum(p["w"] ** 2))

    p = {"w": np.array([1.0, 2.0]), "b": 3.0}
    Jf, Jr = jacfwd(f)(p), jacrev(f)(p)
    np.testing.assert_allclose(Jf[0]["w"], 3.0 * np.eye(2))
    np.testing.assert_allclose(Jf[0]["b"], [1.0, 2.0])
    np.testing.assert_allclose(Jf[1]["w"], [2.0, 4.0])
    assert float(Jf[1]["b"]) == 0.0
    for a, b in zip(tree_leaves(Jf), tree_leaves(Jr)):
        assert np.shape(a) == np.shape(b)
        np.testing.assert_allclose(a, b)


def test_float32_inputs_keep_float32_derivatives():
    x = np.array([0.5, 1.5], dtype=np.float32)
    assert grad(lambda x: np.sum(np.tanh(x) ** 2))(x).dtype == np.float32
    assert hessian(lambda x: np.sum(x**3))(x).dtype == np.float32
    assert jacobian(lambda x: x * 2.0)(x).dtype == np.float32
