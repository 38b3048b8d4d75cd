"""The training loop: minibatch epochs, validation, early stopping, checkpoints (Liquet §4.2).

Each epoch draws the minibatches of a :class:`~steepest.train.batches.BatchSampler` from one
seeded ``np.random.default_rng`` and takes one optimizer step per minibatch::

    for 𝓘 in minibatches:                       # one epoch
        g = (1/|𝓘|) Σ_{i∈𝓘} ∇Cᵢ(θ)               # eq. 4.13
        updates, state = optimizer.update(g, state, θ)
        θ = θ + updates

then evaluates the validation loss and metrics, records them in the history, tracks the best
epoch, applies early stopping and writes a checkpoint.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np

from .._progress import ProgressBar
from .._result import Status
from .._validate import check_callables, check_float_leaf, check_positive_float, check_seed
from ..autodiff import value_and_grad as autodiff_value_and_grad
from ..compile import jit as compile_jit
from ..optimizers import GradFnOptimizer
from ..optimizers import step as optimizer_step
from ..tree import tree_leaves, tree_map, tree_structure
from .batches import BatchSampler
from .checkpoint import checkpoint_path
from .early_stopping import BestTracker, EarlyStopping, Fallback, copy_tree, resolve_mode
from .finite_sum import FiniteSum
from .history import FitResult, History
from .run_state import RunState, restore_run, resume_path, run_config, save_run

__all__ = ["fit", "EpochEnd"]

Metric = Callable[[Any, Any], float]


@dataclass
class EpochEnd:
    """What a callback sees after each epoch; call :meth:`stop` to end training.

    Attributes:
        epoch: the epoch just completed (1-based).
        logs: that epoch's values (``loss``, ``val_loss``, metrics, ``time``).
        params: the current parameters.
        opt_state: the current optimizer state.
        history: the :class:`History` so far.
        stop_reason: set by :meth:`stop`; empty while training goes on.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 "Working with Mini-batches
        and the Concept of Epochs".

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import sgd
        >>> X = np.arange(8.0).reshape(4, 2); y = X @ np.array([1.0, -1.0])
        >>> def stop_at_two(e):
        ...     if e.epoch == 2:
        ...         e.stop("enough")
        >>> res = fit(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), np.zeros(2), (X, y), sgd(0.01),
        ...           epochs=10, batch_size=4, callbacks=[stop_at_two], progress=False)
        >>> res.epochs, res.status.name, res.message
        (2, 'STOPPED_BY_CALLBACK', 'enough')
    """

    epoch: int
    logs: dict[str, float]
    params: Any
    opt_state: Any
    history: History
    stop_reason: str = ""

    def stop(self, reason: str = "stopped by a callback") -> None:
        """Ask :func:`fit` to stop after this epoch (status ``STOPPED_BY_CALLBACK``)."""
        self.stop_reason = reason


Stepper = Callable[[Any, Any, Any, Any], tuple[Any, Any]]


def _add(params: Any, updates: Any) -> Any:
    """``params + updates`` leafwise."""
    return tree_map(lambda p, u: p + u, params, updates)


def _grad_fn_step(objective: FiniteSum, batch: Any) -> Stepper:
    """A step for a :class:`~steepest.optimizers.GradFnOptimizer`: it is handed the minibatch
    gradient as a function of the point (eq. 4.33–4.34 evaluate it at the look-ahead point)."""

    def step(optimizer: Any, _grads: Any, state: Any, params: Any) -> tuple[Any, Any]:
        updates, state = optimizer.update(
            lambda point: objective.batch_value_and_grad(point, batch)[1], state, params)
        return _add(params, updates), state

    return step


def _full_loss(objective: FiniteSum, params: Any) -> float:
    """``C(θ)`` on all the training data (nan/inf reported, not warned about)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return float(objective.value(params))


def _all_finite(tree: Any) -> bool:
    return all(np.all(np.isfinite(leaf)) for leaf in tree_leaves(tree))


def _named_metrics(metrics: Mapping[str, Metric] | Sequence[Metric] | None) -> dict[str, Metric]:
    if metrics is None:
        return {}
    if isinstance(metrics, Mapping):
        named = dict(metrics)
    elif callable(metrics) or isinstance(metrics, str) or not isinstance(metrics, Sequence):
        raise TypeError(f"metrics must be a dict {{name: metric}} or a list of functions "
                        f"metric(params, batch), got {type(metrics).__name__}; pass e.g. "
                        "metrics={'accuracy': accuracy} or metrics=[accuracy]")
    else:
        named = {getattr(m, "__name__", f"metric{k}"): m for k, m in enumerate(metrics)}
    for name, fn in named.items():
        if not callable(fn):
            raise TypeError(f"metric {name!r} must be callable as metric(params, batch)")
    return named


