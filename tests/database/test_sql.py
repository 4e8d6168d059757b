"""Tests of dlbigdata.database.sql and its guard: parameter-only SQL, injection refused."""

from __future__ import annotations

import datetime
import sqlite3

import numpy as np
import pandas as pd
import pytest
from factories import count_table, guarded_read, sqlite_flights
from numpy.testing import assert_allclose

from dlbigdata.database import execute, insert_frame, time_query
from dlbigdata.database.guard import _quote_identifier

# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------


def test_query_binds_positional_and_named_parameters(con):
    insert_frame(con, "flights", sqlite_flights(4))
    by_position = guarded_read(
        con, "SELECT count(*) AS n FROM flights WHERE carrier = ? AND hour >= ?", ("UA", 6)
    )
    by_name = guarded_read(
        con,
        "SELECT count(*) AS n FROM flights WHERE carrier = :carrier AND hour >= :hour",
        {"carrier": "UA", "hour": 6},
    )
    assert by_position["n"].tolist() == by_name["n"].tolist() == [3]
    delays = guarded_read(
        con, "SELECT avg(dep_delay) AS mean_delay FROM flights WHERE origin = ?", ["EWR"]
    )
    assert_allclose(delays["mean_delay"], [2.0])


@pytest.mark.hostile("bad_input")
def test_parameters_must_match_the_placeholders(con):
    with pytest.raises(TypeError, match="params must be a tuple/list of values or a dict"):
        guarded_read(con, "SELECT * FROM airlines WHERE carrier = ?", "AA")  # a str is not a tuple
    with pytest.raises(ValueError, match=r"sql has 1 \? placeholder\(s\) but 2 parameter\(s\)"):
        guarded_read(con, "SELECT * FROM airlines WHERE carrier = ?", ("AA", "UA"))
    with pytest.raises(ValueError, match=r"sql needs named parameters \['carrier'\]"):
        guarded_read(con, "SELECT * FROM airlines WHERE carrier = :carrier", {"code": "AA"})
    with pytest.raises(TypeError, match="sql must be a non-empty str, got bytes"):
        guarded_read(con, b"SELECT 1")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "sql, params, error, message",
    [
        ("   ", (), ValueError, "sql must be a non-empty str, got '   '"),
        ("SELECT ?", {"a", "b"}, TypeError, "params must be a tuple/list .* got set"),
        ("SELECT ?", (x for x in [1]), TypeError, "got generator"),
        ("SELECT :a", {"a": 1, "b": 2}, ValueError, r"named parameters \['a'\].*has \['a', 'b'\]"),
        ("SELECT :a", (1,), ValueError, r"uses named parameters \['a'\]: pass params as a dict"),
        ("SELECT ?, :a", (1, 2), ValueError, "mixes \\? and :name"),
        ("SELECT ?1", (1,), ValueError, "the placeholder '\\?1'"),
        ("SELECT @a", (), ValueError, "the placeholder '@a'"),
        ("SELECT $a", (), ValueError, "the placeholder '\\$a'"),
        ("SELECT ?", {"1": 1}, ValueError, "and no '\\?'"),
    ],
)
def test_placeholders_and_parameters_are_checked(con, sql, params, error, message):
    with pytest.raises(error, match=message):
        guarded_read(con, sql, params)


@pytest.mark.hostile("binding_type")
@pytest.mark.parametrize(
    "value, stored, storage",
    [
        (np.int64(5), 5, "integer"),
        (np.int8(-3), -3, "integer"),
        (np.uint32(7), 7, "integer"),
        (np.float32(0.5), 0.5, "real"),
        (np.float64(1.25), 1.25, "real"),
        (np.bool_(True), 1, "integer"),
        (True, 1, "integer"),
        (np.str_("UA"), "UA", "text"),
        (bytearray(b"ab"), b"ab", "blob"),
        (datetime.date(2013, 1, 2), "2013-01-02", "text"),
        (pd.Timestamp("2013-01-01 05:00", tz="America/New_York"), "2013-01-01T10:00:00Z", "text"),
        (
            datetime.datetime(2013, 1, 1, 10, tzinfo=datetime.UTC),
            "2013-01-01T10:00:00Z",
            "text",
        ),
    ],
)
def test_parameters_are_bound_as_their_python_values(con, value, stored, storage):
    row = guarded_read(con, "SELECT ? AS value, typeof(?) AS storage", (value, value))
    assert row["value"].item() == stored
    assert row["storage"].item() == storage


