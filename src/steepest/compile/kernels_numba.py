"""Numba kernels: a fused elementwise expression compiled to one loop (``jit(fuse="numba")``).

The numexpr backend (:mod:`.kernels`) runs one pass over a cache-sized block per operation,
so a kernel of ``k`` operations costs about ``k`` NumPy passes. A :class:`NumbaKernel`
compiles the same expression (the numexpr text :mod:`.fusion` writes, operands ``v0, v1,
...``) into one loop over the elements, ``out[i] = expr(v0[i], v1[i], ...)``, with
`Numba <https://numba.pydata.org>`_: the whole chain costs about one pass over memory.
Functions (``exp``, ``log``, ``tanh``, ...) translate too and call libm per element (within
4 ulp), but most of them are slower than NumPy's SIMD loops: :mod:`.fusion` fuses only
:data:`FUSED_FUNCTIONS`.

The text is parsed as a Python expression (:mod:`ast`) and rewritten for scalars:
``x ** 2.0`` → ``x * x`` (NumPy's ``square``, numexpr's rewriting too), ``x ** 0.5`` →
``sqrt(x)``, ``x ** -1.0`` → ``1.0 / x``, ``~b`` → ``not b``, ``where(c, a, b)`` → ``a if c
else b``, ``f(x)`` → ``numpy.f(x)``. Operands are broadcast to the result's shape
(zero-stride views, no copies) and the loop has one level per dimension; a 0-d result is
computed as a 1-element one. Division follows NumPy (``error_model="numpy"``: ``1/0`` is
``inf``, not an exception); no ``fastmath``, no ``parallel`` (one thread).

Compile cost: importing numba takes about 0.5 s, the first compilation in a process about
0.5 s more (numba's own initialisation), each further loop about 0.1 s (measured on the
shared 2-core machine). Loops are cached in-process by (loop text, number of operands,
dimensions), so identical chains — the same expression in another recording or another
``jit`` — compile once. numba's on-disk cache (``cache=True``) refuses functions made by
``exec`` ("no locator available"), so a new process compiles again.

Numba is optional (``pip install steepest[fast-numba]``) and imported on first use
(:func:`numba_module`).

Example:
    >>> import numpy as np
    >>> if numba_module() is not None:
    ...     k = NumbaKernel("(exp(v0) * (2.0)) + (v1 ** 2.0)", [np.float64, np.float64], 3)
    ...     x = np.array([0.0, 1.0])
    ...     assert k(x, np.array(3.0)).tolist() == (np.exp(x) * 2.0 + 9.0).tolist()
"""

from __future__ import annotations

import ast
import functools
import importlib
from types import ModuleType
from typing import Any

import numpy as np

from .kernels import Kernel

__all__ = ["NumbaKernel", "numba_module", "FUSED_FUNCTIONS"]

