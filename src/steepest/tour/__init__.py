"""``steepest tour``: every capability of the library, reproduced on the chapters' examples.

``SECTIONS`` lists the section modules in the order they run; each new capability adds its
module here (see :mod:`steepest.tour.core` for what a section module provides).
"""

from __future__ import annotations

from importlib.util import find_spec

from .core import SectionContext, run_tour

SECTIONS: list[str] = [
    "steepest.tour.overflow",
    "steepest.tour.conditioning",
    "steepest.tour.derivatives",
    "steepest.tour.stabilizing",
    "steepest.tour.graph_passes",
    "steepest.tour.batching",
    "steepest.tour.curvature",
    "steepest.tour.optimization",
    "steepest.tour.problems",
    "steepest.tour.first_order",
    "steepest.tour.learning",
    "steepest.tour.constraints",
    "steepest.tour.fitting",
    "steepest.tour.scipy_dropin",
    "steepest.tour.reading",
]
if find_spec("distributed") is not None:  # the Scale section needs the `distributed` extra
    SECTIONS.append("steepest.tour.scale")

__all__ = ["SECTIONS", "SectionContext", "run_tour"]
