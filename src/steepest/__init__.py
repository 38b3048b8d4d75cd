"""steepest: numerical computation for machine learning, on plain NumPy code.

Stable numerics, floating-point diagnostics and conditioning; forward- and reverse-mode
automatic differentiation to any order; local analysis (Taylor models, curvature, critical
points); line searches and deterministic optimizers behind one ``minimize``; stochastic and
adaptive first-order methods; constrained optimization with KKT certificates; linear and
nonlinear least squares and curve fitting.

The public API is flat: ``steepest.softmax``, ``steepest.grad``, ``steepest.minimize`` ...
Namespaces that hold families of objects stay namespaces: ``steepest.optimizers``,
``steepest.train``, ``steepest.constrained``, ``steepest.problems``.

Layering: imports only run downwards, and a test parses them to keep it so::

    _dispatch, _validate -> _result, _progress -> tree -> numerics -> autodiff -> compile
      -> numpy, objective
      -> analysis -> unconstrained -> constrained -> fitting, _minimize
      -> optimizers, problems -> train -> distributed -> plot -> tour -> steepest -> cli

Loading is lazy (PEP 562): ``import steepest`` imports none of the subpackages, so it costs
little more than NumPy; the first use of a name, e.g. ``steepest.minimize``, imports the
subpackage that defines it (and whatever SciPy modules that one needs).

Example:
    >>> import steepest as st
    >>> float(st.logsumexp([0.0, 0.0])) == float(st.numpy.log(2.0))
    True
    >>> "minimize" in dir(st) and st.minimize.__module__
    'steepest._minimize'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Namespaces: subpackages reached as ``steepest.<name>``, in the order of ``__all__``.
_NAMESPACES = ("tree", "constrained", "optimizers", "problems", "train")

#: Every other submodule, also importable on first attribute access (``steepest.numpy`` ...).
_SUBMODULES = (
    "_dispatch", "_minimize", "analysis", "autodiff", "cli", "compile", "fitting", "numerics",
    "numpy", "plot", "tour", "unconstrained",
)  # fmt: skip

#: The flat API: the subpackage each name comes from (its ``__all__``, checked by a test).
_EXPORTS: dict[str, tuple[str, ...]] = {
    "numerics": (
        "softmax", "log_softmax", "logsumexp", "sigmoid", "log_sigmoid", "softplus", "logit",
        "log1mexp", "cross_entropy", "binary_cross_entropy_with_logits", "machine_epsilon", "ulp",
        "ulp_distance", "numerics_guard", "FloatingPointMonitor", "FloatingPointEvent",
        "FloatingPointWarning", "condition_number", "solve", "SolveResult", "SolveStatus",
        "ConditioningWarning", "perturbation_report", "PerturbationReport"
    ),
    "autodiff": (
        "grad", "value_and_grad", "jvp", "vjp", "linearize", "jacfwd", "jacrev", "jacobian",
        "hessian", "hvp", "directional_derivative", "stop_gradient", "primitive", "defvjp",
        "defjvp", "defsaves", "Primitive", "Node", "MissingRuleError", "getval", "index_update",
        "check_grads", "numerical_gradient", "numerical_jacobian", "numerical_hessian",
        "GradientCheckError", "Explanation", "trace_graph", "Graph",
        "vmap"
    ),
    "compile": ("stabilize", "Stabilized", "AppliedRewrite", "Rewrite", "REWRITES", "explain",
                "jit", "Jitted", "JitWarning", "JitError"),
    "analysis": (
        "taylor", "TaylorModel", "predicted_decrease", "DecreasePrediction", "optimal_step",
        "OptimalStep", "StepStatus", "directional_curvature", "curvature_spectrum",
        "CurvatureSpectrum", "SpectrumMethod", "hessian_condition_number", "HessianCondition",
        "lanczos_extremes", "LanczosResult", "classify_critical_point", "find_critical_points",
        "CriticalKind", "CriticalPoint", "CriticalPoints", "lipschitz_estimate",
        "LipschitzEstimate", "LipschitzTarget", "convexity_check", "ConvexityReport",
        "ConvexityStatus", "ConvexityCounterexample"
    ),
    "unconstrained": (
        "minimize_unconstrained", "METHODS", "register_method", "iterative_solve",
        "OptimizeResult", "Status", "Trace", "Certificate", "Termination", "LineFunction",
        "LineSearchResult", "line_search", "fixed_step", "armijo", "wolfe", "strong_wolfe",
        "more_thuente", "exact", "exact_quadratic", "FixedStep", "Armijo", "Wolfe", "StrongWolfe",
        "MoreThuente", "Exact", "make_line_search", "LineSearch", "LINE_SEARCHES",
        "GradientDescent", "NonlinearCG", "BFGS", "LBFGS", "two_loop_direction",
        "InverseBFGSUpdate", "InverseDFPUpdate", "Newton", "NewtonCG", "TrustNewton",
        "MODIFICATIONS", "truncated_cg", "solve_trust_subproblem", "newton_1d", "secant",
        "golden_section", "brent", "bracket_minimum", "Bracket", "ScalarResult", "hill_climb",
        "HillClimbResult", "conjugate_gradient", "CGResult", "NotPositiveDefiniteError",
        "newton_iterates_1d", "NewtonIterates", "NewtonStop",
    ),
    "_minimize": ("minimize", "maximize"),
    "fitting": ("lstsq", "least_squares", "curve_fit"),
}  # fmt: skip

_HOME = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "__version__",
    *_NAMESPACES,
    *_EXPORTS["numerics"],
    *_EXPORTS["autodiff"],
    *_EXPORTS["compile"],
    *_EXPORTS["analysis"],
    *_EXPORTS["_minimize"],
    *_EXPORTS["unconstrained"],
    *_EXPORTS["fitting"],
]


def __getattr__(name: str) -> Any:
    """Import on first access: a submodule by its name, a flat name from its subpackage.

    Args:
        name: The attribute asked for, e.g. ``"optimizers"`` or ``"grad"``.

    Returns:
        The submodule or the object; it is stored in the package so the next access is plain.

    Raises:
        AttributeError: ``name`` is neither a submodule nor in ``__all__``.
    """
    if name in _NAMESPACES or name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (``__all__``) and the submodules, without importing any of them."""
    return sorted({*globals(), *__all__, *_SUBMODULES})
