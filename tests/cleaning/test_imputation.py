"""Tests of dlbigdata.cleaning.imputation: constant, by group, interpolation, KNN, iterative."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.cleaning import (
    hide_at_random,
    impute_by_group,
    impute_constant,
    impute_interpolate,
    impute_iterative,
    impute_knn,
    score_imputations,
)

hostile = pytest.mark.hostile


def test_impute_constant_mean_and_median():
    values = pd.Series([1.0, 2.0, np.nan, 10.0], name="income")
    assert_allclose(impute_constant(values, "mean"), [1, 2, 13 / 3, 10])
    assert_allclose(impute_constant(values, "median"), [1, 2, 2, 10])
    assert_allclose(impute_constant(pd.Series([1, None, 3], dtype="Int64")), [1, 2, 3])


@hostile("bad_input")
def test_impute_constant_rejects_bad_input():
    with pytest.raises(ValueError, match=r"statistic must be one of 'mean', 'median'; got 'mode'"):
        impute_constant(pd.Series([1.0]), "mode")
    with pytest.raises(ValueError, match=r"values \('x'\) has no known value"):
        impute_constant(pd.Series([np.nan, np.nan], name="x"))
    with pytest.raises(TypeError, match="values must be a pandas Series, got list"):
        impute_constant([1.0, np.nan])
    with pytest.raises(TypeError, match="values must be numeric, got dtype"):
        impute_constant(pd.Series(["1", None]))
    with pytest.raises(TypeError, match="values must be numeric, got dtype bool"):
        impute_constant(pd.Series([True, False]))
    with pytest.raises(ValueError, match=r"values \('x'\) holds 1 infinite value"):
        impute_constant(pd.Series([1.0, np.nan, np.inf], name="x"))


def test_impute_by_group_uses_each_groups_statistic():
    values = pd.Series([1.0, np.nan, 3.0, 10.0, np.nan, 30.0, np.nan])
    groups = pd.Series(["a", "a", "a", "b", "b", "b", "c"])
    filled = impute_by_group(values, groups, "mean")
    assert_allclose(filled[:6], [1, 2, 3, 10, 20, 30])
    assert np.isnan(filled[6])  # group c has no known value: nothing is invented
    two_keys = impute_by_group(values, [groups, pd.Series([0, 0, 1, 0, 0, 1, 0])], "median")
    assert_allclose(two_keys[[1, 4]], [1, 10])
    frame_keys = impute_by_group(values, pd.DataFrame({"g": groups}), "mean")
    assert_allclose(frame_keys[:6], [1, 2, 3, 10, 20, 30])


@hostile("dropped_rows")
def test_impute_by_group_leaves_rows_with_a_missing_key_as_they_are():
    values = pd.Series([1.0, np.nan, 100.0, np.nan, 5.0, np.nan])
    groups = pd.Series(["a", "a", None, None, "b", "b"])
    filled = impute_by_group(values, groups, "mean")
    assert len(filled) == len(values) and filled.index.equals(values.index)  # nothing dropped
    assert_allclose(filled[[0, 1, 4, 5]], [1, 1, 5, 5])
    assert filled[2] == 100.0 and np.isnan(filled[3])  # no group: not filled from row 2
    two = impute_by_group(values, [groups, pd.Series([0, 0, 0, 0, np.nan, 0])], "mean")
    assert two[4] == 5.0 and np.isnan(two[5])  # row 4 (key b, NaN) does not feed (b, 0)


@hostile("label_alignment")
def test_impute_by_group_aligns_a_shuffled_key_by_label():
    values = pd.Series([1.0, np.nan, 10.0, np.nan], index=list("wxyz"))
    groups = pd.Series(["a", "a", "b", "b"], index=list("wxyz")).iloc[[3, 0, 2, 1]]
    assert_allclose(impute_by_group(values, groups), [1, 1, 10, 10])


@hostile("label_alignment")
def test_impute_by_group_refuses_keys_with_other_or_repeated_labels():
    with pytest.raises(ValueError, match=r"group key 0 must have the row labels of values"):
        impute_by_group(pd.Series([1.0, np.nan]), pd.Series(["a", "a", "b"]))
    values = pd.Series([1.0, np.nan], index=["x", "y"])
    with pytest.raises(ValueError, match=r"group key 0 must have unique row labels.*\['x'\]"):
        impute_by_group(values, pd.Series(["a", "a"], index=["x", "x"]))


@hostile("bad_input")
def test_impute_by_group_rejects_bad_input():
    values = pd.Series([1.0, np.nan])
    with pytest.raises(TypeError, match="groups must be a Series, a DataFrame or a list"):
        impute_by_group(values, "origin")
    with pytest.raises(ValueError, match="groups must hold at least one key, got none"):
        impute_by_group(values, [])
    with pytest.raises(TypeError, match=r"group key 1 must be a pandas Series .*got list"):
        impute_by_group(values, [pd.Series(["a", "b"]), ["a", "b"]])
    with pytest.raises(ValueError, match="statistic must be one of 'mean', 'median'; got 'sum'"):
        impute_by_group(values, pd.Series(["a", "b"]), "sum")
    with pytest.raises(ValueError, match="has no known value to compute a mean"):
        impute_by_group(pd.Series([np.nan, np.nan]), pd.Series(["a", "b"]))


def test_impute_interpolate_is_linear_in_time():
    index = pd.to_datetime(
        ["2013-01-01 00:00", "2013-01-01 01:00", "2013-01-01 04:00", "2013-01-01 05:00"]
    )
    values = pd.Series([0.0, np.nan, 4.0, np.nan], index=index)
    assert_allclose(impute_interpolate(values), [0.0, 1.0, 4.0, 4.0])


@hostile("bad_input")
def test_impute_interpolate_needs_a_sorted_time_index():
    with pytest.raises(TypeError, match="indexed by time"):
        impute_interpolate(pd.Series([1.0, np.nan, 3.0]))
    index = pd.to_datetime(["2013-01-02", "2013-01-01"])
    with pytest.raises(ValueError, match="sorted increasingly"):
        impute_interpolate(pd.Series([1.0, np.nan], index=index))
    with pytest.raises(TypeError, match="values must be a pandas Series or DataFrame, got dict"):
        impute_interpolate({"a": [1.0]})


@hostile("label_alignment")
def test_impute_interpolate_refuses_repeated_or_missing_times():
    repeated = pd.to_datetime(["2013-01-01", "2013-01-01", "2013-01-02"])
    with pytest.raises(ValueError, match=r"values must have unique times, got \[Timestamp"):
        impute_interpolate(pd.Series([1.0, np.nan, 3.0], index=repeated))
    with pytest.raises(ValueError, match=r"missing times \(NaT\)"):
        impute_interpolate(pd.Series([1.0, 3.0], index=pd.DatetimeIndex(["2013-01-01", None])))


def correlated_frame(rng: np.random.Generator, n: int = 300) -> pd.DataFrame:
    x = rng.normal(size=n)
    return pd.DataFrame(
        {"x": x, "y": 3 * x + rng.normal(scale=0.1, size=n), "z": rng.normal(size=n)}
    )


def test_knn_and_iterative_beat_the_mean_when_columns_are_related():
    rng = np.random.default_rng(0)
    frame = correlated_frame(rng)
    masked, mask = hide_at_random(frame[["y"]], 0.2, rng)
    completed = frame[["x", "z"]].join(masked)
    scores = score_imputations(
        frame["y"],
        mask["y"],
        {
            "mean": impute_constant(masked["y"]),
            "knn": impute_knn(completed, n_neighbors=5)["y"],
            "iterative": impute_iterative(completed)["y"],
        },
    )
    assert scores["iterative"] < 0.1 * scores["mean"], scores
    assert scores["knn"] < 0.3 * scores["mean"], scores
    assert scores.index[-1] == "mean"


def test_model_imputers_keep_shape_and_known_values():
    rng = np.random.default_rng(1)
    frame = correlated_frame(rng, 50)
    masked, mask = hide_at_random(frame, 0.1, rng)
    for imputer in (impute_knn, impute_iterative):
        filled = imputer(masked)
        assert filled.shape == frame.shape and not filled.isna().any().any()
        assert_allclose(filled.to_numpy()[~mask.to_numpy()], frame.to_numpy()[~mask.to_numpy()])


@hostile("bad_input")
def test_model_imputers_reject_bad_input():
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [np.nan, np.nan, np.nan]})
    with pytest.raises(ValueError, match=r"column\(s\) \['b'\] have fewer than two known values"):
        impute_knn(frame)
    with pytest.raises(TypeError, match=r"frame\['c'\] must be numeric"):
        impute_iterative(pd.DataFrame({"a": [1.0, 2.0], "c": ["x", "y"]}))
    with pytest.raises(ValueError, match="n_neighbors must be an integer >= 1, got 0"):
        impute_knn(pd.DataFrame({"a": [1.0, 2.0, np.nan]}), n_neighbors=0)
    with pytest.raises(ValueError, match="max_iter must be an integer >= 1, got 0"):
        impute_iterative(pd.DataFrame({"a": [1.0, 2.0, np.nan]}), max_iter=0)


@hostile("bad_input")
@pytest.mark.parametrize(
    ("imputer", "kwargs", "error", "message"),
    [
        (impute_knn, {"n_neighbors": True}, TypeError, "n_neighbors must be an integer, got bool"),
        (impute_knn, {"n_neighbors": 2.0}, TypeError, "n_neighbors must be an integer, got float"),
        (impute_iterative, {"max_iter": np.nan}, TypeError, "max_iter must be an integer, got"),
        (impute_iterative, {"random_state": -1}, ValueError, "random_state must be an integer >="),
        (impute_iterative, {"random_state": "0"}, TypeError, "random_state must be an integer"),
    ],
)
def test_model_imputers_refuse_bad_parameters(imputer, kwargs, error, message):
    with pytest.raises(error, match=message):
        imputer(pd.DataFrame({"a": [1.0, 2.0, np.nan]}), **kwargs)


@hostile("bad_input")
@pytest.mark.parametrize("imputer", [impute_knn, impute_iterative])
def test_model_imputers_refuse_frames_they_would_misread(imputer):
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got ndarray"):
        imputer(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="frame has no column to impute"):
        imputer(pd.DataFrame(index=[0, 1]))
    with pytest.raises(ValueError, match=r"frame\['a'\] holds 1 infinite value"):
        imputer(pd.DataFrame({"a": [1.0, 2.0, np.nan, np.inf]}))
    with pytest.raises(ValueError, match=r"frame must have unique column names, got \['a'\]"):
        imputer(pd.DataFrame([[1.0, 2.0], [np.nan, 3.0], [2.0, 1.0]], columns=["a", "a"]))
