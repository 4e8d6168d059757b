"""Tests of dlbigdata.database.loading: all-or-nothing loads in one stored form."""

from __future__ import annotations

import datetime
import sqlite3

import numpy as np
import pandas as pd
import pytest
from factories import count_table, guarded_read, sqlite_airlines, sqlite_flights

from dlbigdata.database import insert_frame


def test_insert_frame_loads_rows_with_nulls_and_utc_timestamps(con):
    assert insert_frame(con, "flights", sqlite_flights()) == 3
    stored = guarded_read(
        con, "SELECT flight_id, dep_time, tailnum, time_hour FROM flights ORDER BY flight_id"
    )
    assert stored["flight_id"].tolist() == [1, 2, 3]
    assert stored["dep_time"].isna().tolist() == [False, False, True]
    assert pd.isna(stored["tailnum"].iloc[-1])
    assert stored["time_hour"].iloc[0] == "2013-01-01T10:00:00Z"  # 05:00 New York is 10:00 UTC
    assert guarded_read(con, "SELECT typeof(tz) AS t FROM airports").iloc[0, 0] == "integer"


@pytest.mark.hostile("binding_type")
def test_every_value_is_stored_with_its_sqlite_type(con):
    frame = sqlite_flights(3)
    frame["flight"] = frame["flight"].astype(object)  # NumPy integers in an object column
    frame.loc[0, "flight"] = np.int64(7)
    frame["air_time"] = np.array([227.0, 300.0, np.nan], dtype=np.float32)
    insert_frame(con, "flights", frame)
    types = guarded_read(
        con,
        "SELECT typeof(flight) AS flight, typeof(air_time) AS air_time, "
        "typeof(time_hour) AS time_hour, typeof(dep_time) AS dep_time FROM flights",
    )
    assert types.values.tolist() == [
        ["integer", "real", "text", "integer"],
        ["integer", "real", "text", "integer"],
        ["integer", "null", "text", "null"],
    ]
    found = guarded_read(con, "SELECT count(*) AS n FROM flights WHERE flight = ?", (7,))
    assert found["n"].item() == 1


@pytest.mark.hostile("binding_type")
def test_categorical_integers_with_missing_values_are_stored_as_integers(con):
    frame = sqlite_flights(3)
    frame["hour"] = pd.Categorical([5, 6, 7])
    frame["dep_time"] = pd.Categorical([517, 617, None])
    frame["dep_delay"] = [2.0, 2.0, np.nan]
    insert_frame(con, "flights", frame)
    stored = guarded_read(con, "SELECT typeof(hour) AS h, dep_time FROM flights ORDER BY flight")
    assert stored["h"].tolist() == ["integer"] * 3
    assert stored["dep_time"].tolist()[:2] == [517, 617] and pd.isna(stored["dep_time"].iloc[2])


@pytest.mark.hostile("binding_type")
def test_stored_timestamps_match_aware_parameters_in_any_zone(con):
    frame = sqlite_flights(2)
    frame["time_hour"] = frame["time_hour"].dt.tz_convert("Asia/Tokyo")  # the same instants
    insert_frame(con, "flights", frame)
    instant = datetime.datetime(2013, 1, 1, 10, tzinfo=datetime.UTC)
    found = guarded_read(con, "SELECT flight FROM flights WHERE time_hour = ?", (instant,))
    assert found["flight"].tolist() == [1]


@pytest.mark.hostile("binding_type")
@pytest.mark.parametrize(
    "column, values, error, message",
    [
        (
            "time_hour",
            pd.Series(pd.date_range("2013-01-01 05:00", periods=3, freq="h")),
            ValueError,
            r"frame\['time_hour'\] holds naive timestamps",
        ),
        (
            "time_hour",
            pd.Series(pd.date_range("2013-01-01 05:00:00.25", periods=3, freq="h", tz="UTC")),
            ValueError,
            r"frame\['time_hour'\] holds 2013-01-01 05:00:00.250000\+00:00, which has a fraction",
        ),
        (
            "tailnum",
            pd.Series([["N1"], "N2", None], dtype=object),
            TypeError,
            r"frame\['tailnum'\] at row 0 must be one value, got list",
        ),
        (
            "air_time",
            pd.Series(pd.to_timedelta([1, 2, 3], unit="h")),
            TypeError,
            r"frame\['air_time'\] has dtype timedelta64\[\w+\], which SQLite cannot store",
        ),
        (
            "flight",
            pd.Series([1, 2**64 - 1, 3], dtype=object),
            ValueError,
            r"frame\['flight'\] at row 1 = 18446744073709551615 does not fit",
        ),
        (
            "flight",
            pd.Series([1, 2**64 - 1, 3], dtype="uint64"),
            ValueError,
            r"frame\['flight'\] holds 18446744073709551615, which does not fit",
        ),
    ],
)
def test_values_that_cannot_be_stored_fail_before_the_load(con, column, values, error, message):
    insert_frame(con, "flights", sqlite_flights(3).assign(day=2))
    frame = sqlite_flights(3)
    frame[column] = values
    with pytest.raises(error, match=message):
        insert_frame(con, "flights", frame)
    assert count_table(con, "flights") == 3


