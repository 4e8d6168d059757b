"""Relational databases with SQLite: a keyed schema, safe bulk loads, parameter-only queries.

Chapter 16 ("Databases and SQL") defines these helpers; later chapters reuse them.

Modules
-------
- :mod:`~dlbigdata.database.connection`: :func:`connect` opens a database (in memory or a
  file) with foreign keys enforced and explicit transactions, and refuses a file that is not
  an intact SQLite database; :func:`transaction` makes a block all-or-nothing.
- :mod:`~dlbigdata.database.guard` (private): the checks every statement passes, what they
  refuse and what only parameters prevent.
- :mod:`~dlbigdata.database.values` (private): the one form in which values are stored and
  bound (NumPy scalars as Python numbers, aware datetimes as UTC text, NaN parameters
  refused).
- :mod:`~dlbigdata.database.sql`: :func:`execute` and :func:`time_query` take values only
  as parameters. Chapter 16 reads results with ``pd.read_sql_query(sql, con, params=...)``
  and ``con.execute(...)`` directly; the package does not wrap them.
- :mod:`~dlbigdata.database.schema`: :data:`FLIGHTS_SCHEMA` and
  :func:`create_flights_schema` declare the nycflights13 tables with primary keys, foreign
  keys, ``CHECK`` and ``NOT NULL`` constraints and strict types.
- :mod:`~dlbigdata.database.loading`: :func:`insert_frame` bulk-loads a DataFrame with
  ``executemany`` inside one transaction, so a failed load leaves the table as it was.
- :mod:`~dlbigdata.database.diagram`: :func:`plot_schema` draws the tables and their keys.
"""

from dlbigdata.database.connection import connect, transaction
from dlbigdata.database.diagram import plot_schema
from dlbigdata.database.loading import insert_frame
from dlbigdata.database.schema import FLIGHTS_SCHEMA, create_flights_schema
from dlbigdata.database.sql import execute, time_query

__all__ = [
    "FLIGHTS_SCHEMA",
    "connect",
    "create_flights_schema",
    "execute",
    "insert_frame",
    "plot_schema",
    "time_query",
    "transaction",
]
