"""Independent reference implementations, written straight from the update equations.

They share no code with steepest.optimizers: whole-array NumPy in float64, one function per
rule, each returning the parameter trajectory for a given gradient oracle.
"""

from __future__ import annotations

import numpy as np

from steepest.optimizers import apply_updates, step


def noisy_quadratic(d: int = 7, seed: int = 0):
    """Gradient oracle of 0.5 (x-c)' A (x-c) plus deterministic per-step noise."""
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((d, d))
    a = q @ q.T / d + np.eye(d) * 0.1
    c = rng.standard_normal(d)
    noise = rng.standard_normal((5000, d)) * 0.3

    def grad(x, t):
        return a @ (x - c) + noise[t % len(noise)]

    return grad, rng.standard_normal(d) * 2.0


def adam(grad, x, steps, lr, b1=0.9, b2=0.999, eps=1e-8, l2=0.0, decoupled=0.0, nadam=False):
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x, t - 1) + l2 * x
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        if nadam:
            mhat = b1 * m / (1 - b1 ** (t + 1)) + (1 - b1) * g / (1 - b1**t)
        else:
            mhat = m / (1 - b1**t)
        vhat = v / (1 - b2**t)
        x = x - lr * (mhat / (np.sqrt(vhat) + eps) + decoupled * x)
        xs.append(x.copy())
    return np.array(xs)


def momentum(grad, x, steps, lr, beta, form="average", lookahead=False):
    v = np.zeros_like(x)
    cg = 1 - beta if form == "average" else 1.0
    xs = [x.copy()]
    for t in range(steps):
        g = grad(x, t)
        v = beta * v + cg * g
        x = x - lr * ((beta * v + cg * g) if lookahead else v)
        xs.append(x.copy())
    return np.array(xs)


def nesterov(grad, x, steps, lr, beta):
    """Eq. 4.33-4.34; returns iterates and look-ahead points."""
    v = np.zeros_like(x)
    xs, ahead = [x.copy()], []
    for t in range(steps):
        y = x - lr * beta * v
        ahead.append(y)
        v = beta * v + (1 - beta) * grad(y, t)
        x = x - lr * v
        xs.append(x.copy())
    return np.array(xs), np.array(ahead)


def rmsprop(grad, x, steps, lr, gamma, eps):
    s = np.zeros_like(x)
    xs = [x.copy()]
    for t in range(steps):
        g = grad(x, t)
        s = gamma * s + (1 - gamma) * g**2
        x = x - lr * g / (np.sqrt(s) + eps)
        xs.append(x.copy())
    return np.array(xs)


def adagrad(grad, x, steps, lr, eps):
    s = np.zeros_like(x)
    xs = [x.copy()]
    for t in range(steps):
        g = grad(x, t)
        s = s + g**2
        x = x - lr * g / (np.sqrt(s) + eps)
        xs.append(x.copy())
    return np.array(xs)


def adadelta(grad, x, steps, lr, rho, eps, inside=False):
    s = np.zeros_like(x)
    d = np.zeros_like(x)
    xs = [x.copy()]
    for t in range(steps):
        g = grad(x, t)
        s = rho * s + (1 - rho) * g**2
        if inside:
            step = np.sqrt(d + eps) / np.sqrt(s + eps) * g
        else:
            step = (np.sqrt(d) + eps) / (np.sqrt(s) + eps) * g
        d = rho * d + (1 - rho) * step**2
        x = x - lr * step
        xs.append(x.copy())
    return np.array(xs)


def adamax(grad, x, steps, lr, b1, b2, eps, inside=False):
    m = np.zeros_like(x)
    r = np.zeros_like(x)
    xs = [x.copy()]
    for t in range(1, steps + 1):
        g = grad(x, t - 1)
        m = b1 * m + (1 - b1) * g
        if inside:
            r = np.maximum(b2 * r, np.abs(g) + eps)
            x = x - lr * (m / (1 - b1**t)) / r
        else:
            r = np.maximum(b2 * r, np.abs(g))
            x = x - lr * (m / (1 - b1**t)) / (r + eps)
        xs.append(x.copy())
    return np.array(xs)


def run(opt, grad, x0, steps, *, fused=False, inplace=False):
    x = np.array(x0, copy=True)
    state = opt.init(x)
    xs = [x.copy()]
    for t in range(steps):
        g = grad(x, t)
        if fused:
            x, state = step(opt, g, state, x, inplace=inplace)
        else:
            updates, state = opt.update(g, state, x)
            x = apply_updates(x, updates)
        xs.append(np.array(x, copy=True))
    return np.array(xs)


def max_rel(a, b):
    """Largest relative difference between two trajectories (scaled by the larger norm)."""
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))
