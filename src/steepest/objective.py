r"""The objective as every solver sees it: flat vectors in, counted evaluations out.

:class:`Objective` wraps the user's ``fun`` (and ``jac``/``hess``/``hessp``) once, with
scipy's conventions: ``args`` appended to every call, ``jac=True`` meaning ``fun`` returns
``(f, g)``, ``jac=None`` meaning "ask :mod:`steepest.autodiff`", ``jac="2-point"/"3-point"``
meaning finite differences. ``x0`` may be a pytree: solvers work on the flat vector from
:func:`steepest.tree.ravel_pytree` and the user's functions receive the original structure.

It is the one objective of the library: :mod:`steepest.analysis`, the unconstrained solvers,
:mod:`steepest.constrained` and the line searches all evaluate through it. Maximisation is
the minimisation of :math:`\sigma f` with the sign :math:`\sigma = -1`; every value and
derivative returned is that of :math:`\sigma f`, and ``fun`` keeps the user's unsigned function.

Derivatives that were not given are resolved in this order (user's derivatives first):

* gradient: ``jac`` (callable, or bundled when ``jac=True``), else autodiff (``jac=None``),
  else forward (``"2-point"``, :math:`O(\sqrt\epsilon)`) or central (``"3-point"``,
  :math:`O(\epsilon^{2/3})`) differences of ``fun``;
* Hessian: ``hess``, else the columns :math:`\nabla^2 f\, e_i` of ``hessp``, else autodiff
  (when ``fun`` is traceable), else central differences of the gradient,
  :math:`H_{:,i} \approx (\nabla f(x + h e_i) - \nabla f(x - h e_i)) / 2h`;
* Hessian-vector product: ``hessp``, else ``hess(x) @ p`` (the user's Hessian is kept for
  repeated products at one point), else autodiff, else
  :math:`(\nabla f(x + \epsilon p) - \nabla f(x - \epsilon p)) / 2\epsilon`.

Reference:
    Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1 (finite-difference
    derivative approximations) and §8.2 (automatic differentiation).

Example:
    >>> import numpy as np
    >>> obj = Objective(lambda x: float(x @ x), np.array([3.0, -4.0]), jac=lambda x: 2 * x)
    >>> obj.fg(obj.x0)
    (25.0, array([ 6., -8.]))
    >>> obj.nfev, obj.njev
    (1, 1)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.optimize import HessianUpdateStrategy

from . import autodiff
from ._objective_fd import FiniteDifferences
from ._objective_inputs import (
    FD_JAC,
    checked_output,
    dense,
    flatten_x0,
    hess_scheme,
    scalar,
    size_one_to_scalar,
)
from .autodiff.errors import IndependentOutputWarning
from .tree import ravel_pytree

__all__ = ["NonFiniteDerivativeError", "Objective"]



class NonFiniteDerivativeError(ValueError):
    """A gradient, Hessian or Hessian-vector product came back with NaN or inf."""


class Objective(FiniteDifferences):
    r"""Counted access to f, ∇f, ∇²f and Hessian-vector products on flat float vectors.

    Args:
        fun: ``fun(x, *args) -> float`` (or ``(f, g)`` when ``jac is True``).
        x0: starting point, an array or a pytree of arrays; as in scipy, a list or tuple of
            plain numbers becomes a 1-D array and a scalar a vector of shape ``(1,)``.
        args: extra positional arguments for every call.
        jac: gradient callable, ``True``, ``None`` (autodiff), ``"2-point"``/``"3-point"``,
            ``"cs"`` (complex step) or ``False`` (forward differences, as in scipy).
        hess: Hessian callable ``hess(x, *args) -> (n, n)``, ``"2-point"``/``"3-point"``
            (forward/central differences of the gradient, as scipy; ``"cs"`` is taken as
            ``"3-point"``), a ``scipy.optimize.HessianUpdateStrategy`` (``BFGS()``, ``SR1()``:
            updated with the steps between the points where a Hessian is asked) or ``None``.
        hessp: ``hessp(x, p, *args) -> (n,)`` or ``None``.
        sign: :math:`\sigma`; ``-1`` minimises ``-fun`` (used by ``maximize``).
        traceable: whether :mod:`steepest.autodiff` may differentiate ``fun`` for the second
            derivatives not given; default ``True`` exactly when ``jac`` is ``None``
            (a user gradient may come with a ``fun`` the tracer cannot follow).
        check_finite: raise :class:`NonFiniteDerivativeError` when a gradient, Hessian or
            Hessian-vector product has a NaN or inf (the analysis functions want this).

    Attributes:
        x0: the flat float starting vector. n: its size. fun, jac, args, sign: as given.
        nfev, njev, nhev: evaluation counts (scipy's meaning: calls of f, of ∇f, of ∇²f or
        ∇²f·p; a bundled or autodiff value-and-gradient counts one of each).
        nonfinite: how many evaluations of f returned NaN or inf.
        disconnected: autodiff found ``fun``'s output independent of its traced input (the
        gradient 0 is then meaningless; ``minimize`` fails saying to pass ``jac``).
        hess_fd: ``"2-point"``/``"3-point"`` when ``hess`` asked for differences, else ``""``.
        fd_rel_step: relative step of ``jac="2-point"/"3-point"`` (scipy's
        ``finite_diff_rel_step``; ``None``: :math:`\sqrt\epsilon` / :math:`\epsilon^{1/3}`).
        fd_abs_step: an absolute step instead (scipy's ``eps``).
        fd_bounds: ``(lower, upper)`` the difference steps must stay within (set by the
        bound-constrained solver; a backward step is taken at an upper bound).

    Returns:
        Every method returns the quantity of :math:`\sigma f` at the flat point it is given.

    Example:
        >>> import numpy as np
        >>> obj = Objective(lambda t: t["w"] @ t["w"] + t["b"] ** 2,
        ...                 {"w": np.array([1.0, 2.0]), "b": 3.0}, sign=-1.0)
        >>> obj.x0, obj.f(obj.x0)
        (array([3., 1., 2.]), -14.0)
        >>> obj.grad(obj.x0), obj.hessp(obj.x0, np.array([1.0, 0.0, 0.0]))
        (array([-6., -2., -4.]), array([-2., -0., -0.]))
        >>> obj.unravel(obj.x0)["w"]
        array([1., 2.])
    """

    def __init__(
        self, fun: Callable[..., Any], x0: Any, args: tuple = (), jac: Any = None,
        hess: Callable[..., Any] | None = None, hessp: Callable[..., Any] | None = None,
        sign: float = 1.0, *, traceable: bool | None = None, check_finite: bool = False,
    ) -> None:
        if not callable(fun):
            raise TypeError(f"fun must be callable, got {type(fun).__name__}")
        self.hess_strategy = hess if isinstance(hess, HessianUpdateStrategy) else None
        hess = None if self.hess_strategy is not None else hess
        self.hess_fd = hess_scheme(hess)
        hess = None if self.hess_fd else hess
        self._strategy_at: tuple[np.ndarray, np.ndarray] | None = None
        self._last_g: tuple[np.ndarray, np.ndarray] | None = None
        self._memo: tuple[np.ndarray, float, np.ndarray | None] | None = None
        if hessp is not None and not callable(hessp):
            raise TypeError(f"hessp must be callable or None, got {type(hessp).__name__}")
        self.x0, self._unravel = flatten_x0(x0)
        self.n = self.x0.size
        self.args = tuple(args) if isinstance(args, tuple | list) else (args,)
        traceable = jac is None if traceable is None else traceable
        jac = "2-point" if jac is False else jac  # scipy: jac=False means differences
        self.fun, self.jac, self.hess_fn, self.hessp_fn = fun, jac, hess, hessp
        self.sign = float(sign)
        self.traceable = bool(traceable)
        self.check_finite = bool(check_finite)
        self.nfev = self.njev = self.nhev = self.nonfinite = 0
        self.disconnected = False
        self.fd_rel_step: float | None = None
        self.fd_abs_step: float | None = None
        self.fd_bounds: tuple[np.ndarray, np.ndarray] | None = None
        self._hess_cache: tuple[np.ndarray, np.ndarray] | None = None
        self._fg = self._build_fg()

    # ---- structure ------------------------------------------------------------------------
    def unravel(self, x: np.ndarray) -> Any:
        """The user's structure for flat ``x`` (traceable: slicing and reshape only).

        Args:
            x: a flat vector of size ``n`` (a float array or an autodiff-traced vector).

        Returns:
            ``x`` itself for a 1-D ``x0``, else the pytree or array shape of ``x0``.
        """
        return self._unravel(x)

    @property
    def gradient_is_bundled(self) -> bool:
        """True when the gradient costs (almost) nothing once the value is computed together
        with it, or cannot be had without the value (``jac=True``, autodiff)."""
        return self.jac is True or self.jac is None or self.jac is False

    @property
    def hessian_source(self) -> str:
        """Where :meth:`hessian` gets ∇²f: ``"hess"``, ``"hessp"``, ``"autodiff"`` or
        ``"finite differences"`` (of the gradient)."""
        if self.hess_fn is not None:
            return "hess"
        if self.hess_strategy is not None:
            return "update"
        if self.hessp_fn is not None:
            return "hessp"
        return "autodiff" if self.traceable and not self.hess_fd else "finite differences"

    # ---- evaluations ----------------------------------------------------------------------
    def f(self, x: np.ndarray) -> float:
        """Objective value :math:`\\sigma f(x)` (one function evaluation).

        Args:
            x: flat point.

        Returns:
            The signed value as a Python float.
        """
        if self.jac is True:
            return self.fg(x)[0]
        memo = self._recall(x)
        if memo is not None:
            return memo[0]
        self.nfev += 1
        f = self._value(self.sign * scalar(self.fun(self._unravel(x), *self.args)))
        self._memo = (np.array(x, dtype=float), f, None)
        return f

    def fg(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """Value and gradient together (counts one nfev and one njev).

        Args:
            x: flat point.

        Returns:
            ``(σ f(x), σ ∇f(x))`` with the gradient flat.
        """
        memo = self._recall(x)
        if memo is not None and memo[1] is not None:
            return memo
        if memo is not None and callable(self.jac):  # the value is known: only the gradient
            f, g = memo[0], self.grad(x)
        else:
            f, g = self._fg(x)
            self._value(f)
        if self.hess_strategy is not None:
            self._last_g = (x.copy(), g)
        self._memo = (np.array(x, dtype=float), f, g)
        return f, self._checked(g, "gradient", x)

    def _recall(self, x: np.ndarray) -> tuple[float, np.ndarray | None] | None:
        """``(f, g or None)`` when ``x`` is the point evaluated last (never evaluated twice)."""
        m = self._memo
        if m is None or m[0].shape != np.shape(x):
            return None
        if m[0].ndim == 1 and m[0][0] != x[0]:  # the usual miss, decided cheaply
            return None
        if not (m[0] == x).all():
            return None
        return m[1], m[2]

    def grad(self, x: np.ndarray) -> np.ndarray:
        """Gradient only (one njev; bundled gradients and differences also count one nfev).

        Args:
            x: flat point.

        Returns:
            :math:`\\sigma \\nabla f(x)` as a flat float vector.
        """
        memo = self._recall(x)
        if memo is not None and memo[1] is not None:
            return memo[1]
        if callable(self.jac):
            self.njev += 1
            g = self.sign * self._flat(self.jac(self._unravel(x), *self.args), "jac")
        elif self.jac is None or self.jac is False:
            self.njev += 1
            g = self.sign * self._flat(self._autodiff_fg(x)[1], "grad")
        else:
            return self.fg(x)[1]
        return self._checked(g, "gradient", x)

    def hessian(self, x: np.ndarray, symmetric: bool = False,
                source: str | None = None) -> np.ndarray:
        """Dense Hessian :math:`\\sigma \\nabla^2 f(x)`.

        Args:
            x: flat point.
            symmetric: return :math:`\\tfrac12 (H + H^\\top)`, removing rounding asymmetry
                (eigen-analysis wants it; the solvers use the Hessian as computed).
            source: one of the values of :attr:`hessian_source` to use instead of it (the
                end-point certificate asks for ``"autodiff"`` or ``"finite differences"`` so
                that it never calls the user's ``hessp``).

        Returns:
            The ``(n, n)`` matrix.
        """
        source = self.hessian_source if source is None else source
        if source == "update":
            H = self._updated_hessian(x)
        elif source == "hess":
            self.nhev += 1
            H = self.sign * dense(self.hess_fn(self._unravel(x), *self.args), self.n)
        elif source == "hessp":
            H = np.column_stack([self.hessp(x, e) for e in np.eye(self.n)])
        elif source == "autodiff":
            self.nhev += 1
            H = self.sign * dense(autodiff.hessian(self._flat_fun)(x), self.n)
        elif source == "finite differences":
            H = self.finite_difference_hessian(x)
        else:
            raise ValueError(f"source={source!r} is not one of 'hess', 'hessp', 'autodiff', "
                             "'finite differences'")
        if symmetric:
            H = 0.5 * (H + H.T)
        return self._checked(H, "Hessian", x)

    def hessp(self, x: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Hessian-vector product :math:`\\sigma \\nabla^2 f(x)\\, p` (one nhev; from ``hess=``,
        one nhev per point at which the Hessian is evaluated, as scipy counts).

        Args:
            x: flat point.
            p: flat direction.

        Returns:
            The product as a flat float vector (two gradient evaluations instead of one nhev
            when it comes from differences of gradients).
        """
        p = np.asarray(p, dtype=float).ravel()
        if self.hess_strategy is not None:
            return self._updated_hessian(x) @ p
        if self.hess_fn is not None and self.hessp_fn is None:
            # one nhev per Hessian evaluated, not per product (scipy's Newton-CG counts so)
            return self._checked(self.sign * (self._user_hessian(x) @ p),
                                 "Hessian-vector product", x)
        self.nhev += 1
        if self.hessp_fn is not None:
            out = self._flat(self.hessp_fn(self._unravel(x), self._unravel(p), *self.args),
                             "hessp")
        elif self.traceable and not self.hess_fd:
            out = np.asarray(autodiff.hvp(self._flat_fun, x, p), dtype=float).ravel()
        else:
            self.nhev -= 1  # counted as two gradient evaluations instead
            return self._checked(self._fd_hessp(x, p), "Hessian-vector product", x)
        return self._checked(self.sign * out, "Hessian-vector product", x)

    # ---- construction helpers -------------------------------------------------------------
    def _build_fg(self) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        jac = self.jac
        if jac is True:
            return self._fg_combined
        if callable(jac):
            return self._fg_separate
        if isinstance(jac, str):
            if jac not in FD_JAC:
                raise ValueError(f"jac={jac!r} is not understood; use a callable, True, None "
                                 f"(autodiff) or one of {FD_JAC}")
            return self._fg_complex_step if jac == "cs" else self._fg_finite_differences
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
        return self.sign * scalar(out[0]), self.sign * self._flat(out[1], "fun")

    def _fg_separate(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        self.nfev += 1
        self.njev += 1
        f = scalar(self.fun(self._unravel(x), *self.args))
        g = self._flat(self.jac(self._unravel(x), *self.args), "jac")  # its own copy of x
        return self.sign * f, self.sign * g

    def _fg_autodiff(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        self.nfev += 1
        self.njev += 1
        f, g = self._autodiff_fg(x)
        return self.sign * scalar(f), self.sign * self._flat(g, "grad")

    def _autodiff_fg(self, x: np.ndarray) -> tuple[Any, Any]:
        """Autodiff value and gradient; an output independent of x sets :attr:`disconnected`
        (instead of warning: the solver reports it)."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", IndependentOutputWarning)
            out = autodiff.value_and_grad(self._tree_fun)(self._unravel(x))
        for w in caught:
            if issubclass(w.category, IndependentOutputWarning):
                self.disconnected = True
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return out

    def _updated_hessian(self, x: np.ndarray) -> np.ndarray:
        """The quasi-Newton matrix of a ``scipy.optimize.HessianUpdateStrategy`` (``BFGS()``,
        ``SR1()``), updated with the step to ``x`` and the change of gradient along it."""
        st = self.hess_strategy
        last = self._last_g
        g = last[1] if last is not None and np.array_equal(last[0], x) else self.grad(x)
        if self._strategy_at is None:
            st.initialize(self.n, "hess")
        elif not np.array_equal(self._strategy_at[0], x):
            st.update(x - self._strategy_at[0], g - self._strategy_at[1])
        self._strategy_at = (np.array(x, dtype=float), np.array(g, dtype=float))
        return np.asarray(st.get_matrix(), dtype=float)

    def _user_hessian(self, x: np.ndarray) -> np.ndarray:
        """The user's Hessian at ``x``, kept for repeated products at the same point."""
        if self._hess_cache is None or not np.array_equal(self._hess_cache[0], x):
            self.nhev += 1
            H = dense(self.hess_fn(self._unravel(x), *self.args), self.n)
            self._hess_cache = (np.array(x, dtype=float), H)
        return self._hess_cache[1]

    def _value(self, f: float) -> float:
        """Count a non-finite value of f (the driver names a non-finite region with it)."""
        if not math.isfinite(f):
            self.nonfinite += 1
        return f

    def _tree_fun(self, tree: Any) -> Any:
        return size_one_to_scalar(checked_output(self.fun(tree, *self.args)))

    def _flat_fun(self, x: Any) -> Any:
        """The user's (unsigned) f of the flat vector: what autodiff differentiates."""
        return size_one_to_scalar(checked_output(self.fun(self._unravel(x), *self.args)))

    def _flat(self, g: Any, what: str) -> np.ndarray:
        if isinstance(g, np.ndarray) and g.ndim == 1 and g.size == self.n:
            return g if g.dtype == np.float64 else g.astype(float)
        if g is None:
            raise TypeError(f"{what} returned None; {what} must return an array (or pytree) "
                            "with the shape of x — is a `return` statement missing?")
        flat = ravel_pytree(g)[0] if not isinstance(g, np.ndarray) else np.ravel(g)
        if flat.size != self.n:
            raise ValueError(f"{what} returned {flat.size} entries but x has {self.n}; "
                             f"{what} must return an array (or pytree) with the shape of x")
        return np.asarray(flat, dtype=float)

    def _checked(self, arr: np.ndarray, what: str, x: np.ndarray) -> np.ndarray:
        if self.check_finite and not np.all(np.isfinite(arr)):
            raise NonFiniteDerivativeError(
                f"the {what} at x = {np.array2string(np.asarray(x), precision=4, threshold=6)} "
                "contains NaN or inf; f is not twice differentiable there or overflows — "
                "evaluate at another point")
        return arr
