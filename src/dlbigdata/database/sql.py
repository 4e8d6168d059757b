"""Parameter-only SQL: run and time statements behind the guard.

Every function here passes ``sql`` and ``params`` through the guard of
:mod:`dlbigdata.database.guard` first (what it refuses, and what only parameters prevent, is
listed there), then binds the values converted as :mod:`dlbigdata.database.values` says.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from typing import Any

from dlbigdata._validation import require_int
from dlbigdata.database.connection import _require_connection, transaction
from dlbigdata.database.guard import _check_sql

__all__ = ["execute", "time_query"]

Params = Sequence[Any] | Mapping[str, Any]


def execute(con: sqlite3.Connection, sql: str, params: Params = ()) -> int:
    """Run one statement (DDL or DML) with parameters; return the number of rows it changed.

    Parameters
    ----------
    con : sqlite3.Connection
        The connection.
    sql : str
        One statement with ``?`` (or ``:name``) placeholders; the guard refuses quoted
        literals, comments, any double quote (names are written bare) and a second statement.
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
        The query, with placeholders, as for :func:`execute`.
    params : sequence or mapping
        Its parameters, as for :func:`execute`.
    repeat : int
        Number of runs, at least 1.

    Returns
    -------
    float
        The fastest run, in seconds.

    Raises
    ------
    TypeError
        If ``repeat`` is not an integer, or as :func:`execute`.
    ValueError
        If ``repeat`` is below 1, ``sql`` is not a query, or as :func:`execute`.
    sqlite3.Error
        If the database rejects the query (e.g. an unknown column).

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
