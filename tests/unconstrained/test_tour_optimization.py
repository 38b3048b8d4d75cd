"""The Optimization tour section runs and reproduces the seed's numbers."""

from steepest.tour import run_tour


def test_optimization_section(tmp_path):
    import io

    out = run_tour(["steepest.tour.optimization"], tmp_path, stream=io.StringIO())
    assert out[0].ok, out[0].error
    report = (tmp_path / "report.md").read_text()
    assert "5.2500, 3.5956, 3.0683, 3.0011" in report
    assert "+1, -1, +1, -1" in report
    assert len(list(tmp_path.glob("optimization-*.png"))) == 5
    assert "| wolfe | 1.072 |" in report  # the Wolfe search of Figure 4.8 b
