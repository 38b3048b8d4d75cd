"""Complex and FFT gradients: steepest beside autograd (the convention's source), one process.

(a) a real loss through FFTs: ``Σ (irfft(rfft(x) · K) − y)²`` (a circular convolution), n = 2¹⁴;
(b) a real loss of complex parameters: ``Σ |exp(z) · z² / (1 + z)|²`` with 10 complex ops,
    n = 10⁴;
(c) a small-op chain on complex scalars (per-op overhead): 100 ops on shape ().

Prints best-of-rounds times (interleaved), grad / f for steepest, and the ratio to autograd
(skipped when autograd is absent). Run: ``python benchmarks/complex_fft.py``.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _timing import interleaved_best  # noqa: E402
from steepest.autodiff import grad  # noqa: E402

try:  # optional peer
    import autograd
    import autograd.numpy as anp
except ImportError:  # pragma: no cover - peer absent
    autograd = anp = None

def convolution_loss(xp: Any, n: int = 2 ** 14) -> tuple[Callable[[Any], Any], np.ndarray]:
    rng = np.random.default_rng(0)
    kernel = np.fft.rfft(rng.standard_normal(n) * np.exp(-np.arange(n) / 50.0))
    y = rng.standard_normal(n)

    def f(x: Any) -> Any:
        return xp.sum((xp.fft.irfft(xp.fft.rfft(x) * kernel, n) - y) ** 2)

    return f, rng.standard_normal(n)


def complex_loss(xp: Any, n: int = 10 ** 4) -> tuple[Callable[[Any], Any], np.ndarray]:
    def f(z: Any) -> Any:
        return xp.sum(xp.abs(xp.exp(z) * z ** 2 / (1.0 + z)) ** 2)

    rng = np.random.default_rng(1)
    return f, rng.uniform(0.1, 1.0, n) + 1j * rng.uniform(-1.0, 1.0, n)


def scalar_chain(xp: Any) -> tuple[Callable[[Any], Any], complex]:
    def f(z: Any) -> Any:
        for _ in range(25):
            z = xp.sin(z) * 0.9 + z * (0.5 + 0.1j)
        return xp.abs(z)

    return f, 0.3 + 0.4j


def main() -> None:
    rows = []
    for name, make in (("(a) FFT convolution, n=16384", convolution_loss),
                       ("(b) complex parameters, n=10000", complex_loss),
                       ("(c) 100 complex scalar ops", scalar_chain)):
        f, x = make(np)
        cases = {"f": lambda f=f, x=x: f(x), "steepest grad": lambda f=f, x=x: grad(f)(x)}
        if autograd is not None:
            fa, _ = make(anp)
            ga = autograd.grad(fa)
            cases["autograd grad"] = lambda ga=ga, x=x: ga(x)
            assert np.allclose(grad(f)(x), ga(x))
        best = interleaved_best(cases, repeats=15)
        ratio = (f"{best['autograd grad'] / best['steepest grad']:.2f}×"
                 if "autograd grad" in best else "n/a")
        rows.append((name, best["f"], best["steepest grad"], best.get("autograd grad"), ratio))
    print(f"{'case':34s} {'f [ms]':>9s} {'grad [ms]':>10s} {'grad/f':>7s} "
          f"{'autograd [ms]':>14s} {'autograd/steepest':>18s}")
    for name, tf, tg, ta, ratio in rows:
        ag = f"{ta * 1e3:14.3f}" if ta is not None else f"{'absent':>14s}"
        print(f"{name:34s} {tf * 1e3:9.3f} {tg * 1e3:10.3f} {tg / tf:7.2f} {ag} {ratio:>18s}")


if __name__ == "__main__":
    main()
