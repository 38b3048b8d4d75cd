"""The process ``test_crash_resume`` kills: a fork server running one checkpointed ``fit``.

Started as ``python _crash_worker.py``, it imports steepest once, then serves commands read from
stdin, one per line, so each of the many restarts costs a ``fork`` instead of an interpreter
start-up:

* ``run <dir> [<call> <n>]``: fork a child that resumes (``resume=True``) the run checkpointed in
  ``<dir>`` and, when it completes, writes its result to ``<dir>/result.npz``. With ``<call>``
  (``fsync`` or ``replace``) the child SIGKILLs itself just before its ``n``-th call of
  ``os.<call>``: inside a checkpoint save, at a chosen stage. The server answers ``pid <pid>``,
  then ``exit <pid> <code>`` once the child is gone (``-9`` when killed).
* ``quit``: exit.

The child reports its progress on stdout (lines ``E <epoch>`` after each epoch, ``S <epoch>``
and ``D <epoch>`` around each checkpoint save) so the test can aim its kills. Every output line
is shorter than ``PIPE_BUF``, so lines of the server and its children never interleave.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import numpy as np

from steepest.optimizers import adam
from steepest.train import EarlyStopping, fit, run_state
from steepest.tree import tree_leaves

EPOCHS = 24


def _tanh_net(p, batch):
    X, y = batch
    return np.mean((np.tanh(X @ p["W"]) @ p["v"] - y) ** 2)


def _tanh_net_value_and_grad(p, batch):
    X, y = batch
    h = np.tanh(X @ p["W"])
    r = h @ p["v"] - y
    dr = 2.0 * r / len(y)
    return np.mean(r**2), {"W": X.T @ (np.outer(dr, p["v"]) * (1 - h * h)), "v": h.T @ dr}


def _data(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, np.sin(X[:, 0]) + 0.1 * rng.normal(size=n)


def train(checkpoint: str | None = None, callbacks=()):
    """The run under test: a tanh net, Adam, shuffled minibatches, validation, early stopping
    (whose patience runs out before the last epoch), one checkpoint per epoch."""
    rng = np.random.default_rng(7)
    params = {"W": rng.normal(size=(3, 6)) * 0.5, "v": rng.normal(size=6) * 0.5}
    return fit(_tanh_net, params, _data(1, 64), adam(0.05), EPOCHS, batch_size=8,
               validation=_data(2, 32), value_and_grad=_tanh_net_value_and_grad,
               early_stopping=EarlyStopping(patience=6, restore_best=True),
               metrics={"mae": lambda p, b: float(np.mean(np.abs(
                   np.tanh(b[0] @ p["W"]) @ p["v"] - b[1])))},
               seed=3, checkpoint=checkpoint, resume=checkpoint is not None,
               callbacks=callbacks, progress=False)


def result_arrays(res) -> dict[str, np.ndarray]:
    """Everything of a :class:`FitResult` that a resumed run must reproduce, as arrays."""
    out = {}
    for name in ("params", "best_params", "last_params", "opt_state"):
        for k, leaf in enumerate(tree_leaves(getattr(res, name))):
            out[f"{name}/{k}"] = np.asarray(leaf)
    history = {key: res.history[key] for key in res.history.keys() if key != "time"}
    summary = [res.status.name, res.message, res.epochs, res.steps, res.best_epoch,
               res.best_value, res.monitor, history]
    out["summary"] = np.array(json.dumps(summary))
    return out


def _say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def _kill_before(call: str, n: int) -> None:
    """SIGKILL this process just before its ``n``-th call of ``os.<call>``."""
    real, seen = getattr(os, call), [0]

    def hooked(*args):
        seen[0] += 1
        if seen[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)

    setattr(os, call, hooked)


def _child(directory: Path, hook: list[str]) -> None:
    real_save = run_state.save_checkpoint

    def save(path, trees, meta):
        _say(f"S {meta['epoch']}")
        written = real_save(path, trees, meta)
        _say(f"D {meta['epoch']}")
        return written

    run_state.save_checkpoint = save
    if hook:
        _kill_before(hook[0], int(hook[1]))
    res = train(str(directory / "ck"), callbacks=[lambda e: _say(f"E {e.epoch}")])
    np.savez(directory / "result.npz", **result_arrays(res))
    _say("done")


def _serve() -> None:
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            return
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _child(Path(words[1]), words[2:])
            except BaseException as exc:  # report, never return into the server loop
                _say(f"error {type(exc).__name__}: {exc}"[:400])
                code = 1
            os._exit(code)
        _say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        _say(f"exit {pid} {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    _serve()
