"""Early stopping on a validation quantity, keeping the best epoch's parameters (Liquet §4.2).

Training minimises the loss ``C(θ)`` as a proxy for a performance ``P(θ)`` measured on
validation data. Early stopping tracks ``P`` after each epoch, keeps the parameters of the best
epoch seen so far, and stops once ``patience`` epochs pass without an improvement of at least
``min_delta``; the returned model is the best epoch's (Liquet et al. Fig. 4.4, where the run
goes on to epoch 200 and the model of epoch 76 is used).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..tree import tree_map

__all__ = ["EarlyStopping", "BestTracker", "Fallback"]

_MAX_WORDS = ("acc", "accuracy", "auc", "precision", "recall", "f1", "r2")


def resolve_mode(monitor: str, mode: str) -> str:
    """``"min"`` or ``"max"``; ``"auto"`` maximises accuracy-like names and minimises the rest."""
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode != "auto":
        return mode
    last = monitor.lower().removeprefix("val_")
    return "max" if last in _MAX_WORDS or last.endswith("accuracy") else "min"


@dataclass(frozen=True)
class EarlyStopping:
    """Stop when ``monitor`` has not improved for ``patience`` epochs; restore the best epoch.

    An epoch improves on the best value ``b`` when ``v < b - min_delta`` (mode ``"min"``) or
    ``v > b + min_delta`` (mode ``"max"``). Training stops after ``patience`` consecutive
    epochs without improvement.

    Args:
        patience: epochs without improvement tolerated (>= 1).
        min_delta: smallest change that counts as an improvement (>= 0).
        monitor: a history key: ``"val_loss"``, ``"val_<metric>"``, ``"loss"`` ...
        mode: ``"min"``, ``"max"`` or ``"auto"`` (maximise accuracy-like names).
        restore_best: hand back the best epoch's parameters as ``result.params``.

    Reference:
        Goodfellow et al., *Deep Learning*, §7.8 "Early Stopping" (Algorithm 7.1); Liquet et al.,
        *Mathematical Engineering of Deep Learning*, §4.2.

    Example:
        >>> stop = EarlyStopping(patience=5, monitor="val_error")
        >>> stop.patience, stop.restore_best
        (5, True)
    """

    patience: int = 10
    min_delta: float = 0.0
    monitor: str = "val_loss"
    mode: str = "auto"
    restore_best: bool = True

    def __post_init__(self) -> None:
        if int(self.patience) != self.patience or self.patience < 1:
            raise ValueError(f"patience must be an integer >= 1, got {self.patience!r}")
        if not self.min_delta >= 0:
            raise ValueError(f"min_delta must be >= 0, got {self.min_delta!r}")
        if not isinstance(self.monitor, str):
            raise TypeError(f"monitor must be a history key (str), got {self.monitor!r}")
        resolve_mode(self.monitor, self.mode)


@dataclass
class BestTracker:
    """Best value of a monitored quantity, its epoch, and epochs since the last improvement."""

    monitor: str
    mode: str = "min"
    min_delta: float = 0.0
    best_value: float = float("nan")
    best_epoch: int = 0
    wait: int = 0

    def update(self, epoch: int, value: float) -> bool:
        """Record ``value`` of ``epoch``; True when it is the new best."""
        if value != value:  # nan never improves
            self.wait += 1
            return False
        if self.best_value != self.best_value or self._better(value):
            self.best_value, self.best_epoch, self.wait = float(value), epoch, 0
            return True
        self.wait += 1
        return False

    def _better(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best_value - self.min_delta
        return value > self.best_value + self.min_delta

    def state(self) -> dict[str, Any]:
        """JSON-serialisable state (for checkpoints)."""
        return {"best_value": self.best_value, "best_epoch": self.best_epoch, "wait": self.wait}

    def load_state(self, state: dict[str, Any]) -> None:
        self.best_value = float(state["best_value"])
        self.best_epoch = int(state["best_epoch"])
        self.wait = int(state["wait"])


def copy_tree(tree: Any) -> Any:
    """A copy of ``tree`` whose array leaves are new arrays (a snapshot of parameters)."""
    return tree_map(lambda a: np.array(a, copy=True) if isinstance(a, np.ndarray) else a, tree)


@dataclass
class Fallback:
    """What a failed run hands back: the best point on the full training objective ``C(θ)``.

    The candidates are the starting parameters (epoch 0) and the parameters at the end of each
    epoch, each judged by ``C`` evaluated *at those parameters* on all the training data (not
    the loss averaged during the epoch, which belongs to earlier points), so the fallback is
    never worse than the start. It also tells a divergence: with best value ``b`` and starting
    value ``C₀``, the run diverged when

    .. math:: C(θ) > b + (d − 1)\\,|b| \\quad\\text{and}\\quad C(θ) > C_0

    (``C > d·b`` for ``b ≥ 0``); the second condition keeps a loss that fell far below its
    start and wobbles around a tiny best from being taken for a divergence.

    Attributes:
        params: the best parameters so far (a copy).
        tracker: a :class:`BestTracker` of ``C`` (``best_epoch`` 0 is the start).
        start: ``C₀``.

    Reference:
        Goodfellow et al., *Deep Learning*, §7.8 (keep the best parameters seen); Liquet et al.,
        *Mathematical Engineering of Deep Learning*, §4.2 (the training loss ``C(θ)``).

    Example:
        >>> import numpy as np
        >>> fb = Fallback.start_at(np.zeros(1), 4.0)
        >>> fb.offer(1, 1.0, np.ones(1)); fb.diverged(999.0, 1e3), fb.diverged(1001.0, 1e3)
        (False, True)
        >>> fb.words()
        'the parameters of epoch 1 (best training loss 1)'
    """

    params: Any
    tracker: BestTracker
    start: float

    @classmethod
    def start_at(cls, params: Any, value: float) -> Fallback:
        """The fallback of a fresh run: the starting ``params`` with ``C₀ = value``."""
        tracker = BestTracker("train_objective", "min")
        tracker.update(0, value if np.isfinite(value) else float("nan"))
        return cls(copy_tree(params), tracker, float(value))

    @classmethod
    def restore(cls, state: dict[str, Any] | None, monitor: BestTracker, best_params: Any,
                params: Callable[[], Any]) -> Fallback:
        """From a checkpoint's ``state`` and ``params()``; a checkpoint written without one
        falls back on the monitor's best (``best_params``), with no divergence test."""
        tracker = BestTracker("train_objective", "min")
        if state is None:
            tracker.load_state(monitor.state())
            return cls(best_params, tracker, float("inf"))
        tracker.load_state(state)
        return cls(params(), tracker, float(state["start"]))

    def offer(self, epoch: int, value: float, params: Any) -> None:
        """Keep ``params`` when ``value = C(params)`` is the best so far."""
        if self.tracker.update(epoch, value):
            self.params = copy_tree(params)

    def diverged(self, value: float, divergence: float | None) -> bool:
        """Whether ``value`` grew past ``divergence`` times the best (see the class)."""
        best = self.tracker.best_value
        if divergence is None or best != best:
            return False
        return value > best + (divergence - 1.0) * abs(best) and value > self.start

    def words(self) -> str:
        """What is handed back, in words (for a status message)."""
        epoch = self.tracker.best_epoch
        where = "the starting parameters" if epoch == 0 else f"the parameters of epoch {epoch}"
        return f"{where} (best training loss {self.tracker.best_value:.6g})"

    def state(self) -> dict[str, Any]:
        """JSON-serialisable state (for checkpoints; ``params`` is saved as a tree)."""
        return {"start": self.start, **self.tracker.state()}
