"""Tests of :mod:`dlbigdata._validation.tables`: checks of pandas tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlbigdata import _validation as v


def test_frame_and_column_checks():
    frame = pd.DataFrame({"x": [1.0], "flag": [True], "when": pd.to_datetime(["2013-01-01"])})
    assert v.require_frame("table", frame) is frame
    with pytest.raises(TypeError, match="table must be a pandas DataFrame, got list"):
        v.require_frame("table", [1])
    with pytest.raises(ValueError, match="at least one row"):
        v.require_frame("table", frame.iloc[:0], allow_empty=False)
    with pytest.raises(ValueError, match=r"table lacks column\(s\) \['y'\]; it has: x, flag"):
        v.require_columns("table", frame, ["x", "y"])
    assert v.require_numeric_column("table", frame, "x").tolist() == [1.0]
    with pytest.raises(TypeError, match=r"table\['flag'\] must be numeric, got dtype bool"):
        v.require_numeric_column("table", frame, "flag")
    with pytest.raises(TypeError, match="must hold datetimes"):
        v.require_datetime_column("table", frame, "x")
    v.require_datetime_column("table", frame, "when")


def test_require_series():
    series = pd.Series([1])
    assert v.require_series("values", series) is series
    with pytest.raises(TypeError, match="values must be a pandas Series, got ndarray"):
        v.require_series("values", np.zeros(2))


def test_require_unique_labels_names_the_repeated_labels():
    index = pd.Index(["a", "b"])
    assert v.require_unique_labels("truth", index) is index
    with pytest.raises(
        ValueError, match=r"truth must have unique row labels to be aligned by label, got \['a'\]"
    ):
        v.require_unique_labels("truth", pd.Index(["a", "b", "a"]))
    with pytest.raises(ValueError, match=r"values must have unique times, got \[1\] repeated"):
        v.require_unique_labels("values", pd.Index([1, 1]), "times", "")


def test_require_unique_columns_names_the_repeated_columns():
    frame = pd.DataFrame({"a": [1], "b": [2]})
    assert v.require_unique_columns("stacked", frame) is frame
    repeated = pd.DataFrame([[1, 2, 3]], columns=["a", "b", "a"])
    with pytest.raises(
        ValueError, match=r"stacked must have unique column names, got \['a'\] repeated"
    ):
        v.require_unique_columns("stacked", repeated)


def test_as_float_and_named():
    result = v.as_float(pd.Series([1, None], dtype="Int64"))
    assert result.dtype == "float64" and np.isnan(result.iloc[1])
    assert v.named("values", pd.Series([1.0], name="temp")) == "values ('temp')"
    assert v.named("values", pd.Series([1.0])) == "values"


def test_numeric_series_returns_float64():
    result = v.numeric_series("values", pd.Series([1, 2], dtype="int64"))
    assert result.dtype == "float64" and result.tolist() == [1.0, 2.0]
    infinite = pd.Series([1.0, np.inf])
    assert v.numeric_series("values", infinite, allow_infinity=True).iloc[1] == np.inf


@pytest.mark.parametrize(
    "value, error, match",
    [
        ([1.0], TypeError, r"values must be a pandas Series, got list"),
        (pd.Series(["a"], name="city"), TypeError, r"values must be numeric, got dtype .*'city'"),
        (pd.Series([True]), TypeError, r"values must be numeric, got dtype bool"),
        (
            pd.Series([1.0, np.inf], name="temp"),
            ValueError,
            r"values \('temp'\) holds 1 infinite value\(s\)",
        ),
    ],
)
def test_numeric_series_refuses_other_values(value, error, match):
    with pytest.raises(error, match=match):
        v.numeric_series("values", value)


def test_numeric_frame_and_table():
    frame = pd.DataFrame({"a": [1, 2], "b": [0.5, None]})
    result = v.numeric_frame("frame", frame)
    assert (result.dtypes == "float64").all() and result.index.equals(frame.index)
    assert v.numeric_table("values", frame).equals(result)
    assert v.numeric_table("values", pd.Series([1])).dtype == "float64"
    with pytest.raises(ValueError, match=r"frame\['b'\] holds 1 infinite value\(s\)"):
        v.numeric_frame("frame", pd.DataFrame({"b": [np.inf]}))
    with pytest.raises(TypeError, match=r"frame\['c'\] must be numeric, got dtype"):
        v.numeric_frame("frame", pd.DataFrame({"c": ["x"]}))
    with pytest.raises(ValueError, match=r"frame must have unique column names, got \['a'\]"):
        v.numeric_frame("frame", pd.DataFrame([[1, 2]], columns=["a", "a"]))
    with pytest.raises(
        TypeError, match=r"values must be a pandas Series or DataFrame, got list: \[1\]"
    ):
        v.numeric_table("values", [1])


def test_aligned_like_reorders_by_label():
    reference = pd.DataFrame({"a": [1, 2], "b": [3, 4]}, index=["x", "y"])
    table = pd.DataFrame({"b": [4, 3], "a": [2, 1]}, index=["y", "x"])
    aligned = v.aligned_like("imputed", table, reference, "truth")
    assert aligned.index.tolist() == ["x", "y"] and aligned.columns.tolist() == ["a", "b"]
    assert aligned.equals(reference)
    series = pd.Series([1, 2], index=["y", "x"])
    assert v.aligned_like("s", series, pd.Series([0, 0], index=["x", "y"]), "r").tolist() == [
        2,
        1,
    ]


def test_aligned_like_refuses_tables_that_do_not_match():
    reference = pd.DataFrame({"a": [1, 2]}, index=["x", "y"])
    with pytest.raises(TypeError, match=r"imputed must be a DataFrame like truth, got Series"):
        v.aligned_like("imputed", pd.Series([1, 2], index=["x", "y"]), reference, "truth")
    with pytest.raises(
        ValueError, match=r"imputed must have the row labels of truth: it lacks \['y'\]"
    ):
        v.aligned_like(
            "imputed", pd.DataFrame({"a": [1, 2]}, index=["x", "z"]), reference, "truth"
        )
    with pytest.raises(ValueError, match=r"imputed must have the columns of truth \['a'\]"):
        v.aligned_like(
            "imputed", pd.DataFrame({"b": [1, 2]}, index=["x", "y"]), reference, "truth"
        )
    with pytest.raises(ValueError, match=r"imputed must have unique row labels"):
        v.aligned_like(
            "imputed", pd.DataFrame({"a": [1, 2]}, index=["x", "x"]), reference, "truth"
        )
