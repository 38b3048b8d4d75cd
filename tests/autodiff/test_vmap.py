"""vmap: every function of the rule catalogue, batched, equals the stacked loop over examples
(to a few ulp), and so do its gradients in both nestings (vmap of grad, grad of a vmapped sum);
in_axes/out_axes/axis_size/keyword variants, pytrees, nesting, per-example gradients, errors."""

import numpy as np
import pytest

import steepest as st
from steepest.autodiff import jacobians
from steepest.autodiff.batching import LOOPED, RULES
from steepest.autodiff.batching.coverage import LOOPING
from steepest.autodiff.numpy.coverage import coverage
from steepest.tree import tree_leaves

from .test_rules import CASES

SCALES = (1.0, 0.9, 0.8)  # examples: the catalogue point scaled (stays in every domain)
TOL = {"rtol": 1e-15, "atol": 1e-15}
rng = np.random.default_rng(7)


def _batch(args):
    return [np.stack([np.asarray(a) * c for c in SCALES]) for a in args]


def _examples(args):
    return [[np.asarray(a) * c for a in args] for c in SCALES]


def _stacked(outs):
    """The per-example outputs (pytrees) stacked leaf by leaf."""
    leaves = [tree_leaves(o) for o in outs]
    return [np.stack([np.asarray(ls[i]) for ls in leaves]) for i in range(len(leaves[0]))]


def _scalar(f):
    return lambda *a: sum(np.sum(np.sin(leaf)) for leaf in tree_leaves(f(*a)))


@pytest.mark.parametrize(("name", "f", "args"), CASES, ids=[c[0] for c in CASES])
def test_vmap_of_the_catalogue_equals_the_loop(name, f, args):
    got = tree_leaves(st.vmap(f)(*_batch(args)))
    ref = _stacked([f(*ex) for ex in _examples(args)])
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        np.testing.assert_allclose(g, r, **TOL)


@pytest.mark.parametrize(("name", "f", "args"), CASES, ids=[c[0] for c in CASES])
def test_vmap_of_grad_and_grad_of_vmap_equal_the_loop(name, f, args):
    s = _scalar(f)
    batch = _batch(args)
    ref = np.stack([st.grad(s)(*ex) for ex in _examples(args)])
    np.testing.assert_allclose(st.vmap(st.grad(s))(*batch), ref, rtol=1e-13, atol=1e-13)
    total = st.grad(lambda x: np.sum(st.vmap(s)(x, *batch[1:])))(batch[0])
    np.testing.assert_allclose(total, ref, rtol=1e-13, atol=1e-13)


def test_the_loops_are_exactly_those_the_coverage_table_lists():
    LOOPED.clear()
    for _, f, args in CASES:
        st.vmap(f)(*_batch(args))
        st.vmap(st.grad(_scalar(f)))(*_batch(args))
    # getitem/untake: a boolean mask (x[x > 0]), whose selection may differ between examples; the
    # fused losses are steepest functions, not NumPy names
    others = {"getitem", "untake", "cross_entropy", "binary_cross_entropy_with_logits"}
    assert set(LOOPING) <= LOOPED <= set(LOOPING) | others, LOOPED
    for prim, names in LOOPING.items():
        for name in names:
            entry = coverage()[name]
            assert not entry.batched and prim in entry.note


def test_rules_cover_the_elementwise_reduction_shape_and_product_primitives():
    names = {p.name for p in RULES}
    assert {"sin", "add", "where", "sum", "max", "var", "reshape", "transpose", "getitem",
            "concatenate", "pad", "matmul", "einsum", "inv", "solve", "softmax"} <= names
    assert sum(e.batched for e in coverage().values() if e is not None) >= 140


def _mlp_loss(params, x, y):
    h = np.tanh(x @ params["W1"] + params["b1"])
    z = h @ params["W2"] + params["b2"]
    return -np.sum(y * st.log_softmax(z))


