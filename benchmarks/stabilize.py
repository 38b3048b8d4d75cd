"""stabilize(f): the ten textbook-unstable expressions, naive vs stabilized, and the cost.

For each expression at its breaking input (issue 12's list) the table says whether the value
and the gradient of ``sum(f)`` are right (within 4 ulp of the mpmath / closed-form value) for
the plain NumPy code traced by steepest (naive) and for ``steepest.stabilize(f)``. The speed
table gives the per-call time of ``stabilize(f)`` and ``grad(stabilize(f))`` over the plain
``f`` and ``grad(f)`` (interleaved rounds, best of each, one BLAS thread): it re-traces and
rewrites on every call, which is what ``jit`` will cache.

Run: ``python benchmarks/stabilize.py``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import mpmath  # noqa: E402
import numpy as np  # noqa: E402

import steepest as st  # noqa: E402
from _timing import interleaved_best  # noqa: E402


def _sig(x):
    return 1 / (1 + mpmath.exp(-x))


def cases() -> dict:
    """name: (f, x, exact value, exact gradient of sum(f)) at 400 digits."""
    e800 = mpmath.exp(-800)
    eps = mpmath.mpf(1e-20)
    with mpmath.workdps(400):
        return {
            "log(softmax(x)) at [0,-800]": (lambda x: np.log(st.softmax(x)),
                np.array([0.0, -800.0]),
                [-mpmath.log1p(e800), -800 - mpmath.log1p(e800)],
                [1 - 2 / (1 + e800), 1 - 2 * e800 / (1 + e800)]),
            "log(1+x) at 1e-17": (lambda x: np.log(1 + x), np.array(1e-17),
                [mpmath.log1p(mpmath.mpf(1e-17))], [1 / (1 + mpmath.mpf(1e-17))]),
            "exp(x)-1 at 1e-17": (lambda x: np.exp(x) - 1, np.array(1e-17),
                [mpmath.expm1(mpmath.mpf(1e-17))], [mpmath.exp(mpmath.mpf(1e-17))]),
            "log(sigmoid(x)) at -800": (lambda x: np.log(st.sigmoid(x)), np.array(-800.0),
                [mpmath.log(_sig(-800))], [_sig(800)]),
            "log(1-sigmoid(x)) at 800": (lambda x: np.log(1 - st.sigmoid(x)), np.array(800.0),
                [mpmath.log(_sig(-800))], [-_sig(800)]),
            "log(1+exp(x)) at 1000": (lambda x: np.log(1 + np.exp(x)), np.array(1000.0),
                [mpmath.log(1 + mpmath.exp(1000))], [_sig(1000)]),
            "log(sum(exp(x))) at [1000,1000]": (lambda x: np.log(np.sum(np.exp(x))),
                np.array([1000.0, 1000.0]), [1000 + mpmath.log(2)], [0.5, 0.5]),
            "log(1-exp(x)) at -1e-20": (lambda x: np.log(1 - np.exp(x)), np.array(-1e-20),
                [mpmath.log(-mpmath.expm1(-eps))], [-1 / mpmath.expm1(eps)]),
            "log(exp(x)) at 1000": (lambda x: np.log(np.exp(x)), np.array(1000.0), [1000], [1]),
            "w*x/sqrt(sum(x**2)) at [1e200,1e200]": (
                lambda x: np.array([1.0, 2.0]) * (x / np.sqrt(np.sum(x**2))),
                np.array([1e200, 1e200]), [1 / mpmath.sqrt(2), 2 / mpmath.sqrt(2)],
                [-0.5 / (mpmath.sqrt(2) * 1e200), 0.5 / (mpmath.sqrt(2) * 1e200)]),
        }  # fmt: skip


def right(got, want) -> bool:
    got = np.atleast_1d(np.asarray(got, dtype=float))
    want = np.array([float(w) for w in want])
    if not np.all(np.isfinite(got)):
        return False
    return bool(np.all(np.abs(got - want) <= 4 * np.spacing(np.abs(want))))


def accuracy_table() -> None:
    print(f"{'expression':40s} {'value':>14s} {'gradient':>14s}")
    print(f"{'':40s} {'naive stable':>14s} {'naive stable':>14s}")
    totals = np.zeros(4, dtype=int)
    for name, (f, x, value, gradient) in cases().items():
        g = st.stabilize(f)
        with np.errstate(all="ignore"):
            row = [right(f(x), value), right(g(x), value),
                   right(st.grad(lambda v, f=f: np.sum(f(v)))(x), gradient),
                   right(st.grad(lambda v, g=g: np.sum(g(v)))(x), gradient)]
        totals += row
        marks = ["ok" if r else "WRONG" for r in row]
        print(f"{name:40s} {marks[0]:>6s} {marks[1]:>7s} {marks[2]:>6s} {marks[3]:>7s}")
    n = len(cases())
    print(f"{'right':40s} {totals[0]:>3d}/{n} {totals[1]:>4d}/{n} {totals[2]:>3d}/{n} "
          f"{totals[3]:>4d}/{n}")


def speed_table() -> None:
    x = np.random.default_rng(0).normal(size=100)
    def f(v):
        return np.log(np.sum(np.exp(v))) + np.sum(np.log(1 + np.exp(-v)))

    g = st.stabilize(f)
    best = interleaved_best({
        "f": lambda: f(x), "stabilize(f)": lambda: g(x),
        "grad(f)": lambda: st.grad(f)(x), "grad(stabilize(f))": lambda: st.grad(g)(x),
    }, repeats=200)  # fmt: skip
    print("\nper call, logsumexp + softplus of 100 values (best of 200 interleaved rounds)")
    for name in ("f", "stabilize(f)", "grad(f)", "grad(stabilize(f))"):
        print(f"  {name:22s} {best[name] * 1e6:9.1f} µs")
    print(f"  ratio stabilize(f) / f             {best['stabilize(f)'] / best['f']:6.1f}×")
    print(f"  ratio grad(stabilize(f)) / grad(f) "
          f"{best['grad(stabilize(f))'] / best['grad(f)']:6.1f}×")


if __name__ == "__main__":
    accuracy_table()
    speed_table()
