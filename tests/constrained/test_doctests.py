"""The runnable examples in the docstrings of this lane's modules stay correct."""

import doctest
import importlib

import pytest

MODULES = [
    "steepest.constrained.certificate",
    "steepest.constrained.constraints",
    "steepest.constrained.driver",
    "steepest.constrained.kkt",
    "steepest.constrained.projected",
    "steepest.constrained.projections",
    "steepest.constrained.result",
    "steepest.constrained.secular",
    "steepest.least_squares",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
