"""What :class:`steepest.objective.Objective` takes from the user, checked and coerced once.

``x0`` (an array, a number sequence, a scalar or a pytree) becomes a flat float64 vector and
an unravel function, as scipy's ``minimize`` does (a list or scalar becomes a 1-D array);
``fun``'s outputs become real scalars (``None``, text and complex values are refused with
the fix); ``hess`` outputs become dense ``(n, n)`` matrices.

Example:
    >>> flat, unravel = flatten_x0([1, 2])
    >>> flat, unravel(flat)
    (array([1., 2.]), array([1., 2.]))
    >>> scalar(np.float32(2.5)), size_one_to_scalar(np.array([3.0]))
    (2.5, array(3.))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .tree import ravel_pytree

__all__ = ["FD_JAC", "FD_HESS", "checked_output", "dense", "flatten_x0", "hess_scheme",
           "scalar", "size_one_to_scalar"]

#: the finite-difference schemes ``jac=`` and ``hess=`` accept
FD_JAC = ("2-point", "3-point", "cs")
FD_HESS = ("2-point", "3-point", "cs")


def _identity_unravel(x: np.ndarray) -> np.ndarray:
    """``x`` for the user's functions: a copy of a float array, so that a ``fun`` overwriting
    its argument in place (``x[:] = ...``) cannot corrupt the solver's iterate."""
    return x.copy() if type(x) is np.ndarray else x


def _is_number_sequence(x0: Any) -> bool:
    """A list/tuple of plain numbers (scipy turns it into a 1-D array)."""
    return isinstance(x0, list | tuple) and len(x0) > 0 and all(
        isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
        for v in x0)


def hess_scheme(hess: Any) -> str:
    """``"2-point"``/``"3-point"`` for a finite-difference ``hess``, ``""`` otherwise
    (``"cs"`` is served by central differences of the gradient)."""
    if isinstance(hess, str):
        if hess not in FD_HESS:
            raise ValueError(f"hess={hess!r} is not understood; use a callable, None, "
                             "scipy.optimize.BFGS()/SR1() or one of "
                             f"{FD_HESS} (finite differences of the gradient)")
        return "3-point" if hess == "cs" else hess
    if hess is not None and not callable(hess):
        raise TypeError(f"hess must be callable, None or one of {FD_HESS}, "
                        f"got {type(hess).__name__}")
    return ""


def _real_flat(values: Any) -> np.ndarray:
    """The flat float64 copy of ``x0``'s values, refusing complex, text and objects."""
    arr = np.asarray(values)
    if arr.dtype.kind == "c":
        raise TypeError("x0 is complex; steepest minimises over real variables: pass the real "
                        "and imaginary parts as separate real entries (e.g. a pytree "
                        "{'re': x.real, 'im': x.imag})")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"x0 must hold real numbers, got dtype {arr.dtype}; pass a float "
                        "array or a pytree of float arrays (e.g. np.array([1.0, 2.0]))")
    return np.array(arr, dtype=float).ravel()


def flatten_x0(x0: Any) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    if isinstance(x0, str | bytes) or x0 is None:
        raise TypeError(f"x0 must be a real array or a pytree of arrays, got "
                        f"{type(x0).__name__} {x0!r}; pass e.g. np.array([1.0, 2.0])")
    if _is_number_sequence(x0) or (np.isscalar(x0) and not isinstance(x0, bool)):
        x0 = np.atleast_1d(np.asarray(x0))
    if isinstance(x0, np.ndarray) and x0.ndim == 1 and np.issubdtype(x0.dtype, np.floating):
        flat, unravel = np.array(x0, dtype=float), _identity_unravel
    elif isinstance(x0, np.ndarray) or np.isscalar(x0):
        arr = np.asarray(x0)
        if arr.ndim == 1:
            flat, unravel = _real_flat(arr), _identity_unravel
        else:
            _real_flat(arr)
            flat, unravel = ravel_pytree(np.asarray(arr, dtype=float))
            flat = np.array(flat, dtype=float)
    else:
        try:
            flat, unravel = ravel_pytree(x0)
        except TypeError as e:
            raise TypeError(f"x0 must be an array or a pytree of arrays: {e}") from e
        flat = _real_flat(flat)
    if flat.size == 0:
        raise ValueError("x0 is empty; pass at least one variable")
    if not np.all(np.isfinite(flat)):
        bad = np.flatnonzero(~np.isfinite(flat))[:5].tolist()
        raise ValueError(f"x0 has non-finite entries at flat positions {bad}; "
                         "start from a finite point")
    return flat, unravel


def checked_output(v: Any) -> Any:
    """``fun``'s output unchanged, or a TypeError when it cannot be a real scalar."""
    if v is None:
        raise TypeError("fun returned None; fun must return a real scalar (a float) — is a "
                        "`return` statement missing?")
    if isinstance(v, str | bytes):
        raise TypeError(f"fun returned the {type(v).__name__} {v!r}; fun must return a real "
                        "scalar (a float), not text — convert it with float(...)")
    if isinstance(v, complex) or getattr(getattr(v, "dtype", None), "kind", "") == "c":
        raise TypeError(f"fun returned a complex value {v!r}; fun must return a real scalar "
                        "— return its real part or its modulus abs(...)")
    return v


def size_one_to_scalar(v: Any) -> Any:
    """An output of shape ``(1,)`` (or any size-1 array) as a scalar, as scipy accepts it."""
    shape = getattr(v, "shape", ())
    if shape != () and int(np.prod(shape)) == 1:
        return np.reshape(v, ())
    return v


def scalar(v: Any) -> float:
    if type(v) is float:  # the common cases, first
        return v
    if type(v) is np.float64:  # what NumPy and autodiff return
        return float(v)
    checked_output(v)
    try:
        a = np.asarray(v, dtype=float)
    except (TypeError, ValueError) as e:
        raise TypeError(f"fun returned {type(v).__name__} {v!r}, which is not a real number; "
                        "fun must return a real scalar (a float)") from e
    if a.size != 1:
        raise ValueError(f"fun must return a scalar, got an array of shape {a.shape}; "
                         "sum or reduce it (or use steepest.constrained / lstsq for vectors)")
    return float(a.reshape(()))


def dense(h: Any, n: int) -> np.ndarray:
    H = np.asarray(h.toarray() if hasattr(h, "toarray") else h, dtype=float)
    if H.size != n * n:
        raise ValueError(f"hess must return an ({n}, {n}) matrix, got shape {H.shape}")
    return H.reshape(n, n)