def _check_optimizer(optimizer: Any) -> None:
    if not (callable(getattr(optimizer, "init", None))
            and callable(getattr(optimizer, "update", None))):
        raise TypeError(
            "optimizer must provide init(params) and update(grads, state, params), e.g. "
            f"steepest.optimizers.adam(1e-3); got {type(optimizer).__name__}"
        )


def _monitor(early_stopping: EarlyStopping | None, monitor: str | None,
             has_validation: bool, metric_keys: list[str]) -> BestTracker:
    known = ["loss", *(["val_loss"] if has_validation else []), *metric_keys]
    if early_stopping is not None:
        name, mode, delta = early_stopping.monitor, early_stopping.mode, early_stopping.min_delta
    else:
        name, mode, delta = monitor or ("val_loss" if has_validation else "loss"), "auto", 0.0
    if name not in known:
        hint = " (pass validation=... to get val_* keys)" if name.startswith("val_") else ""
        raise ValueError(f"cannot monitor {name!r}: the history will hold {known}{hint}")
    return BestTracker(name, resolve_mode(name, mode), delta)


def _objective(loss: Any, data: Any, value_and_grad: Any, per_example: bool) -> FiniteSum:
    if not isinstance(loss, FiniteSum):
        return FiniteSum(loss, data, value_and_grad=value_and_grad, per_example=per_example)
    if data is not None or value_and_grad is not None:
        raise ValueError("a FiniteSum already holds its data and gradient: pass data=None "
                         "and no value_and_grad, or pass the loss function instead")
    return loss


def _train_epoch(loop: RunState, objective: FiniteSum, sampler: BatchSampler, optimizer: Any,
                 bar: ProgressBar, step: Stepper) -> float:
    """One pass over the minibatches; returns the mean minibatch loss (nan on failure)."""
    total, seen = 0.0, 0
    params, opt_state = loop.params, loop.opt_state
    batches = sampler.epoch(loop.rng)
    grad_fn_mode = isinstance(optimizer, GradFnOptimizer)  # update takes a gradient function
    for k, idx in enumerate(batches, 1):
        batch = objective.batch(idx)  # a distributed sum hands back a handle on its rows
        if grad_fn_mode:  # the optimizer asks for gradients itself; log C at θ
            value, grads = objective.mean_loss(params, batch), None
            step = _grad_fn_step(objective, batch)
        else:
            value, grads = objective.batch_value_and_grad(params, batch)
        value = float(value)
        if not np.isfinite(value):
            loop.status = Status.NON_FINITE
            loop.message = (f"non-finite loss ({value}) at epoch {loop.epoch + 1}, batch {k}; "
                            f"returning {loop.safe.words()}")
            loop.params, loop.opt_state = params, opt_state  # as last_params, for inspection
            return float("nan")
        params, opt_state = step(optimizer, grads, opt_state, params)
        loop.steps += 1
        total += value * len(idx)
        seen += len(idx)
        bar.batch(loop.epoch + 1, k, total / seen)
    loop.params, loop.opt_state = params, opt_state
    return total / seen


def _evaluate(params: Any, loss_value: float, validation: FiniteSum | None,
              train: FiniteSum, metrics: dict[str, Metric]) -> dict[str, float]:
    logs = {"loss": loss_value}
    target = validation if validation is not None else train
    prefix = "val_" if validation is not None else ""
    if validation is not None:
        logs["val_loss"] = float(validation.value(params))
    for name, fn in metrics.items():
        logs[prefix + name] = target.metric(fn, params)
    return logs


def _check_health(loop: RunState, value: float, divergence: float | None) -> None:
    """Record the full training loss ``value`` of the epoch's end; stop on nan/inf or growth."""
    if not (_all_finite(loop.params) and np.isfinite(value)):
        what = ("parameters became non-finite" if not _all_finite(loop.params)
                else f"non-finite loss ({value}) on the training data")
        loop.status = Status.NON_FINITE
        loop.message = (f"{what} at the end of epoch {loop.epoch}; returning "
                        f"{loop.safe.words()}")
    elif loop.safe.diverged(value, divergence):
        loop.status = Status.DIVERGED
        loop.message = (f"diverged: the training loss {value:.6g} at epoch {loop.epoch} exceeds "
                        f"divergence={divergence:g} times its best; returning "
                        f"{loop.safe.words()} (lower the learning rate, or pass "
                        "divergence=None to go on)")
    else:
        loop.safe.offer(loop.epoch, value, loop.params)


