"""The expressions of ``benchmarks/stabilize.py``: ``expr(xp, x)`` written once against a small
namespace ``xp`` (NumPy, jax.numpy, torch, PyTensor adapters), the breaking input, and the
exact value and gradient of ``sum(expr)`` (mpmath at the caller's precision, or a check)."""

from __future__ import annotations

import mpmath
import numpy as np


def _sig(x):
    return 1 / (1 + mpmath.exp(-x))


def _mp(x):
    return mpmath.mpf(float(x))


def ten_cases() -> dict:
    """Issue 12's ten: name: (expr, x, exact value, exact gradient of sum(expr))."""
    e800 = mpmath.exp(-800)
    eps = mpmath.mpf(1e-20)
    return {
        "log(softmax(x)) at [0,-800]": (lambda xp, x: xp.log(xp.softmax(x)),
            np.array([0.0, -800.0]), [-mpmath.log1p(e800), -800 - mpmath.log1p(e800)],
            [1 - 2 / (1 + e800), 1 - 2 * e800 / (1 + e800)]),
        "log(1+x) at 1e-17": (lambda xp, x: xp.log(1 + x), np.array(1e-17),
            [mpmath.log1p(_mp(1e-17))], [1 / (1 + _mp(1e-17))]),
        "exp(x)-1 at 1e-17": (lambda xp, x: xp.exp(x) - 1, np.array(1e-17),
            [mpmath.expm1(_mp(1e-17))], [mpmath.exp(_mp(1e-17))]),
        "log(sigmoid(x)) at -800": (lambda xp, x: xp.log(xp.sigmoid(x)), np.array(-800.0),
            [mpmath.log(_sig(-800))], [_sig(800)]),
        "log(1-sigmoid(x)) at 800": (lambda xp, x: xp.log(1 - xp.sigmoid(x)), np.array(800.0),
            [mpmath.log(_sig(-800))], [-_sig(800)]),
        "log(1+exp(x)) at 1000": (lambda xp, x: xp.log(1 + xp.exp(x)), np.array(1000.0),
            [mpmath.log(1 + mpmath.exp(1000))], [_sig(1000)]),
        "log(sum(exp(x))) at [1000,1000]": (lambda xp, x: xp.log(xp.sum(xp.exp(x))),
            np.array([1000.0, 1000.0]), [1000 + mpmath.log(2)], [0.5, 0.5]),
        "log(1-exp(x)) at -1e-20": (lambda xp, x: xp.log(1 - xp.exp(x)), np.array(-1e-20),
            [mpmath.log(-mpmath.expm1(-eps))], [-1 / mpmath.expm1(eps)]),
        "log(exp(x)) at 1000": (lambda xp, x: xp.log(xp.exp(x)), np.array(1000.0), [1000], [1]),
        "w*x/sqrt(sum(x**2)) at [1e200,1e200]": (
            lambda xp, x: xp.const([1.0, 2.0], x) * (x / xp.sqrt(xp.sum(x**2))),
            np.array([1e200, 1e200]), [1 / mpmath.sqrt(2), 2 / mpmath.sqrt(2)],
            [-0.5 / (mpmath.sqrt(2) * 1e200), 0.5 / (mpmath.sqrt(2) * 1e200)]),
    }  # fmt: skip


def _var(x):
    xs = [_mp(v) for v in x]
    m = mpmath.fsum(xs) / len(xs)
    return [mpmath.fsum((v - m) ** 2 for v in xs) / len(xs)], [2 * (v - m) / len(xs) for v in xs]


_N = 8
_HILBERT = np.hstack([1.0 / (np.arange(_N)[:, None] + np.arange(_N) + 1.0), np.ones((_N, 1))])


def _solved(x):
    """A check: |A x − b| ≤ n eps |A| |x| (backward stable), A and b the Hilbert system."""
    a, b = _HILBERT[:, :_N], _HILBERT[:, _N]
    x = np.asarray(x, dtype=float)
    return bool(np.all(np.isfinite(x)) and np.max(np.abs(a @ x - b))
                <= _N * np.finfo(float).eps * np.max(np.abs(a)) * np.max(np.abs(x)))


def _solved_transposed(g):
    """A check on d sum(A⁻¹b)/db = A⁻ᵀ1: |Aᵀ y − 1| ≤ n eps |A| |y|."""
    a, y = _HILBERT[:, :_N], np.asarray(g, dtype=float)[:, _N]
    return bool(np.all(np.isfinite(y)) and np.max(np.abs(a.T @ y - 1.0))
                <= _N * np.finfo(float).eps * np.max(np.abs(a)) * np.max(np.abs(y)))


def _solved_right(y):
    """A check: |y A − b| ≤ n eps |A| |y| for y = b A⁻¹ (backward stable)."""
    a, b = _HILBERT[:, :_N], _HILBERT[:, _N]
    y = np.asarray(y, dtype=float)
    return bool(np.all(np.isfinite(y)) and np.max(np.abs(y @ a - b))
                <= _N * np.finfo(float).eps * np.max(np.abs(a)) * np.max(np.abs(y)))


def _solved_right_gradient(g):
    """A check on d sum(b A⁻¹)/db = A⁻¹1: |A y − 1| ≤ n eps |A| |y|."""
    a, y = _HILBERT[:, :_N], np.asarray(g, dtype=float)[:, _N]
    return bool(np.all(np.isfinite(y)) and np.max(np.abs(a @ y - 1.0))
                <= _N * np.finfo(float).eps * np.max(np.abs(a)) * np.max(np.abs(y)))


