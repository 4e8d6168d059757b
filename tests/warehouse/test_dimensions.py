"""Tests of dlbigdata.warehouse.dimensions: surrogate keys and the dimension builders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import warehouse_tables
from numpy.testing import assert_array_equal

from dlbigdata import warehouse as wh


def test_surrogate_keys_follow_the_natural_key_order():
    frame = pd.DataFrame({"code": ["UA", "AA", "DL"], "name": ["u", "a", "d"]}, index=[5, 5, 2])
    keyed = wh.assign_surrogate_keys(frame, ["code"], "carrier_key", first_key=np.int64(5))
    assert keyed.columns[0] == "carrier_key"
    assert keyed["code"].tolist() == ["AA", "DL", "UA"]
    assert keyed["name"].tolist() == ["a", "d", "u"]
    assert_array_equal(keyed["carrier_key"], [5, 6, 7])


@pytest.mark.parametrize(
    "frame, match",
    [
        (pd.DataFrame({"code": ["UA", "UA"]}), r"not unique, e.g. \[\{'code': 'UA'\}\]"),
        (pd.DataFrame({"code": ["UA", None]}), r"missing values in 1 row\(s\) \(at index \[1\]\)"),
        (pd.DataFrame({"code": ["UA", np.nan]}), r"missing values in 1 row"),
        (pd.DataFrame({"name": ["UA"]}), r"natural-key column\(s\) \['code'\] not in \['name'\]"),
        (
            pd.DataFrame({"code": ["(unknown)"]}),
            r"holds '\(unknown\)' in 1 row\(s\); that value is reserved",
        ),
        (pd.DataFrame({"code": ["UA"], "key": [1]}), r"key 'key' is already a column"),
    ],
)
@pytest.mark.hostile("dropped_rows")
def test_surrogate_keys_reject_bad_natural_keys(frame, match):
    with pytest.raises(ValueError, match=match):
        wh.assign_surrogate_keys(frame, ["code"], "key")


@pytest.mark.hostile("single_string")
def test_a_single_string_is_not_a_list_of_key_columns():
    frame = pd.DataFrame({"c": ["UA"], "o": ["x"], "d": ["y"], "e": ["z"]})
    with pytest.raises(
        TypeError, match=r"natural_key must be a list of names, got the single string 'code'"
    ):
        wh.assign_surrogate_keys(frame, "code", "key")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"first_key": 0}, ValueError, r"first_key must be an integer >= 1, got 0"),
        ({"first_key": 1.0}, TypeError, r"first_key must be an integer, got float: 1.0"),
        ({"first_key": True}, TypeError, r"first_key must be an integer, got bool"),
        ({"key": ""}, ValueError, r"key must be a non-empty string, got ''"),
        ({"frame": {"code": ["UA"]}}, TypeError, r"frame must be a pandas DataFrame, got dict"),
    ],
)
def test_surrogate_keys_check_their_arguments(kwargs, error, match):
    arguments = {"frame": pd.DataFrame({"code": ["UA"]}), "natural_key": ["code"], "key": "k"}
    with pytest.raises(error, match=match):
        wh.assign_surrogate_keys(**{**arguments, **kwargs})


def test_dimension_builders_key_their_rows():
    tables = warehouse_tables()
    planes = wh.build_dimension("dim_plane", tables["planes"])
    assert planes["tail_number"].tolist() == ["N1", "N2"]
    assert planes["plane_key"].tolist() == [1, 2]
    weather = wh.build_dimension("dim_weather", tables["weather"])
    assert str(weather["observed_at_utc"].iloc[0]) == "2013-01-01 10:00:00"  # 05:00 in New York
    for dimension, source in wh.DIMENSION_SOURCES.items():
        built = wh.build_dimension(dimension, tables[source])
        assert built.columns.tolist() == [name for name, _ in wh.STAR_SCHEMA[dimension]]
    carriers = wh.build_carrier_dimension(tables["airlines"])
    pd.testing.assert_frame_equal(carriers, wh.build_dimension("dim_carrier", tables["airlines"]))
    assert carriers["carrier_code"].tolist() == ["AA", "UA"]


def test_a_shuffled_index_keeps_each_row_together():
    airports = warehouse_tables()["airports"]
    shuffled = airports.iloc[[3, 1, 0, 2]].set_axis([0, 0, 9, 1])
    built = wh.build_dimension("dim_airport", shuffled).set_index("faa_code")
    assert built.loc["MIA", "airport_name"] == "Miami Intl"
    assert built.loc["MIA", "latitude"] == 25.79


@pytest.mark.parametrize(
    "dimension, frame, error, match",
    [
        (
            "dim_carrier",
            pd.DataFrame({"carrier": ["UA"]}),
            ValueError,
            r"table 'airlines' is missing column\(s\) \['name'\]; required: \['carrier', 'name'\]",
        ),
        (
            "dim_plane",
            "planes.csv",
            TypeError,
            "table 'planes' must be a pandas DataFrame, got str",
        ),
        (
            "dim_airport",
            warehouse_tables()["airports"].assign(lat="40.6N"),
            TypeError,
            r"column airports.lat has dtype .*accepted: a real numeric dtype",
        ),
        (
            "dim_carrier",
            pd.DataFrame({"carrier": ["UA", "UA"], "name": ["a", "b"]}),
            ValueError,
            r"natural key \['carrier_code'\] is not unique",
        ),
        (
            "dim_plane",
            warehouse_tables()["planes"].assign(seats=[10, 2**40]),
            ValueError,
            r"dim_plane.seats must fit a 32-bit INTEGER, got \[1099511627776\]",
        ),
        (
            "dim_carrier",
            pd.DataFrame({"carrier": ["UA", "AA"], "name": ["United", None]}),
            ValueError,
            r"dim_carrier.carrier_name must not be missing, got 1 missing value\(s\)",
        ),
        ("dim_flight", pd.DataFrame(), ValueError, r"dimension must be one of 'dim_carrier'"),
        ("dim_date", pd.DataFrame(), ValueError, r"dimension must be one of .*; got 'dim_date'"),
    ],
)
@pytest.mark.hostile("bad_input")
def test_dimension_builders_refuse_bad_tables(dimension, frame, error, match):
    with pytest.raises(error, match=match):
        wh.build_dimension(dimension, frame)


@pytest.mark.hostile("dropped_rows")
@pytest.mark.parametrize("source, column", [("weather", "origin"), ("planes", "tailnum")])
def test_a_missing_natural_key_is_refused_not_dropped(source, column):
    tables = warehouse_tables()
    tables[source].loc[1, column] = np.nan
    dimension = {"weather": "dim_weather", "planes": "dim_plane"}[source]
    with pytest.raises(ValueError, match=r"has missing values in 1 row\(s\) \(at index \[1\]\)"):
        wh.build_dimension(dimension, tables[source])


@pytest.mark.hostile("bad_input")
def test_carrier_builder_refuses_bad_input():
    with pytest.raises(TypeError, match=r"table 'airlines' must be a pandas DataFrame, got list"):
        wh.build_carrier_dimension([["UA", "United"]])


def test_date_dimension_covers_whole_years():
    dates = wh.build_date_dimension(pd.Series(pd.to_datetime(["2013-03-05", "2013-07-01", None])))
    assert len(dates) == 365
    first = dates.iloc[0]
    assert first["date_key"] == 20130101 and first["day_name"] == "Tuesday"
    assert first["quarter"] == 1 and not first["is_weekend"]
    assert dates["is_weekend"].sum() == 104  # 52 Saturdays and 52 Sundays in 2013


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "dates, error, match",
    [
        (pd.Series([pd.NaT]), ValueError, "dates holds no valid date"),
        (pd.Series(["2013-01-01"]), TypeError, r"dates\['dates'\] must hold datetimes, got dtype"),
        (["2013-01-01"], TypeError, "dates must be a pandas Series, got list"),
    ],
)
def test_date_dimension_refuses_bad_dates(dates, error, match):
    with pytest.raises(error, match=match):
        wh.build_date_dimension(dates)
