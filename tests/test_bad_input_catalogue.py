"""The bad-input catalogue as a whole (issue 14): every table of rows, counted per package.

Each table is a list of rows (id, call, exception type, what the message must name) run by
its own test module; this test collects them and fails if the catalogue shrinks below 200
cases. Run ``python tests/test_bad_input_catalogue.py`` from the repository root (or pytest
with ``-s``) to print the count per package.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

#: package -> the (module, table) pairs holding its rows
TABLES = {
    "minimize": [("unconstrained.test_bad_inputs", "CASES")],
    "line searches, univariate, CG": [("unconstrained.test_bad_inputs_searches", "CASES")],
    "constrained": [("constrained.test_bad_inputs", "CASES")],
    "lstsq": [("fitting.test_linear", "BAD_OPTIONS")],
    "least_squares, curve_fit": [("fitting.test_bad_inputs", "CASES")],
    "autodiff": [("autodiff.test_bad_inputs", "CASES")],
    "numpy.linalg": [("autodiff.test_bad_inputs_linalg", "CASES")],
    "numerics": [("numerics.test_bad_inputs", "CASES")],
    "analysis": [("analysis.test_bad_inputs", "CASES")],
    "optimizers": [("optimizers.test_state_ownership", "CASES"),
                   ("optimizers.test_bad_inputs", "CASES")],
    "problems": [("problems.test_bad_inputs", "CASES")],
    "tree": [("test_tree_bad_inputs", "CASES")],
    "train": [("train.test_bad_inputs", "CASES"), ("train.test_checkpoint_damage", "DAMAGE"),
              ("train.test_checkpoint_crafted", "CRAFTED")],
}

MINIMUM = 200


def counts() -> dict[str, int]:
    """Rows per package, read from the tables themselves."""
    sys.path.insert(0, str(Path(__file__).parent))
    out = {}
    for package, tables in TABLES.items():
        rows = [row for module, name in tables
                for row in getattr(importlib.import_module(module), name)]
        ids = [row[0] for row in rows]
        assert len(ids) == len(set(ids)), f"{package}: duplicated row ids"
        out[package] = len(rows)
    return out


def test_catalogue_has_at_least_200_cases():
    per_package = counts()
    print("\nbad-input catalogue:", per_package, "total", sum(per_package.values()))
    assert all(per_package.values()), per_package
    assert sum(per_package.values()) >= MINIMUM, per_package


if __name__ == "__main__":
    table = counts()
    for package, n in table.items():
        print(f"{package:32s} {n:4d}")
    print(f"{'total':32s} {sum(table.values()):4d}")
