"""explain(): the seed's Tables 4.1-4.3 from the traced graph."""

import numpy as np
import pytest

from steepest.autodiff import explain, grad, jvp


def seed_c(t):
    return np.sin(t[0] * t[1]) + np.exp(t[1] + t[2]) - 2 * t[2]


THETA = np.array([np.pi / 6, 2.0, 5.0])


def test_seed_example_tables_match_the_book():
    ex = explain(seed_c, THETA, j=2)
    np.testing.assert_allclose(ex.gradient, [1.0, np.pi / 12 + np.exp(7), np.exp(7) - 2])
    assert float(ex.tangent_of_output) == pytest.approx(np.pi / 12 + np.exp(7))
    primals = {n.expression: float(n.primal) for n in ex.nodes}
    assert primals["θ1 · θ2"] == pytest.approx(np.pi / 3)
    assert primals["θ2 + θ3"] == pytest.approx(7.0)
    assert primals["sin(a1)"] == pytest.approx(np.sqrt(3) / 2)
    assert float(ex.output) == pytest.approx(np.sqrt(3) / 2 + np.exp(7) - 10)
    iterations = {n.expression: n.iteration for n in ex.nodes}
    assert iterations["θ1 · θ2"] == iterations["θ2 + θ3"] == 1
    assert iterations["sin(a1)"] == iterations["exp(a2)"] == 2
    adjoints = {n.expression: float(n.adjoint) for n in ex.nodes}
    assert adjoints["θ1 · θ2"] == pytest.approx(0.5)  # ζ1 = cos(π/3)
    assert adjoints["θ2 + θ3"] == pytest.approx(np.exp(7))


def test_tables_print_with_their_titles_and_expressions():
    text = str(explain(seed_c, THETA, j=2))
    for piece in ("Table 4.1", "Table 4.2", "Table 4.3", "cos(a1)", "∂C/∂θ3"):
        assert piece in text


@pytest.mark.parametrize("j", [1, 2, 3])
def test_tangent_and_gradient_agree_with_transforms(j):
    f = lambda t: t[0] ** 2 * np.tanh(t[1]) / (1.0 + t[2] ** 2)  # noqa: E731
    x = np.array([0.3, -1.1, 0.7])
    ex = explain(f, x, j=j)
    e = np.eye(3)[j - 1]
    assert float(ex.tangent_of_output) == pytest.approx(float(jvp(f, (x,), (e,))[1]))
    np.testing.assert_allclose(ex.gradient, grad(f)(x))


def test_scalar_arguments_and_bad_j():
    ex = explain(lambda x, y: x * y + np.sin(x), 1.0, 2.0)
    np.testing.assert_allclose(ex.gradient, [2.0 + np.cos(1.0), 1.0])
    with pytest.raises(ValueError, match="pick 1..2"):
        explain(lambda x, y: x * y, 1.0, 2.0, j=3)
    with pytest.raises(TypeError, match="scalar output"):
        explain(lambda x: x * 2, np.ones(2))
