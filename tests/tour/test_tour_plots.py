"""The tour draws its landscapes, paths, convergence curves and histories with steepest.plot."""

from __future__ import annotations

import ast
import pathlib

import pytest

import steepest.tour

TOUR = pathlib.Path(steepest.tour.__file__).parent

#: drawing calls whose one home is a steepest.plot function.
OWNED = {"contour": "landscape", "contourf": "landscape", "twinx": "history",
         "semilogy": "convergence", "axvspan": "line",
         "plot_surface": "surface", "loglog": "functions"}

#: figures of the numerics sections with no steepest.plot counterpart (none left: the curves
#: of formulas are steepest.plot.functions, the saddle's surface steepest.plot.surface).
SPECIFIC: set[tuple[str, str]] = set()


def _calls(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [node.func.attr for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]


@pytest.mark.parametrize("path", sorted(TOUR.glob("*.py")), ids=lambda p: p.name)
def test_no_section_redraws_what_steepest_plot_draws(path):
    found = {(path.name, c) for c in _calls(path) if c in OWNED} - SPECIFIC
    assert found == set(), f"use steepest.plot.{OWNED[next(iter(found))[1]]}"


def test_the_sections_with_those_figures_use_steepest_plot():
    users = {p.name for p in TOUR.glob("*.py") if "from .. import plot" in p.read_text()}
    assert users >= {"curvature.py", "optimization.py", "problems.py", "first_order.py",
                     "learning.py", "constraints.py", "overflow.py", "derivatives.py"}
