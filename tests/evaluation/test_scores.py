"""Tests of dlbigdata.evaluation.scores: the majority baseline and the comparison table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.evaluation import comparison_table, majority_class_accuracy


def test_majority_class_accuracy_uses_the_training_majority():
    # The training majority is 1; the test set happens to be mostly 0.
    assert_allclose(majority_class_accuracy([1, 1, 1, 0], [0, 0, 0, 1]), 0.25)
    assert_allclose(majority_class_accuracy(["x", "y", "y"], ["y", "y"]), 1.0)
    # A tie goes to the smallest class.
    assert_allclose(majority_class_accuracy([1, 0], [0, 0, 1]), 2 / 3)
    # Training and test labels are not paired: their indexes may differ.
    train = pd.Series([1, 1, 0], index=[0, 1, 2])
    assert_allclose(majority_class_accuracy(train, pd.Series([1, 0], index=[7, 8])), 0.5)


@pytest.mark.hostile("bad_input")
def test_majority_class_accuracy_rejects_bad_input():
    with pytest.raises(ValueError, match="non-empty 1-D arrays"):
        majority_class_accuracy([], [1])
    with pytest.raises(ValueError, match=r"y_test must be one-dimensional, got shape \(1, 2\)"):
        majority_class_accuracy([1], [[1, 2]])
    with pytest.raises(TypeError, match="y_train holds int64 labels but y_test holds <U1"):
        majority_class_accuracy([1, 1, 0], ["1", "0"])


@pytest.mark.hostile("single_string")
def test_majority_class_accuracy_refuses_a_string_of_labels():
    with pytest.raises(
        TypeError, match="y_test must be an array of labels, got the single string"
    ):
        majority_class_accuracy(["a", "b", "b"], "bab")


@pytest.mark.hostile("dropped_rows")
def test_majority_class_accuracy_refuses_missing_labels():
    # np.unique counts every NaN once: a majority of NaN would never be found.
    with pytest.raises(ValueError, match=r"y_train has 3 missing label\(s\)"):
        majority_class_accuracy([np.nan, np.nan, np.nan, 1.0], [1.0])


def test_comparison_table_sorts_and_measures_gaps():
    table = comparison_table({"SVM": 0.99, "CNN": 0.9933, "MLP": 0.975}, reference="SVM")
    assert table.index.tolist() == ["CNN", "SVM", "MLP"]
    assert list(table.columns) == ["accuracy (%)", "points vs SVM"]
    assert_allclose(table["points vs SVM"].to_numpy(), [0.33, 0.0, -1.5])
    best = comparison_table({"a": 0.5, "b": 0.75})
    assert list(best.columns) == ["accuracy (%)", "points vs b"]
    assert_allclose(best.loc["a", "points vs b"], -25.0)
    tie = comparison_table({"first": 0.8, "second": 0.8})
    assert list(tie.columns) == ["accuracy (%)", "points vs first"]


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("accuracies", "reference", "error", "message"),
    [
        ({}, None, ValueError, "accuracies is empty"),
        ({"a": 1.2}, None, ValueError, r"accuracy of 'a' must be .*<= 1, got 1.2"),
        ({"a": 0.5}, "b", ValueError, r"reference 'b' is not one of the models \['a'\]"),
        ({"a": 0.5}, ["a"], TypeError, r"reference must be a string, got list"),
        ([("a", 0.5)], None, TypeError, "accuracies must be a mapping .*got list"),
        ({"a": "0.5"}, None, TypeError, "accuracy of 'a' must be a number, got str"),
    ],
)
def test_comparison_table_rejects_bad_input(accuracies, reference, error, message):
    with pytest.raises(error, match=message):
        comparison_table(accuracies, reference=reference)


@pytest.mark.hostile("dropped_rows")
def test_comparison_table_refuses_names_that_are_not_strings():
    # str(1) == "1": the two models would be merged into one row.
    with pytest.raises(TypeError, match="must hold strings only, got int: 1"):
        comparison_table({1: 0.5, "1": 0.7})


@pytest.mark.hostile("nan_parameter")
def test_comparison_table_refuses_a_nan_accuracy():
    with pytest.raises(ValueError, match=r"accuracy of 'b' must be .* got nan"):
        comparison_table({"a": 0.5, "b": np.nan})
