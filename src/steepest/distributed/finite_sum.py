"""A finite sum C(θ) = (1/n) Σᵢ Cᵢ(θ) over data spread across a Dask cluster (Liquet §4.2).

:class:`FiniteSum` has the constructor arguments and methods of
:class:`steepest.train.FiniteSum` and is one, so ``steepest.train.fit`` takes it; the data is
a pytree of dask arrays chunked along rows. One evaluation builds one small graph:

1. θ (and the HVP direction v) as one key, sent once;
2. one fused task per chunk, :func:`~steepest.distributed.tasks.chunk_sums`, returning the
   chunk's ``(Σ Cᵢ, Σ ∇Cᵢ[, Σ ∇²Cᵢ v])`` from steepest's autodiff (or the user's gradient)
   with standardization applied inside the task, never stored;
3. a tree of fixed-order sums with fan-in ``split_every`` (:func:`add_in_order`), so the
   total is the same bit for bit on every run and equals the in-memory sum up to the
   summation order; the client divides by n.

The chunks are persisted once with their lineage (``client.persist``): when a worker dies,
the scheduler recomputes its chunks from the graph that made them and the evaluation goes on.

Reference:
    Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (eq. 4.4, 4.13); Spark
    MLlib's logistic regression (one tree aggregation of (loss, gradient) per evaluation over
    cached blocks, with centering folded into the aggregator).
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

import dask
import dask.array as da
import numpy as np

from ..train import FiniteSum as InMemoryFiniteSum
from ..tree import ravel_pytree
from .cluster import close, connect
from .data import Layout, layout, packed
from .errors import evaluation_error, timeout_error
from .tasks import (
    ChunkSpec,
    Standardize,
    add_in_order,
    chunk_example_grads,
    chunk_example_losses,
    chunk_metric,
    chunk_sums,
    scalar_loss,
)

__all__ = ["FiniteSum", "Rows"]

_IDS = itertools.count()


@dataclass(frozen=True)
class Rows:
    """A minibatch of a distributed finite sum: global row indices, never gathered.

    ``steepest.train.fit`` passes it back to :meth:`FiniteSum.batch_value_and_grad`, which
    sends each chunk task the rows of the minibatch it holds (synchronous data parallelism).
    """

    index: np.ndarray

    def __len__(self) -> int:
        return len(self.index)


class FiniteSum(InMemoryFiniteSum):
    """The average loss over row-chunked dask data, evaluated by one fused task per chunk.

    .. math::

        C(θ) = \\frac{1}{n} \\sum_{c} \\sum_{i \\in c} C_i(θ), \\qquad
        ∇C(θ) = \\frac{1}{n} \\sum_{c} \\sum_{i \\in c} ∇C_i(θ)

    Args:
        loss: ``loss(params, batch)`` in plain NumPy: the mean loss of ``batch`` (a pytree of
            NumPy rows, as in :class:`steepest.train.FiniteSum`), or per-example losses with
            ``per_example=True``. It runs on the workers.
        data: a pytree of dask arrays (or dask DataFrames) chunked along rows only.
        value_and_grad: optional ``(params, batch) -> (mean loss, gradient)`` (else autodiff).
        per_example: see ``loss``.
        cluster: None (start a LocalCluster: processes, one thread each, BLAS pinned), a
            scheduler address ``"tcp://host:port"``, a ``distributed.Client`` or a cluster.
        persist: keep the chunks in the workers' memory (with lineage); pass False for
            out-of-core data such as ``da.from_npy_stack(dir, mmap_mode="r")``.
        standardize: ``True`` scales the first data leaf to zero mean and unit variance
            inside each task (statistics computed once); or a
            :class:`~steepest.distributed.tasks.Standardize` to reuse (validation data).
        split_every: fan-in of the tree of sums.
        n_workers, memory_limit: for the LocalCluster started when ``cluster`` is None.
        stream: where the dashboard link is printed (None: nowhere).
        kernel: a hand-derived chunk kernel ``kernel(params, X, y, standardize, direction)``
            returning the sums (:func:`~steepest.distributed.kernels.linear_model_kernel`;
            :func:`~steepest.distributed.model_sum` picks it for the linear models), used
            instead of ``loss``/``value_and_grad`` on the workers; needs ``data=(X, y)``.
        eval_timeout: seconds an evaluation may take before it is abandoned with an
            :class:`~steepest.distributed.EvaluationError` naming the timeout (None: wait).

    Attributes:
        client: the ``distributed.Client``. n: the number of rows. layout: the
        :class:`~steepest.distributed.data.Layout`. evaluations: distributed evaluations so
        far; seconds: their total wall time.

    Example:
        >>> import dask.array as da, numpy as np
        >>> from distributed import Client
        >>> client = Client(processes=False, n_workers=1, dashboard_address=None)
        >>> X = da.from_array(np.array([[1.0], [2.0], [3.0]]), chunks=2)
        >>> y = da.from_array(np.array([2.0, 4.0, 6.0]), chunks=2)
        >>> C = FiniteSum(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), (X, y), cluster=client,
        ...                stream=None)
        >>> C.n, C.value(np.array([2.0])), C.grad(np.array([1.0]))
        (3, 0.0, array([-9.33333333]))
        >>> client.close()
    """

    def __init__(self, loss: Callable[[Any, Any], Any], data: Any, *,
                 value_and_grad: Callable[[Any, Any], tuple[Any, Any]] | None = None,
                 per_example: bool = False, cluster: Any = None, persist: bool = True,
                 standardize: bool | Standardize = False, split_every: int = 8,
                 n_workers: int = 2, memory_limit: Any = "auto",
                 stream: TextIO | None = sys.stderr,
                 kernel: Callable[..., np.ndarray] | None = None,
                 eval_timeout: float | None = None) -> None:
        if not callable(loss):
            raise TypeError(f"loss must be callable as loss(params, batch), got {type(loss)}")
        if value_and_grad is not None and not callable(value_and_grad):
            raise TypeError("value_and_grad must be callable as value_and_grad(params, batch)")
        if int(split_every) != split_every or split_every < 2:
            raise ValueError(f"split_every must be an integer >= 2, got {split_every!r}")
        if eval_timeout is not None and not eval_timeout > 0:
            raise ValueError(f"eval_timeout must be a positive number of seconds or None, got "
                             f"{eval_timeout!r}")
        checked = layout(data)  # every check before a cluster is touched
        if kernel is not None and len(checked.leaves) != 2:
            raise ValueError(f"kernel works on data=(X, y), got {len(checked.leaves)} data "
                             "leaves; pass kernel=None to use the loss on other data")
        self.kernel, self.eval_timeout = kernel, eval_timeout
        self.loss, self.per_example, self.value_and_grad_fn = loss, per_example, value_and_grad
        self._ad = None
        self.split_every, self.persist = int(split_every), bool(persist)
        self._name = f"steepest-{next(_IDS)}-{id(self):x}"
        self._count = itertools.count()
        self.client, self._owned = connect(cluster, n_workers=n_workers,
                                           memory_limit=memory_limit, stream=stream)
        self.layout = self._persisted(checked) if persist else checked
        self.data, self.n = self.layout.tree(), self.layout.n
        self.standardize = _standardizer(standardize, self.layout.leaves[0])
        self.spec = ChunkSpec(loss, value_and_grad, per_example, self.standardize,
                              self.layout.structure, kernel)
        self.evaluations, self.seconds = 0, 0.0
        self._checked = False

    def _check_on_head(self, params: Any, direction: Any) -> None:
        """Run the chunk task here on the first two rows before the first submission, so a
        loss that fails or returns a non-scalar says so before any work reaches the cluster."""
        head = dask.compute(*[leaf[:2] for leaf in self.layout.leaves])
        try:
            scalar_loss(self.spec.mean_loss(params, self.spec.batch(head, None)))
            chunk_sums(self.spec, params, direction, None, head)
        except Exception as e:  # noqa: BLE001 - re-raised with what was being done
            raise type(e)(f"{e} (raised by the loss on the first 2 rows of the data, checked "
                          "here before anything was sent to the cluster)") from e
        self._checked = True

    def _persisted(self, checked: Layout) -> Layout:
        """Each chunk's rows of every leaf packed into one persisted tuple (with lineage), so
        X_c and y_c live on one worker from the start and its chunk task moves no data."""
        return packed(checked, self.client, self._name)

    # -- the one evaluation -----------------------------------------------------------------
    def sums(self, params: Any, direction: Any = None,
             index: np.ndarray | None = None) -> tuple[np.ndarray, int]:
        """The summed ``[Σ Cᵢ, Σ ∇Cᵢ[, Σ ∇²Cᵢ v]]`` over all rows (or rows ``index``) and the
        number of rows summed; one graph, one fused task per chunk, one tree of sums.

        Raises:
            EvaluationError: a chunk task failed or its data was lost for good (the message
                names the chunk, its rows and the cause).
        """
        if not self._checked:
            self._check_on_head(params, direction)
        tag = f"{self._name}-{next(self._count)}"
        p, v = _argument(params, f"params-{tag}"), _argument(direction, f"v-{tag}")
        spec = self.spec
        chunks, used = [], []
        for c, blocks in enumerate(self.layout.blocks):
            rows = _local_rows(index, self.layout.bounds, c)
            if rows is not None and rows.size == 0:
                continue
            chunks.append(dask.delayed(chunk_sums, pure=True)(
                spec, p, v, rows, blocks, dask_key_name=f"chunk-{tag}-{c}"))
            used.append(c)
        total = _tree_of_sums(chunks, self.split_every, tag)
        t0 = time.perf_counter()
        futures = self.client.compute([total, *chunks], optimize_graph=False)
        try:
            out = futures[0].result(timeout=self.eval_timeout)
        except TimeoutError as e:
            error = timeout_error(self.eval_timeout, futures[1:], used, self.layout.bounds)
            self.client.cancel(futures)
            raise error from e
        except Exception as e:  # noqa: BLE001 - re-raised as EvaluationError naming the chunk
            raise evaluation_error(e, futures[1:], used, self.layout.bounds) from e
        finally:
            del futures  # released: the scheduler forgets the evaluation's keys
        self.seconds += time.perf_counter() - t0
        self.evaluations += 1
        m = self.n if index is None else len(index)
        return out, m

    def _unravel(self, params: Any) -> Callable[[np.ndarray], Any]:
        return ravel_pytree(params)[1]

    # -- the protocol of steepest.train.FiniteSum -------------------------------------------
    def value(self, params: Any, index: np.ndarray | slice | None = None) -> float:
        """``C(θ)`` on all data, or the minibatch mean on rows ``index``."""
        out, m = self.sums(params, None, self._index(index))
        return float(out[0] / m)

    def value_and_grad(self, params: Any,
                       index: np.ndarray | slice | None = None) -> tuple[float, Any]:
        """``(C, ∇C)`` on all data, or the minibatch estimate (eq. 4.13) on rows ``index``;
        the gradient has the structure of ``params``."""
        out, m = self.sums(params, None, self._index(index))
        return float(out[0] / m), self._unravel(params)(out[1:] / m)

    def hvp(self, params: Any, v: Any) -> Any:
        """``∇²C(θ) v`` (reverse-over-forward autodiff per chunk, summed like the gradient)."""
        out, m = self.sums(params, v)
        d = (out.size - 1) // 2
        return self._unravel(params)(out[1 + d:] / m)

    def batch(self, index: np.ndarray | slice | None = None) -> Any:
        """A :class:`Rows` handle for rows ``index`` (all rows: the dask data itself)."""
        return self.data if index is None else Rows(self._index(index))

    def batch_value_and_grad(self, params: Any, batch: Any) -> tuple[Any, Any]:
        """Mean loss and gradient on a :class:`Rows` minibatch (distributed) or on an
        explicit in-memory batch (computed here, as :class:`steepest.train.FiniteSum`)."""
        if isinstance(batch, Rows):
            return self.value_and_grad(params, batch.index)
        return super().batch_value_and_grad(params, batch)

    def mean_loss(self, params: Any, batch: Any) -> Any:
        """The mean loss over ``batch``: a :class:`Rows` minibatch, or in-memory rows."""
        if isinstance(batch, Rows):
            return self.value(params, batch.index)
        return super().mean_loss(params, batch)

    def with_data(self, data: Any) -> FiniteSum:
        """The same loss on other dask data (validation), on the same cluster, standardized
        with *this* data's statistics."""
        return FiniteSum(self.loss, data, per_example=self.per_example, cluster=self.client,
                         persist=self.persist, standardize=self.standardize or False,
                         split_every=self.split_every, stream=None, kernel=self.kernel,
                         eval_timeout=self.eval_timeout)

    def _per_chunk(self, task: Callable[..., Any], *args: Any) -> list[Any]:
        """``task(spec, *args, leaves)`` on every chunk, on the worker holding it; the results
        in chunk (row) order."""
        tag = f"{self._name}-{next(self._count)}"
        args = tuple(_argument(a, f"arg{k}-{tag}") for k, a in enumerate(args))
        parts = [dask.delayed(task, pure=True)(self.spec, *args, blocks,
                                               dask_key_name=f"{task.__name__}-{tag}-{c}")
                 for c, blocks in enumerate(self.layout.blocks)]
        futures = self.client.compute(parts, optimize_graph=False)
        try:
            return self.client.gather(futures)
        except Exception as e:  # noqa: BLE001 - re-raised as EvaluationError naming the chunk
            raise evaluation_error(e, futures, range(len(parts)), self.layout.bounds) from e

    def example_losses(self, params: Any) -> np.ndarray:
        """The vector ``(C₁(θ), …, Cₙ(θ))`` in row order: one task per chunk computes its
        rows' losses on the worker holding them; n floats come back."""
        return np.concatenate(self._per_chunk(chunk_example_losses, params))

    def example_grads(self, params: Any) -> np.ndarray:
        """The ``(n, d)`` matrix of per-example gradients (row i is ∇Cᵢ(θ) flattened), built
        chunk by chunk on the workers and stacked in row order (n·d floats come back: for a
        sample, not for all of a large data set)."""
        return np.vstack(self._per_chunk(chunk_example_grads, params))

    def metric(self, metric: Callable[[Any, Any], Any], params: Any) -> float:
        """A metric of the whole data as the row-weighted mean of ``metric(params, chunk)``
        over the chunks, each computed on its worker with NumPy rows:

        .. math:: M = \\frac{1}{n} \\sum_c m_c\\, \\mathrm{metric}(θ, \\text{chunk}_c),

        exact for metrics that are means over rows (accuracy, error rate, mean squared error);
        ``steepest.train.fit`` calls it for its ``metrics``. With ``standardize`` the chunk's
        first leaf is standardized, as the loss sees it."""
        values = np.asarray(self._per_chunk(chunk_metric, metric, params), dtype=float)
        return float(np.diff(self.layout.bounds) @ values / self.n)

    def _index(self, index: np.ndarray | slice | None) -> np.ndarray | None:
        if index is None:
            return None
        if isinstance(index, slice):
            return np.arange(self.n)[index]
        idx = np.asarray(index)
        if idx.dtype.kind not in "iu" or idx.ndim != 1:
            raise TypeError(f"index must be a 1-d integer array or a slice, got {idx.dtype} "
                            f"of shape {idx.shape}")
        if idx.size and (idx.min() < 0 or idx.max() >= self.n):
            raise IndexError(f"index has rows outside 0..{self.n - 1}")
        return idx

    # -- lifetime ---------------------------------------------------------------------------
    @property
    def seconds_per_evaluation(self) -> float:
        """Mean wall time of a distributed evaluation so far (nan before the first)."""
        return self.seconds / self.evaluations if self.evaluations else float("nan")

    def close(self) -> None:
        """Release the persisted chunks; close the cluster when this object started it."""
        if self.persist:
            self.client.cancel(list(self.layout.blocks))
        close(self.client, self._owned)

    def __enter__(self) -> FiniteSum:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"distributed.FiniteSum(loss={getattr(self.loss, '__name__', self.loss)!r}, "
                f"n={self.n}, chunks={len(self.layout.blocks)})")


