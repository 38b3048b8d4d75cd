"""``steepest bench``: list and run benchmark scripts by name (on a tiny folder of our own)."""

import json

from steepest.cli import main


def _folder(tmp_path):
    (tmp_path / "tiny.py").write_text('"""A tiny table."""\nprint("case  ratio")\n'
                                      'print("a     1.00")\n')
    (tmp_path / "fails.py").write_text('"""Exits 3."""\nraise SystemExit(3)\n')
    (tmp_path / "_helper.py").write_text("")
    return tmp_path


def test_list_and_run_by_name(tmp_path, capsys):
    folder = _folder(tmp_path)
    assert main(["bench", "--list", "--dir", str(folder), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["benchmarks"]
    assert listed == [{"name": "fails", "about": "Exits 3."},
                      {"name": "tiny", "about": "A tiny table."}]
    assert main(["bench", "tiny", "--dir", str(folder), "--json"]) == 0
    (run,) = json.loads(capsys.readouterr().out)["benchmarks"]
    assert run["name"] == "tiny" and run["returncode"] == 0
    assert run["output"].splitlines() == ["case  ratio", "a     1.00"]


def test_failures_and_unknown_names(tmp_path, capsys):
    folder = _folder(tmp_path)
    assert main(["bench", "fails", "--dir", str(folder), "--json"]) == 1
    assert "benchmark(s) failed: fails" in capsys.readouterr().err
    assert main(["bench", "nope", "--dir", str(folder)]) == 2
    assert "unknown benchmark(s) nope; choose from fails, tiny" in capsys.readouterr().err
    assert main(["bench", "--dir", str(tmp_path / "missing")]) == 2
    assert "is not a folder" in capsys.readouterr().err
