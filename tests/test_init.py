"""The lazy top-level package: every public name resolves, nothing is imported up front."""

import importlib
import subprocess
import sys

import pytest

import steepest


def _fresh(code: str) -> str:
    """stdout of ``code`` run in a new interpreter that sees the same ``sys.path``."""
    env_path = "import sys; sys.path[:0] = " + repr(sys.path) + "\n"
    return subprocess.run([sys.executable, "-c", env_path + code], check=True,
                          capture_output=True, text=True).stdout.strip()  # fmt: skip


@pytest.mark.parametrize("module", sorted(steepest._EXPORTS))
def test_the_export_table_is_the_subpackage_all(module):
    sub = importlib.import_module(f"steepest.{module}")
    names = steepest._EXPORTS[module]
    if hasattr(sub, "__all__") and module != "_minimize":
        assert tuple(sub.__all__) == names
    for name in names:
        assert getattr(steepest, name) is getattr(sub, name)


def test_all_lists_each_name_once_and_dir_shows_them():
    assert len(steepest.__all__) == len(set(steepest.__all__))
    assert set(steepest.__all__) <= set(dir(steepest))
    for name in steepest.__all__:
        getattr(steepest, name)


@pytest.mark.parametrize("name", ["minimize", "maximize", "grad", "lstsq", "least_squares",
                                  "curve_fit", "softmax"])
def test_flat_names_keep_their_home(name):
    home = steepest._HOME[name]
    assert getattr(steepest, name) is getattr(importlib.import_module(f"steepest.{home}"), name)


@pytest.mark.parametrize("name", ["tree", "constrained", "optimizers", "problems", "train",
                                  "numpy", "autodiff", "unconstrained"])
def test_namespaces_are_their_submodules(name):
    assert getattr(steepest, name) is importlib.import_module(f"steepest.{name}")


def test_names_inside_namespaces_work():
    assert steepest.optimizers.adam is importlib.import_module("steepest.optimizers").adam
    assert steepest.train.fit is importlib.import_module("steepest.train").fit
    assert steepest.tree.ravel_pytree is importlib.import_module("steepest.tree").ravel_pytree


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        steepest.no_such_name  # noqa: B018


def test_import_steepest_imports_no_subpackage_and_not_scipy_signal():
    out = _fresh("import steepest\n"
                 "print(sorted(m for m in sys.modules if m.startswith('steepest.')),"
                 " 'scipy.signal' in sys.modules)")  # fmt: skip
    assert out == "[] False"


def test_using_every_name_does_not_import_scipy_signal():
    out = _fresh("import steepest\n"
                 "for name in steepest.__all__: getattr(steepest, name)\n"
                 "print('scipy.signal' in sys.modules)")  # fmt: skip
    assert out == "False"


def test_star_import_gives_the_flat_api():
    namespace: dict = {}
    exec("from steepest import *", namespace)  # noqa: S102
    assert namespace["minimize"] is steepest.minimize and namespace["grad"] is steepest.grad
