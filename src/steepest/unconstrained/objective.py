"""The objective as the solvers see it: flat vectors in, counted evaluations out.

:class:`Objective` wraps the user's ``fun`` (and ``jac``/``hess``/``hessp``) once, with scipy's
conventions: ``args`` appended to every call, ``jac=True`` meaning ``fun`` returns ``(f, g)``,
``jac=None`` meaning "ask the autodiff engine", ``jac="2-point"/"3-point"`` meaning finite
differences. ``x0`` may be a pytree: solvers work on the flat vector from
:func:`steepest.tree.ravel_pytree` and the user's functions receive the original structure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tree import ravel_pytree, tree_flatten, tree_unflatten

__all__ = ["Objective"]

_FD_JAC = ("2-point", "3-point")


class Objective:
    """Counted access to f, ∇f, ∇²f and Hessian-vector products on flat float vectors.

    Args:
        fun: ``fun(x, *args) -> float`` (or ``(f, g)`` when ``jac is True``).
        x0: starting point, an array or a pytree of arrays.
        args: extra positional arguments for every call.
        jac: gradient callable, ``True``, ``None`` (autodiff) or ``"2-point"``/``"3-point"``.
        hess: Hessian callable ``hess(x, *args) -> (n, n)`` or ``None``.
        hessp: ``hessp(x, p, *args) -> (n,)`` or ``None``.
        sign: ``-1`` to minimise ``-fun`` (used by ``maximize``).

    Attributes:
        nfev, njev, nhev: evaluation counts (scipy's meaning).
    """

    def __init__(
        self, fun: Callable[..., Any], x0: Any, args: tuple = (), jac: Any = None,
        hess: Callable[..., Any] | None = None, hessp: Callable[..., Any] | None = None,
        sign: float = 1.0,
    ) -> None:
        if not callable(fun):
            raise TypeError(f"fun must be callable, got {type(fun).__name__}")
        self.x0, self._unravel = _flatten_x0(x0)
        self.n = self.x0.size
        self.args = tuple(args) if isinstance(args, tuple | list) else (args,)
        self.fun, self.jac, self.hess_fn, self.hessp_fn = fun, jac, hess, hessp
        self.sign = float(sign)
        self.nfev = self.njev = self.nhev = 0
        self._layout: tuple | None = None
        self._fg = self._build_fg()

    # ---- structure ------------------------------------------------------------------------
    def unravel(self, x: np.ndarray) -> Any:
        """The user's structure for flat ``x``."""
        return self._unravel(x)

    @property
    def has_hessian(self) -> bool:
        return self.hess_fn is not None

    @property
    def gradient_is_bundled(self) -> bool:
        """True when the gradient costs (almost) nothing once the value is computed together
        with it, or cannot be had without the value (``jac=True``, autodiff)."""
        return self.jac is True or self.jac is None or self.jac is False

    # ---- evaluations ----------------------------------------------------------------------
    def f(self, x: np.ndarray) -> float:
        """Objective value (one function evaluation)."""
        if self.jac is True:
            return self.fg(x)[0]
        self.nfev += 1
        return self.sign * _scalar(self.fun(self._unravel(x), *self.args))

    def fg(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """Value and gradient together (counts one nfev and one njev)."""
        return self._fg(x)

    def grad(self, x: np.ndarray) -> np.ndarray:
        """Gradient only (one njev; with ``jac=True`` or autodiff also one nfev)."""
        if callable(self.jac):
            self.njev += 1
            return self.sign * self._flat(self.jac(self._unravel(x), *self.args))
        return self.fg(x)[1]

    def hessian(self, x: np.ndarray) -> np.ndarray:
        """Dense Hessian: the user's ``hess``, else autodiff, else differences of gradients."""
        if self.hess_fn is not None:
            self.nhev += 1
            h = self.hess_fn(self._unravel(x), *self.args)
            return self.sign * _dense(h, self.n)
        ad = _autodiff("hessian")
        if ad is not None and self._differentiable():
            self.nhev += 1
            h = ad(self._user_flat_fun)(x)
            return self.sign * _dense(h, self.n)
        return self._fd_hessian(x)

    def hessp(self, x: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Hessian-vector product ``∇²f(x) p``: user ``hessp``/``hess``, autodiff, or FD."""
        self.nhev += 1
        if self.hessp_fn is not None:
            return self.sign * self._flat(self.hessp_fn(self._unravel(x), self._unravel(p),
                                                       *self.args))
        if self.hess_fn is not None:
            return self.sign * (_dense(self.hess_fn(self._unravel(x), *self.args), self.n) @ p)
        ad = _autodiff("hvp")
        if ad is not None and self._differentiable():
            return self.sign * np.asarray(ad(self._user_flat_fun, x, p), dtype=float)
        pn = float(np.linalg.norm(p))
        if pn == 0.0:
            return np.zeros_like(x)
        eps = np.sqrt(np.finfo(float).eps) * max(1.0, float(np.linalg.norm(x))) / pn
        self.nhev -= 1  # counted as two gradient evaluations instead
        return (self.grad(x + eps * p) - self.grad(x - eps * p)) / (2 * eps)

    # ---- construction helpers -------------------------------------------------------------
    def _build_fg(self) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        jac = self.jac
        if jac is True:
            return self._fg_combined
        if callable(jac):
            return self._fg_separate
        if isinstance(jac, str):
            if jac not in _FD_JAC:
                raise ValueError(f"jac={jac!r} is not understood; use a callable, True, None "
                                 f"(autodiff) or one of {_FD_JAC}")
            return self._fg_finite_differences
        if jac is None or jac is False:
            return self._fg_autodiff
        raise TypeError(f"jac must be callable, True, None or a string, got {type(jac).__name__}")

    def _fg_combined(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        self.nfev += 1
        self.njev += 1
        out = self.fun(self._unravel(x), *self.args)
        if not (isinstance(out, tuple | list) and len(out) == 2):
            raise TypeError("jac=True means fun returns (value, gradient); "
                            f"got {type(out).__name__}. Return a pair or pass jac=callable.")
        return self.sign * _scalar(out[0]), self.sign * self._flat(out[1])

    def _fg_separate(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        self.nfev += 1
        self.njev += 1
        ux = self._unravel(x)
        f = _scalar(self.fun(ux, *self.args))
        g = self._flat(self.jac(ux, *self.args))
        return self.sign * f, self.sign * g

    def _fg_autodiff(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        vg = _autodiff("value_and_grad")
        if vg is None:
            raise ImportError(
                "jac=None asks steepest.autodiff for the gradient, which is not available in "
                "this installation; pass jac=<gradient callable>, jac=True or jac='2-point'."
            )
        self.nfev += 1
        self.njev += 1
        f, g = vg(self._user_fun_of_tree)(self._unravel(x))
        return self.sign * _scalar(f), self.sign * self._flat(g)

    def _fg_finite_differences(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        f = self.sign * _scalar(self.fun(self._unravel(x), *self.args))
        self.nfev += 1
        self.njev += 1
        eps = np.finfo(float).eps
        h = np.sqrt(eps) if self.jac == "2-point" else eps ** (1 / 3)
        g = np.empty(self.n)
        raw = self.fun
        for i in range(self.n):  # n evaluations of fun: only meant for small n
            e = np.zeros(self.n)
            e[i] = h * max(1.0, abs(x[i]))
            fp = self.sign * _scalar(raw(self._unravel(x + e), *self.args))
            if self.jac == "2-point":
                g[i] = (fp - f) / e[i]
            else:
                fm = self.sign * _scalar(raw(self._unravel(x - e), *self.args))
                g[i] = (fp - fm) / (2 * e[i])
        return f, g

    def _fd_hessian(self, x: np.ndarray) -> np.ndarray:
        h = np.finfo(float).eps ** (1 / 3) * max(1.0, float(np.max(np.abs(x), initial=0.0)))
        H = np.empty((self.n, self.n))
        for i in range(self.n):
            e = np.zeros(self.n)
            e[i] = h
            H[:, i] = (self.grad(x + e) - self.grad(x - e)) / (2 * h)
        return 0.5 * (H + H.T)

    def _differentiable(self) -> bool:
        return self.jac is None or self.jac is False

    def _user_fun_of_tree(self, tree: Any) -> Any:
        return self.fun(tree, *self.args)

    def _user_flat_fun(self, x: Any) -> Any:
        return self.fun(self._unravel_traced(x), *self.args)

    def _unravel_traced(self, x: Any) -> Any:
        """Rebuild the user's structure from a (possibly autodiff-traced) flat vector using
        only slicing and reshape, which the tracer records."""
        if self._identity:
            return x
        if self._layout is None:
            leaves, tdef = tree_flatten(self._unravel(self.x0))
            shapes = [np.shape(leaf) for leaf in leaves]
            offsets = np.cumsum([0, *[int(np.prod(s)) for s in shapes]])
            self._layout = (tdef, shapes, offsets)
        tdef, shapes, offsets = self._layout
        parts = [x[offsets[i]] if s == () else x[offsets[i]:offsets[i + 1]].reshape(s)
                 for i, s in enumerate(shapes)]
        return tree_unflatten(tdef, parts)

    def _flat(self, g: Any) -> np.ndarray:
        if isinstance(g, np.ndarray) and g.ndim == 1 and g.size == self.n:
            return g if g.dtype == np.float64 else g.astype(float)
        flat = ravel_pytree(g)[0] if not isinstance(g, np.ndarray) else np.ravel(g)
        if flat.size != self.n:
            raise ValueError(f"the gradient has {flat.size} entries but x has {self.n}; "
                             "jac must return an array (or pytree) shaped like x0")
        return np.asarray(flat, dtype=float)

    @property
    def _identity(self) -> bool:
        return self._unravel is _identity_unravel


def _identity_unravel(x: np.ndarray) -> np.ndarray:
    return x


def _flatten_x0(x0: Any) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    if isinstance(x0, np.ndarray) and x0.ndim == 1 and np.issubdtype(x0.dtype, np.floating):
        flat, unravel = np.array(x0, dtype=float), _identity_unravel
    elif isinstance(x0, np.ndarray) or np.isscalar(x0):
        arr = np.asarray(x0, dtype=float)
        if arr.ndim == 1:
            flat, unravel = arr.copy(), _identity_unravel
        else:
            flat, unravel = ravel_pytree(arr)
            flat = np.array(flat, dtype=float)
    else:
        try:
            flat, unravel = ravel_pytree(x0)
        except TypeError as e:
            raise TypeError(f"x0 must be an array or a pytree of arrays: {e}") from e
        flat = np.array(flat, dtype=float)
    if flat.size == 0:
        raise ValueError("x0 is empty; pass at least one variable")
    if not np.all(np.isfinite(flat)):
        bad = np.flatnonzero(~np.isfinite(flat))[:5].tolist()
        raise ValueError(f"x0 has non-finite entries at flat positions {bad}; "
                         "start from a finite point")
    return flat, unravel


def _scalar(v: Any) -> float:
    a = np.asarray(v, dtype=float)
    if a.size != 1:
        raise ValueError(f"fun must return a scalar, got an array of shape {a.shape}; "
                         "sum or reduce it (or use steepest.constrained / lstsq for vectors)")
    return float(a.reshape(()))


def _dense(h: Any, n: int) -> np.ndarray:
    H = np.asarray(h.toarray() if hasattr(h, "toarray") else h, dtype=float)
    if H.shape != (n, n):
        raise ValueError(f"hess must return an ({n}, {n}) matrix, got shape {H.shape}")
    return H


def _autodiff(name: str) -> Callable[..., Any] | None:
    """``steepest.autodiff.<name>`` when the autodiff engine provides it, else ``None``."""
    try:
        from .. import autodiff
    except ImportError:  # pragma: no cover - the subpackage always exists in this repo
        return None
    return getattr(autodiff, name, None)
