"""Compiling traced computations: stabilizing rewrites before differentiation.

:func:`stabilize` traces a function, rewrites textbook-unstable patterns (``log(1 + x)``,
``log(sum(exp(x)))``, ``x / sqrt(sum(x**2))`` ...) into stable forms with the one table of
:mod:`.rewrite`, and runs the rewritten graph, so ``grad`` and ``hessian`` differentiate the
stable form. Modules: :mod:`.terms` (the expression DAG), :mod:`.pattern` (matching),
:mod:`.rewrites` (the table, by family), :mod:`.rewrite` (the pass), :mod:`.stabilizing`
(the user-facing wrapper), :mod:`.explaining` (``explain(..., rewrites=True)``); :func:`jit`
records a call once per signature (:mod:`.recording`: terms and guards), compiles a replay
(:mod:`.replay`) and caches it (:mod:`.jitting`).

Example:
    >>> import numpy as np
    >>> import steepest as st
    >>> f = st.stabilize(lambda x: np.log(1 - np.exp(x)))
    >>> float(st.grad(f)(-1e-20))
    -1e+20
"""

from __future__ import annotations

from .explaining import explain
from .guards import JitError
from .jitting import Jitted, JitWarning, jit
from .rewrite import REWRITES, AppliedRewrite, Rewrite
from .stabilizing import Stabilized, stabilize

__all__ = ["stabilize", "Stabilized", "AppliedRewrite", "Rewrite", "REWRITES", "explain", "jit",
           "Jitted", "JitWarning", "JitError"]