@pytest.mark.hostile("binding_type")
def test_numpy_integers_are_stored_as_integers_and_match(con):
    insert_frame(con, "flights", sqlite_flights(3))
    execute(con, "UPDATE flights SET distance = ? WHERE flight = ?", (np.int64(999), np.int64(2)))
    stored = guarded_read(
        con, "SELECT typeof(distance) AS t, distance FROM flights WHERE flight = ?", (2,)
    )
    assert stored.values.tolist() == [["integer", 999]]
    found = guarded_read(con, "SELECT count(*) AS n FROM flights WHERE flight = ?", (np.int64(2),))
    assert found["n"].item() == 1


@pytest.mark.hostile("binding_type")
def test_aware_datetimes_match_the_text_insert_frame_stores(con):
    insert_frame(con, "flights", sqlite_flights(3))
    for instant in [
        pd.Timestamp("2013-01-01 06:00", tz="America/New_York"),
        pd.Timestamp("2013-01-01 11:00", tz="UTC"),
        datetime.datetime(2013, 1, 1, 11, tzinfo=datetime.UTC),
        datetime.datetime(2013, 1, 1, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
    ]:
        found = guarded_read(con, "SELECT flight FROM flights WHERE time_hour = ?", (instant,))
        assert found["flight"].tolist() == [2], instant


@pytest.mark.hostile("binding_type")
@pytest.mark.parametrize(
    "value, error, message",
    [
        (np.array([1]), TypeError, r"params\[0\] must be one value, got ndarray"),
        ([1, 2], TypeError, r"params\[0\] must be one value, got list: \[1, 2\]"),
        ((1,), TypeError, r"must be one value, got tuple"),
        ({"a": 1}, TypeError, r"must be one value, got dict"),
        (pd.Series([1]), TypeError, r"must be one value, got Series"),
        (datetime.timedelta(hours=1), TypeError, r"params\[0\] must be None, a number"),
        (np.timedelta64(5, "h"), TypeError, r"must be None, a number, .* got timedelta64"),
        (pd.Timedelta(hours=1), TypeError, r"must be None, a number, .* got Timedelta"),
        (1 + 2j, TypeError, r"must be None, a number, .* got complex"),
        (float("nan"), ValueError, r"params\[0\] is NaN: SQLite would bind it as NULL"),
        (np.float64("nan"), ValueError, r"params\[0\] is NaN"),
        (pd.NA, ValueError, r"params\[0\] is <NA>"),
        (pd.NaT, ValueError, r"params\[0\] is NaT"),
        (2**63, ValueError, r"params\[0\] = 9223372036854775808 does not fit"),
        (pd.Timestamp("2013-01-01 05:00"), ValueError, "naive timestamps .* 2013-01-01 05:00"),
        (np.datetime64("2013-01-01T05:00"), ValueError, "naive timestamps"),
        (
            pd.Timestamp("2013-01-01 05:00:00.5", tz="UTC"),
            ValueError,
            "has a fraction of a second",
        ),
    ],
)
def test_values_that_would_be_bound_wrongly_are_refused(con, value, error, message):
    with pytest.raises(error, match=message):
        guarded_read(con, "SELECT count(*) FROM airlines WHERE carrier = ?", (value,))


@pytest.mark.hostile("binding_type")
def test_named_parameter_values_are_checked_too(con):
    with pytest.raises(TypeError, match=r"params\['codes'\] must be one value, got list"):
        guarded_read(con, "SELECT * FROM airlines WHERE carrier = :codes", {"codes": ["AA", "UA"]})


# ---------------------------------------------------------------------------
# Injection and the guard
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attack",
    [
        "x' OR '1'='1",
        "AA'; DROP TABLE airlines; --",
        "AA' UNION SELECT name, name FROM sqlite_schema --",
        'UA" OR "1"="1',
    ],
)
def test_injection_attempts_are_plain_values_to_a_parameterized_query(con, attack):
    found = guarded_read(con, "SELECT carrier, name FROM airlines WHERE carrier = ?", (attack,))
    assert found.empty
    tables = guarded_read(con, "SELECT name FROM sqlite_schema WHERE type = ?", ("table",))
    assert count_table(con, "airlines") == 2 and "airlines" in tables["name"].tolist()


