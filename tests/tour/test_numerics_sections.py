"""The two tour sections of the numerics lane run cleanly and show what they claim."""

import re

import numpy as np

from steepest.tour import SECTIONS
from steepest.tour import conditioning as cond_section
from steepest.tour import overflow as overflow_section

from ._section import run_section


def test_sections_registered_in_order():
    i = SECTIONS.index("steepest.tour.overflow")
    assert SECTIONS[i + 1] == "steepest.tour.conditioning"


def test_overflow_section(tmp_path):
    ctx, text = run_section(overflow_section, tmp_path)
    assert overflow_section.TITLE == "Overflow and underflow"
    assert text.count("[nan, nan, nan]") == 4          # naive softmax, 2 vectors x 2 dtypes
    assert "[1, 0, 0]" in text and "[0, 0, 1]" in text  # stable softmax
    assert "overflow in np.exp" in text and "underflow in np.exp" in text
    assert "[0, -1000, -2000]" in text and "-inf" in text
    assert "0.30000000000000004" in text
    assert len(ctx.figures) == 1 and ctx.figures[0].stat().st_size > 1000
    assert any("0.1 + 0.2" in s for s in ctx.summaries)


def test_conditioning_section(tmp_path):
    ctx, text = run_section(cond_section, tmp_path)
    assert cond_section.TITLE == "Poor conditioning"
    assert "(0.34, 0.97)" in text
    for kind in ("'svd'", "'eig'", "np.inf", "'fro'"):
        assert kind in text
    assert "within the bound" in text
    assert re.search(r"issued [1-9] ConditioningWarning", text)
    assert "every amplification ≤ cond(A) (True)" in text
    assert len(ctx.figures) == 1 and ctx.figures[0].stat().st_size > 1000
    assert ctx.summaries and "0.34" in ctx.summaries[0]
    assert np.isclose(cond_section.A @ np.array([1.0, 0.0]), cond_section.B).all()
