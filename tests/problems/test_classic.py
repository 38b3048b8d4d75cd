"""Rosenbrock, quadratics, Himmelblau, Beale and peaks: derivatives and known minima."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.problems import (
    Problem,
    beale,
    himmelblau,
    least_squares_problem,
    mgh_problem,
    peaks,
    quadratic,
    rosenbrock,
)

from ._fd import fd_gradient, fd_jacobian

CLASSIC = [
    rosenbrock(),
    rosenbrock(5, "chained"),
    rosenbrock(6, "separable"),
    quadratic(6, cond=1e3, seed=3),
    quadratic(4, cond=50.0, seed=1, rotate=False),
    himmelblau(),
    beale(),
    peaks(),
]
IDS = [p.name for p in CLASSIC]


def _points(p: Problem) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [p.x0.copy()] + [p.x0 + 0.3 * rng.standard_normal(p.n) for _ in range(3)]


@pytest.mark.parametrize("p", CLASSIC, ids=IDS)
def test_gradient_matches_finite_differences(p: Problem) -> None:
    for x in _points(p):
        g = p.grad(x)
        assert np.max(np.abs(g - fd_gradient(p.fun, x))) <= 1e-7 * (1.0 + np.max(np.abs(g)))


@pytest.mark.parametrize("p", [p for p in CLASSIC if p.hess is not None], ids=lambda p: p.name)
def test_hessian_matches_finite_differences_of_gradient(p: Problem) -> None:
    for x in _points(p):
        H = p.hessian(x)
        assert np.allclose(H, H.T)
        assert np.max(np.abs(H - fd_jacobian(p.grad, x))) <= 1e-7 * (1.0 + np.max(np.abs(H)))
        if p.hessp is not None:
            v = np.random.default_rng(0).standard_normal(p.n)
            assert np.allclose(p.hessp(x, v), H @ v, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("p", CLASSIC, ids=IDS)
def test_known_minimum(p: Problem) -> None:
    assert p.fun(p.x_star) == pytest.approx(p.f_star, abs=1e-14)
    assert np.max(np.abs(p.grad(p.x_star))) <= 1e-10
    assert p.f_star <= p.fun(p.x0)


def test_two_dimensional_rosenbrock_is_mgh_problem_1() -> None:
    a, b = rosenbrock(), mgh_problem(1)
    for x in _points(a):
        assert a.fun(x) == pytest.approx(b.fun(x), rel=1e-14)
        assert np.allclose(a.grad(x), b.grad(x), rtol=1e-13)
    assert rosenbrock(2, "separable").fun(a.x0) == pytest.approx(24.2)


def test_separable_rosenbrock_is_mgh_problem_21() -> None:
    a, b = rosenbrock(10, "separable"), mgh_problem(21, n=10)
    assert np.array_equal(a.x0, b.x0)
    x = np.random.default_rng(2).standard_normal(10)
    assert a.fun(x) == pytest.approx(b.fun(x), rel=1e-13)
    assert np.allclose(a.grad(x), b.grad(x), rtol=1e-12)


def test_rosenbrock_scales_to_a_million_variables() -> None:
    p = rosenbrock(10**6, "separable")
    g = p.grad(p.x0)
    assert g.shape == (10**6,) and np.all(np.isfinite(g))
    assert p.fun(p.x0) == pytest.approx(24.2 * 5 * 10**5, rel=1e-12)
    assert p.hessp(p.x0, g).shape == (10**6,)


@given(
    n=st.integers(1, 12),
    log_cond=st.floats(0.0, 8.0),
    seed=st.integers(0, 2**16),
)
def test_quadratic_has_requested_condition_number_and_minimizer(
    n: int, log_cond: float, seed: int
) -> None:
    cond = 10.0**log_cond if n > 1 else 1.0
    p = quadratic(n, cond=cond, seed=seed)
    A, b = p.data["A"], p.data["b"]
    eig = np.linalg.eigvalsh(A)
    assert eig.min() > 0.0
    assert eig.max() / eig.min() == pytest.approx(cond, rel=1e-6)
    assert np.allclose(A @ p.x_star, b)
    assert np.allclose(np.linalg.solve(A, b), p.x_star, atol=1e-8 * cond)


def test_quadratic_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="cond"):
        quadratic(3, cond=0.5)
    with pytest.raises(ValueError, match="n must be"):
        quadratic(0)
    with pytest.raises(TypeError):
        quadratic(2.5)  # type: ignore[arg-type]


def test_rosenbrock_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="kind"):
        rosenbrock(4, kind="banana")
    with pytest.raises(ValueError, match="even"):
        rosenbrock(5, kind="separable")
    with pytest.raises(ValueError):
        rosenbrock(1)


def test_himmelblau_has_four_zeros() -> None:
    p = himmelblau()
    quoted = [(3.0, 2.0), (-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848127)]
    for point in quoted:
        x = np.array(point)
        for _ in range(6):  # Newton refinement from the 6-decimal quote
            x = x - np.linalg.solve(p.hessian(x), p.grad(x))
        assert np.allclose(x, point, atol=1e-6)
        assert p.fun(x) <= 1e-20
        assert np.all(np.linalg.eigvalsh(p.hessian(x)) > 0)


def test_peaks_minimizer_is_global_on_a_grid() -> None:
    p = peaks()
    u, v = np.meshgrid(np.linspace(-3, 3, 241), np.linspace(-3, 3, 241))
    values = p.fun(np.stack([u, v]))
    assert values.min() >= p.f_star
    H = fd_jacobian(p.grad, p.x_star)
    assert np.all(np.linalg.eigvalsh(0.5 * (H + H.T)) > 0)
    assert p.f_star == pytest.approx(-6.551133, abs=1e-6)


def test_least_squares_problem_builds_value_gradient_and_size() -> None:
    p = least_squares_problem(
        "line",
        [0.0, 0.0],
        lambda x: np.stack([x[0] + x[1] - 1.0, x[0] - x[1], 2.0 * x[1]]),
        lambda x: np.array([[1.0, 1.0], [1.0, -1.0], [0.0, 2.0]]),
    )
    assert p.m == 3 and p.n == 2
    x = np.array([0.3, -0.2])
    assert np.allclose(p.grad(x), fd_gradient(p.fun, x), atol=1e-9)
    f, g = p.fun_and_grad(x)
    assert f == pytest.approx(p.fun(x)) and np.array_equal(g, p.grad(x))


def test_problem_validates_shapes() -> None:
    with pytest.raises(ValueError, match="x0 has shape"):
        Problem(name="bad", n=3, x0=np.zeros(2), fun=np.sum, grad=np.ones_like)
    with pytest.raises(ValueError, match="x_star has shape"):
        Problem(name="bad", n=2, x0=np.zeros(2), fun=np.sum, grad=np.ones_like, x_star=[1.0])
    p = rosenbrock().with_start([0.0, 0.0])
    assert p.x0.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("p", CLASSIC, ids=IDS)
def test_autodiff_agrees_with_the_analytic_derivatives(p: Problem) -> None:
    from steepest.autodiff import grad, hessian

    for x in _points(p)[:2]:
        g = p.grad(x)
        assert np.allclose(grad(p.fun)(x), g, rtol=1e-12, atol=1e-12 * (1 + np.abs(g).max()))
        H_ad = hessian(p.fun)(x)
        H_ref = p.hessian(x) if p.hess is not None else fd_jacobian(p.grad, x, step=1e-4)
        assert np.max(np.abs(H_ad - H_ref)) <= 1e-7 * (1.0 + np.max(np.abs(H_ad)))


def test_repr_is_short_and_informative() -> None:
    assert repr(mgh_problem(20)) == "Problem('mgh20_watson', n=6, m=31, f_star=0.00228767)"
    assert repr(rosenbrock()) == "Problem('rosenbrock', n=2, f_star=0.0)"
