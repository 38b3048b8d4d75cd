"""The Constraints tour section runs and shows what it claims."""

from steepest.tour import SECTIONS
from steepest.tour import constraints as section
from steepest.tour.core import SectionContext


def test_constraints_section(tmp_path):
    assert "steepest.tour.constraints" in SECTIONS
    ctx = SectionContext(title=section.TITLE, out=tmp_path, slug="constraints")
    section.run(ctx)
    text = "\n".join(ctx.blocks)
    assert section.TITLE == "Constraints"
    assert "λ = -0.25" in text and "[4.0, 4.0]" in text
    assert "[3.0, 1.5, 1.0]" in text and "[-2.0, 0.5]" in text
    assert text.count("FAIL") == 0 and text.count("pass") >= 8
    assert len(ctx.figures) == 3 and all(p.stat().st_size > 1000 for p in ctx.figures)
    assert any("factorizations" in s for s in ctx.summaries)
