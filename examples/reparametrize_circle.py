"""Constrained optimization by reparametrization (Goodfellow et al. §4.4).

To minimize f(x) over the unit circle ‖x‖₂ = 1, minimize g(θ) = f([cos θ, sin θ]) over θ with
plain gradient descent, then return x = [cos θ, sin θ]. By the chain rule
g′(θ) = ∇f(x)ᵀ[−sin θ, cos θ], the gradient of f along the circle's tangent.

The answer is checked against SQP on the same problem written with Eq(xᵀx − 1) — both give the
same point, and SQP also returns the multiplier λ (∇f = −2λx: ∇f is normal to the circle).

Run: python examples/reparametrize_circle.py
"""

from __future__ import annotations

import numpy as np

from steepest.constrained import Eq, minimize_constrained

C = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -2.0])


def f(x):
    """A quadratic ½xᵀCx + bᵀx whose minimum over the circle is not obvious."""
    return 0.5 * x @ C @ x + B @ x


def grad_f(x):
    return C @ x + B


def minimize_on_circle(theta0: float = 0.0, step: float = 0.1, tol: float = 1e-12,
                       maxiter: int = 10_000) -> tuple[np.ndarray, int]:
    """Gradient descent on g(θ) = f(cos θ, sin θ); returns (x, iterations)."""
    theta = theta0
    for it in range(maxiter):
        x = np.array([np.cos(theta), np.sin(theta)])
        dg = grad_f(x) @ np.array([-np.sin(theta), np.cos(theta)])
        if abs(dg) <= tol:
            return x, it
        theta -= step * dg
    return np.array([np.cos(theta), np.sin(theta)]), maxiter


def main() -> None:
    x_rep, nit = minimize_on_circle()
    res = minimize_constrained(f, np.array([1.0, 0.0]), jac=grad_f, hess=lambda x: C,
                               constraints=[Eq(lambda x: x @ x - 1.0, jac=lambda x: 2 * x,
                                               hess=lambda x, v: 2 * v[0] * np.eye(2))])
    print(f"reparametrization: x = {x_rep}, f = {f(x_rep):.12f} ({nit} gradient steps)")
    print(f"SQP on Eq(x'x - 1): x = {res.x}, f = {res.fun:.12f}, lambda = {res.lam[0]:.6f}")
    print(res.kkt)


if __name__ == "__main__":
    main()
