"""Data as pytrees of arrays sharing a leading axis, and the minibatch sampler of an epoch.

Training data is any pytree (array, tuple ``(X, y)``, dict ``{"x": X, "y": y}`` ...) whose
leaves all have the same length ``n`` along axis 0: example ``i`` is the slice ``[i]`` of every
leaf. A minibatch is the pytree of the rows in an index array.

One *epoch* is ``ceil(n / n_b)`` minibatch steps (``floor`` with ``drop_last``) — Liquet et al.
§4.2, "Working with mini-batches and the concept of epochs":

* without replacement (the common practice): shuffle ``{0..n-1}`` once per epoch and cut the
  permutation into consecutive blocks of ``n_b``; every example is seen exactly once per epoch
  and the last block holds the ``n mod n_b`` left-over examples (kept or dropped);
* with replacement (Liquet's analysable simplification): every index of every batch is drawn
  independently and uniformly from ``{0..n-1}``; the batch sizes are the same as above.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validate import check_seed
from ..tree import tree_leaves, tree_map

__all__ = ["BatchSampler", "num_examples", "take", "minibatches"]


def num_examples(data: Any) -> int:
    """The common leading length ``n`` of the leaves of ``data``.

    Args:
        data: a pytree of arrays (a tuple ``(X, y)``, a dict ...).

    Returns:
        ``n``, the shared length of the first axis.

    Raises:
        ValueError: when ``data`` has no array leaves or the leading lengths differ.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (n, the number of training
        examples).

    Example:
        >>> import numpy as np
        >>> num_examples((np.zeros((5, 2)), np.arange(5)))
        5
    """
    leaves = tree_leaves(data)
    if not leaves:
        raise ValueError("data has no arrays; pass an array or a pytree of arrays such as (X, y)")
    lengths = set()
    for leaf in leaves:
        shape = np.shape(leaf)
        if len(shape) == 0:
            raise ValueError(
                "every leaf of data needs a leading example axis; got a scalar leaf. "
                "Reshape it to (n, ...) or move it out of data"
            )
        lengths.add(shape[0])
    if len(lengths) != 1:
        raise ValueError(
            f"the leaves of data have different leading lengths {sorted(lengths)}; "
            "every array must hold one row per example"
        )
    return lengths.pop()


def take(data: Any, index: np.ndarray | slice) -> Any:
    """The minibatch of ``data`` at rows ``index`` (same pytree structure).

    take(data, I) = {leaf[I] : leaf in data}, the minibatch {(x⁽ⁱ⁾, y⁽ⁱ⁾) : i ∈ I}.

    Args:
        data: pytree of arrays sharing the leading axis.
        index: integer array of rows (repeats allowed, for sampling with replacement) or a
            slice.

    Returns:
        The pytree whose leaves are ``leaf[index]``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (a minibatch
        ``{(x⁽ⁱ⁾, y⁽ⁱ⁾) : i ∈ I}`` of the training set).

    Example:
        >>> import numpy as np
        >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
        >>> Xb, yb = take((X, y), np.array([4, 0]))
        >>> Xb.tolist(), yb.tolist()
        ([[8.0, 9.0], [0.0, 1.0]], [4, 0])
    """
    return tree_map(lambda a: np.asarray(a)[index], data)


@dataclass(frozen=True)
class BatchSampler:
    """Index arrays of the minibatches of one epoch over ``n`` examples.

    Args:
        n: number of examples.
        batch_size: ``n_b`` >= 1; values above ``n`` are clipped to ``n`` (full batch).
        shuffle: permute the examples each epoch (ignored with ``replacement``).
        replacement: draw every index independently and uniformly (i.i.d. batches).
        drop_last: drop the final, smaller batch when ``n_b`` does not divide ``n``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 "Working with Mini-batches
        and the Concept of Epochs"; Goodfellow et al., *Deep Learning*, §8.1.3.

    Example:
        >>> import numpy as np
        >>> s = BatchSampler(5, 2)
        >>> [b.tolist() for b in s.epoch(np.random.default_rng(0))]
        [[2, 4], [3, 0], [1]]
    """

    n: int
    batch_size: int
    shuffle: bool = True
    replacement: bool = False
    drop_last: bool = False

    def __post_init__(self) -> None:
        if int(self.n) != self.n or self.n < 1:
            raise ValueError(f"n must be a positive integer, got {self.n!r}")
        if int(self.batch_size) != self.batch_size or self.batch_size < 1:
            raise ValueError(
                f"batch_size must be a positive integer, got {self.batch_size!r}; "
                "use batch_size=n for full-batch gradient descent"
            )
        if self.drop_last and self.batch_size > self.n:
            raise ValueError(
                f"batch_size={self.batch_size} > n={self.n} with drop_last=True leaves no "
                "batch; lower batch_size or set drop_last=False"
            )

    @property
    def sizes(self) -> list[int]:
        """The batch sizes of one epoch."""
        b = min(self.batch_size, self.n)
        full, rest = divmod(self.n, b)
        return [b] * full + ([rest] if rest and not self.drop_last else [])

    @property
    def num_batches(self) -> int:
        """Number of minibatch steps per epoch."""
        return len(self.sizes)

    def epoch(self, rng: np.random.Generator) -> list[np.ndarray]:
        """The index arrays of one epoch, drawing randomness from ``rng`` (advanced in place)."""
        sizes = self.sizes
        if self.replacement:
            return [rng.integers(0, self.n, size=s) for s in sizes]
        order = rng.permutation(self.n) if self.shuffle else np.arange(self.n)
        bounds = np.cumsum([0, *sizes])
        return [order[bounds[k] : bounds[k + 1]] for k in range(len(sizes))]


def minibatches(
    data: Any,
    batch_size: int,
    *,
    seed: int | np.random.Generator | None = 0,
    shuffle: bool = True,
    replacement: bool = False,
    drop_last: bool = False,
) -> Iterator[Any]:
    """Yield the minibatches (pytrees) of one epoch over ``data``.

    An epoch visits a random permutation of {1, …, n} (the identity with ``shuffle=False``) in
    ⌈n / n_b⌉ consecutive blocks of n_b indices (the last one smaller unless ``drop_last``);
    with ``replacement`` each index is drawn i.i.d. uniform.

    Args:
        data: pytree of arrays sharing the leading axis.
        batch_size: ``n_b``.
        seed: an integer seed or a ``np.random.Generator`` (advanced in place, so successive
            calls with the same generator give successive epochs).
        shuffle, replacement, drop_last: see :class:`BatchSampler`.

    Returns:
        An iterator over the ``ceil(n / n_b)`` minibatches of the epoch (``floor`` with
        ``drop_last``), each a pytree like ``data``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 "Working with Mini-batches
        and the Concept of Epochs"; Goodfellow et al., *Deep Learning*, §8.1.3.

    Example:
        >>> import numpy as np
        >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
        >>> [yb.tolist() for _, yb in minibatches((X, y), 2, seed=0)]
        [[2, 4], [3, 0], [1]]
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(
        check_seed(seed))
    sampler = BatchSampler(num_examples(data), batch_size, shuffle, replacement, drop_last)
    for idx in sampler.epoch(rng):
        yield take(data, idx)