def test_per_example_gradients_of_a_pytree_of_parameters():
    params = {"W1": rng.normal(size=(5, 4)), "b1": rng.normal(size=4),
              "W2": rng.normal(size=(4, 3)), "b2": np.zeros(3)}
    X, y = rng.normal(size=(6, 5)), np.eye(3)[rng.integers(0, 3, 6)]
    got = st.vmap(st.grad(_mlp_loss), in_axes=(None, 0, 0))(params, X, y)
    for k in params:
        ref = np.stack([st.grad(_mlp_loss)(params, x, t)[k] for x, t in zip(X, y)])
        np.testing.assert_allclose(got[k], ref, rtol=1e-13, atol=1e-14)
    total = st.grad(lambda p: np.sum(st.vmap(_mlp_loss, in_axes=(None, 0, 0))(p, X, y)))(params)
    np.testing.assert_allclose(total["W1"], got["W1"].sum(axis=0), rtol=1e-12, atol=1e-13)
    vg = st.vmap(st.value_and_grad(_mlp_loss), in_axes=(None, 0, 0))(params, X, y)
    np.testing.assert_allclose(vg[0], [_mlp_loss(params, x, t) for x, t in zip(X, y)], **TOL)


@pytest.mark.parametrize("jac", [st.jacfwd, st.jacrev, st.hessian], ids=lambda j: j.__name__)
def test_vmap_of_jacobians_equals_the_loop(jac):
    f = lambda x: np.sin(x) * np.sum(x**2) + np.cumsum(x)  # noqa: E731
    g = (lambda x: np.sum(f(x) ** 2)) if jac is st.hessian else f
    X = rng.normal(size=(4, 5))
    np.testing.assert_allclose(st.vmap(jac(g))(X), np.stack([jac(g)(x) for x in X]),
                               rtol=1e-13, atol=1e-13)


