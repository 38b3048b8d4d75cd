"""What one entry of the rewrite table is, and the conditions entries share.

A :class:`Rewrite` is data: alternative patterns, a builder for the replacement, the condition
under which the replacement is exact (as a sentence and as a check on the bindings) and a
one-line reason. :class:`AppliedRewrite` is the record of one that fired.

Example:
    >>> import numpy as np
    >>> from steepest.compile.terms import Term
    >>> keeps_shape("a", "x")({"a": Term(None, value=np.zeros(3)), "x": np.zeros(3)})
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...autodiff.tracing import getval
from ..pattern import Const, Op, Var
from ..terms import Term

__all__ = ["Rewrite", "AppliedRewrite", "ONE", "value_of", "shape_of_arg", "keeps_shape",
           "real", "always", "squares"]


@dataclass(frozen=True)
class Rewrite:
    """One entry of the table.

    Attributes:
        name: short name, shown by ``stabilize(f).rewrites(...)``.
        patterns: alternative patterns (any one matching is enough).
        build: bindings → the replacement term (or an existing term).
        exact: the condition under which the replacement equals the original, in words.
        condition: bindings → whether that condition holds here.
        reason: why the original is unstable, in one line.
    """

    name: str
    patterns: tuple[Op, ...]
    build: Callable[[dict[str, Any]], Any]
    exact: str
    condition: Callable[[dict[str, Any]], bool]
    reason: str


@dataclass(frozen=True)
class AppliedRewrite:
    """A rewrite that fired: its name, the user's source line and the reason."""

    name: str
    line: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.line or '<unknown>'}: {self.name}: {self.reason}"


ONE = Const(1)


def value_of(v: Any) -> Any:
    """The value of a bound term or constant at the traced point."""
    return v.value if isinstance(v, Term) else getval(v)


def shape_of_arg(v: Any) -> tuple[int, ...]:
    """The shape of a bound term or constant."""
    return np.shape(value_of(v))


def keeps_shape(root: str, x: str) -> Callable[[dict[str, Any]], bool]:
    """Condition: the constant broadcasts to nothing larger (result shape == shape of x)."""
    return lambda m: shape_of_arg(m[root]) == shape_of_arg(m[x])


def real(*names: str) -> Callable[[dict[str, Any]], bool]:
    """Condition: every named binding has a real dtype."""
    return lambda m: all(np.isrealobj(value_of(m[n])) for n in names)


def always(m: dict[str, Any]) -> bool:
    """Condition that always holds."""
    return True


def squares(x: str = "x") -> tuple[Op, ...]:
    """The ways to write x²: ``x**2``, ``np.square(x)``, ``x * x``."""
    return (Op("power", Var(x), Const(2)), Op("square", Var(x)), Op("multiply", Var(x), Var(x)))
