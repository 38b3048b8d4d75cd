"""Find the operation that overflowed, and ask a linear solve how far to trust it (§4.1–4.2)."""

import numpy as np

import steepest as st

logits = np.array([[1000.0, 0.0, -1000.0], [3.0, 2.0, 1.0]])
labels = np.array([2, 0])

# A textbook cross-entropy, watched by numerics_guard: every floating-point exception is
# recorded with the expression that raised it, instead of a RuntimeWarning.
with st.numerics_guard() as guard:
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    naive = -np.log(probs[np.arange(2), labels]).mean()
print("naive loss :", naive)
print(guard.report())
print("stable loss:", st.cross_entropy(logits, labels))

# Goodfellow's badly conditioned 2x2 system: the solver is accurate, the problem is not.
A = np.array([[4.1, 2.8], [9.7, 6.6]])
result = st.solve(A, [4.1, 9.7])
print("x =", result.x, "error bound", f"{result.error_bound:.1e}", result.status.value)
print(st.perturbation_report(A, [4.1, 9.7], [0.01, 0.0]).describe())
