"""The LocalCluster the distributed tests share: one per test module (two worker processes,
one thread each), started and closed by the fixture within seconds. The workers import
steepest in the fixture, so no test's first evaluation pays for it."""

from __future__ import annotations

from importlib import import_module

import pytest

from steepest.distributed import connect
from steepest.distributed.cluster import close


@pytest.fixture(scope="module")
def client():
    """A two-worker LocalCluster's client for the module's tests (closed after them)."""
    c, owned = connect(None, n_workers=2, memory_limit="1GB", stream=None)
    c.run(import_module, "steepest.distributed.kernels")
    yield c
    close(c, owned)
