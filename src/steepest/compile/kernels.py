"""numexpr kernels: one compiled elementwise expression, and numexpr imported on first use.

Example:
    >>> import numpy as np
    >>> if numexpr_module() is not None:
    ...     k = Kernel("(v0 * v0) + (1.0)", [np.float64], 2)
    ...     assert k(np.array([1.0, 2.0])).tolist() == [2.0, 5.0]
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["Kernel", "numexpr_module"]


@functools.cache
def numexpr_module() -> ModuleType | None:
    """numexpr, imported on first use, or ``None`` when it is not installed.

    Returns:
        The module or ``None``.
    """
    try:
        return importlib.import_module("numexpr")
    except ImportError:
        return None


class Kernel:
    """One compiled numexpr expression over array operands.

    Attributes:
        expression: the numexpr source, operands named ``v0, v1, ...``.
        size: number of fused operations.
    """

    name = "fused"
    takes_out = True  # the memory plan may pass a dead buffer as out=

    def __init__(self, expression: str, dtypes: list[Any], size: int) -> None:
        ne = numexpr_module()
        names = [f"v{k}" for k in range(len(dtypes))]
        self.expression, self.size, self.dtypes = expression, size, list(dtypes)
        self._compiled = ne.NumExpr(expression, list(zip(names, dtypes)), truediv=True)
        self.fun_plain = self

    def __call__(self, *operands: Any, out: np.ndarray | None = None) -> np.ndarray:
        return self._compiled(*operands, out=out, order="K", casting="safe",
                              ex_uses_vml=False)

    def accumulating(self, dtype: Any) -> Kernel:
        """This kernel with one more operand (last) added to its result: ``acc + expr``."""
        acc = f"v{len(self.dtypes)}"
        return type(self)(f"({acc} + {self.expression})", [*self.dtypes, dtype], self.size + 1)

    def __repr__(self) -> str:
        return f"Kernel({self.expression!r})"
