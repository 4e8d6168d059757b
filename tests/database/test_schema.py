"""Tests of dlbigdata.database.schema: the keyed flights schema and the catalogue."""

from __future__ import annotations

import pytest
from factories import count_table

from dlbigdata.database import FLIGHTS_SCHEMA, connect, create_flights_schema
from dlbigdata.database.schema import _foreign_keys, _require_table, _table_columns


def test_schema_is_rerunnable_and_declares_keys(con):
    assert create_flights_schema(con) == list(FLIGHTS_SCHEMA)  # a second run does not fail
    assert create_flights_schema(con) == ["airlines", "airports", "planes", "weather", "flights"]
    columns = _table_columns(con, "weather")
    assert columns.loc[columns["pk"] > 0, "name"].tolist() == ["origin", "time_hour"]
    parents = {row[2] for row in con.execute("PRAGMA foreign_key_list(flights)")}
    assert parents == {"airlines", "airports"}
    assert count_table(con, "airlines") == 2  # the rerun did not touch the data


@pytest.mark.hostile("state_corruption")
def test_the_published_schema_cannot_be_changed():
    with pytest.raises(TypeError):
        FLIGHTS_SCHEMA["flights"] = "CREATE TABLE flights (x)"  # type: ignore[index]
    assert (
        "UNIQUE (year, month, day, carrier, flight, origin, sched_dep_time)"
        in (FLIGHTS_SCHEMA["flights"])
    )


@pytest.mark.hostile("hidden_change")
def test_a_table_with_another_definition_is_not_kept_silently():
    con = connect()
    con.execute("CREATE TABLE airports (faa TEXT)")  # an older, looser definition
    with pytest.raises(ValueError, match="table 'airports' already exists with another def"):
        create_flights_schema(con)
    tables = [row[0] for row in con.execute("SELECT name FROM sqlite_schema")]
    assert tables == ["airports"]  # nothing was created before the error
    con.close()


@pytest.mark.hostile("bad_input")
def test_create_flights_schema_needs_a_connection():
    with pytest.raises(TypeError, match=r"con must be a sqlite3.Connection .*, got NoneType"):
        create_flights_schema(None)


@pytest.mark.hostile("sql_escape")
def test_table_names_are_whitelisted(con):
    with pytest.raises(ValueError, match="no table named 'airlines; DROP TABLE airports'"):
        _require_table(con, "airlines; DROP TABLE airports")
    with pytest.raises(TypeError, match="table must be a str naming a table, got int: 3"):
        _require_table(con, 3)
    with pytest.raises(ValueError, match=r"no table named 'Airlines'; the database has \["):
        _require_table(con, "Airlines")
    assert _require_table(con, "airports") == "airports"


@pytest.mark.hostile("sql_escape")
def test_names_with_quotes_are_quoted_by_doubling(con):
    con.execute('CREATE TABLE "we""ird" ("a""b" TEXT REFERENCES airlines)')
    con.execute('INSERT INTO "we""ird" VALUES (?)', ("AA",))
    assert count_table(con, 'we"ird') == 1
    assert _table_columns(con, 'we"ird')["name"].tolist() == ['a"b']
    assert _foreign_keys(con, 'we"ird') == [('a"b', "airlines", "carrier")]  # implicit key
