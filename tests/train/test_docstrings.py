"""The examples in the docstrings of steepest.train run and print what they show."""

import doctest
import importlib

import pytest

MODULES = ["batches", "finite_sum", "fit", "early_stopping", "models", "datasets", "history",
           "checkpoint", "progress"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"steepest.train.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
