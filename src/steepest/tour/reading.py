"""Tour section: results that read well, progress lines, and the ``steepest`` command line.

What a run hands back should be readable at a glance (Liquet et al. §4.1: the iterates, the
losses and why the descent stopped): the summary of a ``minimize`` result, its trace as
columns, the scipy-style lines of ``options={"disp": k}``, a constrained result with its KKT
residual table, a training result — and the same from a shell with ``steepest minimize``,
``steepest check`` and ``steepest problems``.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap

import numpy as np

from .._minimize import minimize
from ..constrained import Ineq, minimize_constrained
from ..optimizers import sgd
from ..problems import rosenbrock
from ..train import fit
from .core import SectionContext

TITLE = "Reading results, progress lines and the command line"

_USER_FILE = textwrap.dedent('''
    import numpy as np

    def loss(x):
        """Rosenbrock's banana, written with NumPy as a user would."""
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

    def saddle(x):
        return x[0] ** 2 - x[1] ** 2
''')


def _user_loss(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def run(ctx: SectionContext) -> None:
    """Write the section."""
    _minimize_summary(ctx)
    _disp_lines(ctx)
    _constrained_and_fit(ctx)
    _command_line(ctx)


def _minimize_summary(ctx: SectionContext) -> None:
    p = rosenbrock()
    res = minimize(p.fun, p.x0, method="bfgs", jac=p.grad)
    ctx.text("**A result in a few lines.** `repr(minimize(...))` names the method, the status "
             "and why it stopped, f, ‖g‖∞, the evaluation counts, x and the kind of point the "
             "certificate found — the arrays stay in the fields (`res.hess_inv`, "
             "`res.trace`); Jupyter shows the same as an HTML table.")
    ctx.code(repr(res))
    cols = res.trace.to_dict()
    keep = [0, 1, 2, len(cols["f"]) - 2, len(cols["f"]) - 1]
    ctx.text("`res.trace.to_dict()` gives the per-iteration columns (and `to_frame()` a pandas "
             "DataFrame when pandas is installed); the first and last rows:")
    ctx.table(["iteration", "f", "‖g‖", "step", "line-search evals"],
              [[cols["iteration"][k], cols["f"][k], cols["gnorm"][k], cols["step_size"][k],
                cols["ls_evals"][k]] for k in keep])
    ctx.summary(f"Rosenbrock by BFGS: {res.status.name} in {res.nit} iterations, "
                f"certificate {res.certificate.kind}")


def _disp_lines(ctx: SectionContext) -> None:
    p = rosenbrock()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        minimize(p.fun, p.x0, method="lbfgs", jac=p.grad, options={"disp": 5})
    ctx.text("**Progress.** `options={\"disp\": 5}` prints one line every 5 iterations from "
             "the driver loop (iteration, f, ‖g‖, accepted step, evaluations) and the reason "
             "for stopping; `options={\"progress\": True}` and `fit(..., progress=True)` show a "
             "live bar instead (tqdm's when installed). Off a terminal nothing is printed "
             "unless asked.")
    ctx.code(out.getvalue())


def _constrained_and_fit(ctx: SectionContext) -> None:
    con = minimize_constrained(lambda x: x @ x, np.array([3.0, 1.0]),
                               constraints=[Ineq(lambda x: 1.0 - x[0], name="x0 >= 1")])
    ctx.text("A **constrained result** adds its multipliers, active set and the KKT residual "
             "table (min ‖x‖² subject to x₀ ≥ 1):")
    ctx.code(repr(con))
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    y = X @ np.array([1.0, -2.0])
    trained = fit(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), np.zeros(2), (X, y), sgd(0.05),
                  epochs=12, batch_size=16, validation=(X[:16], y[:16]), progress=False)
    ctx.text("A **training result** (`train.fit`) shows the best epoch, the last logged "
             "values and the first and last epochs of its history (`res.history.to_frame()` "
             "for all of them):")
    ctx.code(repr(trained))
    ctx.summary(f"constrained: KKT passed {con.kkt.passed}; fit: {trained.status.name}")


def _steepest(*args: str, cwd) -> tuple[int, str]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "steepest.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _command_line(ctx: SectionContext) -> None:
    user = ctx.out / "reading_example.py"
    user.write_text(_USER_FILE)
    ctx.text("**The command line** works on a file of your own. With `reading_example.py` "
             "holding a NumPy function `loss(x)`:")
    ctx.code(_USER_FILE.strip())
    runs = [("minimize", "reading_example.py:loss", "--x0", "-1.2,1"),
            ("check", "reading_example.py:saddle", "--x0", "0,0")]
    outputs = []
    for args in runs:
        rc, text = _steepest(*args, cwd=ctx.out)
        outputs.append(text)
        shown = " ".join(a if "," not in a else f'"{a}"' for a in args)
        ctx.code(f"$ steepest {shown}\n{text.rstrip()}\n(exit status {rc})")
    same = outputs[0].strip() == repr(minimize(_user_loss, np.array([-1.2, 1.0]))).strip()
    ctx.text(f"The shell's summary is the in-process `repr(minimize(loss, x0))` (autodiff "
             f"gradients in both): **{same}**. `--json` prints the same as one strict JSON "
             "document; `steepest problems` lists and runs the built-in problems, `steepest "
             "bench` the benchmarks. Bad input — a missing file or function, an `--x0` of the "
             "wrong length, a function that raises, `--plot` without matplotlib — gives one "
             "line naming the fix and exit status 2:")
    rc, text = _steepest("minimize", "reading_example.py:loss", "--x0", "1", cwd=ctx.out)
    ctx.code(f"$ steepest minimize reading_example.py:loss --x0 1\n{text.rstrip()}\n"
             f"(exit status {rc})")
    ctx.summary(f"CLI summary equals the in-process one: {same}")
