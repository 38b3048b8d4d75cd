"""Critical points, curvature and the optimal step of a plain NumPy function (Goodfellow §4.3).

Derivatives come from steepest's autodiff; nothing is written by hand.
"""

import numpy as np

import steepest as st


def peaks(x):
    u, v = x[0], x[1]
    return (3 * (1 - u) ** 2 * np.exp(-(u**2) - (v + 1) ** 2)
            - 10 * (u / 5 - u**3 - v**5) * np.exp(-(u**2) - v**2)
            - np.exp(-((u + 1) ** 2) - v**2) / 3)


cps = st.find_critical_points(peaks, [(-3, 3), (-3, 3)])
for p in cps.points:
    print(f"{p.kind.value:>8}  x = {np.round(p.x, 4)}  f = {p.value:8.4f}  "
          f"eigenvalues = {np.round(p.eigenvalues, 2)}")

for x in (np.array([0.5, -1.0]), np.array([0.0, -1.3])):
    step = st.optimal_step(peaks, x)
    print(f"\nat {x}: {step.message}")
    if step.has_optimum:
        print(f"  lower bound 1/lambda_max = {step.lower_bound:.4g} <= eps* = {step.eps:.4g}")
        pred = st.predicted_decrease(peaks, x, [step.eps / 2, step.eps, 2 * step.eps])
        for e, p, a in zip(pred.eps, pred.predicted, pred.actual):
            print(f"  eps = {e:.4f}: eq. 4.9 predicts {p:.5f}, actual {a:.5f}")