@pytest.mark.hostile("sql_escape")
def test_sql_with_embedded_values_comments_or_two_statements_is_refused(con):
    user_input = "x' OR '1'='1"
    with pytest.raises(ValueError, match=r"sql contains \"'\": write values as \? placeholders"):
        guarded_read(con, f"SELECT * FROM airlines WHERE carrier = '{user_input}'")
    with pytest.raises(ValueError, match="sql contains '--'"):
        guarded_read(con, "SELECT * FROM airlines -- WHERE carrier = ?")
    with pytest.raises(ValueError, match="sql contains '/\\*'"):
        execute(con, "DELETE FROM airlines /* everything */")
    with pytest.raises(ValueError, match="sql must be a single statement"):
        execute(con, "DELETE FROM airlines WHERE carrier = ?; DROP TABLE airlines", ("AA",))
    assert count_table(con, "airlines") == 2


BARE_NAMES = r"sql contains '\"': names are written bare .* values go in \? parameters"


@pytest.mark.hostile("sql_escape")
@pytest.mark.parametrize(
    "value",
    [
        'UA" OR "1"="1',  # "UA" and "1" name nothing, SQLite reads strings
        'name" OR "faa"="faa',  # "name" is a column of airlines, "faa" only of airports
        "UA",  # even a harmless value: the pattern is wrong, so it fails at its first run
    ],
)
def test_double_quoted_literals_are_refused(con, value):
    with pytest.raises(ValueError, match=BARE_NAMES):
        guarded_read(con, f'SELECT * FROM airlines WHERE carrier = "{value}"')


@pytest.fixture
def t(con):
    """The reviewer's table t(id, carrier, x), three rows."""
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, carrier TEXT, x INTEGER)")
    rows = [(1, "AA", 1), (2, "UA", 2), (3, "DL", 3)]
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    return rows


def _rows_of_t(con):
    return con.execute("SELECT id, carrier, x FROM t ORDER BY id").fetchall()


@pytest.mark.hostile("sql_escape")
def test_a_pasted_value_that_names_columns_cannot_update_every_row(con, t):
    v = 'carrier" OR 1=1 OR "carrier'  # every quoted token names a real column
    with pytest.raises(ValueError, match=BARE_NAMES):
        execute(con, f'UPDATE t SET x = 99 WHERE carrier = "{v}"')
    assert _rows_of_t(con) == t


@pytest.mark.hostile("sql_escape")
def test_a_pasted_value_that_names_columns_cannot_delete_every_row(con, t):
    v = 'id" OR "id'
    with pytest.raises(ValueError, match=BARE_NAMES):
        execute(con, f'DELETE FROM t WHERE carrier = "{v}"')
    assert _rows_of_t(con) == t
    with pytest.raises(ValueError, match=BARE_NAMES):
        time_query(con, f'SELECT * FROM t WHERE carrier = "{v}"')
    assert execute(con, "DELETE FROM t WHERE carrier = ?", (v,)) == 0  # bound: no such value
    assert _rows_of_t(con) == t


@pytest.mark.hostile("sql_escape")
def test_the_double_quote_message_says_what_to_write_instead(con):
    with pytest.raises(ValueError) as caught:
        execute(con, 'DELETE FROM airlines WHERE carrier = "UA"')
    message = str(caught.value)
    assert 'names are written bare (carrier, not "carrier")' in message
    assert "values go in ? parameters" in message
    assert count_table(con, "airlines") == 2


@pytest.mark.hostile("sql_escape")
@pytest.mark.parametrize(
    "sql, message",
    [
        ("SELECT * FROM airlines WHERE carrier = `UA`", "quotes a name with '`'"),
        ("SELECT * FROM airlines WHERE carrier = [UA]", r"quotes a name with '\['"),
        ('SELECT * FROM airlines WHERE carrier = "UA', BARE_NAMES),
    ],
)
def test_other_quoting_is_refused(con, sql, message):
    with pytest.raises(ValueError, match=message):
        guarded_read(con, sql)


