"""Argument checks: one home for every public entry point's input validation.

Each check returns the argument in its canonical type (``float``, ``int``, ``ndarray``, the
chosen value, ...) or raises, naming the argument, what it got and how to fix it:

- ``TypeError`` when the argument is the wrong kind of object (a string for a number, a float
  for a count, something that is not callable);
- ``ValueError`` when it is the right kind but out of range (a negative tolerance, an unknown
  method name, a box whose low end is above its high end).

This module sits at the bottom of the layering (it imports only NumPy and the standard
library), so every package of steepest can use it.

Example:
    >>> check_positive_float(1e-8, "tol")
    1e-08
    >>> check_positive_float(-1, "lr")
    Traceback (most recent call last):
    ...
    ValueError: lr must be a finite number > 0, got -1; pass lr > 0
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from ._options import did_you_mean

__all__ = [
    "check_bounds",
    "check_float_leaf",
    "check_learning_rate",
    "check_callable",
    "check_callables",
    "check_choice",
    "check_decay",
    "check_finite_array",
    "check_finite_float",
    "check_nonnegative_float",
    "check_positive_float",
    "check_positive_int",
    "check_seed",
    "check_unit_interval",
    "optional_module",
]

T = TypeVar("T")

INTERVALS = ("(0, 1)", "[0, 1)", "(0, 1]", "[0, 1]")


def _real(value: Any, name: str, what: str) -> float:
    """``value`` as a float, or a TypeError saying the argument must be ``what``."""
    if isinstance(value, bool | str | bytes):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {value!r}; "
                        "pass a real number (an int or a float)")
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}; pass a real "
                        "number (an int or a float)") from exc


def check_positive_float(value: Any, name: str, *, fix: str = "") -> float:
    """A finite real number ``> 0`` (a tolerance, a scale, a radius).

    Args:
        value: the argument.
        name: its name, as the user spells it.
        fix: the advice ending the message (default ``"pass <name> > 0"``).

    Returns:
        ``value`` as a ``float``.

    Raises:
        TypeError: when ``value`` is not a real number.
        ValueError: when it is not finite or ``<= 0``.

    Example:
        >>> check_positive_float(2, "x_scale")
        2.0
    """
    v = _real(value, name, "a positive number")
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value}; "
                         f"{fix or f'pass {name} > 0'}")
    return v


def check_finite_float(value: Any, name: str, *, fix: str = "") -> float:
    """A finite real number of any sign (a starting point, a bracket end, a shift).

    Args, Returns and Raises as :func:`check_positive_float`, without the sign condition.

    Example:
        >>> check_finite_float(-2, "x0")
        -2.0
    """
    v = _real(value, name, "a real number")
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {value}; "
                         f"{fix or f'pass a finite {name}'}")
    return v


def check_seed(value: Any, name: str = "seed") -> Any:
    """A seed NumPy's ``default_rng`` accepts: ``None``, an int ``>= 0`` or a ``Generator``.

    Args:
        value: the argument.
        name: its name, as the user spells it.

    Returns:
        ``value`` unchanged.

    Raises:
        TypeError: for a float, a string or another object.
        ValueError: for a negative int.

    Example:
        >>> check_seed(0), check_seed(None)
        (0, None)
    """
    if value is None or isinstance(value, np.random.Generator | np.random.SeedSequence):
        return value
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an int >= 0 (or None), got {type(value).__name__} "
                        f"{value!r}; pass e.g. {name}=0")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}; pass e.g. {name}=0")
    return value


def check_nonnegative_float(value: Any, name: str, *, fix: str = "") -> float:
    """A finite real number ``>= 0`` (a radius that may be 0, a tolerance that may be 0).

    Args, Returns and Raises as :func:`check_positive_float`, with ``>= 0`` in place of ``> 0``.

    Example:
        >>> check_nonnegative_float(0, "radius")
        0.0
    """
    v = _real(value, name, "a non-negative number")
    if not (math.isfinite(v) and v >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value}; "
                         f"{fix or f'pass {name} >= 0'}")
    return v


def check_positive_int(value: Any, name: str, minimum: int = 1) -> int:
    """An integer ``>= minimum`` (a count, a number of samples or iterations).

    Args:
        value: the argument (``bool`` is rejected, NumPy integers are accepted).
        name: its name, as the user spells it.
        minimum: the smallest allowed value (1 by default; 0 for "may be none").

    Returns:
        ``value`` as an ``int``.

    Raises:
        TypeError: when ``value`` is not an integer.
        ValueError: when it is below ``minimum``.

    Example:
        >>> check_positive_int(np.int64(3), "n_samples", minimum=2)
        3
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}; "
                        f"pass an int >= {minimum}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}; pass {name} >= {minimum}")
    return int(value)


