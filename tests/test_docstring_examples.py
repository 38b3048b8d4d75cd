"""Every module of steepest with docstring examples has them run.

Most subpackages have a doctest runner in their own test folder; this file runs the examples
of the modules outside those (``steepest.tree``, ``steepest.numpy``, package ``__init__``
files), and checks that each per-folder runner names every module of its package that has
examples, so that a new module's examples are not silently left out.
"""

import doctest
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import steepest

TESTS = Path(__file__).parent
# subpackage -> its doctest runner (which lists its modules by name)
RUNNERS = {
    "analysis": "analysis/test_doctests.py", "autodiff": "autodiff/test_doctests.py",
    "constrained": "constrained/test_doctests.py", "numerics": "numerics/test_numerics_doctests.py",
    "optimize": "optimize/test_doctests.py", "optimizers": "optimizers/test_docstrings.py",
    "problems": "problems/test_doctests.py", "train": "train/test_docstrings.py",
}


def _documented_modules():
    names = [m.name for m in pkgutil.walk_packages(steepest.__path__, "steepest.")]
    mods = [importlib.import_module(n) for n in ["steepest", *names]]
    return [m for m in mods if ">>>" in inspect.getsource(m)]


DOCUMENTED = _documented_modules()


def _runner_for(module):
    parts = module.__name__.split(".")
    is_package = module.__name__ == module.__package__
    if len(parts) >= 3 and parts[1] in RUNNERS and not is_package:
        return RUNNERS[parts[1]]
    if module.__name__ == "steepest.least_squares":
        return RUNNERS["constrained"]
    return None


HERE = [m for m in DOCUMENTED if _runner_for(m) is None]


@pytest.mark.parametrize("module", HERE, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS,
                             report=False)
    assert result.attempted > 0 and result.failed == 0


def test_each_runner_names_every_documented_module_of_its_package():
    assert {"steepest.tree", "steepest.numpy.linalg"} <= {m.__name__ for m in HERE}
    missing = []
    for m in DOCUMENTED:
        runner = _runner_for(m)
        if runner is None:
            continue
        text = (TESTS / runner).read_text()
        short = m.__name__.rsplit(".", 1)[-1]
        if not re.search(rf"\b{short}\b", text):  # listed by short name or dotted name
            missing.append(f"{m.__name__} (add it to {runner})")
    assert not missing, missing
