"""``steepest problems``: the list, and one problem run with a chosen method."""

import json

import numpy as np

import steepest
from steepest.cli import main

from ._run import cli


def test_list_json_has_every_problem(capsys):
    assert main(["problems", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["problems"]
    names = [r["name"] for r in rows]
    assert len(rows) == 5 + len(steepest.problems.MGH_NAMES)
    assert names[0] == "rosenbrock" and "mgh07_helical_valley" in names
    assert next(r for r in rows if r["name"] == "peaks")["f_star"] < -6.5


def test_run_one_reports_f_minus_f_star():
    rc, out, err = cli("problems", "helical_valley", "--method", "lbfgs", "--json")
    doc = json.loads(out)
    assert rc == 0 and err == "" and doc["problem"] == "mgh07_helical_valley"
    assert doc["method"] == "lbfgs" and doc["f_minus_f_star"] < 1e-8
    assert np.allclose(doc["x"], [1.0, 0.0, 0.0], atol=1e-5)


def test_unknown_problem_and_wrong_length_start(capsys):
    assert main(["problems", "rosenbruck"]) == 2
    assert "unknown problem 'rosenbruck'" in capsys.readouterr().err
    assert main(["problems", "7", "--x0", "1,2"]) == 2
    assert "--x0 has 2 numbers, the problem has n = 3; pass 3 numbers" in capsys.readouterr().err
