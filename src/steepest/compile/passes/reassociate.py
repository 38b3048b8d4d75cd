"""Rewrites that change rounding, run only with ``jit(..., rewrite=True)``: each is one entry
of :data:`REASSOCIATIONS` (pattern in words, the rule, when it applies, the error bound that
its property test checks — ``tests/compile/test_passes.py``).

``c₁·(c₂·x)`` → ``(c₁c₂)·x`` (two constants of a chain multiplied at compile time): the
original rounds twice (``c₂x``, then ``c₁·``), the rewrite twice (``c₁c₂``, then ``·x``), so
both are within about 1 ulp of the exact ``c₁c₂x`` and within 2 ulp of each other, as long
as nothing over- or underflows (the condition: ``|c₁c₂|`` a normal number, checked here; the
property test draws ``x`` with ``c₂x`` and ``c₁c₂x`` normal). The exact special case
(``c₂ = ±2ᵏ``, ``|c₁| ≥ 1``) is :mod:`.simplify`'s and runs always.

Example:
    >>> import numpy as np
    >>> from steepest.compile.terms import Term
    >>> from steepest.compile.rawops import RawOp
    >>> mul = RawOp(np.multiply, "multiply")
    >>> x = Term(None, value=np.arange(3.0))
    >>> t = Term(mul, (3.0, Term(mul, (5.0, x), {}, 5.0 * x.value)), {}, 15.0 * x.value)
    >>> new = reassociate_rule(t, {})
    >>> new.args[0], new.args[1] is x
    (15.0, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..terms import Term
from .graph import dtype_of, op_for, plain_fun, scalar_const, value

__all__ = ["Reassociation", "REASSOCIATIONS", "reassociate_rule"]

_TINY = np.finfo(np.float64).tiny


@dataclass(frozen=True)
class Reassociation:
    """One rounding-changing entry: its name, pattern, condition and error bound."""

    name: str
    pattern: str
    condition: str
    bound_ulp: float


REASSOCIATIONS = (
    Reassociation("constant_product", "c1 * (c2 * x) -> (c1*c2) * x",
                  "c1, c2 real scalar constants, |c1*c2| normal, the inner product read "
                  "once, all of one float dtype", 2.0),
)


def _float_dtype(a: Any) -> Any:
    return dtype_of(value(a))


def reassociate_rule(t: Term, uses: dict[int, int]) -> Any:
    """``c₁·(c₂·x)`` → ``(c₁c₂)·x`` (:data:`REASSOCIATIONS`), or ``None``."""
    if plain_fun(t) is not np.multiply or t.kwargs or len(t.args) != 2:  # noqa: PLR2004
        return None
    a, b = t.args
    for c1, m in ((a, b), (b, a)):
        if not (scalar_const(c1) and isinstance(m, Term) and plain_fun(m) is np.multiply
                and not m.kwargs and uses.get(id(m), 0) <= 1):
            continue
        for c2, x in (m.args, m.args[::-1]):
            if not (scalar_const(c2) and isinstance(x, Term)):
                continue
            dt = _float_dtype(t)
            if dt is None or dt.kind != "f" or _float_dtype(m) != dt or _float_dtype(x) != dt:
                continue
            c = float(c1) * float(c2)
            if not (np.isfinite(c) and abs(c) >= _TINY):
                continue
            with np.errstate(all="ignore"):
                v = np.multiply(c, value(x))
            if dtype_of(v) != dt:
                continue
            return Term(op_for(t, np.multiply), (c, x), {}, v, t.line)
    return None
