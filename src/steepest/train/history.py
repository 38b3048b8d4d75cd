"""What a training run hands back: the per-epoch history, a status and the best parameters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .._result import Status, Summary, Table, columns_frame, render_html, render_text, short

__all__ = ["History", "FitResult"]


@dataclass
class History:
    """Per-epoch records: ``history["loss"][k]`` is the value after epoch ``history["epoch"][k]``.

    Keys: ``epoch`` (1-based), ``loss`` (training loss: mean of the minibatch losses of the
    epoch, each taken before its step), ``val_loss`` and ``val_<metric>`` when validation data
    is given (``<metric>`` on the training data otherwise), ``time`` (seconds of the epoch).

    Attributes:
        records: key -> list of per-epoch values (empty at the start).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (training and validation
        loss per epoch, "Loss Minimization is a Proxy for Optimal Performance").

    Example:
        >>> h = History()
        >>> h.append({"epoch": 1, "loss": 0.5}); h.append({"epoch": 2, "loss": 0.25})
        >>> h["loss"], h
        ([0.5, 0.25], History(2 epochs: loss 0.5 -> 0.25))
    """

    records: dict[str, list[float]] = field(default_factory=dict)

    def append(self, logs: dict[str, float]) -> None:
        """Add one epoch's logs (a key first seen later is padded with nan before)."""
        length = len(self)
        for key, value in logs.items():
            self.records.setdefault(key, [float("nan")] * length).append(value)

    def __len__(self) -> int:
        return len(self.records.get("epoch", []))

    def __getitem__(self, key: str) -> list[float]:
        if key not in self.records:
            raise KeyError(f"no {key!r} in the history; recorded keys: {sorted(self.records)}")
        return self.records[key]

    def __contains__(self, key: str) -> bool:
        return key in self.records

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def keys(self) -> list[str]:
        return list(self.records)

    def to_dict(self) -> dict[str, list[float]]:
        """A plain ``dict`` of lists (JSON-serialisable)."""
        return {k: list(v) for k, v in self.records.items()}

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame``, one row per epoch (index ``epoch``). Needs pandas (imported
        only here)."""
        columns = {k: v for k, v in self.records.items() if k != "epoch"}
        frame = columns_frame(columns, "epoch", "History.to_frame()")
        frame.index = self.records.get("epoch", [])
        frame.index.name = "epoch"
        return frame

    def table(self, edge: int = 3) -> Table:
        """The first and last ``edge`` epochs as a :class:`~steepest._result.Table`."""
        keys = [k for k in self.keys() if k not in ("epoch", "time")]
        n = len(self)
        keep = list(range(n)) if n <= 2 * edge else [*range(edge), -1, *range(n - edge, n)]
        rows = tuple(("...",) * (len(keys) + 1) if i < 0 else
                     (str(self.records["epoch"][i]), *(short(self.records[k][i]) for k in keys))
                     for i in keep)
        return Table(f"history ({n} epochs)", ("epoch", *keys), rows)

    def __repr__(self) -> str:
        ends = [f"{k} {short(v[0])} -> {short(v[-1])}" for k, v in self.records.items()
                if v and k not in ("epoch", "time")]
        return f"History({len(self)} epochs: {', '.join(ends)})" if ends else "History(empty)"

    def _repr_html_(self) -> str:
        return render_html(Summary(repr(self), (), (self.table(),) if len(self) else ()))

    def rows(self, keys: list[str] | None = None) -> list[list[float]]:
        """One row per epoch with the values of ``keys`` (all keys by default)."""
        keys = keys or self.keys()
        return [[self.records[k][i] for k in keys] for i in range(len(self))]


@dataclass
class FitResult:
    """Outcome of :func:`steepest.train.fit`.

    Attributes:
        params: the parameters handed back: the best epoch's when early stopping restores
            them; after a failure (``NON_FINITE``, ``DIVERGED``) the best point on the full
            training objective among the start and the epoch ends; else the last epoch's.
        best_params: parameters at ``best_epoch`` (0 means the initial parameters).
        best_epoch: epoch with the best ``monitor`` value.
        best_value: that value.
        monitor: the history key used to pick the best epoch.
        last_params: parameters after the last completed step.
        opt_state: optimizer state after the last completed step.
        history: per-epoch records (:class:`History`).
        status: why training stopped, a :class:`~steepest._result.Status`: ``SUCCESS`` (ran
            all requested epochs), ``EARLY_STOPPED`` (the monitored quantity stopped
            improving), ``NON_FINITE`` (a loss or the parameters became nan/inf; the best
            finite parameters are kept), ``DIVERGED`` (the training loss grew past
            ``divergence`` times its best) or ``STOPPED_BY_CALLBACK``; ``message`` says it in
            words.
        epochs: number of completed epochs; ``steps``: number of optimizer steps.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2; Goodfellow et al., *Deep
        Learning*, §7.8 (returning the best parameters).

    Example:
        >>> import numpy as np
        >>> from steepest.train import fit
        >>> from steepest.optimizers import sgd
        >>> X = np.arange(8.0).reshape(4, 2); y = X @ np.array([1.0, -1.0])
        >>> res = fit(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), np.zeros(2), (X, y), sgd(0.01),
        ...           epochs=3, batch_size=4, progress=False)
        >>> res.status is Status.SUCCESS, res.epochs, res.steps, len(res.history["loss"])
        (True, 3, 3, 3)
    """

    params: Any
    best_params: Any
    best_epoch: int
    best_value: float
    monitor: str
    last_params: Any
    opt_state: Any
    history: History
    status: Status
    message: str
    epochs: int
    steps: int

    @property
    def success(self) -> bool:
        """False only when training ended on a non-finite loss or parameters or diverged:
        stopping early or by a callback still hands back usable parameters."""
        return self.status not in (Status.NON_FINITE, Status.DIVERGED)

    def summary(self) -> Summary:
        """Status, epochs and steps, the best epoch and its value (the title), the message, the
        last logged values, the parameters and the history's first and last epochs.

        Returns:
            A :class:`~steepest._result.Summary` (``repr(res)`` is its text,
            ``res._repr_html_()`` its HTML).
        """
        last = {k: v[-1] for k, v in self.history.records.items()
                if v and k not in ("epoch", "time")}
        rows = [("message", self.message)]
        if last:
            rows.append(("last", ", ".join(f"{k} {short(v)}" for k, v in last.items())))
        rows.append(("params", short(self.params)))
        tables = (self.history.table(),) if len(self.history) else ()
        title = (f"FitResult(status={self.status.name}, epochs={self.epochs}, "
                 f"steps={self.steps}, best_epoch={self.best_epoch}, "
                 f"{self.monitor}={self.best_value:.6g})")
        return Summary(title, rows, tables)

    def __repr__(self) -> str:
        return render_text(self.summary())

    def _repr_html_(self) -> str:
        return render_html(self.summary())
