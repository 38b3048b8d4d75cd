"""steepest._progress: minimize's disp lines and bar, fit's bar, and when they speak."""

import io

import numpy as np
import pytest

from steepest import minimize
from steepest._progress import IterationBar, IterationLog, ProgressBar, progress_mode
from steepest.optimizers import sgd
from steepest.problems import rosenbrock
from steepest.train import fit


class _Tty(io.StringIO):
    def isatty(self):
        return True


def _rosen(**options):
    p = rosenbrock()
    return minimize(p.fun, p.x0, jac=p.grad, options=options)


def test_disp_prints_every_kth_iteration_of_the_trace_and_the_message(capsys):
    res = _rosen(disp=5)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["iter", "f(x)", "|g|", "step", "nfev", "njev"]
    rows = [ln.split() for ln in lines[1:-2]]
    its = [int(r[0]) for r in rows]
    assert its == [*range(0, res.nit + 1, 5), *([res.nit] if res.nit % 5 else [])]
    for r in rows:  # the printed f and |g| are the trace's
        k = int(r[0])
        assert float(r[1]) == pytest.approx(res.trace.f[k], rel=1e-5)
        assert float(r[2]) == pytest.approx(res.trace.gnorm[k], rel=1e-3)
    assert int(rows[-1][4]) == res.nfev and lines[-2] == res.message


def test_nothing_is_printed_off_a_terminal_unless_asked(capsys):
    _rosen()
    _rosen(disp=False)
    fit(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), np.zeros(2),
        (np.ones((4, 2)), np.ones(4)), sgd(0.1), epochs=2, batch_size=2)
    assert capsys.readouterr().out == ""


def test_plain_bar_redraws_on_a_terminal_and_writes_lines_off_it():
    tty, log = _Tty(), io.StringIO()
    for stream in (tty, log):
        bar = IterationBar(50, None if stream is tty else True, stream, interval=0.0)
        for k in range(1, 4):
            bar.row(k, 1.0 / k, 0.1 / k, 1.0, k + 1, k + 1)
        bar.close("done", 3)
    assert tty.getvalue().count("\riter ") == 4 and "iter 3/50  f 0.333333" in tty.getvalue()
    assert log.getvalue().splitlines()[-1].endswith("nfev 4  done") and "\r" not in log.getvalue()
    silent = io.StringIO()
    IterationBar(50, None, silent).row(1, 1.0, 1.0, 1.0, 1, 1)
    assert silent.getvalue() == ""


def test_tqdm_bars_count_iterations_and_batches():
    out = io.StringIO()
    bar = IterationBar(None, "tqdm", out)
    for k in range(1, 8):
        bar.row(k, 2.0 ** -k, 1.0, 1.0, k, k)
    bar.close("done", 7)
    assert "7it" in out.getvalue() and "f=0.0078125" in out.getvalue()
    out = io.StringIO()
    X = np.ones((8, 2))
    fit(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), np.zeros(2), (X, np.ones(8)), sgd(0.1),
        epochs=3, batch_size=2, progress="tqdm", stream=out)
    text = out.getvalue()
    assert "12/12" in text and "epoch 3/3" in text and "loss=" in text


def test_mode_rule_and_bad_values():
    assert progress_mode(None, _Tty()) == "plain" and progress_mode(None, io.StringIO()) == "off"
    assert progress_mode(True, io.StringIO()) == "plain" and progress_mode("tqdm") == "tqdm"
    with pytest.raises(ValueError, match="progress must be one of"):
        progress_mode("fancy")
    with pytest.raises(TypeError, match="progress must be None, True"):
        ProgressBar(1, 1, enabled=1.0)
    with pytest.raises(TypeError, match=r"options\['disp'\] must be a bool or an int"):
        _rosen(disp="yes")
    with pytest.raises(ValueError, match="progress must be one of"):
        _rosen(progress="fancy")


def test_log_prints_the_last_row_once():
    out = io.StringIO()
    log = IterationLog(1, out)
    log.row(0, 1.0, 1.0, 0.0, 1, 1)
    log.close("stop", 0)
    assert out.getvalue().splitlines()[1:] == [
        "      0   1.00000e+00   1.000e+00   0.000e+00       1       1", "stop"]


def test_constrained_disp_lines_are_the_trace_rows(capsys):
    from steepest.constrained import Box, Eq, minimize_constrained

    circle = [Eq(lambda x: 0.5 * x @ x - 16)]
    for method, second in (("sqp", "step"), ("augmented-lagrangian", "violation")):
        res = minimize_constrained(lambda x: x[0] + x[1], np.array([1.0, -2.0]), method=method,
                                   constraints=circle, options={"disp": 1})
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].split() == ["iter", "f(x)", "kkt", second, "nfev", "njev"]
        rows = [ln.split() for ln in lines[1:-2]]
        assert [int(r[0]) for r in rows] == [t["nit"] for t in res.trace][:len(rows)]
        for r, t in zip(rows, res.trace):
            assert float(r[1]) == pytest.approx(t["f"], rel=1e-5)
            assert float(r[2]) == pytest.approx(t["kkt"], rel=1e-3)
            assert float(r[3]) == pytest.approx(t[second], rel=1e-3)
        assert lines[-2] == res.message and res.success
    # projected gradient prints its rows too: f and the gradient mapping |G| per iteration
    res = minimize_constrained(lambda x: x @ x, np.ones(2), constraints=Box(0, 1),
                               options={"disp": 1})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["iter", "f(x)", "|G|"] and float(lines[1].split()[1]) == 2.0
    assert res.success and any(res.message in ln for ln in lines)
