"""Checks shared by the breaking-input tests of the rewrite table (test_stabilizing.py: the
issue's ten expressions; test_rewrite_breaking.py: the further entries). A case is
``(f, x, value, gradient)`` with mpmath or closed-form references."""

from __future__ import annotations

import numpy as np

import steepest as st


def ulps(got, want):
    """Elementwise distance of ``got`` from the reference ``want``, in ulps of ``want``."""
    got = np.ravel(np.asarray(got, dtype=float))
    want = np.array([float(w) for w in want])
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        return np.abs(got - want) / np.spacing(np.abs(want))


def stabilized_gradient_ulps(f, x, gradient):
    """How far ``grad(stabilize(f))`` at ``x`` is from the reference gradient, in ulps."""
    g = st.grad(lambda v: np.sum(st.stabilize(f)(v)))(x)
    return np.max(ulps(g, gradient))


def naive_form_breaks(f, x, value, gradient):
    """Whether the un-rewritten ``f`` gets the value or the gradient wrong at ``x`` (the case
    is only meaningful if it does)."""
    with np.errstate(all="ignore"):
        naive = f(x)
        naive_grad = st.grad(lambda v: np.sum(f(v)))(x)
    bad_value = not np.all(np.isfinite(naive)) or np.max(ulps(naive, value)) > 4
    bad_grad = not np.all(np.isfinite(naive_grad)) or np.max(ulps(naive_grad, gradient)) > 4
    return bad_value or bad_grad
