"""Bad input to the pytree utilities: mismatched structures, foreign tree definitions,
non-numeric leaves. One row per case, in ``tests/_bad_input.py``'s format."""

from __future__ import annotations

import numpy as np

from _bad_input import assert_clear_error, case, parametrize
from steepest.tree import ravel_pytree, tree_map, tree_structure, tree_unflatten

X = np.array([1.0, 2.0])
STRUCTURE = ("tree_map needs trees of one structure", "Make the containers (and dict keys) match")


def add(*xs):
    return sum(xs)


CASES = [
    case("tree_map dict keys differ", lambda: tree_map(add, {"a": 1.0}, {"b": 1.0}), ValueError,
         *STRUCTURE, "{'a': *} and {'b': *}"),
    case("tree_map lists of another length", lambda: tree_map(add, [1.0, 2.0], [1.0]),
         ValueError, *STRUCTURE),
    case("tree_map dict vs list", lambda: tree_map(add, {"a": 1.0}, [1.0]), ValueError,
         *STRUCTURE),
    case("tree_map list vs tuple", lambda: tree_map(add, [1.0], [1.0], (1.0,)), ValueError,
         *STRUCTURE, "[*] and (*,)"),
    case("tree_map nested mismatch", lambda: tree_map(add, {"a": [1.0, 2.0]}, {"a": [1.0]}),
         ValueError, *STRUCTURE),
    case("tree_map f None", lambda: tree_map(None, [1.0]), TypeError, "f must be callable"),
    case("tree_unflatten too few leaves", lambda: tree_unflatten(
        tree_structure([1.0, 2.0]), [1.0]), ValueError, "got 1 leaves for a structure with 2",
         "exactly one leaf per position"),
    case("tree_unflatten of a str treedef", lambda: tree_unflatten("x", [1.0]), TypeError,
         "treedef must be a TreeDef", "tree_structure(tree)"),
    case("ravel_pytree str leaf", lambda: ravel_pytree({"a": "abc"}), TypeError,
         "ravel_pytree needs numeric leaves", "leaf 0 has dtype <U3"),
    case("ravel_pytree object leaf (was nan)", lambda: ravel_pytree(
        {"a": X, "b": np.array([None])}), TypeError, "leaf 1 has dtype object",
         "np.asarray(leaf, dtype=float)"),
    case("unravel vector of another length", lambda: ravel_pytree({"a": X})[1](np.ones(3)),
         ValueError, "unravel expects a vector of shape (2,)", "got (3,)"),
    case("unravel a matrix", lambda: ravel_pytree({"a": X})[1](np.ones((2, 1))), ValueError,
         "unravel expects a vector of shape (2,)", "got (2, 1)"),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)
