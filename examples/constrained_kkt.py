"""Constrained optimization with a KKT certificate (Goodfellow et al., §4.4–4.5).

Maximize xy + yz subject to x + 2y = 6 and x − 3z = 0 (the notebook's example), minimize a
least-squares loss inside the unit ball, and translate the multipliers to scipy's conventions.
Derivatives come from steepest's autodiff: the functions are plain NumPy.

Run: python examples/constrained_kkt.py
"""

import numpy as np

import steepest as st
from steepest.constrained import Eq, Ineq, convert_multipliers, maximize_constrained

# 1. maximize with two linear equalities: one KKT-Newton step
res = maximize_constrained(lambda v: v[0] * v[1] + v[1] * v[2], np.zeros(3),
                           constraints=[Eq(lambda v: v[0] + 2 * v[1] - 6, name="x+2y=6"),
                                        Eq(lambda v: v[0] - 3 * v[2], name="x-3z=0")])
print("max xy + yz:", res.x, "f =", res.fun, "lambda =", res.lam, f"({res.nit} iteration)")
print(res.kkt)

# 2. min ½‖Ax − b‖² s.t. xᵀx ≤ 1, by SQP and by the secular equation of §4.5
rng = np.random.default_rng(0)
A, b = rng.standard_normal((30, 5)), rng.standard_normal(30) * 3
sqp = st.minimize(lambda x: 0.5 * np.sum((A @ x - b) ** 2), np.zeros(5), method="newton",
                  constraints=[Ineq(lambda x: x @ x - 1.0, name="x'x<=1")])
ls = st.lstsq(A, b, max_norm=1.0)
print(f"\nnorm-constrained least squares: SQP alpha = {sqp.alpha[0]:.12f}, "
      f"secular Newton lambda = {ls.lam:.12f} ({ls.nfact} factorizations)")
print("active set:", sqp.active_set, "| max |x_sqp - x_lstsq| =",
      f"{np.max(np.abs(sqp.x - ls.x)):.1e}")

# 3. multipliers in scipy's sign conventions. convert_multipliers works on minimization
#    multipliers; a maximize result (eq. 4.20) corresponds to min −f with λ_min = −λ
eq, _ = convert_multipliers(-res.lam, [], to="scipy-slsqp")
print("\nxy + yz: scipy SLSQP on min -f would report", eq)
_, ineq = convert_multipliers(sqp.lam, sqp.alpha, to="scipy-trust-constr-lb")
print("ball constraint as NonlinearConstraint(1 - x'x, 0, inf): trust-constr v =", ineq)
