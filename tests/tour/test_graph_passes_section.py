"""The graph-passes tour section runs cleanly and shows what it claims."""

from steepest.tour import SECTIONS
from steepest.tour import graph_passes as section

from ._section import run_section


def test_section_registered_after_stabilizing():
    assert SECTIONS.index("steepest.tour.graph_passes") == (
        SECTIONS.index("steepest.tour.stabilizing") + 1)


def test_graph_passes_section(tmp_path):
    ctx, text = run_section(section, tmp_path)
    assert section.TITLE == "Graph passes of jit"
    for name in ("dce", "fold_constants", "simplify", "cse"):
        assert name in text
    assert "gradient True, Hessian-vector product True" in text
    assert "operations replayed / recorded" in text and "jit(hvp)" in text
    assert ctx.summaries and "same bits as eager" in ctx.summaries[0]
