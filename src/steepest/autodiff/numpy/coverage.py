"""Which NumPy names :mod:`steepest.numpy` differentiates, passes through, or refuses, and why.

Every public name of ``numpy``, ``numpy.linalg`` and ``numpy.fft`` falls in exactly one class,
decided mechanically (no list of every name):

- **ruled**: a traced implementation with derivative rules is in the dispatch table
  (:data:`steepest._dispatch.TRACED`); every steepest primitive has a VJP and a JVP rule, so
  ruled names work in both modes;
- **passed through**: modules, types, constants, or a function in one of the short
  :data:`PASS_THROUGH` categories (constructors, index tricks, predicates, integer-valued,
  I/O and configuration ...) or registered as non-differentiable in the table: NumPy's own
  object, whose result on traced values carries no derivative (``np.argmax(x)`` works);
- **unsupported**: listed in :data:`UNSUPPORTED` with a reason and the nearest supported
  alternative; a traced call raises :class:`~steepest.autodiff.errors.MissingRuleError`
  naming both.

A name in none of the classes is a bug the test suite reports. ``python
tools/numpy_coverage.py docs/numpy_coverage.md`` writes the table and prints the counts.

Example:
    >>> import numpy as np
    >>> table = coverage()
    >>> [table[n].status for n in ("sin", "argmax", "eye", "unique")]
    ['ruled', 'passed through', 'passed through', 'unsupported']
"""

from __future__ import annotations

import inspect
from typing import Any, NamedTuple

import numpy as np

from ..._dispatch import TRACED
from ..arraylike import Composite, NonDifferentiable
from ..errors import MissingRuleError
from . import elementwise, nondifferentiable, reductions, shape
from . import linalg as _linalg

__all__ = ["Entry", "PASS_THROUGH", "UNSUPPORTED", "UNBATCHED", "NEAREST", "classify", "coverage",
           "markdown", "numpy_public"]

PASS_THROUGH: dict[str, tuple[str, ...]] = {
    "constructor (no array input)": (
        "arange", "linspace", "logspace", "geomspace", "eye", "identity", "zeros", "ones",
        "empty", "full", "tri", "indices", "fromfunction", "fromiter", "frombuffer",
        "fromfile", "fromregex", "fromstring", "from_dlpack", "bartlett", "blackman",
        "hamming", "hanning", "kaiser", "diag_indices", "tril_indices", "triu_indices",
        "mask_indices", "meshgrid", "asmatrix", "bmat"),
    "index trick": ("ix_", "diag_indices_from", "tril_indices_from", "triu_indices_from",
                    "nested_iters"),
    "predicate (boolean result)": (
        "iscomplex", "isreal", "isneginf", "isposinf", "isin", "array_equiv", "isfortran",
        "isscalar", "isdtype", "issubdtype", "iterable", "is_busday"),
    "integer-valued or piecewise constant": (
        "fix", "bincount", "bitwise_count", "bitwise_left_shift", "bitwise_right_shift",
        "bitwise_xor", "left_shift", "right_shift", "gcd", "lcm", "packbits", "unpackbits",
        "histogram_bin_edges", "histogram2d", "histogramdd", "broadcast_shapes",
        "busday_count", "busday_offset"),
    "dtype helper": ("common_type", "mintypecode", "promote_types", "typename",
                     "datetime_data", "datetime_as_string"),
    "text, I/O and configuration": (
        "base_repr", "binary_repr", "format_float_positional", "format_float_scientific",
        "get_include", "get_printoptions", "set_printoptions", "printoptions", "getbufsize",
        "setbufsize", "geterr", "seterr", "geterrcall", "seterrcall", "info", "show_config",
        "show_runtime", "test", "load", "loadtxt", "genfromtxt", "save", "savetxt", "savez",
        "savez_compressed", "frompyfunc", "einsum_path", "require", "asarray_chkfinite",
        "ascontiguousarray", "asfortranarray", "asanyarray"),
    "in-place writer (plain arrays only)": ("copyto", "fill_diagonal", "place", "put",
                                            "put_along_axis", "putmask"),
}

_LINEAR = "a composition of ruled functions (np.concatenate, x[...], np.where, np.dot)"
UNSUPPORTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "complex-valued: no rule yet": (
        "the real and imaginary parts as two real arrays",
        ("real_if_close", "roots")),
    "no rule yet (a linear map or a selection)": (_LINEAR, (
        "insert", "block", "row_stack", "resize", "trim_zeros", "apply_over_axes")),
    "a set operation: the result's size depends on the values (no fixed-shape derivative)": (
        "x[np.unique(stop_gradient(x), return_index=True)[1]] (a selection by constant indices)",
        ("unique", "unique_all", "unique_counts", "unique_inverse", "unique_values",
         "intersect1d", "union1d", "setdiff1d", "setxor1d")),
    "no rule yet (a solver or root finder)": (
        "steepest.least_squares or np.linalg.lstsq for fits, np.linalg.eigh for roots", (
            "polyfit", "polydiv", "poly")),
}
_FFT_CONSTRUCTORS = ("fft.fftfreq", "fft.rfftfreq")
_PIECEWISE_CONSTANT = frozenset(nondifferentiable.__all__)
_OWN = frozenset(n for n in [*elementwise.__all__, *reductions.__all__, *shape.__all__,
                             *(f"linalg.{n}" for n in _linalg.__all__)]
                 if n not in _PIECEWISE_CONSTANT)

