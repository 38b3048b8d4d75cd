"""What ``minimize`` adds to its result: the :class:`Trace` and the :class:`Certificate`.

``minimize`` returns a :class:`steepest._result.OptimizeResult` (a subclass of
:class:`scipy.optimize.OptimizeResult`, so code written for scipy keeps working): ``res.x``,
``res.fun``, ``res.jac``, ``res.nit``, ``res.nfev``, ``res.njev``, ``res.nhev``, ``res.status``
(a :class:`steepest._result.Status`), ``res.success``, ``res.message``, ``res.method`` and,
where the method keeps one, ``res.hess_inv``. steepest adds ``res.trace`` (one row per
iteration) and ``res.certificate`` (what is known about the end point).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._result import OptimizeResult, Status, Summary, Table, columns_frame, render_html, short

__all__ = ["Status", "OptimizeResult", "Trace", "Certificate"]


_COLUMNS = ("f", "gnorm", "step_size", "step_norm", "ls_evals", "time")


@dataclass
class Trace:
    """Per-iteration record of a run; row 0 is the starting point.

    Attributes (all lists of floats/ints, one entry per row; use :meth:`as_arrays`):
        f: objective value.
        gnorm: gradient norm (in the norm of the ``gtol`` criterion).
        step_size: accepted line-search step ``alpha`` (trust radius for trust-region methods).
        step_norm: ``||x_{k+1} - x_k||_2``.
        ls_evals: objective evaluations the line search / trial step used.
        time: seconds since the start of the run.
        x: iterates (only when ``options["store_x"]`` is true, the default for n <= 100).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1 (the iterates θ⁽ᵗ⁾ and
        their losses).

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> res = minimize(lambda x: float(x @ x), np.array([1.0, 2.0]), jac=lambda x: 2 * x)
        >>> res.trace.f[0], len(res.trace.f) == res.nit + 1
        (5.0, True)
    """

    f: list[float] = field(default_factory=list)
    gnorm: list[float] = field(default_factory=list)
    step_size: list[float] = field(default_factory=list)
    step_norm: list[float] = field(default_factory=list)
    ls_evals: list[int] = field(default_factory=list)
    time: list[float] = field(default_factory=list)
    x: list[np.ndarray] = field(default_factory=list)

    def record(
        self, f: float, gnorm: float, step_size: float, step_norm: float, ls_evals: int,
        time: float, x: np.ndarray | None = None,
    ) -> None:
        """Append one row (``x`` only if given)."""
        self.f.append(float(f))
        self.gnorm.append(float(gnorm))
        self.step_size.append(float(step_size))
        self.step_norm.append(float(step_norm))
        self.ls_evals.append(int(ls_evals))
        self.time.append(float(time))
        if x is not None:
            self.x.append(np.array(x, copy=True))

    def __len__(self) -> int:
        return len(self.f)

    def as_arrays(self) -> dict[str, np.ndarray]:
        """The columns as NumPy arrays (``x`` stacked to shape ``(rows, n)`` when stored)."""
        out = {k: np.asarray(getattr(self, k)) for k in
               ("f", "gnorm", "step_size", "step_norm", "ls_evals", "time")}
        if self.x:
            out["x"] = np.stack(self.x)
        return out

    def to_dict(self) -> dict[str, list]:
        """The columns as plain lists (JSON-serialisable): ``iteration``, ``f``, ``gnorm``,
        ``step_size``, ``step_norm``, ``ls_evals``, ``time`` and, when stored, ``x`` (one list
        per iterate).

        Example:
            >>> t = Trace()
            >>> t.record(4.0, 2.0, 0.0, 0.0, 0, 0.0); t.record(1.0, 1.0, 0.5, 1.0, 2, 0.1)
            >>> t.to_dict()["f"], t.to_dict()["iteration"]
            ([4.0, 1.0], [0, 1])
        """
        out: dict[str, list] = {"iteration": list(range(len(self)))}
        out.update({k: list(getattr(self, k)) for k in _COLUMNS})
        if self.x:
            out["x"] = [np.asarray(xk).tolist() for xk in self.x]
        return out

    def to_frame(self) -> Any:
        """A ``pandas.DataFrame``, one row per iteration (index ``iteration``); stored iterates
        become the columns ``x[0]``, ``x[1]``, ... Needs pandas (imported only here).

        Returns:
            The ``DataFrame``.

        Raises:
            ImportError: pandas is not installed (``pip install pandas``).
        """
        columns: dict[str, list] = {k: list(getattr(self, k)) for k in _COLUMNS}
        if self.x:
            stacked = np.stack([np.ravel(xk) for xk in self.x])
            columns.update({f"x[{i}]": stacked[:, i].tolist() for i in range(stacked.shape[1])})
        return columns_frame(columns, "iteration", "Trace.to_frame()")

    def _repr_html_(self) -> str:
        """The first and last rows as an HTML table (Jupyter)."""
        return render_html(Summary(repr(self), (), (_rows_table(self.to_dict(), _COLUMNS),)))

    def __repr__(self) -> str:
        if not self.f:
            return "Trace(empty)"
        return (f"Trace({len(self)} rows: f {self.f[0]:.4g} -> {self.f[-1]:.4g}, "
                f"|g| {self.gnorm[0]:.3g} -> {self.gnorm[-1]:.3g})")


@dataclass(frozen=True)
class Certificate:
    """What is known about the end point.

    Attributes:
        gradient_norm: ``||g||`` at the end point (2-norm).
        kind: ``"minimum"``, ``"maximum"``, ``"saddle"``, ``"inconclusive"`` (an eigenvalue
            zero within tolerance), ``"not_critical"`` (the gradient is not small relative to
            the curvature) or ``"unknown"`` (no Hessian was computed).
        hessian_eigenvalues: eigenvalues of the Hessian at the end point, when computed.
        hessian_source: where the Hessian came from (``"hess"``, ``"autodiff"``,
            ``"finite differences"``) or ``""``.
        evaluations: derivative evaluations spent on the certificate (not counted in nfev/njev).

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3.1 (second-derivative test: the Hessian's
        eigenvalues at a critical point).

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> res = minimize(lambda x: float(x @ x), np.array([1.0, 2.0]), jac=lambda x: 2 * x)
        >>> res.certificate.kind
        'minimum'
    """

    gradient_norm: float
    kind: str = "unknown"
    hessian_eigenvalues: np.ndarray | None = None
    hessian_source: str = ""
    evaluations: int = 0

    def __repr__(self) -> str:
        eig = ""
        if self.hessian_eigenvalues is not None and self.hessian_eigenvalues.size:
            ev = self.hessian_eigenvalues
            eig = f", eig in [{ev.min():.3g}, {ev.max():.3g}] ({self.hessian_source})"
        return f"Certificate(|g|={self.gradient_norm:.3g}, kind={self.kind!r}{eig})"


def _rows_table(columns: dict[str, list], names: tuple[str, ...], edge: int = 5) -> Table:
    """The first and last ``edge`` rows of equal-length ``columns`` as a :class:`Table`."""
    n = len(columns["iteration"])
    keep = list(range(n)) if n <= 2 * edge else [*range(edge), -1, *range(n - edge, n)]
    rows = tuple(("...",) * (len(names) + 1) if i < 0 else
                 (str(columns["iteration"][i]), *(short(columns[k][i]) for k in names))
                 for i in keep)
    return Table(f"{n} rows", ("iteration", *names), rows)
