"""``stabilize(f)``: run f's rewritten, numerically stable form, and differentiate that.

The wrapper traces ``f`` once per call signature (the cache of
:func:`~steepest.compile.jitting.jit`), rewrites the graph with
:data:`~steepest.compile.rewrite.REWRITES` to a fixed point, and replays the rewritten graph
on the arguments as given. When the arguments are traced by ``grad``, ``hessian``, ``jvp``
..., that replay is what the transform records, so the derivative is the
derivative of the stable form: ``d/dx log(1 - exp(x))`` at ``-1e-20`` is ``-1e20`` (through
``log1mexp``), where differentiating first and rewriting after gives ``inf``.

Side effects of ``f`` (printing, appending to a list) happen at trace time only. Python
control flow on values is allowed: each branch taken is guarded and traced once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .._validate import check_callable
from .jitting import Jitted
from .rewrite import AppliedRewrite

__all__ = ["Stabilized", "stabilize"]


class Stabilized:
    """``f`` with its unstable patterns rewritten (see :func:`stabilize`)."""

    def __init__(self, f: Callable[..., Any]) -> None:
        self.f = f
        self._jitted = Jitted(f, rewrite=True)
        functools.update_wrapper(self, f)

    def __call__(self, *args: Any) -> Any:
        return self._jitted(*args)

    def rewrites(self, *args: Any) -> list[AppliedRewrite]:
        """The rewrites applied to ``f`` at ``args``, with the user's source line and reason.

        Args:
            *args: the arguments ``f`` would be called with.

        Returns:
            One :class:`AppliedRewrite` per rewrite, in the order applied (empty when f has no
            unstable pattern there).
        """
        return self._jitted.rewrites(*args)


def stabilize(f: Callable[..., Any]) -> Stabilized:
    r"""Wrap ``f`` so that textbook-unstable expressions in it are computed stably.

    The first call per signature traces ``f``, rewrites patterns such as :math:`\log(1+x) \to
    \operatorname{log1p}(x)`, :math:`\log\sum_i e^{x_i} \to \operatorname{logsumexp}(x)`,
    :math:`\log(1-e^x) \to \operatorname{log1mexp}(x)` and
    :math:`\|x\|_2 \to m\,\|x/m\|_2` (:math:`m = \max_i |x_i|`) into stable forms, and
    caches the rewritten graph; calls replay it. Transforms applied to the result (``grad``,
    ``hessian``, ``jvp`` ...) differentiate the rewritten form. A function with no such
    pattern gives exactly (bit for bit) what ``f`` gives.

    Args:
        f: a function of arrays (pytrees allowed) written with NumPy.

    Returns:
        A :class:`Stabilized` callable with ``f``'s signature; ``.rewrites(*args)`` lists
        what was rewritten at ``args``.

    Raises:
        TypeError: ``f`` is not callable.

    Reference:
        Goodfellow, Bengio & Courville, *Deep Learning* (2016), §4.1 (Theano's stabilizing
        rewrites); PyTensor ``tensor/rewriting/math.py`` for the catalogue; M. Mächler,
        "Accurately computing log(1 - exp(-|a|))" (2012).

    Example:
        >>> import numpy as np
        >>> import steepest as st
        >>> f = st.stabilize(lambda x: np.log(np.sum(np.exp(x))))
        >>> float(f(np.array([1000.0, 1000.0]))) == 1000.0 + float(np.log(2.0))
        True
        >>> st.grad(f)(np.array([1000.0, 1000.0])).tolist()
        [0.5, 0.5]
        >>> [r.name for r in f.rewrites(np.array([1000.0, 1000.0]))]
        ['logsumexp']
    """
    return Stabilized(check_callable(f, "f"))
