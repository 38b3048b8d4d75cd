"""Real data sets that scikit-learn ships inside its wheel — nothing is downloaded.

``load_dataset("breast_cancer" | "digits" | "iris" | "wine")`` returns a seeded, stratified
train/validation split, standardised with the *training* mean and standard deviation (so no
information leaks from the validation rows). Needs the ``examples`` extra
(``pip install steepest[examples]``, i.e. scikit-learn).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Dataset", "load_dataset", "DATASETS", "sklearn_available", "stratified_split"]

DATASETS: dict[str, str] = {
    "breast_cancer": "load_breast_cancer",  # 569 × 30, 2 classes
    "digits": "load_digits",  # 1797 × 64 (8×8 images), 10 classes
    "iris": "load_iris",  # 150 × 4, 3 classes
    "wine": "load_wine",  # 178 × 13, 3 classes
}


def sklearn_available() -> bool:
    """True when scikit-learn (the source of the bundled data) can be imported."""
    try:
        import sklearn.datasets  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Dataset:
    """A train/validation split of a classification data set.

    Attributes:
        name: data set name.
        X_train, y_train, X_val, y_val: features (n, d) and integer labels (n,).
        n_classes: number of classes; ``feature_names`` / ``target_names`` from the source.
        mean, scale: the training statistics used to standardise (zeros/ones if not).
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    n_classes: int
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray

    @property
    def train(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_train, y_train)``, ready as ``data`` for :func:`steepest.train.fit`."""
        return self.X_train, self.y_train

    @property
    def validation(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_val, y_val)``."""
        return self.X_val, self.y_val

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    def __repr__(self) -> str:
        return (f"Dataset({self.name!r}, train={self.X_train.shape}, val={self.X_val.shape}, "
                f"n_classes={self.n_classes})")


def stratified_split(y: np.ndarray, validation: float, seed: int | None) -> tuple[np.ndarray,
                                                                                   np.ndarray]:
    """Index arrays (train, validation): each class split in the ratio ``validation``."""
    rng = np.random.default_rng(seed)
    train_idx, val_idx = [], []
    for c in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == c))
        k = int(round(validation * len(members)))
        val_idx.append(members[:k])
        train_idx.append(members[k:])
    return np.sort(np.concatenate(train_idx)), np.sort(np.concatenate(val_idx))


def _loader(name: str) -> Callable[[], Any]:
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {sorted(DATASETS)}")
    try:
        import sklearn.datasets as skd
    except ImportError as exc:
        raise ImportError(
            f"load_dataset({name!r}) reads the copy bundled with scikit-learn; install it with "
            "`pip install steepest[examples]`"
        ) from exc
    return getattr(skd, DATASETS[name])


def load_dataset(
    name: str,
    *,
    validation: float = 0.25,
    seed: int | None = 0,
    standardize: bool = True,
    dtype: Any = np.float64,
) -> Dataset:
    """Load a bundled data set and split it into training and validation parts.

    Args:
        name: ``"breast_cancer"``, ``"digits"``, ``"iris"`` or ``"wine"``.
        validation: fraction of each class held out for validation (0 <= f < 1).
        seed: seed of the stratified split.
        standardize: rescale every feature to mean 0, standard deviation 1 on the training
            rows (constant features are left at scale 1).
        dtype: feature dtype.

    Returns:
        A :class:`Dataset`.

    Raises:
        ImportError: without scikit-learn (install ``steepest[examples]``).

    Example:
        >>> ds = load_dataset("iris", validation=0.2, seed=0)
        >>> ds.X_train.shape, ds.X_val.shape
        ((120, 4), (30, 4))
    """
    if not 0.0 <= validation < 1.0:
        raise ValueError(f"validation must be a fraction in [0, 1), got {validation!r}")
    bunch = _loader(name)()
    X = np.asarray(bunch.data, dtype=np.float64)
    y = np.asarray(bunch.target, dtype=np.int64)
    tr, va = stratified_split(y, validation, seed)
    mean = X[tr].mean(axis=0) if standardize else np.zeros(X.shape[1])
    scale = X[tr].std(axis=0) if standardize else np.ones(X.shape[1])
    scale = np.where(scale > 0, scale, 1.0)
    Z = ((X - mean) / scale).astype(dtype)
    return Dataset(
        name=name, X_train=Z[tr], y_train=y[tr], X_val=Z[va], y_val=y[va],
        n_classes=int(y.max()) + 1,
        feature_names=tuple(str(f) for f in getattr(bunch, "feature_names", ())),
        target_names=tuple(str(t) for t in getattr(bunch, "target_names", ())),
        mean=mean, scale=scale,
    )