@pytest.mark.hostile("sql_escape")
def test_double_quoted_names_are_refused_even_when_they_exist(con):
    with pytest.raises(ValueError, match=BARE_NAMES):
        guarded_read(
            con, 'SELECT "name" FROM "airlines" WHERE "Carrier" = ? ORDER BY "name"', ("UA",)
        )
    with pytest.raises(ValueError, match=BARE_NAMES):
        execute(con, 'INSERT INTO "airlines" ("carrier", "name") VALUES (?, ?)', ("DL", "Delta"))
    assert count_table(con, "airlines") == 2  # the refused statement did not run
    found = guarded_read(con, "SELECT name FROM airlines WHERE Carrier = ? ORDER BY name", ("UA",))
    assert found["name"].tolist() == ["United Air Lines Inc."]
    execute(con, "INSERT INTO airlines (carrier, name) VALUES (?, ?)", ("DL", "Delta"))
    assert count_table(con, "airlines") == 3
    with pytest.raises(ValueError, match=BARE_NAMES):
        execute(con, 'CREATE TABLE t ("we""ird" TEXT)')


@pytest.mark.hostile("sql_escape")
def test_the_packages_own_quoted_names_bypass_the_guard(con):
    """insert_frame quotes names itself and goes to SQLite directly: odd names still load."""
    con.execute('CREATE TABLE t ("we""ird" TEXT, "a;b--c" INTEGER)')
    assert insert_frame(con, "t", pd.DataFrame({'we"ird': ["x"], "a;b--c": [1]})) == 1
    assert con.execute('SELECT "we""ird", "a;b--c" FROM t').fetchall() == [("x", 1)]
    with pytest.raises(ValueError, match=BARE_NAMES):
        guarded_read(con, 'SELECT "we""ird" AS w FROM t')


@pytest.mark.hostile("sql_escape")
def test_quote_identifier_doubles_quotes():
    assert _quote_identifier('we"ird') == '"we""ird"'
    assert _quote_identifier("plain") == '"plain"'
    with pytest.raises(ValueError, match="must not contain a NUL"):
        _quote_identifier("a\x00b")
    with pytest.raises(TypeError, match="identifier must be a string, got int"):
        _quote_identifier(3)


@pytest.mark.hostile("sql_escape")
def test_a_number_pasted_into_the_text_is_what_the_guard_cannot_catch(con):
    """Documented limit: unquoted pasted SQL is valid SQL; only parameters prevent it."""
    x = "0 OR 1 = 1"
    pasted = guarded_read(con, f"SELECT carrier FROM airlines WHERE length(carrier) = {x}")
    assert len(pasted) == 2  # every row: the guard cannot tell this from intended SQL
    bound = guarded_read(con, "SELECT carrier FROM airlines WHERE length(carrier) = ?", (x,))
    assert bound.empty


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def test_time_query_returns_the_best_of_several_runs(con):
    seconds = time_query(con, "SELECT count(*) FROM airports WHERE alt > ?", (10,), repeat=3)
    assert 0 < seconds < 1


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "repeat, error, message",
    [
        (0, ValueError, "repeat must be an integer >= 1, got 0"),
        (2.0, TypeError, "repeat must be an integer, got float: 2.0"),
        (True, TypeError, "repeat must be an integer, got bool"),
    ],
)
def test_time_query_refuses_a_bad_repeat(con, repeat, error, message):
    with pytest.raises(error, match=message):
        time_query(con, "SELECT 1", repeat=repeat)


@pytest.mark.hostile("state_corruption")
def test_time_query_never_repeats_a_write(con):
    with pytest.raises(ValueError, match="time_query times queries") as caught:
        time_query(con, "DELETE FROM airlines WHERE carrier = ?", ("UA",), repeat=3)
    assert "rolled back" in str(caught.value)
    assert count_table(con, "airlines") == 2 and not con.in_transaction
    with pytest.raises(ValueError, match="time_query times queries"):
        time_query(con, "CREATE TABLE t (x)", repeat=1)
    assert "t" not in guarded_read(con, "SELECT name FROM sqlite_schema")["name"].tolist()


@pytest.mark.hostile("bad_input")
def test_execute_reports_changed_rows_and_database_errors(con):
    assert execute(con, "UPDATE airlines SET name = ? WHERE carrier = ?", ("United", "UA")) == 1
    with pytest.raises(sqlite3.OperationalError, match="no such column: gate"):
        execute(con, "UPDATE airlines SET gate = ?", ("B12",))
    with pytest.raises(TypeError, match=r"con must be a sqlite3.Connection .*, got str"):
        execute("flights.db", "SELECT 1")
