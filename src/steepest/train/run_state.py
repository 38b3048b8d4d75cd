"""The state of a training run and its checkpoints: what a run holds, how it is saved and resumed.

:class:`RunState` is everything a checkpoint must hold; :func:`save_run` writes it with
:func:`~steepest.train.checkpoint.save_checkpoint` and :func:`restore_run` reads it back, checked
against the current parameters, data layout and monitor, so a resumed run continues exactly
where the saved one stopped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._result import Status
from .batches import BatchSampler
from .checkpoint import (
    Checkpoint,
    checkpoint_path,
    previous_path,
    resume_checkpoint,
    save_checkpoint,
)
from .early_stopping import BestTracker, Fallback
from .history import History


@dataclass
class RunState:
    """Mutable state of one run (everything a checkpoint must hold)."""

    params: Any
    opt_state: Any
    rng: np.random.Generator
    best_params: Any
    tracker: BestTracker
    safe: Fallback
    history: History = field(default_factory=History)
    epoch: int = 0
    steps: int = 0
    status: Status | None = None
    message: str = ""


def run_config(n: int, sampler: BatchSampler) -> dict[str, Any]:
    """The data layout a checkpoint must match to be resumed (size and batching)."""
    return {"n": n, "batch_size": sampler.batch_size, "shuffle": sampler.shuffle,
            "replacement": sampler.replacement, "drop_last": sampler.drop_last}


def _is_count(value: Any, most: float = float("inf")) -> bool:
    return type(value) is int and 0 <= value <= most


def _check_best(ck: Checkpoint, name: str, state: Any, first: str) -> None:
    """``state`` is a :meth:`BestTracker.state` (plus ``first``: ``monitor`` or ``start``)."""
    epoch = ck.meta["epoch"]
    keys = {first, "best_value", "best_epoch", "wait"}
    if not isinstance(state, dict) or set(state) != keys:
        raise ck.invalid(f"its {name!r} state {state!r} is not a dict with keys {sorted(keys)}")
    want_first = str if first == "monitor" else (int, float)
    if not (isinstance(state[first], want_first) and type(state["best_value"]) in (int, float)
            and _is_count(state["best_epoch"], epoch) and _is_count(state["wait"], epoch)):
        raise ck.invalid(f"its {name!r} state {state!r} has a field of the wrong type or out "
                         f"of range (best_epoch and wait are counts up to epoch {epoch})")


def _rng(ck: Checkpoint) -> np.random.Generator:
    """The generator whose ``bit_generator.state`` the checkpoint stored (a PCG64's, exactly)."""
    rng, state = np.random.default_rng(), ck.meta.get("rng")
    try:
        rng.bit_generator.state = state
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        raise ck.invalid(f"its RNG state is not a PCG64 state ({type(exc).__name__}: "
                         f"{exc})") from None
    if rng.bit_generator.state != state:  # e.g. a float where an int belongs
        raise ck.invalid(f"its RNG state {state!r} does not round-trip (a field has the "
                         "wrong type)")
    return rng


def check_run_meta(ck: Checkpoint) -> None:
    """Check the run's own metadata in ``ck`` (types and ranges), as :func:`save_run` wrote it.

    Raises:
        CheckpointError: naming the field that is missing, of the wrong type or out of range.
    """
    meta = ck.meta
    if not _is_count(meta.get("steps")):
        raise ck.invalid(f"'steps' is {meta.get('steps')!r}, not a count of steps")
    if meta.get("status") not in ("", *Status.__members__):
        raise ck.invalid(f"'status' is {meta.get('status')!r}, not a Status name or ''")
    if not isinstance(meta.get("message"), str) or not isinstance(meta.get("config"), dict):
        raise ck.invalid("'message' must be a str and 'config' a dict")
    _check_best(ck, "tracker", meta.get("tracker"), "monitor")
    if meta.get("fallback") is not None:
        _check_best(ck, "fallback", meta["fallback"], "start")
    _rng(ck)


def restore_run(path: str | os.PathLike[str], params: Any, opt_state: Any,
                config: dict[str, Any], tracker: BestTracker, epochs: int) -> RunState:
    """The :class:`RunState` saved at ``path``, checked against this run.

    Raises:
        CheckpointError: a damaged or inconsistent checkpoint (and no good previous one).
        ValueError: a checkpoint of another data layout or monitor.
    """
    templates = {"params": params, "opt_state": opt_state, "best_params": params,
                 "fallback_params": params}
    ck, trees = resume_checkpoint(path, templates, epochs, check_run_meta)
    meta = ck.meta
    if meta["config"] != config:
        raise ValueError(
            f"checkpoint {path} was written with {meta['config']} but this run uses {config}; "
            "resume with the same data and batching, or start without resume="
        )
    if meta["tracker"]["monitor"] != tracker.monitor:
        raise ValueError(f"checkpoint monitors {meta['tracker']['monitor']!r}, this run "
                         f"{tracker.monitor!r}; use the same monitor/early_stopping to resume")
    rng = _rng(ck)
    tracker.load_state(meta["tracker"])
    status = Status[meta["status"]] if meta["status"] else None
    if status is Status.SUCCESS:
        status = None  # more epochs may be asked for now
    return RunState(
        params=trees["params"], opt_state=trees["opt_state"],
        rng=rng, best_params=trees["best_params"], tracker=tracker,
        safe=Fallback.restore(meta.get("fallback"), tracker, trees["best_params"],
                              lambda: trees["fallback_params"]),
        history=History(meta["history"]), epoch=meta["epoch"], steps=meta["steps"],
        status=status, message=meta["message"],
    )


def resume_path(resume: Any, checkpoint: Any) -> Any:
    if resume is True:
        if checkpoint is None:
            raise ValueError("resume=True continues from checkpoint=...; pass a checkpoint path")
        found = checkpoint_path(checkpoint).exists() or previous_path(checkpoint).exists()
        return checkpoint if found else None
    if resume is False:
        return None
    return resume


def save_run(path: str | os.PathLike[str], loop: RunState, config: dict[str, Any]) -> None:
    meta = {
        "epoch": loop.epoch, "steps": loop.steps, "rng": loop.rng.bit_generator.state,
        "history": loop.history.to_dict(), "config": config,
        "tracker": {"monitor": loop.tracker.monitor, **loop.tracker.state()},
        "status": loop.status.name if loop.status is not None else "", "message": loop.message,
        "fallback": loop.safe.state(),
    }
    trees = {"params": loop.params, "opt_state": loop.opt_state, "best_params": loop.best_params,
             "fallback_params": loop.safe.params}
    save_checkpoint(path, trees, meta)
