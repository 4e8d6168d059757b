"""The star schema: its tables and keys, the DDL that creates it, and the connection.

Chapter 17's dimensional model in the sense of Kimball and Ross: one fact table of
flights (one row per scheduled departure) surrounded by dimensions for the date, the
carrier, the airports (used twice, as origin and destination), the plane and the weather
at the origin in the hour of departure. The plane keeps its history
(:data:`VERSIONED_DIMENSIONS`, a slowly changing dimension of type 2): one row per
*version* of a member, valid from ``valid_from`` (inclusive) to ``valid_to`` (exclusive).
"""

from __future__ import annotations

import datetime as dt
import os
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from dlbigdata._validation import describe, require_type
from dlbigdata.warehouse._duck import quote, require_connection

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "FOREIGN_KEYS",
    "NATURAL_KEYS",
    "STAR_SCHEMA",
    "SURROGATE_KEYS",
    "UNKNOWN_KEY",
    "UNKNOWN_LABEL",
    "VALID_FROM_START",
    "VALID_TO_OPEN",
    "VERSIONED_DIMENSIONS",
    "connect",
    "create_star_schema",
    "star_schema_ddl",
]

UNKNOWN_KEY = 0
"""Surrogate key of the "unknown" member that every dimension except the date holds."""

UNKNOWN_LABEL = "(unknown)"
"""Natural key and name of the unknown member (reserved: no source row may use it)."""

VALID_FROM_START = dt.datetime(1, 1, 1)
"""``valid_from`` of a member's first version: valid since the beginning of time, so that a
fact of any date finds it (also a fact that arrives late, or a member added later)."""

VALID_TO_OPEN = dt.datetime(9999, 12, 31)
"""``valid_to`` of a member's current version: a far-future date rather than NULL, so that
the point-in-time test ``valid_from <= t AND t < valid_to`` needs no special case and
``UNIQUE (natural key, valid_to)`` allows one current version per member."""

VERSIONED_DIMENSIONS = ("dim_plane",)
"""The dimensions that keep their history (type 2); the others are overwritten (type 1).

The carrier stays type 1: its key is part of a flight's natural key (date, carrier,
number, origin, time), so a new carrier version would make a flight sent again look like
a new one. Versioning it would need the facts keyed by the carrier's code instead."""

_OPEN = f"TIMESTAMP '{VALID_TO_OPEN:%Y-%m-%d %H:%M:%S}'"
_HISTORY = [
    ("valid_from", "TIMESTAMP NOT NULL"),
    ("valid_to", "TIMESTAMP NOT NULL CHECK (valid_from < valid_to)"),
    ("is_current", f"BOOLEAN NOT NULL CHECK (is_current = (valid_to = {_OPEN}))"),
]

