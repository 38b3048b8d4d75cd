"""The runnable examples in the optimizers' docstrings stay correct."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["base", "alias", "adam", "adaptive", "clipping", "fused", "guards", "nesterov",
           "schedules", "transform"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(f"steepest.optimizers.{name}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
