"""Parameter-only SQL: run, query, explain and time statements behind the guard.

Every function here passes ``sql`` and ``params`` through the guard of
:mod:`dlbigdata.database.guard` first (what it refuses, and what only parameters prevent, is
listed there), then binds the values converted as :mod:`dlbigdata.database.values` says.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dlbigdata._validation import require_int
from dlbigdata.database.connection import _require_connection, transaction
from dlbigdata.database.guard import _check_sql

__all__ = ["execute", "explain_query_plan", "query", "time_query"]

Params = Sequence[Any] | Mapping[str, Any]


def execute(con: sqlite3.Connection, sql: str, params: Params = ()) -> int:
    """Run one statement (DDL or DML) with parameters; return the number of rows it changed.

    Parameters
    ----------
    con : sqlite3.Connection
        The connection.
    sql : str
        One statement with ``?`` (or ``:name``) placeholders; the guard refuses quoted
        literals, comments, double-quoted tokens that name nothing and a second statement.
    params : sequence or mapping
        The values, one per placeholder: None, numbers (NumPy's included), strings, bytes,
        dates and time-zone-aware datetimes (stored as UTC text, ``2013-01-01T10:00:00Z``).

    Returns
    -------
    int
        Rows inserted, updated or deleted (``-1`` for statements that change none).

    Raises
    ------
    TypeError
        If ``con``, ``sql`` or ``params`` has the wrong type (a str passed as params, a
        classic slip, is refused), or a parameter is a list, array or other non-value.
    ValueError
        If ``sql`` embeds a value, a comment or a second statement, the parameters do not
        match the placeholders, or a parameter is NaN or a naive datetime.
    sqlite3.Error
        If the database rejects the statement (e.g. a constraint fails).

    Used in chapter 16.
    """
    _require_connection(con)
    params = _check_sql(con, sql, params)
    return con.execute(sql, params).rowcount


def query(con: sqlite3.Connection, sql: str, params: Params = ()) -> pd.DataFrame:
    """Run one parameterized ``SELECT`` and return its result as a DataFrame.

    A statement that returns no rows (DDL, or DML without ``RETURNING``) still runs and gives
    a frame without columns; use :func:`execute` for those, it returns the row count.

    Parameters
    ----------
    con : sqlite3.Connection
        The connection.
    sql : str
        One statement with ``?`` (or ``:name``) placeholders, as for :func:`execute`.
    params : sequence or mapping
        The values, one per placeholder, as for :func:`execute`.

    Returns
    -------
    pandas.DataFrame
        One column per result column, named as in the query.

    Raises
    ------
    TypeError, ValueError
        As :func:`execute`.
    sqlite3.Error
        If the database rejects the query (e.g. an unknown column).

    Used in chapter 16.
    """
    _require_connection(con)
    params = _check_sql(con, sql, params)
    cursor = con.execute(sql, params)
    columns = [description[0] for description in cursor.description or []]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def explain_query_plan(con: sqlite3.Connection, sql: str, params: Params = ()) -> list[str]:
    """How SQLite will run a query: the ``detail`` lines of ``EXPLAIN QUERY PLAN``.

    Parameters
    ----------
    con : sqlite3.Connection
        The connection.
    sql : str
        The query, as for :func:`query` (without ``EXPLAIN``); it is not run.
    params : sequence or mapping
        Its parameters.

    Returns
    -------
    list of str
        E.g. ``["SCAN flights"]`` (reads every row) or
        ``["SEARCH flights USING INDEX idx_flights_tailnum (tailnum=?)"]``.

    Raises
    ------
    TypeError, ValueError, sqlite3.Error
        As :func:`query`.

    Used in chapter 16.
    """
    _require_connection(con)
    params = _check_sql(con, sql, params)
    return [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, params)]


def time_query(con: sqlite3.Connection, sql: str, params: Params = (), repeat: int = 5) -> float:
    """Best wall time, in seconds, of ``repeat`` runs of a query (fetching every row).

    The minimum is the least disturbed by other programs on the machine. The runs happen
    inside one :func:`transaction`; a statement that is not a query (it returns no rows, or
    it changes rows) is refused and its changes rolled back, so timing never repeats a write.

    Parameters
    ----------
    con : sqlite3.Connection
        The connection.
    sql : str
        The query, as for :func:`query`.
    params : sequence or mapping
        Its parameters.
    repeat : int
        Number of runs, at least 1.

    Returns
    -------
    float
        The fastest run, in seconds.

    Raises
    ------
    TypeError
        If ``repeat`` is not an integer, or as :func:`query`.
    ValueError
        If ``repeat`` is below 1, ``sql`` is not a query, or as :func:`query`.
    sqlite3.Error
        As :func:`query`.

    Used in chapter 16.
    """
    _require_connection(con)
    repeat = require_int("repeat", repeat, minimum=1)
    params = _check_sql(con, sql, params)
    best = float("inf")
    changes = con.total_changes
    with transaction(con):
        for _ in range(repeat):
            start = time.perf_counter()
            cursor = con.execute(sql, params)
            cursor.fetchall()
            best = min(best, time.perf_counter() - start)
            if cursor.description is None or con.total_changes != changes:
                raise ValueError(
                    f"time_query times queries, but this statement returns no rows or changes "
                    f"the database (it was rolled back): {sql.strip()[:120]!r}"
                )
    return best
