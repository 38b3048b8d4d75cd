"""The nonlinear least squares tour section runs and shows what it claims."""

import re

from steepest.tour import SECTIONS
from steepest.tour import fitting as section

from ._section import run_section


def test_fitting_section(tmp_path):
    assert "steepest.tour.fitting" in SECTIONS
    ctx, text = run_section(section, tmp_path)
    errors = dict(re.findall(r"\| (linear|soft_l1|cauchy) \| \[[^]]*\] \| ([0-9.e-]+) \|", text))
    assert float(errors["soft_l1"]) < 0.1 < float(errors["linear"])
    assert float(errors["cauchy"]) < 0.1
    diffs = [float(d) for d in re.findall(r"\| [abc] \|.* \| ([0-9.]+e[-+][0-9]+) \|", text)]
    assert len(diffs) == 3 and max(diffs) < 1e-4
    assert text.count("mgh") == 8
    assert len(ctx.figures) == 1 and ctx.figures[0].stat().st_size > 1000
    assert any("soft_l1" in s for s in ctx.summaries)
