"""The fixture of tests/database: an in-memory flights database with airlines and airports."""

from __future__ import annotations

import pytest
from factories import sqlite_airlines, sqlite_airports

from dlbigdata.database import connect, create_flights_schema, insert_frame


@pytest.fixture
def con():
    """A fresh in-memory database with the flights schema, airlines and airports loaded."""
    connection = connect()
    create_flights_schema(connection)
    insert_frame(connection, "airlines", sqlite_airlines())
    insert_frame(connection, "airports", sqlite_airports())
    yield connection
    connection.close()
