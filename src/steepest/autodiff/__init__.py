"""Automatic differentiation: forward and reverse mode to any order (Liquet §4.4).

Functions written with plain ``import numpy as np`` (or the explicit namespace
``steepest.numpy``) are differentiated by tracing: each primitive application is recorded as a
node of an explicit computational graph (reverse mode) or carries a tangent (forward mode).

Layout, imports running downwards: :mod:`.errors` → :mod:`.arraylike` (the NumPy face of
traced values, reading the one dispatch table :data:`steepest._dispatch.TRACED`) →
:mod:`.tracing` (traces, traced values, graph nodes) → :mod:`.primitives` → :mod:`.backward` →
:mod:`.rules` (VJP and JVP tables by family) → :mod:`.numpy` (the NumPy-facing namespace; its
modules fill the dispatch table) → :mod:`.transforms` → :mod:`.batching` (``vmap`` and the
batching rules) → :mod:`.linear` → :mod:`.jacobians`, :mod:`.graph`, :mod:`.explanation`,
:mod:`.checking`.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad, hessian
    >>> f = lambda x: np.sum(np.sin(x) * x)
    >>> np.allclose(grad(f)(np.zeros(3)), 0.0)
    True
"""

from __future__ import annotations

from .batching import vmap
from .checking import (
    GradientCheckError,
    check_grads,
    numerical_gradient,
    numerical_hessian,
    numerical_jacobian,
)
from .errors import MissingRuleError
from .explanation import Explanation, explain  # noqa: F401  (steepest.explain adds rewrites=)
from .graph import Graph, trace_graph
from .jacobians import directional_derivative, hessian, hvp, jacfwd, jacobian, jacrev
from .linear import linearize
from .numpy.shape import index_update
from .primitives import Primitive, defjvp, defsaves, defvjp, primitive
from .tracing import Node, getval
from .transforms import grad, jvp, stop_gradient, value_and_grad, vjp

__all__ = [
    "grad",
    "value_and_grad",
    "jvp",
    "vjp",
    "linearize",
    "jacfwd",
    "jacrev",
    "jacobian",
    "hessian",
    "hvp",
    "directional_derivative",
    "stop_gradient",
    "primitive",
    "defvjp",
    "defjvp",
    "defsaves",
    "Primitive",
    "Node",
    "MissingRuleError",
    "getval",
    "index_update",
    "check_grads",
    "numerical_gradient",
    "numerical_jacobian",
    "numerical_hessian",
    "GradientCheckError",
    "Explanation",
    "trace_graph",
    "Graph",
    "vmap",
]
