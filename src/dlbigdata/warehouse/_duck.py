"""DuckDB plumbing shared by the warehouse modules (private).

- :func:`quote` writes an identifier for SQL (double quotes, inner quotes doubled);
- :func:`require_connection` refuses anything but a DuckDB connection;
- :func:`registered` exposes a DataFrame to SQL for the length of a ``with`` block;
- :func:`transaction` runs a block in one transaction and never lets a failed ROLLBACK
  hide the error that caused it.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd

from dlbigdata._validation import require_type

if TYPE_CHECKING:
    import duckdb


def quote(identifier: str) -> str:
    """``identifier`` as a quoted SQL identifier: ``we"ird`` becomes ``"we""ird"``."""
    return '"' + identifier.replace('"', '""') + '"'


def require_connection(name: str, con: Any) -> duckdb.DuckDBPyConnection:
    """Return ``con`` if it is a DuckDB connection (see :func:`connect`), else TypeError."""
    import duckdb

    return require_type(
        name, con, duckdb.DuckDBPyConnection, "a DuckDB connection (dlbigdata.warehouse.connect)"
    )


@contextlib.contextmanager
def quiet_duckdb_pandas() -> Iterator[None]:
    """Silence one known deprecation warning that DuckDB 1.4 triggers inside pandas 3.

    DuckDB calls ``DataFrame.drop(inplace=True)`` when it converts time-zone-aware
    columns; the warning concerns DuckDB's code, not the caller's.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The inplace keyword")
        yield


@contextlib.contextmanager
def registered(con, name: str, frame: pd.DataFrame) -> Iterator[None]:
    """Expose ``frame`` to SQL as view ``name`` for the duration of a ``with`` block."""
    plain = frame.copy()
    for column in plain.columns:
        if pd.api.types.is_string_dtype(plain[column].dtype) and not isinstance(
            plain[column].dtype, pd.CategoricalDtype
        ):
            plain[column] = plain[column].astype(object)  # DuckDB 1.4 cannot scan pandas' str
    with quiet_duckdb_pandas():
        con.register(name, plain)
        try:
            yield
        finally:
            con.unregister(name)


@contextlib.contextmanager
def transaction(con) -> Iterator[None]:
    """Run the block in one transaction: COMMIT at the end, ROLLBACK on any error.

    The error that stopped the block is the one raised. If the ROLLBACK fails too (DuckDB
    has already ended a transaction whose COMMIT failed), that failure is added to the
    original error as a note instead of replacing it.

    Raises
    ------
    ValueError
        If ``con`` is already inside a transaction (nothing is done).
    """
    import duckdb

    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException as error:
        raise ValueError(
            f"con is already inside a transaction ({error}); COMMIT or ROLLBACK it first"
        ) from error
    try:
        yield
        con.execute("COMMIT")
    except BaseException as error:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error as rollback_error:
            error.add_note(f"the ROLLBACK after this error failed too: {rollback_error}")
        raise
