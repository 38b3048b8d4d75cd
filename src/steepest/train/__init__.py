"""Finite-sum training: minibatches, epochs, fit loop, early stopping (Liquet §4.2).

``FiniteSum`` turns a minibatch loss and data arrays into C(θ) = (1/n) Σ Cᵢ(θ) with full and
minibatch gradients; ``fit`` trains any ``steepest.optimizers`` optimizer over epochs with
validation metrics, early stopping, a progress bar and bit-exact checkpoint/resume;
``steepest.train.models`` holds small NumPy models and ``steepest.train.datasets`` the real
data sets scikit-learn ships.
"""

from __future__ import annotations

from .._progress import ProgressBar
from . import datasets, models
from .batches import BatchSampler, minibatches, num_examples, take
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .early_stopping import EarlyStopping
from .finite_sum import FiniteSum
from .history import FitResult, History
from .loop import EpochEnd, fit

__all__ = [
    "FiniteSum",
    "BatchSampler",
    "minibatches",
    "num_examples",
    "take",
    "fit",
    "FitResult",
    "History",
    "EpochEnd",
    "EarlyStopping",
    "ProgressBar",
    "save_checkpoint",
    "load_checkpoint",
    "CheckpointError",
    "models",
    "datasets",
]
