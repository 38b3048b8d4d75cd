"""Pytree parameters for the constrained solvers.

When ``x0`` is a pytree (a dict, or a list/tuple holding arrays or containers), the problem is
solved over the flat vector from :func:`steepest.tree.ravel_pytree`: the objective and the
nonlinear constraints receive the pytree, their gradients/Jacobians (user-given, returned as
pytrees, or from :mod:`steepest.autodiff`) are flattened in the same leaf order, and the result's
``x`` and ``jac`` are returned as pytrees. Linear constraints (``Eq.linear`` / ``Ineq.linear``),
bounds and the SQP Hessian act on the flat vector; the Hessian defaults to damped BFGS because
a pytree Hessian has no natural matrix layout.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import autodiff
from ..tree import ravel_pytree, tree_flatten
from .constraints import _Constraint

__all__ = ["is_pytree", "PytreeProblem"]


def is_pytree(x0: Any) -> bool:
    """True for dicts and for lists/tuples that hold arrays or containers (not plain numbers)."""
    if isinstance(x0, dict):
        return True
    if isinstance(x0, (list, tuple)):
        return any(isinstance(v, (np.ndarray, dict, list, tuple)) for v in x0)
    return False


def _flat_rows(J_tree, m: int) -> np.ndarray:
    leaves, _ = tree_flatten(J_tree)
    return np.concatenate([np.asarray(leaf, float).reshape(m, -1) for leaf in leaves], axis=1)


class PytreeProblem:
    """The flattened view of a pytree problem (see module docstring)."""

    def __init__(self, fun, x0, jac, hess):
        if hess is not None:
            raise ValueError("hess= is not supported with a pytree x0 (no matrix layout); leave "
                             "it None (damped BFGS) or flatten x0 with steepest.tree.ravel_pytree.")
        self.flat0, self.unravel = ravel_pytree(x0)
        self.user_fun, self.user_jac = fun, jac

    def fun(self, z, *args):
        return self.user_fun(self.unravel(z), *args)

    def jac(self, z, *args):
        p = self.unravel(z)
        g = (self.user_jac(p, *args) if self.user_jac is not None
             else autodiff.grad(lambda q: self.user_fun(q, *args))(p))
        return ravel_pytree(g)[0]

    def constraint(self, c: _Constraint) -> _Constraint:
        """Wrap a nonlinear constraint so it reads the pytree; linear ones stay flat."""
        if c.linear or not isinstance(c, _Constraint):
            return c
        unravel = self.unravel

        def fun(z, *a):
            return c.fun(unravel(z), *a)

        def jac(z, *a):
            p = unravel(z)
            m = np.size(c.fun(p, *a))
            J = c.jac(p, *a) if c.jac is not None else \
                autodiff.jacobian(lambda q: c.fun(q, *a))(p)
            return _flat_rows(J, m)

        return type(c)(fun, jac=jac, name=c.name)

    def finish(self, res):
        """Return x and jac as pytrees."""
        res.x = self.unravel(np.asarray(res.x))
        res.jac = self.unravel(np.asarray(res.jac))
        return res
