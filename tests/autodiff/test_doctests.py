"""Every docstring example of steepest.autodiff runs and prints what it says."""

import doctest
import importlib

import numpy as np
import pytest

NAMES = ["checking", "core", "explain", "graph", "jacobians", "numpy_shape", "tracing",
         "transforms"]
# importlib: a submodule attribute of the package may be shadowed by a function of that name
MODULES = [importlib.import_module(f"steepest.autodiff.{name}") for name in NAMES]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, extraglobs={"np": np})
    assert result.attempted > 0 and result.failed == 0
