"""Opening a SQLite database, and all-or-nothing blocks of statements."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

from dlbigdata._validation import require_type

__all__ = ["connect", "transaction"]


def _require_connection(con: object) -> sqlite3.Connection:
    """Return ``con`` if it is an open sqlite3 connection, else raise TypeError/ValueError."""
    connection: sqlite3.Connection = require_type(
        "con", con, sqlite3.Connection, "a sqlite3.Connection (from connect())"
    )
    try:
        connection.in_transaction  # noqa: B018  (raises on a closed connection)
    except sqlite3.ProgrammingError as error:
        raise ValueError(f"con is closed ({error}); open it again with connect()") from error
    return connection


def _require_path(path: object) -> str:
    """Return ``path`` as a string if it can name a database file, else raise."""
    require_type("path", path, (str, Path), "a str or pathlib.Path")
    text = str(path)
    if text == ":memory:":
        return text
    if not text.strip():
        raise ValueError(f"path must be ':memory:' or a file path, got {path!r}")
    if Path(text).is_dir():
        raise ValueError(f"path {text!r} is a folder, not a database file")
    if not Path(text).parent.is_dir():
        raise ValueError(f"folder {str(Path(text).parent)!r} of the database file does not exist")
    return text


def connect(path: str | Path = ":memory:") -> sqlite3.Connection:
    """Open a SQLite database with foreign keys enforced and explicit transactions.

    The connection is in autocommit mode (``isolation_level=None``): each statement is its
    own transaction unless a :func:`transaction` block groups several.

    Parameters
    ----------
    path : str or pathlib.Path
        ``":memory:"`` (default) for a private in-memory database, or a file path (created
        if it does not exist; its folder must exist).

    Returns
    -------
    sqlite3.Connection
        With ``PRAGMA foreign_keys = ON``.

    Raises
    ------
    TypeError
        If ``path`` is not a str or Path.
    ValueError
        If ``path`` is empty or a folder, its folder does not exist, or the file exists but
        is not a readable, intact SQLite database (a truncated or overwritten file, another
        program's file); the message names the file.

    Used in chapter 16.
    """
    text = _require_path(path)
    existed = text != ":memory:" and Path(text).exists()
    con = sqlite3.connect(text, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        if existed:
            verdict = con.execute("PRAGMA quick_check").fetchall()
            if verdict != [("ok",)]:
                raise sqlite3.DatabaseError("; ".join(row[0] for row in verdict[:3]))
    except sqlite3.DatabaseError as error:
        con.close()
        raise ValueError(f"{text} is not a usable SQLite database ({error})") from error
    return con


@contextlib.contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing block: commit if it completes, roll back everything if it raises.

    Implemented with a savepoint, so blocks nest: an inner failure that the caller catches
    undoes only the inner block. The error that ends the block is the one re-raised, never
    one from the cleanup: if the block raised, its changes are rolled back (when a
    transaction is still active; if the block itself ended it, a note on the error says
    so); if the commit fails (e.g. a deferred foreign key that points nowhere), the block is
    rolled back and the commit's error re-raised.

    Parameters
    ----------
    con : sqlite3.Connection
        The connection (from :func:`connect`).

    Yields
    ------
    sqlite3.Connection
        The same connection.

    Raises
    ------
    TypeError
        If ``con`` is not a sqlite3 connection.
    Exception
        Whatever the block (or the commit) raised, after the rollback.

    Used in chapter 16.
    """
    _require_connection(con)
    name = f"dlbigdata_{uuid.uuid4().hex}"
    con.execute(f"SAVEPOINT {name}")
    try:
        yield con
    except BaseException as error:
        _roll_back(con, name, error)
        raise
    try:
        con.execute(f"RELEASE {name}")
    except sqlite3.Error as error:
        _roll_back(con, name, error)
        raise


def _roll_back(con: sqlite3.Connection, name: str, error: BaseException) -> None:
    """Undo the savepoint ``name`` if it still exists; explain on ``error`` if it does not."""
    if not con.in_transaction:
        error.add_note(
            "the transaction had already ended inside the block (a COMMIT or ROLLBACK in it, "
            "or an error that made SQLite roll back), so there was nothing left to roll back"
        )
        return
    try:
        con.execute(f"ROLLBACK TO {name}")
        con.execute(f"RELEASE {name}")
    except sqlite3.Error as cleanup:
        error.add_note(f"rolling back the block failed too: {cleanup}")
