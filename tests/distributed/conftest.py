"""The LocalCluster the distributed tests share: one per test module (two worker processes,
one thread each), started and closed by the fixture within seconds."""

from __future__ import annotations

import pytest

from steepest.distributed import connect
from steepest.distributed.cluster import close


@pytest.fixture(scope="module")
def client():
    """A two-worker LocalCluster's client for the module's tests (closed after them)."""
    c, owned = connect(None, n_workers=2, memory_limit="1GB", stream=None)
    yield c
    close(c, owned)