def _end_epoch(loop: RunState, logs: dict[str, float], early_stopping: EarlyStopping | None,
               callbacks: Sequence[Callable[[EpochEnd], Any]]) -> None:
    loop.history.append(logs)
    if loop.status is not None:  # non-finite or diverged (see _check_health)
        return
    if loop.tracker.update(loop.epoch, logs[loop.tracker.monitor]):
        loop.best_params = copy_tree(loop.params)
    if early_stopping is not None and loop.tracker.wait >= early_stopping.patience:
        loop.status = Status.EARLY_STOPPED
        loop.message = (f"{loop.tracker.monitor} did not improve for {loop.tracker.wait} "
                        f"epochs; best epoch {loop.tracker.best_epoch}")
    event = EpochEnd(loop.epoch, logs, loop.params, loop.opt_state, loop.history)
    for cb in callbacks:
        cb(event)
    if event.stop_reason and loop.status is None:
        loop.status, loop.message = Status.STOPPED_BY_CALLBACK, event.stop_reason


def _result(loop: RunState, early_stopping: EarlyStopping | None, epochs: int) -> FitResult:
    status = Status.SUCCESS if loop.status is None else loop.status
    message = loop.message or f"completed {loop.epoch} epochs"
    restore = early_stopping is not None and early_stopping.restore_best
    if status in (Status.NON_FINITE, Status.DIVERGED):
        params = loop.safe.params
    else:
        params = loop.best_params if restore else loop.params
    return FitResult(
        params=params, best_params=loop.best_params,
        best_epoch=loop.tracker.best_epoch, best_value=loop.tracker.best_value,
        monitor=loop.tracker.monitor, last_params=loop.params, opt_state=loop.opt_state,
        history=loop.history, status=status, message=message, epochs=loop.epoch,
        steps=loop.steps,
    )


@dataclass(frozen=True)
class _Plan:
    """The fixed ingredients of one run: objective, validation sum, batching, metrics."""

    objective: FiniteSum
    validation: FiniteSum | None
    sampler: BatchSampler
    metrics: dict[str, Metric]
    config: dict[str, Any]


def _layout(td: Any) -> Any:
    """The structure of a pytree with lists, tuples and namedtuples alike (all sequences)."""
    kind = "seq" if td.kind in ("list", "tuple", "namedtuple") else td.kind
    keys = td.meta if td.kind == "dict" else None
    return kind, keys, tuple(_layout(c) for c in td.children)


def _check_validation(validation: Any, data: Any) -> None:
    """``validation`` must have the pytree structure of the training data."""
    if validation is None:
        return
    want, got = tree_structure(data), tree_structure(validation)
    if _layout(want) != _layout(got):
        raise ValueError(
            f"validation must have the structure of data, {want!r}, got {got!r}: pass the "
            "features and the targets, e.g. validation=(X_val, y_val) for data=(X, y)"
        )


def _plan(loss: Any, data: Any, validation: Any,
          metrics: Mapping[str, Metric] | Sequence[Metric] | None, value_and_grad: Any,
          per_example: bool, batch_size: int, **batching: bool) -> _Plan:
    """Check and assemble what :func:`fit` trains on (``batching``: shuffle, replacement,
    drop_last of the :class:`~steepest.train.batches.BatchSampler`)."""
    objective = _objective(loss, data, value_and_grad, per_example)
    _check_validation(validation, objective.data)
    val = None if validation is None else objective.with_data(validation)
    sampler = objective.sampler(batch_size, **batching)
    named = _named_metrics(metrics)
    return _Plan(objective, val, sampler, named, run_config(objective.n, sampler))


def _start(params: Any, opt_state: Any, seed: int | None, resume: Any,
           plan: _Plan, tracker: BestTracker, epochs: int) -> RunState:
    """A fresh run seeded with ``seed``, or the one saved at ``resume``."""
    if resume is not None:
        return restore_run(resume, params, opt_state, plan.config, tracker, epochs)
    return RunState(params, opt_state, np.random.default_rng(seed), copy_tree(params), tracker,
                 Fallback.start_at(params, _full_loss(plan.objective, params)))


