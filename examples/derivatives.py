"""Derivatives of plain NumPy code: gradient, Hessian, Hessian-vector product, and the seed's
tables of primals, tangents and adjoints (Liquet et al. §4.4)."""

import numpy as np

import steepest as st


def cost(theta):
    return np.sin(theta[0] * theta[1]) + np.exp(theta[1] + theta[2]) - 2 * theta[2]


theta = np.array([np.pi / 6, 2.0, 5.0])
print("gradient    :", st.grad(cost)(theta))  # (1, π/12 + e⁷, e⁷ − 2)
print("Hessian     :\n", st.hessian(cost)(theta))
print("H @ (1,0,0) :", st.hvp(cost, theta, np.array([1.0, 0.0, 0.0])))
print()
print(st.explain(cost, theta, j=2))
