"""Exact Euclidean projections onto simple convex sets.

A projection P_S(x) = argmin_{y in S} ½‖y − x‖² onto a closed convex set S is characterised by
the *variational inequality*: P_S(x) ∈ S and ⟨x − P_S(x), y − P_S(x)⟩ ≤ 0 for every y ∈ S.
Each class below computes P_S exactly (up to rounding) and can test membership, so projected
gradient descent (Goodfellow et al. §4.4: "take a gradient step, then project the result back
into S") works on any of them, and on Cartesian products of them.

Example:
    >>> import numpy as np
    >>> from steepest.constrained import Box, L2Ball
    >>> Box(0.0, 1.0)(np.array([-0.5, 0.3, 2.0])).tolist()
    [0.0, 0.3, 1.0]
    >>> L2Ball(radius=1.0)(np.array([0.0, 2.0])).tolist()
    [0.0, 1.0]

References:
    Goodfellow, Bengio, Courville, *Deep Learning*, §4.4. Duchi, Shalev-Shwartz, Singer,
    Chandra, "Efficient projections onto the l1-ball", ICML 2008. Condat, "Fast projection onto
    the simplex and the l1 ball", Math. Prog. 2016. Beck, *First-Order Methods in Optimization*
    (SIAM 2017), ch. 6.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validate import check_positive_float

__all__ = [
    "Projection",
    "Box",
    "NonnegativeOrthant",
    "L2Ball",
    "L1Ball",
    "LinfBall",
    "Simplex",
    "Affine",
    "Halfspace",
    "Hyperplane",
    "Product",
]


def _vec(x) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"projections act on 1-D vectors; got shape {arr.shape}. "
                         "Flatten the point first (e.g. steepest.tree.ravel_pytree).")
    return arr


class Projection:
    """Base class: a closed convex set S with its Euclidean projection ``P(x)``.

    Subclasses implement :meth:`project` and :meth:`violation` (a distance-like measure that is
    0 exactly on S). ``P(x)`` is the same as ``P.project(x)``.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (projected gradient: project each step back onto
        S); Bertsekas, *Nonlinear Programming*, §2.3 (projection onto a closed convex set).

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import Box
        >>> P = Box(0.0, 1.0)
        >>> isinstance(P, Projection), P.contains([0.5, 1.0]), P.violation(np.array([2.0, 0.0]))
        (True, True, 1.0)
    """

    def project(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def violation(self, x: np.ndarray) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def dim(self) -> int | None:
        """The length of the vectors S is made of, or None when its data fit any length."""
        return None

    def __call__(self, x) -> np.ndarray:
        return self.project(_vec(x))

    def contains(self, x, tol: float = 1e-10) -> bool:
        """True when x lies in S up to ``tol`` (measured by :meth:`violation`)."""
        return bool(self.violation(_vec(x)) <= tol)


@dataclass(frozen=True)
class Box(Projection):
    """Box {x : lower ≤ x ≤ upper}; bounds may be scalars, arrays, or ±inf.

    P(x) = min(max(x, lower), upper), componentwise.

    Args:
        lower: lower bounds (scalar or array, ``-inf`` allowed).
        upper: upper bounds (scalar or array, ``+inf`` allowed).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (projected gradient: project each step back onto
        S).

    Example:
        >>> import numpy as np
        >>> Box(0.0, 1.0)(np.array([-1.0, 0.5, 2.0])).tolist()
        [0.0, 0.5, 1.0]
    """

    lower: float | np.ndarray = -np.inf
    upper: float | np.ndarray = np.inf

    def __post_init__(self):
        if np.any(np.asarray(self.lower) > np.asarray(self.upper)):
            raise ValueError("Box needs lower <= upper componentwise; swap the offending bounds.")

    @property
    def dim(self) -> int | None:
        shape = np.broadcast(np.asarray(self.lower), np.asarray(self.upper)).shape
        return int(np.prod(shape)) if shape else None

    def project(self, x):
        return np.clip(x, self.lower, self.upper)

    def violation(self, x):
        lo = np.maximum(np.asarray(self.lower, float) - x, 0.0)
        hi = np.maximum(x - np.asarray(self.upper, float), 0.0)
        return float(np.max(lo + hi, initial=0.0))


class NonnegativeOrthant(Box):
    """Nonnegative orthant {x : x ≥ 0}: P(x) = max(x, 0).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (projected gradient: project each step back onto
        S).

    Example:
        >>> import numpy as np
        >>> NonnegativeOrthant()(np.array([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __init__(self):
        super().__init__(0.0, np.inf)


@dataclass(frozen=True)
class L2Ball(Projection):
    """Euclidean ball {x : ‖x − center‖₂ ≤ radius}: P(x) = c + (x − c)·min(1, r/‖x − c‖).

    Args:
        radius: r > 0.
        center: c, a scalar or a vector.

    Returns:
        The projection, a callable ``x -> P(x)``.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (the constraint ‖x‖ ≤ 1 of eq. 4.23); Parikh &
        Boyd, "Proximal algorithms", Found. Trends Optim. 1 (2014).

    Example:
        >>> import numpy as np
        >>> np.round(L2Ball(1.0)(np.array([3.0, 4.0])), 12).tolist()
        [0.6, 0.8]
    """

    radius: float = 1.0
    center: float | np.ndarray = 0.0

    def __post_init__(self):
        if not self.radius >= 0:
            raise ValueError(f"L2Ball radius must be >= 0; got {self.radius}.")

    @property
    def dim(self) -> int | None:
        return int(np.size(self.center)) if np.ndim(self.center) else None

    def project(self, x):
        d = x - self.center
        nrm = np.linalg.norm(d)
        if nrm <= self.radius:
            return x.copy()
        return self.center + d * (self.radius / nrm)

    def violation(self, x):
        return max(float(np.linalg.norm(x - self.center)) - self.radius, 0.0)


def _simplex_threshold(v: np.ndarray, z: float) -> float:
    """τ with Σ max(v_i − τ, 0) = z (sort-based, Duchi et al. 2008 / Held et al. 1974)."""
    u = np.sort(v)[::-1]
    css = np.cumsum(u) - z
    k = np.arange(1, v.size + 1)
    rho = np.nonzero(u - css / k > 0)[0][-1]
    return css[rho] / (rho + 1.0)


@dataclass(frozen=True)
class Simplex(Projection):
    """Probability simplex {x : x ≥ 0, Σx = scale}: P(x) = max(x − τ, 0), τ from a sort.

    Args:
        scale: the sum of the entries, > 0 (1 for probability vectors).

    Reference:
        W. Wang & M. Á. Carreira-Perpiñán, "Projection onto the probability simplex",
        arXiv:1309.1541 (2013); Held, Wolfe & Crowder (1974).

    Example:
        >>> import numpy as np
        >>> np.round(Simplex()(np.array([0.2, 0.9])), 12).tolist()  # τ = 0.05
        [0.15, 0.85]
    """

    scale: float = 1.0

    def __post_init__(self):
        check_positive_float(self.scale, "scale")

    def project(self, x):
        return np.maximum(x - _simplex_threshold(x, self.scale), 0.0)

    def violation(self, x):
        return max(float(np.max(-x, initial=0.0)), abs(float(np.sum(x)) - self.scale))


@dataclass(frozen=True)
class L1Ball(Projection):
    """ℓ1 ball {x : ‖x‖₁ ≤ radius}: soft-thresholding sign(x)·max(|x| − τ, 0).

    τ = 0 when x is already inside; otherwise τ is the simplex threshold of |x| (Duchi 2008).

    Args:
        radius: r > 0.

    Returns:
        The projection, a callable ``x -> P(x)`` (the Euclidean projection onto the ball).

    Reference:
        J. Duchi, S. Shalev-Shwartz, Y. Singer & T. Chandra, "Efficient projections onto the
        ℓ1-ball for learning in high dimensions", ICML 2008.

    Example:
        >>> import numpy as np
        >>> L1Ball(1.0)(np.array([2.0, 0.5])).tolist()
        [1.0, 0.0]
    """

    radius: float = 1.0

    def __post_init__(self):
        if not self.radius >= 0:
            raise ValueError(f"L1Ball radius must be >= 0; got {self.radius}.")

    def project(self, x):
        a = np.abs(x)
        if a.sum() <= self.radius:
            return x.copy()
        if self.radius == 0:
            return np.zeros_like(x)
        return np.sign(x) * np.maximum(a - _simplex_threshold(a, self.radius), 0.0)

    def violation(self, x):
        return max(float(np.sum(np.abs(x))) - self.radius, 0.0)


class LinfBall(Box):
    """ℓ∞ ball {x : ‖x − center‖_∞ ≤ radius}, a box: P(x) = clip(x, c − r, c + r).

    Args:
        radius: r >= 0.
        center: c, a scalar or a vector.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (projected gradient: project each step back onto
        S).

    Example:
        >>> import numpy as np
        >>> LinfBall(1.0)(np.array([3.0, -0.5])).tolist()
        [1.0, -0.5]
    """

    def __init__(self, radius: float = 1.0, center: float | np.ndarray = 0.0):
        if not radius >= 0:
            raise ValueError(f"LinfBall radius must be >= 0; got {radius}.")
        c = np.asarray(center, dtype=float)
        super().__init__(c - radius, c + radius)


@dataclass(frozen=True)
class _NormalSet(Projection):
    """Shared part of :class:`Halfspace` and :class:`Hyperplane`: the normal ``a`` (validated,
    nonzero), the offset β, the residual aᵀx − β and the correction r/‖a‖² · a along ``a``."""

    a: np.ndarray
    beta: float = 0.0

    def __post_init__(self):
        a = _vec(self.a)
        if not np.any(a):
            raise ValueError(f"{type(self).__name__} normal a must be nonzero.")
        object.__setattr__(self, "a", a)

    @property
    def dim(self) -> int:
        return int(self.a.size)

    def _residual(self, x) -> float:
        return float(self.a @ x) - self.beta

    def _along_normal(self, r: float) -> np.ndarray:
        return (r / float(self.a @ self.a)) * self.a

    def _distance(self, r: float) -> float:
        return r / float(np.linalg.norm(self.a))


@dataclass(frozen=True)
class Halfspace(_NormalSet):
    """Halfspace {x : aᵀx ≤ β}: P(x) = x − max(aᵀx − β, 0)/‖a‖² · a.

    Args:
        a: the normal vector (nonzero).
        beta: the offset β.

    Reference:
        Bauschke & Combettes, *Convex Analysis and Monotone Operator Theory in Hilbert Spaces*
        (projection onto a half-space); Goodfellow et al., *Deep Learning*, §4.4
        (projected gradient: project each step back onto S).

    Example:
        >>> import numpy as np
        >>> Halfspace(np.array([1.0, 1.0]), 1.0)(np.array([2.0, 2.0])).tolist()
        [0.5, 0.5]
    """

    def project(self, x):
        return x - self._along_normal(max(self._residual(x), 0.0))

    def violation(self, x):
        return self._distance(max(self._residual(x), 0.0))


@dataclass(frozen=True)
class Hyperplane(_NormalSet):
    """Hyperplane {x : aᵀx = β}: P(x) = x − (aᵀx − β)/‖a‖² · a.

    ``tangent_project(x, v) = v − (aᵀv/‖a‖²) a`` projects a direction onto the plane itself
    (its tangent space {d : aᵀd = 0}), for the tangent-space variant of projected gradient.

    Args:
        a: the normal vector (nonzero).
        beta: the offset β.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (projected gradient: project each step back onto
        S); Rosen, "The gradient projection method for nonlinear programming", J. SIAM 8 (1960) (the
        tangent-space variant).

    Example:
        >>> import numpy as np
        >>> Hyperplane(np.array([1.0, 1.0]), 1.0)(np.array([0.0, 0.0])).tolist()
        [0.5, 0.5]
    """

    def project(self, x):
        return x - self._along_normal(self._residual(x))

    def tangent_project(self, x, v):
        """Project a direction v onto the tangent space {d : aᵀd = 0}."""
        return v - self._along_normal(float(self.a @ v))

    def violation(self, x):
        return self._distance(abs(self._residual(x)))


@dataclass(frozen=True)
class Affine(Projection):
    """Affine set {x : Ax = b}: P(x) = x − A⁺(Ax − b), with A⁺ from a thin SVD.

    A rank-deficient A is fine as long as b lies in range(A) (checked at construction).
    ``tangent_project(x, v) = (I − A⁺A) v`` is the projection onto the null space of A used by
    Goodfellow et al.'s (§4.4) "project the gradient into the tangent space" variant (Rosen 1960).

    Args:
        A: the ``(m, n)`` constraint matrix (any rank).
        b: the right-hand side, in range(A).
        rcond: relative cutoff for small singular values (default ``max(m, n) ε``).

    Reference:
        Rosen, "The gradient projection method for nonlinear programming", J. SIAM 8 (1960);
        Goodfellow et al., *Deep Learning*, §4.4 (projected gradient: project each step back onto
        S).

    Example:
        >>> import numpy as np
        >>> P = Affine(np.array([[1.0, 1.0]]), np.array([1.0]))
        >>> np.round(P(np.array([2.0, 0.0])), 12).tolist()
        [1.5, -0.5]
    """

    A: np.ndarray
    b: np.ndarray
    rcond: float | None = None
    _vr: np.ndarray = field(init=False, repr=False)
    _xb: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        A = np.atleast_2d(np.asarray(self.A, dtype=float))
        b = np.atleast_1d(np.asarray(self.b, dtype=float))
        if A.shape[0] != b.shape[0]:
            raise ValueError(f"Affine: A has {A.shape[0]} rows but b has {b.shape[0]} entries.")
        U, s, Vt = np.linalg.svd(A, full_matrices=False)
        tol = (self.rcond if self.rcond is not None
               else max(A.shape) * np.finfo(float).eps) * (s[0] if s.size else 0.0)
        r = int(np.sum(s > tol))
        xb = Vt[:r].T @ ((U[:, :r].T @ b) / s[:r])
        if np.linalg.norm(A @ xb - b) > 1e-8 * (1.0 + np.linalg.norm(b)):
            raise ValueError("Affine: Ax = b has no solution (b is not in range(A)); "
                             "check the constraint data.")
        object.__setattr__(self, "A", A)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "_vr", Vt[:r].T)
        object.__setattr__(self, "_xb", xb)

    @property
    def dim(self) -> int:
        return int(self.A.shape[1])

    def project(self, x):
        return x - self._vr @ (self._vr.T @ (x - self._xb))

    def tangent_project(self, x, v):
        """Project a direction v onto null(A) = tangent space of {Ax = b}."""
        return v - self._vr @ (self._vr.T @ v)

    def violation(self, x):
        return float(np.linalg.norm(self.A @ x - self.b, ord=np.inf))


class Product(Projection):
    """Cartesian product S₁ × … × S_k acting on consecutive blocks of sizes ``sizes``.

    P(x) = (P₁(x₁), …, P_k(x_k)): the projection onto a product is blockwise.

    Args:
        sets: the :class:`Projection` of each block.
        sizes: the block lengths, one positive int per set.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (projected gradient: project each step back onto
        S); the projection onto a product of sets is the product of the projections (Bauschke &
        Combettes, *Convex Analysis and Monotone Operator Theory in Hilbert Spaces*).

    Example:
        >>> import numpy as np
        >>> P = Product([Simplex(), L2Ball(1.0)], sizes=[2, 2])
        >>> P(np.array([1.0, 1.0, 0.0, 2.0])).tolist()
        [0.5, 0.5, 0.0, 1.0]
    """

    def __init__(self, sets, sizes):
        sets, sizes = list(sets), [int(s) for s in sizes]
        if len(sets) != len(sizes) or any(s <= 0 for s in sizes):
            raise ValueError("Product needs one positive block size per set.")
        if not all(isinstance(s, Projection) for s in sets):
            raise TypeError("Product sets must be Projection instances.")
        self.sets, self.sizes = sets, sizes
        self._bounds = np.concatenate([[0], np.cumsum(sizes)])

    @property
    def dim(self) -> int:
        return int(self._bounds[-1])

    def _blocks(self, x):
        if x.size != self._bounds[-1]:
            raise ValueError(f"Product expects vectors of size {self._bounds[-1]}; got {x.size}.")
        return [x[a:b] for a, b in zip(self._bounds[:-1], self._bounds[1:])]

    def project(self, x):
        return np.concatenate([s.project(xb) for s, xb in zip(self.sets, self._blocks(x))])

    def violation(self, x):
        return max(s.violation(xb) for s, xb in zip(self.sets, self._blocks(x)))
