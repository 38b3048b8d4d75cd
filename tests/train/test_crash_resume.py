"""Crash test: a checkpointed ``fit`` SIGKILLed again and again ends as if never interrupted.

A fork server (``_crash_worker.py``) runs the same ``fit(..., checkpoint=..., resume=True)``
over and over in a child process; the test kills each child with SIGKILL at a seeded random time
aimed at a seeded epoch (inside an epoch, inside a checkpoint save, or between the two) and
starts it again, 20 times, then lets it finish. Eight more kills are placed at fixed stages of a
save (before each ``fsync`` and ``os.replace`` of the current and previous checkpoint files). The
final parameters, best parameters, optimizer state, history (all but the timings), status and
counts must equal those of an uninterrupted run bit for bit, and no temporary file may remain.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from . import _crash_worker as worker

WORKER = Path(__file__).with_name("_crash_worker.py")
TIMED_KILLS = 20
# (os call, n): the child kills itself just before its n-th call. A save calls fsync and
# os.replace once for the new checkpoint and, from the second save on, once more each for the
# copy kept as <name>.prev.npz (fsync new, fsync prev, replace prev, replace new).
STAGE_KILLS = [("fsync", 1), ("fsync", 2), ("fsync", 3), ("fsync", 6),
               ("replace", 1), ("replace", 2), ("replace", 3), ("replace", 5)]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker forks (POSIX only)")


class Server:
    """The worker process and a line reader over its stdout, with a deadline on every read."""

    def __init__(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(
            [str(WORKER.parent), *filter(None, [os.environ.get("PYTHONPATH")])])}
        self.proc = subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env)
        self.buf = b""

    def send(self, line: str) -> None:
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def line(self, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(left, 0))
            if not ready:
                raise TimeoutError(f"the crash worker said nothing for {timeout} s")
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("the crash worker exited")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\n", 1)
        return head.decode()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.send("quit")
            self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.proc.stdin.close()


def _marker(line: str) -> tuple[str, int] | None:
    """``("E"|"S"|"D", epoch)`` for a progress line of the child."""
    kind, _, epoch = line.partition(" ")
    return (kind, int(epoch)) if kind in ("E", "S", "D") else None


def _finish(server: Server, pid: int | None, seen: list[str]) -> tuple[int, list[str]]:
    """Read until the child's ``exit`` line; its exit code and every line it printed."""
    while True:
        line = server.line()
        if line.startswith("error"):
            raise AssertionError(f"the resumed run failed: {line}")
        if line.startswith("pid "):
            pid = int(line.split()[1])
            continue
        if line.startswith("exit "):
            _, who, code = line.split()
            assert pid is None or int(who) == pid
            return int(code), seen
        seen.append(line)


def _timed_kill(server: Server, directory: Path, target: int,
                delay: float) -> tuple[int, list[str]]:
    """Run a child, SIGKILL it ``delay`` s after its first progress line at epoch >= ``target``;
    its exit code and the lines it printed."""
    server.send(f"run {directory}")
    pid, seen = None, []
    while True:
        line = server.line()
        if line.startswith("pid "):
            pid = int(line.split()[1])
        elif line.startswith(("exit ", "error")):
            raise AssertionError(f"the child ended before epoch {target}: {line}, {seen}")
        else:
            seen.append(line)
            mark = _marker(line)
            if pid is not None and mark is not None and mark[1] >= target:
                break
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    return _finish(server, pid, seen)


def _in_save(seen: list[str]) -> bool:
    """Whether a child was killed inside a checkpoint save."""
    marks = [m for m in map(_marker, seen) if m is not None and m[0] in "SD"]
    return bool(marks) and marks[-1][0] == "S"


class Progress:
    """Checks that each child resumes from the newest checkpoint written before it: the one of
    the last finished save, or of a later save that was killed after its rename."""

    def __init__(self) -> None:
        self.candidates = {0}  # epochs the checkpoint on disk may hold

    def check(self, seen: list[str]) -> None:
        marks = [m for m in map(_marker, seen) if m is not None]
        starts = [epoch for kind, epoch in marks if kind == "E"][:1]
        if starts:
            assert starts[0] - 1 in self.candidates, (starts, self.candidates, seen)
            self.candidates = {starts[0] - 1}
        for kind, epoch in marks:
            if kind == "S":
                self.candidates.add(epoch)
            elif kind == "D":
                self.candidates = {epoch}


def _result(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _assert_same(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert sorted(got) == sorted(want)
    for key in want:
        assert got[key].dtype == want[key].dtype and got[key].shape == want[key].shape, key
        assert got[key].tobytes() == want[key].tobytes(), key  # bit for bit (nan included)


def _kill_plan(epochs: int) -> list[tuple[int, float]]:
    """20 seeded (target epoch, delay): epochs spread over the run, delays from 0 to about one
    epoch (a save takes most of an epoch here, so many kills land inside one)."""
    rng = np.random.default_rng(20261203)
    targets = np.sort(rng.integers(3, epochs, size=TIMED_KILLS))  # the stage kills reach 3
    return [(int(t), float(d)) for t, d in zip(targets, rng.uniform(0, 4e-3, TIMED_KILLS))]


def test_sigkill_at_random_times_resumes_bit_for_bit(tmp_path):
    reference = worker.train()
    want = worker.result_arrays(reference)
    server = Server()
    progress, plan = Progress(), _kill_plan(reference.epochs)
    targets = [t for t, _ in plan]
    try:
        killed = in_save = 0
        for call, n in STAGE_KILLS:  # inside the first few saves, at each of their stages
            server.send(f"run {tmp_path} {call} {n}")
            code, seen = _finish(server, None, [])
            assert code == -signal.SIGKILL, (call, n)
            progress.check(seen)
            killed += 1
        for target, delay in plan:
            code, seen = _timed_kill(server, tmp_path, target, delay)
            assert code == -signal.SIGKILL
            progress.check(seen)
            killed += 1
            in_save += _in_save(seen)
        server.send(f"run {tmp_path}")
        code, seen = _finish(server, None, [])
        assert code == 0 and seen[-1] == "done"
        progress.check(seen)
        first = [m[1] for m in map(_marker, seen) if m is not None][:1]
        assert first >= targets[-1:]  # the last run resumed, it did not start over
    finally:
        server.close()
    print(f"crash test: {killed} SIGKILLs survived, {in_save} of the timed ones inside a save")
    _assert_same(_result(tmp_path / "result.npz"), want)
    assert killed == TIMED_KILLS + len(STAGE_KILLS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ck.npz", "ck.prev.npz", "result.npz"]
