"""Finite sums on a Dask cluster: minimize, analyse and train over data spread across machines.

``steepest.distributed.FiniteSum(loss, data, cluster=None)`` is a
:class:`steepest.train.FiniteSum` whose data are dask arrays chunked along rows: each
evaluation runs one fused task per chunk returning the chunk's sums of losses, gradients (and
Hessian-vector products), added by a fixed-shape tree. It plugs into ``steepest.train.fit``
(synchronous data-parallel minibatches), into :func:`minimize` here (``st.minimize`` with the
failure handling and progress a cluster needs) and into the analysis functions through
``grad=C.grad, hvp=C.hvp``. Needs the ``distributed`` extra (``dask[distributed]``).
"""

from __future__ import annotations

from .cluster import connect
from .errors import EvaluationError
from .finite_sum import FiniteSum, Rows
from .models import model_sum, ridge_l2, sklearn_l2
from .solve import minimize
from .tasks import Standardize

__all__ = ["FiniteSum", "Rows", "minimize", "connect", "EvaluationError", "Standardize",
           "model_sum", "sklearn_l2", "ridge_l2"]
