"""Tests of :mod:`dlbigdata._validation.labels`: checks of class labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from dlbigdata import _validation as v


def test_require_labels_returns_a_1d_array():
    assert_array_equal(v.require_labels("y", ["a", "b"]), ["a", "b"])
    assert_array_equal(v.require_labels("y", pd.Series([0, 1]), length=2), [0, 1])


@pytest.mark.parametrize(
    "value, error, match",
    [
        ("abc", TypeError, r"y must be an array of labels, got the single string 'abc'"),
        (np.zeros((2, 2)), ValueError, r"y must be one-dimensional, got shape \(2, 2\)"),
        ([0, 1, 2], ValueError, r"y has 3 entries but there are 2 examples"),
        (
            [0.0, np.nan],
            ValueError,
            r"y has 1 missing label\(s\), the first at position 1",
        ),
    ],
)
def test_require_labels_refuses_other_values(value, error, match):
    with pytest.raises(error, match=match):
        v.require_labels("y", value, length=2)


def test_require_same_index_refuses_pandas_objects_with_other_indexes():
    v.require_same_index(("x", "y"), pd.Series([1], index=[0]), pd.Series([1], index=[0]))
    v.require_same_index(("x", "y"), np.zeros(1), pd.Series([1], index=[5]))
    with pytest.raises(ValueError, match=r"x and y are pandas objects with different indexes"):
        v.require_same_index(("x", "y"), pd.Series([1], index=[0]), pd.DataFrame(index=[1]))


def test_require_same_kind_refuses_numbers_beside_strings():
    v.require_same_kind(("y_true", "y_pred"), np.array([1]), np.array([1.0]))
    with pytest.raises(TypeError, match=r"y_true holds int64 labels but y_pred holds <U1"):
        v.require_same_kind(("y_true", "y_pred"), np.array([1]), np.array(["1"]))


def test_require_paired_labels_returns_both_arrays():
    truth, predicted = v.require_paired_labels([0, 1], np.array([1, 1]))
    assert_array_equal(truth, [0, 1]) and assert_array_equal(predicted, [1, 1])


@pytest.mark.parametrize(
    "y_true, y_pred, error, match",
    [
        ([0, 1], [0], ValueError, r"y_true has 2 labels but y_pred has 1"),
        ([], [], ValueError, r"no labels given: y_true and y_pred are empty"),
        ([0, 1], ["0", "1"], TypeError, r"y_true holds int64 labels but y_pred holds"),
        ([0], "0", TypeError, r"y_pred must be an array of labels, got the single string"),
        (
            pd.Series([0, 1]),
            pd.Series([0, 1], index=[1, 0]),
            ValueError,
            r"y_true and y_pred are pandas objects with different indexes",
        ),
    ],
)
def test_require_paired_labels_refuses_labels_that_do_not_pair(y_true, y_pred, error, match):
    with pytest.raises(error, match=match):
        v.require_paired_labels(y_true, y_pred)
