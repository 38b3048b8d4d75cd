r"""scipy.optimize.minimize's method names and options, mapped onto steepest's solvers.

One table (:data:`SCIPY_METHODS`): for each scipy name (matched case-insensitively) the
steepest method that has the same semantics, how each of scipy's documented options is
spelled in steepest, and what differs. :func:`translate` turns a scipy call's ``method`` and
``options`` into steepest's; steepest's own option names stay valid beside scipy's.

=============  ==============================  =============================================
scipy          steepest                        difference
=============  ==============================  =============================================
BFGS           ``bfgs``                        Moré-Thuente search (scipy: ``dcsrch`` too,
                                               then a zoom search as fallback)
L-BFGS-B       :class:`~.constrained.LBFGSB`   same algorithm (BLNZ 1995 + Morales-Nocedal
                                               2011), written in NumPy
CG             ``cg`` (Polak-Ribière+)         steepest's c2 default 0.2 (scipy 0.4)
Newton-CG      ``newton-cg``                   scipy's CG, search and first trials; when the
                                               truncated step meets ``xtol``, one final step
                                               solved to 1e-10 (scipy stops at once)
trust-exact    ``trust-newton``                same (Moré-Sorensen subproblem); the trust
                                               names take scipy's gtol=1e-4 (trust-constr's
                                               1e-8), not steepest's 1e-6
trust-ncg      ``trust-newton``,               the same Steihaug-Toint CG on Hessian-vector
               ``subproblem="cg"``             products
trust-krylov   ``trust-newton``,               GLTR on a Lanczos basis, the k x k problem
               ``subproblem="lanczos"``        solved by Moré-Sorensen (scipy: trlib)
dogleg         ``trust-newton``,               the same dogleg path; where the Hessian is
               ``subproblem="dogleg"``         not positive definite (scipy stops with an
                                               error) the exact subproblem step
SLSQP          ``sqp`` (damped BFGS) /         steepest's active-set SQP; unconstrained:
               ``bfgs`` without constraints    BFGS, ``ftol`` (1e-6) as an absolute change
trust-constr   ``byrd-omojokun``               unconstrained: scipy's Byrd-Omojokun
               unconstrained / ``sqp``         iteration (tangential CG, its radius rules,
               (exact Hessians) with           ``maxiter`` counting trials, ``xtol`` on the
               constraints                     radius); constrained: SQP, ``xtol`` bounding
                                               the QP step; barrier options unused; scipy's
                                               status codes (1 gtol, 2 xtol, 0 maxiter, 3
                                               callback), steepest's in ``steepest_status``
=============  ==============================  =============================================

Options with no steepest counterpart that change nothing here (``iprint``, ``inexact``,
``verbose``, the barrier and factorisation options of trust-constr) are accepted so scipy code
runs unchanged. ``maxiter`` may be a float (scipy iterates while ``k < maxiter``: 100.1 allows
101 iterations). ``return_all`` adds ``allvecs`` (the iterates) to the result.

Example:
    >>> spec = SCIPY_METHODS["l-bfgs-b"]
    >>> spec.target, spec.rename["maxcor"], spec.rename["maxfun"]
    ('l-bfgs-b', 'm', 'maxfev')
    >>> target, opts, _ = translate("Trust-NCG", {"initial_trust_radius": 0.5,
    ...                                           "maxiter": 100.1}, False)
    >>> target, opts
    ('trust-newton', {'gtol': 0.0001, 'subproblem': 'cg', 'initial_radius': 0.5, 'maxiter': 101})
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._options import check_option_names
from ._result import Status

__all__ = ["ScipyMethod", "SCIPY_METHODS", "translate", "scipy_name", "add_scipy_fields",
           "trust_constr_status"]

_UNUSED = "unused"  # accepted for compatibility, no effect
_EXTRA = "extra"  # handled by minimize itself (return_all, eps, finite_diff_rel_step)


@dataclass(frozen=True)
class ScipyMethod:
    """One row of the mapping: a scipy method and the steepest solver behind it.

    Attributes:
        name: scipy's spelling. target: steepest's method (``"l-bfgs-b"`` = the bounded
            solver). constrained_target: the method with constraints (``None``: same).
        rename: scipy option -> steepest option (``"unused"``: accepted, no effect;
            ``"extra"``: handled by ``minimize``). ``eps`` (an absolute difference step) and
            ``finite_diff_rel_step`` set the steps of ``jac="2-point"/"3-point"``.
        difference: what differs from scipy, in words.
        defaults: scipy's defaults where steepest's differ (in steepest's names).
        unconstrained_rename: renames that apply only to the unconstrained target.
    """

    name: str
    target: str
    rename: dict[str, str] = field(default_factory=dict)
    constrained_target: str | None = None
    constrained_options: dict[str, Any] = field(default_factory=dict)
    difference: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)
    unconstrained_rename: dict[str, str] = field(default_factory=dict)


_COMMON = {"maxiter": "maxiter", "disp": "disp", "return_all": _EXTRA}
_FD = {"eps": "fd_abs_step", "finite_diff_rel_step": "fd_rel_step"}
_GRADIENT = {**_COMMON, **_FD, "gtol": "gtol", "norm": "norm", "c1": "c1", "c2": "c2"}
_TRUST = {**_COMMON, "gtol": "gtol", "initial_trust_radius": "initial_radius",
          "max_trust_radius": "max_radius", "eta": "eta", "inexact": _UNUSED}
_TRUST_CONSTR = {**_COMMON, **_FD, "gtol": "gtol", "xtol": "xtol", "barrier_tol": _UNUSED,
                 "verbose": _UNUSED, "initial_tr_radius": "initial_radius",
                 "initial_constr_penalty": _UNUSED, "initial_barrier_parameter": _UNUSED,
                 "initial_barrier_tolerance": _UNUSED, "factorization_method": _UNUSED,
                 "finite_diff_jac_sparsity": _UNUSED, "sparse_jacobian": _UNUSED}

SCIPY_METHODS: dict[str, ScipyMethod] = {
    "bfgs": ScipyMethod("BFGS", "bfgs", {**_GRADIENT, "xrtol": "xtol", "hess_inv0": "hess_inv0"},
                        difference="xrtol is applied as an absolute step-norm tolerance; the "
                        "update formed as scipy forms it (O(n^3)) up to n = 256, for scipy's "
                        "iterates, and in O(n^2) above; options={'update': 'bfgs'} for the "
                        "O(n^2) form everywhere",
                        defaults={"update": "bfgs-product"}),
    "l-bfgs-b": ScipyMethod("L-BFGS-B", "l-bfgs-b",
                            {**_COMMON, **_FD, "maxcor": "m", "ftol": "ftol", "gtol": "gtol",
                             "maxfun": "maxfev", "maxls": "maxls", "iprint": _UNUSED},
                            difference="the same algorithm in NumPy; without finite bounds "
                            "scipy's iterates bit for bit up to n = 20000"),
    "cg": ScipyMethod("CG", "cg", _GRADIENT,
                      difference="steepest's default c2 is 0.2 (scipy 0.4)"),
    "newton-cg": ScipyMethod("Newton-CG", "newton-cg",
                             {**_COMMON, "eps": "fd_abs_step", "xtol": "avextol", "c1": "c1",
                              "c2": "c2"},
                             difference="scipy's iterates; when the truncated step meets the "
                             "xtol test, one final step solved to 1e-10 (scipy ends there)"),
    "trust-exact": ScipyMethod("trust-exact", "trust-newton", _TRUST, "sqp",
                               {"hessian": "exact"}, "the same exact subproblem",
                               {"gtol": 1e-4}),
    "trust-ncg": ScipyMethod("trust-ncg", "trust-newton", _TRUST, "sqp", {"hessian": "exact"},
                             "the same Steihaug-Toint CG subproblem on Hessian-vector products",
                             {"gtol": 1e-4, "subproblem": "cg"}),
    "trust-krylov": ScipyMethod("trust-krylov", "trust-newton", _TRUST, "sqp",
                                {"hessian": "exact"}, "GLTR on a Lanczos basis (scipy: trlib's "
                                "GLTR)", {"gtol": 1e-4, "subproblem": "lanczos"}),
    "dogleg": ScipyMethod("dogleg", "trust-newton", _TRUST, "sqp", {"hessian": "exact"},
                          "the dogleg path; where the Hessian is not positive definite (scipy "
                          "stops) the exact subproblem step", {"gtol": 1e-4,
                                                               "subproblem": "dogleg"}),
    "slsqp": ScipyMethod("SLSQP", "bfgs",
                         {"maxiter": "maxiter", "disp": "disp", **_FD, "ftol": "fatol",
                          "iprint": _UNUSED}, "sqp", {"hessian": "bfgs"},
                         "active-set SQP with damped BFGS; unconstrained: BFGS stopping also "
                         "when f changes by less than ftol (scipy's 1e-6), as SLSQP",
                         {"fatol": 1e-6}),
    "trust-constr": ScipyMethod("trust-constr", "byrd-omojokun", _TRUST_CONSTR, "sqp",
                                {"hessian": "exact", "xtol": 1e-8},
                                "unconstrained: the same Byrd-Omojokun iteration; with "
                                "constraints SQP; barrier options unused; scipy's status codes",
                                {"gtol": 1e-8, "max_trials": 1000},
                                {"maxiter": "max_trials", "xtol": "radius_tol"}),
}

# steepest's own options that a constrained target does not take from the scipy names
_CONSTRAINED_DROP = ("gtol", "norm", "c1", "c2", "initial_radius", "max_radius", "eta",
                     "avextol", "ftol", "fatol", "m", "maxls", "maxfev", "disp", "fd_abs_step",
                     "fd_rel_step", "hess_inv0", "subproblem")


def scipy_name(method: Any) -> ScipyMethod | None:
    """The table row for ``method`` (case-insensitive), or ``None``.

    Args:
        method: a method name (or anything else: ``None``).

    Returns:
        The :class:`ScipyMethod`, or ``None`` when ``method`` is not one of scipy's names.

    Example:
        >>> scipy_name("Dogleg").target, scipy_name("gd")
        ('trust-newton', None)
    """
    return SCIPY_METHODS.get(method.lower()) if isinstance(method, str) else None


def translate(method: str, options: Any, constrained: bool,
              own_options: tuple[str, ...] = ()) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A scipy ``method``/``options`` pair in steepest's terms.

    Args:
        method: a scipy name (see :data:`SCIPY_METHODS`).
        options: the user's options (scipy's names; steepest's own names pass through when
            listed in ``own_options``).
        constrained: whether there are constraints (or bounds, for methods other than
            L-BFGS-B): then the constrained target is used.
        own_options: the option names the steepest target accepts itself.

    Returns:
        ``(steepest method, steepest options, extras)`` where ``extras`` holds what
        ``minimize`` handles itself (``return_all``).

    Raises:
        ValueError: an option neither scipy's method nor steepest's target knows (the message
            lists them and suggests the closest).
    """
    spec = SCIPY_METHODS[method.lower()]
    opts = check_option_names(options, f"method {method!r}", [*spec.rename, *own_options])
    out: dict[str, Any] = {} if constrained else dict(spec.defaults)
    extras: dict[str, Any] = {}
    for key, value in opts.items():
        new = (None if constrained else spec.unconstrained_rename.get(key)) or \
            spec.rename.get(key, key)
        if new == _EXTRA:
            extras[key] = value
        elif new != _UNUSED:
            out[new] = _scipy_maxiter(value) if new == "maxiter" else value
    if "max_trials" in out:  # trust-constr counts the start as iteration 1
        out["max_trials"] = max(int(_scipy_maxiter(out["max_trials"])) - 1, 0)
    if constrained and spec.constrained_target is not None:
        kept = {k: v for k, v in out.items() if k not in _CONSTRAINED_DROP}
        return spec.constrained_target, {**spec.constrained_options, **kept}, extras
    return spec.target, out, extras


def _scipy_maxiter(value: Any) -> Any:
    """scipy loops ``while k < maxiter``: a float limit allows ``ceil(maxiter)`` iterations."""
    if isinstance(value, float) and math.isfinite(value) and value >= 0:
        return math.ceil(value)
    return value


def add_scipy_fields(method: str, res: Any) -> Any:
    """Fields particular to a scipy method added to an unconstrained result, in place.

    trust-constr reports the objective's gradient as ``grad`` and the constraints' Jacobians
    as ``jac`` (a list, empty without constraints), with ``optimality`` (the gradient's
    max-norm), ``niter``, ``tr_radius``, ``execution_time`` and empty constraint lists; SLSQP
    reports ``multipliers`` (none without constraints).

    Args:
        method: the scipy name the user gave. res: steepest's result for it.

    Returns:
        ``res``.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> r = minimize(lambda x: x @ x, np.ones(2), method="trust-constr")
        >>> r.jac, r.grad.shape, float(r.optimality) < 1e-8
        ([], (2,), True)
    """
    key = method.lower() if isinstance(method, str) else ""
    if key == "trust-constr" and isinstance(res.get("jac"), np.ndarray):
        grad = res["jac"]
        res.update(grad=grad, lagrangian_grad=grad.copy(), jac=[], constr=[], v=[],
                   constr_nfev=[], constr_njev=[], constr_nhev=[], niter=res["nit"],
                   optimality=np.float64(np.max(np.abs(grad), initial=0.0)),
                   constr_violation=0.0, cg_niter=0, cg_stop_cond=0, constr_penalty=1.0)
        trace = res.get("trace")
        if trace is not None and len(trace):
            res.update(tr_radius=np.float64(trace.step_size[-1]),
                       execution_time=float(trace.time[-1]))
        trust_constr_status(res)
    elif key == "slsqp" and "multipliers" not in res:
        res["multipliers"] = np.zeros(0)
    return res


_TRUST_CONSTR_STATUS = {  # scipy's trust-constr codes and messages
    "gtol": (1, "`gtol` termination condition is satisfied."),
    "xtol": (2, "`xtol` termination condition is satisfied."),
    Status.MAX_ITER: (0, "The maximum number of function evaluations is exceeded."),
    Status.STOPPED_BY_CALLBACK: (3, "`callback` function requested termination."),
}


def trust_constr_status(res: Any) -> Any:
    """``status``, ``message`` and ``success`` as scipy's trust-constr reports them, in place.

    scipy's codes: 1 (``gtol``: steepest's stopping test passed -- the KKT report, or the
    gradient norm without constraints), 2 (``xtol``: the step became shorter than ``xtol``;
    success for scipy, whatever the KKT residuals), 0 (the iteration limit), 3 (the callback).
    Other outcomes (a failed line search, non-finite values) keep steepest's status. steepest's
    own verdict stays in ``steepest_status`` and the measured KKT residuals in ``kkt`` (or the
    ``certificate``): a status-2 stop whose residuals exceed the tolerance is ``STALLED`` there.

    Args:
        res: a result of ``minimize(..., method="trust-constr")``.

    Returns:
        ``res``.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> r = minimize(lambda x: x @ x, np.ones(2), method="trust-constr")
        >>> r.status, r.message, r.success, r.steepest_status.name
        (1, '`gtol` termination condition is satisfied.', True, 'SUCCESS')
    """
    own = res["status"]
    if not isinstance(own, Status):
        return res
    if "`xtol`" in str(res.get("message", "")):
        key: Any = "xtol"
    else:
        key = "gtol" if own is Status.SUCCESS else own
    if key in _TRUST_CONSTR_STATUS:
        code, message = _TRUST_CONSTR_STATUS[key]
        res.update(steepest_status=own, status=code, message=message, success=code in (1, 2))
    return res
