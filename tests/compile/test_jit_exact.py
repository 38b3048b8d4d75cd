"""With ``rewrite=False`` a jitted function and its derivatives agree with eager evaluation
to the last bit, on every function of the rule catalogue (``tests/autodiff/test_rules.py``):
the value, ``jit(grad(f))`` (the derivative graph recorded and replayed) and
``grad(jit(f))`` (the replay differentiated), on the traced inputs and on new ones."""

import numpy as np
import pytest
from tests.autodiff.test_rules import CASES

import steepest as st


def _total(out):
    """A real scalar from any output pytree (weights break symmetries)."""
    total = 0.0
    for k, leaf in enumerate(st.tree.tree_leaves(out)):
        leaf = np.real(leaf)
        total = total + np.sum(leaf * (1.0 + 0.25 * k)) + np.sum(leaf ** 2) * 0.5
    return total


def _same(a, b):
    la, lb = st.tree.tree_leaves(a), st.tree.tree_leaves(b)
    assert len(la) == len(lb)
    for x, y in zip(la, lb):
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (x, y)
        assert np.array_equal(x, y, equal_nan=True), (x, y, x - y)
        if np.issubdtype(x.dtype, np.inexact):  # the last bit includes the sign of zero
            for part in (np.real, np.imag):
                assert np.array_equal(np.signbit(part(x)), np.signbit(part(y))), (x, y)


@pytest.mark.parametrize(("name", "f", "args"), CASES, ids=[c[0] for c in CASES])
def test_jit_is_bit_identical_to_eager(name, f, args):
    argnums = tuple(range(len(args)))

    def loss(*a):
        return _total(f(*a))

    jf = st.jit(f, rewrite=False)
    jg = st.jit(st.grad(loss, argnums=argnums), rewrite=False)
    gj = st.grad(st.jit(loss, rewrite=False), argnums=argnums)
    for point in (args, tuple(np.asarray(a) * 0.9 for a in args)):
        _same(jf(*point), f(*point))
        eager = st.grad(loss, argnums=argnums)(*point)
        _same(jg(*point), eager)
        _same(gj(*point), eager)
