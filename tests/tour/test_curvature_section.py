"""The analysis lane's tour section runs and shows what it claims."""

import re

from steepest.tour import SECTIONS
from steepest.tour import curvature as section

from ._section import run_section


def test_curvature_section(tmp_path):
    assert "steepest.tour.curvature" in SECTIONS
    ctx, text = run_section(section, tmp_path)
    assert section.TITLE == "Curvature and critical points"
    assert len(ctx.figures) == 5 and all(p.stat().st_size > 1000 for p in ctx.figures)
    # figure 4.4 table: positive curvature goes uphill for large steps, negative never does
    rows = [r for r in text.splitlines() if r.startswith("| positive curvature")]
    assert rows[-1].endswith("uphill |")
    assert not any("uphill" in r for r in text.splitlines() if r.startswith("| negative"))
    assert "peaks: 3 minima, 3 maxima, 3 saddles" in ctx.summaries
    assert "| saddle |" in text and "| inconclusive |" in text
    # Newton overshoot iterates of Liquet eq. 4.52
    assert re.search(r"\| 1 \| 5\.2500 \|", text) and "3.5956" in text and "3.0683" in text
    assert "not_convex" in text and "no_violation_found" in text
    lanczos = [s for s in ctx.summaries if s.startswith("Lanczos")][0]
    assert float(re.search(r"agree to ([0-9.e+-]+)", lanczos).group(1)) <= 1e-8
