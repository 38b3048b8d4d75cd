"""Finite differences and gradient checking as library features.

``numerical_gradient``/``numerical_jacobian``/``numerical_hessian`` use central differences
with the step ``h = ε^{1/3} max(1, |x_i|)`` that balances truncation error ``O(h²)`` against
rounding error ``O(ε/h)`` (Goodfellow et al. §4.1; Nocedal & Wright §8.1), optionally refined
by one Richardson extrapolation (``(4 D(h/2) − D(h)) / 3``, error ``O(h⁴)``).

``check_grads`` compares forward-mode JVPs and reverse-mode VJPs along random directions with
central differences, and recursively does the same for the derivative maps themselves up to
``order`` (autograd's ``check_grads`` idea).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._validate import (
    check_callable,
    check_choice,
    check_finite_array,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
    check_seed,
)
from ..tree import tree_flatten, tree_leaves, tree_map, tree_unflatten
from .transforms import check_differentiable, jvp, vjp

__all__ = ["numerical_gradient", "numerical_jacobian", "numerical_hessian", "check_grads",
           "GradientCheckError"]

_EPS = np.finfo(float).eps


class GradientCheckError(AssertionError):
    """Raised by :func:`check_grads` when a derivative disagrees with finite differences.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1; Liquet et al., *Mathematical
        Engineering of Deep Learning*, §4.4.

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp
        >>> bad = primitive(np.sin)
        >>> defvjp(bad, lambda g, ans, x: 2.0 * g)  # wrong: should be g * cos(x)
        >>> try:
        ...     check_grads(bad, (np.array([0.3]),), modes=("rev",), order=1)
        ... except GradientCheckError:
        ...     print("caught")
        caught
    """


def _steps(x: np.ndarray, step: float | None) -> np.ndarray:
    if step is not None:
        return np.full(x.shape, check_positive_float(step, "step"))
    return _EPS ** (1 / 3) * np.maximum(1.0, np.abs(x))


def _value(out: Any) -> np.ndarray:
    """``f``'s value as a float array, or a TypeError naming what ``f`` returned."""
    if out is None or isinstance(out, str | bytes):
        raise TypeError(f"f returned {out!r}; f must return a real number or array (its value "
                        "at x)")
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"f returned {type(out).__name__} {out!r:.40}; f must return a real "
                        "number or array (its value at x)") from exc


def _point(x: Any) -> np.ndarray:
    """The point ``x`` as a finite float array (a complex or text ``x`` raises)."""
    if np.iscomplexobj(x):
        raise TypeError("x is complex; finite differences here are over real x: pass the real "
                        "and imaginary parts as separate real entries")
    return check_finite_array(x, "x")


def _central(f: Callable[[np.ndarray], Any], x: np.ndarray, h: np.ndarray) -> np.ndarray:
    cols = []
    flat = x.ravel()
    for i in range(flat.size):
        e = np.zeros_like(flat)
        e[i] = h.ravel()[i]
        fp = _value(f((flat + e).reshape(x.shape)))
        fm = _value(f((flat - e).reshape(x.shape)))
        cols.append((fp - fm) / (2 * h.ravel()[i]))
    if not cols:
        return np.zeros(np.shape(f(x)) + x.shape)
    return np.moveaxis(np.array(cols), 0, -1).reshape(np.shape(cols[0]) + x.shape)


def numerical_jacobian(f: Callable[[np.ndarray], Any], x: Any, step: float | None = None,
                       richardson: bool = False) -> np.ndarray:
    """Central-difference Jacobian of ``f`` at ``x``, shape ``f(x).shape + x.shape``.

    Args:
        f: function of one float array.
        x: the point.
        step: fixed step; default ``ε^{1/3} max(1, |x_i|)`` per coordinate
            (``ε^{1/5}`` with Richardson).
        richardson: combine steps ``h`` and ``h/2`` to cancel the ``h²`` error term.

    Returns:
        The Jacobian estimate (error ``O(h²)``, or ``O(h⁴)`` with Richardson).

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1 (finite-difference derivative
        approximations).

    Example:
        >>> import numpy as np
        >>> J = numerical_jacobian(lambda v: v ** 2, np.array([1.0, 2.0]))
        >>> np.allclose(J, np.diag([2.0, 4.0]))
        True
    """
    x = _point(x)
    if not richardson:
        return _central(f, x, _steps(x, step))
    h = _steps(x, step) if step is not None else _EPS ** (1 / 5) * np.maximum(1.0, np.abs(x))
    return (4 * _central(f, x, h / 2) - _central(f, x, h)) / 3


