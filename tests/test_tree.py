from collections import namedtuple

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.tree import ravel_pytree, tree_flatten, tree_map, tree_unflatten

leaves = st.one_of(st.floats(allow_nan=False), st.integers(-5, 5))
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.tuples(children, children),
        st.dictionaries(st.text("abc", min_size=1, max_size=2), children, max_size=3),
    ),
    max_leaves=10,
)


@given(trees)
def test_flatten_unflatten_roundtrip(tree):
    leaves_, td = tree_flatten(tree)
    assert tree_unflatten(td, leaves_) == tree
    assert td.num_leaves == len(leaves_)


def test_namedtuple_and_none_structure():
    P = namedtuple("P", "a b")
    tree = {"x": P(1.0, [2.0, None]), "y": (3.0,)}
    leaves_, td = tree_flatten(tree)
    assert leaves_ == [1.0, 2.0, 3.0]
    rebuilt = tree_unflatten(td, [10.0, 20.0, 30.0])
    assert isinstance(rebuilt["x"], P) and rebuilt["x"].b == [20.0, None]


def test_tree_map_mismatch_names_fix():
    with pytest.raises(ValueError, match="one structure"):
        tree_map(lambda a, b: a + b, [1.0, 2.0], [1.0])


def test_unflatten_wrong_count():
    _, td = tree_flatten([1.0, 2.0])
    with pytest.raises(ValueError, match="exactly one leaf"):
        tree_unflatten(td, [1.0])


def test_ravel_pytree_roundtrip_keeps_shapes_and_dtypes():
    tree = {"w": np.arange(6.0).reshape(2, 3), "b": np.float32(2.5), "c": [np.ones(2, np.float32)]}
    flat, unravel = ravel_pytree(tree)
    assert flat.shape == (9,)
    back = unravel(flat)
    np.testing.assert_array_equal(back["w"], tree["w"])
    assert back["c"][0].dtype == np.float32
    assert np.ndim(back["b"]) == 0 and back["b"] == 2.5
    with pytest.raises(ValueError, match="shape"):
        unravel(np.zeros(3))


def test_ravel_pytree_unravel_is_differentiable():
    import steepest as st

    tree = {"w": np.array([1.0, 2.0]), "b": 0.5}
    flat, unravel = ravel_pytree(tree)

    def f(v):
        t = unravel(v)
        return np.sum(t["w"] ** 2) * t["b"]

    g = st.grad(f)(flat)
    num = st.numerical_gradient(f, flat)
    np.testing.assert_allclose(g, num, rtol=1e-7)


def test_dict_leaves_are_keyed_not_ordered_by_insertion():
    """Dicts are flattened in sorted key order: two dicts equal as dicts flatten alike, and
    tree_map pairs their leaves by key whatever order they were built in."""
    a = {"w": np.array([1.0, 2.0]), "b": 3.0, "c": {"z": 4.0, "y": 5.0}}
    b = {"c": {"y": 50.0, "z": 40.0}, "b": 30.0, "w": np.array([10.0, 20.0])}
    (la, ta), (lb, tb) = tree_flatten(a), tree_flatten(b)
    assert ta == tb
    assert la[:3] == [3.0, 5.0, 4.0] and lb[:3] == [30.0, 50.0, 40.0]  # b < c.y < c.z < w
    diff = tree_map(lambda u, v: v - 10 * u, a, b)
    assert diff["b"] == 0.0 and diff["c"] == {"y": 0.0, "z": 0.0}
    np.testing.assert_array_equal(diff["w"], 0.0)
