"""Same rule, same numbers as optax (float64 via a scoped x64 switch); skipped without optax.

This is where Nadam is checked against a peer: optax.nadam implements the seed's rule
(Algorithm 4.2 with line 7 replaced by the look-ahead estimate); torch's NAdam does not.
"""

from __future__ import annotations

import numpy as np
import pytest

import steepest.optimizers as so

from ._opt_reference import max_rel, noisy_quadratic, run

optax = pytest.importorskip("optax")
jax = pytest.importorskip("jax")

GRAD, X0 = noisy_quadratic(seed=4)
STEPS = 300

CASES = {
    "nadam": (lambda: optax.nadam(1e-2), lambda: so.nadam(1e-2)),
    "adam": (lambda: optax.adam(1e-2), lambda: so.adam(1e-2)),
    "adamw": (lambda: optax.adamw(1e-2, weight_decay=0.1),
              lambda: so.adamw(1e-2, weight_decay=0.1)),
    "adamax": (lambda: optax.adamax(1e-2), lambda: so.adamax(1e-2, eps_inside_max=True)),
    "sgd_nesterov": (lambda: optax.sgd(1e-2, momentum=0.9, nesterov=True),
                     lambda: so.lookahead_momentum(1e-2, 0.9, form="sum")),
}


def optax_run(make):
    with jax.enable_x64(True):
        opt = make()
        x = jax.numpy.asarray(X0)
        state = opt.init(x)
        update = jax.jit(opt.update)
        xs = [np.asarray(x)]
        for t in range(STEPS):
            g = jax.numpy.asarray(GRAD(np.asarray(x), t))
            u, state = update(g, state, x)
            x = optax.apply_updates(x, u)
            xs.append(np.asarray(x))
        assert xs[-1].dtype == np.float64
        return np.array(xs)


@pytest.mark.parametrize("name", sorted(CASES))
def test_float64_trajectories_match_optax(name):
    make_optax, make_ours = CASES[name]
    assert max_rel(run(make_ours(), GRAD, X0, STEPS), optax_run(make_optax)) < 1e-12
