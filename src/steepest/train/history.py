"""What a training run hands back: the per-epoch history, a status and the best parameters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .._result import Status

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
        >>> h["loss"]
        [0.5, 0.25]
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

    def __repr__(self) -> str:
        return (
            f"FitResult(status={self.status.name}, epochs={self.epochs}, steps={self.steps}, "
            f"best_epoch={self.best_epoch}, {self.monitor}={self.best_value:.6g})"
        )
