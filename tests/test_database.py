"""Tests of dlbigdata.database: keyed schema, all-or-nothing loads, parameter-only SQL."""

from __future__ import annotations

import sqlite3

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.database import (
    FLIGHTS_SCHEMA,
    connect,
    count_rows,
    create_flights_schema,
    draw_schema,
    execute,
    explain_query_plan,
    foreign_key_violations,
    insert_frame,
    query,
    table_columns,
    time_query,
    transaction,
)


def airlines() -> pd.DataFrame:
    return pd.DataFrame(
        {"carrier": ["AA", "UA"], "name": ["American Airlines Inc.", "United Air Lines Inc."]}
    )


def airports() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "faa": ["EWR", "JFK", "IAH"],
            "name": ["Newark Liberty Intl", "John F Kennedy Intl", "George Bush Intercontinental"],
            "lat": [40.69, 40.64, 29.98],
            "lon": [-74.17, -73.78, -95.34],
            "alt": [18, 13, 97],
            "tz": pd.Categorical([-5, -5, -6]),
            "dst": pd.Categorical(["A", "A", "A"]),
            "tzone": ["America/New_York", "America/New_York", None],
        }
    )


def flights(n: int = 3, carrier: str = "UA") -> pd.DataFrame:
    time_hour = pd.Series(
        pd.date_range("2013-01-01 05:00", periods=n, freq="h", tz="America/New_York")
    )
    return pd.DataFrame(
        {
            "year": 2013,
            "month": 1,
            "day": 1,
            "dep_time": pd.array([517 + 100 * i for i in range(n - 1)] + [None], dtype="Int64"),
            "sched_dep_time": pd.array([515 + 100 * i for i in range(n)], dtype="Int64"),
            "dep_delay": [2.0] * (n - 1) + [np.nan],
            "arr_time": pd.array([830] * (n - 1) + [None], dtype="Int64"),
            "sched_arr_time": pd.array([819] * n, dtype="Int64"),
            "arr_delay": [11.0] * (n - 1) + [np.nan],
            "carrier": pd.Categorical([carrier] * n),
            "flight": np.arange(1, n + 1),
            "tailnum": ["N14228"] * (n - 1) + [None],
            "origin": pd.Categorical(["EWR"] * n),
            "dest": pd.Categorical(["IAH"] * n),
            "air_time": [227.0] * (n - 1) + [np.nan],
            "distance": 1400,
            "hour": [5 + i for i in range(n)],
            "minute": 15,
            "time_hour": time_hour,
        }
    )


@pytest.fixture
def conn():
    connection = connect()
    create_flights_schema(connection)
    insert_frame(connection, "airlines", airlines())
    insert_frame(connection, "airports", airports())
    yield connection
    connection.close()


# ---------------------------------------------------------------------------
# Connections and schema
# ---------------------------------------------------------------------------


def test_connect_enforces_foreign_keys_and_autocommits():
    connection = connect()
    assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert connection.isolation_level is None
    connection.close()


def test_connect_refuses_a_corrupted_file(tmp_path):
    path = tmp_path / "flights.db"
    path.write_bytes(b"this is not a database, just some bytes" * 100)
    with pytest.raises(
        ValueError, match=r"flights.db is not a usable SQLite database \(file is not a database\)"
    ):
        connect(path)
    with pytest.raises(TypeError, match="path must be a str or pathlib.Path, got int"):
        connect(42)


def test_connect_refuses_a_truncated_database(tmp_path):
    path = tmp_path / "flights.db"
    connection = connect(path)
    create_flights_schema(connection)
    insert_frame(connection, "airlines", airlines())
    connection.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50 + data[150:])  # damage the header's page counts
    with pytest.raises(ValueError, match="is not a usable SQLite database"):
        connect(path).execute("SELECT * FROM airlines").fetchall()


def test_connect_reopens_a_file_with_its_data(tmp_path):
    path = tmp_path / "flights.db"
    connection = connect(path)
    create_flights_schema(connection)
    insert_frame(connection, "airlines", airlines())
    connection.close()
    assert count_rows(connect(path), "airlines") == 2


def test_schema_is_rerunnable_and_declares_keys(conn):
    assert create_flights_schema(conn) == list(FLIGHTS_SCHEMA)  # a second run does not fail
    assert create_flights_schema(conn) == ["airlines", "airports", "planes", "weather", "flights"]
    columns = table_columns(conn, "weather")
    assert columns.loc[columns["pk"] > 0, "name"].tolist() == ["origin", "time_hour"]
    parents = {row[2] for row in conn.execute("PRAGMA foreign_key_list(flights)")}
    assert parents == {"airlines", "airports"}
    assert count_rows(conn, "airlines") == 2  # the rerun did not touch the data


# ---------------------------------------------------------------------------
# Bulk loading, constraints and transactions
# ---------------------------------------------------------------------------


