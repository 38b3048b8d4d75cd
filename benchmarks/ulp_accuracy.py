"""Max ulp error of steepest's stable functions against mpmath, beside scipy.special and torch.

Sweeps each elementwise function over random points spread log-uniformly across the float64
range plus the extremes (±1e-300, ±20, ±37, ±709, ±710, ±1e4, ±inf, nan), and the vector
functions over random vectors of many scales. Errors are distances in ulps to the correctly
rounded mpmath value (``steepest.ulp_distance``); float32 inputs are compared with the mpmath
value rounded to float32. Peers that are not installed are skipped.

Run: ``python benchmarks/ulp_accuracy.py [--n 20000]``
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

import steepest as st  # noqa: E402
from steepest.numerics import _mpref  # noqa: E402

EXTREMES = [1e-300, 20.0, 37.0, 709.0, 710.0, 1e4, 745.0, 1e300, 0.5, 1.0]


def points(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if name == "logit":
        return np.concatenate([rng.uniform(0, 1, n // 3), 10.0 ** rng.uniform(-300, 0, n // 3),
                               1 - 10.0 ** rng.uniform(-16, 0, n // 3),
                               [0.0, 0.25, 0.5, 0.75, 1.0, 1e-300]])
    mags = np.concatenate([10.0 ** rng.uniform(-300, 4.5, n // 2),
                           np.abs(rng.standard_normal(n // 2)) * 40, EXTREMES])
    x = np.concatenate([mags, -mags, [np.inf, -np.inf, np.nan, 0.0]])
    return -np.abs(x) if name == "log1mexp" else x


def peers() -> dict[str, dict[str, Callable]]:
    out: dict[str, dict[str, Callable]] = {}
    try:
        import scipy.special as sps

        out["scipy"] = {"sigmoid": sps.expit, "log_sigmoid": sps.log_expit, "logit": sps.logit,
                        "softplus": getattr(sps, "softplus", None),
                        "softmax": sps.softmax, "log_softmax": sps.log_softmax,
                        "logsumexp": sps.logsumexp}
    except ImportError:
        pass
    try:
        import torch

        def t(f):
            return lambda x, **kw: f(torch.from_numpy(np.ascontiguousarray(x)), **kw).numpy()

        out["torch"] = {"sigmoid": t(torch.sigmoid),
                        "log_sigmoid": t(torch.nn.functional.logsigmoid),
                        "softplus": t(torch.nn.functional.softplus), "logit": t(torch.logit),
                        "softmax": t(lambda x: torch.softmax(x, -1)),
                        "log_softmax": t(lambda x: torch.log_softmax(x, -1)),
                        "logsumexp": t(lambda x: torch.logsumexp(x, -1))}
    except ImportError:
        pass
    return {k: {n: f for n, f in v.items() if f is not None} for k, v in out.items()}


def max_ulp(f: Callable, x: np.ndarray, ref: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        got = np.asarray(f(x))
    if got.dtype != x.dtype:
        return float("nan")
    if np.any(np.isnan(got) != np.isnan(ref)):
        return float("inf")
    return float(np.nanmax(st.ulp_distance(got, ref.astype(x.dtype))))


def elementwise_rows(n: int, rng: np.random.Generator, others: dict) -> list[list[str]]:
    rows = []
    for name in ["sigmoid", "log_sigmoid", "softplus", "logit", "log1mexp"]:
        x = points(name, n, rng)
        with np.errstate(over="ignore"):
            x32 = x.astype(np.float32)
            ref = _mpref.elementwise(name, x)
            ref32 = _mpref.elementwise(name, x32.astype(np.float64))
        f = getattr(st, name)
        row = [name, str(x.size), fmt(max_ulp(f, x, ref)), fmt(max_ulp(f, x32, ref32))]
        row += [fmt(max_ulp(p[name], x, ref)) if name in p else "-" for p in others.values()]
        rows.append(row)
    return rows


def vectors(count: int, rng: np.random.Generator) -> list[np.ndarray]:
    vs = [rng.standard_normal(int(rng.integers(1, 9))) * 10.0 ** rng.uniform(-3, 4)
          for _ in range(count)]
    vs += [np.array([-12345.0, -67890.0, -99999999.0]), np.array([12345.0, 67890.0, 99999999.0]),
           np.array([709.0, 710.0, -745.0, 0.0]), np.array([1e-300, -1e-300, 37.0, -37.0])]
    return vs


def vector_rows(count: int, rng: np.random.Generator, others: dict) -> list[list[str]]:
    vs = vectors(count, rng)
    rows = []
    for name in ["softmax", "log_softmax", "logsumexp"]:
        refs = [np.atleast_1d(getattr(_mpref, name)(v)) for v in vs]
        refs32 = [np.atleast_1d(getattr(_mpref, name)(v.astype(np.float32).astype(float)))
                  for v in vs]
        f = getattr(st, name)
        cols = [max(max_ulp(lambda v, f=f: np.atleast_1d(f(v)), v, r)
                    for v, r in zip(vs, refs)),
                max(max_ulp(lambda v, f=f: np.atleast_1d(f(v)), v.astype(np.float32), r)
                    for v, r in zip(vs, refs32))]
        for p in others.values():
            cols.append(max(max_ulp(lambda v, f=p[name]: np.atleast_1d(f(v)), v, r)
                            for v, r in zip(vs, refs)) if name in p else None)
        rows.append([name, f"{len(vs)} vectors"] + [fmt(c) if c is not None else "-"
                                                    for c in cols])
    return rows


def fmt(v: float) -> str:
    if np.isnan(v):
        return "dtype!"
    return "nan/inf!" if np.isinf(v) else f"{v:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="points per elementwise function")
    parser.add_argument("--vectors", type=int, default=3000, help="random vectors")
    args = parser.parse_args()
    rng = np.random.default_rng(20261122)
    others = peers()
    t0 = time.perf_counter()
    rows = elementwise_rows(args.n, rng, others) + vector_rows(args.vectors, rng, others)
    headers = ["function", "points", "steepest f64", "steepest f32"] + [
        f"{k} f64" for k in others]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
    print(f"\nmax ulp error vs mpmath ({_mpref.PREC_BITS}-bit); 'nan/inf!' = a nan/inf where "
          f"the true value is not (or vice versa); {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
