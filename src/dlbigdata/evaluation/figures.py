"""Figures: learning curves, a confusion matrix, grids of (misclassified) images.

All figures use the book's house style (:mod:`dlbigdata.plotting`) and return the
matplotlib objects they drew on, so a chapter can add to them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from dlbigdata._validation import (
    describe,
    require_frame,
    require_int,
    require_labels,
    require_names,
    require_numeric_array,
    require_numeric_column,
    require_paired_labels,
    require_string,
    require_type,
)
from dlbigdata.plotting import finish

__all__ = [
    "plot_confusion_matrix",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_misclassified_images",
]


def _check_histories(histories: Any, metric: str) -> None:
    """Refuse histories that cannot be drawn: no model, a missing or non-numeric curve."""
    require_type("histories", histories, Mapping, "a mapping of model names to histories")
    if not histories:
        raise ValueError("histories is empty: give at least one model's history")
    require_names("the model names of histories", list(histories))
    for name, history in histories.items():
        require_frame(f"history of {name!r}", history)
        missing = [column for column in (metric, f"val_{metric}") if column not in history]
        if missing:
            raise ValueError(
                f"history of {name!r} lacks column(s) {missing}; it has {list(history.columns)}"
            )
        require_numeric_column(f"history of {name!r}", history, metric)
        validation = require_numeric_column(f"history of {name!r}", history, f"val_{metric}")
        if not np.isfinite(validation.to_numpy(dtype=float)).any():
            raise ValueError(
                f"history of {name!r} has no finite val_{metric}: there is no best epoch to mark"
            )


def plot_learning_curves(
    histories: Mapping[str, pd.DataFrame], metric: str = "loss", ax: plt.Axes | None = None
) -> plt.Axes:
    """Training (solid) and validation (dashed) curves of one metric, per model and epoch.

    Parameters
    ----------
    histories : mapping of str to pandas.DataFrame
        For each model, its per-epoch history (``TrainingRun.history``): columns
        ``metric`` and ``"val_" + metric``, indexed by epoch.
    metric : str
        ``"loss"``, ``"accuracy"`` or another column of the histories.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, titled and labelled; the best validation epoch of each model is marked.

    Raises
    ------
    TypeError
        If ``histories`` is not a mapping of names to DataFrames, ``metric`` is not a
        string, a curve is not numeric, or ``ax`` is not an Axes.
    ValueError
        If ``histories`` is empty, or a history lacks the metric or its validation column,
        or has no finite validation value to mark.

    Used in chapters 10 and 11.
    """
    _check_histories(histories, require_string("metric", metric))
    if ax is not None:
        require_type("ax", ax, plt.Axes, "a matplotlib Axes")
    if ax is None:
        _, ax = plt.subplots()
    for index, (name, history) in enumerate(histories.items()):
        color = f"C{index}"
        ax.plot(history.index, history[metric], color=color, label=f"{name}, training")
        ax.plot(
            history.index,
            history[f"val_{metric}"],
            color=color,
            linestyle="--",
            label=f"{name}, validation",
        )
        validation = history[f"val_{metric}"]
        best = validation.idxmin() if "loss" in metric else validation.idxmax()
        ax.plot([best], [validation[best]], marker="o", color=color)
    ax.legend(title="dot: best validation epoch", title_fontsize="small")
    return finish(ax, f"{metric.capitalize()} per epoch", "epoch", metric)


def _classes(labels: Any) -> list[Any]:
    """The classes a confusion matrix shows, in order: a sequence, not empty, no repeats."""
    if isinstance(labels, (str, bytes)):
        raise TypeError(
            f"labels must be a list of classes, got the single string {labels!r}; "
            f"write [{labels!r}] for one class"
        )
    classes = list(require_labels("labels", labels))
    if not classes:
        raise ValueError("labels must list at least one class, got an empty sequence")
    repeated = sorted({str(c) for c in classes if classes.count(c) > 1})
    if repeated:
        raise ValueError(f"labels must list each class once, got {repeated} more than once")
    return classes


def plot_confusion_matrix(
    y_true: Sequence[Any],
    y_pred: Sequence[Any],
    labels: Sequence[Any] | None = None,
    title: str = "Confusion matrix",
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Counts of each (true, predicted) pair as an annotated heat map.

    Parameters
    ----------
    y_true, y_pred : array_like
        True and predicted labels (paired as in :func:`accuracy`).
    labels : sequence, optional
        Classes in display order, each once; by default the sorted union of both arrays.
    title : str
        What the figure shows.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        Rows are true classes, columns predicted classes; the diagonal holds the correct ones.

    Raises
    ------
    TypeError
        As :func:`accuracy`; also if ``labels`` is a single string, ``title`` not a
        string or ``ax`` not an Axes.
    ValueError
        As :func:`accuracy`; also if ``labels`` is empty, repeats a class, or lacks a
        label of the data.

    Used in chapter 10.
    """
    from sklearn.metrics import confusion_matrix

    truth, predicted = require_paired_labels(y_true, y_pred)
    require_string("title", title, allow_empty=True)
    if ax is not None:
        require_type("ax", ax, plt.Axes, "a matplotlib Axes")
    classes = list(np.union1d(truth, predicted)) if labels is None else _classes(labels)
    unknown = sorted(set(np.union1d(truth, predicted).tolist()) - set(classes))
    if unknown:
        raise ValueError(f"labels {unknown} occur in the data but not in labels={classes}")
    counts = confusion_matrix(truth, predicted, labels=classes)
    if ax is None:
        size = max(4.0, 0.5 * len(classes) + 2)
        _, ax = plt.subplots(figsize=(size, size * 0.85))
    ax.imshow(counts, cmap="Blues")
    ax.grid(False)
    ticks = np.arange(len(classes))
    ax.set_xticks(ticks, [str(c) for c in classes])
    ax.set_yticks(ticks, [str(c) for c in classes])
    threshold = counts.max() / 2
    for row in range(len(classes)):
        for column in range(len(classes)):
            if counts[row, column]:
                ax.text(
                    column,
                    row,
                    str(counts[row, column]),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if counts[row, column] > threshold else "black",
                )
    return finish(ax, title, "predicted class", "true class")


