"""The tour section of the problems lane runs and shows what it claims."""

from __future__ import annotations

from pathlib import Path

from steepest.tour import SECTIONS
from steepest.tour import problems as section

from ._section import run_section


def test_problems_section(tmp_path: Path) -> None:
    assert "steepest.tour.problems" in SECTIONS
    ctx, text = run_section(section, tmp_path)
    assert text.count("\n| ") >= 35 + 4 + 5 + 4  # MGH, univariate, CG and hill-climb rows
    assert "Chebyquad" in text and "85822.2" in text
    assert "1.5000, 5.2500, 3.5956, 3.0683, 3.0011" in text
    assert "| same, Jacobi preconditioner |" in text
    assert len(ctx.figures) == 3 and all(f.stat().st_size > 1000 for f in ctx.figures)
    assert any("Jacobi" in s for s in ctx.summaries)
