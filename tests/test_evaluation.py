"""Tests of dlbigdata.evaluation: accuracies, comparison tables, figures and top n-grams."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.evaluation import (
    accuracy,
    comparison_table,
    gap_in_points,
    majority_class_accuracy,
    plot_confusion_matrix,
    plot_image_grid,
    plot_learning_curves,
    plot_misclassified_images,
    top_weighted_ngrams,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_accuracy_counts_matches():
    assert_allclose(accuracy([1, 2, 3, 4], [1, 2, 0, 4]), 0.75)
    assert_allclose(accuracy(np.array(["a", "b"]), np.array(["a", "b"])), 1.0)


@pytest.mark.parametrize(
    ("y_true", "y_pred", "message"),
    [
        ([1, 2, 3], [1, 2], "y_true has 3 labels but y_pred has 2"),
        ([], [], "no labels given"),
        ([[1, 2]], [[1, 2]], "must be one-dimensional"),
    ],
)
def test_accuracy_rejects_unpaired_labels(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        accuracy(y_true, y_pred)


def test_majority_class_accuracy_uses_the_training_majority():
    # The training majority is 1; the test set happens to be mostly 0.
    assert_allclose(majority_class_accuracy([1, 1, 1, 0], [0, 0, 0, 1]), 0.25)
    assert_allclose(majority_class_accuracy(["x", "y", "y"], ["y", "y"]), 1.0)
    with pytest.raises(ValueError, match="non-empty 1-D arrays"):
        majority_class_accuracy([], [1])


def test_gap_in_points_is_in_percentage_points():
    assert_allclose(gap_in_points(0.985, 0.99), -0.5)
    assert_allclose(gap_in_points(0.9, 0.87), 3.0)
    with pytest.raises(
        ValueError, match="model_accuracy must be an accuracy between 0 and 1, got 98.5"
    ):
        gap_in_points(98.5, 0.99)
    with pytest.raises(ValueError, match="baseline_accuracy"):
        gap_in_points(0.9, -0.1)


def test_comparison_table_sorts_and_measures_gaps():
    table = comparison_table({"SVM": 0.99, "CNN": 0.9933, "MLP": 0.975}, reference="SVM")
    assert table.index.tolist() == ["CNN", "SVM", "MLP"]
    assert list(table.columns) == ["accuracy (%)", "points vs SVM"]
    assert_allclose(table["points vs SVM"].to_numpy(), [0.33, 0.0, -1.5])
    best = comparison_table({"a": 0.5, "b": 0.75})
    assert list(best.columns) == ["accuracy (%)", "points vs b"]
    assert_allclose(best.loc["a", "points vs b"], -25.0)


@pytest.mark.parametrize(
    ("accuracies", "reference", "message"),
    [
        ({}, None, "accuracies is empty"),
        ({"a": 1.2}, None, r"accuracy of 'a' must be an accuracy between 0 and 1"),
        ({"a": 0.5}, "b", r"reference 'b' is not one of the models \['a'\]"),
    ],
)
def test_comparison_table_rejects_bad_input(accuracies, reference, message):
    with pytest.raises(ValueError, match=message):
        comparison_table(accuracies, reference=reference)


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


def test_plot_learning_curves_rejects_bad_histories():
    with pytest.raises(ValueError, match="histories is empty"):
        plot_learning_curves({})
    with pytest.raises(ValueError, match=r"history of 'm' lacks column\(s\) \['val_auc'\]"):
        plot_learning_curves({"m": history([1.0, 0.5, 0.3]).assign(auc=1.0)}, metric="auc")


def test_plot_confusion_matrix_shows_counts():
    ax = plot_confusion_matrix([0, 0, 1, 1, 2], [0, 1, 1, 1, 2], title="Digits")
    image = ax.get_images()[0].get_array()
    assert_allclose(image, [[1, 1, 0], [0, 2, 0], [0, 0, 1]])
    assert sorted(text.get_text() for text in ax.texts) == ["1", "1", "1", "2"]
    assert ax.get_title() == "Digits" and ax.get_ylabel() == "true class"
    ordered = plot_confusion_matrix(["b", "a"], ["b", "b"], labels=["b", "a"])
    assert_allclose(ordered.get_images()[0].get_array(), [[1, 0], [1, 0]])


def test_plot_confusion_matrix_rejects_unknown_labels():
    with pytest.raises(ValueError, match=r"labels \[2\] occur in the data"):
        plot_confusion_matrix([0, 1, 2], [0, 1, 1], labels=[0, 1])
    with pytest.raises(ValueError, match="y_true has 2 labels but y_pred has 1"):
        plot_confusion_matrix([0, 1], [0])


def test_plot_image_grid_lays_out_rows_and_titles():
    images = np.arange(5 * 4).reshape(5, 2, 2, 1).astype(float)
    fig = plot_image_grid(images, titles=["a", "", "c", "d", "e"], columns=3, title="five")
    assert len(fig.axes) == 6  # two rows of three, the last cell empty
    shown = [ax for ax in fig.axes if ax.get_images()]
    assert len(shown) == 5 and not fig.axes[5].get_images()
    assert [ax.get_title() for ax in shown] == ["a", "", "c", "d", "e"]
    np.testing.assert_array_equal(shown[1].get_images()[0].get_array(), images[1, :, :, 0])
    assert fig._suptitle.get_text() == "five"
    assert len(plot_image_grid(images[:2], columns=10).axes) == 2  # never wider than the images


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        (np.zeros((0, 2, 2)), {}, "images is empty"),
        (np.zeros((2, 4)), {}, "must have shape"),
        (np.zeros((2, 2, 2)), {"titles": ["only one"]}, "got 1 titles for 2 images"),
        (np.zeros((2, 2, 2)), {"columns": 0}, "columns must be a positive int, got 0"),
    ],
)
def test_plot_image_grid_rejects_bad_input(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_image_grid(images, **kwargs)


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


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        (np.zeros((3, 2, 2)), {}, r"with n = 2"),
        (np.zeros((2, 4)), {}, "must have shape"),
        (np.zeros((2, 2, 2)), {"max_images": 0}, "max_images must be a positive int"),
        (np.zeros((2, 2, 2)), {"columns": 2.5}, "columns must be a positive int"),
    ],
)
def test_plot_misclassified_images_rejects_bad_input(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_misclassified_images(images, [0, 1], [1, 1], **kwargs)


def fitted_text_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    texts = ["good great fine", "good fine", "bad awful", "bad terrible awful", "great good"]
    labels = [1, 1, 0, 0, 1]
    return Pipeline(
        [("features", TfidfVectorizer()), ("classifier", LogisticRegression(C=10))]
    ).fit(texts, labels)


def test_top_weighted_ngrams_lists_each_class():
    top = top_weighted_ngrams(fitted_text_model(), n=2, class_names=("negative", "positive"))
    assert list(top.columns) == ["class", "ngram", "weight"]
    assert top["class"].tolist() == ["negative", "negative", "positive", "positive"]
    assert set(top["ngram"][:2]) <= {"bad", "awful", "terrible"}
    assert set(top["ngram"][2:]) <= {"good", "great", "fine"}
    assert (top["weight"][:2] < 0).all() and (top["weight"][2:] > 0).all()
    assert top["weight"].iloc[2] >= top["weight"].iloc[3]


def test_top_weighted_ngrams_rejects_bad_input():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    unfitted = Pipeline([("features", TfidfVectorizer()), ("classifier", LogisticRegression())])
    with pytest.raises(TypeError, match="has no coef_"):
        top_weighted_ngrams(unfitted)
    with pytest.raises(TypeError, match="Pipeline whose first step"):
        top_weighted_ngrams(LogisticRegression())
    with pytest.raises(ValueError, match="n must be a positive int"):
        top_weighted_ngrams(fitted_text_model(), n=0)
    with pytest.raises(ValueError, match="only 6 features"):
        top_weighted_ngrams(fitted_text_model(), n=7)
    with pytest.raises(ValueError, match="class_names must be two names"):
        top_weighted_ngrams(fitted_text_model(), class_names=("one",))
    three_classes = Pipeline(
        [("features", TfidfVectorizer()), ("classifier", LogisticRegression())]
    ).fit(["aa bb", "cc dd", "ee ff"], [0, 1, 2])
    with pytest.raises(ValueError, match="expected a binary classifier"):
        top_weighted_ngrams(three_classes, n=1)
