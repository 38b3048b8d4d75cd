"""Progress of long runs, in one place: ``minimize``'s per-iteration lines and bar, ``fit``'s bar.

Three reporters, one rule for when they speak (:func:`progress_mode`):

- :class:`IterationLog` — ``minimize(..., options={"disp": k})``: scipy-style lines (iteration,
  f, ‖g‖, step, evaluations) every ``k`` iterations and a closing summary;
- :class:`IterationBar` — ``minimize(..., options={"progress": True})``: a live bar with f and
  ‖g‖;
- :class:`ProgressBar` — :func:`steepest.train.fit`: ``epoch e/E [=====>   ] loss ...``.

The bars use ``tqdm.auto`` when tqdm is installed (extra ``progress``) and they write to the
default stream; with an explicit ``stream``, or without tqdm, they write steepest's plain line.
Off a terminal nothing is printed unless asked (``progress=True``): then the plain bars write
one line per epoch (``fit``) or per second (``minimize``) instead of redrawing one line.
tqdm is imported only when a bar is shown.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from ._validate import check_choice, optional_module

__all__ = ["progress_mode", "IterationLog", "IterationBar", "ProgressBar", "Reporters",
           "iteration_reporters"]

_CLEAR = "\x1b[K"  # erase to the end of the line (terminals only)
_MODES = (None, False, True, "plain", "tqdm")


def _checked_stream(stream: Any) -> TextIO:
    """``stream`` (``sys.stdout`` when None), or a TypeError when it cannot be written to."""
    if stream is None:
        return sys.stdout
    if not callable(getattr(stream, "write", None)):
        raise TypeError(f"stream must be a writable text stream (with .write), got "
                        f"{type(stream).__name__} {stream!r}; pass e.g. sys.stderr or "
                        "io.StringIO(), or None for sys.stdout")
    return stream


def _isatty(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


def progress_mode(progress: bool | str | None, stream: TextIO | None = None) -> str:
    """Which progress display to use: ``"off"``, ``"plain"`` or ``"tqdm"``.

    Args:
        progress: ``None``: a display only when the stream is a terminal; ``True``: always;
            ``False``: never; ``"plain"`` / ``"tqdm"``: always, that kind (``"tqdm"`` needs
            tqdm installed).
        stream: the stream the caller writes to (``None``: the default, ``sys.stdout``).

    Returns:
        ``"off"``, ``"plain"`` or ``"tqdm"``: ``"tqdm"`` when shown on the default stream and
        tqdm is installed (or when asked for by name), ``"plain"`` otherwise.

    Raises:
        ValueError: ``progress`` is not one of ``None, False, True, "plain", "tqdm"``.
        ImportError: ``progress="tqdm"`` without tqdm (``pip install steepest[progress]``).

    Example:
        >>> import io
        >>> progress_mode(None, io.StringIO()), progress_mode(True, io.StringIO())
        ('off', 'plain')
        >>> progress_mode(False), progress_mode("plain")
        ('off', 'plain')
    """
    if not isinstance(progress, bool | str | type(None)):
        raise TypeError(f"progress must be None, True, False, 'plain' or 'tqdm', got "
                        f"{type(progress).__name__}")
    check_choice(progress, "progress", _MODES)
    _checked_stream(stream)
    if progress is False:
        return "off"
    if progress == "tqdm":
        optional_module("tqdm", "progress", "progress='tqdm'")
        return "tqdm"
    if progress == "plain":
        return "plain"
    if progress is None and not _isatty(stream if stream is not None else sys.stdout):
        return "off"
    if stream is None and importlib.util.find_spec("tqdm") is not None:
        return "tqdm"
    return "plain"


def _tqdm(total: int | None, unit: str, stream: TextIO | None, initial: int = 0) -> Any:
    """A ``tqdm.auto.tqdm`` bar (tqdm imported here, on first use)."""
    tqdm = optional_module("tqdm.auto", "progress", "a progress bar").tqdm
    return tqdm(total=total, unit=unit, initial=initial, dynamic_ncols=True, leave=True,
                file=stream if stream is not None else sys.stdout)


class IterationLog:
    """scipy-style per-iteration lines of a ``minimize`` run (``options={"disp": k}``).

    Prints a header and row 0, then every ``every``-th iteration::

        iter        f(x)          |g|        step    nfev    njev

    and, at :meth:`close`, the last row (if not printed yet) and the result's message.

    Args:
        every: print every ``every`` iterations (``>= 1``).
        stream: where to write (``sys.stdout`` by default).
        labels: headers of the third and fourth columns (constrained solvers print the KKT
            residual and the step or the constraint violation there).

    Reference:
        The ``disp``/``iprint`` output of ``scipy.optimize`` (L-BFGS-B, trust-constr).

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> log = IterationLog(2, out)
        >>> for k, f in enumerate([4.0, 1.0, 0.25, 0.0625]):
        ...     log.row(k, f, 2 * f, 0.5, k + 1, k + 1)
        >>> log.close("done", 3)
        >>> print(out.getvalue())  # doctest: +NORMALIZE_WHITESPACE
           iter          f(x)         |g|        step    nfev    njev
              0   4.00000e+00   8.000e+00   5.000e-01       1       1
              2   2.50000e-01   5.000e-01   5.000e-01       3       3
              3   6.25000e-02   1.250e-01   5.000e-01       4       4
        done
        <BLANKLINE>
    """

    def __init__(self, every: int = 1, stream: TextIO | None = None,
                 labels: tuple[str, str] = ("|g|", "step")) -> None:
        self.every = int(every)
        self.stream = _checked_stream(stream)
        self.header = (f"{'iter':>7}  {'f(x)':>12}  {labels[0]:>10}  {labels[1]:>10}  "
                       f"{'nfev':>6}  {'njev':>6}")
        self._last: tuple | None = None
        self._printed = -1

    def row(self, nit: int, f: float, gnorm: float, step: float, nfev: int, njev: int) -> None:
        """Record iteration ``nit``; print it when it is the first or a multiple of
        ``every`` (the header goes before the first)."""
        if self._last is None:
            self.stream.write(self.header + "\n")
        self._last = (nit, f, gnorm, step, nfev, njev)
        if nit % self.every == 0 or self._printed < 0:
            self._write(self._last)

    def _write(self, row: tuple) -> None:
        nit, f, gnorm, step, nfev, njev = row
        self.stream.write(f"{nit:>7}  {f:>12.5e}  {gnorm:>10.3e}  {step:>10.3e}  {nfev:>6}  "
                          f"{njev:>6}\n")
        self._printed = nit

    def close(self, message: str, nit: int) -> None:
        """Print the last recorded row (when skipped) and ``message`` (``nit``, the result's
        count, may exceed the last row's when a final phase records no rows)."""
        if self._last is not None and self._printed != self._last[0]:
            self._write(self._last)
        self.stream.write(f"{message}\n")
        self.stream.flush()


class IterationBar:
    """A live bar of a ``minimize`` run (``options={"progress": True}``): iterations, f, ‖g‖.

    The tqdm bar counts iterations with their rate (no total: ``maxiter`` is a limit, not a
    forecast); the plain line shows ``iter k/maxiter  f ...  |g| ...  nfev ...`` and, at the
    end, the result's message.

    Args:
        maxiter: the iteration limit (the bar's total), or None.
        progress: as in :func:`progress_mode`.
        stream: where to write (default ``sys.stdout``).
        interval: seconds between plain refreshes: one line per ``interval`` off a terminal,
            at most 0.1 s between redraws on one.
        label: the name of the measure shown beside f (``|g|``; ``kkt`` for constrained
            solvers).
        extra: called at each shown row for more ``{name: text}`` fields (a distributed run
            adds its seconds per evaluation).

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> bar = IterationBar(10, True, out, interval=0.0)
        >>> bar.row(1, 0.5, 0.1, 1.0, 3, 3); bar.close("converged", 1)
        >>> out.getvalue().splitlines()[-1]
        'iter 1/10  f 0.5  |g| 0.1  nfev 3  converged'
    """

    def __init__(self, maxiter: int | None, progress: bool | str | None = None,
                 stream: TextIO | None = None, interval: float = 1.0,
                 label: str = "|g|", extra: Callable[[], dict[str, str]] | None = None) -> None:
        mode = progress_mode(progress, stream)
        self.enabled = mode != "off"
        self.stream = _checked_stream(stream)
        self.live = mode == "plain" and _isatty(self.stream)
        self.total, self.interval = maxiter, (min(interval, 0.1) if self.live else interval)
        self._bar = _tqdm(None, "it", stream) if mode == "tqdm" else None
        self._last, self._line, self.label = 0.0, "", label
        self.extra = extra

    def row(self, nit: int, f: float, gnorm: float, step: float, nfev: int, njev: int) -> None:
        """Show iteration ``nit`` (throttled)."""
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(nit - self._bar.n)
            self._bar.set_postfix({"f": f"{f:.6g}", self.label.strip("|"): f"{gnorm:.3g}",
                                   "nfev": nfev, **self._extra()}, refresh=False)
            return
        of = f"/{self.total}" if self.total else ""
        more = "".join(f"  {k} {v}" for k, v in self._extra().items())
        self._line = f"iter {nit}{of}  f {f:.6g}  {self.label} {gnorm:.3g}  nfev {nfev}{more}"
        now = time.perf_counter()
        if nit and now - self._last >= self.interval:
            self._last = now
            self._emit(self._line, end=_CLEAR if self.live else "\n")

    def _extra(self) -> dict[str, str]:
        return self.extra() if self.extra is not None else {}

    def _emit(self, text: str, end: str) -> None:
        self.stream.write(("\r" if self.live else "") + text + end)
        self.stream.flush()

    def close(self, message: str, nit: int) -> None:
        """End the bar with the result's message."""
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.close()
            return
        self._emit(f"{self._line}  {message}", end=(_CLEAR if self.live else "") + "\n")


class ProgressBar:
    """``fit``'s bar: ``epoch e/E [=====>    ] loss 0.1234 val_loss ...`` (or a tqdm bar).

    Args:
        epochs: total number of epochs.
        batches: minibatch steps per epoch.
        enabled: as ``progress`` in :func:`progress_mode` (None: only on a terminal).
        stream: where to write (``sys.stdout`` by default).
        width: characters of the bar.
        interval: seconds between in-epoch refreshes (terminal only).

    Reference:
        A plain-text progress display for :func:`steepest.train.fit` (Liquet et al. §4.2:
        epochs and minibatch steps); tqdm's ``tqdm.auto`` when installed.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> ProgressBar(2, 1, enabled=True, stream=out).epoch_end(1, {"loss": 0.5})
        >>> out.getvalue().split("]")[1].split("(")[0].strip()
        'loss 0.5'
    """

    def __init__(
        self,
        epochs: int,
        batches: int,
        enabled: bool | str | None = None,
        stream: TextIO | None = None,
        width: int = 24,
        interval: float = 0.1,
    ) -> None:
        mode = progress_mode(enabled, stream)
        self.stream = _checked_stream(stream)
        self.enabled = mode != "off"
        self.live = mode == "plain" and _isatty(self.stream)
        self.epochs, self.batches = epochs, batches
        self.width, self.interval = width, interval
        self._last = 0.0
        self._tqdm = _tqdm(epochs * batches, "batch", stream) if mode == "tqdm" else None

    def _bar(self, done: int) -> str:
        filled = int(self.width * done / max(self.batches, 1))
        head = ">" if filled < self.width else ""
        return "[" + "=" * filled + head + " " * (self.width - filled - len(head)) + "]"

    def batch(self, epoch: int, done: int, loss: float) -> None:
        """In-epoch refresh after ``done`` batches (throttled; terminal or tqdm only)."""
        if self._tqdm is not None:
            self._tqdm.update((epoch - 1) * self.batches + done - self._tqdm.n)
            self._tqdm.set_description_str(f"epoch {epoch}/{self.epochs}", refresh=False)
            self._tqdm.set_postfix(loss=f"{loss:.4g}", refresh=False)
            return
        if not self.live:
            return
        now = time.perf_counter()
        if now - self._last < self.interval and done < self.batches:
            return
        self._last = now
        self.stream.write(f"\repoch {epoch}/{self.epochs} {self._bar(done)} loss {loss:.4g}"
                          f"{_CLEAR}")
        self.stream.flush()

    def epoch_end(self, epoch: int, logs: dict[str, float], note: str = "") -> None:
        """Final line of an epoch with every logged value."""
        if not self.enabled:
            return
        shown = {k: v for k, v in logs.items() if k not in ("epoch", "time")}
        if self._tqdm is not None:
            self._tqdm.set_postfix({k: f"{v:.4g}" for k, v in shown.items()})
            return
        items = "  ".join(f"{k} {v:.4g}" for k, v in shown.items())
        prefix = "\r" if self.live else ""
        line = f"{prefix}epoch {epoch}/{self.epochs} {self._bar(self.batches)} {items}"
        clear = _CLEAR if self.live else ""
        self.stream.write(f"{line} ({logs.get('time', 0.0):.2f} s){note}{clear}\n")
        self.stream.flush()

    def close(self) -> None:
        """End the display (closes a tqdm bar; the plain bar has nothing left to write)."""
        if self._tqdm is not None:
            self._tqdm.close()


class Reporters:
    """The reporters of one run, called together: ``row(...)`` per iteration, ``close(res)``
    at the end (the log gets the message and ``f``/``nit``/``nfev``, a bar the message).

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> reps = Reporters([IterationLog(1, out)])
        >>> reps.row(0, 1.0, 0.5, 0.0, 1, 1)
        >>> reps.close({"message": "done", "fun": 1.0, "nit": 0, "nfev": 1})
        >>> out.getvalue().splitlines()[-2:]
        ['done', '  f = 1, nit = 0, nfev = 1']
    """

    def __init__(self, reporters: list[Any]) -> None:
        self.reporters = reporters

    def __bool__(self) -> bool:
        return bool(self.reporters)

    def row(self, nit: int, f: float, gnorm: float, step: float, nfev: int, njev: int) -> None:
        """One iteration to every reporter."""
        for r in self.reporters:
            r.row(nit, f, gnorm, step, nfev, njev)

    def close(self, res: Any) -> None:
        """End every reporter with the result ``res`` (its ``message``, ``fun``, ``nit``,
        ``nfev``)."""
        for r in self.reporters:
            if isinstance(r, IterationLog):
                r.close(f"{res['message']}\n  f = {float(res['fun']):.10g}, nit = {res['nit']}, "
                        f"nfev = {res['nfev']}", res["nit"])
            else:
                r.close(res["message"], res["nit"])


def iteration_reporters(disp: Any, progress: Any, maxiter: int | None,
                        labels: tuple[str, str] = ("|g|", "step")) -> Reporters:
    """The reporters the options ``disp`` and ``progress`` ask for.

    Args:
        disp: ``False``/``0`` none; ``k`` (or ``True`` = 1): an :class:`IterationLog` printing
            every ``k`` iterations.
        progress: as in :func:`progress_mode`; an :class:`IterationBar` when shown.
        maxiter: the iteration limit (shown by the plain bar), or None.
        labels: the log's headers of the two measure columns.

    Returns:
        A :class:`Reporters` (false when nothing is shown).

    Raises:
        TypeError: ``disp`` is not a bool or an int >= 0.
        ValueError: ``progress`` is not a valid value.

    Example:
        >>> bool(iteration_reporters(False, False, 100)), bool(iteration_reporters(5, False, 9))
        (False, True)
    """
    if not isinstance(disp, bool | int) or disp < 0:
        raise TypeError(f"options['disp'] must be a bool or an int k >= 0 (print every k "
                        f"iterations), got {disp!r}")
    out: list[Any] = [IterationLog(int(disp), labels=labels)] if disp else []
    bar = IterationBar(maxiter, progress, label=labels[0])
    if bar.enabled:
        out.append(bar)
    return Reporters(out)