def check_unit_interval(value: Any, name: str, interval: str = "(0, 1)", *,
                        fix: str = "") -> float:
    """A real number in a unit interval: ``"(0, 1)"``, ``"[0, 1)"``, ``"(0, 1]"`` or ``"[0, 1]"``.

    Args:
        value: the argument (a decay rate, an Armijo constant, a shrink factor, ...).
        name: its name, as the user spells it.
        interval: which ends are included, written as in mathematics.
        fix: the advice ending the message (default ``"pass a value such as 0.5"``).

    Returns:
        ``value`` as a ``float``.

    Raises:
        TypeError: when ``value`` is not a real number.
        ValueError: when it lies outside ``interval`` (or ``interval`` is not one of the four).

    Example:
        >>> check_unit_interval(0.0, "beta", "[0, 1)")
        0.0
    """
    check_choice(interval, "interval", INTERVALS)
    v = _real(value, name, f"a number in {interval}")
    low_ok = v >= 0 if interval[0] == "[" else v > 0
    high_ok = v <= 1 if interval[-1] == "]" else v < 1
    if not (low_ok and high_ok):
        raise ValueError(f"{name} must lie in {interval}, got {value}; "
                         f"{fix or 'pass a value such as 0.5'}")
    return v



def check_decay(value: Any, name: str, *, allow_one: bool = False) -> float:
    """An exponential-smoothing factor β of ``m ← β m + (1 − β) g``: ``0 <= β < 1``.

    Args:
        value: the argument (``b1``, ``b2``, ``decay``, ``beta``, ...).
        name: its name, as the user spells it.
        allow_one: also accept ``β = 1`` (an accumulator that never forgets, as Adagrad's).

    Returns:
        ``value`` as a ``float``.

    Raises:
        TypeError: when ``value`` is not a real number.
        ValueError: when it lies outside ``[0, 1)`` (``[0, 1]`` with ``allow_one``).

    Example:
        >>> check_decay(0.9, "b1"), check_decay(1, "decay", allow_one=True)
        (0.9, 1.0)
    """
    return check_unit_interval(value, name, "[0, 1]" if allow_one else "[0, 1)",
                               fix="typical values are 0.9 (momentum) and 0.999 (second moments)")

def check_finite_array(value: Any, name: str, *, ndim: int | None = None,
                       shape: Sequence[int | None] | None = None) -> np.ndarray:
    """A finite float array, optionally of a given ``ndim`` or ``shape`` (``None`` = any size).

    Args:
        value: anything ``np.asarray(value, dtype=float)`` accepts.
        name: its name, as the user spells it.
        ndim: the required number of dimensions.
        shape: the required shape; an entry ``None`` accepts any length on that axis.

    Returns:
        A float ``ndarray``.

    Raises:
        TypeError: when ``value`` does not convert to a float array.
        ValueError: for a wrong ``ndim`` or ``shape``, or NaN/inf entries.

    Example:
        >>> check_finite_array([[0.0, 1.0]], "starts", shape=(None, 2)).shape
        (1, 2)
    """
    if _complex_values(value):
        raise TypeError(f"{name} is complex; it must be an array of real numbers: pass the "
                        "real and imaginary parts as separate real entries")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers, "
                        f"got {type(value).__name__}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}; "
                         f"pass an array with {ndim} dimension(s)")
    if shape is not None and not _shape_matches(arr.shape, shape):
        dims = ["any" if s is None else str(s) for s in shape]
        want = "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
        raise ValueError(f"{name} must be an array of shape {want}, got shape {arr.shape}; "
                         f"pass {name} with that shape")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf; pass finite values")
    return arr


def _shape_matches(got: tuple[int, ...], want: Sequence[int | None]) -> bool:
    return len(got) == len(want) and all(w is None or g == w for g, w in zip(got, want))


def check_choice(value: T, name: str, choices: Sequence[T]) -> T:
    """One of a fixed set of choices (a method name, a mode, an action).

    Args:
        value: the argument.
        name: its name, as the user spells it.
        choices: the allowed values, in the order the message lists them.

    Returns:
        ``value`` unchanged.

    Raises:
        ValueError: when ``value`` is not among ``choices``.

    Example:
        >>> check_choice("dense", "method", ("auto", "dense", "lanczos"))
        'dense'
    """
    if value not in choices:
        hint = did_you_mean(value, [c for c in choices if isinstance(c, str)])
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, "
                         f"got {value!r}{hint}")
    return value


def check_bounds(bounds: Any, name: str = "bounds") -> np.ndarray:
    """A box ``[(low, high), ...]`` with finite ends and ``low < high``, as an ``(n, 2)`` array.

    A single pair ``(low, high)`` is read as a 1-D box.

    Args:
        bounds: the pairs.
        name: the argument's name, as the user spells it.

    Returns:
        A float array of shape ``(n, 2)``, column 0 the low ends.

    Raises:
        TypeError: when ``bounds`` does not convert to numbers.
        ValueError: for a wrong shape, non-finite ends or a pair with ``low >= high``.

    Example:
        >>> check_bounds((-1, 1)).tolist()
        [[-1.0, 1.0]]
    """
    try:
        b = np.asarray(bounds, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a sequence of (low, high) pairs, e.g. "
                        "[(-3, 3), (-3, 3)]") from exc
    if b.ndim == 1 and b.size == 2:
        b = b.reshape(1, 2)
    if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, 2) as [(low, high), ...]; got {b.shape}")
    if not np.all(np.isfinite(b)):
        raise ValueError(f"{name} must be finite: the box is sampled uniformly")
    if np.any(b[:, 1] <= b[:, 0]):
        raise ValueError(f"each pair of {name} must satisfy low < high; swap or widen the "
                         "offending pair")
    return b


