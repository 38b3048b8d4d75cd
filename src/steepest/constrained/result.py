"""Result of a constrained solve."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._result import OptimizeResult, Status, Table, columns_frame, short
from ..objective import Objective
from .kkt import kkt_report

__all__ = ["ConstrainedResult", "ConstrainedTrace"]


class ConstrainedResult(OptimizeResult):
    """A constrained optimum with its multipliers and KKT certificate.

    An :class:`~steepest._result.OptimizeResult` (``res.x`` and ``res["x"]``, ``'kkt' in res``)
    with the fields:

    Attributes:
        x: solution. fun: f(x) (of the user's f, also for ``maximize``). jac: ∇f(x).
        lam: equality multipliers λ. alpha: inequality multipliers α ≥ 0 (bound rows last).
        active_set: labels of the inequalities with h(x) ≈ 0. kkt: a :class:`KKTReport`.
        nit, nfev, njev, nhev: iterations and evaluation counts of f, ∇f, ∇²f.
        status: a :class:`~steepest._result.Status` (``SUCCESS`` when the KKT report passed
            at the requested tolerance; also ``MAX_ITER``, ``LINE_SEARCH_FAILED``,
            ``NON_FINITE``, ``INFEASIBLE``, ``STALLED``). success: ``status is SUCCESS``.
        message: summary. method: solver name.
        trace: one dict per iteration (f, KKT residual, step, ...). maximize: True for maximize.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (generalized Lagrangian eq. 4.14 and the KKT
        conditions).

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import Eq, minimize_constrained
        >>> res = minimize_constrained(
        ...     lambda x: x[0] + x[1], np.array([1.0, -2.0]), jac=lambda x: np.ones(2),
        ...     constraints=[Eq(lambda x: 0.5 * x @ x - 16, jac=lambda x: x)])
        >>> np.round(res.x, 6).tolist(), res.kkt.passed, res.status is Status.SUCCESS
        ([-4.0, -4.0], True, True)
        >>> print(res)  # doctest: +ELLIPSIS
        ConstrainedResult (sqp): SUCCESS
          message      KKT conditions hold to 1e-09
          fun          -8
          |g|max       1
          counts       nit ..., nfev ..., njev ..., nhev ...
          x            [-4. -4.]
          trace        ConstrainedTrace(... rows: f ... -> -8, kkt ... -> ...)
          lam          [0.25]
          alpha        []
          active set   none
          KKT residuals:
            condition               residual      tol  verdict
            stationarity ‖∇ₓL‖     ...
            primal feasibility     ...
            dual feasibility α ≥ 0 ...
            complementary ‖α⊙h‖    ...
    """

    _summary_fields = (*OptimizeResult._summary_fields, "lam", "alpha", "active_set", "kkt",
                       "maximize")

    def _field_rows(self) -> list[tuple[str, str]]:
        rows = [(k, short(self[k])) for k in ("lam", "alpha") if k in self]
        if "active_set" in self:
            rows.append(("active set", ", ".join(map(str, self["active_set"])) or "none"))
        if self.get("maximize"):
            rows.append(("maximize", "True (multipliers of L = f + λg − αh, eq. 4.20)"))
        return rows

    def _tables(self) -> list[Table]:
        kkt = self.get("kkt")
        if kkt is None:
            return []
        rows = tuple((n, f"{v:.3e}", f"{t:.1e}", p) for n, v, t, p in kkt.rows())
        return [Table("KKT residuals", ("condition", "residual", "tol", "verdict"), rows)]


class ConstrainedTrace(list):
    """The iterations of a constrained solve: a ``list`` of one ``dict`` per iteration (``nit``,
    ``f``, ``kkt`` residual, ``step``, ... as the solver records them) that also converts to
    columns.

    Example:
        >>> t = ConstrainedTrace([{"nit": 1, "f": 2.0, "kkt": 0.5}, {"nit": 2, "f": 1.0}])
        >>> t.to_dict()
        {'nit': [1, 2], 'f': [2.0, 1.0], 'kkt': [0.5, nan]}
        >>> t[0]["f"], t
        (2.0, ConstrainedTrace(2 rows: f 2 -> 1, kkt 0.5 -> nan))
    """

    def __add__(self, other: list) -> ConstrainedTrace:
        return ConstrainedTrace([*self, *other])

    def __radd__(self, other: list) -> ConstrainedTrace:  # list + trace (the polish step)
        return ConstrainedTrace([*other, *self])

    def to_dict(self) -> dict[str, list]:
        """One list per recorded key (``nan`` where an iteration did not record it)."""
        keys = list(dict.fromkeys(k for row in self for k in row))
        return {k: [row.get(k, float("nan")) for row in self] for k in keys}

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame`` of :meth:`to_dict` (needs pandas, imported only here)."""
        return columns_frame(self.to_dict(), "row", "ConstrainedTrace.to_frame()")

    def __repr__(self) -> str:
        if not self:
            return "ConstrainedTrace(empty)"
        cols = self.to_dict()
        ends = [f"{k} {short(cols[k][0])} -> {short(cols[k][-1])}" for k in ("f", "kkt")
                if k in cols]
        return f"ConstrainedTrace({len(self)} rows: {', '.join(ends)})"


def active_labels(cs, x, alpha, tol: float) -> list[str]:
    """Labels of the inequalities with |hⱼ(x)| ≤ tol or αⱼ > tol."""
    h = cs.h(x)
    labels = cs.labels(x)
    return [labels[j] for j in range(h.size) if abs(h[j]) <= tol or alpha[j] > tol]


def build_result(obj: Objective, cs, x, lam, alpha, *, method: str, status, message: str,
                 nit: int, trace, tol) -> ConstrainedResult:
    """Assemble a :class:`ConstrainedResult`; converts multipliers to eq. 4.20 for maximize.

    Internally a maximization minimizes −f with L = −f + λg + αh; reported multipliers are those
    of L = f + λ'g − αh (eq. 4.20), i.e. λ' = −λ and the same α.
    """
    maximize = obj.sign < 0
    lam = np.asarray(lam, dtype=float)
    alpha = np.asarray(alpha, dtype=float)
    lam_rep = -lam if maximize else lam
    gf = obj.sign * obj.grad(x)  # gradient of the user's f
    report = kkt_report(gf, cs, x, lam_rep, alpha, tol, maximize=maximize)
    if status is Status.SUCCESS and not report.passed:
        status = Status.STALLED
        message += "; KKT report did not pass at the requested tolerance"
    act_tol = max(1e-8, float(np.max([c.tol for c in report.conditions])))
    return ConstrainedResult(
        x=np.asarray(x, dtype=float), fun=float(obj.fun(x, *obj.args)), jac=gf, lam=lam_rep,
        alpha=alpha, active_set=active_labels(cs, x, alpha, act_tol), kkt=report, nit=nit,
        nfev=obj.nfev, njev=obj.njev, nhev=obj.nhev, status=status,
        message=message, method=method, trace=ConstrainedTrace(trace), maximize=maximize)
