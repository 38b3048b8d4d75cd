"""The fused cross-entropy primitives: one graph node, the numerics lane's value, derivatives
(softmax(z) − t)/n and σ(z) − t that nest to second order."""

from __future__ import annotations

import numpy as np
import pytest

import steepest as st
from steepest.autodiff import check_grads, grad, hessian, jvp, trace_graph, value_and_grad

RNG = np.random.default_rng(7)
Z = RNG.normal(size=(5, 4))
LABELS = RNG.integers(0, 4, size=5)
PROBS = RNG.random((5, 4))
REDUCTIONS = ["mean", "sum", "none"]


def _scalar(loss):
    return loss if np.ndim(loss) == 0 else np.sum(np.sin(loss))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", ["labels", "probs"])
@pytest.mark.parametrize("axis", [-1, 0])
def test_cross_entropy_check_grads_order_2(reduction, kind, axis):
    t = LABELS if kind == "labels" else (PROBS if axis == -1 else PROBS.T)
    z = Z if axis == -1 else Z.T
    check_grads(lambda z: _scalar(st.cross_entropy(z, t, axis=axis, reduction=reduction)), (z,),
                modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("kind", ["labels", "probs"])
def test_cross_entropy_is_one_node_with_the_numerics_value(kind):
    t = LABELS if kind == "labels" else PROBS
    graph = trace_graph(lambda z: st.cross_entropy(z, t), Z)
    assert [n.prim.name for n in graph.nodes if n.prim is not None] == ["cross_entropy"]
    value = float(value_and_grad(lambda z: st.cross_entropy(z, t))(Z)[0])
    assert value == float(st.cross_entropy(Z, t))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_gradient_is_softmax_minus_onehot(reduction):
    s = st.softmax(Z)
    n = Z.shape[0] if reduction == "mean" else 1
    g = grad(lambda z: np.sum(st.cross_entropy(z, LABELS, reduction=reduction)))(Z)
    np.testing.assert_allclose(g, (s - np.eye(4)[LABELS]) / n, atol=1e-15)
    gp = grad(lambda z: np.sum(st.cross_entropy(z, PROBS, reduction=reduction)))(Z)
    np.testing.assert_allclose(gp, (s * PROBS.sum(1, keepdims=True) - PROBS) / n, atol=1e-15)


def test_cross_entropy_hessian_is_diag_s_minus_ssT_per_row():
    H = hessian(lambda z: st.cross_entropy(z, LABELS, reduction="sum"))(Z)
    s = st.softmax(Z)
    for i in range(Z.shape[0]):
        np.testing.assert_allclose(H[i, :, i, :], np.diag(s[i]) - np.outer(s[i], s[i]),
                                   atol=1e-15)
        others = np.delete(H[i], i, axis=1)
        assert np.all(others == 0)


def test_cross_entropy_jvp_matches_vjp():
    v = RNG.normal(size=Z.shape)
    _, tangent = jvp(lambda z: st.cross_entropy(z, LABELS), (Z,), (v,))
    g = grad(lambda z: st.cross_entropy(z, LABELS))(Z)
    np.testing.assert_allclose(tangent, np.sum(g * v), rtol=1e-13)


def test_cross_entropy_stays_finite_for_huge_logits():
    z = np.array([[0.0, 1000.0], [-800.0, 800.0]])
    g = grad(lambda z: st.cross_entropy(z, np.array([0, 1])))(z)
    np.testing.assert_allclose(g, [[-0.5, 0.5], [0.0, 0.0]], atol=1e-300)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_check_grads_order_2_in_logits_and_targets(reduction):
    def f(z, t):
        return _scalar(st.binary_cross_entropy_with_logits(z, t, reduction=reduction))
    check_grads(f, (Z, PROBS), modes=("fwd", "rev"), order=2)


def test_bce_is_one_node_with_gradient_sigmoid_minus_t():
    graph = trace_graph(lambda z: st.binary_cross_entropy_with_logits(z, PROBS), Z)
    assert [n.prim.name for n in graph.nodes if n.prim is not None] == [
        "binary_cross_entropy_with_logits"]
    g = grad(lambda z: st.binary_cross_entropy_with_logits(z, PROBS))(Z)
    np.testing.assert_allclose(g, (st.sigmoid(Z) - PROBS) / Z.size, atol=1e-15)
    h = hessian(lambda z: st.binary_cross_entropy_with_logits(z, PROBS[0], reduction="sum"))(Z[0])
    np.testing.assert_allclose(h, np.diag(st.sigmoid(Z[0]) * st.sigmoid(-Z[0])), atol=1e-15)
