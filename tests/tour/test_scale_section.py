"""The Scale tour section runs on LocalClusters and agrees with the in-memory fit."""

import re

import pytest

pytest.importorskip("distributed")

from steepest.tour import SECTIONS  # noqa: E402
from steepest.tour import scale as section  # noqa: E402

from ._section import run_section  # noqa: E402


def test_scale_section(tmp_path):
    assert "steepest.tour.scale" in SECTIONS
    assert section.ROWS * (section.COLS + 1) * 8 > section.LIMIT  # data > one worker's limit
    ctx, text = run_section(section, tmp_path)
    rows = re.findall(r"^\| (2 workers|1 worker|in memory) \| (\d+) \| (\d+) \| [\d.]+ \| "
                      r"(\d+) \|.*\| ([\d.e+-]+) \|$", text, flags=re.M)
    assert [r[0] for r in rows] == ["2 workers", "1 worker", "in memory"]
    assert len({(r[1], r[2]) for r in rows}) == 1  # same iterations and evaluations
    assert all(float(r[4]) <= 1e-12 for r in rows)  # same answer as in memory
    assert all(float(r[3]) * 1e6 < section.LIMIT for r in rows[:2])  # workers stayed below
    assert any("2 workers" in s for s in ctx.summaries)
