"""Doctests (collected by ``pytest --doctest-modules``) see ``np`` as the examples assume."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _doctest_numpy(doctest_namespace):
    doctest_namespace["np"] = np
