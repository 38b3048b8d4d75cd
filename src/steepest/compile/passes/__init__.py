"""Graph passes over a ``jit`` recording, run in a fixed order to a fixed point.

1. ``dce`` — dead-code elimination: only what an output or a guard reads is replayed (the
   value of ``f`` inside ``grad(f)`` is dead once the seed ``ones_like(f(x))`` is folded).
2. ``fold_constants`` — :mod:`.fold`: shape-only calls and calls on constants, computed once.
3. ``simplify`` — :mod:`.simplify`: exact identities of derivative graphs (multiply by a
   broadcast one, negation pairs and negations absorbed into constants or subtractions,
   no-op reshapes and broadcasts, the broadcast of ``sum``'s backward folded into its
   consumer, power-of-two constant chains).
4. ``reassociate`` — :mod:`.reassociate`, only with ``rewrite=True``: rounding-changing entries
   with a property test each.
5. ``cse`` — :mod:`.common`: common subexpressions (slices and index tuples included).

Passes 2–5 repeat until a full cycle of them changes nothing (at most :data:`MAX_ROUNDS`
rounds). Every
pass except ``reassociate`` computes the same bits as the recording it was given, so with
``rewrite=False`` a replay still equals eager evaluation bit for bit
(``tests/compile/test_jit_exact.py``). :class:`PassReport` says what each pass did; see
``Jitted.passes(*args)``.

Example:
    >>> import numpy as np
    >>> import steepest as st
    >>> g = st.jit(st.grad(lambda x: np.sum(x ** 2)), rewrite=False)
    >>> g(np.ones(3)).tolist()
    [2.0, 2.0, 2.0]
    >>> report = g.passes(np.ones(3))
    >>> report.recorded > report.replayed
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .common import cse
from .fold import fold_rule
from .graph import Rule, count, rebuild
from .reassociate import REASSOCIATIONS, reassociate_rule
from .simplify import simplify_rule

__all__ = ["PassStat", "PassReport", "run_passes", "PASSES", "REASSOCIATIONS", "MAX_ROUNDS"]

MAX_ROUNDS = 4
PASSES: tuple[tuple[str, Rule | None, bool], ...] = (
    # (name, local rule or None for cse, runs only with rewrite=True)
    ("fold_constants", fold_rule, False),
    ("simplify", simplify_rule, False),
    ("reassociate", reassociate_rule, True),
    ("cse", None, False),
)


@dataclass
class PassStat:
    """What one pass did over all rounds: terms replaced and terms removed."""

    name: str
    replaced: int = 0
    removed: int = 0


@dataclass
class PassReport:
    """The passes run on one recording.

    Attributes:
        recorded: operations the trace recorded.
        replayed: operations the replay runs.
        stats: one :class:`PassStat` per pass, in order (``dce`` first).
        rounds: rounds of passes 2–5 until nothing changed.
    """

    recorded: int = 0
    replayed: int = 0
    stats: list[PassStat] = field(default_factory=list)
    rounds: int = 0

    def __str__(self) -> str:
        lines = [f"graph passes: {self.recorded} operations recorded -> {self.replayed} "
                 f"replayed ({self.rounds} rounds)",
                 f"  {'pass':16s} {'replaced':>9s} {'removed':>8s}"]
        lines += [f"  {s.name:16s} {s.replaced:9d} {s.removed:8d}" for s in self.stats]
        return "\n".join(lines)


def run_passes(roots: list[Any], rewrite: bool = False, recorded: int | None = None
               ) -> tuple[list[Any], PassReport]:
    """Optimize the graph reached from ``roots`` (outputs, then guarded terms).

    Args:
        roots: terms (or constants) whose values the replay must produce or check.
        rewrite: also run the rounding-changing ``reassociate`` pass.
        recorded: how many operations the trace recorded (for the ``dce`` line).

    Returns:
        The new roots (same length and order) and the :class:`PassReport`.
    """
    live = count(roots)
    total = live if recorded is None else max(recorded, live)
    report = PassReport(recorded=total, stats=[PassStat("dce", 0, total - live)])
    stats = {name: PassStat(name) for name, _, only in PASSES if rewrite or not only}
    active = [(name, rule) for name, rule, only in PASSES if rewrite or not only]
    quiet = 0  # passes run in a row that changed nothing: a full cycle of them is a fixed point
    for _ in range(MAX_ROUNDS):
        report.rounds += 1
        for name, rule in active:
            if quiet == len(active):
                break
            if rule is None:
                roots = cse(roots)
                after = count(roots)
                n = live - after
            else:
                roots, n = rebuild(roots, rule)
                after = count(roots) if n else live
            stats[name].replaced += n
            stats[name].removed += live - after
            live = after
            quiet = 0 if n else quiet + 1
        if quiet == len(active):
            break
    report.stats += list(stats.values())
    report.replayed = live
    return roots, report
