"""Every docstring example of steepest.analysis runs and prints what it says."""

import doctest
import importlib

import numpy as np
import pytest

NAMES = ["taylor", "step", "curvature", "lanczos", "critical", "lipschitz", "convexity",
         "univariate", "examples"]
# importlib: `steepest.analysis.taylor` as an attribute is the function, not the module
MODULES = [importlib.import_module(f"steepest.analysis.{name}") for name in NAMES]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, extraglobs={"np": np})
    assert result.attempted > 0 and result.failed == 0
