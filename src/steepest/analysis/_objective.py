"""Derivative plumbing shared by the analysis modules.

Every public function of :mod:`steepest.analysis` takes a scalar function ``f`` and optional
derivative callables ``grad(x)``, ``hess(x)`` and ``hvp(x, v)``. :class:`Objective` resolves
what was not given: a Hessian from ``hess`` or, failing that, from ``hvp`` applied to the unit
vectors; a Hessian-vector product from ``hvp`` or ``hess(x) @ v``; and, when the user passed
nothing, from :mod:`steepest.autodiff` (imported lazily, so this module works without it).

Points are handled as flat float vectors; ``f`` is called with the point in the form the user
gave: reshaped to the original shape (a scalar stays 0-d, a vector a vector), or rebuilt as the
original pytree (dict / list / tuple of arrays, e.g. ``{"w": w, "b": b}``). Gradients and HVPs
given for pytrees may be pytrees of the same structure; a user Hessian must be the flat
``(n, n)`` matrix in :func:`steepest.tree.tree_flatten` leaf order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..tree import TreeDef, tree_flatten, tree_unflatten

ScalarFn = Callable[[np.ndarray], Any]
GradFn = Callable[[np.ndarray], Any]
HessFn = Callable[[np.ndarray], Any]
HvpFn = Callable[[np.ndarray, np.ndarray], Any]


def as_point(x: Any, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float array, rejecting non-finite or non-numeric input."""
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


def _autodiff(name: str) -> Callable[..., Any]:
    try:
        from .. import autodiff
    except ImportError as exc:  # pragma: no cover - autodiff is part of the package
        raise ImportError("steepest.autodiff could not be imported") from exc
    fn = getattr(autodiff, name, None)
    if fn is None:
        raise NotImplementedError(
            f"steepest.autodiff.{name} is not available in this build; pass the derivative "
            f"explicitly (grad=..., hess=... or hvp=...)"
        )
    return fn


class NonFiniteDerivativeError(ValueError):
    """A gradient, Hessian or Hessian-vector product came back with NaN or inf."""


def _finite(arr: np.ndarray, what: str, x: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(arr)):
        raise NonFiniteDerivativeError(
            f"the {what} at x = {np.array2string(x, precision=4, threshold=6)} contains NaN or "
            "inf; f is not twice differentiable there or overflows — evaluate at another point")
    return arr


def _is_pytree(x: Any) -> bool:
    if isinstance(x, dict):
        return True
    if isinstance(x, list | tuple):
        return any(isinstance(e, dict | list | tuple | np.ndarray) for e in x)
    return False


@dataclass(frozen=True)
class Layout:
    """How a flat vector maps to what ``f`` takes: an array shape or a pytree of arrays."""

    shape: tuple[int, ...]
    treedef: TreeDef | None = None
    leaf_shapes: tuple[tuple[int, ...], ...] = ()

    @classmethod
    def of(cls, x: Any, name: str = "x") -> tuple[Layout, np.ndarray]:
        """The layout of ``x`` and ``x`` as a flat float vector."""
        if not _is_pytree(x):
            arr = as_point(x, name)
            return cls(arr.shape), arr.ravel().copy()
        leaves, td = tree_flatten(x)
        arrays = [as_point(leaf, f"{name} leaf") for leaf in leaves]
        flat = np.concatenate([a.ravel() for a in arrays])
        return cls((flat.size,), td, tuple(a.shape for a in arrays)), flat

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=int))

    def unravel(self, v: Any) -> Any:
        """Flat vector -> the form ``f`` takes (traceable: slicing and reshape only)."""
        if self.treedef is None:
            return v.reshape(self.shape)
        parts, start = [], 0
        for shp in self.leaf_shapes:
            size = int(np.prod(shp, dtype=int))
            parts.append(v[start: start + size].reshape(shp))
            start += size
        return tree_unflatten(self.treedef, parts)

    def ravel(self, tree: Any, what: str) -> np.ndarray:
        """A gradient-like output (array or pytree) -> flat float vector of this layout's size."""
        if self.treedef is not None and _is_pytree(tree):
            leaves, _ = tree_flatten(tree)
            out = np.concatenate([np.asarray(leaf, dtype=float).ravel() for leaf in leaves])
        else:
            out = np.asarray(tree, dtype=float).ravel()
        if out.size != self.size:
            raise ValueError(f"{what} returned {out.size} entries for a point with {self.size}; "
                             "it must return an array (or pytree) shaped like x")
        return out