# the nearest supported alternative, where one is better than the reason's general advice
NEAREST: dict[str, str] = {
    "insert": "np.concatenate of the slices and the new values",
    "block": "np.concatenate / np.stack of the blocks", "resize": "np.tile, then x[...]",
    "trim_zeros": "x[i:j] with i, j from np.flatnonzero(stop_gradient(x))",
    "apply_over_axes": "the reduction applied axis by axis with keepdims=True",
    "polyfit": "np.linalg.lstsq(np.vander(x, deg + 1), y)",
    "row_stack": "np.vstack",
}


class Entry(NamedTuple):
    """One row of the coverage table."""

    name: str
    status: str  # "ruled", "passed through" or "unsupported"
    reverse: bool
    forward: bool
    note: str
    batched: bool = False  # vmap runs it batched (no per-example loop)


#: ruled names that ``vmap`` runs by a per-example loop, with the primitive(s) that loop;
#: filled by :mod:`steepest.autodiff.batching.coverage` (which holds the batching rules)
UNBATCHED: dict[str, str] = {}


def _category_of(name: str) -> str | None:
    bare = name.rpartition(".")[2]
    for category, names in PASS_THROUGH.items():
        if bare in names:
            return category
    return "constructor (no array input)" if name in _FFT_CONSTRUCTORS else None


def _unsupported_reason(name: str) -> tuple[str, str] | None:
    """(reason, nearest supported alternative) of an unsupported name."""
    for reason, (alternative, names) in UNSUPPORTED.items():
        if name in names:
            return reason, NEAREST.get(name, alternative)
    return None


def classify(name: str, obj: Any) -> Entry | None:
    """The class of the NumPy name ``name`` (``"linalg.svd"`` for submodules) bound to ``obj``.

    Args:
        name: the public name, prefixed by its submodule (``"fft."``, ``"linalg."``).
        obj: the NumPy object.

    Returns:
        Its :class:`Entry`, or ``None`` when it is in no class (the test suite fails on it).

    Example:
        >>> import numpy as np
        >>> classify("sum", np.sum).status, classify("pi", np.pi).note
        ('ruled', 'constant')
    """
    impl = TRACED.get(obj) if _hashable(obj) else None
    reason = _unsupported_reason(name)
    if reason is not None:  # listed: refused on traced values (by Unsupported or its own impl)
        return Entry(name, "unsupported", False, False, f"{reason[0]}; use {reason[1]}")
    if name in _OWN or (impl is not None and not isinstance(impl, (NonDifferentiable,
                                                                   Unsupported))):
        loops = UNBATCHED.get(name)
        note = f"vmap loops over examples ({loops})" if loops else ""
        return Entry(name, "ruled", True, True, note, batched=loops is None)
    if inspect.ismodule(obj) or isinstance(obj, type) or not callable(obj):
        kind = "module" if inspect.ismodule(obj) else "type" if isinstance(obj, type) else None
        return Entry(name, "passed through", False, False, kind or _constant_kind(name, obj))
    if isinstance(impl, NonDifferentiable):
        return Entry(name, "passed through", False, False, "no derivative (works on traced)")
    category = _category_of(name)
    if category is not None:
        return Entry(name, "passed through", False, False, category)
    return None


def _hashable(obj: Any) -> bool:
    try:
        hash(obj)
    except TypeError:
        return False
    return True


def _constant_kind(name: str, obj: Any) -> str:
    return "index trick" if name in ("r_", "c_", "s_", "mgrid", "ogrid", "index_exp") \
        else "constant"


def _public(module: Any) -> list[str]:
    return numpy_public(module)


def numpy_public(module: Any) -> list[str]:
    """The public names NumPy itself binds in ``module`` (sorted).

    A name counts unless it is an undeclared alias: a name missing from the module's
    ``__all__`` whose object is already bound under a declared name. That is how a
    third-party package shows up when it adds a name to NumPy's namespace (numexpr sets
    ``numpy.expm1x = numpy.expm1`` on import); a new NumPy function is declared in
    ``__all__`` and still has to be classified.

    Args:
        module: ``numpy`` or one of its submodules.

    Returns:
        The names, without leading underscores.

    Example:
        >>> import numpy as np
        >>> "sin" in numpy_public(np), "linalg" in numpy_public(np)
        (True, True)
    """
    declared = set(getattr(module, "__all__", ()))
    objects = {id(getattr(module, n, None)) for n in declared}
    return sorted(n for n in dir(module) if not n.startswith("_")
                  and (n in declared or id(getattr(module, n)) not in objects))


