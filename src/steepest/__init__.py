"""steepest: numerical computation for machine learning, on plain NumPy code.

Stable numerics, floating-point diagnostics and conditioning; forward- and reverse-mode
automatic differentiation to any order; local analysis (Taylor models, curvature, critical
points); line searches and deterministic optimizers behind one ``minimize``; stochastic and
adaptive first-order methods; constrained optimization with KKT certificates; least squares.

The public API is flat: ``steepest.softmax``, ``steepest.grad``, ``steepest.minimize`` ...
Namespaces that hold families of objects stay namespaces: ``steepest.optimizers``,
``steepest.train``, ``steepest.constrained``, ``steepest.problems``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import constrained, optimizers, problems, train, tree  # noqa: E402
from ._minimize import maximize, minimize
from .analysis import *  # noqa: F403,E402
from .analysis import __all__ as _analysis_all
from .autodiff import *  # noqa: F403,E402
from .autodiff import __all__ as _autodiff_all
from .least_squares import lstsq  # noqa: E402
from .numerics import *  # noqa: F403
from .numerics import __all__ as _numerics_all
from .unconstrained import *  # noqa: F403,E402
from .unconstrained import __all__ as _unconstrained_all

__all__ = [
    "__version__",
    "tree",
    "constrained",
    "optimizers",
    "problems",
    "train",
    *_numerics_all,
    *_autodiff_all,
    *_analysis_all,
    "minimize",
    "maximize",
    *_unconstrained_all,
    "lstsq",
]
