"""fit with the real steepest.optimizers rules: the loop is exactly minibatch training."""

import numpy as np
import pytest

from steepest import optimizers as so
from steepest.train import BatchSampler, EarlyStopping, fit
from steepest.tree import tree_leaves, tree_map

from ._losses import tanh_net as loss


def data(seed, n=40):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, np.cos(X[:, 1]) + 0.1 * rng.normal(size=n)


def init():
    rng = np.random.default_rng(3)
    return {"W": rng.normal(size=(3, 4)) * 0.5, "v": rng.normal(size=4) * 0.5}


def _bits(tree):
    return [np.asarray(a).tobytes() for a in (tree["W"], tree["v"])]


RULES = {
    "sgd": lambda: so.sgd(0.05),
    "momentum": lambda: so.momentum(0.05, 0.9),
    "adam": lambda: so.adam(1e-2),
    "nadam": lambda: so.nadam(1e-2),
    "rmsprop": lambda: so.rmsprop(1e-2),
    "nesterov": lambda: so.nesterov(0.05, 0.9),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_fit_equals_a_hand_written_minibatch_loop(rule):
    from steepest.autodiff import grad

    X, y = data(0)
    res = fit(loss, init(), (X, y), RULES[rule](), 3, 8, seed=5, progress=False)
    opt, params = RULES[rule](), init()
    state, rng, g = opt.init(params), np.random.default_rng(5), grad(loss)
    sampler = BatchSampler(len(y), 8)
    for _ in range(3):
        for idx in sampler.epoch(rng):
            batch = (X[idx], y[idx])
            if isinstance(opt, so.GradFnOptimizer):
                upd, state = opt.update(lambda q, b=batch: g(q, b), state, params)
                params = so.apply_updates(params, upd)
            else:
                params, state = so.step(opt, g(params, batch), state, params)
    assert res.steps == 15
    assert np.allclose(res.params["W"], params["W"], rtol=1e-12, atol=1e-15)
    assert np.allclose(res.params["v"], params["v"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("rule", ["adam", "nesterov", "momentum"])
def test_resume_is_bit_for_bit_with_library_optimizers(rule, tmp_path):
    kw = dict(batch_size=8, validation=data(1, 20), seed=2, progress=False,
              early_stopping=EarlyStopping(patience=30))
    path = tmp_path / f"{rule}.npz"
    full = fit(loss, init(), data(0), RULES[rule](), 7, **kw)
    fit(loss, init(), data(0), RULES[rule](), 3, checkpoint=path, **kw)
    resumed = fit(loss, init(), data(0), RULES[rule](), 7, resume=path, **kw)
    assert _bits(resumed.params) == _bits(full.params)
    assert _bits(resumed.best_params) == _bits(full.best_params)
    assert resumed.history["val_loss"] == full.history["val_loss"]
    same_state = tree_map(lambda a, b: np.asarray(a).tobytes() == np.asarray(b).tobytes(),
                          resumed.opt_state, full.opt_state)
    assert tree_leaves(same_state) and all(tree_leaves(same_state))
    assert type(resumed.opt_state) is type(full.opt_state)

