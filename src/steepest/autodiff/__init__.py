"""Automatic differentiation: forward and reverse mode to any order (Liquet §4.4).

Functions written with plain ``import numpy as np`` (or the explicit namespace
``steepest.numpy``) are differentiated by tracing: each primitive application is recorded as a
node of an explicit computational graph (reverse mode) or carries a tangent (forward mode).

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad, hessian
    >>> f = lambda x: np.sum(np.sin(x) * x)
    >>> np.allclose(grad(f)(np.zeros(3)), 0.0)
    True
"""

from __future__ import annotations

from . import arraylike as _arraylike
from . import numpy_api as _numpy_api
from . import ops_special as _ops_special
from .checking import (
    GradientCheckError,
    check_grads,
    numerical_gradient,
    numerical_hessian,
    numerical_jacobian,
)
from .core import (
    MissingRuleError,
    Node,
    Primitive,
    defjvp,
    defsaves,
    defvjp,
    getval,
    primitive,
)
from .explain import Explanation, explain
from .graph import Graph, trace_graph
from .jacobians import directional_derivative, hessian, hvp, jacfwd, jacobian, jacrev
from .numpy_shape import index_update
from .transforms import grad, jvp, linearize, stop_gradient, value_and_grad, vjp

_numpy_api.getval = getval
_arraylike.bind(_numpy_api, _numpy_api.UFUNC_PRIMITIVES)
_ops_special.register_numerics()

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
    "explain",
    "Explanation",
    "trace_graph",
    "Graph",
]