def _run_epoch(loop: RunState, plan: _Plan, optimizer: Any, bar: ProgressBar, step: Stepper,
               early_stopping: EarlyStopping | None,
               callbacks: Sequence[Callable[[EpochEnd], Any]],
               checkpoint: str | os.PathLike[str] | None, divergence: float | None) -> None:
    """Train one epoch, evaluate, record, and checkpoint; sets ``loop.status`` to stop."""
    t0 = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # status reports it
        train_loss = _train_epoch(loop, plan.objective, plan.sampler, optimizer, bar, step)
        if loop.status is not None:
            return
        loop.epoch += 1
        logs = {"epoch": loop.epoch, **_evaluate(loop.params, train_loss, plan.validation,
                                                 plan.objective, plan.metrics)}
        _check_health(loop, _full_loss(plan.objective, loop.params), divergence)
    logs["time"] = time.perf_counter() - t0
    _end_epoch(loop, logs, early_stopping, callbacks)
    bar.epoch_end(loop.epoch, logs, " *" if loop.tracker.best_epoch == loop.epoch else "")
    if checkpoint is not None and loop.status not in (Status.NON_FINITE, Status.DIVERGED):
        save_run(checkpoint, loop, plan.config)


def _check_fit_args(optimizer: Any, callbacks: Any, seed: Any, params: Any, epochs: Any,
                    divergence: Any, jit: Any) -> list[Callable[[EpochEnd], Any]]:
    """:func:`fit`'s boundary checks; returns the callbacks as a list."""
    _check_optimizer(optimizer)
    callbacks = check_callables(callbacks, "callbacks")
    check_seed(seed)
    for leaf in tree_leaves(params):
        check_float_leaf(leaf)
    if isinstance(epochs, bool) or not isinstance(epochs, int | float | np.integer) \
            or not np.isfinite(epochs) or int(epochs) != epochs or epochs < 0:
        raise ValueError(f"epochs must be a non-negative integer, got {epochs!r}; pass e.g. "
                         "epochs=10")
    if divergence is not None and check_positive_float(
            divergence, "divergence", fix="pass e.g. divergence=1e3, or None") <= 1:
        raise ValueError(f"divergence must be > 1 (a factor over the best loss), got "
                         f"{divergence}; pass e.g. divergence=1e3, or None to disable")
    if not isinstance(jit, (bool, np.bool_)):
        raise TypeError(f"jit must be True or False, got {jit!r}")
    return callbacks


