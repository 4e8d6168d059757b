"""Evaluating classifiers: accuracies beside their baselines, and the figures that explain them.

- numbers: :func:`accuracy`, :func:`majority_class_accuracy`, :func:`gap_in_points`
  and :func:`comparison_table` (every model beside the best, or a reference, in
  percentage points);
- figures: :func:`plot_learning_curves` (training and validation curves per
  epoch), :func:`plot_confusion_matrix` and :func:`plot_misclassified_images`;
- explanations: :func:`top_weighted_ngrams` lists the n-grams a linear text
  model weighs most heavily for each class.

All figures use the book's house style (:mod:`dlbigdata.plotting`) and return
the matplotlib objects they drew on, so a chapter can add to them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from dlbigdata.plotting import finish

__all__ = [
    "accuracy",
    "comparison_table",
    "gap_in_points",
    "majority_class_accuracy",
    "plot_confusion_matrix",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_misclassified_images",
    "top_weighted_ngrams",
]


def _paired_labels(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return both label arrays as 1-D arrays of the same, non-zero length, or raise."""
    truth, predicted = np.asarray(y_true), np.asarray(y_pred)
    if truth.ndim != 1 or predicted.ndim != 1:
        raise ValueError(
            f"labels must be one-dimensional, got shapes {truth.shape} and {predicted.shape}"
        )
    if len(truth) != len(predicted):
        raise ValueError(f"y_true has {len(truth)} labels but y_pred has {len(predicted)}")
    if len(truth) == 0:
        raise ValueError("no labels given: y_true and y_pred are empty")
    return truth, predicted


