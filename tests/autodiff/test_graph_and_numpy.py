"""The graph is plain data; plain numpy and steepest.numpy give the same derivatives; the
stable numerics are primitives."""

import numpy as np
import pytest

import steepest as st
import steepest.numpy as snp
from steepest.autodiff import check_grads, grad, hessian, hvp, jacobian, trace_graph


def test_graph_is_inspectable_and_re_evaluable():
    f = lambda x: np.sum(np.tanh(x) ** 2 + x[0])  # noqa: E731
    g = trace_graph(f, np.array([0.1, 0.2, 0.3]))
    names = [n.prim.name for n in g.nodes if n.prim is not None]
    assert names[-1] == "sum" and "tanh" in names and "getitem" in names
    position = {n: k for k, n in enumerate(g.nodes)}
    for n in g.nodes:
        for _, p in n.parents:
            assert position[p] < position[n]  # topological order
    consumers = g.consumers()
    assert len(consumers[g.inputs[0]]) == 2  # tanh and x[0]
    y = np.array([0.5, -1.0, 2.0])
    assert g.evaluate(y) == pytest.approx(f(y))


def test_plain_numpy_and_steepest_numpy_agree():
    rng = np.random.default_rng(3)
    A, x = rng.standard_normal((3, 3)), rng.standard_normal(3)

    def plain(x):
        return np.sum(np.exp(np.linalg.solve(A + 3 * np.eye(3), x)) * np.cumsum(x)) + np.max(x)

    def explicit(x):
        return snp.sum(snp.exp(snp.linalg.solve(A + 3 * np.eye(3), x)) * snp.cumsum(x)) + snp.max(x)

    np.testing.assert_allclose(grad(plain)(x), grad(explicit)(x))
    np.testing.assert_allclose(hessian(plain)(x), hessian(explicit)(x))
    assert snp.pi == np.pi and snp.float64 is np.float64


def test_numerics_overrides_are_stable_at_extremes():
    z = np.array([0.0, 1000.0, -1000.0])
    g = grad(lambda z: st.logsumexp(z))(z)
    np.testing.assert_allclose(g, [0.0, 1.0, 0.0], atol=1e-300)
    H = hessian(lambda z: st.logsumexp(z))(z)
    assert np.all(np.isfinite(H))
    assert grad(lambda x: st.softplus(x))(1000.0) == pytest.approx(1.0)
    assert grad(lambda x: st.log_sigmoid(x))(-1000.0) == pytest.approx(1.0)
    assert grad(grad(lambda x: st.softplus(x)))(-800.0) == pytest.approx(0.0, abs=1e-300)
    g = grad(lambda z: st.cross_entropy(z[None, :], np.array([0])))(np.array([0.0, 1000.0]))
    np.testing.assert_allclose(g, [-1.0, 1.0])


def test_kink_conventions_never_give_nan():
    assert grad(np.abs)(0.0) == 0.0
    np.testing.assert_allclose(grad(lambda x: np.max(x))(np.array([1.0, 3.0, 3.0])),
                               [0.0, 0.5, 0.5])
    np.testing.assert_allclose(grad(lambda x: np.sum(np.maximum(x, 1.0)))(np.ones(2)), [0.5, 0.5])
    np.testing.assert_allclose(grad(np.linalg.norm)(np.zeros(3)), np.zeros(3))
    # d/dy 0**y at y = 2: the traced exponent's derivative at base 0 is taken as 0, not nan
    assert grad(lambda y: 0.0**y)(2.0) == 0.0


def test_user_style_code_with_iteration_and_list_building():
    def rosen(v):
        return sum(100.0 * (b - a**2) ** 2 + (1 - a) ** 2 for a, b in zip(v[:-1], v[1:]))

    x = np.array([-1.2, 1.0, 0.5])
    check_grads(rosen, (x,), order=2)

    def residuals(v):
        return np.array([10 * (v[1] - v[0] ** 2), 1 - v[0]])

    J = jacobian(residuals)(np.array([-1.2, 1.0]))
    np.testing.assert_allclose(J, [[24.0, 10.0], [-1.0, 0.0]])


def test_hvp_on_pytrees_matches_hessian():
    def f(p):
        return np.sum(p["w"] ** 3) * p["b"] + p["b"] ** 2

    p = {"w": np.array([1.0, 2.0]), "b": 3.0}
    v = {"w": np.array([1.0, 0.0]), "b": 1.0}
    out = hvp(f, p, v)
    # ∂²/∂w² = 6 w b diag, ∂²/∂w∂b = 3 w², ∂²/∂b² = 2
    np.testing.assert_allclose(out["w"], [6 * 1 * 3 * 1 + 3 * 1, 3 * 4])
    assert out["b"] == pytest.approx(3 * 1 + 2)


def test_traced_losses_validate_like_the_plain_ones():
    z = np.zeros((3, 4))
    with pytest.raises(ValueError, match="labels must lie"):
        grad(lambda z: st.cross_entropy(z, np.array([0, 1, 2, 3]), axis=0))(z)
    with pytest.raises(ValueError, match="shape"):
        grad(lambda z: st.cross_entropy(z, np.array([0, 1])))(z)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        grad(lambda z: st.binary_cross_entropy_with_logits(z, 2 * np.ones((3, 4))))(z)
    H = hessian(lambda z: st.cross_entropy(z[None], np.array([1])))(np.array([0.0, 1.0, 2.0]))
    s = st.softmax(np.array([0.0, 1.0, 2.0]))
    np.testing.assert_allclose(H, np.diag(s) - np.outer(s, s), atol=1e-15)
