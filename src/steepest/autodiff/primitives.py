"""Primitives: functions with derivative rules, and their dispatch to the innermost trace.

A *primitive* is a NumPy-level function with a VJP rule and a JVP rule for each of its
positional arguments. Calling a primitive on a traced value records one :class:`Node` of the
computational graph (reverse mode) or pushes a tangent forward (forward mode), exactly as in
Liquet et al. §4.4: primals ``a_i``, tangents ``ȧ_i``, adjoints ``ā_i``.

A primitive applied to values of several traces is handed to the innermost (highest-level)
one. The traces, the traced values and the graph records live in :mod:`.tracing` (nesting
levels, :class:`Node`, :class:`Stub`), below this module.

References: Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4; Griewank &
Walther, *Evaluating Derivatives* (2008); autograd's ``core.py`` (Maclaurin et al.).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .._validate import check_callable
from .errors import MissingRuleError, missing_rule
from .tracing import Traced, pack_object_array

__all__ = ["Primitive", "primitive", "defvjp", "defjvp", "defsaves", "NothingSaved",
           "MissingRuleError"]

_OBJECT = np.dtype(object)


class Primitive:
    """A function whose derivatives are given by rules rather than traced through.

    ``vjps[i](g, ans, *args, **kwargs)`` returns the cotangent of positional argument ``i``
    given the output cotangent ``g``; ``jvps[i](t, ans, *args, **kwargs)`` returns the output
    tangent caused by the tangent ``t`` of argument ``i``. Rules must be written with
    differentiable operations so that derivatives nest.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 (the elementary operations
        f_i of the computational graph); Baydin et al., JMLR 18 (2018).

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp, grad
        >>> double = primitive(lambda x: 2.0 * x)
        >>> defvjp(double, lambda g, ans, x: 2.0 * g)
        >>> isinstance(double, Primitive), float(grad(double)(1.0))
        (True, 2.0)
    """

    __slots__ = ("name", "fun", "vjps", "jvps", "saves", "_plans", "complex_ok", "__wrapped__")

    def __init__(self, fun: Callable[..., Any], name: str | None = None) -> None:
        self.fun = fun
        self.name = name or getattr(fun, "__name__", repr(fun))
        self.vjps: dict[int, Callable[..., Any]] = {}
        self.jvps: dict[int, Callable[..., Any]] = {}
        # saves[i]: what the VJP rule of argument i reads ("ans" and/or argument numbers);
        # None means "everything". Values no rule reads are not kept in the graph.
        self.saves: dict[int, tuple] | None = None
        self._plans: dict[tuple[int, ...], tuple[bool, tuple[int, ...]]] = {}
        # whether the rules hold for complex values (autograd's convention, see
        # steepest.autodiff.rules.complex); a complex result of any other primitive is refused
        self.complex_ok = False
        self.__wrapped__ = fun

    def plan(self, traced: tuple[int, ...]) -> tuple[bool, tuple[int, ...]]:
        """For the traced argument numbers: (keep ans?, traced arguments that can be dropped).

        Computed once per pattern of traced arguments, after checking that each has a rule.
        """
        for i in traced:
            if i not in self.vjps:
                raise missing_rule(self, i, "VJP")
        if self.saves is None:
            plan: tuple[bool, tuple[int, ...]] = (True, ())
        else:
            needed: set = set()
            for i in traced:
                needed.update(self.saves.get(i, ("ans", *traced)))
            plan = ("ans" in needed, tuple(i for i in traced if i not in needed))
        self._plans[traced] = plan
        return plan

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        top = None
        level = 0
        for a in args:
            if isinstance(a, Traced):
                lv = a._trace.level
                if lv > level:
                    top, level = a._trace, lv
            elif type(a) is np.ndarray and a.dtype is _OBJECT:
                return self(*[pack_object_array(x) for x in args], **kwargs)
            elif type(a) is tuple:  # an index tuple may hold arrays batched by vmap
                for e in a:
                    if isinstance(e, Traced) and e._batched and e._trace.level > level:
                        top, level = e._trace, e._trace.level
        if top is None:
            return self.fun(*args, **kwargs)
        return top.apply(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def primitive(fun: Callable[..., Any]) -> Primitive:
    """Turn ``fun`` into a :class:`Primitive`; add its rules with :func:`defvjp`/:func:`defjvp`.

    Tracing stops at a primitive: its derivatives come from the rules, one per positional
    argument, ``ā_k = rule(g, ans, *args)`` (VJP) and ``ȧ = Σ_k rule(u̇_k, ans, *args)`` (JVP).
    Write the rules with NumPy functions (they are traced in turn) so that they nest.

    Args:
        fun: a NumPy-level function; keyword arguments are treated as static.

    Returns:
        The primitive, callable like ``fun``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic
        Differentiation"; Baydin et al., "Automatic differentiation in machine learning: a survey",
        JMLR 18 (2018).

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp, defjvp, grad
        >>> @primitive
        ... def cube(x):
        ...     return x ** 3
        >>> defvjp(cube, lambda g, ans, x: g * 3 * x ** 2)
        >>> defjvp(cube, lambda t, ans, x: t * 3 * x ** 2)
        >>> float(grad(cube)(2.0))
        12.0
    """
    return Primitive(check_callable(fun, "fun"))


def _rule_argnums(prim: Any, who: str, rules: tuple, argnums: Iterable[int]) -> list[int]:
    """The argument numbers ``rules`` are for, after checking ``prim`` and each rule."""
    if not isinstance(prim, Primitive):
        raise TypeError(f"{who} needs a Primitive, got {type(prim).__name__}; wrap the "
                        f"function first: prim = primitive(fun), then {who}(prim, rule)")
    for rule in rules:
        if rule is not None:
            check_callable(rule, "rule")
    return list(argnums) or list(range(len(rules)))


def defvjp(prim: Primitive, *rules: Callable[..., Any] | None, argnums: Iterable[int] = ()) -> None:
    """Register VJP rules ``rule(g, ans, *args, **kwargs)`` for positional arguments.

    Reverse mode propagates the output cotangent ``g = ∂C/∂ans`` to argument ``k`` as
    ``ā_k = rule_k(g, ans, *args) = gᵀ ∂ans/∂a_k`` (the adjoint ζ of the backward pass).

    Args:
        prim: the primitive.
        *rules: one rule per argument, in argument order; ``None`` skips an argument.
        argnums: the argument numbers the rules are for, when not ``0, 1, ...``.

    Returns:
        None; the rules are stored on ``prim`` (a later call replaces a rule).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Backward Mode
        Automatic Differentiation".

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp, grad
        >>> square = primitive(lambda x: x * x)
        >>> defvjp(square, lambda g, ans, x: 2 * g * x)
        >>> float(grad(square)(3.0))
        6.0
    """
    nums = _rule_argnums(prim, "defvjp", rules, argnums)
    for i, rule in zip(nums, rules):
        if rule is not None:
            prim.vjps[i] = rule
    prim.saves = None  # a new rule may read anything: keep every value until defsaves says
    prim._plans = {}


def defjvp(prim: Primitive, *rules: Callable[..., Any] | None, argnums: Iterable[int] = ()) -> None:
    """Register JVP rules ``rule(t, ans, *args, **kwargs)`` for positional arguments.

    Forward mode pushes the argument tangents through as
    ``ȧns = Σ_k rule_k(ȧ_k, ans, *args) = Σ_k (∂ans/∂a_k) ȧ_k``.

    Args:
        prim: the primitive.
        *rules: one rule per argument, in argument order; ``None`` skips an argument.
        argnums: the argument numbers the rules are for, when not ``0, 1, ...``.

    Returns:
        None; the rules are stored on ``prim`` (a later call replaces a rule).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "The Computational
        Graph and Forward Mode Automatic Differentiation".

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defjvp, jvp
        >>> square = primitive(lambda x: x * x)
        >>> defjvp(square, lambda t, ans, x: 2 * x * t)
        >>> [float(v) for v in jvp(square, (3.0,), (1.0,))]
        [9.0, 6.0]
    """
    nums = _rule_argnums(prim, "defjvp", rules, argnums)
    for i, rule in zip(nums, rules):
        if rule is not None:
            prim.jvps[i] = rule


def defsaves(prim: Primitive, *needs: tuple) -> None:
    """Declare which values each argument's VJP rule reads, so the rest can be freed early.

    ``needs[i]`` holds ``"ans"`` and/or argument numbers read by the rule of argument ``i``.
    Traced values that no rule reads are replaced by :class:`Stub` in the graph, so they can
    be freed during the forward pass (the memory of reverse mode is what the backward pass
    must keep, not the whole trace).

    Args:
        prim: the primitive, with its VJP rules already registered by :func:`defvjp`.
        *needs: one tuple per argument, e.g. ``(0,)`` (reads argument 0) or ``("ans",)``.

    Returns:
        None; a later :func:`defvjp` on ``prim`` resets the declaration.

    Reference:
        Griewank & Walther, *Evaluating Derivatives*, 2nd ed. (2008) (the memory of the
        reverse mode); Liquet et al. §4.4.

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp, defsaves, grad
        >>> halfsq = primitive(lambda x: 0.5 * x ** 2)
        >>> defvjp(halfsq, lambda g, ans, x: g * x)
        >>> defsaves(halfsq, (0,))  # the rule reads x, never ans
        >>> float(grad(halfsq)(3.0))
        3.0
    """
    prim.saves = dict(enumerate(needs))
    prim._plans = {}


class NothingSaved(dict):
    """``saves`` for rules that read only shapes, for any number of arguments."""

    def get(self, key: Any, default: Any = None) -> tuple:
        return ()