def _share(name: str, value: object) -> float:
    """Return ``value`` as a float in [0, 1] (an accuracy), or raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.number))
        or not 0.0 <= float(value) <= 1.0
    ):
        raise ValueError(f"{name} must be an accuracy between 0 and 1, got {value!r}")
    return float(value)


def accuracy(y_true: Sequence[Any], y_pred: Sequence[Any]) -> float:
    """Share of predictions equal to the true labels.

    Parameters
    ----------
    y_true, y_pred : array_like
        True and predicted labels, one-dimensional, same length.

    Returns
    -------
    float
        Accuracy in [0, 1].

    Raises
    ------
    ValueError
        If the arrays are not one-dimensional, differ in length, or are empty.
    """
    truth, predicted = _paired_labels(y_true, y_pred)
    return float(np.mean(truth == predicted))


def majority_class_accuracy(y_train: Sequence[Any], y_test: Sequence[Any]) -> float:
    """Test accuracy of always predicting the most frequent class of the training labels.

    Parameters
    ----------
    y_train, y_test : array_like
        Training and test labels (one-dimensional, not empty).

    Returns
    -------
    float
        The accuracy any useful classifier must beat.

    Raises
    ------
    ValueError
        If either array is empty or not one-dimensional.
    """
    train, test = np.asarray(y_train), np.asarray(y_test)
    if train.ndim != 1 or test.ndim != 1 or len(train) == 0 or len(test) == 0:
        raise ValueError(
            f"y_train and y_test must be non-empty 1-D arrays, got shapes "
            f"{train.shape} and {test.shape}"
        )
    values, counts = np.unique(train, return_counts=True)
    return float(np.mean(test == values[counts.argmax()]))


def gap_in_points(model_accuracy: float, baseline_accuracy: float) -> float:
    """How far a model's accuracy lies above (positive) or below its baseline, in points.

    Parameters
    ----------
    model_accuracy, baseline_accuracy : float
        Accuracies in [0, 1].

    Returns
    -------
    float
        ``100 * (model_accuracy - baseline_accuracy)``, in percentage points.

    Raises
    ------
    ValueError
        If an accuracy lies outside [0, 1].
    """
    return 100.0 * (
        _share("model_accuracy", model_accuracy) - _share("baseline_accuracy", baseline_accuracy)
    )


def comparison_table(
    accuracies: Mapping[str, float], reference: str | None = None
) -> pd.DataFrame:
    """Models side by side: accuracy in percent, and the gap to a reference in points.

    Parameters
    ----------
    accuracies : mapping of str to float
        Test accuracy (in [0, 1]) of each model, on the same test set.
    reference : str, optional
        The model the others are compared with; by default the most accurate one.

    Returns
    -------
    pandas.DataFrame
        Indexed by model, sorted from most to least accurate, with columns
        ``accuracy (%)`` and ``points vs <reference>``.

    Raises
    ------
    ValueError
        If ``accuracies`` is empty, an accuracy lies outside [0, 1], or ``reference``
        is not one of the models.
    """
    if not accuracies:
        raise ValueError("accuracies is empty: give at least one model")
    shares = {
        str(name): _share(f"accuracy of {name!r}", value) for name, value in accuracies.items()
    }
    if reference is None:
        reference = max(shares, key=shares.get)
    if reference not in shares:
        raise ValueError(f"reference {reference!r} is not one of the models {sorted(shares)}")
    table = pd.DataFrame({"accuracy (%)": {name: 100 * value for name, value in shares.items()}})
    table[f"points vs {reference}"] = table["accuracy (%)"] - 100 * shares[reference]
    table.index.name = "model"
    return table.sort_values("accuracy (%)", ascending=False, kind="stable").round(2)


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
    ValueError
        If ``histories`` is empty or a history lacks the metric or its validation column.
    """
    if not histories:
        raise ValueError("histories is empty: give at least one model's history")
    for name, history in histories.items():
        missing = [column for column in (metric, f"val_{metric}") if column not in history]
        if missing:
            raise ValueError(
                f"history of {name!r} lacks column(s) {missing}; it has {list(history.columns)}"
            )
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
        True and predicted labels.
    labels : sequence, optional
        Classes in display order; by default the sorted union of both arrays.
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
    ValueError
        If the label arrays do not pair up, or a label is missing from ``labels``.
    """
    from sklearn.metrics import confusion_matrix

    truth, predicted = _paired_labels(y_true, y_pred)
    classes = list(np.union1d(truth, predicted)) if labels is None else list(labels)
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
    return array


def _check_positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


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
    ValueError
        If ``images`` has the wrong shape or is empty, ``titles`` has another length, or
        ``columns`` is not a positive int.
    """
    array = _grayscale_batch(images)
    if len(array) == 0:
        raise ValueError("images is empty: give at least one image")
    labels = [""] * len(array) if titles is None else [str(text) for text in titles]
    if len(labels) != len(array):
        raise ValueError(f"got {len(labels)} titles for {len(array)} images")
    width = min(_check_positive_int("columns", columns), len(array))
    rows = int(np.ceil(len(array) / width))
    height = 1.45 * rows + (0.4 if title else 0.0)
    fig, axes = plt.subplots(
        rows, width, figsize=(1.2 * width, height), squeeze=False, layout="constrained"
    )
    for ax in axes.ravel():
        ax.axis("off")
    for ax, image, label in zip(axes.ravel(), array, labels):
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
    ValueError
        If the shapes do not match, or ``max_images`` or ``columns`` is not a positive int.
    """
    truth, predicted = _paired_labels(y_true, y_pred)
    array = _grayscale_batch(images, expected_count=len(truth))
    _check_positive_int("max_images", max_images)
    _check_positive_int("columns", columns)
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


def top_weighted_ngrams(
    pipeline: Any, n: int = 15, class_names: Sequence[str] = ("class 0", "class 1")
) -> pd.DataFrame:
    """The n-grams with the largest weights for each class in a fitted linear text model.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Fitted; its first step turns texts into features and has ``get_feature_names_out``
        (a ``TfidfVectorizer`` or a ``FeatureUnion`` of them), its last step is a binary
        linear classifier with ``coef_`` of shape ``(1, n_features)``.
    n : int
        How many n-grams per class.
    class_names : sequence of two str
        Names of class 0 (negative weights) and class 1 (positive weights).

    Returns
    -------
    pandas.DataFrame
        ``2 * n`` rows with columns ``class`` (which class the n-gram points to), ``ngram``
        and ``weight``; the strongest first within each class.

    Raises
    ------
    TypeError
        If ``pipeline`` is not a fitted pipeline of that form.
    ValueError
        If ``n`` is not a positive int, the classifier is not binary, ``class_names`` is not
        two names, or there are fewer than ``n`` features.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n <= 0:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if isinstance(class_names, str) or len(class_names) != 2:
        raise ValueError(f"class_names must be two names, got {class_names!r}")
    steps = getattr(pipeline, "steps", None)
    if not steps or not hasattr(steps[0][1], "get_feature_names_out"):
        raise TypeError(
            f"expected a scikit-learn Pipeline whose first step has get_feature_names_out, "
            f"got {type(pipeline).__name__}"
        )
    classifier = steps[-1][1]
    if not hasattr(classifier, "coef_"):
        raise TypeError(
            f"the last step ({type(classifier).__name__}) has no coef_: fit the pipeline "
            "first, with a linear classifier"
        )
    coefficients = np.asarray(classifier.coef_)
    if coefficients.ndim != 2 or coefficients.shape[0] != 1:
        raise ValueError(
            f"expected a binary classifier with coef_ of shape (1, features), got {coefficients.shape}"
        )
    names = np.asarray(steps[0][1].get_feature_names_out(), dtype=object)
    weights = coefficients[0]
    if len(names) != len(weights):
        raise ValueError(f"{len(names)} feature names for {len(weights)} weights")
    if len(weights) < n:
        raise ValueError(f"n={n} but the model has only {len(weights)} features")
    order = np.argsort(weights, kind="stable")
    negative, positive = order[:n], order[::-1][:n]
    rows = [(class_names[0], names[i], weights[i]) for i in negative] + [
        (class_names[1], names[i], weights[i]) for i in positive
    ]
    return pd.DataFrame(rows, columns=["class", "ngram", "weight"])
