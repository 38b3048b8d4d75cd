"""The pass that applies the table of stabilizing rewrites to a fixed point.

The table itself, :data:`~steepest.compile.rewrites.REWRITES`, lives in
:mod:`steepest.compile.rewrites` (one module per family). Each entry is a pattern over the
traced primitives, the replacement, the condition under which the replacement is exact and a
one-line reason. :func:`rewrite_terms` walks the terms from the outputs down (so a larger
pattern wins over one of its parts), applies the first entry that matches, and repeats until
nothing matches. The rewrites run on the forward graph *before* any derivative is built, so
the derivatives of the stable forms are what reverse and forward mode see.

Example:
    >>> import numpy as np
    >>> from steepest.compile.terms import trace_terms
    >>> traced = trace_terms(lambda x: np.log(1 + np.exp(x)), (np.array(1000.0),))
    >>> outputs, applied = rewrite_terms(traced.outputs)
    >>> [a.name for a in applied], float(outputs[0].value)
    (['softplus'], 1000.0)
"""

from __future__ import annotations

from typing import Any

from .pattern import Op, match
from .rewrites import REWRITES, AppliedRewrite, Rewrite
from .terms import Term, merge_common, postorder, substitute

__all__ = ["Rewrite", "AppliedRewrite", "REWRITES", "rewrite_terms"]


def _by_root() -> dict[str, list[tuple[Rewrite, Op]]]:
    """(entry, pattern) pairs by the primitive name at the pattern's root, in table order."""
    index: dict[str, list[tuple[Rewrite, Op]]] = {}
    for rule in REWRITES:
        for pattern in rule.patterns:
            for name in pattern.names:
                index.setdefault(name, []).append((rule, pattern))
    return index


_BY_ROOT = _by_root()


def _first_match(t: Term) -> tuple[Rewrite, Any] | None:
    for rule, pattern in _BY_ROOT.get(t.name, ()):
        m = match(pattern, t)
        if m is not None and rule.condition(m):
            return rule, rule.build(m)
    return None


def rewrite_terms(outputs: list[Any],
                  limit: int = 10_000) -> tuple[list[Any], list[AppliedRewrite]]:
    """Apply :data:`REWRITES` to a fixed point.

    Args:
        outputs: output terms (or constants) of a traced computation.
        limit: at most this many rewrites (each strictly shrinks the set of unstable
            patterns, so the limit only guards against a faulty table entry).

    Returns:
        The rewritten outputs and the rewrites applied, in order.
    """
    applied: list[AppliedRewrite] = []
    outputs = merge_common(outputs)
    while len(applied) < limit:
        for t in reversed(postorder(outputs)):
            hit = _first_match(t)
            if hit is not None:
                break
        else:
            break
        rule, new = hit
        if isinstance(new, Term) and new.line is None:
            new.line = t.line
        applied.append(AppliedRewrite(rule.name, t.line, rule.reason))
        outputs = merge_common(substitute(outputs, t, new))
    return outputs, applied
