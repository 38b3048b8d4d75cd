"""steepest.plot loads matplotlib only on first use, says how to install it, never shows."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

import steepest
from steepest import plot


def _fresh(code: str) -> subprocess.CompletedProcess:
    prefix = "import sys; sys.path[:0] = " + repr(sys.path) + "\n"
    return subprocess.run([sys.executable, "-c", prefix + code], capture_output=True,
                          text=True)


def test_importing_steepest_plot_does_not_import_matplotlib():
    out = _fresh("import steepest, steepest.plot\n"
                 "before = 'matplotlib' in sys.modules\n"
                 "steepest.plot.landscape\n"
                 "print(before, 'matplotlib' in sys.modules)").stdout.strip()
    assert out == "False True"


def test_without_matplotlib_the_error_says_how_to_install_it():
    run = _fresh("sys.modules['matplotlib'] = None\nimport steepest\nsteepest.plot.path\n")
    assert run.returncode != 0
    assert "pip install 'steepest[plot]'" in run.stderr.strip().splitlines()[-1]


def test_names_resolve_and_unknown_ones_raise():
    assert steepest.plot is plot and sorted(dir(plot)) == sorted(plot.__all__)
    for name in plot.__all__:
        assert callable(getattr(plot, name)) and getattr(plot, name).__name__ == name
    with pytest.raises(AttributeError, match="no_such_plot"):
        plot.no_such_plot  # noqa: B018


def _quad(x):
    return x[0] ** 2 + 2 * x[1] ** 2


DRAWS = {
    "landscape": lambda ax: plot.landscape(_quad, [(-1, 1), (-1, 1)], n=10, ax=ax),
    "path": lambda ax: plot.path(steepest.minimize(_quad, np.ones(2)), _quad, ax=ax,
                                 landscape_kw={"n": 10}),
    "convergence": lambda ax: plot.convergence(steepest.minimize(_quad, np.ones(2)), ax=ax),
    "line": lambda ax: plot.line(_quad, np.ones(2), -np.ones(2), ax=ax),
    "spectrum": lambda ax: plot.spectrum([1.0, 2.0], ax=ax),
    "taylor": lambda ax: plot.taylor(_quad, np.ones(2), ax=ax),
    "profile": lambda ax: plot.profile({"a": {"p": 1.0}}, ax=ax),
    "functions": lambda ax: plot.functions({"sin": np.sin}, np.linspace(0, 1, 5), ax=ax),
}


@pytest.mark.parametrize("name", sorted(DRAWS))
def test_each_function_returns_the_axes_it_was_given_and_never_shows(name, monkeypatch):
    def no_show(*_args, **_kwargs):
        raise AssertionError("steepest.plot must never call show()")
    monkeypatch.setattr(plt, "show", no_show)
    _, ax = plt.subplots()
    assert DRAWS[name](ax) is ax
    assert DRAWS[name](None).figure is not ax.figure  # ax=None: a new figure
    assert ax.has_data()
