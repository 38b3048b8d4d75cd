"""The docstring examples of the packages without a doctest runner of their own run and print
what they show: autodiff, optimize, problems, numpy, tree (the other subpackages have one in
their test folder). Modules are discovered, so a new module's examples are checked too."""

import doctest
import importlib
import inspect
import pkgutil

import numpy as np
import pytest

PACKAGES = ["steepest.autodiff", "steepest.optimize", "steepest.problems", "steepest.numpy"]


def _modules_with_examples():
    names = ["steepest.tree"]
    for pkg in PACKAGES:
        names.append(pkg)
        path = importlib.import_module(pkg).__path__
        names += [f"{pkg}.{m.name}" for m in pkgutil.iter_modules(path)]
    mods = [importlib.import_module(n) for n in names]
    return [m for m in mods if ">>>" in inspect.getsource(m)]


MODULES = _modules_with_examples()


def test_discovery_found_the_documented_modules():
    names = {m.__name__ for m in MODULES}
    assert {"steepest.tree", "steepest.autodiff.transforms", "steepest.optimize.interface",
            "steepest.problems.classic"} <= names


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS,
                             report=False)
    assert result.attempted > 0 and result.failed == 0