def test_jacobians_of_many_outputs_match_finite_differences():
    f = lambda x: np.tanh(np.outer(x, x[:7]) @ np.ones(7))  # noqa: E731
    x = rng.normal(size=10)
    num = st.numerical_jacobian(f, x)
    np.testing.assert_allclose(st.jacrev(f)(x), num, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(st.jacfwd(f)(x), num, rtol=1e-6, atol=1e-7)
    h = st.hessian(lambda v: np.sum(f(v) ** 3))(x)
    np.testing.assert_allclose(h, st.numerical_hessian(lambda v: np.sum(f(v) ** 3), x),
                               rtol=1e-5, atol=1e-6)


def test_in_axes_out_axes_keywords_and_axis_size():
    A, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    f = lambda x, w: np.tanh(x * w)  # noqa: E731
    ref = np.stack([f(A[:, j], b[j, 0]) for j in range(4)])
    np.testing.assert_allclose(st.vmap(f, in_axes=(1, 0))(A, b[:, 0]), ref, **TOL)
    np.testing.assert_allclose(st.vmap(f, in_axes=(1, None))(A, 0.5),
                               np.stack([f(A[:, j], 0.5) for j in range(4)]), **TOL)
    np.testing.assert_allclose(st.vmap(f, in_axes=(1, 0), out_axes=1)(A, b[:, 0]), ref.T, **TOL)
    np.testing.assert_allclose(st.vmap(f, in_axes=(-1, 0))(A, b[:, 0]), ref, **TOL)
    kw = st.vmap(lambda x, *, w: f(x, w))(A.T, w=b[:, 0])
    np.testing.assert_allclose(kw, ref, **TOL)
    out = st.vmap(lambda: np.arange(3.0), in_axes=(), axis_size=2)()
    np.testing.assert_array_equal(out, [[0.0, 1.0, 2.0]] * 2)
    both = st.vmap(lambda x: (x, 2.0), out_axes=(0, None))(A)
    assert both[1] == 2.0 and both[0].shape == A.shape


def test_pytree_inputs_and_outputs_with_prefix_in_axes():
    tree = {"a": rng.normal(size=(3, 2)), "b": [rng.normal(size=3), rng.normal(size=(2, 3))]}
    f = lambda t: {"s": t["a"].sum() * t["b"][0], "m": t["b"][1] @ t["a"]}  # noqa: E731
    got = st.vmap(f, in_axes=({"a": 0, "b": [0, 1]},))(tree)
    for j in range(3):
        ex = {"a": tree["a"][j], "b": [tree["b"][0][j], tree["b"][1][:, j]]}
        np.testing.assert_allclose(got["s"][j], f(ex)["s"], **TOL)
        np.testing.assert_allclose(got["m"][j], f(ex)["m"], **TOL)


def test_nested_vmap_and_uniform_control_flow():
    X, Y = rng.normal(size=(3, 4)), rng.normal(size=(5, 4))
    dist = st.vmap(st.vmap(lambda x, y: np.sum((x - y) ** 2), in_axes=(None, 0)), in_axes=(0, None))
    np.testing.assert_allclose(dist(X, Y), ((X[:, None] - Y[None]) ** 2).sum(-1), **TOL)

    def branchy(x):
        return x * 2 if x.shape[0] > 2 and np.all(np.isfinite(x)) else x

    np.testing.assert_allclose(st.vmap(branchy)(X), 2 * X, **TOL)
    np.testing.assert_allclose(st.vmap(lambda x: np.where(x > 0, x, 0.1 * x))(X),
                               np.where(X > 0, X, 0.1 * X), **TOL)


def test_value_dependent_branch_that_differs_between_examples_is_refused():
    with pytest.raises(TypeError, match="differs between examples.*np.where"):
        st.vmap(lambda x: x if x > 0 else -x)(np.array([1.0, -1.0]))


@pytest.mark.parametrize(("call", "match"), [
    (lambda: st.vmap(np.add)(np.ones(3), np.ones(4)), "different sizes.*input 0: 3, input 1: 4"),
    (lambda: st.vmap(np.add, in_axes=(0,))(np.ones(3), np.ones(3)),
     "in_axes has 1 entries but the function got 2"),
    (lambda: st.vmap(lambda t: t["a"], in_axes=({"b": 0},))({"a": np.ones(2)}),
     "does not match the structure"),
    (lambda: st.vmap(np.sin, in_axes=2)(np.ones((2, 3))), "in_axes=2 is out of range.*shape"),
    (lambda: st.vmap(np.sin, out_axes=3)(np.ones((2, 3))), "out_axes=3 is out of range"),
    (lambda: st.vmap(np.sin, in_axes=None)(np.ones(2)), "axis_size"),
    (lambda: st.vmap(np.sin, in_axes="0")(np.ones(2)), "in_axes must be an int"),
    (lambda: st.vmap(np.sin, out_axes=None)(np.ones(2)), "out_axes is None"),
    (lambda: st.vmap(np.sin, axis_size=0), "axis_size must be a positive int"),
])
def test_bad_arguments_get_clear_errors(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


@pytest.mark.parametrize("chunk", [3, 256])
def test_vmapped_jacobians_equal_the_loop_of_passes_in_any_chunking(monkeypatch, chunk):
    f = lambda v: np.tanh(v * np.sum(v)) + np.cumsum(v) ** 2  # noqa: E731
    x = rng.normal(size=10)
    monkeypatch.setattr(jacobians, "_VMAP_CHUNK", chunk)
    batched = [st.jacrev(f)(x), st.jacfwd(f)(x), st.hessian(lambda v: np.sum(f(v)))(x)]
    monkeypatch.setattr(jacobians, "_VMAP_FROM", 10**9)
    looped = [st.jacrev(f)(x), st.jacfwd(f)(x), st.hessian(lambda v: np.sum(f(v)))(x)]
    for b, lp in zip(batched, looped):
        np.testing.assert_allclose(b, lp, rtol=1e-14, atol=1e-14)


def test_vmap_composes_with_jvp_hvp_and_an_inner_vmap():
    X, v = rng.normal(size=(4, 3)), rng.normal(size=3)
    f = lambda x: np.sum(np.sin(x) ** 2 * np.max(x)) + np.sort(x)[0] + np.take(x, [2, 0]).sum()  # noqa: E731
    np.testing.assert_allclose(st.vmap(lambda x: st.jvp(f, (x,), (v,))[1])(X),
                               [st.jvp(f, (x,), (v,))[1] for x in X], rtol=1e-13)
    np.testing.assert_allclose(st.vmap(lambda x: st.hvp(f, x, v))(X),
                               [st.hvp(f, x, v) for x in X], rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(st.vmap(st.grad(f))(X), [st.grad(f)(x) for x in X], rtol=1e-13)
    h = lambda w, x: np.sum(st.vmap(lambda r: np.tanh(r @ w))(x))  # noqa: E731
    W, XX = rng.normal(size=3), rng.normal(size=(5, 2, 3))
    np.testing.assert_allclose(st.vmap(st.grad(h), in_axes=(None, 0))(W, XX),
                               [st.grad(h)(W, x) for x in XX], rtol=1e-13)
