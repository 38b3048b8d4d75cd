"""One concept, one home: properties of the source tree that keep it readable.

- one ``Objective`` class and one "why it stopped" enum (``steepest._result.Status``) whose
  success member is spelled once;
- no package attribute that hides a submodule of the same name (``optimizers.adam`` is the
  function, and no module ``optimizers/adam.py`` exists beside it);
- no ``except ImportError`` around imports of steepest's own modules (one wheel ships them all);
- no single-letter aliases of modules.
"""

from __future__ import annotations

import ast
import enum
import importlib
import pathlib
import pkgutil

import steepest
from steepest._result import Status

ROOT = pathlib.Path(steepest.__file__).parent


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        yield path, ast.parse(path.read_text(), filename=str(path))


def _is_own_import(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").startswith("steepest")
    if isinstance(node, ast.Import):
        return any(alias.name.startswith("steepest") for alias in node.names)
    return False


def test_one_objective_class():
    homes = [f"{path.relative_to(ROOT)}:{node.lineno}" for path, tree in _sources()
             for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
             and node.name == "Objective"]
    assert len(homes) == 1 and homes[0].startswith("objective.py:"), homes


def test_one_stop_reason_enum():
    """Every Enum with a success-like member is Status itself."""
    success_spellings = {"SUCCESS", "CONVERGED", "COMPLETED", "OK", "DONE"}
    offenders = []
    for info in pkgutil.walk_packages(steepest.__path__, "steepest."):
        if info.name.startswith(("steepest.tour", "steepest.cli")):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, enum.Enum)
                    and value is not Status and value.__module__ == info.name
                    and success_spellings & set(value.__members__)):
                offenders.append(f"{info.name}.{value.__name__}")
    assert offenders == []
    assert [m for m in Status.__members__ if m in success_spellings] == ["SUCCESS"]


def test_no_attribute_shadows_its_submodule():
    shadowed = []
    for info in pkgutil.walk_packages(steepest.__path__, "steepest."):
        if not info.ispkg:
            continue
        package = importlib.import_module(info.name)
        for sub in pkgutil.iter_modules(package.__path__):
            value = vars(package).get(sub.name)
            if value is not None and getattr(value, "__name__", None) != f"{info.name}.{sub.name}":
                shadowed.append(f"{info.name}.{sub.name}")
    assert shadowed == []


def test_no_import_error_guards_around_own_modules():
    guarded = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            if catches & {"ImportError", "ModuleNotFoundError"} and any(
                    _is_own_import(stmt) for stmt in node.body):
                guarded.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert guarded == []


def test_no_single_letter_module_aliases():
    aliases = [f"{path.relative_to(ROOT)}:{node.lineno} {alias.name} as {alias.asname}"
               for path, tree in _sources() for node in ast.walk(tree)
               if isinstance(node, ast.Import | ast.ImportFrom)
               for alias in node.names if alias.asname and len(alias.asname) == 1]
    assert aliases == []