STAR_SCHEMA: dict[str, list[tuple[str, str]]] = {
    "dim_date": [
        ("date_key", "INTEGER PRIMARY KEY"),
        ("full_date", "DATE NOT NULL"),
        ("year", "SMALLINT NOT NULL"),
        ("quarter", "TINYINT NOT NULL"),
        ("month", "TINYINT NOT NULL"),
        ("month_name", "VARCHAR NOT NULL"),
        ("day_of_month", "TINYINT NOT NULL"),
        ("day_of_week", "TINYINT NOT NULL"),
        ("day_name", "VARCHAR NOT NULL"),
        ("is_weekend", "BOOLEAN NOT NULL"),
    ],
    "dim_carrier": [
        ("carrier_key", "INTEGER PRIMARY KEY"),
        ("carrier_code", "VARCHAR NOT NULL"),
        ("carrier_name", "VARCHAR NOT NULL"),
    ],
    "dim_airport": [
        ("airport_key", "INTEGER PRIMARY KEY"),
        ("faa_code", "VARCHAR NOT NULL"),
        ("airport_name", "VARCHAR NOT NULL"),
        ("latitude", "DOUBLE"),
        ("longitude", "DOUBLE"),
        ("altitude_ft", "DOUBLE"),
        ("time_zone", "VARCHAR"),
    ],
    "dim_plane": [
        ("plane_key", "INTEGER PRIMARY KEY"),
        ("tail_number", "VARCHAR NOT NULL"),
        ("year_built", "INTEGER"),
        ("aircraft_type", "VARCHAR"),
        ("manufacturer", "VARCHAR"),
        ("model", "VARCHAR"),
        ("engines", "INTEGER"),
        ("seats", "INTEGER"),
        ("engine_type", "VARCHAR"),
        *_HISTORY,
    ],
    "dim_weather": [
        ("weather_key", "INTEGER PRIMARY KEY"),
        ("airport_code", "VARCHAR NOT NULL"),
        ("observed_at_utc", "TIMESTAMP"),
        ("temperature_f", "DOUBLE"),
        ("dew_point_f", "DOUBLE"),
        ("humidity_pct", "DOUBLE"),
        ("wind_speed_mph", "DOUBLE"),
        ("wind_gust_mph", "DOUBLE"),
        ("precipitation_in", "DOUBLE"),
        ("pressure_mb", "DOUBLE"),
        ("visibility_mi", "DOUBLE"),
    ],
    "fact_flight": [
        ("flight_key", "BIGINT PRIMARY KEY"),
        ("date_key", "INTEGER NOT NULL"),
        ("carrier_key", "INTEGER NOT NULL"),
        ("origin_airport_key", "INTEGER NOT NULL"),
        ("dest_airport_key", "INTEGER NOT NULL"),
        ("plane_key", "INTEGER NOT NULL"),
        ("weather_key", "INTEGER NOT NULL"),
        ("flight_number", "INTEGER NOT NULL"),
        ("scheduled_departure_hhmm", "SMALLINT NOT NULL"),
        ("departure_hhmm", "SMALLINT"),
        ("scheduled_arrival_hhmm", "SMALLINT"),
        ("arrival_hhmm", "SMALLINT"),
        ("departure_delay_min", "DOUBLE"),
        ("arrival_delay_min", "DOUBLE"),
        ("air_time_min", "DOUBLE"),
        ("distance_mi", "DOUBLE NOT NULL"),
        ("is_cancelled", "BOOLEAN NOT NULL"),
    ],
}
"""Every table of the star: ``(column, type and constraint)`` in DDL order."""

SURROGATE_KEYS = {table: columns[0][0] for table, columns in STAR_SCHEMA.items()}
"""The surrogate (primary) key of each table."""

NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "dim_date": ("full_date",),
    "dim_carrier": ("carrier_code",),
    "dim_airport": ("faa_code",),
    "dim_plane": ("tail_number",),
    "dim_weather": ("airport_code", "observed_at_utc"),
    "fact_flight": (
        "date_key",
        "carrier_key",
        "flight_number",
        "origin_airport_key",
        "scheduled_departure_hhmm",
    ),
}
"""The business key that identifies a row (in a versioned dimension: a member, whose
versions share it), the basis of the idempotent load."""

HISTORY_COLUMNS = tuple(name for name, _ in _HISTORY)
"""The columns that date a version in each of :data:`VERSIONED_DIMENSIONS`."""

FOREIGN_KEYS: dict[str, str] = {
    "date_key": "dim_date",
    "carrier_key": "dim_carrier",
    "origin_airport_key": "dim_airport",
    "dest_airport_key": "dim_airport",
    "plane_key": "dim_plane",
    "weather_key": "dim_weather",
}
"""Each foreign key of ``fact_flight`` and the dimension it references."""

