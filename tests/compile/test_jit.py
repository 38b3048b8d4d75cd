"""``steepest.jit``: cache per signature, composition with the transforms, guards on Python
control flow, re-tracing and the eager fallback, and the bad-input messages."""

import warnings

import numpy as np
import pytest

import steepest as st
from steepest.compile import JitError, JitWarning, fusion


def rosen(x):
    return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2


def chained(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


rng = np.random.default_rng(0)
POINTS = [rng.uniform(-2, 2, 5) for _ in range(4)]
LOG = np.zeros(3)


def test_trace_once_replay_many():
    calls = []

    def f(x):
        calls.append(1)  # a side effect: trace time only
        return np.sin(x) * x

    jf = st.jit(f)
    for x in POINTS:
        assert np.array_equal(jf(x), np.sin(x) * x)
    assert len(calls) == 1 and jf.traces == 1
    jf(np.ones(3))  # a new shape is a new signature
    assert jf.traces == 2


@pytest.mark.parametrize("transform", ["grad", "value_and_grad", "hessian", "jacobian", "hvp"])
def test_composes_with_transforms_in_both_orders(transform):
    v = np.linspace(-1, 1, 5)
    eager = {"grad": st.grad(chained), "value_and_grad": st.value_and_grad(chained),
             "hessian": st.hessian(chained), "jacobian": st.jacobian(lambda x: np.sin(x) * x),
             "hvp": lambda x: st.hvp(chained, x, v)}[transform]
    inner = {"grad": st.grad(st.jit(chained)), "value_and_grad": st.value_and_grad(
        st.jit(chained)), "hessian": st.hessian(st.jit(chained)),
        "jacobian": st.jacobian(st.jit(lambda x: np.sin(x) * x)),
        "hvp": lambda x: st.hvp(st.jit(chained), x, v)}[transform]
    outer = st.jit(eager)
    for x in POINTS:
        want = eager(x)
        for got in (inner(x), outer(x)):
            for a, b in zip(st.tree.tree_leaves(got), st.tree.tree_leaves(want)):
                np.testing.assert_array_equal(a, b)
    assert outer.traces == 1


def test_gradient_of_replay_matches_finite_differences():
    st.check_grads(st.jit(chained), (POINTS[0],), modes=("rev", "fwd"), order=2)


def test_value_dependent_branch_is_guarded_and_both_branches_cached():
    def f(x):
        if np.sum(x) > 0:
            return np.sin(x)
        return np.cos(x)

    jf = st.jit(f)
    up, down = np.ones(3), -np.ones(3)
    for x in (up, down, up, down, up):
        assert np.array_equal(jf(x), f(x))
    assert jf.traces == 2
    guards = jf.recordings(up)[0].guards
    assert [g.kind for g in guards] == ["bool"]
    assert guards[0].line.endswith(f"test_jit.py:{f.__code__.co_firstlineno + 1}")


def test_while_loop_on_values():
    def f(x):
        while np.max(np.abs(x)) > 1:
            x = x / 2
        return x * 3

    jf = st.jit(f)
    for x in (np.array([5.0, 1.0]), np.array([6.0, 2.0]), np.array([0.5, 0.1]),
              np.array([7.0, 0.0])):
        assert np.array_equal(jf(x), f(x))
        np.testing.assert_array_equal(st.grad(lambda y: np.sum(jf(y)))(x),
                                      st.grad(lambda y: np.sum(f(y)))(x))
    assert jf.traces == 2  # 3 halvings (three inputs), 0 halvings


def test_python_int_is_static_and_float_is_traced():
    jf = st.jit(lambda x, n, s: x ** n * s)
    x = np.arange(3.0)
    assert np.array_equal(jf(x, 2, 1.5), x ** 2 * 1.5)
    assert np.array_equal(jf(x, 2, 2.5), x ** 2 * 2.5)
    assert jf.traces == 1
    assert np.array_equal(jf(x, 3, 2.5), x ** 3 * 2.5)
    assert jf.traces == 2


def test_static_argnums_and_kwargs_and_pytrees():
    def f(params, x, activation="tanh"):
        act = getattr(np, activation)
        return act(x @ params["w"] + params["b"])

    jf = st.jit(f, static_argnums=2)
    p = {"w": rng.standard_normal((3, 2)), "b": np.zeros(2)}
    x = rng.standard_normal((4, 3))
    np.testing.assert_array_equal(jf(p, x, "tanh"), f(p, x, "tanh"))
    np.testing.assert_array_equal(jf(p, x, "sin"), f(p, x, "sin"))
    kj = st.jit(f)
    np.testing.assert_array_equal(kj(p, x, activation="sin"), f(p, x, "sin"))
    g = st.grad(lambda q: np.sum(jf(q, x, "tanh")))(p)
    h = st.grad(lambda q: np.sum(f(q, x, "tanh")))(p)
    np.testing.assert_array_equal(g["w"], h["w"])


def test_flipping_guard_warns_once_names_line_and_falls_back_to_eager():
    def f(x):
        scale = float(np.sum(x))  # a new Python value on every call: a new trace
        return x * scale

    jf = st.jit(f, max_retraces=3)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for k in range(8):
            x = np.full(2, float(k))
            assert np.array_equal(jf(x), f(x))
    msgs = [str(w.message) for w in seen if issubclass(w.category, JitWarning)]
    assert len(msgs) == 1 and jf.traces == 3
    line = f.__code__.co_firstlineno + 1
    assert f"test_jit.py:{line}: float()" in msgs[0] and "np.where" in msgs[0]


def test_item_float_int_conversions_are_guards():
    def f(x):
        n = int(np.argmax(x))
        return x[n] * float(x[0]) + x.sum().item()

    jf = st.jit(f)
    for x in (np.array([1.0, 3.0, 2.0]), np.array([2.0, 5.0, 1.0]), np.array([9.0, 1.0, 0.0])):
        assert jf(x) == f(x)
    assert jf.traces == 3  # float(x[0]) and .item() differ each time


def test_relu_mask_is_recorded_not_frozen():
    def f(w, x):
        return np.sum(np.maximum(x @ w, 0.0) ** 2) + np.sum(np.where(w > 0, w, 0.1 * w))

    jg = st.jit(st.grad(f))
    x = rng.standard_normal((6, 3))
    for _ in range(3):
        w = rng.standard_normal(3)
        np.testing.assert_array_equal(jg(w, x), st.grad(f)(w, x))
    assert jg.traces == 1


def test_stabilize_uses_the_cache():
    f = st.stabilize(lambda x: np.log(np.sum(np.exp(x))))
    for x in (np.array([1000.0, 1000.0]), np.array([-1000.0, 5.0]), np.array([3.0, 4.0])):
        assert np.isfinite(f(x))
    assert f._jitted.traces == 1
    assert [r.name for r in f.rewrites(np.array([1.0, 2.0]))] == ["logsumexp"]


def test_jit_rewrites_by_default_and_not_with_rewrite_false():
    f = lambda x: np.log(1 + np.exp(x))  # noqa: E731
    assert st.jit(f)(np.array(1000.0)) == 1000.0
    with np.errstate(over="ignore"):
        assert st.jit(f, rewrite=False)(np.array(1000.0)) == np.inf
    assert [r.name for r in st.jit(f).rewrites(np.array(1.0))] == ["softplus"]


# ---- bad input --------------------------------------------------------------------------

def test_mutating_a_captured_array_names_line_and_fix():
    state = np.zeros(3)

    def f(x):
        state[0] += 1.0  # a write the replay would not repeat
        return x * state

    with pytest.raises(JitError, match=r"test_jit.py:\d+.*changed the array 'state'.*"
                                       "argument"):
        st.jit(f)(np.ones(3))

    def g(x):
        LOG[:] = x  # a traced value written into a global
        return x * 2

    with pytest.raises(JitError, match="'LOG'"):
        st.jit(g)(np.ones(3))


def test_unhashable_argument_not_static_names_fix():
    jf = st.jit(lambda x, opts: x * opts.scale)

    class Opts:
        __hash__ = None
        scale = 2.0

    with pytest.raises(TypeError, match="static_argnums"):
        jf(np.ones(2), Opts())
    with pytest.raises(TypeError, match="tuple instead of a list"):
        st.jit(lambda x, s: x, static_argnums=1)(np.ones(2), [1, 2])


def test_different_pytree_per_branch_is_cached_per_branch():
    def f(x):
        if x[0] > 0:
            return {"a": x}
        return (x, x)

    jf = st.jit(f)
    assert isinstance(jf(np.ones(2)), dict)
    assert isinstance(jf(-np.ones(2)), tuple)
    assert isinstance(jf(np.ones(2)), dict)


def test_closure_over_outer_traced_value_names_fix():
    def outer(y):
        return st.jit(lambda x: x * y)(np.ones(2)).sum()

    with pytest.raises(JitError, match="pass the value as an argument"):
        st.grad(outer)(np.ones(2))


def test_bad_arguments_of_jit():
    with pytest.raises(TypeError, match="f"):
        st.jit(3)
    with pytest.raises(TypeError, match="max_retraces"):
        st.jit(np.sin, max_retraces=0)


def test_dynamic_batch_replays_a_batch_independent_recording_at_other_sizes():
    w = rng.standard_normal((5, 3))

    def f(w, x):
        return np.tanh(x @ w) * 2.0

    def loss(w, x, y):  # the mean divides by the batch size: one recording per size
        return np.mean((np.tanh(x @ w) - y) ** 2)

    jf = st.jit(f, dynamic="batch")
    jg = st.jit(st.grad(loss), dynamic="batch")
    for b in (8, 8, 3, 7):
        x, y = rng.standard_normal((b, 5)), rng.standard_normal((b, 3))
        np.testing.assert_array_equal(jf(w, x), f(w, x))
        np.testing.assert_array_equal(jg(w, x, y), st.grad(loss)(w, x, y))
    assert jf.traces == 1
    assert jg.traces == 3
    with pytest.raises(ValueError, match="dynamic"):
        st.jit(f, dynamic="all")


def test_dynamic_batch_never_reuses_a_recording_that_read_the_length():
    def f(x):
        return np.sum(x, axis=0) / len(x)

    jf = st.jit(f, dynamic="batch")
    for b in (4, 6):
        x = rng.standard_normal((b, 2))
        np.testing.assert_array_equal(jf(x), f(x))
    assert jf.traces == 2


def test_buffer_plan_and_scatter_plan_keep_the_bits_on_large_arrays():
    from steepest.compile.replay import compile_program

    x = rng.uniform(-2, 2, 5000)
    jg = st.jit(st.grad(chained), rewrite=False)
    for point in (x, x * 0.5):
        np.testing.assert_array_equal(jg(point), st.grad(chained)(point))
    source = compile_program(jg.recordings(x)[0]).source
    assert "out=" in source and "] += " in source
    jf = st.jit(lambda v: np.exp(np.sin(v) * 2.0) - v ** 2, rewrite=False)
    np.testing.assert_array_equal(jf(x), np.exp(np.sin(x) * 2.0) - x ** 2)
    assert jf(x) is not jf(x)  # a fresh output per call, never a reused buffer


def test_fuse_true_without_numexpr_warns_and_replays_the_same_values(monkeypatch):
    monkeypatch.setattr(fusion, "BACKENDS", {k: (kernel, lambda: None)
                                             for k, (kernel, _) in fusion.BACKENDS.items()})
    f = lambda x: np.sum(np.exp(x) * np.sin(x))  # noqa: E731
    x = np.linspace(-1.0, 1.0, 5)
    with pytest.warns(JitWarning, match="numexpr is not installed.*steepest\\[fast\\]"):
        fused = st.jit(st.grad(f), fuse=True)
    assert not fused.fuse
    assert np.array_equal(fused(x), st.jit(st.grad(f))(x))
