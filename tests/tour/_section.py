"""Run one tour section into a fresh context (shared by the section tests)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from steepest.tour.core import SectionContext


def run_section(module: ModuleType, out: Path) -> tuple[SectionContext, str]:
    """Run ``module.run`` on a context writing under ``out``; return it and its joined text.

    Pytest turns any warning escaping the section into an error.
    """
    ctx = SectionContext(title=module.TITLE, out=out, slug=module.__name__.rsplit(".")[-1])
    module.run(ctx)
    return ctx, "\n".join(ctx.blocks)
