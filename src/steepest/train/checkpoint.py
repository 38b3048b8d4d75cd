"""Training checkpoints as ``.npz`` files: no pickle, written atomically, verified on load.

A checkpoint holds pytrees (parameters, optimizer state, best parameters) as flat arrays named
``<tree>/<k>`` plus one text entry ``meta`` with JSON: the format version, the structure of every
pytree, the RNG's ``bit_generator.state``, the epoch, the history and the loop's bookkeeping, and
one text entry ``sha256``: the SHA-256 of the metadata text and of every leaf's dtype, shape and
bytes. It is loaded with ``np.load(..., allow_pickle=False)``, so opening a checkpoint never runs
code, and a file that is truncated, empty, not an ``.npz``, of another format or whose checksum
does not match raises :class:`CheckpointError` naming the file and what to do.

Structures are *checked*, not rebuilt from names: on restore the caller supplies templates (the
initial parameters and ``optimizer.init(params)``) and the stored structure, shapes and dtypes
must match theirs; namedtuple states thus come back as the optimizer's own classes without
importing anything. The file is written to a temporary file in the same directory and moved into
place with :func:`os.replace`, so a crash mid-write leaves the previous checkpoint intact; the
previous good checkpoint is kept as ``<name>.prev.npz`` and :func:`resume_checkpoint` falls back
to it (with a warning) when the current one is damaged. Temporary files left by a killed save are
removed by the next save.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..tree import TreeDef, tree_flatten, tree_unflatten

__all__ = ["Checkpoint", "CheckpointError", "checkpoint_path", "previous_path",
           "save_checkpoint", "load_checkpoint", "resume_checkpoint", "treedef_to_json"]

FORMAT = "steepest.train.checkpoint/2"

# What np.load / zipfile / json raise on a damaged or foreign file.
_READ_ERRORS = (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError,
                zipfile.BadZipFile, zlib.error)


class CheckpointError(ValueError):
    """A checkpoint file is damaged, foreign or inconsistent with the run resuming from it.

    Example:
        >>> issubclass(CheckpointError, ValueError)
        True
    """


def checkpoint_path(path: str | os.PathLike[str]) -> Path:
    """The file a checkpoint named ``path`` lives in: ``path`` with ``.npz`` appended if missing.

    Args:
        path: the name given to ``fit(checkpoint=...)`` or ``resume=...``, with or without
            ``.npz``.

    Returns:
        The normalised :class:`~pathlib.Path` (``ck`` and ``ck.npz`` both give ``ck.npz``).

    Example:
        >>> checkpoint_path("runs/ck").as_posix(), checkpoint_path("runs/ck.npz").as_posix()
        ('runs/ck.npz', 'runs/ck.npz')
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"a checkpoint must be named by a path (str or os.PathLike), got "
                        f"{type(path).__name__} {path!r}; pass e.g. checkpoint='runs/ck'")
    path = Path(path)
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def previous_path(path: str | os.PathLike[str]) -> Path:
    """Where the previous good checkpoint of ``path`` is kept: ``<name>.prev.npz``.

    Args:
        path: the checkpoint, with or without ``.npz``.

    Returns:
        The path of the previous checkpoint, beside ``path``.

    Example:
        >>> previous_path("ck").name
        'ck.prev.npz'
    """
    path = checkpoint_path(path)
    return path.with_name(path.name[: -len(".npz")] + ".prev.npz")


def treedef_to_json(td: TreeDef) -> Any:
    """A JSON-serialisable description of a pytree structure."""
    if td.kind == "leaf":
        return "*"
    if td.kind == "none":
        return None
    children = [treedef_to_json(c) for c in td.children]
    if td.kind == "dict":
        return {"dict": [[_json_key(k), c] for k, c in zip(td.meta, children)]}
    if td.kind == "namedtuple":
        cls = td.meta
        return {"namedtuple": f"{cls.__module__}.{cls.__qualname__}",
                "fields": list(cls._fields), "children": children}
    return {td.kind: children}


def _json_key(key: Any) -> Any:
    if isinstance(key, (str, int, float, bool)) or key is None:
        return key
    return repr(key)


def _leaf_array(leaf: Any) -> np.ndarray:
    arr = np.asarray(leaf)
    if arr.dtype == object:
        raise TypeError(
            f"cannot checkpoint a leaf of type {type(leaf).__name__}; pytree leaves must be "
            "numeric arrays or scalars"
        )
    return arr