def test_insert_frame_loads_rows_with_nulls_and_utc_timestamps(conn):
    assert insert_frame(conn, "flights", flights()) == 3
    stored = query(
        conn, "SELECT flight_id, dep_time, tailnum, time_hour FROM flights ORDER BY flight_id"
    )
    assert stored["flight_id"].tolist() == [1, 2, 3]
    assert stored["dep_time"].isna().tolist() == [False, False, True]
    assert pd.isna(stored["tailnum"].iloc[-1])
    assert (
        stored["time_hour"].tolist()[0] == "2013-01-01T10:00:00Z"
    )  # 05:00 in New York is 10:00 UTC
    assert query(conn, "SELECT typeof(tz) AS t FROM airports").iloc[0, 0] == "integer"


def test_insert_frame_rejects_missing_and_unknown_columns(conn):
    with pytest.raises(
        ValueError, match=r"frame lacks required \(NOT NULL\) column\(s\) \['carrier'\]"
    ):
        insert_frame(conn, "flights", flights().drop(columns=["carrier"]))
    with pytest.raises(
        ValueError, match=r"frame has column\(s\) \['gate'\] that table 'flights' lacks"
    ):
        insert_frame(conn, "flights", flights().assign(gate="B12"))
    with pytest.raises(ValueError, match=r"no table named 'flight'; the database has \["):
        insert_frame(conn, "flight", flights())
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got dict"):
        insert_frame(conn, "flights", flights().to_dict())
    assert count_rows(conn, "flights") == 0


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
def test_a_failed_load_changes_nothing_already_loaded(conn, column, value, message):
    insert_frame(conn, "flights", flights(3))
    before = query(conn, "SELECT * FROM flights ORDER BY flight_id")
    batch = flights(5).assign(day=2)
    batch[column] = batch[column].astype(object)
    batch.loc[3, column] = value  # one bad row among good ones
    with pytest.raises(sqlite3.IntegrityError, match=message) as caught:
        insert_frame(conn, "flights", batch)
    assert "the load of 5 rows was rolled back" in caught.value.__notes__[0]
    assert count_rows(conn, "flights") == 3
    pd.testing.assert_frame_equal(query(conn, "SELECT * FROM flights ORDER BY flight_id"), before)
    assert not conn.in_transaction


def test_reloading_the_same_rows_violates_the_key_and_keeps_one_copy(conn):
    insert_frame(conn, "flights", flights(3))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: flights.year"):
        insert_frame(conn, "flights", flights(3))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: airlines.carrier"):
        insert_frame(conn, "airlines", airlines())
    assert count_rows(conn, "flights") == 3 and count_rows(conn, "airlines") == 2


def test_transaction_commits_or_rolls_back_everything(conn):
    with transaction(conn):
        execute(
            conn,
            "INSERT INTO airlines (carrier, name) VALUES (?, ?)",
            ("DL", "Delta Air Lines Inc."),
        )
        execute(conn, "UPDATE airlines SET name = ? WHERE carrier = ?", ("American", "AA"))
    assert count_rows(conn, "airlines") == 3
    with pytest.raises(sqlite3.IntegrityError), transaction(conn):
        execute(conn, "DELETE FROM airlines WHERE carrier = ?", ("DL",))
        execute(conn, "INSERT INTO airlines (carrier, name) VALUES (?, ?)", ("TOOLONG", "x"))
    assert query(conn, "SELECT carrier FROM airlines ORDER BY carrier")["carrier"].tolist() == [
        "AA",
        "DL",
        "UA",
    ]


def test_nested_transactions_roll_back_only_the_inner_block(conn):
    with transaction(conn):
        execute(conn, "INSERT INTO airlines (carrier, name) VALUES (?, ?)", ("DL", "Delta"))
        with pytest.raises(sqlite3.IntegrityError):
            insert_frame(conn, "flights", flights().assign(carrier="ZZ"))
        execute(conn, "INSERT INTO airlines (carrier, name) VALUES (?, ?)", ("B6", "JetBlue"))
    assert count_rows(conn, "airlines") == 4 and count_rows(conn, "flights") == 0


def test_transaction_needs_a_connection():
    with pytest.raises(TypeError, match="conn must be a sqlite3.Connection, got str"):
        with transaction("flights.db"):
            pass


# ---------------------------------------------------------------------------
# Parameter-only queries and SQL injection
# ---------------------------------------------------------------------------


def test_query_binds_positional_and_named_parameters(conn):
    insert_frame(conn, "flights", flights(4))
    by_position = query(
        conn, "SELECT count(*) AS n FROM flights WHERE carrier = ? AND hour >= ?", ("UA", 6)
    )
    by_name = query(
        conn,
        "SELECT count(*) AS n FROM flights WHERE carrier = :carrier AND hour >= :hour",
        {"carrier": "UA", "hour": 6},
    )
    assert by_position["n"].tolist() == by_name["n"].tolist() == [3]
    delays = query(
        conn, "SELECT avg(dep_delay) AS mean_delay FROM flights WHERE origin = ?", ["EWR"]
    )
    assert_allclose(delays["mean_delay"], [2.0])


