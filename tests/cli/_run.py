"""Run the ``steepest`` command in a fresh interpreter (as a user would) or in-process."""

import subprocess
import sys
import textwrap

PROBLEM = textwrap.dedent('''
    import numpy as np

    def rosen(x):
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

    def saddle(x):
        return x[0] ** 2 - x[1] ** 2 + np.sin(x[0]) * 0.0

    def broken(x):
        return 1 / 0

    def late(x):
        if x[0] < 0.5:
            raise RuntimeError("left the domain")
        return (x[0] - 0.2) ** 2
''')


def cli(*args, cwd=None, prelude=""):
    """``steepest ARGS`` as a subprocess: (returncode, stdout, stderr)."""
    code = (f"import sys; sys.path[:0] = {sys.path!r}\n{prelude}\n"
            "from steepest.cli import main\nsys.exit(main(sys.argv[1:]))")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         cwd=cwd, timeout=120)
    return out.returncode, out.stdout, out.stderr


def problem_file(tmp_path):
    path = tmp_path / "prob.py"
    path.write_text(PROBLEM)
    return path