def _checksum(meta_text: str, arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 of the metadata text and of every leaf's name, dtype, shape and bytes."""
    digest = hashlib.sha256(meta_text.encode("utf-8"))
    for key in sorted(arrays):
        arr = np.ascontiguousarray(arrays[key])
        digest.update(f"\0{key}\0{arr.dtype.str}\0{arr.shape}\0".encode())
        digest.update(arr.tobytes())
    return digest.hexdigest()


def _fix(path: Path) -> str:
    """What to do about a bad checkpoint at ``path``."""
    return (f"delete {path} (and {previous_path(path).name} if it is damaged too) to start "
            "afresh, or resume from another checkpoint")


def _restore_leaf(stored: np.ndarray, template: Any, where: str, path: Path) -> Any:
    t = np.asarray(template)
    if stored.shape != t.shape or stored.dtype != t.dtype:
        raise CheckpointError(
            f"checkpoint {path}: leaf {where} has shape {stored.shape} and dtype {stored.dtype} "
            f"but the template has shape {t.shape} and dtype {t.dtype}; resume with the same "
            "model and optimizer that wrote the checkpoint"
        )
    if isinstance(template, np.ndarray):
        return stored
    if isinstance(template, np.generic):
        return stored[()]
    return type(template)(stored.item())  # python int/float/bool


@dataclass
class Checkpoint:
    """Contents of a checkpoint: flat leaves per tree plus the JSON metadata."""

    leaves: dict[str, list[np.ndarray]]
    meta: dict[str, Any]
    path: Path = Path("checkpoint.npz")

    def restore(self, name: str, template: Any) -> Any:
        """Rebuild tree ``name`` with the structure of ``template``, checking it matches.

        Raises:
            CheckpointError: when the stored structure, a shape or a dtype differs.
        """
        leaves, td = tree_flatten(template)
        stored_struct = self.meta["structures"].get(name)
        if stored_struct != treedef_to_json(td):
            raise CheckpointError(
                f"the {name!r} stored in checkpoint {self.path} has structure {stored_struct} "
                f"but the current one is {treedef_to_json(td)}; resume with the same model and "
                "optimizer that wrote the checkpoint"
            )
        out = [_restore_leaf(s, t, f"{name}/{k}", self.path)
               for k, (s, t) in enumerate(zip(self.leaves[name], leaves))]
        return tree_unflatten(td, out)

    def invalid(self, what: str) -> CheckpointError:
        """The :class:`CheckpointError` for an inconsistent field: ``what`` is wrong, and the fix.

        Example:
            >>> str(Checkpoint({}, {}, Path("ck.npz")).invalid("'steps' is -1"))[:30]
            "checkpoint ck.npz: 'steps' is "
        """
        return CheckpointError(f"checkpoint {self.path}: {what}; {_fix(self.path)}")

    def check_progress(self, epochs: int) -> None:
        """Check the stored epoch is an int in ``[0, epochs]`` and the history matches it.

        Args:
            epochs: the epochs the resuming run asks for.

        Raises:
            CheckpointError: naming the inconsistent field.
        """
        epoch, history = self.meta.get("epoch"), self.meta.get("history")
        if type(epoch) is not int or not 0 <= epoch <= epochs:
            raise CheckpointError(
                f"checkpoint {self.path} is at epoch {epoch!r}, not an integer in "
                f"[0, epochs={epochs}]; pass epochs >= the epochs already done, or "
                + _fix(self.path))
        if not isinstance(history, dict) or any(
                not isinstance(v, list) or len(v) != epoch for v in history.values()) or (
                history and history.get("epoch") != list(range(1, epoch + 1))):
            raise CheckpointError(
                f"checkpoint {self.path}: its history does not hold one record per epoch for "
                f"the {epoch} epochs it claims; " + _fix(self.path))


def _remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed :func:`save_checkpoint` of ``path`` left behind."""
    for name in (path.name, previous_path(path).name):
        for stale in path.parent.glob(f".{name}.*.tmp"):
            stale.unlink(missing_ok=True)


def _write_atomically(path: Path, write: Any, before_replace: Any = None) -> None:
    """``write(fh)`` into a temporary file beside ``path``, call ``before_replace()``, then
    :func:`os.replace` the file to ``path``; the temporary file is removed on any failure."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _keep_previous(path: Path) -> None:
    """Copy the current checkpoint to ``<name>.prev.npz`` if it is good (the current stays)."""
    if not path.exists():
        return
    try:
        load_checkpoint(path)
    except CheckpointError:
        return  # never replace a good previous checkpoint with a damaged one
    _write_atomically(previous_path(path), lambda fh: _copy_into(path, fh))


def _copy_into(path: Path, fh: Any) -> None:
    with open(path, "rb") as src:
        shutil.copyfileobj(src, fh)


def save_checkpoint(path: str | os.PathLike[str], trees: dict[str, Any], meta: dict) -> Path:
    """Write ``trees`` (name -> pytree) and JSON ``meta`` to ``path`` atomically.

    The current checkpoint, when good, is first kept as ``<name>.prev.npz``; temporary files of
    an earlier save that was killed are removed.

    Args:
        path: target file; ``.npz`` is appended when missing.
        trees: pytrees to store; their structures are recorded in ``meta["structures"]``.
        meta: JSON-serialisable metadata (floats round-trip exactly, nan/inf included).

    Returns:
        The path written.

    Reference:
        The NumPy ``.npz`` format (``numpy.savez``); writes to a temporary file then renames it, so
        a crash never leaves a half-written checkpoint. SHA-256: FIPS 180-4.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> d = tempfile.mkdtemp()
        >>> p = save_checkpoint(os.path.join(d, "ck"), {"params": {"w": np.array([1.0, 2.0])}},
        ...                     {"epoch": 3})
        >>> p.name, load_checkpoint(p).meta["epoch"]
        ('ck.npz', 3)
    """
    path = checkpoint_path(path)
    arrays: dict[str, np.ndarray] = {}
    structures = {}
    for name, tree in trees.items():
        leaves, td = tree_flatten(tree)
        structures[name] = treedef_to_json(td)
        for k, leaf in enumerate(leaves):
            arrays[f"{name}/{k}"] = _leaf_array(leaf)
    full_meta = {**meta, "format": FORMAT, "structures": structures,
                 "counts": {n: tree_flatten(t)[1].num_leaves for n, t in trees.items()}}
    meta_text = json.dumps(full_meta)
    entries = {**arrays, "meta": np.array(meta_text),
               "sha256": np.array(_checksum(meta_text, arrays))}
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path)
    _write_atomically(path, lambda fh: np.savez(fh, **entries), lambda: _keep_previous(path))
    return path


