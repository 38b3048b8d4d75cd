"""``spectrum``: the Hessian's eigenvalues at a point, by sign, on a symmetric log axis."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..analysis import CurvatureSpectrum
from ._axes import Axes, axes_or_new

__all__ = ["spectrum"]


def _eigenvalues(spec: Any) -> tuple[np.ndarray, str]:
    if isinstance(spec, CurvatureSpectrum):
        what = "all" if spec.complete else f"{spec.eigenvalues.size} extreme"
        return np.asarray(spec.eigenvalues, dtype=float), f"{what}, {spec.method.value}"
    values = getattr(spec, "hessian_eigenvalues", spec)  # a minimize certificate
    if values is None:
        raise ValueError("this certificate has no Hessian eigenvalues; minimize computes them "
                         "for n <= certify_max_n")
    arr = np.asarray(values, dtype=float).ravel()
    if arr.size == 0 or not np.all(np.isfinite(arr)):
        raise ValueError("spectrum needs at least one finite eigenvalue; pass the result of "
                         "steepest.curvature_spectrum(f, x)")
    return np.sort(arr), "given"


def spectrum(curvature_spectrum: Any, *, symlog: bool | None = None, label: str | None = None,
             colors: tuple[str, str] = ("tab:red", "tab:blue"), ax: Axes | None = None,
             **marker_kw: Any) -> Axes:
    """The eigenvalues λ₁ ≤ … ≤ λₙ of ∇²f(x) against their index, negative ones in red.

    Positive eigenvalues are directions of upward curvature, negative ones of downward
    curvature (a saddle has both); the ratio of the extremes is the condition number that
    governs gradient descent (Goodfellow et al. §4.3.1). A Lanczos spectrum
    (``method="lanczos"``, ``which="both"``) holds only the k smallest and k largest; they
    are drawn at the ends of the index axis 1 … n.

    Args:
        curvature_spectrum: a :class:`~steepest.analysis.CurvatureSpectrum`, a ``minimize``
            certificate, or an array of eigenvalues.
        symlog: symmetric log scale on y (default: when the |λ| span more than 3 decades).
        label: the legend label (default: what the spectrum holds).
        colors: the colours of negative and of non-negative eigenvalues.
        ax: the Axes to draw into; a new figure when ``None``.
        **marker_kw: passed to ``ax.scatter``.

    Returns:
        The Axes.

    Example:
        >>> import numpy as np
        >>> from steepest import curvature_spectrum
        >>> s = curvature_spectrum(lambda x: x[0] ** 2 - 3 * x[1] ** 2, np.zeros(2))
        >>> ax = spectrum(s)
        >>> ax.collections[0].get_offsets().tolist()
        [[1.0, -6.0], [2.0, 2.0]]
    """
    lam, what = _eigenvalues(curvature_spectrum)
    n = getattr(curvature_spectrum, "eigenvectors", np.empty((lam.size, 0))).shape[0]
    index = np.arange(1, lam.size + 1, dtype=float)
    if isinstance(curvature_spectrum, CurvatureSpectrum) and not curvature_spectrum.complete:
        low = lam.size // 2  # which="both": the k smallest, then the k largest
        index = np.concatenate([np.arange(1, low + 1),
                                np.arange(n - (lam.size - low) + 1, n + 1)]).astype(float)
    ax = axes_or_new(ax)
    colours = np.where(lam < 0, colors[0], colors[1])
    ax.scatter(index, lam, c=colours, label=label or f"eigenvalues ({what})", **marker_kw)
    ax.axhline(0.0, color="gray", lw=0.8)
    mags = np.abs(lam[lam != 0])
    if symlog or (symlog is None and mags.size and mags.max() > 1e3 * mags.min()):
        ax.set_yscale("symlog", linthresh=float(mags.min()) if mags.size else 1.0)
    ax.set(xlabel="index i", ylabel="λᵢ of ∇²f(x)")
    ax.legend(fontsize=8)
    return ax
