"""Tests of dlbigdata.evaluation.splits: time and per-entity splits and the leak checks."""

from __future__ import annotations

import pandas as pd
import pytest

from dlbigdata.evaluation.splits import (
    check_disjoint,
    check_time_order,
    split_by_time,
    split_last_per_entity,
)


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "user": ["a", "a", "a", "b", "b", "c"],
            "day": [3, 1, 2, 5, 5, 9],
            "rating": [4.0, 3.0, 5.0, 1.0, 2.0, 3.0],
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def test_split_by_time_puts_the_cutoff_on_the_test_side():
    train, test = split_by_time(_events(), "day", 3)
    assert train.index.tolist() == [11, 12]
    assert test.index.tolist() == [10, 13, 14, 15]


def test_split_by_time_works_with_datetimes():
    frame = pd.DataFrame({"t": pd.to_datetime(["2013-01-05", "2013-10-01", "2013-12-31"])})
    train, test = split_by_time(frame, "t", pd.Timestamp("2013-10-01"))
    assert len(train) == 1 and len(test) == 2
    check_time_order(train, test, "t")


def test_split_last_per_entity_holds_out_each_users_latest():
    train, test = split_last_per_entity(_events(), "user", "day", n_test=1)
    # a's latest is day 3 (row 10); b's two ratings tie on day 5: the later row (14) is
    # held out; c has a single rating and stays in training.
    assert sorted(test.index) == [10, 14]
    assert sorted(train.index) == [11, 12, 13, 15]
    assert len(train) + len(test) == len(_events())


def test_split_last_per_entity_keeps_small_entities_in_training():
    train, test = split_last_per_entity(_events(), "user", "day", n_test=2)
    # Only a has more than two ratings.
    assert sorted(test.index) == [10, 12]
    assert set(train["user"]) == {"a", "b", "c"}


def test_check_disjoint_counts_entities_and_names_the_shared_ones():
    frame = _events()
    assert check_disjoint(frame.iloc[:3], frame.iloc[3:], "user") == 3
    with pytest.raises(ValueError, match=r"1 value\(s\) of 'user' are in both.*'b'"):
        check_disjoint(frame.iloc[:4], frame.iloc[4:], "user")


def test_check_time_order_refuses_an_overlap():
    frame = _events()
    with pytest.raises(ValueError, match="latest training 'day' \\(3\\) is not before"):
        check_time_order(frame.iloc[:3], frame.iloc[1:2], "day")


@pytest.mark.hostile("bad_input")
def test_split_by_time_rejects_bad_input():
    frame = _events()
    with pytest.raises(ValueError, match="cutoff 0 leaves the training side empty"):
        split_by_time(frame, "day", 0)
    with pytest.raises(ValueError, match="cutoff 99 leaves the test side empty"):
        split_by_time(frame, "day", 99)
    with pytest.raises(ValueError, match="lacks column"):
        split_by_time(frame, "when", 3)
    with pytest.raises(TypeError, match="cannot be compared with column 'user'"):
        split_by_time(frame, "user", 3)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        split_by_time(frame["day"], "day", 3)


@pytest.mark.hostile("dropped_rows")
def test_a_missing_time_is_refused_not_dropped():
    frame = _events().astype({"day": float})
    frame.loc[12, "day"] = float("nan")
    with pytest.raises(ValueError, match=r"1 missing value\(s\), the first at label 12"):
        split_by_time(frame, "day", 3)
    with pytest.raises(ValueError, match="missing value"):
        split_last_per_entity(frame, "user", "day")


@pytest.mark.hostile("bad_input")
def test_split_last_per_entity_rejects_bad_input():
    with pytest.raises(ValueError, match="n_test must be"):
        split_last_per_entity(_events(), "user", "day", n_test=0)
    with pytest.raises(ValueError, match="lacks column"):
        split_last_per_entity(_events(), "customer", "day")
    with pytest.raises(ValueError, match="at least one row"):
        split_last_per_entity(_events().iloc[:0], "user", "day")


@pytest.mark.hostile("bad_input")
def test_checks_reject_bad_input():
    frame = _events()
    with pytest.raises(ValueError, match="lacks column"):
        check_disjoint(frame, frame, "patient")
    with pytest.raises(ValueError, match="at least one row"):
        check_time_order(frame.iloc[:0], frame, "day")
    with pytest.raises(TypeError, match="column must be"):
        check_disjoint(frame, frame, 3)
