import numpy as np

from steepest import Status
from steepest.tour import learning

from ._section import run_section


def test_learning_section_marks_the_epoch_early_stopping_keeps(tmp_path, monkeypatch):
    monkeypatch.setattr(learning, "N_TRAIN", 150)
    monkeypatch.setattr(learning, "N_VAL", 150)
    monkeypatch.setattr(learning, "EPOCHS", 25)
    monkeypatch.setattr(learning, "PATIENCE", 5)
    result, net, info = learning._train()
    err = result.history["val_error"]
    assert result.best_epoch == int(np.argmin(err)) + 1
    assert result.status is Status.EARLY_STOPPED or result.epochs == 25
    if result.status is Status.EARLY_STOPPED:
        assert result.epochs == result.best_epoch + 5
    assert net.error_rate(result.params, info["val"]) == err[result.best_epoch - 1]
    ctx, _ = run_section(learning, tmp_path)
    assert learning.TITLE == "Learning"
    assert ctx.figures and ctx.figures[0].exists()
    assert any("← kept" in block for block in ctx.blocks)
    assert ctx.summaries and "early stopping kept epoch" in ctx.summaries[0]
