"""No dead code: vulture (confidence >= 80) finds nothing but the parameters listed here.

Each survivor is a parameter that a NumPy signature or protocol makes us accept and that the
traced implementation has no use for; the reason is stated beside it.
"""

from __future__ import annotations

import pathlib

import vulture

import steepest

ROOT = pathlib.Path(steepest.__file__).parent

#: (module path, unused name) -> why it stays.
ACCEPTED = {
    ("autodiff/arraylike.py", "types"):
        "NumPy's __array_function__(func, types, args, kwargs) protocol passes it; the one "
        "dispatch table needs only func",
    ("compile/recording.py", "types"):
        "the same protocol on jit's recorded values",
    ("autodiff/numpy/shape.py", "subok"):
        "np.broadcast_to's signature; traced values are one class, so there is no subclass",
    ("autodiff/numpy/shape.py", "device"):
        "np.astype's array-API signature; steepest computes on the CPU only",
    ("autodiff/numpy/statistics.py", "overwrite_input"):
        "np.median / quantile / percentile signatures; the traced versions never write to a",
}


def test_vulture_finds_only_the_accepted_parameters():
    scan = vulture.Vulture()
    scan.scavenge([str(ROOT)])
    found = {(pathlib.Path(item.filename).relative_to(ROOT).as_posix(), item.name)
             for item in scan.get_unused_code(min_confidence=80)}
    assert found - set(ACCEPTED) == set()
    assert set(ACCEPTED) - found == set(), "an accepted survivor is gone: drop it from ACCEPTED"
