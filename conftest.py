"""Doctests (collected by ``pytest --doctest-modules``) see ``np`` as the examples assume, and
the figures a doctest of :mod:`steepest.plot` draws are closed after it."""

import sys

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _doctest_numpy(doctest_namespace):
    doctest_namespace["np"] = np
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
