r"""Finite-difference derivatives of :class:`steepest.objective.Objective` (a mixin).

The gradient by forward (``jac="2-point"``, :math:`O(\sqrt\epsilon)`) or central
(``"3-point"``, :math:`O(\epsilon^{2/3})`) differences of ``fun``, or by the complex step
(``"cs"``); the Hessian by differences of the gradient; Hessian-vector products by central
differences of the gradient along ``p``. Steps stay inside ``fd_bounds`` when the
bound-constrained solver sets them (a backward step at an upper bound).

Reference:
    Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1 (finite-difference derivative
    approximations).

Example:
    >>> import numpy as np
    >>> from steepest.objective import Objective
    >>> obj = Objective(lambda x: float(x @ x), np.array([1.0, 2.0]), jac="3-point")
    >>> np.round(obj.grad(obj.x0), 6).tolist()
    [2.0, 4.0]
    >>> np.round(obj.finite_difference_hessian(obj.x0), 4).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
"""

from __future__ import annotations

import numpy as np

from ._objective_inputs import scalar

__all__ = ["FiniteDifferences"]


class FiniteDifferences:
    """The finite-difference methods :class:`~steepest.objective.Objective` inherits.

    They read the objective's ``fun``, ``args``, ``sign``, ``n``, ``jac``, ``hess_fd``,
    ``fd_rel_step``, ``fd_abs_step``, ``fd_bounds`` and call its ``grad``.
    """

    def finite_difference_hessian(self, x: np.ndarray) -> np.ndarray:
        """Differences of the gradient, symmetrised: central (2n gradient evaluations), or
        forward (n + 1) when ``hess="2-point"``.

        Args:
            x: flat point.

        Returns:
            :math:`\\tfrac12 (H + H^\\top)` with
            :math:`H_{:,i} = (\\nabla f(x + h e_i) - \\nabla f(x - h e_i)) / 2h`,
            :math:`h = \\epsilon^{1/3} \\max(1, \\|x\\|_\\infty)`, or
            :math:`H_{:,i} = (\\nabla f(x + h e_i) - \\nabla f(x)) / h`,
            :math:`h = \\epsilon^{1/2} \\max(1, \\|x\\|_\\infty)` for ``"2-point"``.
        """
        forward = self.hess_fd == "2-point"
        scale = max(1.0, float(np.max(np.abs(x), initial=0.0)))
        h = np.finfo(float).eps ** (1 / 2 if forward else 1 / 3) * scale
        g0 = self.grad(x) if forward else None
        H = np.empty((self.n, self.n))
        for i in range(self.n):
            e = np.zeros(self.n)
            e[i] = h
            if forward:
                H[:, i] = (self.grad(x + e) - g0) / h
            else:
                H[:, i] = (self.grad(x + e) - self.grad(x - e)) / (2 * h)
        return 0.5 * (H + H.T)

    def _fg_finite_differences(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        f = self.sign * scalar(self.fun(self._unravel(x), *self.args))
        self.nfev += 1
        self.njev += 1
        central = self.jac == "3-point"
        steps = self._fd_steps(x, central)
        g = np.zeros(self.n)
        raw = self.fun
        for i in np.flatnonzero(steps):  # n evaluations of fun: only meant for small n
            e = np.zeros(self.n)
            e[i] = steps[i]
            fp = self.sign * scalar(raw(self._unravel(x + e), *self.args))
            if central and self._inside(x - e):
                fm = self.sign * scalar(raw(self._unravel(x - e), *self.args))
                g[i] = (fp - fm) / (2 * e[i])
            else:
                g[i] = (fp - f) / e[i]
        return f, g

    def _fg_complex_step(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        r""":math:`\partial_i f \approx \operatorname{Im} f(x + i h e_i) / h`, :math:`h =
        10^{-20}` (exact to rounding; ``fun`` must accept complex input)."""
        f = self.sign * scalar(self.fun(self._unravel(x), *self.args))
        self.nfev += 1
        self.njev += 1
        h = 1e-20
        g = np.empty(self.n)
        for i in range(self.n):
            z = x.astype(complex)
            z[i] += 1j * h
            g[i] = self.sign * float(np.imag(np.asarray(self.fun(self._unravel(z), *self.args))
                                             ).reshape(-1)[0]) / h
        return f, g

    def _fd_steps(self, x: np.ndarray, central: bool) -> np.ndarray:
        r"""Difference steps :math:`h_i = r \max(1, |x_i|)` (``r = fd_rel_step``, else
        :math:`\sqrt\epsilon` / :math:`\epsilon^{1/3}`), flipped to a backward step where the
        forward one leaves :attr:`fd_bounds` (0 for a fixed variable: never evaluated)."""
        eps = np.finfo(float).eps
        rel = self.fd_rel_step or (eps ** (1 / 3) if central else np.sqrt(eps))
        h = rel * np.maximum(1.0, np.abs(x))
        if self.fd_abs_step is not None:
            h = np.full(x.shape, float(self.fd_abs_step))
        if self.fd_bounds is None:
            return h
        lo, hi = self.fd_bounds
        h = np.where(x + h > hi, -h, h)
        h = np.where(x + h < lo, 0.0, h)  # no room on either side
        h[lo == hi] = 0.0
        return h

    def _inside(self, x: np.ndarray) -> bool:
        if self.fd_bounds is None:
            return True
        lo, hi = self.fd_bounds
        return bool(np.all(x >= lo) and np.all(x <= hi))

    def _fd_hessp(self, x: np.ndarray, p: np.ndarray) -> np.ndarray:
        pn = float(np.linalg.norm(p))
        if pn == 0.0:
            return np.zeros_like(x)
        eps = np.sqrt(np.finfo(float).eps) * max(1.0, float(np.linalg.norm(x))) / pn
        return (self.grad(x + eps * p) - self.grad(x - eps * p)) / (2 * eps)
