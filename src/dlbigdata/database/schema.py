"""The nycflights13 schema, and reading a database's catalogue (tables, columns, keys).

Table names cannot be parameters, so every function that takes one checks it against the
catalogue (``sqlite_schema``) first and quotes it with :func:`_quote_identifier`.
"""

from __future__ import annotations

import re
import sqlite3
from types import MappingProxyType

import pandas as pd

from dlbigdata._validation import require_type
from dlbigdata.database.connection import _require_connection, transaction
from dlbigdata.database.guard import _quote_identifier

__all__ = ["FLIGHTS_SCHEMA", "create_flights_schema"]

_HHMM = "BETWEEN 0 AND 2400 AND {column} % 100 < 60"


def _clock(column: str, nullable: bool) -> str:
    """Column definition of an HHMM clock time with its CHECK constraint."""
    null = "" if nullable else " NOT NULL"
    return f"{column:<14} INTEGER{null} CHECK ({column} {_HHMM.format(column=column)})"


_STATEMENTS: dict[str, str] = {
    "airlines": """
CREATE TABLE IF NOT EXISTS airlines (
    carrier TEXT PRIMARY KEY CHECK (length(carrier) = 2),
    name    TEXT NOT NULL
) STRICT""",
    "airports": """
CREATE TABLE IF NOT EXISTS airports (
    faa   TEXT PRIMARY KEY CHECK (length(faa) = 3),
    name  TEXT NOT NULL,
    lat   REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon   REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    alt   INTEGER NOT NULL,
    tz    INTEGER NOT NULL CHECK (tz BETWEEN -12 AND 14),
    dst   TEXT NOT NULL CHECK (dst IN ('A', 'N', 'U')),
    tzone TEXT
) STRICT""",
    "planes": """
CREATE TABLE IF NOT EXISTS planes (
    tailnum      TEXT PRIMARY KEY,
    year         INTEGER CHECK (year BETWEEN 1900 AND 2100),
    type         TEXT NOT NULL,
    manufacturer TEXT NOT NULL,
    model        TEXT NOT NULL,
    engines      INTEGER NOT NULL CHECK (engines BETWEEN 1 AND 8),
    seats        INTEGER NOT NULL CHECK (seats > 0),
    speed        REAL CHECK (speed > 0),
    engine       TEXT NOT NULL
) STRICT""",
    "weather": """
CREATE TABLE IF NOT EXISTS weather (
    origin     TEXT NOT NULL REFERENCES airports (faa),
    time_hour  TEXT NOT NULL,  -- ISO 8601 in UTC, e.g. 2013-01-01T06:00:00Z
    year       INTEGER NOT NULL,
    month      INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day        INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    hour       INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    temp       REAL,
    dewp       REAL,
    humid      REAL CHECK (humid BETWEEN 0 AND 100),
    wind_dir   REAL CHECK (wind_dir BETWEEN 0 AND 360),
    wind_speed REAL CHECK (wind_speed >= 0),
    wind_gust  REAL CHECK (wind_gust >= 0),
    precip     REAL NOT NULL CHECK (precip >= 0),
    pressure   REAL,
    visib      REAL NOT NULL CHECK (visib >= 0),
    PRIMARY KEY (origin, time_hour)
) STRICT""",
    "flights": f"""
CREATE TABLE IF NOT EXISTS flights (
    flight_id      INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    month          INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day            INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    {_clock("dep_time", nullable=True)},
    {_clock("sched_dep_time", nullable=False)},
    dep_delay      REAL,
    {_clock("arr_time", nullable=True)},
    {_clock("sched_arr_time", nullable=False)},
    arr_delay      REAL,
    carrier        TEXT NOT NULL REFERENCES airlines (carrier),
    flight         INTEGER NOT NULL CHECK (flight > 0),
    tailnum        TEXT,           -- no foreign key: many planes are missing from planes
    origin         TEXT NOT NULL REFERENCES airports (faa),
    dest           TEXT NOT NULL,  -- no foreign key: four destinations are missing from airports
    air_time       REAL CHECK (air_time > 0),
    distance       INTEGER NOT NULL CHECK (distance > 0),
    hour           INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    minute         INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),
    time_hour      TEXT NOT NULL,  -- ISO 8601 in UTC
    CHECK ((dep_time IS NULL) = (dep_delay IS NULL)),
    UNIQUE (year, month, day, carrier, flight, origin, sched_dep_time)
) STRICT""",
}

