"""Which Dask cluster a distributed finite sum runs on, and how it is started and stopped.

``cluster=None`` starts a :class:`~distributed.LocalCluster` of worker *processes* with one
thread each and BLAS pinned to one thread in every worker (two BLAS pools per core would fight
over the cores the workers already split) and work stealing off (the chunk tasks are uniform
and bound to their data: a stolen task copies its chunk to another worker);
``"tcp://host:port"`` connects to a running scheduler; a :class:`~distributed.Client` (or a
cluster object) is used as it is. The same code then runs on one laptop and on many machines.

Example:
    >>> client, owned = connect(None, n_workers=1, processes=False, stream=None)
    >>> len(client.scheduler_info()["workers"]), owned
    (1, True)
    >>> close(client, owned)
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

import dask

from distributed import Client, LocalCluster

__all__ = ["connect", "close", "BLAS_ENV"]

#: Environment of every worker a LocalCluster starts: one BLAS/OpenMP thread per worker.
BLAS_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://[^\s/]+(:\d+)?$|^[\w.\-]+:\d+$")


def _local(n_workers: int, memory_limit: Any, processes: bool) -> Client:
    extra = {"env": BLAS_ENV} if processes else {}  # threads share this process's BLAS
    with dask.config.set({"distributed.nanny.pre-spawn-environ": BLAS_ENV,
                          "distributed.scheduler.work-stealing": False}):
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=processes,
                               memory_limit=memory_limit, dashboard_address=":0", **extra)
    return Client(cluster)


def _remote(address: str, timeout: float) -> Client:
    if not _ADDRESS.match(address):
        raise ValueError(f"cluster={address!r} is not a scheduler address; pass one like "
                         "'tcp://10.0.0.5:8786', a distributed.Client, or None for a "
                         "LocalCluster")
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as e:
        raise ConnectionError(
            f"no Dask scheduler answered at {address!r} within {timeout:g} s ({e}); start one "
            "there (`dask scheduler`, then `dask worker <address>`) or pass cluster=None for "
            "a LocalCluster on this machine") from e


def connect(cluster: Any = None, *, n_workers: int = 2, memory_limit: Any = "auto",
            processes: bool = True, timeout: float = 10.0,
            stream: TextIO | None = sys.stderr) -> tuple[Client, bool]:
    """A :class:`~distributed.Client` for ``cluster``, and whether steepest started it.

    Args:
        cluster: None (start a LocalCluster), a scheduler address ``"tcp://host:port"``, a
            :class:`~distributed.Client`, or a cluster object (``LocalCluster``,
            ``SSHCluster``, ...).
        n_workers: workers of a LocalCluster (one thread each).
        memory_limit: per-worker memory limit of a LocalCluster (``"2GB"``, bytes, ``"auto"``).
        processes: LocalCluster workers as processes (default) or threads of this process.
        timeout: seconds to wait for a remote scheduler.
        stream: where the dashboard link is printed (None: not printed).

    Returns:
        ``(client, owned)``; pass both to :func:`close` when done.

    Raises:
        ValueError: ``cluster`` is a string that is not an address.
        ConnectionError: nothing answered at the address.
        TypeError: ``cluster`` is of another kind.
    """
    if cluster is None:
        client, owned = _local(n_workers, memory_limit, processes), True
    elif isinstance(cluster, Client):
        client, owned = cluster, False
    elif isinstance(cluster, str):
        client, owned = _remote(cluster, timeout), True
    elif hasattr(cluster, "scheduler_address"):
        client, owned = Client(cluster), True
    else:
        raise TypeError(f"cluster must be None, a scheduler address, a distributed.Client or a "
                        f"cluster object, got {type(cluster).__name__}")
    if stream is not None:
        print(f"steepest.distributed: dashboard at {client.dashboard_link}", file=stream)
    return client, owned


def close(client: Client, owned: bool) -> None:
    """Close ``client`` and, when steepest started it, its LocalCluster (else leave both)."""
    if not owned:
        return
    cluster = client.cluster
    client.close()
    if cluster is not None and isinstance(cluster, LocalCluster):
        cluster.close()
