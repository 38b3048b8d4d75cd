"""Optimizer states know who they belong to (issue 14, defect 4).

A state from another optimizer, or from params of another structure, shape or dtype, is
refused by ``update`` and ``step`` (the fused path included) with a TypeError/ValueError that
names ``state``/``updates``/``params`` and the fix, raised by steepest, not from inside NumPy,
a kernel or f2py. One row per case: adding a case is one line.
"""

from __future__ import annotations

import pathlib
import traceback

import numpy as np
import pytest

import steepest.optimizers as so

P4 = np.zeros(4)
TREE = {"a": np.zeros(2), "b": np.zeros(4)}


def _update(opt, grads, state_of=None, params=P4, init=P4):
    """``opt.update(grads, s, params)`` with ``s`` made by ``state_of`` (default: ``opt``)."""
    return lambda: opt.update(grads, (state_of or opt).init(init), params)


def _step(opt, grads, state_of=None, params=P4, init=P4):
    return lambda: so.step(opt, grads, (state_of or opt).init(init), params)


# id, call, exception, the message must match (argument named, fix given)
CASES = [
    ("adam grads of another shape than init", _update(so.adam(), np.ones((2, 2)),
                                                      params=np.zeros((2, 2))),
     ValueError, r"updates leaf 0 has shape \(2, 2\), the state was initialised for \(4,\).*"
                 r"call init again"),
    ("adam shorter grads, no params (read past: uninitialised memory)",
     _update(so.adam(), np.ones(3), params=None),
     ValueError, r"updates leaf 0 has shape \(3,\), the state was initialised for \(4,\)"),
    ("rmsprop update with a momentum state", _update(so.rmsprop(), np.ones(4), so.momentum()),
     TypeError, r"state does not belong to rmsprop: this state was made by momentum's init.*"
                r"pass the state returned by rmsprop\(\.\.\.\)\.init\(params\)"),
    ("adam update with an sgd state", _update(so.adam(), np.ones(4), so.sgd()),
     TypeError, r"state .*made by sgd's init.*pass the state returned by adam\(\.\.\.\)\.init"),
    ("adam longer grads and params (was an f2py daxpy assertion)",
     _update(so.adam(), np.ones(5), params=np.ones(5)),
     ValueError, r"updates leaf 0 has shape \(5,\), the state was initialised for \(4,\)"),
    ("step: adam longer grads", _step(so.adam(), np.ones(5), params=np.ones(5)),
     ValueError, r"updates leaf 0 has shape \(5,\), the state was initialised for \(4,\)"),
    ("step: rmsprop with a momentum state", _step(so.rmsprop(), np.ones(4), so.momentum()),
     TypeError, r"made by momentum's init.*rmsprop\(\.\.\.\)\.init\(params\)"),
    ("step: adam with an adagrad state", _step(so.adam(), np.ones(4), so.adagrad()),
     TypeError, r"made by adagrad's init.*adam\(\.\.\.\)\.init\(params\)"),
    ("step: momentum with a state of adam with weight decay",
     _step(so.momentum(), np.ones(4), so.adam(weight_decay=0.1)),
     TypeError, r"made by adam's init.*momentum\(\.\.\.\)\.init\(params\)"),
    ("adam with a state of adam with other settings", _update(so.adam(), np.ones(4),
                                                              so.adam(weight_decay=0.1)),
     TypeError, r"made by adam's init with other settings"),
    ("step: sgd grads of another shape than params", _step(so.sgd(), np.ones(5)),
     ValueError, r"updates leaf 0 has shape \(5,\), the params leaf has \(4,\)"),
    ("adam params of another shape than init", _update(so.adam(), np.ones(4),
                                                       params=np.zeros(5)),
     ValueError, r"params leaf 0 has shape \(5,\), the state was initialised for \(4,\)"),
    ("adam float32 params for a float64 state", _update(so.adam(), np.ones(4, np.float32),
                                                        params=np.zeros(4, np.float32)),
     TypeError, r"params leaf 0 has dtype float32, the state was initialised for float64"),
    ("adam complex grads", _update(so.adam(), np.ones(4, complex)),
     TypeError, r"updates leaf 0 has dtype complex128; pass real floating gradients"),
    ("second leaf of a tree mismatched",
     _update(so.adam(), {"a": np.ones(2), "b": np.ones(3)}, params=None, init=TREE),
     ValueError, r"updates leaf 1 has shape \(3,\), the state was initialised for \(4,\)"),
    ("scale_by_adam with a trace state", lambda: so.scale_by_adam().update(
        np.ones(4), so.trace().init(P4)),
     TypeError, r"state is not a AdamState: this state was made by momentum's init"),
    ("adadelta grads of another shape", _update(so.adadelta(), np.ones(3)),
     ValueError, r"updates leaf 0 has shape \(3,\), the state was initialised for \(4,\)"),
    ("adamax with an adam state", _update(so.adamax(), np.ones(4), so.adam()),
     TypeError, r"made by adam's init.*adamax\(\.\.\.\)\.init\(params\)"),
    ("nesterov with a momentum state", lambda: so.nesterov().update(
        lambda p: p, so.momentum().init(P4), P4),
     TypeError, r"state is not a NesterovState: this state was made by momentum's init"),
    ("nesterov params of another shape", lambda: so.nesterov().update(
        lambda p: p, so.nesterov().init(P4), np.zeros(3)),
     ValueError, r"params leaf 0 has shape \(3,\), the state was initialised for \(4,\)"),
    ("apply_if_finite with the bare inner state", lambda: so.apply_if_finite(so.sgd()).update(
        np.ones(4), so.sgd().init(P4), P4),
     TypeError, r"state is not a ApplyIfFiniteState: this state was made by sgd's init"),
]


@pytest.mark.parametrize("call, exc, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_foreign_or_misshapen_state_is_refused_clearly(call, exc, match):
    with pytest.raises(exc, match=match) as info:
        call()
    origin = pathlib.Path(traceback.extract_tb(info.tb)[-1].filename)
    assert "steepest" in origin.parts and "optimizers" in origin.parts, origin  # not NumPy/f2py


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw",
                                  "nadam", "adadelta", "adamax"])
def test_own_state_still_accepted_on_every_path(name):
    opt = getattr(so, name)(0.01)
    params = {"w": np.ones((2, 3)), "b": np.zeros(3, np.float32)}
    grads = {"w": np.full((2, 3), 0.5), "b": np.ones(3, np.float32)}
    state = opt.init(params)
    updates, s1 = opt.update(grads, state, params)
    new, s2 = so.step(opt, grads, state, params)
    for key in params:
        np.testing.assert_allclose(so.apply_updates(params, updates)[key], new[key], rtol=1e-6)
    assert type(s1) is type(s2) is tuple and [type(x) for x in s1] == [type(x) for x in s2]
