"""Tests of dlbigdata.evaluation.figures: learning curves, confusion matrix, image grids."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.evaluation import (
    plot_confusion_matrix,
    plot_image_grid,
    plot_learning_curves,
    plot_misclassified_images,
)


def history(values: list[float]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "loss": values,
            "val_loss": [v + 0.1 for v in values[:-2]] + [0.9, 1.0],
            "accuracy": [1 - v for v in values],
            "val_accuracy": [0.5] * len(values),
        }
    )
    frame.index = pd.RangeIndex(1, len(values) + 1, name="epoch")
    return frame


# --------------------------------------------------------------------------- learning curves


def test_plot_learning_curves_draws_two_lines_and_a_marker_per_model():
    ax = plot_learning_curves(
        {"small": history([1.0, 0.5, 0.3, 0.2]), "large": history([0.9, 0.4, 0.2, 0.1])}
    )
    lines = ax.get_lines()
    assert len(lines) == 6
    assert lines[1].get_linestyle() == "--"
    # The best validation loss of "small" is at epoch 2 (0.6), marked by the third line.
    assert_allclose(lines[2].get_xydata(), [[2, 0.6]])
    assert ax.get_title() == "Loss per epoch" and ax.get_xlabel() == "epoch"
    assert ax.get_legend().get_title().get_text() == "dot: best validation epoch"
    accuracy_ax = plot_learning_curves({"small": history([1.0, 0.5, 0.3, 0.2])}, metric="accuracy")
    assert accuracy_ax.get_ylabel() == "accuracy"
    _, given = plt.subplots()
    assert plot_learning_curves({"m": history([1.0, 0.5, 0.3])}, ax=given) is given


def test_plot_learning_curves_marks_the_best_finite_epoch():
    partly_nan = history([1.0, 0.5, 0.3, 0.2]).assign(val_loss=[np.nan, 0.4, 0.7, np.nan])
    ax = plot_learning_curves({"m": partly_nan})
    assert_allclose(ax.get_lines()[2].get_xydata(), [[2, 0.4]])


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("histories", "kwargs", "error", "message"),
    [
        ({}, {}, ValueError, "histories is empty"),
        (
            {"m": history([1.0, 0.5, 0.3]).assign(auc=1.0)},
            {"metric": "auc"},
            ValueError,
            r"history of 'm' lacks column\(s\) \['val_auc'\]",
        ),
        ([history([1.0, 0.5, 0.3])], {}, TypeError, "histories must be a mapping .*got list"),
        ({"m": {"loss": [1.0]}}, {}, TypeError, "history of 'm' must be a pandas DataFrame"),
        ({"m": history([1.0, 0.5, 0.3])}, {"metric": ["loss"]}, TypeError, "metric must be"),
        (
            {"m": history([1.0, 0.5, 0.3]).assign(val_loss="low")},
            {},
            TypeError,
            r"history of 'm'\['val_loss'\] must be numeric",
        ),
        ({"m": history([1.0, 0.5, 0.3])}, {"ax": "left"}, TypeError, "ax must be a matplotlib"),
        ({3: history([1.0, 0.5, 0.3])}, {}, TypeError, "must hold strings only, got int: 3"),
    ],
)
def test_plot_learning_curves_rejects_bad_histories(histories, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_learning_curves(histories, **kwargs)


@pytest.mark.hostile("nan_parameter")
def test_plot_learning_curves_refuses_a_validation_curve_of_nan():
    diverged = history([1.0, 0.5, 0.3]).assign(val_loss=np.nan)
    with pytest.raises(ValueError, match="history of 'm' has no finite val_loss"):
        plot_learning_curves({"m": diverged})


# --------------------------------------------------------------------------- confusion matrix


def test_plot_confusion_matrix_shows_counts():
    ax = plot_confusion_matrix([0, 0, 1, 1, 2], [0, 1, 1, 1, 2], title="Digits")
    image = ax.get_images()[0].get_array()
    assert_allclose(image, [[1, 1, 0], [0, 2, 0], [0, 0, 1]])
    assert sorted(text.get_text() for text in ax.texts) == ["1", "1", "1", "2"]
    assert ax.get_title() == "Digits" and ax.get_ylabel() == "true class"
    ordered = plot_confusion_matrix(["b", "a"], ["b", "b"], labels=["b", "a"])
    assert_allclose(ordered.get_images()[0].get_array(), [[1, 0], [1, 0]])
    with_empty_class = plot_confusion_matrix([0, 1], [0, 1], labels=[0, 1, 2])
    assert with_empty_class.get_images()[0].get_array().shape == (3, 3)


@pytest.mark.hostile("bad_input")
def test_plot_confusion_matrix_rejects_bad_input():
    with pytest.raises(ValueError, match=r"labels \[2\] occur in the data"):
        plot_confusion_matrix([0, 1, 2], [0, 1, 1], labels=[0, 1])
    with pytest.raises(ValueError, match="y_true has 2 labels but y_pred has 1"):
        plot_confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match=r"labels must list each class once, got \['1'\]"):
        plot_confusion_matrix([0, 1], [0, 1], labels=[0, 1, 1])
    with pytest.raises(ValueError, match="labels must list at least one class"):
        plot_confusion_matrix([0, 1], [0, 1], labels=[])
    with pytest.raises(TypeError, match="title must be a string, got int: 3"):
        plot_confusion_matrix([0, 1], [0, 1], title=3)


@pytest.mark.hostile("single_string")
def test_plot_confusion_matrix_refuses_a_string_of_classes():
    with pytest.raises(TypeError, match="labels must be a list of classes, got the single string"):
        plot_confusion_matrix(["a", "b"], ["a", "b"], labels="ab")


@pytest.mark.hostile("label_alignment")
def test_plot_confusion_matrix_refuses_series_with_different_indexes():
    truth = pd.Series([0, 1, 1], index=[10, 11, 12])
    with pytest.raises(ValueError, match="pandas objects with different indexes"):
        plot_confusion_matrix(truth, truth.sort_index(ascending=False))


@pytest.mark.hostile("dropped_rows")
def test_plot_confusion_matrix_refuses_missing_labels():
    with pytest.raises(ValueError, match=r"y_true has 1 missing label\(s\)"):
        plot_confusion_matrix([0.0, np.nan], [0.0, 1.0])


# --------------------------------------------------------------------------- image grids


def test_plot_image_grid_lays_out_rows_and_titles():
    images = np.arange(5 * 4).reshape(5, 2, 2, 1).astype(float)
    fig = plot_image_grid(images, titles=["a", "", "c", "d", "e"], columns=3, title="five")
    assert len(fig.axes) == 6  # two rows of three, the last cell empty
    shown = [ax for ax in fig.axes if ax.get_images()]
    assert len(shown) == 5 and not fig.axes[5].get_images()
    assert [ax.get_title() for ax in shown] == ["a", "", "c", "d", "e"]
    assert_array_equal(shown[1].get_images()[0].get_array(), images[1, :, :, 0])
    assert fig._suptitle.get_text() == "five"
    assert len(plot_image_grid(images[:2], columns=10).axes) == 2  # never wider than the images


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("images", "kwargs", "error", "message"),
    [
        (np.zeros((0, 2, 2)), {}, ValueError, "images is empty"),
        (np.zeros((2, 4)), {}, ValueError, r"must have shape .*got \(2, 4\)"),
        (np.zeros((2, 2, 2)), {"titles": ["only one"]}, ValueError, "got 1 titles for 2 images"),
        (
            np.zeros((2, 2, 2)),
            {"columns": 0},
            ValueError,
            "columns must be an integer >= 1, got 0",
        ),
        (
            np.zeros((2, 2, 2)),
            {"columns": 2.0},
            TypeError,
            "columns must be an integer, got float",
        ),
        (np.full((2, 2, 2), "x"), {}, TypeError, "images must hold numbers, got dtype <U1"),
        (np.zeros((2, 2, 2)), {"titles": 5}, TypeError, "titles must be a list of strings"),
        (np.zeros((2, 2, 2)), {"title": 1}, TypeError, "title must be a string, got int: 1"),
    ],
)
def test_plot_image_grid_rejects_bad_input(images, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_image_grid(images, **kwargs)


@pytest.mark.hostile("single_string")
def test_plot_image_grid_refuses_a_single_string_of_titles():
    # "abc" would title three images "a", "b" and "c".
    with pytest.raises(TypeError, match=r"titles must be a list .*got the single string 'abc'"):
        plot_image_grid(np.zeros((3, 2, 2)), titles="abc")


def test_plot_misclassified_images_shows_only_errors():
    images = np.arange(5 * 4).reshape(5, 2, 2, 1).astype(float)
    fig = plot_misclassified_images(images, [0, 1, 2, 3, 4], [0, 7, 2, 8, 4], columns=4)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["1 → 7", "3 → 8"]
    assert "2 misclassified" in fig._suptitle.get_text()
    limited = plot_misclassified_images(images, [0] * 5, [1] * 5, max_images=3)
    assert len([ax for ax in limited.axes if ax.get_images()]) == 3
    assert "first 3 shown" in limited._suptitle.get_text()
    perfect = plot_misclassified_images(images, [0] * 5, [0] * 5)
    assert perfect.axes[0].texts[0].get_text() == "No misclassified images"


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("images", "kwargs", "error", "message"),
    [
        (np.zeros((3, 2, 2)), {}, ValueError, r"with n = 2"),
        (np.zeros((2, 4)), {}, ValueError, "must have shape"),
        (np.zeros((2, 2, 2)), {"max_images": 0}, ValueError, "max_images must be an integer >= 1"),
        (
            np.zeros((2, 2, 2)),
            {"columns": 2.5},
            TypeError,
            "columns must be an integer, got float",
        ),
        (np.zeros((2, 2, 2)), {"max_images": np.nan}, TypeError, "max_images must be an integer"),
    ],
)
def test_plot_misclassified_images_rejects_bad_input(images, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_misclassified_images(images, [0, 1], [1, 1], **kwargs)


@pytest.mark.hostile("label_alignment")
def test_plot_misclassified_images_refuses_series_with_different_indexes():
    truth = pd.Series([0, 1], index=["a", "b"])
    with pytest.raises(ValueError, match="pandas objects with different indexes"):
        plot_misclassified_images(np.zeros((2, 2, 2)), truth, truth.loc[["b", "a"]])
