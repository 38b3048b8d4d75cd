"""The Per-example gradients tour section: vmap(grad) equals the loop and is measured."""

import numpy as np

import steepest as st
from steepest.tour import SECTIONS
from steepest.tour import batching as section

from ._section import run_section


def test_batching_section(tmp_path):
    assert "steepest.tour.batching" in SECTIONS
    ctx, text = run_section(section, tmp_path)
    assert section.TITLE == "Per-example gradients"
    for piece in ("vmap(grad(loss))", "Python loop of grad(loss)", "faster than the loop",
                  "clipped"):
        assert piece in text, piece
    assert len(ctx.figures) == 1 and ctx.figures[0].stat().st_size > 1000
    assert any("per-example gradients" in s for s in ctx.summaries)


def test_the_sections_per_example_gradients_are_the_gradients_of_each_example():
    params, X, Y = section.problem(n=5)
    G = st.vmap(st.grad(section.loss), in_axes=(None, 0, 0))(params, X, Y)
    j = 3
    num = st.numerical_gradient(lambda w: section.loss({**params, "W2": w}, X[j], Y[j]),
                                params["W2"])
    np.testing.assert_allclose(G["W2"][j], num, rtol=1e-6, atol=1e-8)
    norms = section._norms(G)
    direct = np.sqrt(sum(np.sum(st.grad(section.loss)(params, X[j], Y[j])[k] ** 2) for k in G))
    np.testing.assert_allclose(norms[j], direct, rtol=1e-12)