@pytest.mark.parametrize(
    "attack",
    [
        "x' OR '1'='1",
        "AA'; DROP TABLE airlines; --",
        "AA' UNION SELECT name, name FROM sqlite_schema --",
    ],
)
def test_injection_attempts_are_plain_values_to_a_parameterized_query(conn, attack):
    found = query(conn, "SELECT carrier, name FROM airlines WHERE carrier = ?", (attack,))
    assert found.empty
    assert (
        count_rows(conn, "airlines") == 2
        and "airlines"
        in query(conn, "SELECT name FROM sqlite_schema WHERE type = ?", ("table",))[
            "name"
        ].tolist()
    )


def test_sql_with_embedded_values_comments_or_two_statements_is_refused(conn):
    user_input = "x' OR '1'='1"
    with pytest.raises(ValueError, match=r"sql contains \"'\": write values as \? placeholders"):
        query(conn, f"SELECT * FROM airlines WHERE carrier = '{user_input}'")
    with pytest.raises(ValueError, match="sql contains '--'"):
        query(conn, "SELECT * FROM airlines -- WHERE carrier = ?")
    with pytest.raises(ValueError, match="sql contains '/\\*'"):
        execute(conn, "DELETE FROM airlines /* everything */")
    with pytest.raises(ValueError, match="sql must be a single statement"):
        execute(conn, "DELETE FROM airlines WHERE carrier = ?; DROP TABLE airlines", ("AA",))
    assert count_rows(conn, "airlines") == 2


def test_parameters_must_match_the_placeholders(conn):
    with pytest.raises(TypeError, match="params must be a tuple/list of values or a dict"):
        query(conn, "SELECT * FROM airlines WHERE carrier = ?", "AA")  # a str is not a tuple
    with pytest.raises(ValueError, match=r"sql has 1 \? placeholder\(s\) but 2 parameter\(s\)"):
        query(conn, "SELECT * FROM airlines WHERE carrier = ?", ("AA", "UA"))
    with pytest.raises(ValueError, match=r"sql needs named parameters \['carrier'\]"):
        query(conn, "SELECT * FROM airlines WHERE carrier = :carrier", {"code": "AA"})
    with pytest.raises(TypeError, match="sql must be a non-empty str"):
        query(conn, b"SELECT 1")
    with pytest.raises(TypeError, match="conn must be a sqlite3.Connection"):
        query(None, "SELECT 1")


def test_table_names_are_whitelisted(conn):
    with pytest.raises(ValueError, match="no table named 'airlines; DROP TABLE airports'"):
        count_rows(conn, "airlines; DROP TABLE airports")
    with pytest.raises(TypeError, match="table must be a str, got int"):
        table_columns(conn, 3)
    assert count_rows(conn, "airports") == 3


# ---------------------------------------------------------------------------
# Plans, timing, integrity checks, drawing
# ---------------------------------------------------------------------------


def test_explain_query_plan_shows_scan_then_index(conn):
    insert_frame(conn, "flights", flights(5))
    sql = "SELECT count(*) AS n FROM flights WHERE tailnum = ?"
    assert explain_query_plan(conn, sql, ("N14228",)) == ["SCAN flights"]
    execute(conn, "CREATE INDEX IF NOT EXISTS idx_flights_tailnum ON flights (tailnum)")
    plan = explain_query_plan(conn, sql, ("N14228",))
    assert len(plan) == 1 and "USING COVERING INDEX idx_flights_tailnum (tailnum=?)" in plan[0]
    assert query(conn, sql, ("N14228",))["n"].tolist() == [4]


def test_time_query_returns_the_best_of_several_runs(conn):
    seconds = time_query(conn, "SELECT count(*) FROM airports WHERE alt > ?", (10,), repeat=3)
    assert 0 < seconds < 1
    with pytest.raises(ValueError, match="repeat must be a positive int, got 0"):
        time_query(conn, "SELECT 1", repeat=0)


def test_foreign_key_violations_finds_orphans_loaded_while_checks_were_off(conn):
    conn.execute("PRAGMA foreign_keys = OFF")
    insert_frame(conn, "flights", flights(2, carrier="ZZ"))
    conn.execute("PRAGMA foreign_keys = ON")
    orphans = foreign_key_violations(conn)
    assert orphans["table"].tolist() == ["flights", "flights"]
    assert set(orphans["parent"]) == {"airlines"}
    insert_frame(conn, "airlines", pd.DataFrame({"carrier": ["ZZ"], "name": ["Zed Air"]}))
    assert foreign_key_violations(conn).empty


def test_draw_schema_draws_every_table_and_key(conn):
    fig, ax = plt.subplots()
    draw_schema(
        conn, {"airlines": (0.0, 1.0), "airports": (0.7, 1.0), "flights": (0.35, 1.0)}, ax=ax
    )
    texts = [text.get_text() for text in ax.texts]
    assert {"airlines", "airports", "flights", "PK carrier", "FK carrier", "FK origin"} <= set(
        texts
    )
    arrows = [child for child in ax.texts if getattr(child, "arrow_patch", None) is not None]
    assert len(arrows) == 2  # flights.carrier -> airlines, flights.origin -> airports
    plt.close(fig)
    with pytest.raises(ValueError, match="no table named 'gates'"):
        draw_schema(conn, {"gates": (0, 1)})
    with pytest.raises(TypeError, match="positions must be a non-empty mapping"):
        draw_schema(conn, [])