def _read_npz(path: Path) -> tuple[str, dict[str, np.ndarray], str | None]:
    """The metadata text, the leaf arrays and the stored checksum of the ``.npz`` at ``path``."""
    with open(path, "rb") as fh:  # closed even when np.load fails half way
        npz = np.load(fh, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):
            raise CheckpointError(f"{path} holds a single array, not a steepest checkpoint: "
                                  f"pass the .npz written by fit(checkpoint=...), or {_fix(path)}")
        with npz:
            return _entries(npz, path)


def _entries(npz: Any, path: Path) -> tuple[str, dict[str, np.ndarray], str | None]:
    if "meta" not in npz.files:
        raise CheckpointError(f"{path} is not a steepest checkpoint (no 'meta' entry): pass "
                              f"the .npz written by fit(checkpoint=...), or {_fix(path)}")
    meta_text = str(npz["meta"])
    counts = json.loads(meta_text).get("counts")
    if not isinstance(counts, dict) or not all(
            type(c) is int and c >= 0 for c in counts.values()):
        raise CheckpointError(f"{path}: its metadata has no valid leaf counts; " + _fix(path))
    arrays = {f"{name}/{k}": npz[f"{name}/{k}"]
              for name, count in counts.items() for k in range(count)}
    return meta_text, arrays, str(npz["sha256"]) if "sha256" in npz.files else None