def extra_cases() -> dict:
    """The rest of steepest's table, each at an input where the textbook form breaks."""
    spike = np.array([2e154] + [0.0] * 99)
    moments = 1e8 + np.array([0.0, 1.0, 2.0])
    s40 = _sig(40) * _sig(-40)
    return {
        "sigmoid(x)*(1-sigmoid(x)) at 40": (
            lambda xp, x: xp.sigmoid(x) * (1 - xp.sigmoid(x)), np.array(40.0),
            [s40], [s40 * (_sig(-40) - _sig(40))]),
        "log(prod(x)) at 400 x 1e300": (lambda xp, x: xp.log(xp.prod(x)), np.full(400, 1e300),
            [400 * mpmath.log(_mp(1e300))], [1 / _mp(1e300)] * 400),
        "log(det(A)) at 1e-200 I": (lambda xp, x: xp.log(xp.det(x)), 1e-200 * np.eye(2),
            [2 * mpmath.log(_mp(1e-200))], [1 / _mp(1e-200), 0, 0, 1 / _mp(1e-200)]),
        "inv(A)@b at Hilbert(8)": (lambda xp, x: xp.inv(x[:, :_N]) @ x[:, _N], _HILBERT,
            _solved, _solved_transposed),
        "mean(x**2)-mean(x)**2 at 1e8+[0,1,2]": (
            lambda xp, x: xp.mean(x**2) - xp.mean(x) ** 2, moments, *_var(moments)),
        "sum((x-mean)**2)/n at [2e154, 0 x 99]": (
            lambda xp, x: xp.sum((x - xp.mean(x)) ** 2) / 100, spike, *_var(spike)),
        "log(erfc(x)) at 30": (lambda xp, x: xp.log(xp.erfc(x)), np.array(30.0),
            [mpmath.log(mpmath.erfc(30))],
            [-2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-900) / mpmath.erfc(30)]),
        "log(exp(a)-exp(b)) at (1000, 999)": (
            lambda xp, x: xp.log(xp.exp(x[0]) - xp.exp(x[1])), np.array([1000.0, 999.0]),
            [1000 + mpmath.log(1 - mpmath.exp(-1))],
            [1 / (1 - mpmath.exp(-1)), -1 / (mpmath.exp(1) - 1)]),
        "log(-expm1(x)) at -50": (lambda xp, x: xp.log(-xp.expm1(x)), np.array(-50.0),
            [mpmath.log(-mpmath.expm1(-50))], [1 / (1 - mpmath.exp(50))]),
        "log1p(expm1(x)) at 1000": (lambda xp, x: xp.log1p(xp.expm1(x)), np.array(1000.0),
            [1000], [1]),
        "exp(log(x)) at 0": (lambda xp, x: xp.exp(xp.log(x)), np.array(0.0), [0], [1]),
        "sqrt(x**2) at 1e200": (lambda xp, x: xp.sqrt(x**2), np.array(1e200), [_mp(1e200)], [1]),
        "log(exp(a)+exp(b)+exp(c)) at 1000 x 3": (
            lambda xp, x: xp.log(xp.exp(x[0]) + xp.exp(x[1]) + xp.exp(x[2])),
            np.full(3, 1000.0), [1000 + mpmath.log(3)], [mpmath.mpf(1) / 3] * 3),
        **newer_cases(),
    }  # fmt: skip


def newer_cases() -> dict:
    """The entries added last (b @ inv(A), hypot, sqrt(x)², log(1 − x), log softmax indexed,
    PyTensor's sigmoid forms, softplus∘log), each at an input where the textbook form breaks."""
    h = mpmath.hypot(_mp(3e200), _mp(4e200))
    e800 = mpmath.exp(-800)
    return {
        "b@inv(A) at Hilbert(8)": (lambda xp, x: x[:, _N] @ xp.inv(x[:, :_N]), _HILBERT,
            _solved_right, _solved_right_gradient),
        "sqrt(x**2+y**2) at (3e200, 4e200)": (lambda xp, x: xp.sqrt(x[0] ** 2 + x[1] ** 2),
            np.array([3e200, 4e200]), [h], [_mp(3e200) / h, _mp(4e200) / h]),
        "sqrt(x)**2 at 0": (lambda xp, x: xp.sqrt(x) ** 2, np.array(0.0), [0], [1]),
        "log(1-x) at 1e-17": (lambda xp, x: xp.log(1 - x), np.array(1e-17),
            [mpmath.log1p(-_mp(1e-17))], [-1 / (1 - _mp(1e-17))]),
        "log(softmax(x)[1]) at [0,-800]": (lambda xp, x: xp.log(xp.softmax(x)[1]),
            np.array([0.0, -800.0]), [-800 - mpmath.log1p(e800)],
            [-1 / (1 + e800), 1 - e800 / (1 + e800)]),
        "sigmoid(x)/(1-sigmoid(x)) at 40": (
            lambda xp, x: xp.sigmoid(x) / (1 - xp.sigmoid(x)), np.array(40.0),
            [mpmath.exp(40)], [mpmath.exp(40)]),
        "exp(x)/(1+exp(x)) at 1000": (lambda xp, x: xp.exp(x) / (1 + xp.exp(x)),
            np.array(1000.0), [_sig(1000)], [_sig(1000) * _sig(-1000)]),
        "exp(x)*sigmoid(-x) at 1000": (lambda xp, x: xp.exp(x) * xp.sigmoid(-x),
            np.array(1000.0), [_sig(1000)], [_sig(1000) * _sig(-1000)]),
        "1-sigmoid(x) at 40": (lambda xp, x: 1 - xp.sigmoid(x), np.array(40.0), [_sig(-40)],
            [-_sig(40) * _sig(-40)]),
        "softplus(log(x)) at 1e-300": (lambda xp, x: xp.softplus(xp.log(x)), np.array(1e-300),
            [mpmath.log1p(_mp(1e-300))], [1 / (1 + _mp(1e-300))]),
    }  # fmt: skip