_MODULES = (("", np), ("linalg.", np.linalg), ("fft.", np.fft))


def coverage() -> dict[str, Entry | None]:
    """Classify every public name of ``numpy``, ``numpy.linalg`` and ``numpy.fft``.

    Returns:
        ``{name: Entry}`` (``None`` for a name in no class), NumPy's names first.

    Example:
        >>> all(e is not None for e in coverage().values())
        True
    """
    return {p + n: classify(p + n, getattr(m, n)) for p, m in _MODULES for n in _public(m)}


def markdown(entries: list[Entry]) -> str:
    """The coverage table as Markdown, counts first.

    Args:
        entries: rows from :func:`coverage`.

    Returns:
        The document text.

    Example:
        >>> markdown([Entry("sin", "ruled", True, True, "", True)]).splitlines()[-1]
        '| `sin` | ruled | ✓ | ✓ | ✓ |  |'
    """
    counts = {s: sum(e.status == s for e in entries) for s in
              ("ruled", "passed through", "unsupported")}
    batched = sum(e.batched for e in entries)
    lines = [f"# NumPy coverage of steepest.numpy (NumPy {np.__version__})", "",
             "Generated by `python tools/numpy_coverage.py docs/numpy_coverage.md`.",
             "", ", ".join(f"{s}: {c}" for s, c in counts.items()) + f"; total {len(entries)}; "
             f"batched by vmap: {batched} of the {counts['ruled']} ruled",
             "batched: `steepest.vmap` runs it with batching rules (✗ on a ruled function: "
             "by a per-example loop).", "",
             "| function | class | reverse | forward | batched | note |",
             "|---|---|---|---|---|---|"]
    tick = {True: "✓", False: "✗"}
    lines += [f"| `{e.name}` | {e.status} | {tick[bool(e.reverse)]} | {tick[bool(e.forward)]} "
              f"| {tick[bool(e.batched)]} | {e.note} |" for e in entries]
    return "\n".join(lines)


class Unsupported:
    """The traced implementation of an unsupported NumPy function: a clear error.

    Example:
        >>> import numpy as np
        >>> try:
        ...     Unsupported("median", "use np.sort")(np.ones(2))
        ... except MissingRuleError as e:
        ...     print(str(e)[:54])
        np.median is not differentiable in steepest.numpy (use
    """

    __slots__ = ("name", "why")

    def __init__(self, name: str, why: str) -> None:
        self.name, self.why = name, why

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        where = "steepest" if self.name.startswith("scipy.") else "steepest.numpy"
        name = self.name if self.name.startswith("scipy.") else f"np.{self.name}"
        raise MissingRuleError(
            f"{name} is not differentiable in {where} ({self.why}); make it a "
            "primitive with steepest.autodiff.primitive/defvjp/defjvp, or wrap its input in "
            "stop_gradient(...) if no derivative is wanted.")


def _register() -> None:
    """Put the pass-through predicates and the unsupported functions in the dispatch table."""
    for name in PASS_THROUGH["predicate (boolean result)"] + ("fix", "isfortran"):
        TRACED.setdefault(getattr(np, name), NonDifferentiable(getattr(np, name)))
    for names in (names for _, names in UNSUPPORTED.values()):
        for name in names:
            obj = _resolve(name)
            if obj is not None:  # a ufunc's implementation is called, never recorded
                reason, alternative = _unsupported_reason(name)  # type: ignore[misc]
                error = Unsupported(name, f"{reason}; use {alternative}")
                TRACED.setdefault(obj, Composite(error) if isinstance(obj, np.ufunc) else error)


def _resolve(name: str) -> Any:
    module, _, attr = name.rpartition(".")
    return getattr({"": np, "linalg": np.linalg, "fft": np.fft}[module], attr, None)


_register()


def main(argv: list[str]) -> int:
    """Write the table to ``argv[0]`` (if given) and print the counts.

    Args:
        argv: ``[path]`` or ``[]`` (print only).

    Returns:
        The exit status: 1 when a NumPy name is unclassified, else 0.
    """
    rows = coverage()
    missing = [n for n, r in rows.items() if r is None]
    text = markdown([r for r in rows.values() if r is not None])
    if argv:
        with open(argv[0], "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    print(text.splitlines()[4])
    if missing:
        print("unclassified:", " ".join(missing))
    return 1 if missing else 0