#: Parameters up to this size travel inside each chunk task (then every chunk task depends
#: only on its data, and runs where the data is); larger ones are one key, sent once.
INLINE_BYTES = 1 << 20


def _argument(value: Any, name: str) -> Any:
    """``value`` inline in the graph when small, else a single key holding it."""
    if value is None or callable(value) or ravel_pytree(value)[0].nbytes <= INLINE_BYTES:
        return value
    return dask.delayed(value, name=name, traverse=False)


def _standardizer(standardize: bool | Standardize, X: da.Array) -> Standardize | None:
    """The column statistics of ``X`` (one pass), an existing :class:`Standardize`, or None."""
    if isinstance(standardize, Standardize) or standardize is None:
        return standardize
    if not standardize:
        return None
    if X.ndim != 2:
        raise ValueError(f"standardize=True scales the columns of the first data leaf, which "
                         f"has {X.ndim} axes; pass a 2-d X first, e.g. data=(X, y)")
    mean, std = dask.compute(X.mean(axis=0), X.std(axis=0))
    return Standardize(np.asarray(mean), np.where(std > 0, std, 1.0))


def _local_rows(index: np.ndarray | None, bounds: np.ndarray, c: int) -> np.ndarray | None:
    if index is None:
        return None
    lo, hi = bounds[c], bounds[c + 1]
    return index[(index >= lo) & (index < hi)] - lo


def _tree_of_sums(parts: list[Any], split_every: int, tag: str) -> Any:
    """Fixed-order sums of consecutive groups of ``split_every`` until one value is left."""
    level = 0
    while len(parts) > 1:
        parts = [dask.delayed(add_in_order, pure=True)(
            *parts[k:k + split_every], dask_key_name=f"sum-{tag}-{level}-{k}")
            for k in range(0, len(parts), split_every)]
        level += 1
    if not parts:
        raise ValueError("the minibatch is empty; pass at least one row index")
    return parts[0] if level else dask.delayed(add_in_order, pure=True)(
        parts[0], dask_key_name=f"sum-{tag}-0-0")