@dataclass
class Objective:
    """A scalar function with resolved derivatives, evaluated at flat points.

    Args:
        f: the scalar function.
        shape: the shape ``f`` expects its argument in.
        grad, hess, hvp: optional user derivatives (``grad(x)``, ``hess(x)``, ``hvp(x, v)``).
    """

    f: ScalarFn
    layout: Layout
    grad_fn: GradFn | None = None
    hess_fn: HessFn | None = None
    hvp_fn: HvpFn | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"f": 0, "grad": 0, "hess": 0,
                                                            "hvp": 0})
    _hess_cache: tuple[bytes, np.ndarray] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, f: ScalarFn, x: Any, grad: GradFn | None = None, hess: HessFn | None = None,
              hvp: HvpFn | None = None) -> tuple[Objective, np.ndarray]:
        """Check the arguments and return the objective and ``x`` as a flat float vector."""
        if not callable(f):
            raise TypeError(f"f must be callable, got {type(f).__name__}")
        for name, fn in (("grad", grad), ("hess", hess), ("hvp", hvp)):
            if fn is not None and not callable(fn):
                raise TypeError(f"{name} must be callable or None, got {type(fn).__name__}")
        layout, flat = Layout.of(x)
        return cls(f, layout, grad, hess, hvp), flat

    @property
    def n(self) -> int:
        return self.layout.size

    def _shaped(self, x: Any) -> Any:
        return self.layout.unravel(np.asarray(x, dtype=float))

    def flat_f(self, v: Any) -> Any:
        """f as a function of the flat vector (what autodiff differentiates)."""
        return self.f(self.layout.unravel(v))

    def value(self, x: np.ndarray) -> float:
        self.counts["f"] += 1
        return as_scalar(self.f(self._shaped(np.asarray(x, dtype=float))))

    def grad(self, x: np.ndarray) -> np.ndarray:
        self.counts["grad"] += 1
        x = np.asarray(x, dtype=float)
        if self.grad_fn is None:
            g = self.layout.ravel(_autodiff("grad")(self.flat_f)(x), "grad")
        else:
            g = self.layout.ravel(self.grad_fn(self._shaped(x)), "grad")
        return _finite(g, "gradient", x)

    def hess(self, x: np.ndarray) -> np.ndarray:
        """The dense symmetric Hessian (symmetrized to remove rounding asymmetry)."""
        self.counts["hess"] += 1
        x = np.asarray(x, dtype=float)
        if self.hess_fn is not None:
            H = np.asarray(self.hess_fn(self._shaped(x)), dtype=float)
        elif self.hvp_fn is not None:
            H = np.column_stack([self.hvp(x, e) for e in np.eye(self.n)])
        else:
            H = np.asarray(_autodiff("hessian")(self.flat_f)(x), dtype=float)
        if H.size != self.n * self.n:
            raise ValueError(f"hess returned shape {H.shape}; expected {self.n} x {self.n}")
        H = _finite(H.reshape(self.n, self.n), "Hessian", x)
        return 0.5 * (H + H.T)

    def _user_hessian(self, x: np.ndarray) -> np.ndarray:
        """The user's Hessian at x, kept for repeated HVPs at the same point."""
        key = x.tobytes()
        if self._hess_cache is None or self._hess_cache[0] != key:
            H = np.asarray(self.hess_fn(self._shaped(x)), dtype=float).reshape(self.n, self.n)
            self._hess_cache = (key, H)
        return self._hess_cache[1]

    def hvp(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Hessian-vector product H(x) v, never forming H when hvp or autodiff is available."""
        self.counts["hvp"] += 1
        x = np.asarray(x, dtype=float)
        v = np.asarray(v, dtype=float).ravel()
        if self.hvp_fn is not None:
            out = self.hvp_fn(self._shaped(x), self._shaped(v))
        elif self.hess_fn is not None:
            out = self._user_hessian(x) @ v
        else:
            out = _autodiff("hvp")(self.flat_f, x, v)
        return _finite(self.layout.ravel(out, "hvp"), "Hessian-vector product", x)


def check_bounds(bounds: Any) -> np.ndarray:
    """Validate a box ``[(lo, hi), ...]`` and return it as an ``(n, 2)`` float array."""
    try:
        b = np.asarray(bounds, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError("bounds must be a sequence of (low, high) pairs, e.g. "
                        "[(-3, 3), (-3, 3)]") from exc
    if b.ndim == 1 and b.size == 2:
        b = b.reshape(1, 2)
    if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] == 0:
        raise ValueError(f"bounds must have shape (n, 2) as [(low, high), ...]; got {b.shape}")
    if not np.all(np.isfinite(b)):
        raise ValueError("bounds must be finite: the box is sampled uniformly")
    if np.any(b[:, 1] <= b[:, 0]):
        raise ValueError("each bound must satisfy low < high; swap or widen the offending pair")
    return b


def check_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int >= minimum or raise a ValueError naming the fix."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_positive_float(value: Any, name: str) -> float:
    """Return ``value`` as a finite float > 0 or raise a ValueError naming the fix."""
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}") from exc
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return v
