"""Adam, momentum and true Nesterov on the Rosenbrock function (Liquet et al. eq. 4.9).

The gradient comes from steepest's automatic differentiation; the optimizers are pure
(init, update) pairs, so the loop is explicit and the state can be inspected at every step.
"""

import numpy as np

import steepest as st
import steepest.optimizers as so


def rosenbrock(p):
    x = p["theta"]
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


grad = st.grad(rosenbrock)
start = {"theta": np.array([0.2, -0.2])}

schedule = so.warmup_cosine_decay(peak_value=0.05, warmup_steps=100, decay_steps=3000)
rules = {
    "adam + clipping + warmup-cosine": so.chain(
        so.clip_by_global_norm(10.0), so.scale_by_adam(), so.scale_by_learning_rate(schedule)
    ),
    "momentum (beta = 0.9, alpha = 0.001/(1 - beta))": so.momentum(0.01, 0.9),
}
for name, opt in rules.items():
    params, state = start, opt.init(start)
    for _ in range(3000):
        params, state = so.step(opt, grad(params), state, params)
    print(f"{name:<50} theta = {params['theta']}, C = {rosenbrock(params):.2e}")

# True Nesterov evaluates the gradient at the look-ahead point itself: pass a gradient function.
opt = so.nesterov(0.01, 0.9)
params, state = start, opt.init(start)
for _ in range(3000):
    updates, state = opt.update(grad, state, params)
    params = so.apply_updates(params, updates)
print(f"{'true Nesterov (gradient function)':<50} theta = {params['theta']}, "
      f"C = {rosenbrock(params):.2e}")
