"""Tests of dlbigdata.database.connection: opening databases, all-or-nothing blocks."""

from __future__ import annotations

import re
import sqlite3

import pytest
from factories import count_table, guarded_read, sqlite_airlines, sqlite_flights

from dlbigdata.database import (
    connect,
    create_flights_schema,
    execute,
    insert_frame,
    plot_schema,
    time_query,
    transaction,
)


def test_connect_enforces_foreign_keys_and_autocommits():
    con = connect()
    assert con.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert con.isolation_level is None
    con.close()


@pytest.mark.hostile("malformed_file")
def test_connect_refuses_a_corrupted_file(tmp_path):
    path = tmp_path / "flights.db"
    path.write_bytes(b"this is not a database, just some bytes" * 100)
    with pytest.raises(
        ValueError, match=r"flights.db is not a usable SQLite database \(file is not a database\)"
    ):
        connect(path)


@pytest.mark.hostile("malformed_file")
def test_connect_refuses_a_truncated_database(tmp_path):
    path = tmp_path / "flights.db"
    con = connect(path)
    create_flights_schema(con)
    insert_frame(con, "airlines", sqlite_airlines())
    con.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50 + data[150:])  # damage the header's page counts
    with pytest.raises(ValueError, match="is not a usable SQLite database"):
        connect(path).execute("SELECT * FROM airlines").fetchall()


def test_connect_reopens_a_file_with_its_data(tmp_path):
    path = tmp_path / "flights.db"
    con = connect(path)
    create_flights_schema(con)
    insert_frame(con, "airlines", sqlite_airlines())
    con.close()
    reopened = connect(path)
    assert count_table(reopened, "airlines") == 2
    reopened.close()


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "path, error, message",
    [
        (42, TypeError, "path must be a str or pathlib.Path, got int: 42"),
        (b"flights.db", TypeError, "path must be a str or pathlib.Path, got bytes"),
        ("", ValueError, "path must be ':memory:' or a file path, got ''"),
        ("{tmp}", ValueError, "is a folder, not a database file"),
        ("{tmp}/missing/flights.db", ValueError, "folder '.*missing' of the database file"),
    ],
)
def test_connect_refuses_paths_that_cannot_be_a_database(tmp_path, path, error, message):
    if isinstance(path, str):
        path = path.format(tmp=tmp_path)
    with pytest.raises(error, match=message):
        connect(path)


def test_transaction_commits_or_rolls_back_everything(con):
    with transaction(con):
        execute(
            con,
            "INSERT INTO airlines (carrier, name) VALUES (?, ?)",
            ("DL", "Delta Air Lines Inc."),
        )
        execute(con, "UPDATE airlines SET name = ? WHERE carrier = ?", ("American", "AA"))
    assert count_table(con, "airlines") == 3
    with pytest.raises(sqlite3.IntegrityError), transaction(con):
        execute(con, "DELETE FROM airlines WHERE carrier = ?", ("DL",))
        execute(con, "INSERT INTO airlines (carrier, name) VALUES (?, ?)", ("TOOLONG", "x"))
    carriers = guarded_read(con, "SELECT carrier FROM airlines ORDER BY carrier")["carrier"]
    assert carriers.tolist() == ["AA", "DL", "UA"]


def test_nested_transactions_roll_back_only_the_inner_block(con):
    with transaction(con):
        execute(con, "INSERT INTO airlines (carrier, name) VALUES (?, ?)", ("DL", "Delta"))
        with pytest.raises(sqlite3.IntegrityError):
            insert_frame(con, "flights", sqlite_flights().assign(carrier="ZZ"))
        execute(con, "INSERT INTO airlines (carrier, name) VALUES (?, ?)", ("B6", "JetBlue"))
    assert count_table(con, "airlines") == 4 and count_table(con, "flights") == 0


@pytest.mark.hostile("masked_error")
def test_a_failed_commit_raises_the_constraint_and_rolls_back(con):
    con.execute("PRAGMA defer_foreign_keys = ON")  # foreign keys checked at COMMIT
    failure = pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed")
    with failure, transaction(con):
        insert_frame(con, "flights", sqlite_flights(2, carrier="ZZ"))
    assert not con.in_transaction
    assert count_table(con, "flights") == 0
    insert_frame(con, "flights", sqlite_flights(2))  # the connection is usable again
    assert count_table(con, "flights") == 2


@pytest.mark.hostile("masked_error")
def test_an_error_after_the_block_ended_the_transaction_is_not_masked(con):
    class Mistake(Exception):
        pass

    with pytest.raises(Mistake, match="the learner's error") as caught, transaction(con):
        execute(con, "INSERT INTO airlines (carrier, name) VALUES (?, ?)", ("DL", "Delta"))
        con.execute("COMMIT")  # ends the transaction behind transaction()'s back
        raise Mistake("the learner's error")
    assert "the transaction had already ended inside the block" in caught.value.__notes__[0]
    assert not con.in_transaction


@pytest.mark.hostile("masked_error")
def test_a_failed_rollback_is_a_note_on_the_original_error(con):
    with (
        pytest.raises(ZeroDivisionError, match="the block's own error") as caught,
        transaction(con),
    ):
        con.execute("ROLLBACK")  # drops transaction()'s savepoint ...
        con.execute("BEGIN")  # ... and opens another transaction
        raise ZeroDivisionError("the block's own error")
    (note,) = caught.value.__notes__
    assert re.fullmatch(
        r"rolling back the block failed too: no such savepoint: dlbigdata_\w+", note
    )
    con.execute("ROLLBACK")


@pytest.mark.hostile("bad_input")
def test_transaction_needs_an_open_connection():
    wrong_type = pytest.raises(TypeError, match=r"con must be a sqlite3.Connection .*, got str")
    with wrong_type, transaction("flights.db"):
        pass
    closed = connect()
    closed.close()
    with pytest.raises(ValueError, match="con is closed"), transaction(closed):
        pass


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "call",
    [
        lambda con: execute(con, "SELECT 1"),
        lambda con: time_query(con, "SELECT 1"),
        lambda con: create_flights_schema(con),
        lambda con: insert_frame(con, "airlines", sqlite_airlines()),
        lambda con: plot_schema(con, {"airlines": (0, 1)}),
    ],
)
@pytest.mark.parametrize(
    "con, error, message",
    [
        (
            "flights.db",
            TypeError,
            r"con must be a sqlite3.Connection \(from connect\(\)\), got str",
        ),
        (None, TypeError, "con must be a sqlite3.Connection .*, got NoneType: None"),
        ("closed", ValueError, "con is closed .*; open it again with connect()"),
    ],
)
def test_every_function_needs_an_open_connection(call, con, error, message):
    if con == "closed":
        con = connect()
        con.close()
    with pytest.raises(error, match=message):
        call(con)
