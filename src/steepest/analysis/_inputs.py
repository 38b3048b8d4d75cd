"""The inputs every analysis function checks: a point, a box, counts, and f as an Objective.

Every public function of :mod:`steepest.analysis` takes a scalar function ``f`` and optional
derivative callables ``grad(x)``, ``hess(x)`` and ``hvp(x, v)``. :func:`analysis_objective`
turns them into the library's one :class:`~steepest.objective.Objective`, which resolves what
was not given: a Hessian from ``hess`` or, failing that, from ``hvp`` applied to the unit
vectors; a Hessian-vector product from ``hvp`` or ``hess(x) @ v``; and, when the user passed
nothing, from :mod:`steepest.autodiff`.

Points are handled as flat float vectors; ``f`` is called with the point in the form the user
gave: reshaped to the original shape (a scalar stays 0-d, a vector a vector), or rebuilt as the
original pytree (dict / list / tuple of arrays, e.g. ``{"w": w, "b": b}``). Gradients and HVPs
given for pytrees may be pytrees of the same structure; a user Hessian must be the flat
``(n, n)`` matrix in :func:`steepest.tree.tree_flatten` leaf order.

Example:
    >>> import numpy as np
    >>> obj, x = analysis_objective(lambda t: t["w"] @ t["w"] + 3 * t["b"],
    ...                             {"w": np.ones(2), "b": 1.0})
    >>> x, obj.f(x), obj.grad(x)  # leaves in sorted-key order: b, then w
    (array([1., 1., 1.]), 5.0, array([3., 2., 2.]))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..objective import Objective
from ..tree import tree_leaves

ScalarFn = Callable[[np.ndarray], Any]
GradFn = Callable[[np.ndarray], Any]
HessFn = Callable[[np.ndarray], Any]
HvpFn = Callable[[np.ndarray, np.ndarray], Any]


def as_point(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float array, rejecting non-finite or non-numeric input."""
    if np.iscomplexobj(x):
        raise TypeError(f"{name} is complex; the analysis is over real points: pass the real "
                        "and imaginary parts as separate real entries")
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a real number or array of real numbers, got "
                        f"{type(x).__name__}") from exc
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass a point with at least one coordinate")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf; pass finite values")
    return arr


def as_scalar(value: Any, what: str = "f(x)") -> float:
    """Coerce a function value to a Python float (size-1 arrays are accepted)."""
    arr = np.asarray(value, dtype=float)
    if arr.size != 1:
        raise ValueError(f"{what} must return a scalar, got an array of shape {arr.shape}; "
                         "reduce it (e.g. with .sum() or .mean())")
    return float(arr.reshape(()))


def _is_pytree(x: Any) -> bool:
    if isinstance(x, dict):
        return True
    if isinstance(x, list | tuple):
        return any(isinstance(e, dict | list | tuple | np.ndarray) for e in x)
    return False

def analysis_objective(f: ScalarFn, x: Any, grad: GradFn | None = None,
                       hess: HessFn | None = None, hvp: HvpFn | None = None
                       ) -> tuple[Objective, np.ndarray]:
    """Check the arguments; return the :class:`~steepest.objective.Objective` and flat ``x``.

    Args:
        f: the scalar function, traceable by :mod:`steepest.autodiff` where a derivative is
            not given.
        x: the point: a number, an array (its shape is kept for ``f``) or a pytree of arrays.
        grad, hess, hvp: optional user derivatives ``grad(x)``, ``hess(x)``, ``hvp(x, v)``.

    Returns:
        ``(objective, flat_x)``; the objective raises
        :class:`~steepest.objective.NonFiniteDerivativeError` on a NaN/inf derivative.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    for name, fn in (("grad", grad), ("hess", hess), ("hvp", hvp)):
        if fn is not None and not callable(fn):
            raise TypeError(f"{name} must be callable or None, got {type(fn).__name__}")
    if _is_pytree(x):
        for leaf in tree_leaves(x):
            as_point(leaf, "x leaf")
        point = x
    else:
        point = as_point(x)
    obj = Objective(f, point, jac=grad, hess=hess, hessp=hvp, traceable=True,
                    check_finite=True)
    return obj, obj.x0
