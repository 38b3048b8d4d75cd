"""What a failed distributed evaluation raises: which chunk, which rows, and why.

A chunk task fails either in the user's code (the loss raised on that chunk) or because the
cluster lost the chunk and could not recompute it (data without lineage, a task that kept
killing its workers, a scheduler that went away). Either way :class:`EvaluationError` names
the chunk and its rows; :func:`steepest.distributed.minimize` turns it into a result with
``success=False`` and the best point so far.

Example:
    >>> e = EvaluationError("chunk 3 (rows 300..399) was lost", chunks=(3,))
    >>> e.chunks, str(e)
    ((3,), 'chunk 3 (rows 300..399) was lost')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["EvaluationError", "evaluation_error", "timeout_error"]

_LOST = ("KilledWorker", "CancelledError", "FutureCancelledError", "CommClosedError",
         "FutureLostError", "TimeoutError")


class EvaluationError(RuntimeError):
    """A distributed evaluation failed; ``chunks`` are the chunk indices that failed.

    Attributes:
        chunks: indices of the chunks whose task failed or whose data was lost.
        lost: True when the cluster lost data or workers (rather than the loss raising).
    """

    def __init__(self, message: str, *, chunks: Sequence[int] = (), lost: bool = False) -> None:
        super().__init__(message)
        self.chunks, self.lost = tuple(chunks), lost


def _failed(futures: Sequence[Any], used: Sequence[int]) -> list[int]:
    return [c for f, c in zip(futures, used, strict=True) if f.status in ("error", "lost",
                                                                          "cancelled")]


def evaluation_error(error: BaseException, futures: Sequence[Any], used: Sequence[int],
                     bounds: np.ndarray) -> EvaluationError:
    """An :class:`EvaluationError` for ``error``, naming the failed chunks among ``used``
    (their ``futures``) and their row ranges."""
    lost = type(error).__name__ in _LOST or isinstance(error, OSError)
    chunks = _failed(futures, used)
    where = ", ".join(f"chunk {c} (rows {bounds[c]}..{bounds[c + 1] - 1})" for c in chunks[:4])
    where = where + (f" and {len(chunks) - 4} more" if len(chunks) > 4 else "")
    what = (f"the cluster lost data it could not recompute: {where or 'a chunk'}"
            if lost else f"the loss failed on {where or 'a chunk'}")
    fix = ("; persist data built from a dask graph (not client.scatter) so lost chunks can be "
           "recomputed, and keep enough workers alive" if lost else "")
    return EvaluationError(f"{what}: {type(error).__name__}: {error}{fix}", chunks=chunks,
                           lost=lost)


def timeout_error(timeout: float, futures: Sequence[Any], used: Sequence[int],
                  bounds: np.ndarray) -> EvaluationError:
    """An :class:`EvaluationError` for an evaluation that outlived ``timeout`` seconds, naming
    the chunks whose task had not finished."""
    waiting = [c for f, c in zip(futures, used, strict=True) if f.status == "pending"]
    where = ", ".join(f"chunk {c} (rows {bounds[c]}..{bounds[c + 1] - 1})" for c in waiting[:4])
    where = where + (f" and {len(waiting) - 4} more" if len(waiting) > 4 else "")
    return EvaluationError(
        f"the evaluation did not finish within eval_timeout={timeout:g} s "
        f"({where or 'the final sum'} not finished); a worker may hang (see the dashboard), "
        "or pass a larger eval_timeout", chunks=waiting)
