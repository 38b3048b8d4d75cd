"""``steepest check``: the gradient check and the kind of point x0 is."""

import json

import numpy as np

from steepest.cli import main

from ._run import cli, problem_file


def test_check_json_classifies_a_saddle_and_passes_the_gradient_check(tmp_path):
    problem_file(tmp_path)
    rc, out, err = cli("check", "prob.py:saddle", "--x0", "0,0", "--json", cwd=tmp_path)
    doc = json.loads(out)
    assert rc == 0 and err == "" and doc["gradient_check"]["passed"]
    assert doc["critical_point"]["kind"] == "saddle"
    assert np.allclose(sorted(doc["critical_point"]["eigenvalues"]), [-2.0, 2.0])
    assert doc["grad"] == [0.0, 0.0] and doc["f"] == 0.0


def test_check_text_at_a_non_critical_point(tmp_path, capsys):
    path = problem_file(tmp_path)
    assert main(["check", f"{path}:rosen", "--x0", "-1.2,1"]) == 0
    out = capsys.readouterr().out
    grad = [-215.6, -88.0]  # ∇ of Rosenbrock at (-1.2, 1)
    assert "gradient check  passed" in out and "x0 is           not_critical" in out
    assert np.array2string(np.array(grad), precision=6) in out
