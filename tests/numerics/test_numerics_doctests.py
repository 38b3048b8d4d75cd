"""Every docstring example of steepest.numerics runs and prints what it says."""

import doctest

import numpy as np
import pytest

from steepest.numerics import (
    conditioning,
    floating,
    guard,
    losses,
    softmax_family,
    stable,
)

MODULES = [stable, softmax_family, losses, floating, guard, conditioning]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, extraglobs={"np": np})
    assert result.attempted > 0 and result.failed == 0
