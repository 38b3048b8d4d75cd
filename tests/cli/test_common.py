"""The command line's shared pieces: --help of every verb, --x0 and --options, strict JSON,
and that neither ``import steepest`` nor the CLI's start imports matplotlib, tqdm or pandas."""

import json
import subprocess
import sys

import numpy as np
import pytest

from steepest.cli import VERBS, main
from steepest.cli._common import CliError, parse_options, parse_x0, to_json


@pytest.mark.parametrize("verb", [v.__name__.rsplit(".", 1)[-1] for v in VERBS])
def test_every_verb_has_help_and_json(verb, capsys):
    with pytest.raises(SystemExit) as stop:
        main([verb, "--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0 and out.startswith(f"usage: steepest {verb}")
    assert "--json" in out and "--debug" in out


def test_x0_and_options_parsing():
    assert parse_x0("[-1.2, 1]").tolist() == [-1.2, 1.0] and parse_x0("3 4e-1").tolist() == [3, .4]
    for bad, words in [("", "empty"), ("1,nan", "nan or inf"), ("x", "not a list of numbers")]:
        with pytest.raises(CliError, match=words):
            parse_x0(bad)
    with pytest.raises(CliError, match="has 2 numbers, the problem has n = 3"):
        parse_x0("1,2", 3)
    assert parse_options(["m=5", "line_search=wolfe", "c=(1, 2)", "t=True", "x=null"]) == {
        "m": 5, "line_search": "wolfe", "c": (1, 2), "t": True, "x": None}


def test_to_json_is_strict():
    doc = to_json({"a": np.array([1.0, np.nan]), "b": np.float32(0.5), "c": (np.int64(2),)})
    assert json.dumps(doc, allow_nan=False) == '{"a": [1.0, null], "b": 0.5, "c": [2]}'


def test_neither_steepest_nor_the_cli_imports_the_optional_heavy_packages():
    code = (f"import sys; sys.path[:0] = {sys.path!r}\nimport steepest, steepest.cli\n"
            "print([m for m in ('matplotlib', 'tqdm', 'pandas') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
