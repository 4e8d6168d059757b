"""Bulk loading: a DataFrame into a table with ``executemany``, all or nothing."""

from __future__ import annotations

import sqlite3

import pandas as pd

from dlbigdata._validation import require_frame, require_unique_columns
from dlbigdata.database.connection import transaction
from dlbigdata.database.guard import _quote_identifier
from dlbigdata.database.schema import _require_table, _table_columns
from dlbigdata.database.values import _column_values

__all__ = ["insert_frame"]


def _check_frame_columns(frame: pd.DataFrame, table: str, schema: pd.DataFrame) -> list[str]:
    """The frame's columns, if each is a column of ``table`` and every required one is there."""
    columns = list(frame.columns)
    if not columns:
        raise ValueError(f"frame has no columns; table {table!r} has {schema['name'].tolist()}")
    require_unique_columns("frame", frame)
    unknown = [c for c in columns if c not in set(schema["name"])]
    if unknown:
        raise ValueError(
            f"frame has column(s) {unknown} that table {table!r} lacks; "
            f"its columns are {schema['name'].tolist()}"
        )
    integer_key = (
        (schema["pk"] == 1) & (schema["type"].str.upper() == "INTEGER") & (schema["pk"].sum() == 1)
    )
    required = schema[(schema["notnull"] == 1) & schema["dflt_value"].isna() & ~integer_key]
    absent = [c for c in required["name"] if c not in columns]
    if absent:
        raise ValueError(f"frame lacks required (NOT NULL) column(s) {absent} of table {table!r}")
    return columns


def insert_frame(con: sqlite3.Connection, table: str, frame: pd.DataFrame) -> int:
    """Bulk-load a DataFrame into a table with ``executemany``, all or nothing.

    Every column of ``frame`` must exist in the table (nothing is silently dropped), and
    every ``NOT NULL`` column without a default must be present; the frame's index is not
    stored. Values travel as ``?`` parameters in the package's one stored form
    (:mod:`dlbigdata.database.values`): missing values (NaN, None, ``pd.NA``, ``NaT``)
    become ``NULL``, booleans 0/1, NumPy numbers Python ones, time-zone-aware timestamps
    ISO 8601 UTC text (``2013-01-01T10:00:00Z``). Every value is converted before anything
    is written, so a column that cannot be stored (naive timestamps, lists, timedeltas)
    fails before the load. If any row fails in the database (a constraint, a wrong type in
    a STRICT table), the whole load is rolled back and the error re-raised with a note.

    Parameters
    ----------
    con : sqlite3.Connection
        The connection.
    table : str
        An existing table.
    frame : pandas.DataFrame
        The rows; its column names are the table's column names.

    Returns
    -------
    int
        Number of rows inserted.

    Raises
    ------
    TypeError
        If ``con``, ``table`` or ``frame`` has the wrong type, or a column holds values
        SQLite cannot store (lists, timedeltas, ...).
    ValueError
        If the table does not exist; ``frame`` has no columns, repeated columns, columns
        the table lacks, or lacks required ones; a column holds naive timestamps or
        fractions of a second.
    sqlite3.IntegrityError
        If a row breaks a constraint (primary/foreign key, CHECK, NOT NULL, UNIQUE, type);
        nothing of this load remains in the table.

    Used in chapter 16.
    """
    table = _require_table(con, table)
    frame = require_frame("frame", frame)
    columns = _check_frame_columns(frame, table, _table_columns(con, table))
    values = [_column_values(f"frame[{c!r}]", frame[c]) for c in columns]
    rows = list(zip(*values, strict=True))
    names = ", ".join(_quote_identifier(c) for c in columns)
    placeholders = ", ".join("?" * len(columns))
    statement = f"INSERT INTO {_quote_identifier(table)} ({names}) VALUES ({placeholders})"
    try:
        with transaction(con):
            con.executemany(statement, rows)
    except sqlite3.Error as error:
        error.add_note(
            f"nothing was loaded into {table!r}: the load of {len(rows):,} rows was rolled back"
        )
        raise
    return len(rows)
