"""Largest Hessian eigenvalue of a logistic-regression loss: HVP-Lanczos vs forming the Hessian.

λmax(∇²f) is the curvature that caps gradient-descent step sizes (2/λmax) and the local
Lipschitz constant of ∇f. steepest gets it from autodiff Hessian-vector products and Lanczos
(``curvature_spectrum(method="lanczos", which="largest")``), never forming H; the usual
alternative forms the dense Hessian (steepest, autograd or torch) and calls ``eigvalsh``.
Loss: mean log(1 + e^{xᵢᵀθ}) − yᵢ xᵢᵀθ + 1e-3 ‖θ‖² on 2000 Gaussian samples, d features.

Run: ``python benchmarks/hessian_top_eigenvalue.py``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402

from steepest.analysis import curvature_spectrum  # noqa: E402

N = 2000


def data(d: int):
    rng = np.random.default_rng(d)
    X = rng.standard_normal((N, d))
    y = (rng.random(N) < 0.5).astype(float)
    return X, y, 0.1 * rng.standard_normal(d)


def loss_for(np_mod, X, y):
    def f(t):
        z = X @ t
        return np_mod.mean(np_mod.logaddexp(0.0, z) - y * z) + 1e-3 * np_mod.sum(t**2)
    return f


def steepest_lanczos(X, y, x):
    s = curvature_spectrum(loss_for(np, X, y), x, method="lanczos", which="largest", tol=1e-10)
    return s.lambda_max, s.n_hvp


def steepest_dense(X, y, x):
    return curvature_spectrum(loss_for(np, X, y), x, method="dense").lambda_max, "-"


def autograd_dense(X, y, x):
    import autograd.numpy as anp
    from autograd import hessian

    H = hessian(loss_for(anp, X, y))(x)
    return float(np.linalg.eigvalsh(H)[-1]), "-"


def torch_dense(X, y, x):
    import torch

    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def f(t):
        z = Xt @ t
        return torch.mean(torch.logaddexp(torch.zeros_like(z), z) - yt * z) + 1e-3 * (t**2).sum()

    H = torch.autograd.functional.hessian(f, torch.from_numpy(x)).numpy()
    return float(np.linalg.eigvalsh(H)[-1]), "-"


SOLVERS = [("steepest HVP-Lanczos", steepest_lanczos), ("steepest dense H", steepest_dense),
           ("autograd dense H", autograd_dense), ("torch dense H", torch_dense)]


def main() -> None:
    print("λmax of a logistic-loss Hessian (N = 2000); ratio = t / t(steepest HVP-Lanczos)")
    fmt = "{:>5} {:>22} {:>9} {:>6} {:>11} {:>7}"
    print(fmt.format("d", "method", "seconds", "HVPs", "|Δλmax|", "ratio"))
    for _, fn in SOLVERS:  # warm-up: imports and first-call setup are not timed
        try:
            fn(*data(20))
        except ImportError:
            pass
    for d in (100, 300, 1000):
        X, y, x = data(d)
        ref, t_ref = None, None
        for name, fn in SOLVERS:
            try:
                t0 = time.perf_counter()
                lam, hv = fn(X, y, x)
                dt = time.perf_counter() - t0
            except ImportError:
                print(fmt.format(d, name, "skipped", "-", "-", "-"))
                continue
            if ref is None:
                ref, t_ref = lam, dt
            print(fmt.format(d, name, f"{dt:.3f}", hv, f"{abs(lam - ref):.1e}",
                             f"{dt / t_ref:.2f}"))


if __name__ == "__main__":
    main()
