"""Every docstring example of steepest.optimize runs and prints what it says."""

import doctest
import importlib

import numpy as np
import pytest

NAMES = ["certificate", "descent", "discrete", "driver", "exact_search", "interface", "lbfgs",
         "linear_cg", "linesearch", "more_thuente", "newton", "quasi_newton", "result",
         "searches", "termination", "trust", "univariate", "univariate_bracket", "zoom"]
# importlib: a submodule attribute of the package may be shadowed by a function of that name
MODULES = [importlib.import_module(f"steepest.optimize.{name}") for name in NAMES]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, extraglobs={"np": np})
    assert result.attempted > 0 and result.failed == 0
