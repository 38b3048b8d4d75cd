"""The README's three figures, drawn with ``steepest.plot`` on your own objective.

1. the paths of four methods over the log-contours of Rosenbrock's function;
2. their convergence, f − f* against function evaluations;
3. a Dolan–Moré performance profile of the same methods on the 35 MGH problems.

Run: python examples/plots.py [OUTDIR]   (default docs/figures; needs matplotlib)
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import steepest as st  # noqa: E402
from steepest.tour.problems import mgh_costs  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/figures")
out.mkdir(parents=True, exist_ok=True)


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


x0 = np.array([-1.2, 1.0])
runs = [st.minimize(rosenbrock, x0, method=m) for m in ("gd", "cg", "bfgs", "newton")]

ax = st.plot.path(runs[1:], rosenbrock, [(-1.5, 1.5), (-0.5, 1.5)], ms=3,
                  landscape_kw={"log": True, "levels": 25, "linewidths": 0.6})
ax.plot(1, 1, "k*", ms=12)
ax.set_title("minimize on Rosenbrock from (−1.2, 1)")
ax.figure.savefig(out / "plot-paths.png", dpi=100, bbox_inches="tight")

ax = st.plot.convergence(runs, x="evaluations", f_star=0.0, xlog=True)
ax.set_title("f − f* against function evaluations")
ax.figure.savefig(out / "plot-convergence.png", dpi=100, bbox_inches="tight")

ax = st.plot.profile(mgh_costs())
ax.set_title("Performance profile on the 35 MGH problems (function evaluations)")
ax.figure.savefig(out / "plot-profile.png", dpi=100, bbox_inches="tight")
plt.close("all")
print("wrote", *sorted(p.name for p in out.glob("plot-*.png")))
