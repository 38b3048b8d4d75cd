"""Stable numerics, floating-point diagnostics and conditioning (Goodfellow §4.1–4.2)."""

from __future__ import annotations

from .conditioning import (
    ConditioningWarning,
    PerturbationReport,
    SolveResult,
    SolveStatus,
    condition_number,
    perturbation_report,
    solve,
)
from .floating import machine_epsilon, ulp, ulp_distance
from .guard import (
    FloatingPointEvent,
    FloatingPointMonitor,
    FloatingPointWarning,
    numerics_guard,
)
from .losses import binary_cross_entropy_with_logits, cross_entropy
from .softmax_family import log_softmax, logsumexp, softmax
from .stable import log1mexp, log_sigmoid, logit, sigmoid, softplus

__all__: list[str] = [
    "softmax",
    "log_softmax",
    "logsumexp",
    "sigmoid",
    "log_sigmoid",
    "softplus",
    "logit",
    "log1mexp",
    "cross_entropy",
    "binary_cross_entropy_with_logits",
    "machine_epsilon",
    "ulp",
    "ulp_distance",
    "numerics_guard",
    "FloatingPointMonitor",
    "FloatingPointEvent",
    "FloatingPointWarning",
    "condition_number",
    "solve",
    "SolveResult",
    "SolveStatus",
    "ConditioningWarning",
    "perturbation_report",
    "PerturbationReport",
]
