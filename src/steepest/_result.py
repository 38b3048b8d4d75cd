"""Why a solver stopped (:class:`Status`) and what it hands back (:class:`OptimizeResult`).

One vocabulary for every solver of steepest — ``minimize``, the constrained solvers, ``lstsq``,
the scalar searches, linear CG, hill climbing and ``train.fit`` — in the manner of
optimistix's ``RESULTS``: each :class:`Status` member carries its human message
(``Status.MAX_ITER.message``). Members are also integers (an :class:`~enum.IntEnum`) with
scipy's codes where scipy has one, so ``res.status == 0`` is the scipy test for success and
``res.status is Status.SUCCESS`` the steepest one.

Every solver result is an :class:`OptimizeResult`, a subclass of
:class:`scipy.optimize.OptimizeResult` (a ``dict`` whose keys are attributes): ``res.x``,
``res.success``, ``res.message`` and ``res.status`` (a :class:`Status` member) mean the same
everywhere, ``'x' in res`` works, and each solver adds its own fields.

Results read well: ``repr(res)`` is a short :class:`Summary` (method, status, message, f,
‖g‖∞, the counts, x, the certificate's kind, further tables such as a KKT residual table)
rather than a wall of arrays, and Jupyter shows it as an HTML table (``_repr_html_``). The text
and HTML of every result, here and in ``train.fit``, come from :func:`render_text` and
:func:`render_html`; per-iteration records become a pandas ``DataFrame`` through
:func:`columns_frame` (pandas is imported only then). ``dict(res)`` still holds every field.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np
from scipy.optimize import OptimizeResult as _ScipyOptimizeResult

from ._validate import optional_module

__all__ = ["Status", "OptimizeResult", "Summary", "Table", "render_text", "render_html",
           "short", "columns_frame"]


class Status(IntEnum):
    """Why a solver stopped: an integer code (scipy's where scipy has one) and a message.

    ``SUCCESS`` (code 0) is the only member with ``success`` true: the solver's stopping
    criterion was met (gradient norm, KKT residuals, residual norm, a local optimum, all
    epochs of a training run, an exact direct solve). The limits are ``MAX_ITER``,
    ``MAX_FEV`` and ``MAX_TIME``; ``NON_FINITE`` means NaN/inf was met (the best finite point
    is returned); ``STALLED`` that progress stopped before the tolerance; and
    ``STOPPED_BY_CALLBACK`` (99, scipy's code) that the user's callback asked to stop;
    ``EVALUATION_FAILED`` that computing f itself failed (a distributed evaluation whose data
    was lost). The other members are the outcomes particular solvers need.

    Attributes:
        message: what the member means, in words (a solver's ``res.message`` may be more
            specific: it names the criterion that fired).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1 (stopping criteria of
        descent methods); the integer codes of ``scipy.optimize.OptimizeResult.status``;
        optimistix ``_solution.py`` (``RESULTS``: one status enumeration for every solver).

    Example:
        >>> Status.SUCCESS == 0, Status.MAX_ITER.message
        (True, 'the iteration limit was reached')
        >>> Status(99).name, Status.STOPPED_BY_CALLBACK.success
        ('STOPPED_BY_CALLBACK', False)
    """

    message: str

    def __new__(cls, code: int, message: str) -> Status:
        member = int.__new__(cls, code)
        member._value_ = code
        member.message = message
        return member

    SUCCESS = 0, "the stopping criterion was met"
    MAX_ITER = 1, "the iteration limit was reached"
    MAX_FEV = 2, "the evaluation limit was reached"
    MAX_TIME = 3, "the wall-clock limit was reached"
    LINE_SEARCH_FAILED = 4, "the line search found no acceptable step"
    NON_FINITE = 5, "a non-finite value (NaN or inf) was met; the last finite point is returned"
    STALLED = 6, "no progress: the steps became negligible before the tolerance was met"
    INFEASIBLE = 7, "the constraints could not be satisfied"
    NONPOSITIVE_CURVATURE = 8, "a direction of non-positive curvature was met"
    NOT_A_MINIMUM = 9, "converged to a stationary point that is not a minimum"
    CYCLE = 10, "the iterates cycle: an earlier iterate was revisited"
    DIVERGED = 11, "the iteration diverged"
    EARLY_STOPPED = 12, "the monitored quantity stopped improving (early stopping)"
    NOT_DESCENT = 13, "the direction is not a descent direction (its slope is >= 0)"
    STOPPED_BY_CALLBACK = 99, "a callback asked to stop"
    EVALUATION_FAILED = 14, ("an evaluation of the objective failed (e.g. a cluster lost data "
                             "it could not recompute); the best point so far is returned")

    @property
    def success(self) -> bool:
        """True only for :attr:`SUCCESS`."""
        return self is Status.SUCCESS


class OptimizeResult(_ScipyOptimizeResult):
    """A solver's result: a :class:`scipy.optimize.OptimizeResult` with steepest's status.

    A ``dict`` whose keys are also attributes. Every steepest result has ``x``, ``status``
    (a :class:`Status` member, which is also its int code: ``res.status == 0`` on success),
    ``success`` and ``message``; subclasses document their own further fields. When ``success``
    or ``message`` are not given they are taken from ``status``.

    Args:
        **fields: the result's fields (``x``, ``status``, ...).

    Reference:
        The ``scipy.optimize.OptimizeResult`` fields (``x``, ``success``, ``status``,
        ``message``, ``fun``, ``jac``, ``nit``, ``nfev``, ...).

    Example:
        >>> import numpy as np
        >>> r = OptimizeResult(x=np.zeros(2), fun=0.0, status=Status.SUCCESS)
        >>> r.success, r.message, r.fun == r["fun"], "x" in r, r.status == 0
        (True, 'the stopping criterion was met', True, True, True)
    """

    def __init__(self, *args: Any, **fields: Any) -> None:
        super().__init__(*args, **fields)
        status = self.get("status")
        if isinstance(status, Status):
            self.setdefault("success", status.success)
            self.setdefault("message", status.message)

    #: Fields the summary shows on their own rows; the others are listed under "also".
    _summary_fields: tuple[str, ...] = (
        "message", "success", "status", "method", "fun", "jac", "nit", "nfev", "njev", "nhev",
        "x", "certificate", "trace")

    def summary(self) -> Summary:
        """The result in a few lines: method, status, message, f, ‖g‖∞, the counts, x, the
        certificate's kind, the trace, then the names of the remaining fields.

        Returns:
            A :class:`Summary` (``repr(res)`` is its text, ``res._repr_html_()`` its HTML).

        Example:
            >>> r = OptimizeResult(x=np.zeros(2), fun=0.25, jac=np.array([1e-9, -2e-9]),
            ...                    nit=4, nfev=6, status=Status.SUCCESS, method="bfgs")
            >>> print(r)
            OptimizeResult (bfgs): SUCCESS
              message  the stopping criterion was met
              fun      0.25
              |g|max   2e-09
              counts   nit 4, nfev 6
              x        [0. 0.]
        """
        return Summary(self._title(), [*self._head_rows(), *self._field_rows(),
                                       *self._other_rows()], tuple(self._tables()))

    def __repr__(self) -> str:
        return render_text(self.summary())

    __str__ = __repr__

    def _repr_html_(self) -> str:
        return render_html(self.summary())

    def _title(self) -> str:
        status = self.get("status")
        name = getattr(status, "name", None) or ("SUCCESS" if self.get("success") else
                                                 f"status {status}")
        method = f" ({self['method']})" if self.get("method") else ""
        return f"{type(self).__name__}{method}: {name}"

    def _head_rows(self) -> list[tuple[str, str]]:
        rows = [("message", str(self.get("message", "")))]
        if "fun" in self:
            rows.append(("fun", short(self["fun"])))
        gnorm = _max_norm(self.get("jac"))
        if gnorm is not None:
            rows.append(("|g|max", f"{gnorm:.3g}"))
        counts = [f"{k} {self[k]}" for k in ("nit", "nfev", "njev", "nhev") if k in self]
        if counts:
            rows.append(("counts", ", ".join(counts)))
        if "x" in self:
            rows.append(("x", short(self["x"])))
        cert = self.get("certificate")
        if cert is not None:
            rows.append(("certificate", _certificate_text(cert)))
        if "trace" in self:
            rows.append(("trace", short(self["trace"])))
        return rows

    def _field_rows(self) -> list[tuple[str, str]]:
        """Rows a subclass adds for its own fields (listed in its ``_summary_fields``)."""
        return []

    def _tables(self) -> list[Table]:
        """Tables a subclass adds after the rows (e.g. the KKT residuals)."""
        return []

    def _other_rows(self) -> list[tuple[str, str]]:
        others = [k for k in self if k not in self._summary_fields]
        if not others:
            return []
        lines: list[str] = []
        for label in (_field_label(k, self[k]) for k in others):
            if lines and len(lines[-1]) + len(label) + 2 <= 76:
                lines[-1] += ", " + label
            else:
                lines.append(label)
        return [("also" if i == 0 else "", line) for i, line in enumerate(lines)]

    @property
    def values(self) -> Any:
        """The ``values`` field where a result has one (scalar searches, hill climbing: the
        objective along the iterates), else the bound :meth:`dict.values`."""
        if "values" in self:
            return self["values"]
        return dict.values.__get__(self)


@dataclass(frozen=True)
class Table:
    """A small table inside a summary: a title, the column names and the rows (strings)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Summary:
    """A result in a few lines: a title, ``(label, text)`` rows and further tables.

    Attributes:
        title: the headline, e.g. ``"OptimizeResult (bfgs): SUCCESS"``.
        rows: labelled one-line values.
        tables: :class:`Table` s shown after the rows.
    """

    title: str
    rows: Sequence[tuple[str, str]] = ()
    tables: Sequence[Table] = field(default_factory=tuple)


def short(value: Any, width: int = 72) -> str:
    """A one-line text of ``value``: numbers to 6 digits, arrays abbreviated, long text cut.

    Args:
        value: a number, array, sequence, mapping or any object.
        width: the longest text returned (an ellipsis marks a cut).

    Returns:
        The text.

    Example:
        >>> short(1 / 3), short(np.arange(10.0)), short([1.0, 2.0])
        ('0.333333', '[0. 1. 2. ... 7. 8. 9.] (10,)', '[1.0, 2.0]')
    """
    if isinstance(value, bool | np.bool_) or value is None:
        text = str(value)
    elif isinstance(value, int | np.integer):
        text = str(int(value))
    elif isinstance(value, float | np.floating):
        text = f"{float(value):.6g}"
    elif isinstance(value, np.ndarray):
        body = np.array2string(value, precision=4, threshold=8, edgeitems=3,
                               max_line_width=10_000).replace("\n", "")
        text = body if value.ndim <= 1 and value.size <= 8 else f"{body} {value.shape}"
    else:
        text = " ".join(repr(value).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def render_text(summary: Summary) -> str:
    """The plain-text form: the title, then the rows with aligned labels, then each table.

    Args:
        summary: what to show.

    Returns:
        Lines joined by newlines (no trailing newline).

    Example:
        >>> t = Table("KKT", ("condition", "residual"), (("stationarity", "1e-12"),))
        >>> print(render_text(Summary("R (sqp): SUCCESS", [("fun", "0.5"), ("nit", "3")], (t,))))
        R (sqp): SUCCESS
          fun  0.5
          nit  3
          KKT:
            condition     residual
            stationarity     1e-12
    """
    lines = [summary.title]
    pad = max((len(label) for label, _ in summary.rows), default=0)
    lines += [f"  {label:<{pad}}  {text}" for label, text in summary.rows]
    for table in summary.tables:
        widths = [max(len(r[i]) for r in (table.header, *table.rows))
                  for i in range(len(table.header))]
        lines.append(f"  {table.title}:")
        for row in (table.header, *table.rows):
            cells = [c.ljust(w) if i == 0 else c.rjust(w)
                     for i, (c, w) in enumerate(zip(row, widths))]
            lines.append("    " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def render_html(summary: Summary) -> str:
    """The HTML form Jupyter shows (``_repr_html_``): a table of the rows, then the tables.

    Args:
        summary: what to show.

    Returns:
        An HTML fragment (every text escaped).

    Example:
        >>> render_html(Summary("R", [("x", "<1>")])).count("&lt;1&gt;")
        1
    """
    e = html.escape
    out = [f"<div><strong>{e(summary.title)}</strong>"]
    if summary.rows:
        out.append("<table>")
        out += [f"<tr><th style='text-align:left'>{e(k)}</th><td style='text-align:left'>"
                f"<code>{e(v)}</code></td></tr>" for k, v in summary.rows]
        out.append("</table>")
    for table in summary.tables:
        out.append(f"<p>{e(table.title)}</p><table><tr>"
                   + "".join(f"<th>{e(h)}</th>" for h in table.header) + "</tr>")
        out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                for row in table.rows]
        out.append("</table>")
    out.append("</div>")
    return "\n".join(out)


def columns_frame(columns: Mapping[str, Sequence[Any]], index_name: str, purpose: str) -> Any:
    """A pandas ``DataFrame`` of equal-length columns (pandas imported only here).

    Args:
        columns: column name -> values.
        index_name: the name of the row index (``"iteration"``, ``"epoch"``).
        purpose: what asked for it (named in the error when pandas is missing).

    Returns:
        A ``pandas.DataFrame``.

    Raises:
        ImportError: pandas is not installed (``pip install pandas``).

    Example:
        >>> frame = columns_frame({"f": [2.0, 1.0]}, "iteration", "an example")
        >>> frame.index.name, frame["f"].tolist()
        ('iteration', [2.0, 1.0])
    """
    pandas = optional_module("pandas", "pandas", purpose)
    frame = pandas.DataFrame(dict(columns))
    frame.index.name = index_name
    return frame


def _max_norm(value: Any) -> float | None:
    """``max |vᵢ|`` of a numeric array (None for anything else, e.g. a pytree)."""
    if value is None:
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return float(np.max(np.abs(arr))) if arr.size else 0.0


def _certificate_text(cert: Any) -> str:
    """``kind (|g| ..., eig in [lo, hi], source)`` of a certificate-like object."""
    kind = getattr(cert, "kind", None)
    if kind is None:
        return short(cert)
    details = []
    if getattr(cert, "gradient_norm", None) is not None:
        details.append(f"|g| {cert.gradient_norm:.3g}")
    eig = getattr(cert, "hessian_eigenvalues", None)
    if eig is not None and np.size(eig):
        details.append(f"Hessian eigenvalues in [{np.min(eig):.3g}, {np.max(eig):.3g}]")
    if getattr(cert, "hessian_source", ""):
        details.append(f"from {cert.hessian_source}")
    return f"{kind} ({', '.join(details)})" if details else str(kind)


def _field_label(name: str, value: Any) -> str:
    """``name`` with a number's value, an array's shape or a list's length."""
    if isinstance(value, bool | int | float | np.number) and not isinstance(value, IntEnum):
        return f"{name} {short(value)}"
    if isinstance(value, str) and len(value) <= 24:
        return f"{name} {value}"
    if isinstance(value, np.ndarray):
        return f"{name} {value.shape}"
    if isinstance(value, list | tuple):
        return f"{name} [{len(value)}]"
    return name
