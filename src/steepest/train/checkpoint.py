"""Training checkpoints as ``.npz`` files: no pickle, written atomically.

A checkpoint holds pytrees (parameters, optimizer state, best parameters) as flat arrays named
``<tree>/<k>`` plus one text entry ``meta`` with JSON: the structure of every pytree, the RNG's
``bit_generator.state``, the epoch, the history and the loop's bookkeeping. It is loaded with
``np.load(..., allow_pickle=False)``, so opening a checkpoint never runs code.

Structures are *checked*, not rebuilt from names: on restore the caller supplies templates (the
initial parameters and ``optimizer.init(params)``) and the stored structure must match theirs;
namedtuple states thus come back as the optimizer's own classes without importing anything.
The file is written to a temporary file in the same directory and moved into place with
:func:`os.replace`, so a crash mid-write leaves the previous checkpoint intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..tree import TreeDef, tree_flatten, tree_unflatten

__all__ = ["Checkpoint", "save_checkpoint", "load_checkpoint", "treedef_to_json"]

FORMAT = "steepest.train.checkpoint/1"


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


def _restore_leaf(stored: np.ndarray, template: Any, where: str) -> Any:
    t = np.asarray(template)
    if stored.shape != t.shape:
        raise ValueError(
            f"checkpoint leaf {where} has shape {stored.shape} but the template has {t.shape}; "
            "resume with the same model and optimizer that wrote the checkpoint"
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

    def restore(self, name: str, template: Any) -> Any:
        """Rebuild tree ``name`` with the structure of ``template``, checking it matches."""
        leaves, td = tree_flatten(template)
        stored_struct = self.meta["structures"][name]
        if stored_struct != treedef_to_json(td):
            raise ValueError(
                f"the {name!r} stored in the checkpoint has structure {stored_struct} but the "
                f"current one is {treedef_to_json(td)}; resume with the same model and "
                "optimizer that wrote the checkpoint"
            )
        stored = self.leaves[name]
        out = [_restore_leaf(s, t, f"{name}/{k}") for k, (s, t) in enumerate(zip(stored, leaves))]
        return tree_unflatten(td, out)


def save_checkpoint(path: str | os.PathLike[str], trees: dict[str, Any], meta: dict) -> Path:
    """Write ``trees`` (name -> pytree) and JSON ``meta`` to ``path`` atomically.

    Args:
        path: target file; ``.npz`` is appended when missing.
        trees: pytrees to store; their structures are recorded in ``meta["structures"]``.
        meta: JSON-serialisable metadata (floats round-trip exactly, nan/inf included).

    Returns:
        The path written.

    Reference:
        The NumPy ``.npz`` format (``numpy.savez``); writes to a temporary file then renames it, so
        a crash never leaves a half-written checkpoint.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> d = tempfile.mkdtemp()
        >>> p = save_checkpoint(os.path.join(d, "ck"), {"params": {"w": np.array([1.0, 2.0])}},
        ...                     {"epoch": 3})
        >>> p.name, load_checkpoint(p).meta["epoch"]
        ('ck.npz', 3)
    """
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    arrays: dict[str, np.ndarray] = {}
    structures = {}
    for name, tree in trees.items():
        leaves, td = tree_flatten(tree)
        structures[name] = treedef_to_json(td)
        for k, leaf in enumerate(leaves):
            arrays[f"{name}/{k}"] = _leaf_array(leaf)
    full_meta = {"format": FORMAT, **meta, "structures": structures,
                 "counts": {n: tree_flatten(t)[1].num_leaves for n, t in trees.items()}}
    arrays["meta"] = np.array(json.dumps(full_meta))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def load_checkpoint(path: str | os.PathLike[str]) -> Checkpoint:
    """Read a checkpoint written by :func:`save_checkpoint` (``allow_pickle=False``).

    Args:
        path: the file written by :func:`save_checkpoint` (the ``.npz`` suffix may be omitted).

    Returns:
        A :class:`Checkpoint` (flat leaves per tree and the metadata); rebuild a tree with
        ``ckpt.restore(name, template)``.

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        ValueError: when the file is not a steepest checkpoint.

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
    path = Path(path)
    if not path.exists() and path.with_name(path.name + ".npz").exists():
        path = path.with_name(path.name + ".npz")
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}; check the path given to resume=")
    with np.load(path, allow_pickle=False) as npz:
        if "meta" not in npz.files:
            raise ValueError(f"{path} is not a steepest checkpoint (no 'meta' entry)")
        meta = json.loads(str(npz["meta"]))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path} has format {meta.get('format')!r}, expected {FORMAT!r}")
        leaves = {name: [npz[f"{name}/{k}"] for k in range(count)]
                  for name, count in meta["counts"].items()}
    return Checkpoint(leaves=leaves, meta=meta)
