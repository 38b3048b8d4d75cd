"""``steepest minimize``: JSON output, the summary, --plot, and bad input (exit 2, one line)."""

import json

import numpy as np
import pytest

from steepest.cli import main

from ._run import cli, problem_file


def test_json_result_is_the_minimum_and_parses(tmp_path):
    problem_file(tmp_path)
    rc, out, err = cli("minimize", "prob.py:rosen", "--x0", "-1.2,1", "--json", cwd=tmp_path)
    assert rc == 0 and err == ""
    doc = json.loads(out)
    assert doc["success"] and doc["status"] == "SUCCESS" and doc["method"] == "bfgs"
    assert np.allclose(doc["x"], [1.0, 1.0], atol=1e-6)
    assert doc["certificate"]["kind"] == "minimum"
    f0 = (1 + 1.2) ** 2 + 100 * (1 - 1.2 ** 2) ** 2
    assert len(doc["trace"]["f"]) == doc["nit"] + 1 and doc["trace"]["f"][0] == pytest.approx(f0)


def test_disp_lines_go_to_stderr_when_stdout_holds_json(tmp_path, capsys):
    path = problem_file(tmp_path)
    assert main(["minimize", f"{path}:rosen", "--x0", "-1.2,1", "--json", "--options",
                 "disp=10"]) == 0
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert err.split()[:3] == ["iter", "f(x)", "|g|"] and f"nit = {doc['nit']}" in err


def test_summary_plot_and_options_in_process(tmp_path, capsys):
    path = problem_file(tmp_path)
    png = tmp_path / "run.png"
    rc = main(["minimize", f"{path}:rosen", "--x0", "-1.2 1", "--method", "lbfgs",
               "--options", "maxiter=5", "--plot", str(png)])
    out, err = capsys.readouterr()
    assert rc == 1 and out.startswith("OptimizeResult (lbfgs): MAX_ITER")
    assert "nit 5," in out and f"figure: {png}" in out
    assert err.strip() == ("steepest: rosen was not minimized: MAX_ITER: Stopped: maximum "
                           "number of iterations (maxiter) reached.")
    assert png.stat().st_size > 10_000 and png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args, message", [
    (["nofile.py:rosen", "--x0", "1,2"], "no such file: 'nofile.py'"),
    (["{p}:nothere", "--x0", "1,2"], "has no function 'nothere'; functions defined there: "
                                     "broken, late, rosen, saddle"),
    (["{p}", "--x0", "1,2"], "expected FILE.py:FUNC"),
    (["{p}:rosen", "--x0", "1"], "raised IndexError: index 1 is out of bounds"),
    (["{p}:rosen", "--x0", "1,a"], "--x0 '1,a' is not a list of numbers; pass e.g."),
    (["{p}:broken", "--x0", "1,2"], "broken(x0) raised ZeroDivisionError: division by zero;"),
    (["{p}:late", "--x0", "1"], "late raised RuntimeError during minimize: left the domain"),
    (["{p}:rosen", "--x0", "1,2", "--options", "nope=1"], "unknown option 'nope'"),
    (["{p}:rosen", "--x0", "1,2", "--options", "gtol"], "--options expects key=value"),
])
def test_bad_input_is_one_line_exit_2(tmp_path, capsys, args, message):
    path = problem_file(tmp_path)
    rc = main(["minimize", *(a.format(p=path) for a in args)])
    out, err = capsys.readouterr()
    assert rc == 2 and out == "" and message in err and err.count("\n") == 1
    assert err.startswith("steepest minimize: ")


def test_subprocess_failure_has_no_traceback_unless_debug(tmp_path):
    problem_file(tmp_path)
    rc, out, err = cli("minimize", "prob.py:broken", "--x0", "1,2", cwd=tmp_path)
    assert rc == 2 and "Traceback" not in err and err.count("\n") == 1
    rc, _, err = cli("minimize", "prob.py:broken", "--x0", "1,2", "--debug", cwd=tmp_path)
    assert rc == 2 and "Traceback" in err and "ZeroDivisionError" in err


def test_plot_without_matplotlib_names_the_extra(tmp_path):
    problem_file(tmp_path)
    rc, out, err = cli("minimize", "prob.py:rosen", "--x0", "1,2", "--plot", "x.png",
                       cwd=tmp_path, prelude="sys.modules['matplotlib'] = None")
    assert rc == 2 and out == "" and not (tmp_path / "x.png").exists()
    assert err.strip() == ("steepest minimize: --plot needs matplotlib, which is not installed; "
                           "install it with `pip install steepest[plot]`")
