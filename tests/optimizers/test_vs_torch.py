"""Same rule, same numbers as torch.optim where the definitions coincide (skipped without torch).

torch.optim.NAdam is not compared: it uses a momentum-decay schedule
mu_t = beta1 (1 - 0.5 * 0.96^(t psi)) that differs from the seed's (and optax's) Nadam.
"""

from __future__ import annotations

import numpy as np
import pytest

import steepest.optimizers as so

from ._opt_reference import max_rel, noisy_quadratic, run

torch = pytest.importorskip("torch")

GRAD, X0 = noisy_quadratic(seed=1)


def torch_run(make, x0, steps, dtype=torch.float64):
    p = torch.tensor(x0, dtype=dtype, requires_grad=True)
    opt = make([p])
    xs = [x0.copy()]
    for t in range(steps):
        p.grad = torch.tensor(GRAD(p.detach().numpy().astype(float), t), dtype=dtype)
        opt.step()
        xs.append(p.detach().numpy().copy())
    return np.array(xs)


CASES = {
    "adam": (lambda ps: torch.optim.Adam(ps, lr=1e-2, foreach=False), so.adam(1e-2)),
    "adam_foreach": (lambda ps: torch.optim.Adam(ps, lr=1e-2, foreach=True), so.adam(1e-2)),
    "adam_l2": (lambda ps: torch.optim.Adam(ps, lr=1e-2, weight_decay=0.1),
                so.adam(1e-2, weight_decay=0.1)),
    "adamw": (lambda ps: torch.optim.AdamW(ps, lr=1e-2, weight_decay=0.1),
              so.adamw(1e-2, weight_decay=0.1)),
    "sgd_momentum": (lambda ps: torch.optim.SGD(ps, lr=1e-2, momentum=0.9),
                     so.momentum(1e-2, 0.9, form="sum")),
    "sgd_nesterov": (lambda ps: torch.optim.SGD(ps, lr=1e-2, momentum=0.9, nesterov=True),
                     so.lookahead_momentum(1e-2, 0.9, form="sum")),
    "sgd_l2": (lambda ps: torch.optim.SGD(ps, lr=1e-2, weight_decay=0.1),
               so.sgd(1e-2, weight_decay=0.1)),
    "rmsprop": (lambda ps: torch.optim.RMSprop(ps, lr=1e-2, alpha=0.99, eps=1e-8),
                so.rmsprop(1e-2, 0.99, 1e-8)),
    "adagrad": (lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-10), so.adagrad(0.1, 1e-10)),
    "adadelta": (lambda ps: torch.optim.Adadelta(ps, lr=1.0, rho=0.9, eps=1e-6),
                 so.adadelta(1.0, 0.9, 1e-6, eps_inside_sqrt=True)),
    "adamax": (lambda ps: torch.optim.Adamax(ps, lr=2e-2, eps=1e-8),
               so.adamax(2e-2, eps=1e-8, eps_inside_max=True)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_float64_trajectories_match_torch(name):
    make_torch, opt = CASES[name]
    ref = torch_run(make_torch, X0, 1000)
    assert max_rel(run(opt, GRAD, X0, 1000), ref) < 1e-12


@pytest.mark.parametrize("inplace", [False, True])
def test_fused_adam_step_matches_torch(inplace):
    ref = torch_run(CASES["adam"][0], X0, 1000)
    assert max_rel(run(so.adam(1e-2), GRAD, X0, 1000, fused=True, inplace=inplace), ref) < 1e-12


@pytest.mark.parametrize("name", ["adam", "adamw", "rmsprop", "sgd_momentum"])
def test_float32_stays_float32_and_tracks_torch(name):
    make_torch, opt = CASES[name]
    x32 = X0.astype(np.float32)
    ref = torch_run(make_torch, x32, 200, dtype=torch.float32)
    got = run(opt, lambda x, t: GRAD(x.astype(float), t).astype(np.float32), x32, 200)
    assert got.dtype == np.float32
    assert max_rel(got, ref) < 1e-5
