import subprocess
import sys

from steepest.cli import main
from steepest.tour import SECTIONS


def test_tour_writes_report_with_every_section(tmp_path):
    assert main(["tour", "--out", str(tmp_path)]) == 0
    report = (tmp_path / "report.md").read_text()
    import importlib

    for name in SECTIONS:
        assert "## " + importlib.import_module(name).TITLE in report
    # every figure referenced by the report exists beside it
    import re

    for png in re.findall(r"\]\(([^)]+\.png)\)", report):
        assert (tmp_path / png).stat().st_size > 1000


def test_console_entry_point_version():
    out = subprocess.run([sys.executable, "-m", "steepest.cli", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("steepest ")


def test_tour_list_json_names_every_section(capsys):
    import json

    assert main(["tour", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["sections"]
    assert [s["name"] for s in listed] == [n.rsplit(".", 1)[-1] for n in SECTIONS]