FLIGHTS_SCHEMA = MappingProxyType(_STATEMENTS)
"""``CREATE TABLE IF NOT EXISTS`` statements of the nycflights13 tables, parents first.

Read-only (a ``MappingProxyType``): the schema cannot be changed by accident.
Used in chapter 16.
"""


def _stored_form(statement: str) -> str:
    """The text SQLite keeps in ``sqlite_schema.sql`` for a ``CREATE TABLE IF NOT EXISTS``."""
    return re.sub(r"^\s*CREATE TABLE IF NOT EXISTS", "CREATE TABLE", statement)


def create_flights_schema(con: sqlite3.Connection) -> list[str]:
    """Create the nycflights13 tables of :data:`FLIGHTS_SCHEMA` if they do not exist (rerunnable).

    A table that already exists is left as it is if its definition is the one of
    :data:`FLIGHTS_SCHEMA`; a table of the same name with another definition is an error
    (``IF NOT EXISTS`` alone would keep it silently), and nothing is created then.

    Parameters
    ----------
    con : sqlite3.Connection
        The connection.

    Returns
    -------
    list of str
        The table names, parents before the tables that reference them.

    Raises
    ------
    TypeError
        If ``con`` is not a sqlite3 connection.
    ValueError
        If one of the tables exists with another definition (the message names it).

    Used in chapter 16.
    """
    _require_connection(con)
    stored = dict(con.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'table'"))
    for table, statement in FLIGHTS_SCHEMA.items():
        if table in stored and stored[table] != _stored_form(statement):
            raise ValueError(
                f"table {table!r} already exists with another definition, so "
                f"create_flights_schema would keep it unchanged; drop or rename it first. "
                f"It is: {stored[table][:200]!r}"
            )
    with transaction(con):
        for statement in FLIGHTS_SCHEMA.values():
            con.execute(statement)
    return list(FLIGHTS_SCHEMA)


def _table_names(con: sqlite3.Connection) -> list[str]:
    rows = con.execute("SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name", ("table",))
    return [row[0] for row in rows]


def _require_table(con: sqlite3.Connection, table: object) -> str:
    """Return ``table`` if the database has it (a name cannot be a parameter: whitelist it)."""
    _require_connection(con)
    require_type("table", table, str, "a str naming a table")
    tables = _table_names(con)
    if table not in tables:
        raise ValueError(f"no table named {table!r}; the database has {tables}")
    return table


def _table_columns(con: sqlite3.Connection, table: str) -> pd.DataFrame:
    """Columns of an existing table: ``name``, ``type``, ``notnull``, ``dflt_value``, ``pk``."""
    cursor = con.execute(f"PRAGMA table_info({_quote_identifier(table)})")
    frame = pd.DataFrame.from_records(
        cursor.fetchall(), columns=[d[0] for d in cursor.description]
    )
    return frame[["name", "type", "notnull", "dflt_value", "pk"]]


def _foreign_keys(con: sqlite3.Connection, table: str) -> list[tuple[str, str, str]]:
    """``(column, parent table, parent column)`` of each foreign-key column of ``table``.

    A key declared without its parent columns (``REFERENCES airports``) references the
    parent's primary key, which is looked up.
    """
    links = []
    for row in con.execute(f"PRAGMA foreign_key_list({_quote_identifier(table)})").fetchall():
        _, seq, parent, column, key = row[:5]
        if key is None:
            parent_key = _table_columns(con, parent).query("pk > 0").sort_values("pk")
            key = parent_key["name"].iloc[seq] if len(parent_key) > seq else "rowid"
        links.append((column, parent, key))
    return links