def check_callable(value: T, name: str) -> T:
    """A callable (a function, a gradient, a schedule).

    Args:
        value: the argument.
        name: its name, as the user spells it.

    Returns:
        ``value`` unchanged.

    Raises:
        TypeError: when ``value`` is not callable.

    Example:
        >>> check_callable(abs, "f") is abs
        True
    """
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}; pass a function "
                        "such as lambda x: x @ x")
    return value


def check_callables(value: Any, name: str) -> list[Any]:
    """A sequence of callables (callbacks, hooks), as a list.

    Args:
        value: the argument: a list or tuple of functions (a bare function is refused, so that
            ``callbacks=f`` is not silently read as something else).
        name: its name, as the user spells it.

    Returns:
        The callables, as a new list.

    Raises:
        TypeError: for a bare callable, a non-sequence, or an item that is not callable.

    Example:
        >>> len(check_callables((print, abs), "callbacks"))
        2
    """
    if callable(value) or isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of callables, got {type(value).__name__}; pass "
                        f"{name}=[f] (a list, even for one)")
    for i, item in enumerate(value):
        if not callable(item):
            raise TypeError(f"{name}[{i}] must be callable, got {type(item).__name__}; pass "
                            f"functions in {name}")
    return list(value)


def check_learning_rate(value: Any, name: str = "learning_rate") -> float | Callable[[int], float]:
    """A learning rate: a finite number ``>= 0`` or a schedule (a callable ``count -> rate``).

    Args:
        value: the argument.
        name: its name, as the user spells it.

    Returns:
        ``value`` itself when it is callable, else ``value`` as a ``float``.

    Raises:
        TypeError: when ``value`` is neither a real number nor callable.
        ValueError: when it is negative or not finite.

    Example:
        >>> check_learning_rate(1e-3), callable(check_learning_rate(lambda t: 0.1))
        (0.001, True)
    """
    if callable(value):
        return value
    return check_nonnegative_float(
        value, name, fix="the rules already step downhill, so pass a positive value such as "
        "1e-3 (or a schedule)")


def _complex_values(value: Any) -> bool:
    """Whether ``value`` holds complex numbers (``False`` for what is not an array at all)."""
    try:
        return bool(np.iscomplexobj(value))
    except (TypeError, ValueError):
        return False


def check_float_leaf(leaf: Any, name: str = "params") -> np.dtype:
    """The dtype of one array of a parameter pytree, which must be real floating point.

    Args:
        leaf: an array (or scalar) of the pytree.
        name: what the pytree is called, for the message.

    Returns:
        The leaf's ``dtype``.

    Raises:
        TypeError: for an integer, boolean or complex leaf.

    Example:
        >>> check_float_leaf(np.zeros(3, dtype=np.float32))
        dtype('float32')
    """
    dtype = np.asarray(leaf).dtype
    if np.issubdtype(dtype, np.complexfloating):
        raise TypeError(
            f"{name} must hold real floating arrays, got a leaf of dtype {dtype}; optimizers "
            "work over real variables: pass the real and imaginary parts as separate real "
            "leaves, e.g. {'re': z.real, 'im': z.imag}, and rebuild z = re + 1j * im in the "
            "loss (casting would drop the imaginary part)")
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(
            f"{name} must hold real floating arrays, got a leaf of dtype {dtype}; cast it "
            "first, e.g. params = tree_map(lambda p: np.asarray(p, float), params)")
    return dtype


def optional_module(name: str, extra: str, purpose: str) -> Any:
    """Import an optional dependency on first use, or say which extra installs it.

    Args:
        name: the module, e.g. ``"pandas"`` or ``"tqdm.auto"``.
        extra: the steepest extra that brings it (``pip install steepest[extra]``), or the
            package's own name when no extra does.
        purpose: what needs it, for the message (``"Trace.to_frame()"``).

    Returns:
        The module.

    Raises:
        ImportError: the module is not installed; the message names the ``pip`` command.

    Example:
        >>> optional_module("json", "json", "reading results").__name__
        'json'
        >>> optional_module("no_such_module_xyz", "plot", "steepest.plot")
        Traceback (most recent call last):
        ...
        ImportError: steepest.plot needs no_such_module_xyz, ... `pip install steepest[plot]`
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        package = name.split(".")[0]
        hint = f"steepest[{extra}]" if extra != package else package
        raise ImportError(f"{purpose} needs {package}, which is not installed; install it "
                          f"with `pip install {hint}`") from exc