def _grayscale_batch(images: Any, expected_count: int | None = None) -> np.ndarray:
    """``images`` as an ``(n, height, width)`` array; a trailing channel of 1 is dropped."""
    array = np.asarray(images)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3 or (expected_count is not None and len(array) != expected_count):
        count = f" with n = {expected_count}" if expected_count is not None else ""
        raise ValueError(
            f"images must have shape (n, height, width[, 1]){count}, "
            f"got {np.asarray(images).shape}"
        )
    return require_numeric_array("images", array, accepted="hold numbers", allow_bool=True)


def _titles(titles: Any, count: int) -> list[str]:
    """One title per image (empty strings when ``titles`` is None); a single string refused."""
    if titles is None:
        return [""] * count
    if isinstance(titles, (str, bytes)):
        raise TypeError(
            f"titles must be a list with one title per image, got the single string "
            f"{describe(titles)}; use title= for the title of the whole figure"
        )
    if not hasattr(titles, "__len__") or not hasattr(titles, "__iter__"):
        raise TypeError(f"titles must be a list of strings, got {type(titles).__name__}")
    if len(titles) != count:
        raise ValueError(f"got {len(titles)} titles for {count} images")
    return [str(text) for text in titles]


def plot_image_grid(
    images: np.ndarray,
    titles: Sequence[str] | None = None,
    columns: int = 10,
    title: str | None = None,
) -> plt.Figure:
    """Grayscale images in a grid, row by row, each with an optional title; axes hidden.

    Parameters
    ----------
    images : numpy.ndarray
        Shape ``(n, height, width)`` or ``(n, height, width, 1)``, with ``n >= 1``; dark
        is large (``gray_r``), as ink on paper.
    titles : sequence of str, optional
        One title per image (an empty string for none).
    columns : int
        Images per row; the last row may be shorter.
    title : str, optional
        Title of the whole figure.

    Returns
    -------
    matplotlib.figure.Figure
        The grid, about 1.2 inches per image.

    Raises
    ------
    TypeError
        If ``images`` is not numeric, ``titles`` is a single string, ``columns`` is not
        an integer, or ``title`` not a string.
    ValueError
        If ``images`` has the wrong shape or is empty, ``titles`` has another length, or
        ``columns`` is below 1.

    Used in chapter 10.
    """
    array = _grayscale_batch(images)
    if len(array) == 0:
        raise ValueError("images is empty: give at least one image")
    labels = _titles(titles, len(array))
    width = min(require_int("columns", columns, minimum=1), len(array))
    if title is not None:
        require_string("title", title, allow_empty=True)
    rows = int(np.ceil(len(array) / width))
    height = 1.45 * rows + (0.4 if title else 0.0)
    fig, axes = plt.subplots(
        rows, width, figsize=(1.2 * width, height), squeeze=False, layout="constrained"
    )
    for ax in axes.ravel():
        ax.axis("off")
    for ax, image, label in zip(axes.ravel(), array, labels, strict=False):
        ax.imshow(image, cmap="gray_r")
        if label:
            ax.set_title(label, fontsize=10, fontweight="normal")
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def plot_misclassified_images(
    images: np.ndarray,
    y_true: Sequence[Any],
    y_pred: Sequence[Any],
    max_images: int = 20,
    columns: int = 10,
) -> plt.Figure:
    """A grid of the images a classifier got wrong, each titled "true -> predicted".

    Parameters
    ----------
    images : numpy.ndarray
        Shape ``(n, height, width)`` or ``(n, height, width, 1)``.
    y_true, y_pred : array_like
        True and predicted labels, one per image.
    max_images : int
        Show at most this many (the first ones, in data order).
    columns : int
        Images per row.

    Returns
    -------
    matplotlib.figure.Figure
        The grid (see :func:`plot_image_grid`); when nothing is misclassified, a figure
        that says so.

    Raises
    ------
    TypeError
        As :func:`accuracy`; also if ``images`` is not numeric, or ``max_images`` or
        ``columns`` is not an integer.
    ValueError
        As :func:`accuracy`; also if the shapes do not match, or ``max_images`` or
        ``columns`` is below 1.

    Used in chapter 10.
    """
    truth, predicted = require_paired_labels(y_true, y_pred)
    array = _grayscale_batch(images, expected_count=len(truth))
    max_images = require_int("max_images", max_images, minimum=1)
    columns = require_int("columns", columns, minimum=1)
    wrong = np.flatnonzero(truth != predicted)
    shown = wrong[:max_images]
    if len(shown) == 0:
        fig, ax = plt.subplots(figsize=(4, 1.5))
        ax.axis("off")
        ax.text(0.5, 0.5, "No misclassified images", ha="center", va="center")
        return fig
    title = f"{len(wrong)} misclassified (true → predicted)" + (
        f", first {len(shown)} shown" if len(wrong) > len(shown) else ""
    )
    return plot_image_grid(
        array[shown], [f"{truth[i]} → {predicted[i]}" for i in shown], columns=columns, title=title
    )
