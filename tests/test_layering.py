"""The import graph of steepest's own modules: no cycles, nothing upward, nothing deferred.

The layering (stated in ``steepest/__init__.py``) is a rank per top-level module or package;
an import may only go to a module of lower or equal rank inside the same package, or to a
strictly lower rank across packages. Imports inside functions are allowed only inside a
package ``__init__``'s module-level ``__getattr__`` (PEP 562 lazy loading).
"""

from __future__ import annotations

import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1] / "src" / "steepest"

RANKS = {
    "steepest._dispatch": 0,
    "steepest._options": -0.5,
    "steepest._validate": 0,
    "steepest._result": 0.5,
    "steepest._progress": 0.5,
    "steepest.tree": 1,
    "steepest._objective_inputs": 1.5,
    "steepest._objective_fd": 1.6,
    "steepest.numerics": 2,
    "steepest.autodiff": 3,
    "steepest.compile": 3.5,
    "steepest.numpy": 4,
    "steepest.scipy": 4,
    "steepest.objective": 4,
    "steepest.analysis": 5,
    "steepest.unconstrained": 6,
    "steepest.constrained": 7,
    "steepest.fitting": 8,
    "steepest._minimize": 8,
    "steepest._jit_cache": 7.5,
    "steepest._scipy_methods": 1,
    "steepest.optimizers": 9,
    "steepest.problems": 9,
    "steepest.train": 10,
    "steepest.distributed": 11,
    "steepest.plot": 12,
    "steepest.tour": 13,
    "steepest": 14,
    "steepest.cli": 15,
}


def _module_name(path: pathlib.Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _resolve(node: ast.ImportFrom, package: str) -> list[str]:
    if node.level:
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if node.module:
        return [target]
    return [f"{target}.{alias.name}" for alias in node.names]


def _imports(tree: ast.Module, package: str):
    """Yield (target, lineno, deferred, allowed_lazy) for every own-module import."""
    def walk(node, scope):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from walk(child, scope + [child.name])
                continue
            if isinstance(child, ast.ClassDef):
                yield from walk(child, scope + [child.name])
                continue
            if isinstance(child, ast.ImportFrom):
                targets = _resolve(child, package)
            elif isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            else:
                yield from walk(child, scope)
                continue
            for target in targets:
                if target == "steepest" or target.startswith("steepest."):
                    yield target, child.lineno, bool(scope), scope == ["__getattr__"]
    yield from walk(tree, [])


def _existing(target: str, modules: set[str]) -> str:
    """The longest prefix of an import target that is one of steepest's modules."""
    while target not in modules and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def _rank(module: str) -> tuple[str, int]:
    name = module
    while name not in RANKS:
        name = name.rsplit(".", 1)[0]
    return name, RANKS[name]


def collect():
    files = {}
    for path in sorted(ROOT.rglob("*.py")):
        name, is_package = _module_name(path)
        files[name] = (path, is_package)
    modules = set(files)
    edges, deferred, upward = {}, [], []
    for name, (path, is_package) in files.items():
        package = name if is_package else name.rsplit(".", 1)[0]
        tree = ast.parse(path.read_text(), filename=str(path))
        edges[name] = set()
        for target, lineno, is_deferred, lazy in _imports(tree, package):
            target = _existing(target, modules)
            where = f"{path.relative_to(ROOT.parent)}:{lineno} -> {target}"
            if is_deferred and not (lazy and is_package):
                deferred.append(where)
            if not is_deferred:
                edges[name].add(target)
            home_a, rank_a = _rank(name)
            home_b, rank_b = _rank(target)
            if home_a != home_b and rank_b >= rank_a and not target.startswith(name + "."):
                upward.append(where)
    return edges, deferred, upward


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, out = {}, {}, set(), [], []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return out


def _package_edges(edges):
    """Drop a package __init__'s edges to its own submodules: re-exports are not cycles."""
    return {a: {b for b in bs if not b.startswith(a + ".")} for a, bs in edges.items()}


def test_the_checks_see_what_they_look_for():
    """The cycle finder and the import walker on small cases, so a green run means something."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    source = ("from . import x\ndef f():\n    from .y import z\n"
              "def __getattr__(n):\n    import steepest.w\n")
    found = list(_imports(ast.parse(source), "steepest.pkg"))
    assert found == [("steepest.pkg.x", 1, False, False), ("steepest.pkg.y", 3, True, False),
                     ("steepest.w", 5, True, True)]
    assert _rank("steepest.unconstrained.solvers.newton") == ("steepest.unconstrained", 6)


def test_no_import_cycles():
    edges, _, _ = collect()
    assert cycles(_package_edges(edges)) == []


def test_no_upward_imports():
    _, _, upward = collect()
    assert upward == []


def test_no_deferred_imports_of_own_modules():
    _, deferred, _ = collect()
    assert deferred == []


if __name__ == "__main__":
    edges, deferred, upward = collect()
    for c in cycles(_package_edges(edges)):
        print("cycle:", " ".join(c))
    for d in deferred:
        print("deferred:", d)
    for u in upward:
        print("upward:", u)
    sys.exit(0)
