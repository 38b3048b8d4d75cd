"""``minimize`` for a distributed finite sum: ``st.minimize`` with a cluster's needs.

It calls :func:`steepest.minimize` with the sum's one-graph value-and-gradient
(``jac=True``) and its distributed Hessian-vector products (``hessp``, for ``"newton-cg"``
and ``"trust-newton"``), and adds what a run on a cluster needs:

* progress per iteration (iteration, f, ‖g‖∞, seconds per evaluation) through the one
  progress display of :mod:`steepest._progress` (a tqdm bar or a plain line);
* failure as a result: when an evaluation fails (data lost for good, the loss raising on a
  worker) the run stops with ``status=EVALUATION_FAILED``, ``success=False``, the message
  naming the chunk, and the best point evaluated so far; never an unhandled exception;
* a checkpoint of the current point after every iteration (steepest's pickle-free ``.npz``
  format) and ``resume`` from it.

Example:
    >>> import dask.array as da, numpy as np
    >>> from distributed import Client
    >>> from steepest.distributed import FiniteSum
    >>> client = Client(processes=False, n_workers=1, dashboard_address=None)
    >>> rng = np.random.default_rng(0); Xn = rng.normal(size=(40, 2))
    >>> X = da.from_array(Xn, chunks=10); y = da.from_array(Xn @ [1.0, -2.0], chunks=10)
    >>> C = FiniteSum(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), (X, y), cluster=client,
    ...               stream=None)
    >>> res = minimize(C, np.zeros(2), method="lbfgs", tol=1e-10, progress=False)
    >>> res.success, np.round(res.x, 6)
    (True, array([ 1., -2.]))
    >>> client.close()
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from typing import Any, TextIO

import numpy as np

from .._minimize import minimize as st_minimize
from .._progress import IterationBar
from .._result import OptimizeResult, Status
from ..train import load_checkpoint, save_checkpoint
from ..tree import ravel_pytree, tree_map
from .errors import EvaluationError
from .finite_sum import FiniteSum

__all__ = ["minimize"]


class _Best:
    """The best evaluated point: what a failed run returns."""

    def __init__(self) -> None:
        self.x: Any = None
        self.f, self.g = float("inf"), None

    def offer(self, x: Any, f: float, g: Any) -> None:
        if np.isfinite(f) and f < self.f:
            self.x, self.f, self.g = tree_map(np.array, x), f, g


def _progress_bar(C: FiniteSum, progress: bool | str | None, stream: TextIO | None,
                  maxiter: Any) -> IterationBar:
    """The one progress display of :mod:`steepest._progress`, with seconds per evaluation."""
    return IterationBar(maxiter if isinstance(maxiter, int) else None, progress, stream,
                        interval=0.0, label="|g|max",
                        extra=lambda: {"s/eval": f"{C.seconds_per_evaluation:.3f}"})


def _user_callback(callback: Callable[..., Any] | None) -> Callable[[OptimizeResult], None]:
    if callback is None:
        return lambda r: None
    try:
        new_style = list(inspect.signature(callback).parameters) == ["intermediate_result"]
    except (TypeError, ValueError):
        new_style = False
    return (lambda r: callback(intermediate_result=r)) if new_style else (
        lambda r: callback(r.x))


def _start(x0: Any, resume: str | os.PathLike[str] | None) -> tuple[Any, int]:
    if resume is None:
        return x0, 0
    ck = load_checkpoint(resume)
    return ck.restore("params", x0), int(ck.meta.get("nit", 0))


def minimize(C: FiniteSum, x0: Any, method: str = "lbfgs", *, tol: float | None = None,
             options: dict[str, Any] | None = None, callback: Callable[..., Any] | None = None,
             progress: bool | None = None, stream: TextIO | None = None,
             checkpoint: str | os.PathLike[str] | None = None,
             resume: str | os.PathLike[str] | None = None) -> OptimizeResult:
    """Minimise the distributed finite sum ``C`` from ``x0`` with :func:`steepest.minimize`.

    Each iteration costs the method's evaluations of ``(C, ∇C)`` (one graph each: one fused
    task per chunk, a fixed tree of sums) and, for ``"newton-cg"``/``"trust-newton"``, its
    Hessian-vector products ``∇²C(θ) v`` computed the same way.

    Args:
        C: a :class:`~steepest.distributed.FiniteSum`.
        x0: starting parameters (array or pytree).
        method: any :func:`steepest.minimize` method: ``"lbfgs"``, ``"bfgs"``,
            ``"newton-cg"``, ``"trust-newton"``, ...
        tol, options, callback: as in :func:`steepest.minimize` (``certify`` defaults to
            False here: the end-point certificate would cost ~2d distributed gradients).
        progress: show iteration, f, ‖g‖∞, evaluations and seconds per evaluation as the
            run goes — ``None``: only on a terminal; ``True``: a tqdm bar when tqdm is
            installed (a plain line per iteration otherwise, or on an explicit ``stream``);
            ``False``: never; ``"plain"``/``"tqdm"``: that kind (:mod:`steepest._progress`).
        stream: where progress goes (``sys.stdout`` by default).
        checkpoint: path of an ``.npz`` rewritten with the current point every iteration.
        resume: path of such a checkpoint to start from instead of ``x0``.

    Returns:
        The :class:`~steepest.unconstrained.result.OptimizeResult` of :func:`steepest.minimize`
        (``nit`` counts the iterations of this run only); when an evaluation failed,
        ``nit`` the iterations completed before it,
        ``status=Status.EVALUATION_FAILED``, ``success=False``, ``message`` naming the chunk
        and the cause, and ``x`` the best point evaluated (``x0`` if none was).

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., ch. 7 (L-BFGS, Newton-CG); the
        distributed plan of Spark MLlib (one aggregation of (loss, gradient) per evaluation).
    """
    if not isinstance(C, FiniteSum):
        raise TypeError(f"C must be a steepest.distributed.FiniteSum, got {type(C).__name__}; "
                        "for data in memory use steepest.minimize")
    bar = _progress_bar(C, progress, stream, (options or {}).get("maxiter"))
    evals0 = C.evaluations
    user = _user_callback(callback)
    best = _Best()
    start, done = _start(x0, resume)
    iterations = [0]  # iterations completed before a failure

    def fg(x: Any) -> tuple[float, Any]:
        f, g = C.value_and_grad(x)
        best.offer(x, f, g)
        return f, g

    def each(intermediate_result: OptimizeResult) -> None:
        r = intermediate_result
        iterations[0] = r.nit
        gmax = float(np.max(np.abs(ravel_pytree(r.jac)[0]), initial=0.0))
        evals = C.evaluations - evals0
        bar.row(done + r.nit, float(r.fun), gmax, 0.0, evals, evals)
        if checkpoint is not None:
            save_checkpoint(checkpoint, {"params": r.x}, {"nit": done + r.nit, "fun": r.fun})
        user(r)

    opts = {"certify": False, **(options or {})}
    try:
        res = st_minimize(fg, start, method, jac=True, hessp=lambda x, v: C.hvp(x, v),
                          tol=tol, options=opts, callback=each)
    except EvaluationError as e:
        x = start if best.x is None else best.x
        res = OptimizeResult(x=x, fun=best.f if best.x is not None else float("nan"),
                             jac=best.g, nit=iterations[0], nfev=C.evaluations,
                             status=Status.EVALUATION_FAILED, message=str(e), method=method)
    bar.close(str(res.message), int(res.nit))
    return res