def numerical_gradient(f: Callable[[np.ndarray], Any], x: Any, step: float | None = None,
                       richardson: bool = False) -> np.ndarray:
    """Central-difference gradient of a scalar ``f`` at ``x`` (see :func:`numerical_jacobian`).

    ``∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h``, error ``O(h²)``.

    Args:
        f: scalar function of one float array.
        x: the point.
        step: fixed step ``h``; default ``ε^{1/3} max(1, |x_i|)`` per coordinate.
        richardson: combine steps ``h`` and ``h/2`` to cancel the ``h²`` error term.

    Returns:
        The gradient estimate, shape ``x.shape``.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1; Liquet et al.
        §4.4 "Numerical and Symbolic Differentiation".

    Example:
        >>> import numpy as np
        >>> g = numerical_gradient(lambda v: np.sum(v ** 3), np.array([1.0, 2.0]))
        >>> np.allclose(g, [3.0, 12.0])
        True
    """
    g = numerical_jacobian(f, x, step=step, richardson=richardson)
    if g.shape != np.shape(x):
        raise ValueError(f"f returned an array of shape {g.shape[: g.ndim - np.ndim(x)]}, not a "
                         "scalar; for a vector function use numerical_jacobian(f, x)")
    return g


def numerical_hessian(f: Callable[[np.ndarray], Any], x: Any, step: float | None = None,
                      grad: Callable[[np.ndarray], Any] | None = None) -> np.ndarray:
    """Finite-difference Hessian: differences of ``grad`` if given, else second differences.

    With an exact gradient the step is ``ε^{1/3}`` scaled; from values only it is
    ``ε^{1/4}`` scaled, the balance for second differences. The result is symmetrised.

    ``H_ij ≈ (∇f(x + h e_j) − ∇f(x − h e_j))_i / 2h`` with a gradient, else
    ``H_ij ≈ (f(x+h e_i+h e_j) − f(x+h e_i−h e_j) − f(x−h e_i+h e_j) + f(x−h e_i−h e_j)) / 4h²``.

    Args:
        f: scalar function of one float array.
        x: the point.
        step: fixed step ``h``; default scaled by ``max(1, |x_i|)`` as above.
        grad: the exact gradient of ``f``, if available (more accurate, fewer calls).

    Returns:
        The symmetric Hessian estimate, shape ``x.shape + x.shape``.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1;
        Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.6).

    Example:
        >>> import numpy as np
        >>> H = numerical_hessian(lambda v: v[0] ** 2 * v[1], np.array([1.0, 2.0]))
        >>> np.allclose(H, [[4.0, 2.0], [2.0, 0.0]], atol=1e-5)
        True
    """
    x = _point(x)
    if grad is not None:
        H = numerical_jacobian(grad, x, step=step)
        if H.shape != x.shape + x.shape:
            raise ValueError(f"grad returned an array of shape {H.shape[: H.ndim - x.ndim]}, "
                             f"x has shape {x.shape}; grad must return one entry per entry of x")
    else:
        n = x.size
        h = np.full(n, check_positive_float(step, "step")) if step is not None else (
            _EPS ** 0.25 * np.maximum(1.0, np.abs(x.ravel())))
        H = np.empty((n, n))
        fx = float(f(x))
        flat = x.ravel()
        for i in range(n):
            for j in range(i, n):
                H[i, j] = H[j, i] = _second_difference(f, flat, x.shape, i, j, h, fx)
        H = H.reshape(x.shape + x.shape)
    n = x.size
    H2 = H.reshape(n, n)
    return (0.5 * (H2 + H2.T)).reshape(x.shape + x.shape)


def _second_difference(f: Callable, flat: np.ndarray, shape: tuple, i: int, j: int,
                       h: np.ndarray, fx: float) -> float:
    def at(di: float, dj: float) -> float:
        z = flat.copy()
        z[i] += di
        z[j] += dj
        return float(f(z.reshape(shape)))

    if i == j:
        return (at(h[i], 0) - 2 * fx + at(-h[i], 0)) / h[i] ** 2
    return (at(h[i], h[j]) - at(h[i], -h[j]) - at(-h[i], h[j]) + at(-h[i], -h[j])) / (
        4 * h[i] * h[j])


def _numbers(a: Any) -> np.ndarray:
    """``a`` as a float array, or a complex one when it holds complex values."""
    return np.asarray(a, dtype=complex if np.iscomplexobj(a) else float)


def _directional_fd(f: Callable, args: tuple, v: tuple, eps: float) -> Any:
    def shifted(s: float) -> Any:
        new = tree_map(lambda a, d: _numbers(a) + s * d, args, v)
        return f(*new)

    fp, fm = tree_flatten(shifted(eps))[0], tree_flatten(shifted(-eps))[0]
    return [(_numbers(p) - _numbers(m)) / (2 * eps) for p, m in zip(fp, fm)]


def _random_like(tree: Any, rng: np.random.Generator) -> Any:
    """Random directions: real for real leaves, with random real and imaginary parts for
    complex ones (so both the real and the imaginary directions are checked)."""
    def draw(a: Any) -> np.ndarray:
        d = rng.standard_normal(np.shape(a))
        return d + 1j * rng.standard_normal(np.shape(a)) if np.iscomplexobj(a) else d

    return tree_map(draw, tree)


def _vdot(a: Any, b: Any) -> float:
    """``Re Σ a b`` (no conjugate): the pairing of a cotangent with a tangent."""
    la, lb = tree_flatten(a)[0], tree_flatten(b)[0]
    return float(np.real(sum(np.sum(np.asarray(x) * np.asarray(y)) for x, y in zip(la, lb))))


