"""Minimise Rosenbrock's function with every method of ``steepest.minimize``.

Gradients and Hessians come from ``steepest.autodiff`` (``jac=None``); the result is a
scipy-compatible ``OptimizeResult`` with a per-iteration trace and a certificate saying what
kind of point the solver stopped at.
"""

import numpy as np

import steepest as st


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


x0 = np.array([-1.2, 1.0])
print(f"{'method':<13} {'nit':>4} {'nfev':>5} {'f':>10}  certificate")
for method in ("cg", "bfgs", "lbfgs", "newton", "newton-cg", "trust-newton"):
    res = st.minimize(rosenbrock, x0, method=method)
    print(f"{method:<13} {res.nit:4d} {res.nfev:5d} {res.fun:10.2e}  {res.certificate.kind}")

res = st.minimize(rosenbrock, x0, method="lbfgs", options={"gtol": 1e-8, "ftol": None})
print("\nL-BFGS trace (first rows): f, |g|, step")
for f, g, a in list(zip(res.trace.f, res.trace.gnorm, res.trace.step_size))[:5]:
    print(f"  {f:10.4g} {g:10.3g} {a:8.3g}")
print(res.message)
