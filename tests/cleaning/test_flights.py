"""Tests of dlbigdata.cleaning.flights: HHMM clock times and the cleaned flights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import raw_flights
from numpy.testing import assert_allclose

import dlbigdata.cleaning
from dlbigdata.cleaning import FLIGHT_STATUSES, clean_flights, hhmm_to_minutes

hostile = pytest.mark.hostile


def test_hhmm_to_minutes():
    values = pd.Series([0, 517, 1259, 1300, 2359, 2400, None], dtype="Int64")
    minutes = hhmm_to_minutes(values)
    assert minutes.dtype == "Int64"
    assert minutes[:6].tolist() == [0, 317, 779, 780, 1439, 1440]
    assert minutes.isna().tolist() == [False] * 6 + [True]
    assert minutes[3] - minutes[2] == 1  # whereas 1300 - 1259 == 41


@hostile("bad_input")
def test_hhmm_to_minutes_rejects_impossible_times():
    with pytest.raises(
        ValueError, match=r"2 value\(s\) of 'dep_time' are not HHMM clock times.*\[1275, 2500\]"
    ):
        hhmm_to_minutes(pd.Series([1200, 1275, 2500], name="dep_time"))
    with pytest.raises(ValueError, match="not HHMM"):
        hhmm_to_minutes(pd.Series([12.5]))
    with pytest.raises(TypeError, match="values must be numeric, got dtype"):
        hhmm_to_minutes(pd.Series(["0517"]))
    with pytest.raises(TypeError, match="values must be a pandas Series, got list"):
        hhmm_to_minutes([517])
    with pytest.raises(ValueError, match=r"1 value\(s\) .* \[-5.0\]"):
        hhmm_to_minutes(pd.Series([-5.0, np.nan]))


@hostile("nan_parameter")
def test_hhmm_to_minutes_refuses_infinity():
    with pytest.raises(ValueError, match=r"1 value\(s\) of 't' are not HHMM .*\[inf\]"):
        hhmm_to_minutes(pd.Series([1200.0, np.inf], name="t"))


@hostile("label_alignment")
def test_hhmm_to_minutes_names_only_the_bad_values_under_repeated_labels():
    with pytest.raises(ValueError, match=r"1 value\(s\) of 't' .*: \[1275\]$"):
        hhmm_to_minutes(pd.Series([1200, 1275], index=[5, 5], name="t"))


def test_cleaning_has_no_unit_converter_of_its_own():
    assert not hasattr(dlbigdata.cleaning, "convert_units")
    assert not hasattr(dlbigdata.cleaning, "UNITS")


def test_clean_flights_makes_cancellations_and_times_explicit():
    clean = clean_flights(raw_flights())
    assert clean["cancelled"].tolist() == [False, False, True, False]
    assert clean["status"].tolist() == ["arrived", "arrived", "cancelled", "no arrival record"]
    assert list(clean["status"].cat.categories) == FLIGHT_STATUSES
    # 23:59 + 11 minutes of delay is 00:10 the next day, not 0010 on the same day
    assert clean.loc[1, "departure"] == pd.Timestamp("2013-01-02 00:10", tz="America/New_York")
    assert pd.isna(clean.loc[2, "departure"])
    assert_allclose(clean["distance_km"], np.array([1400, 1598, 733, 1400]) * 1.609344)
    assert clean["sched_arr_minutes"].tolist() == [499, 170, 720, 1020]


@hostile("label_alignment")
def test_clean_flights_keeps_a_shuffled_or_repeated_index():
    raw = raw_flights()
    shuffled = clean_flights(raw.set_axis([30, 10, 20, 0]))
    assert shuffled.index.tolist() == [30, 10, 20, 0]
    assert shuffled.loc[20, "status"] == "cancelled"
    repeated = clean_flights(raw.set_axis([0, 0, 1, 1]))
    assert repeated["status"].tolist() == ["arrived", "arrived", "cancelled", "no arrival record"]
    assert repeated.index.tolist() == [0, 0, 1, 1]


def test_clean_flights_of_no_flight_is_an_empty_table():
    clean = clean_flights(raw_flights().iloc[:0])
    assert clean.empty and "distance_km" in clean.columns


@hostile("bad_input")
def test_clean_flights_reports_missing_columns():
    with pytest.raises(
        ValueError, match=r"flights lacks column\(s\) \['dep_delay', 'minute'\]; it has: year"
    ):
        clean_flights(raw_flights().drop(columns=["minute", "dep_delay"]))
    with pytest.raises(TypeError, match="flights must be a pandas DataFrame"):
        clean_flights(raw_flights().to_dict())


@hostile("malformed_file")
def test_clean_flights_refuses_a_corrupted_file(tmp_path):
    path = tmp_path / "flights.csv"
    raw_flights().to_csv(path, index=False)
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace(",517,", ",5:17,", 1)  # a clock time typed with a colon
    path.write_text("\n".join(lines) + "\n")
    read_back = pd.read_csv(path)
    read_back["time_hour"] = pd.to_datetime(read_back["time_hour"], utc=True).dt.tz_convert(
        "America/New_York"
    )
    with pytest.raises(TypeError, match=r"flights\['dep_time'\] must be numeric, got dtype"):
        clean_flights(read_back)


@hostile("bad_input")
@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("flight", np.nan, r"flights\['flight'\] must hold known whole numbers, got 1 missing"),
        ("minute", 1.5, r"flights\['minute'\] must hold known whole numbers"),
        ("dep_delay", np.inf, r"flights\['dep_delay'\] holds 1 infinite value"),
        ("sched_arr_time", 1275, r"value\(s\) of 'sched_arr_time' are not HHMM"),
    ],
)
def test_clean_flights_refuses_values_it_would_misread(column, value, message):
    raw = raw_flights()
    raw[column] = raw[column].astype("float64")
    raw.loc[0, column] = value
    with pytest.raises(ValueError, match=message):
        clean_flights(raw)


@hostile("bad_input")
def test_clean_flights_refuses_naive_or_non_datetime_times():
    raw = raw_flights()
    with pytest.raises(ValueError, match=r"flights\['time_hour'\] must be time-zone aware"):
        clean_flights(raw.assign(time_hour=raw["time_hour"].dt.tz_localize(None)))
    with pytest.raises(TypeError, match=r"flights\['time_hour'\] must hold datetimes"):
        clean_flights(raw.assign(time_hour=raw["time_hour"].astype(str)))
    with pytest.raises(TypeError, match=r"flights\['distance'\] must be numeric, got dtype bool"):
        clean_flights(raw.assign(distance=True))


@hostile("bad_input")
def test_clean_flights_refuses_repeated_column_names():
    raw = raw_flights()
    doubled = pd.concat([raw, raw[["dep_delay"]]], axis=1)
    with pytest.raises(ValueError, match=r"flights must have unique column names.*dep_delay"):
        clean_flights(doubled)
