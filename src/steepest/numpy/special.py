"""Differentiable ``scipy.special`` functions: expit, logit, erf, erfc, ndtr, log_ndtr, gammaln,
digamma, gamma, xlogy, logsumexp, softmax, log_softmax.

The ufuncs of :mod:`scipy.special` (``expit``, ``erf`` ...) also work directly on traced values;
``scipy.special.logsumexp``/``softmax`` are Python functions that convert their input to a
plain array, so inside differentiated code use these (or ``steepest.logsumexp``) instead.

Example:
    >>> import numpy as np
    >>> import steepest.numpy as snp
    >>> from steepest import grad
    >>> np.allclose(grad(lambda a: snp.special.logsumexp(a))(np.zeros(2)), [0.5, 0.5])
    True
"""

from __future__ import annotations

from ..autodiff.numpy import (
    digamma,
    erf,
    erfc,
    expit,
    gamma,
    gammaln,
    log_ndtr,
    log_softmax,
    logit,
    logsumexp,
    ndtr,
    softmax,
    xlogy,
)

__all__ = ["expit", "logit", "erf", "erfc", "ndtr", "log_ndtr", "gammaln", "digamma", "gamma",
           "xlogy", "logsumexp", "softmax", "log_softmax"]
