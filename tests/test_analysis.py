"""Tests of dlbigdata.analysis: column profiles, delay summaries, resampling, the weather join."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.analysis import (
    _column_kind,
    column_profile,
    delay_summary,
    delays_by_origin_hour,
    flights_per_destination,
    join_weather,
    resample_delays,
    string_memory,
)

TZ = "America/New_York"


@pytest.fixture
def flights() -> pd.DataFrame:
    """Eight scheduled flights on two days; the one with a missing delay was cancelled."""
    hours = pd.to_datetime(
        [
            "2013-01-01 06:00",
            "2013-01-01 06:00",
            "2013-01-01 07:00",
            "2013-01-01 07:00",
            "2013-01-02 06:00",
            "2013-01-02 06:00",
            "2013-01-02 08:00",
            "2013-01-02 08:00",
        ]
    ).tz_localize(TZ)
    return pd.DataFrame(
        {
            "carrier": pd.Categorical(["AA", "AA", "UA", "UA", "AA", "UA", "UA", "UA"]),
            "origin": pd.Categorical(["JFK", "LGA", "JFK", "JFK", "JFK", "LGA", "LGA", "LGA"]),
            "dest": pd.Categorical(["ORD", "ORD", "ATL", "SJU", "ORD", "ATL", "ATL", "ORD"]),
            "dep_delay": [0.0, 30.0, 10.0, np.nan, -5.0, 60.0, 20.0, 100.0],
            "time_hour": hours,
        }
    )


@pytest.fixture
def weather() -> pd.DataFrame:
    hours = pd.to_datetime(
        [
            "2013-01-01 06:00",
            "2013-01-01 07:00",
            "2013-01-01 06:00",
            "2013-01-02 06:00",
            "2013-01-02 06:00",
        ]
    ).tz_localize(TZ)
    return pd.DataFrame(
        {
            "origin": pd.Categorical(["JFK", "JFK", "LGA", "JFK", "LGA"]),
            "time_hour": hours,
            "visib": [10.0, 2.0, 10.0, 0.5, 7.0],
            "precip": [0.0, 0.1, 0.0, 0.3, 0.0],
        }
    )


# --- column_kind / column_profile / string_memory --------------------------------------------


def test_column_kind_recognises_each_kind(flights):
    assert _column_kind(flights["carrier"]) == "categorical"
    assert _column_kind(flights["dep_delay"]) == "numeric"
    assert _column_kind(flights["time_hour"]) == "date-time"
    assert _column_kind(pd.Series([True, False])) == "boolean"
    assert _column_kind(pd.Series(["N1", "N2"])) == "text"
    with pytest.raises(TypeError, match="must be a pandas Series"):
        _column_kind([1, 2])


def test_column_profile_counts_missing_distinct_and_memory(flights):
    profile = column_profile(flights)
    assert profile.index.tolist() == flights.columns.tolist()
    assert profile.loc["dep_delay", "missing"] == 1
    assert profile.loc["dep_delay", "distinct"] == 7
    assert profile.loc["dest", "distinct"] == 3
    assert profile.loc["time_hour", "kind"] == "date-time"
    assert profile.loc["dep_delay", "memory_bytes"] == 8 * 8
    assert profile["memory_bytes"].sum() == flights.memory_usage(deep=True, index=False).sum()


def test_column_profile_accepts_no_rows_but_rejects_no_columns(flights):
    assert column_profile(flights.iloc[:0])["missing"].sum() == 0
    with pytest.raises(ValueError, match="no columns"):
        column_profile(pd.DataFrame(index=[0, 1]))
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        column_profile(flights.to_dict())


def test_string_memory_shows_categories_are_smaller():
    frame = pd.DataFrame(
        {"carrier": ["United Air Lines Inc."] * 500 + ["Delta Air Lines Inc."] * 500}
    )
    table = string_memory(frame, ["carrier"])
    assert table.loc["carrier", "distinct"] == 2
    assert table.loc["carrier", "category_bytes"] < table.loc["carrier", "object_bytes"] / 10
    assert_allclose(
        table.loc["carrier", "saving"],
        table.loc["carrier", "object_bytes"] / table.loc["carrier", "category_bytes"],
    )


def test_string_memory_rejects_bad_input(flights):
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['tailnum'\]"):
        string_memory(flights, ["tailnum"])
    with pytest.raises(ValueError, match="columns must name at least one column"):
        string_memory(flights, [])
    with pytest.raises(ValueError, match="frame must have at least one row"):
        string_memory(flights.iloc[:0], ["carrier"])


# --- delay_summary ----------------------------------------------------------------------------


def test_delay_summary_counts_a_delay_of_exactly_15_minutes_as_late():
    flights = pd.DataFrame({"carrier": ["UA"] * 4, "dep_delay": [14.0, 15.0, 16.0, -3.0]})
    table = delay_summary(flights, "carrier")
    assert_allclose(table.loc["UA", "share_late"], 2 / 4)  # 15 and 16, the DOT rule
    assert_allclose(delay_summary(flights, "carrier", late_at=16).loc["UA", "share_late"], 1 / 4)


def test_delay_summary_per_carrier(flights):
    table = delay_summary(flights, "carrier")
    assert table.index.tolist() == ["UA", "AA"]  # worst mean delay first
    assert table.loc["UA", "flights"] == 5 and table.loc["UA", "cancelled"] == 1
    assert_allclose(table.loc["UA", "share_cancelled"], 0.2)
    assert_allclose(table.loc["UA", "mean_delay"], np.mean([10, 60, 20, 100]))
    assert_allclose(table.loc["UA", "median_delay"], 40.0)
    assert_allclose(table.loc["UA", "share_late"], 3 / 4)  # cancelled flight not counted as late
    assert_allclose(table.loc["AA", "share_late"], 1 / 3)
    assert_allclose(table.loc["AA", "p90_delay"], np.quantile([0, 30, -5], 0.9))
    assert table.attrs["groups_dropped"] == 0


def test_delay_summary_by_two_keys_and_min_flights(flights):
    table = delay_summary(flights, ["origin", "carrier"], min_flights=2)
    assert set(table.index) == {("JFK", "AA"), ("JFK", "UA"), ("LGA", "UA")}
    assert table.attrs["groups_dropped"] == 1  # (LGA, AA) has one flight


def test_delay_summary_rejects_bad_input(flights):
    with pytest.raises(ValueError, match=r"flights lacks column\(s\) \['airline'\]"):
        delay_summary(flights, "airline")
    with pytest.raises(TypeError, match="must be numeric, got dtype category"):
        delay_summary(flights, "origin", delay="carrier")
    with pytest.raises(TypeError, match="by must be a list of names, got int: 3"):
        delay_summary(flights, 3)
    with pytest.raises(TypeError, match="flights must be a pandas DataFrame"):
        delay_summary(flights.to_numpy(), "carrier")
    with pytest.raises(ValueError, match="flights must have at least one row"):
        delay_summary(flights.iloc[:0], "carrier")
    with pytest.raises(ValueError, match="min_flights must be an integer >= 1, got 0"):
        delay_summary(flights, "carrier", min_flights=0)
    with pytest.raises(
        ValueError, match=r"no group has at least min_flights=10 flights \(the largest has 5\)"
    ):
        delay_summary(flights, "carrier", min_flights=10)


# --- resample_delays --------------------------------------------------------------------------


def test_resample_delays_per_day_and_per_hour(flights):
    daily = resample_delays(flights, "D")
    assert daily["flights"].tolist() == [4, 4]
    assert daily["cancelled"].tolist() == [1, 0]
    assert_allclose(daily["mean_delay"], [40 / 3, 175 / 4])
    hourly = resample_delays(flights, "h")
    # Empty hours between the two days are kept, with no flights and no mean delay.
    assert len(hourly) == 27 and hourly["flights"].sum() == 8
    assert (hourly["flights"] == 0).sum() == 23 and hourly["mean_delay"].isna().sum() == 23


def test_resample_delays_rejects_bad_input(flights):
    with pytest.raises(TypeError, match="must hold datetimes"):
        resample_delays(flights.assign(time_hour=flights["time_hour"].astype(str)))
    with pytest.raises(ValueError, match="is not a pandas frequency"):
        resample_delays(flights, "fortnight")
    with pytest.raises(TypeError, match="rule must be a string, got int: 7"):
        resample_delays(flights, 7)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['sched_dep'\]"):
        resample_delays(flights, time="sched_dep")
    with pytest.raises(ValueError, match="flights must have at least one row"):
        resample_delays(flights.iloc[:0])


# --- delays_by_origin_hour and join_weather ---------------------------------------------------


def test_delays_by_origin_hour(flights):
    table = delays_by_origin_hour(flights)
    assert list(table.columns) == ["origin", "time_hour", "flights", "cancelled", "mean_delay"]
    assert len(table) == 6 and table["flights"].sum() == 8
    jfk_seven = table[(table["origin"] == "JFK") & (table["time_hour"].dt.hour == 7)].iloc[0]
    assert (jfk_seven["flights"], jfk_seven["cancelled"], jfk_seven["mean_delay"]) == (2, 1, 10.0)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['origin'\]"):
        delays_by_origin_hour(flights.drop(columns="origin"))


def test_join_weather_keeps_every_row_and_flags_the_unmatched(flights, weather):
    joined = join_weather(flights, weather)
    assert len(joined) == len(flights) and joined.index.equals(flights.index)
    assert joined["has_weather"].tolist() == [True, True, True, True, True, True, False, False]
    assert_allclose(joined["visib"].iloc[:6], [10.0, 10.0, 2.0, 2.0, 0.5, 7.0])
    assert joined["visib"].iloc[6:].isna().all()
    assert isinstance(joined["origin"].dtype, pd.CategoricalDtype)
    only_visibility = join_weather(flights, weather, columns=["visib"])
    assert "precip" not in only_visibility.columns and "visib" in only_visibility.columns


def test_join_weather_refuses_duplicated_weather(flights, weather):
    doubled = pd.concat([weather, weather.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="weather has 2 rows with a repeated key"):
        join_weather(flights, doubled)


def test_join_weather_rejects_bad_input(flights, weather):
    with pytest.raises(ValueError, match=r"weather lacks column\(s\) \['time_hour'\]"):
        join_weather(flights, weather.drop(columns="time_hour"))
    with pytest.raises(ValueError, match=r"weather lacks column\(s\) \['wind'\]"):
        join_weather(flights, weather, columns=["wind"])
    with pytest.raises(ValueError, match=r"column\(s\) \['dest'\] are already in table"):
        join_weather(flights, weather.assign(dest="X"), columns=["dest"])
    with pytest.raises(ValueError, match="weather must have at least one row"):
        join_weather(flights, weather.iloc[:0])
    with pytest.raises(TypeError, match="weather must be a pandas DataFrame"):
        join_weather(flights, None)
    with pytest.raises(TypeError, match="keys must hold strings only, got int: 1"):
        join_weather(flights, weather, keys=[1, 2])


# --- flights_per_destination ------------------------------------------------------------------


def test_flights_per_destination_keeps_unknown_airports(flights):
    airports = pd.DataFrame(
        {
            "faa": ["ORD", "ATL", "JFK"],
            "name": ["Chicago", "Atlanta", "Kennedy"],
            "lat": [41.98, 33.64, 40.64],
            "lon": [-87.9, -84.43, -73.78],
        }
    )
    table = flights_per_destination(flights, airports)
    assert table.index.tolist() == ["ORD", "ATL", "SJU"]
    assert table["flights"].tolist() == [4, 3, 1]
    assert table["located"].tolist() == [True, True, False]
    assert table.loc["SJU", ["lat", "lon"]].isna().all()
    assert table.loc["ATL", "name"] == "Atlanta"


def test_flights_per_destination_rejects_bad_input(flights):
    airports = pd.DataFrame(
        {"faa": ["ORD", "ORD"], "name": ["a", "b"], "lat": [1.0, 2.0], "lon": [3.0, 4.0]}
    )
    with pytest.raises(ValueError, match=r"lists the code\(s\) \['ORD'\] more than once"):
        flights_per_destination(flights, airports)
    with pytest.raises(ValueError, match=r"airports lacks column\(s\) \['lat', 'lon'\]"):
        flights_per_destination(flights, airports[["faa", "name"]])
    with pytest.raises(ValueError, match=r"flights lacks column\(s\) \['dest'\]"):
        flights_per_destination(flights.drop(columns="dest"), airports)


# --- hostile input (issue 8) ------------------------------------------------------------------


@pytest.mark.hostile("dropped_rows")
def test_delay_summary_keeps_a_missing_key_as_its_own_group(flights):
    flights.loc[[0, 2], "carrier"] = np.nan
    table = delay_summary(flights, "carrier")
    assert table["flights"].sum() == len(flights)
    assert table.loc[table.index.isna(), "flights"].tolist() == [2]
    assert table.attrs["groups_dropped"] == 0 and table.attrs["flights_dropped"] == 0
    # Dropped by min_flights, the missing-key group is counted like any other.
    kept = delay_summary(flights, ["carrier"], min_flights=3)
    assert not kept.index.isna().any()
    assert kept.attrs["groups_dropped"] == 2 and kept.attrs["flights_dropped"] == 4  # AA, NaN


@pytest.mark.hostile("dropped_rows")
def test_delay_summary_with_two_keys_keeps_rows_missing_one_key(flights):
    flights["origin"] = flights["origin"].astype(object)
    flights.loc[1, "origin"] = None
    table = delay_summary(flights, ["origin", "carrier"])
    assert table["flights"].sum() == len(flights)


@pytest.mark.hostile("dropped_rows")
def test_delays_by_origin_hour_keeps_missing_keys(flights):
    flights.loc[0, "origin"] = np.nan
    flights.loc[2, "time_hour"] = pd.NaT
    table = delays_by_origin_hour(flights)
    assert table["flights"].sum() == len(flights)
    assert table["origin"].isna().sum() == 1 and table["time_hour"].isna().sum() == 1


@pytest.mark.hostile("dropped_rows")
def test_join_weather_never_matches_a_missing_key_to_a_missing_key(flights, weather):
    flights.loc[0, "origin"] = np.nan
    weather.loc[0, "origin"] = np.nan  # the same hour, origin missing on both sides
    extra = weather.iloc[[0]].assign(visib=99.0)  # two weather rows without a key: no clash
    joined = join_weather(flights, pd.concat([weather, extra], ignore_index=True))
    assert not joined.loc[0, "has_weather"] and np.isnan(joined.loc[0, "visib"])
    assert joined["has_weather"].tolist() == [False, True, True, True, True, True, False, False]
    assert (joined["visib"] != 99.0).all()


@pytest.mark.hostile("dropped_rows")
def test_join_weather_missing_text_key_is_not_the_string_nan(flights, weather):
    weather["origin"] = weather["origin"].astype(object)
    weather.loc[0, "origin"] = "nan"
    flights.loc[0, "origin"] = np.nan
    assert not join_weather(flights, weather)["has_weather"].iloc[0]


@pytest.mark.hostile("dropped_rows")
def test_resample_delays_refuses_a_missing_time(flights):
    flights.loc[3, "time_hour"] = pd.NaT
    with pytest.raises(ValueError, match=r"flights\['time_hour'\] has 1 missing date-time"):
        resample_delays(flights, "D")


@pytest.mark.hostile("dropped_rows")
def test_flights_per_destination_counts_a_missing_destination(flights):
    flights.loc[0, "dest"] = np.nan
    airports = pd.DataFrame(
        {
            "faa": ["ORD", None],
            "name": ["Chicago", "ghost"],
            "lat": [41.98, 0.0],
            "lon": [-87.9, 0.0],
        }
    )
    table = flights_per_destination(flights, airports)
    assert table["flights"].sum() == len(flights)
    missing = table[table.index.isna()]
    assert missing["flights"].tolist() == [1] and not missing["located"].any()
    assert "nan" not in table.index


@pytest.mark.hostile("label_alignment")
def test_join_weather_keeps_a_shuffled_and_duplicated_index(flights, weather):
    shuffled = flights.iloc[::-1].set_axis([7, 7, 3, 3, 1, 1, 0, 0])
    joined = join_weather(shuffled, weather)
    assert joined.index.tolist() == [7, 7, 3, 3, 1, 1, 0, 0]
    expected = join_weather(flights, weather)["visib"].iloc[::-1].to_numpy()
    assert_allclose(joined["visib"].to_numpy(), expected)
    assert (joined["origin"].to_numpy() == shuffled["origin"].to_numpy()).all()


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_delay_summary_refuses_a_non_finite_threshold(flights, bad):
    with pytest.raises(ValueError, match=rf"late_at must be a finite number, got {bad!r}"):
        delay_summary(flights, "carrier", late_at=bad)


@pytest.mark.hostile("nan_parameter")
def test_delay_summary_refuses_a_nan_minimum(flights):
    with pytest.raises(TypeError, match="min_flights must be an integer, got float: nan"):
        delay_summary(flights, "carrier", min_flights=np.nan)


@pytest.mark.hostile("single_string")
def test_a_single_string_is_one_column_or_refused(flights, weather):
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['ab'\]"):
        delay_summary(flights, "ab")  # one column named "ab", never "a" and "b"
    with pytest.raises(TypeError, match="columns must be a list of names, got the single string"):
        string_memory(flights, "carrier")
    with pytest.raises(TypeError, match="keys must be a list of names, got the single string"):
        join_weather(flights, weather, keys="origin")
    with pytest.raises(TypeError, match="columns must be a list of names, got the single string"):
        join_weather(flights, weather, columns="visib")


@pytest.mark.hostile("bad_input")
def test_column_profile_refuses_repeated_column_names():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(ValueError, match=r"frame has more than one column named \['a'\]"):
        column_profile(frame)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got list"):
        column_profile([[1, 2]])


@pytest.mark.hostile("bad_input")
def test_delay_summary_refuses_booleans_and_a_repeated_key(flights):
    with pytest.raises(TypeError, match="min_flights must be an integer, got bool: True"):
        delay_summary(flights, "carrier", min_flights=True)
    with pytest.raises(ValueError, match=r"by must not repeat a name, got \['carrier'\]"):
        delay_summary(flights, ["carrier", "carrier"])
    with pytest.raises(TypeError, match=r"flights\['dep_delay'\] must be numeric, got dtype bool"):
        delay_summary(flights.assign(dep_delay=True), "carrier")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("rule", ["0D", "-1D"])
def test_resample_delays_refuses_a_non_positive_rule(flights, rule):
    with pytest.raises(ValueError, match=f"rule must be a positive frequency.*got '{rule}'"):
        resample_delays(flights, rule)


@pytest.mark.hostile("bad_input")
def test_resample_delays_refuses_a_rule_too_fine_for_the_memory(flights):
    with pytest.raises(ValueError, match="rule 'ns' would build 93,600,000,000,000 periods"):
        resample_delays(flights, "ns")


@pytest.mark.hostile("bad_input")
def test_delays_by_origin_hour_refuses_text_times(flights):
    with pytest.raises(TypeError, match=r"flights\['time_hour'\] must hold datetimes, got dtype"):
        delays_by_origin_hour(flights.assign(time_hour="2013-01-01"))
    with pytest.raises(TypeError, match="delay must be a string, got int: 3"):
        delays_by_origin_hour(flights, delay=3)


@pytest.mark.hostile("bad_input")
def test_join_weather_refuses_keys_that_cannot_match(flights, weather):
    naive = weather.assign(time_hour=weather["time_hour"].dt.tz_localize(None))
    with pytest.raises(TypeError, match="key 'time_hour' holds time-zone aware date-time values"):
        join_weather(flights, naive)
    with pytest.raises(TypeError, match="key 'origin' holds text values in table but numeric"):
        join_weather(flights, weather.assign(origin=1))
    with pytest.raises(ValueError, match="the column 'has_weather' is the join's flag"):
        join_weather(join_weather(flights, weather), weather)


@pytest.mark.hostile("bad_input")
def test_flights_per_destination_refuses_text_coordinates(flights):
    airports = pd.DataFrame(
        {"faa": ["ORD"], "name": ["Chicago"], "lat": ["41.98"], "lon": [-87.9]}
    )
    with pytest.raises(TypeError, match=r"airports\['lat'\] must be numeric, got dtype"):
        flights_per_destination(flights, airports)
    with pytest.raises(TypeError, match="airports must be a pandas DataFrame, got NoneType"):
        flights_per_destination(flights, None)


@pytest.mark.hostile("bad_input")
def test_string_memory_refuses_non_string_names_and_repeated_columns(flights):
    with pytest.raises(TypeError, match="columns must hold strings only, got int: 0"):
        string_memory(flights, [0])
    with pytest.raises(ValueError, match=r"columns must not repeat a name, got \['dest'\]"):
        string_memory(flights, ["dest", "dest"])
    doubled = pd.concat([flights[["dest"]], flights[["dest"]]], axis=1)
    with pytest.raises(ValueError, match=r"frame has more than one column named \['dest'\]"):
        string_memory(doubled, ["dest"])


@pytest.mark.hostile("state_corruption")
def test_delay_summary_refuses_infinite_delays():
    flights = pd.DataFrame({"carrier": ["UA", "UA"], "dep_delay": [5.0, np.inf]})
    with pytest.raises(ValueError, match=r"flights\['dep_delay'\] holds 1 infinite delay"):
        delay_summary(flights, "carrier")
