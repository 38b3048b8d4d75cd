"""Figures of your own problems: landscapes, paths, convergence, line searches, training.

Every function takes ``ax=None`` (draw into that Axes, or a new figure), returns the Axes and
never calls ``show()``, so it works headless (the ``Agg`` backend) and composes with
``plt.subplots``. matplotlib is the optional extra ``plot`` (``pip install 'steepest[plot]'``);
``import steepest`` and ``import steepest.plot`` do not import it: the first use of a function
does (PEP 562), and says how to install it when it is missing.

- :func:`landscape` contours of a 2-D objective (curve of a 1-D one), critical points by kind;
- :func:`path` iterates of ``minimize`` runs over the landscape;
- :func:`convergence` f − f*, ‖∇f‖ or the step length against iterations, evaluations, time;
- :func:`line` the section φ(α) = f(x + αp) with the Armijo and Wolfe conditions;
- :func:`history` training and validation curves of ``fit`` with the early-stopping epoch;
- :func:`spectrum` Hessian eigenvalues; :func:`taylor` f against its Taylor models;
- :func:`profile` a Dolan–Moré performance profile of solvers over problems;
- :func:`functions` curves of formulas of x, the ranges where one is inf/nan shaded;
- :func:`surface` the 3-D surface z = f(x, y) of a 2-D objective.

Example:
    >>> import numpy as np
    >>> import steepest as st
    >>> ax = st.plot.landscape(lambda x: x[0] ** 2 + 5 * x[1] ** 2, [(-2, 2), (-1, 1)], n=20)
    >>> type(ax).__name__
    'Axes'
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> the module of this package that defines it.
_HOMES = {
    "landscape": "landscapes", "path": "paths", "convergence": "convergence_curves",
    "line": "line_sections", "history": "histories", "spectrum": "spectra",
    "taylor": "taylor_sections", "profile": "profiles", "functions": "function_curves",
    "surface": "surfaces",
}  # fmt: skip

__all__ = list(_HOMES)


def __getattr__(name: str) -> Any:
    """Import the module defining ``name`` (and matplotlib with it) on first use.

    Args:
        name: a public function name, e.g. ``"landscape"``.

    Returns:
        The function; it is stored in the package so the next access is plain.

    Raises:
        AttributeError: ``name`` is not one of :data:`__all__`.
        ImportError: matplotlib is not installed (the message says how to install it).
    """
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public functions, without importing matplotlib."""
    return sorted(__all__)
