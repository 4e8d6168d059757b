"""Tests of dlbigdata.warehouse.load: the idempotent load, its report, updates and rollback."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import warehouse_tables
from numpy.testing import assert_array_equal

from dlbigdata import warehouse as wh
from dlbigdata.warehouse import _duck, load

REPEAT = "repeats an earlier flight of the batch (same date, carrier, number, origin, time)"


def test_load_counts_rows_and_uses_unknown_members(con):
    report = wh.load_star_schema(con, warehouse_tables())
    assert report.balanced
    assert report.tables.loc["fact_flight", "inserted"] == 5
    assert report.tables.loc["dim_date", "inserted"] == 365
    assert report.rejected.empty and report.updates.empty
    unknown = report.unknown_members.set_index(["role", "reason"])["rows"]
    assert unknown[("dest", "destination airport code not in airports")] == 1
    assert unknown[("plane", "tail number missing")] == 1
    assert unknown[("plane", "tail number not in planes")] == 1
    assert unknown[("weather", "no weather observation at the origin in that hour")] == 2
    keys = con.execute(
        "SELECT d.faa_code, p.tail_number FROM fact_flight f JOIN dim_airport d "
        "ON d.airport_key = f.dest_airport_key JOIN dim_plane p ON p.plane_key = f.plane_key "
        "WHERE f.flight_number = ? ORDER BY f.date_key",
        [10],
    ).fetchall()
    assert keys == [("MIA", "N2"), (wh.UNKNOWN_LABEL, wh.UNKNOWN_LABEL)]
    assert set(wh.foreign_key_violations(con).values()) == {0}
    assert "offered 381 rows: inserted 381" in report.summary()


def test_a_second_identical_load_changes_nothing(con):
    wh.load_star_schema(con, warehouse_tables())
    before = wh.table_fingerprints(con)
    report = wh.load_star_schema(con, warehouse_tables())
    pd.testing.assert_frame_equal(wh.table_fingerprints(con), before)
    assert report.tables["inserted"].sum() == 0 and report.tables["updated"].sum() == 0
    assert_array_equal(report.tables["already_present"], report.tables["source_rows"])
    assert report.updates.empty


@pytest.mark.hostile("hidden_change")
def test_a_changed_measure_updates_the_fact_and_is_reported(con):
    wh.load_star_schema(con, warehouse_tables())
    tables = warehouse_tables()
    tables["flights"].loc[0, "arr_delay"] = 99.0
    report = wh.load_star_schema(con, tables)
    counts = report.tables.loc["fact_flight"]
    assert (counts["inserted"], counts["already_present"], counts["updated"]) == (0, 5, 1)
    assert report.updates.set_index("table").loc["fact_flight", "examples"] == (
        "20130101 UA1545 EWR-IAH"
    )
    assert "updated 1 rows of fact_flight in place (e.g. 20130101 UA1545 EWR-IAH)" in (
        report.summary()
    )
    assert con.execute(
        "SELECT arrival_delay_min FROM fact_flight WHERE date_key = ? AND flight_number = ?",
        [20130101, 1545],
    ).fetchone() == (99.0,)
    (rows,) = con.execute("SELECT count(*) FROM fact_flight").fetchone()
    assert rows == 5 and report.balanced


@pytest.mark.hostile("hidden_change")
def test_a_member_that_becomes_known_updates_the_fact(con):
    wh.load_star_schema(con, warehouse_tables())
    tables = warehouse_tables()
    tables["planes"] = pd.concat(
        [tables["planes"], tables["planes"].iloc[[0]].assign(tailnum="NX")], ignore_index=True
    )
    report = wh.load_star_schema(con, tables)
    assert report.tables.loc["fact_flight", "updated"] == 1
    assert report.tables.loc["dim_plane", "inserted"] == 1
    (plane,) = con.execute(
        "SELECT p.tail_number FROM fact_flight f JOIN dim_plane p USING (plane_key) "
        "WHERE f.date_key = ? AND f.flight_number = ?",
        [20130102, 10],
    ).fetchone()
    assert plane == "NX"


@pytest.mark.hostile("hidden_change")
def test_new_members_continue_the_key_sequence_and_changed_ones_are_updated(con):
    # Until issue 8 the renamed carrier kept its stored name and was only counted.
    wh.load_star_schema(con, warehouse_tables())
    tables = warehouse_tables()
    tables["airlines"] = pd.DataFrame(
        {
            "carrier": ["UA", "AA", "B6"],
            "name": ["United (renamed)", "American Airlines Inc.", "JetBlue Airways"],
        }
    )
    report = wh.load_star_schema(con, tables)
    counts = report.tables.loc["dim_carrier"]
    assert (counts["inserted"], counts["already_present"], counts["updated"]) == (1, 2, 1)
    assert report.updates.set_index("table").loc["dim_carrier", "examples"] == "UA"
    rows = con.execute(
        "SELECT carrier_key, carrier_code, carrier_name FROM dim_carrier ORDER BY carrier_key"
    ).fetchall()
    assert rows == [
        (0, wh.UNKNOWN_LABEL, wh.UNKNOWN_LABEL),
        (1, "AA", "American Airlines Inc."),
        (2, "UA", "United (renamed)"),
        (3, "B6", "JetBlue Airways"),
    ]


@pytest.mark.hostile("hidden_change")
def test_a_changed_weather_observation_is_updated(con):
    wh.load_star_schema(con, warehouse_tables())
    tables = warehouse_tables()
    tables["weather"].loc[2, "visib"] = np.nan
    report = wh.load_star_schema(con, tables)
    assert report.updates.set_index("table").loc["dim_weather", "examples"] == (
        "EWR 2013-01-02 10:00:00"
    )
    assert con.execute(
        "SELECT count(*) FROM dim_weather WHERE visibility_mi IS NULL AND weather_key <> ?", [0]
    ).fetchone() == (1,)


def test_reject_policy_rejects_and_says_why(con):
    report = wh.load_star_schema(con, warehouse_tables(), on_missing={"dest": "reject"})
    assert report.tables.loc["fact_flight", "rejected"] == 1
    assert report.rejected["reason"].tolist() == ["destination airport code not in airports"]
    assert "SJU" in report.rejected["examples"].iloc[0]
    assert report.balanced
    (count,) = con.execute("SELECT count(*) FROM fact_flight").fetchone()
    assert count == 4


def test_invalid_flights_are_rejected_with_reasons(con):
    tables = warehouse_tables()
    flights = pd.concat([tables["flights"], tables["flights"].iloc[[0]]], ignore_index=True)
    flights.loc[1, "day"] = 30
    flights.loc[1, "month"] = 2  # 30 February
    flights.loc[2, "distance"] = -5
    tables["flights"] = flights
    report = wh.load_star_schema(con, tables)
    reasons = report.rejected.set_index("reason")["rows"]
    assert reasons["invalid date (year, month, day)"] == 1
    assert reasons["distance is missing or not positive"] == 1
    assert reasons[REPEAT] == 1
    assert report.tables.loc["fact_flight", "inserted"] == 3
    assert report.balanced


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("sched_dep_time", 2460, "scheduled departure is not a valid HHMM time"),
        ("dep_time", 40000, "departure, scheduled arrival or arrival is not a valid HHMM time"),
        ("arr_time", -5, "departure, scheduled arrival or arrival is not a valid HHMM time"),
        ("flight", 2**40, "flight number is missing or not between 1 and 2147483647"),
        ("flight", 0, "flight number is missing or not between 1 and 2147483647"),
        ("year", 10**15, "invalid date (year, month, day)"),
    ],
)
def test_values_out_of_range_are_rejected_not_loaded(con, column, value, reason):
    tables = warehouse_tables()
    tables["flights"][column] = tables["flights"][column].astype("Int64")
    tables["flights"].loc[3, column] = value
    report = wh.load_star_schema(con, tables)
    assert report.rejected.set_index("reason").loc[reason, "rows"] == 1
    assert report.tables.loc["fact_flight", "inserted"] == 4 and report.balanced


@pytest.mark.hostile("dropped_rows")
@pytest.mark.parametrize(
    "column, reason",
    [
        ("origin", "missing carrier, origin or destination code"),
        ("carrier", "missing carrier, origin or destination code"),
        ("dest", "missing carrier, origin or destination code"),
        ("year", "invalid date (year, month, day)"),
        ("flight", "flight number is missing or not between 1 and 2147483647"),
        ("sched_dep_time", "scheduled departure is not a valid HHMM time"),
    ],
)
def test_a_flight_with_a_missing_key_is_rejected_and_reported(con, column, reason):
    tables = warehouse_tables()
    if pd.api.types.is_integer_dtype(tables["flights"][column]):
        tables["flights"][column] = tables["flights"][column].astype("Int64")
    tables["flights"].loc[0, column] = None
    report = wh.load_star_schema(con, tables)
    assert report.rejected.set_index("reason").loc[reason, "rows"] == 1
    assert report.tables.loc["fact_flight", ["inserted", "rejected"]].tolist() == [4, 1]
    assert report.balanced


@pytest.mark.hostile("dropped_rows")
def test_a_missing_origin_is_never_joined_to_a_weather_row(con):
    tables = warehouse_tables()
    tables["flights"].loc[0, "origin"] = np.nan
    report = wh.load_star_schema(con, tables, on_missing={"weather": "reject"})
    reasons = report.rejected.set_index("reason")
    no_weather = reasons.loc["no weather observation at the origin in that hour"]
    assert no_weather["rows"] == 2 and "?" not in no_weather["examples"]
    assert reasons.loc["missing carrier, origin or destination code", "rows"] == 1
    assert report.tables.loc["fact_flight", "inserted"] == 2


@pytest.mark.hostile("dropped_rows")
def test_a_missing_departure_hour_points_at_the_unknown_weather(con):
    tables = warehouse_tables()
    tables["flights"].loc[0, "time_hour"] = pd.NaT
    report = wh.load_star_schema(con, tables)
    unknown = report.unknown_members.set_index(["role", "reason"])["rows"]
    assert unknown[("weather", "departure hour (time_hour) missing")] == 1
    assert report.tables.loc["fact_flight", "inserted"] == 5


@pytest.mark.hostile("dropped_rows")
def test_two_unknown_carriers_with_the_same_flight_do_not_make_two_facts_of_one_key(con):
    tables = warehouse_tables()
    extra = tables["flights"].iloc[[0, 0]].assign(carrier=["ZZ", "YY"])
    tables["flights"] = pd.concat([tables["flights"], extra], ignore_index=True)
    report = wh.load_star_schema(con, tables)
    assert report.rejected.set_index("reason").loc[REPEAT, "rows"] == 1
    assert report.tables.loc["fact_flight", "inserted"] == 6


@pytest.mark.hostile("sql_escape")
def test_quotes_in_codes_are_data_not_sql(con):
    tables = warehouse_tables()
    tables["airlines"].loc[1, "carrier"] = "AA' OR '1'='1"
    tables["airlines"].loc[0, "name"] = 'United "Air" Lines'
    tables["flights"]["carrier"] = tables["flights"]["carrier"].astype(object)
    tables["flights"].loc[[1, 3], "carrier"] = "AA' OR '1'='1"
    report = wh.load_star_schema(con, tables)
    assert report.unknown_members.query("role == 'carrier'").empty
    assert con.execute(
        "SELECT carrier_name FROM dim_carrier WHERE carrier_code = ?", ["UA"]
    ).fetchone() == ('United "Air" Lines',)


@pytest.mark.hostile("binding_type")
def test_numpy_dtypes_and_other_time_zones_are_stored_as_values(con):
    tables = warehouse_tables()
    flights = tables["flights"]
    flights["flight"] = flights["flight"].astype(np.int32)
    flights["sched_dep_time"] = flights["sched_dep_time"].astype(np.int16)
    flights["tailnum"] = [np.str_("N1"), "N2", "N1", "NX", None]
    tables["weather"]["time_hour"] = tables["weather"]["time_hour"].dt.tz_convert("UTC")
    report = wh.load_star_schema(con, tables)
    unknown = report.unknown_members.set_index(["role", "reason"])["rows"]
    assert unknown[("weather", "no weather observation at the origin in that hour")] == 2
    types = dict(con.execute(
        "SELECT DISTINCT typeof(flight_number), typeof(scheduled_departure_hhmm) FROM fact_flight"
    ).fetchall())  # fmt: skip
    assert types == {"INTEGER": "SMALLINT"}
    assert con.execute(
        "SELECT count(*) FROM fact_flight f JOIN dim_plane p USING (plane_key) "
        "WHERE p.tail_number = ?",
        ["N1"],
    ).fetchone() == (2,)


def test_an_empty_batch_of_flights_loads_the_dimensions(con):
    tables = warehouse_tables()
    tables["flights"] = tables["flights"].iloc[:0]
    report = wh.load_star_schema(con, tables)
    assert report.tables.loc["fact_flight", "source_rows"] == 0
    assert report.tables.loc["dim_date", "inserted"] == 0
    assert report.tables.loc["dim_carrier", "inserted"] == 2


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize(
    "change, error, match",
    [
        (
            lambda t: t.pop("planes"),
            ValueError,
            r"missing source table\(s\) \['planes'\]; required",
        ),
        (
            lambda t: t["flights"].__setitem__("distance", ["far"] * 5),
            TypeError,
            r"column flights.distance has dtype .*accepted: a real numeric dtype",
        ),
        (
            lambda t: t["weather"].__setitem__("origin", ["EWR", None, "EWR"]),
            ValueError,
            r"natural key \['airport_code', 'observed_at_utc'\] has missing values in 1 row",
        ),
        (
            lambda t: t.update(airlines=[1, 2]),
            TypeError,
            "table 'airlines' must be a pandas DataFrame",
        ),
    ],
)
def test_bad_tables_get_a_clear_error_and_change_nothing(con, change, error, match):
    wh.load_star_schema(con, warehouse_tables())
    before = wh.table_fingerprints(con)
    tables = warehouse_tables()
    change(tables)
    with pytest.raises(error, match=match):
        wh.load_star_schema(con, tables)
    pd.testing.assert_frame_equal(wh.table_fingerprints(con), before)


@pytest.mark.hostile("bad_input")
def test_tables_must_be_a_mapping(con):
    with pytest.raises(TypeError, match="mapping of name to DataFrame, got"):
        wh.load_star_schema(con, [warehouse_tables()["flights"]])


@pytest.mark.hostile("bad_input")
def test_con_must_be_a_duckdb_connection():
    with pytest.raises(TypeError, match=r"con must be a DuckDB connection .*got str: 'w.duckdb'"):
        wh.load_star_schema("w.duckdb", warehouse_tables())


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "on_missing, error, match",
    [
        (
            "ignore",
            ValueError,
            r"policy 'ignore' for role 'carrier' is not accepted; accepted: \['unknown', 'rej",
        ),
        ({"gate": "reject"}, ValueError, r"unknown role\(s\) \['gate'\].*accepted: \['carrier'"),
        ({"dest": ["reject"]}, ValueError, r"policy \['reject'\] for role 'dest' is not accepted"),
        (3, TypeError, "on_missing must be a str or a mapping role -> policy, got 3"),
    ],
)
def test_unknown_policy_values_are_refused(con, on_missing, error, match):
    with pytest.raises(error, match=match):
        wh.load_star_schema(con, warehouse_tables(), on_missing=on_missing)
    assert con.execute("SHOW TABLES").fetchall() == []


@pytest.mark.hostile("state_corruption")
def test_a_failure_inside_the_transaction_rolls_everything_back(con, monkeypatch):
    wh.load_star_schema(con, warehouse_tables())
    before = wh.table_fingerprints(con)
    tables = warehouse_tables()
    tables["airlines"] = pd.concat(
        [tables["airlines"], pd.DataFrame({"carrier": ["B6"], "name": ["JetBlue Airways"]})],
        ignore_index=True,
    )
    tables["flights"].loc[0, "arr_delay"] = 99.0  # an update, rolled back too

    def crash(con):
        raise RuntimeError("disk full while inserting facts")

    monkeypatch.setattr(load, "_insert_facts", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        wh.load_star_schema(con, tables)
    pd.testing.assert_frame_equal(wh.table_fingerprints(con), before)
    assert con.execute(
        "SELECT count(*) FROM dim_carrier WHERE carrier_code = ?", ["B6"]
    ).fetchone() == (0,)


@pytest.mark.hostile("state_corruption")
def test_a_failed_first_load_leaves_no_table(con, monkeypatch):
    monkeypatch.setattr(load, "_insert_facts", lambda con: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        wh.load_star_schema(con, warehouse_tables())
    assert con.execute("SHOW TABLES").fetchall() == []


@pytest.mark.hostile("masked_error")
def test_a_load_inside_an_open_transaction_is_refused(con):
    con.execute("BEGIN TRANSACTION")
    with pytest.raises(ValueError, match="con is already inside a transaction"):
        wh.load_star_schema(con, warehouse_tables())
    con.execute("ROLLBACK")


class _FailingCommit:
    """A connection whose COMMIT fails and whose ROLLBACK then finds no transaction."""

    def execute(self, statement):
        import duckdb

        if statement == "COMMIT":
            raise duckdb.ConstraintException("duplicate key in fact_flight")
        if statement == "ROLLBACK":
            raise duckdb.TransactionException("cannot rollback - no transaction is active")


@pytest.mark.hostile("masked_error")
def test_a_failed_rollback_does_not_hide_the_failed_commit():
    import duckdb

    with (
        pytest.raises(duckdb.ConstraintException, match="duplicate key in fact_flight") as caught,
        _duck.transaction(_FailingCommit()),
    ):
        pass
    assert any("no transaction is active" in note for note in caught.value.__notes__)
