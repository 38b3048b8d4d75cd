"""Damaged, foreign and crafted checkpoints raise CheckpointError; the previous one rescues."""

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from steepest.train import CheckpointError, fit, load_checkpoint, save_checkpoint
from steepest.train.checkpoint import previous_path
from steepest.tree import tree_map

from ._losses import tanh_net as loss
from .test_checkpoint import KW, _same_run, data, init_params, tiny_adam

STEEPEST = Path(__import__("steepest").__file__).parent


def _trees(ck, params_dtype):
    """The trees of ``ck``, with the parameters cast to ``params_dtype``."""
    def cast(tree):
        return tree_map(lambda a: a.astype(params_dtype), tree)

    return {"params": cast(ck.restore("params", init_params())),
            "opt_state": ck.restore("opt_state", tiny_adam().init(init_params())),
            "best_params": cast(ck.restore("best_params", init_params()))}


def _resave(path, **changes):
    """Rewrite ``path`` through save_checkpoint (a valid checksum) with crafted metadata."""
    ck = load_checkpoint(path)
    os.unlink(path)
    save_checkpoint(path, _trees(ck, changes.pop("dtype", np.float64)), {**ck.meta, **changes})


def _truncated(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _bad_checksum(path):
    with np.load(path, allow_pickle=False) as npz:
        entries = {k: npz[k] for k in npz.files}
    entries["params/0"] = entries["params/0"] + 1e-12  # one leaf edited, metadata untouched
    np.savez(path, **entries)


def _write_npy(path):
    with open(path, "wb") as fh:
        np.save(fh, np.arange(3.0))


def _history_mismatch(path):
    history = load_checkpoint(path).meta["history"]
    _resave(path, history={k: v[:-1] for k, v in history.items()})


# (case, how the file is damaged, a word the message must contain)
DAMAGE = [
    ("truncated", _truncated, "truncated"),
    ("empty", lambda p: p.write_bytes(b""), "empty"),
    ("garbage bytes", lambda p: p.write_bytes(b"not a checkpoint\x00\xff" * 40), "not an .npz"),
    ("a pickle", lambda p: p.write_bytes(pickle.dumps({"epoch": 3})), "not an .npz"),
    ("a single .npy array", lambda p: _write_npy(p), "single array"),
    ("wrong dtype leaf", lambda p: _resave(p, dtype=np.float32), "dtype float32"),
    ("epoch=-5", lambda p: _resave(p, epoch=-5), "epoch -5"),
    ("epoch=10**6", lambda p: _resave(p, epoch=10**6), "epoch 1000000"),
    ("epoch=2.5", lambda p: _resave(p, epoch=2.5), "epoch 2.5"),
    ("history mismatch", _history_mismatch, "history"),
    ("bad checksum", _bad_checksum, "SHA-256"),
]


def _good_run(tmp_path, epochs=3):
    path = tmp_path / "ck.npz"
    fit(loss, init_params(), data(1), tiny_adam(), epochs, checkpoint=path, **KW)
    return path


@pytest.mark.parametrize("case, damage, word", DAMAGE, ids=[row[0] for row in DAMAGE])
def test_a_damaged_checkpoint_raises_a_clear_error(tmp_path, case, damage, word):
    path = _good_run(tmp_path)
    os.unlink(previous_path(path))  # no previous checkpoint to fall back on
    damage(path)
    with pytest.raises(CheckpointError) as info:
        fit(loss, init_params(), data(1), tiny_adam(), 9, resume=path, **KW)
    message = str(info.value)
    assert word in message and str(path) in message and "resume" in message
    assert isinstance(info.value, ValueError)
    assert Path(str(info.traceback[-1].path)).is_relative_to(STEEPEST)  # raised by steepest
    assert "allow_pickle" not in message


@pytest.mark.parametrize("case, damage, word", DAMAGE, ids=[row[0] for row in DAMAGE])
def test_a_damaged_checkpoint_resumes_from_the_previous_one(tmp_path, case, damage, word):
    path = _good_run(tmp_path)
    assert load_checkpoint(previous_path(path)).meta["epoch"] == 2
    damage(path)
    with pytest.warns(RuntimeWarning, match=r"previous checkpoint .*ck\.prev\.npz"):
        resumed = fit(loss, init_params(), data(1), tiny_adam(), 9, resume=path,
                      checkpoint=path, **KW)
    _same_run(fit(loss, init_params(), data(1), tiny_adam(), 9, **KW), resumed)
    assert load_checkpoint(path).meta["epoch"] == 9


def test_both_checkpoints_damaged_names_the_current_one(tmp_path):
    path = _good_run(tmp_path)
    _truncated(path)
    _truncated(previous_path(path))
    with pytest.raises(CheckpointError, match=r"cannot read checkpoint .*ck\.npz "):
        fit(loss, init_params(), data(1), tiny_adam(), 9, resume=path, **KW)


def test_a_damaged_current_checkpoint_never_replaces_the_good_previous_one(tmp_path):
    path = _good_run(tmp_path)
    good_prev = previous_path(path).read_bytes()
    _truncated(path)
    save_checkpoint(path, {"p": np.arange(3.0)}, {"epoch": 0})
    assert previous_path(path).read_bytes() == good_prev
    assert load_checkpoint(path).meta["epoch"] == 0


def test_save_removes_temporary_files_a_killed_save_left(tmp_path):
    stale = [tmp_path / ".ck.npz.k1ll3d.tmp", tmp_path / ".ck.prev.npz.x9.tmp"]
    other = tmp_path / ".other.npz.x.tmp"  # another checkpoint's: not ours to delete
    for f in [*stale, other]:
        f.write_bytes(b"half a checkpoint")
    fit(loss, init_params(), data(1), tiny_adam(), 2, checkpoint=tmp_path / "ck", **KW)
    assert sorted(os.listdir(tmp_path)) == [".other.npz.x.tmp", "ck.npz", "ck.prev.npz"]


def test_a_failed_save_leaves_no_temporary_file_and_keeps_both_checkpoints(tmp_path,
                                                                           monkeypatch):
    path = _good_run(tmp_path)
    before = path.read_bytes(), previous_path(path).read_bytes()

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(path, {"p": np.arange(3.0)}, {"epoch": 1})
    assert (path.read_bytes(), previous_path(path).read_bytes()) == before
    assert sorted(os.listdir(tmp_path)) == ["ck.npz", "ck.prev.npz"]


def test_load_checkpoint_reports_a_foreign_format(tmp_path):
    path = tmp_path / "f.npz"
    np.savez(path, meta=np.array('{"format": "someone-else/7", "counts": {}}'))
    with pytest.raises(CheckpointError, match="someone-else/7"):
        load_checkpoint(path)