def fit(
    loss: Callable[[Any, Any], Any],
    params: Any,
    data: Any,
    optimizer: Any,
    epochs: int,
    batch_size: int = 32,
    *,
    validation: Any = None,
    metrics: Mapping[str, Metric] | Sequence[Metric] | None = None,
    early_stopping: EarlyStopping | None = None,
    callbacks: Sequence[Callable[[EpochEnd], Any]] = (),
    seed: int | None = 0,
    checkpoint: str | os.PathLike[str] | None = None,
    resume: str | os.PathLike[str] | bool | None = None,
    progress: bool | str | None = None,
    value_and_grad: Callable[[Any, Any], tuple[Any, Any]] | None = None,
    per_example: bool = False,
    shuffle: bool = True,
    replacement: bool = False,
    drop_last: bool = False,
    monitor: str | None = None,
    stream: TextIO | None = None,
    divergence: float | None = 1e3,
    jit: bool = False,
) -> FitResult:
    """Train ``params`` on the finite sum of ``loss`` over ``data`` with minibatch steps.

    Each epoch shuffles the data with one seeded generator, takes one ``optimizer`` step per
    minibatch with the minibatch gradient ``(1/n_b) Σ_{i∈𝓘} ∇Cᵢ(θ)`` (Liquet eq. 4.13), then
    logs the training loss, ``val_loss`` and the metrics, and keeps the best epoch's parameters.

    Args:
        loss: ``loss(params, batch)``: mean loss of a batch (or per-example losses with
            ``per_example=True``), plain NumPy. Differentiated by :mod:`steepest.autodiff`
            unless ``value_and_grad(params, batch) -> (loss, grads)`` is given. A
            :class:`FiniteSum` is accepted too (then ``data=None``).
        params: initial parameters (pytree of arrays).
        data: training data, a pytree of arrays sharing the leading axis, e.g. ``(X, y)``.
        optimizer: ``Optimizer(init, update)`` from :mod:`steepest.optimizers`; a
            ``GradFnOptimizer`` (true Nesterov, eq. 4.33–4.34) is handed the minibatch
            gradient as a function of the point instead.
        epochs: number of passes over the data (a resumed run counts the epochs already done).
        batch_size: minibatch size ``n_b`` (``n`` for full-batch gradient descent).
        validation: validation data with the structure of ``data``.
        metrics: ``{name: metric(params, batch) -> float}`` (or a list, named by ``__name__``),
            computed on the validation data as ``val_<name>`` (on the training data otherwise).
        early_stopping: an :class:`EarlyStopping`; it also chooses the monitored key.
        callbacks: callables receiving an :class:`EpochEnd` after every epoch.
        seed: seed of ``np.random.default_rng`` for shuffling.
        checkpoint: path of an ``.npz`` checkpoint rewritten (atomically) after every epoch.
        resume: path of a checkpoint to continue from; the continued run equals an
            uninterrupted one bit for bit. ``resume=True`` continues from ``checkpoint`` when
            that file exists and starts afresh otherwise (restartable jobs).
        progress: None: a progress bar only on a terminal; True: always; False: never;
            ``"plain"``/``"tqdm"``: always, that kind. On the default stream the bar is tqdm's
            when tqdm is installed (extra ``progress``), steepest's plain line otherwise (see
            :mod:`steepest._progress`).
        per_example, shuffle, replacement, drop_last: see :class:`FiniteSum` and
            :class:`~steepest.train.batches.BatchSampler`.
        monitor: history key defining the best epoch without early stopping (default
            ``"val_loss"`` with validation data, else ``"loss"``).
        stream: where the progress bar writes (``sys.stdout``).
        divergence: stop with status ``DIVERGED`` when the full training loss at the end of an
            epoch exceeds ``divergence`` times its best (``b + (divergence − 1)|b|`` for a
            negative best ``b``) and its starting value; ``None`` never stops for growth.
            The default ``1e3`` stops a run at 1.5× the stable step long before overflow.
        jit: compile ``loss`` and (without a ``value_and_grad``) its autodiff value and
            gradient with :func:`steepest.jit`: each minibatch shape is traced once and
            replayed after (a smaller last minibatch is one more trace).

    Returns:
        A :class:`FitResult` (``params``, ``best_params``, ``best_epoch``, ``history``,
        ``status`` ...). A non-finite loss ends training with status ``NON_FINITE``, a
        diverging one with ``DIVERGED``; either way ``params`` is the best point on the full
        training objective ``C(θ)`` among the start and the epoch ends, never worse than the
        start (NumPy's overflow/invalid warnings are silenced inside the loop: the status
        reports the failure instead). Each epoch evaluates ``C`` once on all the data.

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(64, 2)); y = X @ np.array([1.0, -2.0])
        >>> def loss(w, b):
        ...     return np.mean((b[0] @ w - b[1]) ** 2)
        >>> def vg(w, b):  # optional: an analytic gradient instead of autodiff
        ...     r = b[0] @ w - b[1]
        ...     return np.mean(r ** 2), 2 * b[0].T @ r / len(r)
        >>> class SGD:  # any Optimizer(init, update), e.g. steepest.optimizers.sgd(0.1)
        ...     init = staticmethod(lambda p: ())
        ...     update = staticmethod(lambda g, s, p=None: (-0.1 * g, s))
        >>> res = fit(loss, np.zeros(2), (X, y), SGD(), epochs=30, batch_size=8,
        ...           value_and_grad=vg, progress=False)
        >>> np.round(res.params, 6), res.status.name
        (array([ 1., -2.]), 'SUCCESS')

    Reference: Liquet, Moka & Nazarathy, *Mathematical Engineering of Deep Learning*, §4.2.
    """
    callbacks = _check_fit_args(optimizer, callbacks, seed, params, epochs, divergence, jit)
    if jit and callable(loss) and not isinstance(loss, FiniteSum):
        if value_and_grad is None and not per_example:
            value_and_grad = compile_jit(autodiff_value_and_grad(loss))
        loss = compile_jit(loss)
    plan = _plan(loss, data, validation, metrics, value_and_grad, per_example,
                 batch_size, shuffle=shuffle, replacement=replacement, drop_last=drop_last)
    prefix = "val_" if validation is not None else ""
    tracker = _monitor(early_stopping, monitor, plan.validation is not None,
                       [prefix + m for m in plan.metrics])
    checkpoint = None if checkpoint is None else checkpoint_path(checkpoint)  # ck == ck.npz
    loop = _start(params, optimizer.init(params), seed, resume_path(resume, checkpoint),
                  plan, tracker, int(epochs))
    bar = ProgressBar(epochs, plan.sampler.num_batches, progress, stream)
    while loop.status is None and loop.epoch < epochs:  # optimizer_step: fused for Adam & co
        _run_epoch(loop, plan, optimizer, bar, optimizer_step, early_stopping, callbacks,
                   checkpoint, divergence)
    bar.close()
    return _result(loop, early_stopping, epochs)