_SAMPLE = {np.dtype(np.float64): np.float64(0.5), np.dtype(np.bool_): np.bool_(True)}
_FUNCTIONS = frozenset({
    "sqrt", "exp", "log", "log1p", "expm1", "log10", "sin", "cos", "tan", "arcsin", "arccos",
    "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "arctan2"})
# The functions :mod:`.fusion` fuses into a numba kernel. numba calls libm per element, which
# is slower than NumPy's SIMD loops for most functions (10^6 elements, one thread, numba
# kernel / NumPy ufunc with out=: exp 2.3x, expm1 5x, log 8x, log1p 14x, tanh 17x, arc*
# 6-17x, sinh/cosh/tan 15-27x), far more than the memory pass fusing saves; sqrt (0.56x),
# sin and cos (1.0x) and abs are not, so only those are fused. A function that is not
# fused ends the kernel and NumPy computes it; every one of _FUNCTIONS translates.
FUSED_FUNCTIONS = frozenset({"sqrt", "abs", "sin", "cos"})


@functools.cache
def numba_module() -> ModuleType | None:
    """numba, imported on first use, or ``None`` when it is not installed.

    Returns:
        The module or ``None``.
    """
    try:
        return importlib.import_module("numba")
    except ImportError:
        return None


class _Scalar(ast.NodeTransformer):
    """The numexpr expression rewritten for one element (operand ``vK`` read as ``vK[ix]``)."""

    def __init__(self, n: int) -> None:
        self.names = {f"v{k}" for k in range(n)}

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.names:
            return ast.Subscript(ast.Name(node.id, ast.Load()), ast.Name("ix", ast.Load()),
                                 ast.Load())
        if node.id in ("True", "False"):
            return ast.Constant(node.id == "True")
        raise NotImplementedError(f"name {node.id!r}")

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        operand = self.visit(node.operand)
        op = ast.Not() if isinstance(node.op, ast.Invert) else node.op
        return ast.UnaryOp(op, operand)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant):
            p = node.right.value
            if p == 2.0:  # noqa: PLR2004
                return ast.BinOp(left, ast.Mult(), left)
            if p == 0.5:  # noqa: PLR2004
                return _np_call("sqrt", [left])
            if p == -1.0:
                return ast.BinOp(ast.Constant(1.0), ast.Div(), left)
            if p == 1.0:
                return left
        return ast.BinOp(left, node.op, right)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        args = [self.visit(a) for a in node.args]
        if name == "where" and len(args) == 3:  # noqa: PLR2004
            return ast.IfExp(args[0], args[1], args[2])
        if name == "abs" and len(args) == 1:
            return ast.Call(ast.Name("abs", ast.Load()), args, [])
        if name in _FUNCTIONS:
            return _np_call(name, args)
        raise NotImplementedError(f"function {name!r}")


def _np_call(name: str, args: list[ast.AST]) -> ast.Call:
    return ast.Call(ast.Attribute(ast.Name("np", ast.Load()), name, ast.Load()), args, [])


def scalar_text(expression: str, n: int) -> str:
    """The element expression of a numexpr ``expression`` over ``n`` operands.

    Args:
        expression: numexpr text, operands ``v0 ... v{n-1}``.
        n: number of operands.

    Returns:
        Python source reading ``vK[ix]``; raises :class:`NotImplementedError` for a name or
        function it does not translate.
    """
    tree = ast.parse(expression, mode="eval")
    return ast.unparse(ast.fix_missing_locations(_Scalar(n).visit(tree.body)))


@functools.cache
def _loop(text: str, n: int, ndim: int) -> Any:
    """The compiled loop ``out[ix] = text`` over ``ndim`` dimensions (cached in-process)."""
    nb = numba_module()
    names = ", ".join([*(f"v{k}" for k in range(n)), "out"])
    lines = [f"def kernel({names}):"]
    for d in range(ndim):
        lines.append("    " * (d + 1) + f"for i{d} in range(out.shape[{d}]):")
    index = ", ".join(f"i{d}" for d in range(ndim)) + ("," if ndim == 1 else "")
    lines.append("    " * (ndim + 1) + f"ix = ({index})")
    lines.append("    " * (ndim + 1) + f"out[ix] = {text}")
    namespace: dict[str, Any] = {"np": np}
    exec(compile("\n".join(lines), f"<steepest numba kernel {text[:60]}>", "exec"),  # noqa: S102
         namespace)
    return nb.njit(error_model="numpy", nogil=True)(namespace["kernel"])


class NumbaKernel(Kernel):
    """One fused expression as a compiled numba loop (the :class:`~.kernels.Kernel`
    interface: ``expression``, ``size``, ``dtypes``, ``__call__(*operands, out=None)``,
    ``accumulating``).

    Raises:
        NotImplementedError: the expression has a name or function this backend does not
            translate, or numba cannot compile it for the operands' types.
    """

    name = "fused_numba"

    def __init__(self, expression: str, dtypes: list[Any], size: int) -> None:
        self.expression, self.size, self.dtypes = expression, size, list(dtypes)
        self.text = scalar_text(expression, len(self.dtypes))
        self.result_dtype = _result_dtype(self.text, self.dtypes)
        self.fun_plain = self

    def __call__(self, *operands: Any, out: np.ndarray | None = None) -> np.ndarray:
        shape = np.broadcast_shapes(*(np.shape(v) for v in operands))
        if out is None:
            out = np.empty(shape, self.result_dtype)
        ops = [v if np.shape(v) == shape else np.broadcast_to(v, shape) for v in operands]
        target = out
        if not shape:  # a 0-d result: a 1-element loop on views
            ops, target = [np.reshape(v, (1,)) for v in ops], out.reshape(1)
        try:
            _loop(self.text, len(ops), max(len(shape), 1))(*ops, target)
        except numba_module().core.errors.NumbaError as exc:
            raise NotImplementedError(f"numba cannot compile {self.expression!r}") from exc
        return out

    def __repr__(self) -> str:
        return f"NumbaKernel({self.expression!r})"


def _result_dtype(text: str, dtypes: list[Any]) -> np.dtype:
    """The element expression's type, evaluated once on NumPy scalars of the operands'
    dtypes (:mod:`.fusion` checks the kernel's result type against NumPy's anyway)."""
    names: dict[str, Any] = {"np": np, "ix": 0}
    for k, d in enumerate(dtypes):
        names[f"v{k}"] = np.array([_SAMPLE[np.dtype(d)]])
    with np.errstate(all="ignore"):
        value = eval(text, names)  # noqa: S307 -- text generated by scalar_text
    return np.result_type(value)