def _compare(name: str, ad: Any, fd: Any, rtol: float, atol: float) -> None:
    ad_l = [_numbers(a) for a in tree_flatten(ad)[0]]
    fd_l = [_numbers(a) for a in tree_flatten(fd)[0]]
    for a, b in zip(ad_l, fd_l):
        if not np.allclose(a, b, rtol=rtol, atol=atol):
            err = float(np.max(np.abs(a - b)))
            raise GradientCheckError(
                f"{name} disagrees with central differences: max abs error {err:.3g}\n"
                f"autodiff: {a}\nfinite differences: {b}")


def check_grads(f: Callable[..., Any], args: Sequence[Any], modes: Sequence[str] = ("fwd", "rev"),
                order: int = 2, eps: float = 1e-6, rtol: float = 1e-4, atol: float = 1e-6,
                seed: int = 0) -> None:
    """Check ``f``'s derivatives against central differences along random directions.

    ``fwd``: ``J v`` from :func:`jvp` vs ``(f(x + εv) − f(x − εv)) / 2ε``.
    ``rev``: ``uᵀ J v`` from :func:`vjp` vs ``uᵀ (f(x + εv) − f(x − εv)) / 2ε``.
    Complex arguments get complex directions ``v`` (random real and imaginary parts) and
    complex outputs complex ``u``; the reverse check is then ``Re Σ vjp(u) v = Re Σ u (J v)``,
    autograd's convention (:mod:`steepest.autodiff.rules.complex`).
    With ``order > 1`` the same checks run on the maps ``(x, v) ↦ J v`` and ``(x, u) ↦ uᵀ J``,
    which checks the derivatives of the rules themselves (second order and beyond).

    Args:
        f: function of the positional ``args`` (arrays or pytrees of float or complex arrays).
        args: the point.
        modes: any of ``"fwd"`` and ``"rev"``.
        order: highest derivative order checked.
        eps, rtol, atol: finite-difference step and tolerances.
        seed: seed of the random directions.

    Returns:
        None when every check passes (it raises otherwise).

    Raises:
        GradientCheckError: naming the mode and order that disagree.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §8.1 (finite-difference derivative
        approximations).
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic
        Differentiation".

    Example:
        >>> import numpy as np
        >>> check_grads(lambda x: np.sin(x) * x, (np.array([0.3, 1.2]),))
        >>> check_grads(lambda z: np.abs(np.exp(z)), (np.array([0.3 + 1.0j]),))
    """
    args = _check_grads_args(f, args, modes, order, eps, rtol, atol, seed)
    rng = np.random.default_rng(seed)
    v = _random_like(args, rng)
    fd = _directional_fd(f, args, v, eps)
    if "fwd" in modes:
        _, tan = jvp(f, args, v)
        _compare(f"order-{order} JVP", tan, tree_unflatten(tree_flatten(tan)[1], fd), rtol, atol)
        if order > 1:
            check_grads(lambda *a: jvp(f, a[: len(args)], a[len(args):])[1], args + v,
                        modes, order - 1, eps, rtol, atol, seed + 1)
    if "rev" in modes:
        out, pullback = vjp(f, *args)
        u = _random_like(out, rng)
        _compare(f"order-{order} VJP", _vdot(pullback(u), v), _vdot(u, fd), rtol, atol)
        if order > 1:
            n = len(args)
            check_grads(lambda *a: pullback_at(f, a[:n], a[n]), args + (u,), modes, order - 1,
                        eps, rtol, atol, seed + 1)


def _check_grads_args(f: Callable, args: Any, modes: Any, order: Any, eps: Any, rtol: Any,
                      atol: Any, seed: Any) -> tuple:
    """``args`` as a tuple of float pytrees, after checking every argument of check_grads."""
    check_callable(f, "f")
    if not isinstance(args, tuple | list):
        raise TypeError(f"args must be a tuple of f's positional arguments, got "
                        f"{type(args).__name__}; pass args=(x,) for one argument")
    if isinstance(modes, str) or not isinstance(modes, tuple | list):
        raise TypeError(f"modes must be a tuple of mode names, got {modes!r}; pass e.g. "
                        "modes=('rev',) or modes=('fwd', 'rev')")
    for mode in modes:
        check_choice(mode, "mode", ("fwd", "rev"))
    check_positive_int(order, "order")
    check_positive_float(eps, "eps")
    check_nonnegative_float(rtol, "rtol")
    check_nonnegative_float(atol, "atol")
    check_seed(seed)
    for leaf in tree_leaves(tuple(args)):
        if isinstance(leaf, str | bytes) or leaf is None:
            check_differentiable(leaf, "argument")
    return tuple(tree_map(_numbers, tuple(args)))


def pullback_at(f: Callable, args: tuple, u: Any) -> Any:
    """``uᵀ J_f(args)`` as a function of ``(args, u)`` (for the higher-order checks)."""
    return vjp(f, *args)[1](u)
