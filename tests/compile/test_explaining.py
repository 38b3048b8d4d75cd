"""explain(f, x, rewrites=True): the tables are those of the rewritten graph, and the
rewrites are listed with the user's source line and reason."""

from __future__ import annotations

import numpy as np
import pytest

import steepest as st


def _loss(x):
    return np.log(1 - np.exp(x[0])) + np.log(np.sum(np.exp(x)))  # the line the rewrites name


X = np.array([-1e-20, 1000.0])


def test_tables_show_the_rewritten_graph_and_its_gradient():
    ex = st.explain(_loss, X, rewrites=True)
    expressions = [row[1] for row in ex.primal_table()[1]]
    assert any("log1mexp" in e for e in expressions)
    assert any("logsumexp" in e for e in expressions)
    assert not any(e.endswith("= exp(θ1)") for e in expressions)
    want = st.grad(st.stabilize(_loss))(X)
    assert np.array_equal(ex.gradient, want)
    assert np.all(np.isfinite(ex.gradient))
    # without rewrites, the naive graph: its gradient is not finite at this point
    with np.errstate(all="ignore"):
        plain = st.explain(_loss, X)
    assert not np.all(np.isfinite(plain.gradient)) and plain.rewrites == []


def test_rewrites_are_listed_with_line_and_reason():
    ex = st.explain(_loss, X, rewrites=True)
    assert sorted(r.name for r in ex.rewrites) == ["log1mexp", "logsumexp"]
    line = f"{__file__}:{_loss.__code__.co_firstlineno + 1}"
    assert all(r.line == line for r in ex.rewrites)
    text = str(ex)
    assert text.startswith("Rewrites applied before differentiation")
    assert f"{line}: log1mexp: 1 - exp(x) cancels" in text
    assert "Table 4.3" in text


def test_without_patterns_the_tables_are_the_plain_ones():
    f = lambda x: np.sin(x[0]) * x[1]  # noqa: E731
    x = np.array([0.5, 2.0])
    a, b = st.explain(f, x, rewrites=True), st.explain(f, x)
    assert a.rewrites == [] and str(a) == str(b)
    assert st.autodiff.explain is not st.explain  # the tables alone live in autodiff


def test_rewrites_must_be_a_bool():
    with pytest.raises(TypeError, match="rewrites must be True or False"):
        st.explain(_loss, X, rewrites="yes")
