"""Tests of dlbigdata.cleaning.duplicates: every copy, grouped, keys with missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlbigdata.cleaning import find_duplicates

hostile = pytest.mark.hostile


def test_find_duplicates_returns_every_copy_grouped():
    frame = pd.DataFrame({"key": [1, 2, 1, 3, 2, 1], "value": ["a", "b", "a", "c", "x", "a"]})
    exact = find_duplicates(frame)
    assert exact.index.tolist() == [0, 2, 5]
    assert exact["duplicate_group"].tolist() == [0, 0, 0]
    by_key = find_duplicates(frame, subset=["key"])
    assert sorted(by_key.index.tolist()) == [0, 1, 2, 4, 5]
    assert by_key.groupby("duplicate_group").size().tolist() == [3, 2]
    assert find_duplicates(frame.drop_duplicates(subset=["key"]), ["key"]).empty
    assert find_duplicates(frame, ("key",)).equals(by_key)


@hostile("bad_input")
def test_find_duplicates_rejects_unknown_columns():
    frame = pd.DataFrame({"key": [1, 2]})
    with pytest.raises(ValueError, match=r"frame lacks column\(s\) \['id'\]; it has: key"):
        find_duplicates(frame, ["id"])
    with pytest.raises(ValueError, match="at least one column"):
        find_duplicates(frame, [])
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got dict"):
        find_duplicates({"key": [1, 1]})
    with pytest.raises(TypeError, match="subset must hold strings only, got int: 1"):
        find_duplicates(frame, [1])
    with pytest.raises(ValueError, match=r"subset must not repeat a name, got \['key'\]"):
        find_duplicates(frame, ["key", "key"])
    with pytest.raises(ValueError, match="frame has no column to compare rows on"):
        find_duplicates(pd.DataFrame(index=[0, 1]))


@hostile("single_string")
def test_find_duplicates_refuses_a_single_string_key():
    frame = pd.DataFrame({"key": [1, 1], "k": [1, 2], "e": [3, 4], "y": [5, 6]})
    # "key" would have been read as the columns k, e, y
    with pytest.raises(TypeError, match=r"subset must be a list of names, got the single string"):
        find_duplicates(frame, "key")


@hostile("bad_input")
def test_find_duplicates_refuses_to_overwrite_a_duplicate_group_column():
    frame = pd.DataFrame({"key": [1, 1], "duplicate_group": ["mine", "mine"]})
    with pytest.raises(ValueError, match="frame already has a column 'duplicate_group'"):
        find_duplicates(frame, ["key"])


@hostile("dropped_rows")
def test_find_duplicates_with_missing_key_values_matches_drop_duplicates():
    frame = pd.DataFrame(
        {"tailnum": ["N1", None, None, "N1", None], "day": [1, 2, 2, 1, 3], "x": range(5)}
    )
    copies = find_duplicates(frame, ["tailnum", "day"])
    # a missing tail number equals another missing one on the same day (rows 1, 2), as in
    # drop_duplicates; it never equals a known one, and no row is lost from a group
    assert sorted(copies.index.tolist()) == [0, 1, 2, 3]
    assert copies.groupby("duplicate_group").size().tolist() == [2, 2]
    dropped = frame.drop_duplicates(["tailnum", "day"])
    assert len(frame) - len(dropped) == len(copies) - copies["duplicate_group"].nunique()


@hostile("dropped_rows")
def test_find_duplicates_with_nan_in_a_numeric_key_and_categories():
    frame = pd.DataFrame(
        {
            "origin": pd.Categorical(["EWR", np.nan, np.nan, "JFK"], categories=["EWR", "JFK"]),
            "hour": [1.0, np.nan, np.nan, 1.0],
        }
    )
    copies = find_duplicates(frame, ["origin", "hour"])
    assert copies.index.tolist() == [1, 2] and copies["duplicate_group"].tolist() == [0, 0]


@hostile("label_alignment")
def test_find_duplicates_keeps_repeated_row_labels():
    frame = pd.DataFrame({"key": [1, 2, 1, 2]}, index=[7, 7, 8, 8])
    copies = find_duplicates(frame, ["key"])
    assert copies.index.tolist() == [7, 8, 7, 8]
    assert copies["duplicate_group"].tolist() == [0, 0, 1, 1]


@hostile("bad_input")
def test_find_duplicates_refuses_unhashable_key_values():
    frame = pd.DataFrame({"key": [[1], [1], [2]], "value": [1, 1, 1]})
    with pytest.raises(TypeError, match=r"frame\['key'\] must hold hashable key values.*\[1\]"):
        find_duplicates(frame, ["key"])


@hostile("dropped_rows")
def test_find_duplicates_keeps_non_latin_keys_apart():
    # no text is normalised: non-Latin names do not collapse to one empty key
    frame = pd.DataFrame({"city": ["東京", "北京", "Москва", "東京", "Αθήνα"]})
    copies = find_duplicates(frame, ["city"])
    assert copies.index.tolist() == [0, 3] and copies["city"].tolist() == ["東京", "東京"]