@pytest.mark.hostile("bad_input")
def test_insert_frame_rejects_missing_and_unknown_columns(con):
    with pytest.raises(
        ValueError, match=r"frame lacks required \(NOT NULL\) column\(s\) \['carrier'\]"
    ):
        insert_frame(con, "flights", sqlite_flights().drop(columns=["carrier"]))
    with pytest.raises(
        ValueError, match=r"frame has column\(s\) \['gate'\] that table 'flights' lacks"
    ):
        insert_frame(con, "flights", sqlite_flights().assign(gate="B12"))
    with pytest.raises(ValueError, match=r"no table named 'flight'; the database has \["):
        insert_frame(con, "flight", sqlite_flights())
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got dict"):
        insert_frame(con, "flights", sqlite_flights().to_dict())
    assert count_table(con, "flights") == 0


@pytest.mark.hostile("bad_input")
def test_insert_frame_rejects_frames_without_or_with_repeated_columns(con):
    with pytest.raises(ValueError, match="frame has no columns; table 'airlines' has"):
        insert_frame(con, "airlines", pd.DataFrame(index=[0, 1]))
    doubled = pd.concat([sqlite_airlines(), sqlite_airlines()[["name"]]], axis=1)
    with pytest.raises(
        ValueError, match=r"frame must have unique column names, got \['name'\] repeated"
    ):
        insert_frame(con, "airlines", doubled)
    with pytest.raises(TypeError, match="table must be a str naming a table, got list"):
        insert_frame(con, ["airlines"], sqlite_airlines())
    assert count_table(con, "airlines") == 2


def test_an_empty_frame_loads_nothing(con):
    assert insert_frame(con, "airlines", sqlite_airlines().iloc[:0]) == 0
    assert count_table(con, "airlines") == 2


@pytest.mark.hostile("label_alignment")
def test_the_index_is_not_stored_and_rows_keep_their_values(con):
    frame = sqlite_flights(3).iloc[::-1]  # shuffled index labels 2, 1, 0
    frame.index = ["c", "a", "c"]  # duplicated labels do not matter either
    insert_frame(con, "flights", frame)
    stored = guarded_read(con, "SELECT flight, hour FROM flights ORDER BY flight")
    assert stored.values.tolist() == [[1, 5], [2, 6], [3, 7]]


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("month", 13, "CHECK constraint failed"),
        ("carrier", "ZZ", "FOREIGN KEY constraint failed"),
        ("distance", -1400, "CHECK constraint failed"),
        ("dep_time", 1275, "CHECK constraint failed"),
        ("dep_delay", "late", "cannot store TEXT value in REAL column flights.dep_delay"),
        ("month", "January", "cannot store TEXT value in INTEGER column flights.month"),
    ],
)
def test_a_failed_load_changes_nothing_already_loaded(con, column, value, message):
    insert_frame(con, "flights", sqlite_flights(3))
    before = guarded_read(con, "SELECT * FROM flights ORDER BY flight_id")
    batch = sqlite_flights(5).assign(day=2)
    batch[column] = batch[column].astype(object)
    batch.loc[3, column] = value  # one bad row among good ones
    with pytest.raises(sqlite3.IntegrityError, match=message) as caught:
        insert_frame(con, "flights", batch)
    assert "the load of 5 rows was rolled back" in caught.value.__notes__[0]
    assert count_table(con, "flights") == 3
    pd.testing.assert_frame_equal(
        guarded_read(con, "SELECT * FROM flights ORDER BY flight_id"), before
    )
    assert not con.in_transaction


def test_reloading_the_same_rows_violates_the_key_and_keeps_one_copy(con):
    insert_frame(con, "flights", sqlite_flights(3))
    with pytest.raises(sqlite3.IntegrityError, match=r"UNIQUE constraint failed: flights.year"):
        insert_frame(con, "flights", sqlite_flights(3))
    with pytest.raises(
        sqlite3.IntegrityError, match=r"UNIQUE constraint failed: airlines.carrier"
    ):
        insert_frame(con, "airlines", sqlite_airlines())
    assert count_table(con, "flights") == 3 and count_table(con, "airlines") == 2
