"""A one-line progress bar for training: epoch, batch, loss and the latest metrics.

Shown by default only when the stream is a terminal; ``progress=True`` forces it (one plain line
per epoch when the stream is not a terminal), ``progress=False`` silences it.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]

_CLEAR = "\x1b[K"  # erase to the end of the line (terminals only)


class ProgressBar:
    """Writes ``epoch e/E [=====>    ] loss 0.1234 val_loss ...`` to ``stream``.

    Args:
        epochs: total number of epochs.
        batches: minibatch steps per epoch.
        enabled: None: only when ``stream`` is a terminal; True: always; False: never.
        stream: where to write (``sys.stdout`` by default).
        width: characters of the bar.
        interval: seconds between in-epoch refreshes (terminal only).

    Reference:
        A plain-text progress display for :func:`steepest.train.fit` (Liquet et al. §4.2: epochs and
        minibatch steps).

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
        enabled: bool | None = None,
        stream: TextIO | None = None,
        width: int = 24,
        interval: float = 0.1,
    ) -> None:
        self.stream = stream if stream is not None else sys.stdout
        isatty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = isatty if enabled is None else bool(enabled)
        self.live = self.enabled and isatty
        self.epochs, self.batches = epochs, batches
        self.width, self.interval = width, interval
        self._last = 0.0

    def _bar(self, done: int) -> str:
        filled = int(self.width * done / max(self.batches, 1))
        head = ">" if filled < self.width else ""
        return "[" + "=" * filled + head + " " * (self.width - filled - len(head)) + "]"

    def batch(self, epoch: int, done: int, loss: float) -> None:
        """In-epoch refresh after ``done`` batches (throttled; terminal only)."""
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
        items = "  ".join(f"{k} {v:.4g}" for k, v in logs.items() if k not in ("epoch", "time"))
        prefix = "\r" if self.live else ""
        line = f"{prefix}epoch {epoch}/{self.epochs} {self._bar(self.batches)} {items}"
        clear = _CLEAR if self.live else ""
        self.stream.write(f"{line} ({logs.get('time', 0.0):.2f} s){note}{clear}\n")
        self.stream.flush()
