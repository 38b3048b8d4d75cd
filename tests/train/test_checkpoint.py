import json
import os
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steepest import Status
from steepest.train import EarlyStopping, fit, load_checkpoint, save_checkpoint
from steepest.tree import tree_flatten, tree_map

from ._losses import tanh_net as loss
from ._losses import tanh_net_value_and_grad as loss_vg


class Optimizer(NamedTuple):
    init: object
    update: object


class AdamState(NamedTuple):  # a NamedTuple state with a python int, like optax/steepest
    count: int
    mu: object
    nu: object


def tiny_adam(lr=0.01, b1=0.9, b2=0.999, eps=1e-8):
    def init(params):
        zeros = tree_map(np.zeros_like, params)
        return AdamState(0, zeros, tree_map(np.zeros_like, params))

    def update(g, s, params=None):
        t = s.count + 1
        mu = tree_map(lambda m, g: b1 * m + (1 - b1) * g, s.mu, g)
        nu = tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, s.nu, g)
        upd = tree_map(lambda m, v: -lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps),
                       mu, nu)
        return upd, AdamState(t, mu, nu)

    return Optimizer(init, update)


def data(seed, n=50):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, np.sin(X[:, 0]) + 0.1 * rng.normal(size=n)


def init_params():
    rng = np.random.default_rng(7)
    return {"W": rng.normal(size=(3, 5)) * 0.5, "v": rng.normal(size=5) * 0.5}


KW = dict(batch_size=8, validation=data(2, 30), value_and_grad=loss_vg, progress=False,
          seed=11, early_stopping=EarlyStopping(patience=50))


def _bits(tree):
    return [np.asarray(leaf).tobytes() for leaf in tree_map(np.asarray, tree).values()] \
        if isinstance(tree, dict) else np.asarray(tree).tobytes()


def _same_run(a, b):
    assert _bits(a.params) == _bits(b.params)
    assert _bits(a.best_params) == _bits(b.best_params)
    assert a.opt_state.count == b.opt_state.count and type(b.opt_state.count) is int
    assert _bits(a.opt_state.mu) == _bits(b.opt_state.mu)
    assert _bits(a.opt_state.nu) == _bits(b.opt_state.nu)
    for key in ("epoch", "loss", "val_loss"):
        assert a.history[key] == b.history[key]
    assert (a.best_epoch, a.steps, a.status) == (b.best_epoch, b.steps, b.status)


def test_resume_continues_bit_for_bit(tmp_path):
    path = tmp_path / "run.npz"
    full = fit(loss, init_params(), data(1), tiny_adam(), 9, **KW)
    part = fit(loss, init_params(), data(1), tiny_adam(), 4, checkpoint=path, **KW)
    assert part.epochs == 4 and path.exists()
    resumed = fit(loss, init_params(), data(1), tiny_adam(), 9, resume=path, **KW)
    _same_run(full, resumed)


def test_resume_after_a_crash_mid_run(tmp_path):
    path = tmp_path / "crash.npz"

    class Crash(RuntimeError):
        pass

    def crash_in_epoch_six(event):
        if event.epoch == 5:
            raise Crash  # raised after epoch 5's logs but before its checkpoint

    with pytest.raises(Crash):
        fit(loss, init_params(), data(1), tiny_adam(), 9, checkpoint=path,
            callbacks=[crash_in_epoch_six], **KW)
    assert load_checkpoint(path).meta["epoch"] == 4
    resumed = fit(loss, init_params(), data(1), tiny_adam(), 9, resume=path,
                  checkpoint=path, **KW)
    _same_run(fit(loss, init_params(), data(1), tiny_adam(), 9, **KW), resumed)
    assert load_checkpoint(path).meta["epoch"] == 9


def test_checkpoint_is_plain_npz_without_pickle(tmp_path):
    path = tmp_path / "c.npz"
    fit(loss, init_params(), data(1), tiny_adam(), 2, checkpoint=path, **KW)
    with np.load(path, allow_pickle=False) as npz:
        assert all(npz[k].dtype != object for k in npz.files)
        meta = json.loads(str(npz["meta"]))
    assert meta["epoch"] == 2 and meta["rng"]["bit_generator"] == "PCG64"
    assert meta["structures"]["opt_state"]["namedtuple"].endswith("AdamState")
    # no temporary files left over; the previous good checkpoint is kept
    assert sorted(os.listdir(tmp_path)) == ["c.npz", "c.prev.npz"]


def test_failed_write_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    path = save_checkpoint(tmp_path / "k", {"p": np.arange(3.0)}, {"epoch": 1})
    assert path.name == "k.npz"
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(path, {"p": np.arange(4.0)}, {"epoch": 2})
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["k.npz"]


def test_restore_checks_structure_and_types(tmp_path):
    state = AdamState(3, {"a": np.ones(2, np.float32)}, [np.float64(2.5), 1.5])
    path = save_checkpoint(tmp_path / "s.npz", {"s": state}, {})
    ck = load_checkpoint(path)
    back = ck.restore("s", AdamState(0, {"a": np.zeros(2, np.float32)}, [np.float64(0), 0.0]))
    assert type(back) is AdamState and back.count == 3 and type(back.count) is int
    assert back.mu["a"].dtype == np.float32 and np.array_equal(back.mu["a"], np.ones(2))
    assert type(back.nu[0]) is np.float64 and type(back.nu[1]) is float and back.nu[1] == 1.5
    with pytest.raises(ValueError, match="structure"):
        ck.restore("s", AdamState(0, {"b": np.zeros(2)}, [0.0, 0.0]))
    with pytest.raises(ValueError, match="shape"):
        ck.restore("s", AdamState(0, {"a": np.zeros(3)}, [np.float64(0), 0.0]))