def _read(path: Path) -> Checkpoint:
    """Read and verify ``path``; any failure becomes a :class:`CheckpointError`."""
    try:
        meta_text, arrays, stored_sum = _read_npz(path)
        meta = json.loads(meta_text)
    except CheckpointError:
        raise
    except _READ_ERRORS as exc:
        raise CheckpointError(f"cannot read checkpoint {path} ({type(exc).__name__}): "
                              f"it is truncated, empty or not an .npz file; {_fix(path)}") from exc
    if meta.get("format") != FORMAT:
        raise CheckpointError(
            f"{path} has format {meta.get('format')!r}, expected {FORMAT!r}; it was written by "
            "another program or steepest version: start without resume=")
    if stored_sum != _checksum(meta_text, arrays):
        raise CheckpointError(f"checkpoint {path} fails its SHA-256 check (the file is "
                              f"damaged or was edited); {_fix(path)}")
    if not isinstance(meta.get("structures"), dict):
        raise CheckpointError(f"{path}: its metadata has no tree structures; {_fix(path)}")
    leaves = {name: [arrays[f"{name}/{k}"] for k in range(count)]
              for name, count in meta["counts"].items()}
    return Checkpoint(leaves=leaves, meta=meta, path=path)


def load_checkpoint(path: str | os.PathLike[str]) -> Checkpoint:
    """Read and verify a checkpoint written by :func:`save_checkpoint` (``allow_pickle=False``).

    Args:
        path: the file written by :func:`save_checkpoint` (the ``.npz`` suffix may be omitted).

    Returns:
        A :class:`Checkpoint` (flat leaves per tree and the metadata); rebuild a tree with
        ``ckpt.restore(name, template)``.

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        CheckpointError: (a ``ValueError``) when the file is truncated, empty, not an ``.npz``,
            not a steepest checkpoint of this format, or fails its SHA-256 check.

    Reference:
        The NumPy ``.npz`` format, read with ``allow_pickle=False`` so a checkpoint cannot run code.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "ck")
        >>> _ = save_checkpoint(path, {"params": [np.array([1.0, 2.0])]}, {"epoch": 1})
        >>> ck = load_checkpoint(path)
        >>> ck.restore("params", [np.zeros(2)])[0].tolist()
        [1.0, 2.0]
    """
    given = Path(path)
    path = checkpoint_path(given)
    if not path.exists() and given.exists():
        path = given  # a file saved under another name: read it (and check it is a checkpoint)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}; check the path given to resume=")
    return _read(path)


def _load_run(path: Path, templates: Mapping[str, Any], epochs: int,
              check: Callable[[Checkpoint], Any] | None) -> tuple[Checkpoint, dict[str, Any]]:
    ck = load_checkpoint(path)
    ck.check_progress(epochs)
    if check is not None:
        check(ck)
    return ck, {name: ck.restore(name, t) for name, t in templates.items()}


def resume_checkpoint(path: str | os.PathLike[str], templates: Mapping[str, Any],
                      epochs: int, check: Callable[[Checkpoint], Any] | None = None,
                      ) -> tuple[Checkpoint, dict[str, Any]]:
    """Load the checkpoint at ``path`` for a run of ``epochs`` epochs and restore its trees.

    The trees are checked against ``templates`` (structure, shapes, dtypes) and the epoch and
    history against ``epochs``. When the current checkpoint is missing or damaged but the
    previous one (``<name>.prev.npz``) is good, that one is used and a ``RuntimeWarning`` says so.

    Args:
        path: the checkpoint, with or without ``.npz``.
        templates: ``{tree name: template pytree}``, e.g. the initial params.
        epochs: the epochs the resuming run asks for.
        check: ``check(checkpoint)`` raises :class:`CheckpointError` when the caller's own
            metadata is inconsistent (then the previous checkpoint is tried too).

    Returns:
        ``(checkpoint, {tree name: restored pytree})``.

    Raises:
        FileNotFoundError: when neither checkpoint exists.
        CheckpointError: when the current checkpoint is damaged and no good previous one exists.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "ck")
        >>> _ = save_checkpoint(path, {"p": np.ones(2)}, {"epoch": 0, "history": {}})
        >>> ck, trees = resume_checkpoint(path, {"p": np.zeros(2)}, epochs=5)
        >>> trees["p"].tolist()
        [1.0, 1.0]
    """
    prev = previous_path(path)
    try:
        return _load_run(Path(path), templates, epochs, check)
    except (CheckpointError, FileNotFoundError) as exc:
        if not prev.exists():
            raise
        try:
            found = _load_run(prev, templates, epochs, check)
        except CheckpointError:
            raise exc from None
        warnings.warn(f"{exc}; resuming from the previous checkpoint {prev} instead "
                      f"(epoch {found[0].meta['epoch']})", RuntimeWarning, stacklevel=3)
        return found
