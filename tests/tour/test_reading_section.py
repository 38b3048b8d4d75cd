"""The tour section on reading results and the command line shows what it claims."""

from __future__ import annotations

import re
from pathlib import Path

from steepest.tour import SECTIONS
from steepest.tour import reading as section

from ._section import run_section


def test_reading_section(tmp_path: Path) -> None:
    assert "steepest.tour.reading" in SECTIONS
    ctx, text = run_section(section, tmp_path)
    assert text.count("OptimizeResult (bfgs): SUCCESS") == 2  # in-process and from the shell
    assert "ConstrainedResult (sqp): SUCCESS" in text and "KKT residuals:" in text
    assert "FitResult(status=SUCCESS, epochs=12" in text
    assert re.search(r"^\s+0\s+2\.42000e\+01", text, re.M)  # disp row 0: f(x0) of Rosenbrock
    assert text.count("(exit status 0)") == 2 and "(exit status 2)" in text
    assert "(autodiff gradients in both): **True**" in text
    assert "--x0 have the length loss expects? (got 1 numbers)" in text
    assert (tmp_path / "reading_example.py").exists()
