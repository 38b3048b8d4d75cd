"""What every verb of the command line shares: loading ``FILE.py:FUNC``, reading ``--x0`` and
``--options``, JSON output, and :class:`CliError` (a one-line message, exit status 2).
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CliError", "load_function", "parse_x0", "parse_options", "to_json", "print_json",
           "evaluate_at", "add_common", "run_failure", "run_output"]


class CliError(Exception):
    """Bad input to the command line: ``main`` prints ``steepest: <message>`` and exits 2."""


def add_common(parser: Any) -> None:
    """The flags every verb takes: ``--json`` and ``--debug``."""
    parser.add_argument("--json", action="store_true",
                        help="print one JSON document instead of text (machine-readable)")
    parser.add_argument("--debug", action="store_true",
                        help="on an error, show the full traceback")


def load_function(spec: str) -> tuple[Callable[..., Any], str]:
    """The function ``FUNC`` defined in ``FILE.py``, from ``"FILE.py:FUNC"``.

    Args:
        spec: ``path/to/file.py:name``.

    Returns:
        ``(function, name)``.

    Raises:
        CliError: no ``:``, a missing file, a file that fails to import, no such function, or
            a name that is not callable; the message names the fix.
    """
    path_text, sep, name = spec.rpartition(":")
    if not sep or not path_text or not name:
        raise CliError(f"expected FILE.py:FUNC, got {spec!r}; e.g. steepest minimize "
                       "my_problem.py:loss --x0 \"1,2\"")
    path = Path(path_text)
    if not path.is_file():
        raise CliError(f"no such file: {path_text!r}; pass the path of a Python file that "
                       f"defines {name}")
    module = _import_file(path)
    if not hasattr(module, name):
        defined = sorted(k for k, v in vars(module).items()
                         if callable(v) and not k.startswith("_")
                         and getattr(v, "__module__", None) == module.__name__)
        listed = ", ".join(defined) or "none"
        raise CliError(f"{path_text} has no function {name!r}; functions defined there: "
                       f"{listed}")
    fun = getattr(module, name)
    if not callable(fun):
        raise CliError(f"{path_text}:{name} is not a function (it is of type "
                       f"{type(fun).__name__}); name a function f(x) -> float")
    fun.__steepest_cli_file__ = str(path.resolve()) if _settable(fun) else None
    return fun, name


def _settable(fun: Any) -> bool:
    return hasattr(fun, "__dict__")


def _import_file(path: Path) -> Any:
    """Import ``path`` as a module (its folder first on ``sys.path``, for its own imports)."""
    module_name = f"steepest_cli_user_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise CliError(f"cannot import {str(path)!r}: not a Python file; pass a .py file")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.resolve().parent))
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise CliError(f"importing {path} raised {type(exc).__name__}: {exc}; fix the file "
                       "(--debug shows the traceback)") from exc
    return module


def parse_x0(text: str, n: int | None = None) -> np.ndarray:
    """``--x0``: numbers separated by commas and/or spaces, optionally in brackets.

    Args:
        text: e.g. ``"1,2"``, ``"1 2"`` or ``"[-1.2, 1]"``.
        n: the length required, when known.

    Returns:
        A float vector.

    Raises:
        CliError: not numbers, empty, non-finite, or of the wrong length.

    Example:
        >>> parse_x0("[-1.2, 1]").tolist(), parse_x0("3 4").tolist()
        ([-1.2, 1.0], [3.0, 4.0])
    """
    parts = text.strip().strip("[]()").replace(",", " ").split()
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise CliError(f"--x0 {text!r} is not a list of numbers; pass e.g. --x0 \"1,2\""
                       ) from None
    if not values:
        raise CliError("--x0 is empty; pass the starting point, e.g. --x0 \"1,2\"")
    if not all(math.isfinite(v) for v in values):
        raise CliError(f"--x0 {text!r} has a nan or inf entry; pass finite numbers")
    if n is not None and len(values) != n:
        raise CliError(f"--x0 has {len(values)} numbers, the problem has n = {n}; pass {n} "
                       "numbers")
    return np.array(values)


def parse_options(items: Sequence[str]) -> dict[str, Any]:
    """``--options key=value ...``: values read as JSON, then as Python literals, else text.

    Example:
        >>> parse_options(["gtol=1e-8", "maxiter=50", "line_search=wolfe", "store_x=true"])
        {'gtol': 1e-08, 'maxiter': 50, 'line_search': 'wolfe', 'store_x': True}
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise CliError(f"--options expects key=value, got {item!r}; e.g. --options "
                           "gtol=1e-8 maxiter=100")
        out[key.strip()] = _value(raw.strip())
    return out


def _value(raw: str) -> Any:
    for parse in (json.loads, ast.literal_eval):
        try:
            return parse(raw)
        except (ValueError, SyntaxError):
            continue
    return raw


def evaluate_at(fun: Callable[..., Any], name: str, x0: np.ndarray) -> float:
    """``fun(x0)`` as a float, or a :class:`CliError` saying what went wrong and the fix."""
    try:
        value = fun(x0)
    except (IndexError, ValueError) as exc:
        raise CliError(f"{name}(x0) raised {type(exc).__name__}: {exc} — does --x0 have the "
                       f"length {name} expects? (got {x0.size} numbers)") from exc
    except Exception as exc:
        raise CliError(f"{name}(x0) raised {type(exc).__name__}: {exc}; fix the function or "
                       "start elsewhere (--debug shows the traceback)") from exc
    try:
        return float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        raise CliError(f"{name}(x0) returned {type(value).__name__} "
                       f"{np.shape(value)}; it must return one number") from None


def run_failure(exc: BaseException, fun: Any, name: str, verb: str) -> CliError:
    """A one-line :class:`CliError` for an exception raised during a run: it blames the user's
    function when a frame of its file is in the traceback, else repeats steepest's message."""
    where = getattr(fun, "__steepest_cli_file__", None)
    tb = exc.__traceback__
    while tb is not None:
        if where is not None and tb.tb_frame.f_code.co_filename == where:
            return CliError(f"{name} raised {type(exc).__name__} during {verb}: {exc}; fix the "
                            "function or start elsewhere (--debug shows the traceback)")
        tb = tb.tb_next
    return CliError(f"{type(exc).__name__}: {exc}")


def run_output(as_json: bool) -> contextlib.AbstractContextManager:
    """Where a run's own printing (``disp`` lines, progress bars) goes: stdout, or stderr when
    stdout must hold nothing but the JSON document."""
    return contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext()


def to_json(value: Any) -> Any:
    """``value`` with arrays as lists, NumPy scalars as Python numbers and nan/inf as None
    (strict JSON), recursively."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_json(value.tolist())
    if isinstance(value, np.generic):
        return to_json(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def print_json(value: Any) -> None:
    """Print ``value`` as one strict JSON document."""
    print(json.dumps(to_json(value), indent=2, allow_nan=False))