_DUCKDB_MAGIC = b"DUCK"  # at byte offset 8 of every DuckDB database file
_SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 4096  # one main header, then two database headers, then the blocks
_SETTINGS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def star_schema_ddl() -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` statements of the star, dimensions first.

    Returns
    -------
    list of str
        One statement per table of :data:`STAR_SCHEMA`; running them twice is harmless.
        Each table's natural key is ``UNIQUE``; in a versioned dimension, the natural key
        together with ``valid_to``, so a member has one current version at most.

    Used in chapter 17.
    """
    statements = []
    for table, columns in STAR_SCHEMA.items():
        lines = [f"{quote(name)} {definition}" for name, definition in columns]
        unique = list(NATURAL_KEYS[table])
        if table in VERSIONED_DIMENSIONS:  # one version per member ends at each time
            unique.append("valid_to")
        lines.append(f"UNIQUE ({', '.join(map(quote, unique))})")
        body = ",\n    ".join(lines)
        statements.append(f"CREATE TABLE IF NOT EXISTS {quote(table)} (\n    {body}\n)")
    return statements


def _file_problem(path: Path) -> str | None:
    """Why the existing file ``path`` is not a whole DuckDB database, or None if it is."""
    size = path.stat().st_size
    with path.open("rb") as file:
        head = file.read(3 * _HEADER_SIZE)
    if size == 0:
        return "an empty file (0 bytes)"
    if head.startswith(_SQLITE_MAGIC):
        return "a SQLite database (it starts with b'SQLite format 3\\x00')"
    if head[8:12] != _DUCKDB_MAGIC:
        return f"no DuckDB header (bytes 8-12 are {head[8:12]!r}, expected {_DUCKDB_MAGIC!r})"
    if len(head) < 3 * _HEADER_SIZE:
        return f"a truncated DuckDB file ({size} bytes, shorter than its own headers)"
    headers = [struct.unpack_from("<6Q", head, offset) for offset in (4096, 8192)]
    _, _, _, _, block_count, block_size = max(headers, key=lambda fields: fields[1])
    expected = 3 * _HEADER_SIZE + block_count * block_size
    if size < expected:
        return f"a truncated DuckDB file ({size} bytes; its header announces {expected})"
    return None


def _check_database_path(path: object) -> Path:
    """The database path as a Path, after refusing what DuckDB must not open."""
    file = Path(require_type("path", path, (str, os.PathLike), "a str or pathlib.Path (or None)"))
    if not file.parent.is_dir():
        raise ValueError(f"folder {file.parent} of the database file {file} does not exist")
    if file.is_dir():
        raise ValueError(f"path {file} is a folder, not a DuckDB database file")
    if file.exists():
        problem = _file_problem(file)
        if problem:
            raise ValueError(f"{file} is not a DuckDB database: found {problem}")
    return file


def connect(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB warehouse (a file, or in memory when ``path`` is None).

    An existing file is checked before DuckDB sees it: it must carry DuckDB's header
    (``b"DUCK"`` at byte 8) and be as long as that header announces, so a SQLite file, a
    truncated warehouse or an empty file is refused here rather than failing at the first
    query. Extensions are never installed or loaded on demand (no network access).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Database file; its folder must exist. A missing file is created. Keep it outside
        the repository (e.g. in a :class:`tempfile.TemporaryDirectory`).

    Returns
    -------
    duckdb.DuckDBPyConnection
        A connection with the progress bar off and UTC as its time zone.

    Raises
    ------
    TypeError
        If ``path`` is not a str, a path or None.
    ValueError
        If the folder of ``path`` does not exist, ``path`` is a folder, or the file is not
        a whole DuckDB database (the message names the file and what it holds).

    Used in chapter 17.
    """
    import duckdb

    target = ":memory:" if path is None else str(_check_database_path(path))
    con = duckdb.connect(target, config=dict(_SETTINGS))
    row = con.execute("SELECT current_setting('enable_progress_bar')").fetchone()
    assert row is not None  # a SELECT without FROM returns exactly one row
    (progress_bar,) = row
    if progress_bar:  # on in a terminal; in Jupyter without ipywidgets it is off and cannot be set
        con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")
    return con


def _check_existing_tables(con) -> None:
    """Raise ValueError if a table of the star exists with other columns than the schema's."""
    for table, columns in STAR_SCHEMA.items():
        found = [
            name
            for (name,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                "AND schema_name = current_schema() AND database_name = current_database() "
                "ORDER BY column_index",
                [table],
            ).fetchall()
        ]
        expected = [name for name, _ in columns]
        if found != expected:
            raise ValueError(
                f"table {table} of this database has columns {describe(found)}, "
                f"not the star schema's {describe(expected)}; use another database file"
            )


def create_star_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables of the star that do not exist yet.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The warehouse.

    Raises
    ------
    TypeError
        If ``con`` is not a DuckDB connection.
    ValueError
        If a table of the star already exists with other columns (a different database).

    Used in chapter 17.
    """
    require_connection("con", con)
    for statement in star_schema_ddl():
        con.execute(statement)
    _check_existing_tables(con)
