"""Crafted checkpoints: a valid checksum over run metadata of the wrong type or range.

Each row rewrites a good checkpoint through ``save_checkpoint`` (so the SHA-256 matches) with one
metadata field changed; resuming must raise a :class:`CheckpointError` naming the file and the
field (never a KeyError, TypeError or a silent resume), or fall back on the previous checkpoint.
"""

import os
from pathlib import Path

import numpy as np
import pytest

from steepest.train import CheckpointError, fit, load_checkpoint, save_checkpoint
from steepest.train.checkpoint import previous_path

from ._losses import tanh_net as loss
from .test_checkpoint import KW, _same_run, data, init_params, tiny_adam

STEEPEST = Path(__import__("steepest").__file__).parent
DELETE = object()


def _resave(path, field, value):
    """Rewrite ``path`` with a valid checksum and ``meta[field] = value(meta[field])``."""
    ck = load_checkpoint(path)
    templates = {"params": init_params(), "opt_state": tiny_adam().init(init_params()),
                 "best_params": init_params(), "fallback_params": init_params()}
    trees = {name: ck.restore(name, t) for name, t in templates.items()}
    meta = dict(ck.meta)
    meta[field] = value(meta.get(field))
    if meta[field] is DELETE:
        del meta[field]
    os.unlink(path)
    save_checkpoint(path, trees, meta)


def _with(**changes):
    return lambda state: {**state, **changes}


def _without(key):
    return lambda state: {k: v for k, v in state.items() if k != key}


def _pcg_with(**changes):
    return lambda rng: {**rng, "state": {**rng["state"], **changes}}


# (case, field, new value from the old one, a word the message must contain)
CRAFTED = [
    ("rng a string", "rng", lambda _: "PCG64", "RNG state"),
    ("rng missing", "rng", lambda _: DELETE, "RNG state"),
    ("rng of MT19937", "rng", lambda _: {"bit_generator": "MT19937",
                                         "state": {"key": [0] * 624, "pos": 0}}, "PCG64"),
    ("rng inner state a string", "rng", lambda r: {**r, "state": "x"}, "RNG state"),
    ("rng inc a float", "rng", _pcg_with(inc=1.5), "round-trip"),
    ("rng has_uint32 text", "rng", lambda r: {**r, "has_uint32": "no"}, "RNG state"),
    ("tracker a list", "tracker", lambda _: [1, 2], "'tracker'"),
    ("tracker missing", "tracker", lambda _: DELETE, "'tracker'"),
    ("tracker without wait", "tracker", _without("wait"), "'tracker'"),
    ("tracker best_epoch 2.5", "tracker", _with(best_epoch=2.5), "best_epoch"),
    ("tracker best_epoch 99", "tracker", _with(best_epoch=99), "best_epoch"),
    ("tracker wait -1", "tracker", _with(wait=-1), "wait"),
    ("tracker best_value text", "tracker", _with(best_value="low"), "'tracker'"),
    ("tracker monitor 3", "tracker", _with(monitor=3), "'tracker'"),
    ("fallback a string", "fallback", lambda _: "x", "'fallback'"),
    ("fallback without start", "fallback", _without("start"), "'fallback'"),
    ("fallback start text", "fallback", _with(start="a"), "'fallback'"),
    ("status unknown", "status", lambda _: "FINE", "'status'"),
    ("status an int", "status", lambda _: 3, "'status'"),
    ("steps -1", "steps", lambda _: -1, "'steps'"),
    ("steps 2.5", "steps", lambda _: 2.5, "'steps'"),
    ("steps missing", "steps", lambda _: DELETE, "'steps'"),
    ("message an int", "message", lambda _: 3, "'message'"),
    ("config missing", "config", lambda _: DELETE, "'config'"),
]
IDS = [row[0] for row in CRAFTED]


def _good_run(tmp_path, epochs=3):
    path = tmp_path / "ck.npz"
    fit(loss, init_params(), data(1), tiny_adam(), epochs, checkpoint=path, **KW)
    return path


@pytest.mark.parametrize("case, field, value, word", CRAFTED, ids=IDS)
def test_crafted_metadata_raises_a_checkpoint_error(tmp_path, case, field, value, word):
    path = _good_run(tmp_path)
    os.unlink(previous_path(path))  # no previous checkpoint to fall back on
    _resave(path, field, value)
    with pytest.raises(CheckpointError) as info:
        fit(loss, init_params(), data(1), tiny_adam(), 9, resume=path, **KW)
    message = str(info.value)
    assert word in message and str(path) in message and "delete" in message
    assert Path(str(info.traceback[-1].path)).is_relative_to(STEEPEST)  # raised by steepest


@pytest.mark.parametrize("case, field, value, word", CRAFTED[::4], ids=IDS[::4])
def test_crafted_metadata_falls_back_on_the_previous_checkpoint(tmp_path, case, field, value,
                                                                word):
    path = _good_run(tmp_path)
    _resave(path, field, value)
    with pytest.warns(RuntimeWarning, match=r"previous checkpoint .*ck\.prev\.npz"):
        resumed = fit(loss, init_params(), data(1), tiny_adam(), 9, resume=path, **KW)
    _same_run(fit(loss, init_params(), data(1), tiny_adam(), 9, **KW), resumed)


def test_an_untouched_resave_still_resumes(tmp_path):
    """The crafting itself keeps a checkpoint valid (so each row tests only its field)."""
    path = _good_run(tmp_path)
    _resave(path, "message", lambda m: m)
    resumed = fit(loss, init_params(), data(1), tiny_adam(), 9, resume=path, **KW)
    _same_run(fit(loss, init_params(), data(1), tiny_adam(), 9, **KW), resumed)
    assert np.all(np.isfinite(resumed.params["W"]))
