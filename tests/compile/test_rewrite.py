"""A property test per entry of the rewrite table: where the original expression is finite,
the rewritten one agrees with it to 4 ulp, or is closer to the mpmath value than it is."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.special as sps
from hypothesis import assume, given, settings
from hypothesis import strategies as hst

import steepest as st
from steepest.compile import REWRITES


def _floats(lo, hi):
    return hst.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _vec(lo, hi, n=3):
    return hst.lists(_floats(lo, hi), min_size=n, max_size=n).map(np.array)


def _scalar(lo, hi):
    return _floats(lo, hi).map(np.array)


def _mp_sig(x):
    return 1 / (1 + mpmath.exp(-x))


def _mp_lse(xs):
    return mpmath.log(mpmath.fsum(mpmath.exp(x) for x in xs))


def _mp_norm(xs):
    return mpmath.sqrt(mpmath.fsum(x * x for x in xs))


def _mp_var(xs, ddof=0):
    m = mpmath.fsum(xs) / len(xs)
    return mpmath.fsum((x - m) ** 2 for x in xs) / (len(xs) - ddof)


def _dominant(n, cols):
    """n×cols matrices with entries in (-1, 1) and 3 added to the leading n×n diagonal."""
    def shift(v):
        a = np.array(v).reshape(n, cols)
        a[np.arange(n), np.arange(n)] += 3.0
        return a
    return hst.lists(_floats(-1, 1), min_size=n * cols, max_size=n * cols).map(shift)


def _mp_solve(xs, n=3):
    a = mpmath.matrix([[xs[i * (n + 1) + j] for j in range(n)] for i in range(n)])
    b = mpmath.matrix([xs[i * (n + 1) + n] for i in range(n)])
    return list(mpmath.lu_solve(a, b))


def _mp_rsolve(xs, n=3, cols=4):
    """b @ inv(A) for A = x[:, :n] and the rows of b the columns x[:, n:] (solve Aᵀ yᵀ = bᵀ)."""
    a = mpmath.matrix([[xs[i * cols + j] for j in range(n)] for i in range(n)])
    out = []
    for k in range(n, cols):
        b = mpmath.matrix([xs[i * cols + k] for i in range(n)])
        out.extend(mpmath.lu_solve(a.T, b))
    return out


def _mp_lsolve(xs, n=3, cols=5):
    """inv(A) @ B for A = x[:, :n], B = x[:, n:] (row-major)."""
    a = mpmath.matrix([[xs[i * cols + j] for j in range(n)] for i in range(n)])
    cols_out = [mpmath.lu_solve(a, mpmath.matrix([xs[i * cols + k] for i in range(n)]))
                for k in range(n, cols)]
    return [cols_out[k][i] for i in range(n) for k in range(cols - n)]


def _mp_logdet(xs, n=3):
    return [mpmath.log(mpmath.det(mpmath.matrix([xs[i * n:(i + 1) * n] for i in range(n)])))]


# rule name: (original in NumPy, the same in mpmath on a list of mpf, inputs)
RULES = {
    "log_softmax": (lambda x: np.log(st.softmax(x)),
                    lambda xs: [x - _mp_lse(xs) for x in xs], _vec(-30, 30)),
    "log1m_sigmoid": (lambda x: np.log(1 - st.sigmoid(x)),
                      lambda xs: [mpmath.log(1 - _mp_sig(xs[0]))], _scalar(-30, 30)),
    "log_sigmoid": (lambda x: np.log(st.sigmoid(x)),
                    lambda xs: [mpmath.log(_mp_sig(xs[0]))], _scalar(-700, 700)),
    "softplus": (lambda x: np.log(1 + np.exp(x)),
                 lambda xs: [mpmath.log(1 + mpmath.exp(xs[0]))], _scalar(-700, 700)),
    "logaddexp": (lambda x: np.log(np.exp(x[0]) + np.exp(x[1])),
                  lambda xs: [_mp_lse(xs)], _vec(-700, 700, 2)),
    "logsumexp": (lambda x: np.log(np.sum(np.exp(x))), lambda xs: [_mp_lse(xs)],
                  _vec(-700, 700)),
    "log1mexp": (lambda x: np.log(1 - np.exp(x)),
                 lambda xs: [mpmath.log(-mpmath.expm1(xs[0]))], _scalar(-700, -1e-12)),
    "log_exp": (lambda x: np.log(np.exp(x)), lambda xs: [xs[0]], _scalar(-700, 700)),
    "log1p": (lambda x: np.log(1 + x), lambda xs: [mpmath.log1p(xs[0])], _scalar(-0.99, 1e6)),
    "expm1": (lambda x: np.exp(x) - 1, lambda xs: [mpmath.expm1(xs[0])], _scalar(-700, 700)),
    "softmax": (lambda x: np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True),
                lambda xs: [mpmath.exp(x - _mp_lse(xs)) for x in xs], _vec(-700, 700)),
    "normalize": (lambda x: x / np.sqrt(np.sum(x**2)),
                  lambda xs: [x / _mp_norm(xs) for x in xs], _vec(-1e100, 1e100)),
    "norm": (lambda x: np.sqrt(np.sum(x * x)), lambda xs: [_mp_norm(xs)], _vec(-1e100, 1e100)),
    "logaddexp_n": (lambda x: np.log(np.exp(x[0]) + np.exp(x[1]) + np.exp(x[2])),
                    lambda xs: [_mp_lse(xs)], _vec(-700, 700)),
    "logdiffexp": (lambda x: np.log(np.exp(x[0]) - np.exp(x[1])),
                   lambda xs: [mpmath.log(mpmath.exp(xs[0]) - mpmath.exp(xs[1]))],
                   _vec(-700, 700, 2)),
    "logmexpm1": (lambda x: np.log(-np.expm1(x)), lambda xs: [mpmath.log(-mpmath.expm1(xs[0]))],
                  _scalar(-700, -1e-300)),
    "log1p_expm1": (lambda x: np.log1p(np.expm1(x)), lambda xs: [xs[0]], _scalar(-700, 700)),
    "exp_log": (lambda x: np.exp(np.log(x)), lambda xs: [xs[0]], _scalar(-1e300, 1e300)),
    "log_erfc": (lambda x: np.log(sps.erfc(x)), lambda xs: [mpmath.log(mpmath.erfc(xs[0]))],
                 _scalar(-6, 27)),
    "sigmoid_derivative": (lambda x: st.sigmoid(x) * (1 - st.sigmoid(x)),
                           lambda xs: [_mp_sig(xs[0]) * _mp_sig(-xs[0])], _scalar(-700, 700)),
    "sqrt_square": (lambda x: np.sqrt(x**2), lambda xs: [abs(xs[0])], _scalar(-1e300, 1e300)),
    "variance_moments": (lambda x: np.mean(x**2) - np.mean(x) ** 2, lambda xs: [_mp_var(xs)],
                         _vec(-1e100, 1e100, 4)),
    "variance_centered": (lambda x: np.sum((x - np.mean(x)) ** 2) / (x.size - 1),
                          lambda xs: [_mp_var(xs, 1)], _vec(-1e100, 1e100, 4)),
    "log_prod": (lambda x: np.log(np.prod(x)),
                 lambda xs: [mpmath.log(mpmath.fprod(xs))], _vec(-1e200, 1e200, 4)),
    # matrices 3 on the diagonal ± 1: |log det| ≥ 1 and cond(A) ≤ 4, so both forms are accurate
    # to a few ulp and the comparison measures the rewrite, not the conditioning
    "inv_solve": (lambda x: np.linalg.inv(x[:, :3]) @ x[:, 3], _mp_solve, _dominant(3, 4)),
    "log_det": (lambda x: np.log(np.linalg.det(x)), _mp_logdet, _dominant(3, 3)),
    "matmul_inv": (lambda x: x[:, 3] @ np.linalg.inv(x[:, :3]), _mp_rsolve, _dominant(3, 4)),
    "hypot": (lambda x: np.sqrt(x[0] ** 2 + x[1] ** 2), lambda xs: [_mp_norm(xs)],
              _vec(-1e150, 1e150, 2)),
    "square_sqrt": (lambda x: np.sqrt(x) ** 2, lambda xs: [xs[0]], _scalar(0, 1e300)),
    "log1m": (lambda x: np.log(1 - x), lambda xs: [mpmath.log1p(-xs[0])], _scalar(-1e6, 0.99)),
    "log_softmax_indexed": (lambda x: np.log(st.softmax(x)[1]),
                            lambda xs: [xs[1] - _mp_lse(xs)], _vec(-30, 30)),
    "odds_sigmoid": (lambda x: st.sigmoid(x) / (1 - st.sigmoid(x)),
                     lambda xs: [mpmath.exp(xs[0])], _scalar(-30, 30)),
    "sigmoid_of_exp": (lambda x: np.exp(x) / (1 + np.exp(x)), lambda xs: [_mp_sig(xs[0])],
                       _scalar(-700, 700)),
    "exp_times_sigmoid": (lambda x: np.exp(x) * st.sigmoid(-x), lambda xs: [_mp_sig(xs[0])],
                          _scalar(-700, 700)),
    "one_minus_sigmoid": (lambda x: 1 - st.sigmoid(x), lambda xs: [_mp_sig(-xs[0])],
                          _scalar(-30, 30)),
    "inverse_pairs": (lambda x: st.softplus(np.log(x)), lambda xs: [mpmath.log1p(xs[0])],
                      _scalar(0, 1e300)),
}  # fmt: skip

# further patterns of an entry: (entry name, original, mpmath form, inputs)
VARIANTS = {
    "exp(log1p(x))": ("exp_log", lambda x: np.exp(np.log1p(x)), lambda xs: [1 + xs[0]],
                      _scalar(-1, 1e300)),
    "expm1(log(x))": ("exp_log", lambda x: np.expm1(np.log(x)), lambda xs: [xs[0] - 1],
                      _scalar(0, 1e300)),
    "expm1(log1p(x))": ("exp_log", lambda x: np.expm1(np.log1p(x)), lambda xs: [xs[0]],
                        _scalar(-1, 1e300)),
    "mean((x - mean(x))**2)": ("variance_centered", lambda x: np.mean((x - np.mean(x)) ** 2),
                               lambda xs: [_mp_var(xs)], _vec(-1e100, 1e100, 4)),
    "log(exp(a) + exp(b) + exp(c) + exp(d))": (
        "logaddexp_n",
        lambda x: np.log(np.exp(x[0]) + np.exp(x[1]) + (np.exp(x[2]) + np.exp(x[3]))),
        lambda xs: [_mp_lse(xs)], _vec(-700, 700, 4)),
    "log1p(-sigmoid(x))": ("log1m_sigmoid", lambda x: np.log1p(-st.sigmoid(x)),
                           lambda xs: [mpmath.log(_mp_sig(-xs[0]))], _scalar(-30, 30)),
    "exp(x) + (-1)": ("expm1", lambda x: np.exp(x) + (-1), lambda xs: [mpmath.expm1(xs[0])],
                      _scalar(-700, 700)),
    "sqrt(1 + x**2)": ("hypot", lambda x: np.sqrt(1 + x**2),
                       lambda xs: [mpmath.sqrt(1 + xs[0] ** 2)], _scalar(-1e150, 1e150)),
    "sqrt(x*x + square(y) + z**2)": (
        "hypot", lambda x: np.sqrt(x[0] * x[0] + np.square(x[1]) + x[2] ** 2),
        lambda xs: [_mp_norm(xs)], _vec(-1e150, 1e150)),
    "(1 - sigmoid(x)) / sigmoid(x)": ("odds_sigmoid",
                                      lambda x: (1 - st.sigmoid(x)) / st.sigmoid(x),
                                      lambda xs: [mpmath.exp(-xs[0])], _scalar(-30, 30)),
    "1 / (1 + exp(-x))": ("sigmoid_of_exp", lambda x: 1 / (1 + np.exp(-x)),
                          lambda xs: [_mp_sig(xs[0])], _scalar(-700, 700)),
    "3 / (1 + exp(x))": ("sigmoid_of_exp", lambda x: 3 / (1 + np.exp(x)),
                         lambda xs: [3 * _mp_sig(-xs[0])], _scalar(-700, 700)),
    "reciprocal(1 + exp(x))": ("sigmoid_of_exp", lambda x: np.reciprocal(1 + np.exp(x)),
                               lambda xs: [_mp_sig(-xs[0])], _scalar(-700, 700)),
    "exp(-x) * sigmoid(x)": ("exp_times_sigmoid", lambda x: np.exp(-x) * st.sigmoid(x),
                             lambda xs: [_mp_sig(-xs[0])], _scalar(-700, 700)),
    "log1mexp(log(x))": ("inverse_pairs", lambda x: st.log1mexp(np.log(x)),
                         lambda xs: [mpmath.log1p(-xs[0])], _scalar(0, 1)),
    "log1mexp(log1mexp(x))": ("inverse_pairs", lambda x: st.log1mexp(st.log1mexp(x)),
                              lambda xs: [xs[0]], _scalar(-700, 0)),
    "exp(log1mexp(x))": ("inverse_pairs", lambda x: np.exp(st.log1mexp(x)),
                         lambda xs: [-mpmath.expm1(xs[0])], _scalar(-700, 0)),
    "expm1(log1mexp(x))": ("inverse_pairs", lambda x: np.expm1(st.log1mexp(x)),
                           lambda xs: [-mpmath.exp(xs[0])], _scalar(-700, 0)),
    "B @ inv(A)": ("matmul_inv", lambda x: x[:, 3:].T @ np.linalg.inv(x[:, :3]),
                   lambda xs: _mp_rsolve(xs, cols=5), _dominant(3, 5)),
    "inv(A) @ B": ("inv_solve", lambda x: np.linalg.inv(x[:, :3]) @ x[:, 3:], _mp_lsolve,
                   _dominant(3, 5)),
}  # fmt: skip


def test_every_table_entry_has_a_property_test():
    assert sorted(RULES) == sorted(r.name for r in REWRITES)


def _agrees(rewritten, original, exact):
    rewritten = np.ravel(np.asarray(rewritten, dtype=float))
    original = np.ravel(np.asarray(original, dtype=float))
    ref = np.array([float(v) for v in exact])
    with np.errstate(all="ignore"):
        return _within(rewritten, original, ref)


def _within(rewritten, original, ref):
    ulps = np.abs(rewritten - original) / np.spacing(np.abs(original))
    own_error = np.maximum(np.abs(original - ref), 4 * np.spacing(np.abs(ref)))
    return bool(np.all((ulps <= 4) | (np.abs(rewritten - ref) <= own_error)))


CASES = {**{name: (name, *case) for name, case in RULES.items()}, **VARIANTS}

# the newer solves: an entry that cancels to ~0 has an absolute error of
# ~eps·|x| in both forms, so they are compared norm-wise (max over entries), not per entry
NORMWISE = {"matmul_inv", "B @ inv(A)", "inv(A) @ B"}


def _agrees_normwise(rewritten, original, exact):
    rewritten = np.ravel(np.asarray(rewritten, dtype=float))
    original = np.ravel(np.asarray(original, dtype=float))
    ref = np.array([float(v) for v in exact])
    scale = np.max(np.abs(ref))
    own_error = max(np.max(np.abs(original - ref)), 4 * np.spacing(scale))
    return bool(np.max(np.abs(rewritten - original)) <= 4 * np.spacing(scale)
                or np.max(np.abs(rewritten - ref)) <= own_error)


@pytest.mark.parametrize("case", sorted(CASES))
def test_rewrite_keeps_finite_results(case):
    name, f, f_mp, inputs = CASES[case]
    stable = st.stabilize(f)

    @settings(max_examples=60, deadline=None)
    @given(inputs)
    def check(x):
        with np.errstate(all="ignore"):
            original = f(x)
        assume(np.all(np.isfinite(original)))
        assert name in [r.name for r in stable.rewrites(x)]
        with mpmath.workdps(340):  # e^-700 beside 1 needs 304 digits and then some
            exact = f_mp([mpmath.mpf(float(v)) for v in np.ravel(x)])
        agrees = _agrees_normwise if case in NORMWISE else _agrees
        assert agrees(stable(x), original, exact)

    check()
