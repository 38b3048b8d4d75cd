"""``steepest.scipy.stats``: differentiable densities of :mod:`scipy.stats` distributions.

``norm``, ``t``, ``gamma``, ``beta`` (``logpdf``, ``pdf``, ``logcdf``, ``cdf``, ``logsf``,
``sf`` with ``loc``/``scale``), ``poisson`` (``logpmf``, ``pmf``, ``logcdf``, ``cdf``,
``sf``), ``multivariate_normal`` and ``dirichlet`` (``logpdf``, ``pdf``), called as in SciPy
— ``norm.logpdf(x, loc, scale)`` or frozen, ``norm(loc, scale).logpdf(x)``. On plain arrays
each method is SciPy's; when an argument is traced it is computed from primitives, so the
derivative in ``x``, ``loc``, ``scale`` and the shape parameters of every density follows.
The cdfs of ``t``, ``gamma``, ``beta`` and ``poisson`` are differentiable in ``x``, ``loc``,
``scale`` and the Poisson rate, not in a shape parameter (a clear error says so).

SciPy's own distribution methods cannot be traced: they convert their input with
``np.asarray(x, dtype=float)`` and write results with ``np.place``/``np.putmask``.

Densities, with ``z = (x − loc)/scale`` and the ``−log scale`` of the change of variable
(formulas as in SciPy's documentation of each distribution):
``norm``: −z²/2 − ½log 2π; ``t``: log Γ((ν+1)/2) − log Γ(ν/2) − ½log νπ − (ν+1)/2·log(1 + z²/ν);
``gamma``: (a − 1) log z − z − log Γ(a); ``beta``: (a − 1) log z + (b − 1) log(1 − z) − log B(a, b);
``poisson``: k log μ − log k! − μ; ``multivariate_normal``: −½(d log 2π + log det Σ + δᵀΣ⁻¹δ);
``dirichlet``: Σ (αᵢ − 1) log xᵢ − Σ log Γ(αᵢ) + log Γ(Σαᵢ).

Example:
    >>> import numpy as np
    >>> from steepest import grad
    >>> x = np.array([0.5, 1.5, 2.5])
    >>> nll = lambda s: -np.sum(norm.logpdf(x, loc=1.5, scale=s))
    >>> round(float(grad(nll)(1.0)), 6)  # n/σ − Σ(x − μ)²/σ³ = 3 − 2
    1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as _sps
import scipy.stats as _ss

from .._dispatch import is_traced
from ..autodiff.numpy import concatenate, log, reshape, sum, where
from ..autodiff.numpy import linalg as _linalg
from ..autodiff.rules import scipy_special as _rules
from ..autodiff.rules import ufunc as _u
from ..autodiff.tracing import getval, shape_of

__all__ = ["norm", "t", "gamma", "beta", "poisson", "multivariate_normal", "dirichlet"]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


def _traced(*args: Any, **kwargs: Any) -> bool:
    return any(is_traced(a) for a in (*args, *kwargs.values()))


def _outside(mask: Any, value: Any, fill: float) -> Any:
    """``value`` where ``mask`` is false, the constant ``fill`` where it holds."""
    return where(np.asarray(mask), fill, value)


class _Frozen:
    """A distribution with its parameters bound, as ``scipy.stats.norm(loc, scale)``."""

    def __init__(self, dist: Any, args: tuple, kwargs: dict) -> None:
        self.dist, self.args, self.kwargs = dist, args, kwargs

    def __getattr__(self, method: str) -> Any:
        bound = getattr(self.dist, method)
        return lambda x, **kw: bound(x, *self.args, **self.kwargs, **kw)


class _Univariate:
    """The methods shared by the scalar distributions; subclasses give the standard form."""

    scipy: Any = None
    shapes: tuple[str, ...] = ()

    def __call__(self, *args: Any, **kwargs: Any) -> _Frozen:
        return _Frozen(self, args, kwargs)

    def _params(self, args: tuple, kwargs: dict) -> tuple[list, Any, Any]:
        names = (*self.shapes, "loc", "scale")
        if len(args) > len(names):
            raise TypeError(f"{self.scipy.name} takes at most {len(names)} parameters "
                            f"{names}; got {len(args)} positional ones")
        given = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names or key in given:
                raise TypeError(f"{self.scipy.name}: unexpected or repeated parameter {key!r}; "
                                f"its parameters are {names}")
            given[key] = value
        missing = [n for n in self.shapes if n not in given]
        if missing:
            raise TypeError(f"{self.scipy.name}: missing shape parameter(s) {missing}")
        loc, scale = given.get("loc", 0.0), given.get("scale", 1.0)
        if np.any(np.asarray(getval(scale)) <= 0):
            raise ValueError(f"{self.scipy.name}: scale must be positive, got {scale!r}")
        return [given[n] for n in self.shapes], loc, scale

    def _call(self, method: str, x: Any, args: tuple, kwargs: dict) -> Any:
        if not _traced(x, *args, **kwargs):
            return getattr(self.scipy, method)(x, *args, **kwargs)
        shapes, loc, scale = self._params(args, kwargs)
        z = (x - loc) / scale
        if method == "logpdf":
            return self._logpdf(z, *shapes) - log(scale)
        if method == "pdf":
            return _u.exp(self._logpdf(z, *shapes)) / scale
        return getattr(self, "_" + method)(z, *shapes)

    def logpdf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """log density at ``x`` (SciPy's signature: shapes, then ``loc``, ``scale``)."""
        return self._call("logpdf", x, args, kwargs)

    def pdf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """Density at ``x``."""
        return self._call("pdf", x, args, kwargs)

    def cdf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """Distribution function at ``x``."""
        return self._call("cdf", x, args, kwargs)

    def logcdf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """log of the distribution function."""
        return self._call("logcdf", x, args, kwargs)

    def sf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """Survival function ``1 − cdf``."""
        return self._call("sf", x, args, kwargs)

    def logsf(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        """log of the survival function."""
        return self._call("logsf", x, args, kwargs)

    def _logcdf(self, z: Any, *shapes: Any) -> Any:
        return log(self._cdf(z, *shapes))

    def _sf(self, z: Any, *shapes: Any) -> Any:
        return 1.0 - self._cdf(z, *shapes)

    def _logsf(self, z: Any, *shapes: Any) -> Any:
        return log(self._sf(z, *shapes))


class _Norm(_Univariate):
    scipy = _ss.norm

    def _logpdf(self, z: Any) -> Any:
        return -0.5 * z**2 - _HALF_LOG_2PI

    def _cdf(self, z: Any) -> Any:
        return _u.ndtr(z)

    def _logcdf(self, z: Any) -> Any:
        return _u.log_ndtr(z)

    def _sf(self, z: Any) -> Any:
        return _u.ndtr(-z)

    def _logsf(self, z: Any) -> Any:
        return _u.log_ndtr(-z)


class _T(_Univariate):
    scipy, shapes = _ss.t, ("df",)

    def _logpdf(self, z: Any, df: Any) -> Any:
        return (_u.gammaln(0.5 * (df + 1.0)) - _u.gammaln(0.5 * df) - 0.5 * log(df * np.pi)
                - 0.5 * (df + 1.0) * _u.log1p(z**2 / df))

    def _cdf(self, z: Any, df: Any) -> Any:
        return _rules.stdtr(df, z)

    def _sf(self, z: Any, df: Any) -> Any:
        return _rules.stdtr(df, -z)


class _Gamma(_Univariate):
    scipy, shapes = _ss.gamma, ("a",)

    def _logpdf(self, z: Any, a: Any) -> Any:
        zv = getval(z)
        inside = where(zv < 0, 1.0, z)
        return _outside(zv < 0, _u.xlogy(a - 1.0, inside) - inside - _u.gammaln(a), -np.inf)

    def _cdf(self, z: Any, a: Any) -> Any:
        zv = getval(z)
        return _outside(zv < 0, _rules.gammainc(a, where(zv < 0, 0.0, z)), 0.0)

    def _sf(self, z: Any, a: Any) -> Any:
        zv = getval(z)
        return _outside(zv < 0, _rules.gammaincc(a, where(zv < 0, 0.0, z)), 1.0)


class _Beta(_Univariate):
    scipy, shapes = _ss.beta, ("a", "b")

    def _logpdf(self, z: Any, a: Any, b: Any) -> Any:
        zv = getval(z)
        out = (zv < 0) | (zv > 1)
        inside = where(out, 0.5, z)
        dens = _u.xlogy(a - 1.0, inside) + _rules.xlog1py(b - 1.0, -inside) - _rules.betaln(a, b)
        return _outside(out, dens, -np.inf)

    def _cdf(self, z: Any, a: Any, b: Any) -> Any:
        zv = getval(z)
        inside = _rules.betainc(a, b, where((zv < 0) | (zv > 1), 0.5, z))
        return where(zv < 0, 0.0, where(zv > 1, 1.0, inside))


class _Poisson:
    """Poisson counts: ``logpmf``/``pmf``/``logcdf``/``cdf``/``sf`` of ``k`` given ``mu``."""

    scipy = _ss.poisson

    def __call__(self, *args: Any, **kwargs: Any) -> _Frozen:
        return _Frozen(self, args, kwargs)

    def _call(self, method: str, k: Any, mu: Any, loc: Any = 0) -> Any:
        if not _traced(k, mu, loc):
            return getattr(self.scipy, method)(k, mu, loc)
        if np.any(np.asarray(getval(mu)) < 0):
            raise ValueError("poisson: the rate mu must be non-negative")
        kv = np.asarray(getval(k), dtype=float) - np.asarray(getval(loc), dtype=float)
        return getattr(self, "_" + method)(kv, mu)

    def logpmf(self, k: Any, mu: Any, loc: Any = 0) -> Any:
        """``k log μ − log k! − μ`` (−inf off the non-negative integers)."""
        return self._call("logpmf", k, mu, loc)

    def pmf(self, k: Any, mu: Any, loc: Any = 0) -> Any:
        """``μᵏ e^{−μ} / k!``."""
        return self._call("pmf", k, mu, loc)

    def cdf(self, k: Any, mu: Any, loc: Any = 0) -> Any:
        """``P(K ≤ k) = Q(⌊k⌋ + 1, μ)``, the regularised upper incomplete gamma function."""
        return self._call("cdf", k, mu, loc)

    def logcdf(self, k: Any, mu: Any, loc: Any = 0) -> Any:
        """log of :meth:`cdf`."""
        return self._call("logcdf", k, mu, loc)

    def sf(self, k: Any, mu: Any, loc: Any = 0) -> Any:
        """``P(K > k) = P(⌊k⌋ + 1, μ)``."""
        return self._call("sf", k, mu, loc)

    def _logpmf(self, k: np.ndarray, mu: Any) -> Any:
        bad = (k < 0) | (k != np.floor(k))
        kk = np.where(bad, 0.0, k)
        return _outside(bad, _u.xlogy(kk, mu) - _sps.gammaln(kk + 1.0) - mu, -np.inf)

    def _pmf(self, k: np.ndarray, mu: Any) -> Any:
        return _u.exp(self._logpmf(k, mu))

    def _cdf(self, k: np.ndarray, mu: Any) -> Any:
        kk = np.floor(np.where(k < 0, 0.0, k)) + 1.0
        return _outside(k < 0, _rules.gammaincc(kk, mu), 0.0)

    def _logcdf(self, k: np.ndarray, mu: Any) -> Any:
        return log(self._cdf(k, mu))

    def _sf(self, k: np.ndarray, mu: Any) -> Any:
        kk = np.floor(np.where(k < 0, 0.0, k)) + 1.0
        return _outside(k < 0, _rules.gammainc(kk, mu), 1.0)


def _as_matrix(cov: Any, d: int) -> Any:
    """SciPy's forms of a covariance: a number (σ² I), a vector (a diagonal) or a matrix."""
    nd = len(shape_of(cov))
    if nd == 0:
        return cov * np.eye(d)
    if nd == 1:
        return cov * np.eye(d)  # broadcasts the vector along the rows: diag(cov)
    return cov


class _MultivariateNormal:
    """``logpdf``/``pdf`` of ``N(mean, cov)``; ``x`` of shape ``(d,)`` or ``(..., d)``."""

    scipy = _ss.multivariate_normal

    def __call__(self, mean: Any = None, cov: Any = 1) -> _Frozen:
        return _Frozen(self, (mean, cov), {})

    def logpdf(self, x: Any, mean: Any = None, cov: Any = 1) -> Any:
        """``−½(d log 2π + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ))`` per row of ``x``."""
        if not _traced(x, mean, cov):
            return self.scipy.logpdf(x, mean, cov)
        shape = shape_of(x)
        d = int(np.size(getval(mean))) if mean is not None else (shape[-1] if shape else 1)
        rows = reshape(x, (-1, d))
        dev = rows if mean is None else rows - reshape(mean, (1, d))
        sigma = _as_matrix(cov, d)
        sol = _linalg.solve(sigma, dev.T)
        maha = sum(dev * sol.T, axis=-1)
        logdet = _linalg.slogdet(sigma)[1]
        out = -0.5 * (maha + logdet) - d * _HALF_LOG_2PI
        lead = shape[:-1] if d > 1 or (shape and shape[-1] == 1) else shape
        return reshape(out, lead)

    def pdf(self, x: Any, mean: Any = None, cov: Any = 1) -> Any:
        """``exp`` of :meth:`logpdf`."""
        if not _traced(x, mean, cov):
            return self.scipy.pdf(x, mean, cov)
        return _u.exp(self.logpdf(x, mean, cov))


class _Dirichlet:
    """``logpdf``/``pdf`` of ``Dir(alpha)``; ``x`` of shape ``(k, ...)`` (or ``k − 1`` rows)."""

    scipy = _ss.dirichlet

    def __call__(self, alpha: Any) -> _Frozen:
        return _Frozen(self, (alpha,), {})

    def logpdf(self, x: Any, alpha: Any) -> Any:
        """``Σ (αᵢ − 1) log xᵢ − Σ log Γ(αᵢ) + log Γ(Σ αᵢ)`` over the first axis of ``x``."""
        if not _traced(x, alpha):
            return self.scipy.logpdf(x, alpha)
        k = int(np.size(getval(alpha)))
        shape = shape_of(x)
        if shape[0] == k - 1:
            x = concatenate([x, 1.0 - sum(x, axis=0, keepdims=True)], axis=0)
            shape = shape_of(x)
        if not shape or shape[0] != k:
            raise ValueError(f"dirichlet: x must have {k} (or {k - 1}) entries along its first "
                             f"axis to match alpha; got shape {shape}")
        a = reshape(alpha, (k,) + (1,) * (len(shape) - 1))
        log_b = sum(_u.gammaln(alpha)) - _u.gammaln(sum(alpha))
        return sum(_u.xlogy(a - 1.0, x), axis=0) - log_b

    def pdf(self, x: Any, alpha: Any) -> Any:
        """``exp`` of :meth:`logpdf`."""
        if not _traced(x, alpha):
            return self.scipy.pdf(x, alpha)
        return _u.exp(self.logpdf(x, alpha))


norm, t, gamma, beta = _Norm(), _T(), _Gamma(), _Beta()
poisson, multivariate_normal, dirichlet = _Poisson(), _MultivariateNormal(), _Dirichlet()
