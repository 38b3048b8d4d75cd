"""``steepest.scipy``: drop-ins for the SciPy functions users call inside objectives.

:mod:`steepest.scipy.linalg`, :mod:`steepest.scipy.special` and :mod:`steepest.scipy.stats`
have SciPy's names and
signatures. On plain arrays they are SciPy's own functions; on traced values they record
derivatives. SciPy's ufuncs (``scipy.special.gammaln``, ``erf``, ``betaln`` ...) need no
drop-in: called on a traced value they are differentiated directly. SciPy's Python-level
functions (``scipy.special.logsumexp``, every ``scipy.stats`` distribution) convert their
inputs to plain arrays first, so inside a differentiated function use the drop-ins.

Example:
    >>> import numpy as np
    >>> from steepest import grad
    >>> from steepest.scipy import stats
    >>> float(grad(lambda m: stats.norm.logpdf(1.0, loc=m))(0.0))  # (x − μ)/σ²
    1.0
"""

from __future__ import annotations

from . import linalg, special, stats

__all__ = ["linalg", "special", "stats"]
