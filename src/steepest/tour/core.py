"""Machinery of ``steepest tour``: a context each section writes into, and the runner.

A section is a module with a ``TITLE`` string and a ``run(ctx: SectionContext) -> None``
function. It writes markdown with :meth:`SectionContext.text` / :meth:`table`, saves matplotlib
figures with :meth:`figure`, and adds short terminal lines with :meth:`summary`.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO


@dataclass
class SectionContext:
    """What a tour section writes: markdown blocks, figures and terminal summary lines."""

    title: str
    out: Path
    slug: str
    blocks: list[str] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)

    def text(self, markdown: str) -> None:
        """Append a markdown paragraph to the section."""
        self.blocks.append(markdown.strip("\n"))

    def code(self, text: str) -> None:
        """Append a preformatted block (monospace) to the section."""
        self.blocks.append("```\n" + text.rstrip("\n") + "\n```")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Append a markdown table; cells are formatted with ``str``."""
        lines = ["| " + " | ".join(map(str, headers)) + " |"]
        lines.append("|" + "|".join("---" for _ in headers) + "|")
        for row in rows:
            lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
        self.blocks.append("\n".join(lines))

    def summary(self, line: str) -> None:
        """Add a line to the terminal summary of the tour."""
        self.summaries.append(line)

    def figure(self, fig: Any, name: str, caption: str) -> Path:
        """Save a matplotlib figure as ``<out>/<slug>-<name>.png`` and reference it."""
        path = self.out / f"{self.slug}-{name}.png"
        fig.savefig(path, dpi=110, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        self.figures.append(path)
        self.blocks.append(f"![{caption}]({path.name})\n\n*{caption}*")
        return path


def _cell(c: Any) -> str:
    if isinstance(c, float):
        return f"{c:.6g}"
    return str(c).replace("|", "\\|")


def matplotlib_available() -> bool:
    """True when matplotlib can be imported (figures are drawn with the Agg backend)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        return True
    except ImportError:
        return False


FIGURE_SKIPPED = "*(matplotlib not installed: figure skipped)*"
"""The note a section writes in place of a figure it cannot draw."""


def figures_unavailable(ctx: SectionContext) -> bool:
    """True, after writing :data:`FIGURE_SKIPPED` into ``ctx``, when matplotlib is missing.

    Use as ``if figures_unavailable(ctx): return`` at the top of a figure function.
    """
    if matplotlib_available():
        return False
    ctx.text(FIGURE_SKIPPED)
    return True


@dataclass
class SectionOutcome:
    title: str
    ok: bool
    seconds: float
    ctx: SectionContext
    error: str = ""


def run_tour(
    sections: Sequence[str], out: Path, stream: TextIO = sys.stdout, only: Sequence[str] = ()
) -> list[SectionOutcome]:
    """Run the tour sections (module names), write ``out/report.md``, print progress.

    Args:
        sections: importable module names, each with ``TITLE`` and ``run(ctx)``.
        out: directory for ``report.md`` and the PNG figures (created if missing).
        stream: where progress and the summary go.
        only: if given, run just the sections whose slug or title contains one of these words.

    Returns:
        One outcome per section that ran. A failing section is reported, not hidden: its
        traceback goes to the report and the run continues with the next section.
    """
    out.mkdir(parents=True, exist_ok=True)
    have_mpl = matplotlib_available()
    modules = [importlib.import_module(name) for name in sections]
    if only:
        words = [w.lower() for w in only]
        modules = [
            m for m in modules
            if any(w in m.__name__.rsplit(".", 1)[-1] or w in m.TITLE.lower() for w in words)
        ]
    outcomes: list[SectionOutcome] = []
    for i, mod in enumerate(modules, 1):
        slug = mod.__name__.rsplit(".", 1)[-1]
        ctx = SectionContext(title=mod.TITLE, out=out, slug=slug)
        stream.write(f"[{i}/{len(modules)}] {mod.TITLE} ... ")
        stream.flush()
        t0 = time.perf_counter()
        try:
            mod.run(ctx)
            ok, err = True, ""
        except Exception:  # noqa: BLE001 - a tour reports a broken section and goes on
            ok, err = False, traceback.format_exc()
        dt = time.perf_counter() - t0
        stream.write(f"{'done' if ok else 'FAILED'} ({dt:.1f} s)\n")
        for line in ctx.summaries:
            stream.write(f"      {line}\n")
        if err:
            stream.write(err)
        outcomes.append(SectionOutcome(mod.TITLE, ok, dt, ctx, err))
    _write_report(out, outcomes, have_mpl)
    return outcomes


def _write_report(out: Path, outcomes: list[SectionOutcome], have_mpl: bool) -> None:
    parts = [
        "# The steepest tour",
        "",
        "Each section reproduces examples of Goodfellow et al., *Deep Learning*, ch. 4 "
        "(Numerical Computation) and Liquet et al., ch. 4 (Optimization Algorithms) with the "
        "library, on embedded defaults.",
        "",
    ]
    if not have_mpl:
        parts.append("*matplotlib is not installed: figures were skipped "
                     "(`pip install steepest[plot]`).*\n")
    for oc in outcomes:
        parts.append(f"## {oc.title}\n")
        parts.extend(b + "\n" for b in oc.ctx.blocks)
        if not oc.ok:
            parts.append("**This section failed:**\n\n```\n" + oc.error + "```\n")
        parts.append(f"<sub>section ran in {oc.seconds:.2f} s</sub>\n")
    (out / "report.md").write_text("\n".join(parts), encoding="utf-8")
