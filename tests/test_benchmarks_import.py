"""Every benchmark script imports, and every ``alias.name`` it reads from a steepest module
exists (a moved module once left ``rosenbrock_large.py`` calling a function that was gone)."""

from __future__ import annotations

import ast
import importlib.util
import sys
import types
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(p for p in BENCH.glob("*.py") if p.name != "__main__.py")


def _load(path: Path) -> types.ModuleType:
    saved = list(sys.path)
    sys.path.insert(0, str(BENCH))
    name = f"_bench_{path.stem}"
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while it runs
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
        sys.modules.pop(name, None)
    return module


def _steepest_aliases(module: types.ModuleType) -> dict[str, types.ModuleType]:
    return {name: value for name, value in vars(module).items()
            if isinstance(value, types.ModuleType) and value.__name__.startswith("steepest")}


def _missing_attributes(path: Path, aliases: dict[str, types.ModuleType]) -> list[str]:
    missing = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and isinstance(node.ctx, ast.Load)
                and not hasattr(aliases[node.value.id], node.attr)):
            missing.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    return missing


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_benchmark_imports_and_names_what_exists(path):
    module = _load(path)
    if not path.name.startswith("_"):  # a script, not one of the helpers they share
        assert "__main__" in path.read_text()
    assert _missing_attributes(path, _steepest_aliases(module)) == []
