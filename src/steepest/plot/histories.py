"""``history``: training and validation curves of a ``fit`` run, the kept epoch marked."""

from __future__ import annotations

from ..train import FitResult
from ._axes import Axes, axes_or_new

__all__ = ["history"]


def _metric(result: FitResult, metric: str | None) -> str | None:
    h = result.history
    if metric is not None:
        if metric not in h:
            raise ValueError(f"metric {metric!r} is not in the history; recorded keys: "
                             f"{sorted(h.keys())}")
        return metric
    if result.monitor not in ("loss", "val_loss") and result.monitor in h:
        return result.monitor
    return next((k for k in h.keys() if k.startswith("val_") and k != "val_loss"), None)


def history(fit_result: FitResult, *, metric: str | None = None, log: bool = True,
            title: str | None = None, ylabels: tuple[str, str] | None = None,
            ax: Axes | None = None) -> Axes:
    """Training and validation loss per epoch, a metric on a second axis, the kept epoch.

    The losses (``loss``, ``val_loss``) go on the left axis (log scale by default); a metric
    such as the validation error (``val_error``) goes on a twin right axis. A dashed vertical
    line marks ``best_epoch``, whose parameters early stopping hands back, annotated at the
    monitored value.

    Args:
        fit_result: the :class:`~steepest.train.FitResult` of :func:`steepest.train.fit`.
        metric: the history key drawn on the right axis (default: the monitored key when it is
            not a loss, else the first ``val_*`` metric; none when there is no such key).
        log: log scale for the losses.
        title: the Axes title.
        ylabels: the labels of the loss axis and of the metric axis (default: ``"loss"`` and
            the metric's key).
        ax: the Axes to draw into; a new figure when ``None``. The twin axis is
            ``ax.figure.axes[-1]`` when a metric is drawn.

    Returns:
        The Axes of the losses.

    Raises:
        TypeError: ``fit_result`` is not a FitResult.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2, Figure 4.4.

    Example:
        >>> import numpy as np
        >>> from steepest.train import fit
        >>> from steepest.optimizers import sgd
        >>> X = np.arange(8.0).reshape(4, 2); y = X @ np.array([1.0, -1.0])
        >>> res = fit(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), np.zeros(2), (X, y),
        ...           sgd(0.01), epochs=3, batch_size=4, progress=False)
        >>> ax = history(res)
        >>> [line.get_label() for line in ax.get_lines()][:1], ax.get_yscale()
        (['training loss'], 'log')
    """
    if not isinstance(fit_result, FitResult):
        raise TypeError(f"history draws a FitResult (what steepest.train.fit returns), got "
                        f"{type(fit_result).__name__}")
    h, best = fit_result.history, fit_result.best_epoch
    ax = axes_or_new(ax, figsize=(7.0, 3.8))
    ax.plot(h["epoch"], h["loss"], color="C0", label="training loss")
    if "val_loss" in h:
        ax.plot(h["epoch"], h["val_loss"], color="C0", ls=":", label="validation loss")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabels[0] if ylabels else "loss", color="C0")
    lines, mark_ax = list(ax.get_lines()), ax
    key = _metric(fit_result, metric)
    if key is not None:
        twin = ax.twinx()
        name = key.replace("val_", "validation ").replace("_", " ")
        twin.plot(h["epoch"], h[key], color="C1", label=name)
        twin.set_ylabel(ylabels[1] if ylabels else key.replace("_", " "), color="C1")
        lines += twin.get_lines()
        mark_ax = twin if key == fit_result.monitor else ax
    ax.legend(lines, [line.get_label() for line in lines], loc="upper center")
    if best > 0:
        ax.axvline(best, color="k", ls="--", lw=1)
        if fit_result.monitor in (key, "loss", "val_loss"):
            mark_ax.annotate(f"epoch {best} kept", (best, fit_result.best_value),
                             xytext=(8, 20), textcoords="offset points",
                             arrowprops={"arrowstyle": "->"})
    if title:
        ax.set_title(title)
    return ax