def test_resume_rejects_a_different_setup(tmp_path):
    path = tmp_path / "c.npz"
    fit(loss, init_params(), data(1), tiny_adam(), 1, checkpoint=path, **KW)
    with pytest.raises(ValueError, match="batch_size"):
        fit(loss, init_params(), data(1), tiny_adam(), 3, resume=path,
            **{**KW, "batch_size": 5})
    with pytest.raises(FileNotFoundError, match="resume"):
        fit(loss, init_params(), data(1), tiny_adam(), 3, resume=tmp_path / "none.npz", **KW)
    with pytest.raises(TypeError, match="numeric"):
        save_checkpoint(tmp_path / "o.npz", {"p": [object()]}, {})


def test_resuming_a_finished_or_stopped_run_changes_nothing(tmp_path):
    path = tmp_path / "done.npz"
    done = fit(loss, init_params(), data(1), tiny_adam(), 3, checkpoint=path, **KW)
    again = fit(loss, init_params(), data(1), tiny_adam(), 3, resume=path, **KW)
    _same_run(done, again)
    stop_kw = {**KW, "early_stopping": EarlyStopping(patience=1, min_delta=10.0)}
    stopped = fit(loss, init_params(), data(1), tiny_adam(), 9, checkpoint=path, **stop_kw)
    assert stopped.status is Status.EARLY_STOPPED and stopped.epochs == 2
    resumed = fit(loss, init_params(), data(1), tiny_adam(), 20, resume=path, **stop_kw)
    _same_run(stopped, resumed)
    assert _bits(resumed.params) == _bits(stopped.params)


def test_zero_epochs_returns_the_initial_parameters():
    p0 = init_params()
    res = fit(loss, p0, data(1), tiny_adam(), 0, **KW)
    assert res.epochs == 0 and res.steps == 0 and res.status is Status.SUCCESS
    assert _bits(res.params) == _bits(p0) and res.best_epoch == 0


_dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.bool_, np.float16])
_leaves = st.builds(
    lambda dt, shape, seed: (np.random.default_rng(seed).normal(size=shape) * 100).astype(dt),
    _dtypes, st.lists(st.integers(0, 3), max_size=3).map(tuple), st.integers(0, 1000),
) | st.floats(allow_nan=True) | st.integers(-(2**40), 2**40)
_trees = st.recursive(
    _leaves,
    lambda kids: st.lists(kids, max_size=3) | st.tuples(kids, kids)
    | st.dictionaries(st.text("abcxyz", min_size=1, max_size=3), kids, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60)
@given(tree=_trees)
def test_any_pytree_round_trips_bit_for_bit(tree, tmp_path_factory):
    path = tmp_path_factory.mktemp("ck") / "t.npz"
    save_checkpoint(path, {"t": tree}, {"note": "x"})
    ck = load_checkpoint(path)
    back = ck.restore("t", tree)
    a, td_a = tree_flatten(tree)
    b, td_b = tree_flatten(back)
    assert td_a == td_b and ck.meta["note"] == "x"
    for x, y in zip(a, b):
        assert type(x) is type(y)
        assert np.asarray(x).dtype == np.asarray(y).dtype
        assert np.asarray(x).tobytes() == np.asarray(y).tobytes()


def test_resume_true_restarts_from_the_checkpoint_when_it_exists(tmp_path):
    path = tmp_path / "job.npz"
    first = fit(loss, init_params(), data(1), tiny_adam(), 3, checkpoint=path, resume=True, **KW)
    assert first.epochs == 3  # no checkpoint yet: a fresh start
    second = fit(loss, init_params(), data(1), tiny_adam(), 6, checkpoint=path, resume=True,
                 **KW)
    _same_run(fit(loss, init_params(), data(1), tiny_adam(), 6, **KW), second)
    with pytest.raises(ValueError, match="checkpoint"):
        fit(loss, init_params(), data(1), tiny_adam(), 1, resume=True, **KW)


@pytest.mark.parametrize("name", ["ck", "ck.npz"])
def test_resume_true_finds_the_checkpoint_with_or_without_npz(tmp_path, name):
    path = tmp_path / name
    fit(loss, init_params(), data(1), tiny_adam(), 3, checkpoint=path, resume=True, **KW)
    trained = []
    second = fit(loss, init_params(), data(1), tiny_adam(), 6, checkpoint=path, resume=True,
                 callbacks=[lambda event: trained.append(event.epoch)], **KW)
    assert trained == [4, 5, 6]  # continued from epoch 3, not restarted
    assert load_checkpoint(tmp_path / "ck.npz").meta["epoch"] == 6
    _same_run(fit(loss, init_params(), data(1), tiny_adam(), 6, **KW), second)
    other = tmp_path / ("ck.npz" if name == "ck" else "ck")  # the other spelling, explicitly
    _same_run(second, fit(loss, init_params(), data(1), tiny_adam(), 6, resume=other, **KW))
    assert sorted(os.listdir(tmp_path)) == ["ck.npz", "ck.prev.npz"]
