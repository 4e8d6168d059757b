"""Checks of a loaded warehouse: referential integrity and table fingerprints."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dlbigdata.warehouse._duck import quote, require_connection
from dlbigdata.warehouse.ddl import FOREIGN_KEYS, STAR_SCHEMA, SURROGATE_KEYS

if TYPE_CHECKING:
    import duckdb

__all__ = ["foreign_key_violations", "table_fingerprints"]


def _require_star(con) -> None:
    """Raise ValueError unless every table of the star exists in ``con``."""
    require_connection("con", con)
    present = {
        name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    missing = [table for table in STAR_SCHEMA if table not in present]
    if missing:
        raise ValueError(
            f"con holds no star schema: table(s) {missing} missing; "
            "create it with create_star_schema or load_star_schema"
        )


def foreign_key_violations(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Count facts whose foreign key matches no dimension row, per foreign key.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A loaded warehouse.

    Returns
    -------
    dict of str to int
        Foreign-key column -> number of facts whose key has no parent row (all zero in
        a sound warehouse). A NULL key counts as a violation too.

    Raises
    ------
    TypeError
        If ``con`` is not a DuckDB connection.
    ValueError
        If a table of the star is missing.

    Used in chapter 17.
    """
    _require_star(con)
    violations = {}
    for column, dimension in FOREIGN_KEYS.items():
        key = quote(SURROGATE_KEYS[dimension])
        row = con.execute(
            f"SELECT count(*) FROM fact_flight f WHERE NOT EXISTS "
            f"(SELECT 1 FROM {quote(dimension)} d WHERE d.{key} = f.{quote(column)})"
        ).fetchone()
        assert row is not None  # an aggregate without GROUP BY returns exactly one row
        (count,) = row
        violations[column] = int(count)
    return violations


def table_fingerprints(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Row count and checksum of every table of the star.

    The checksum is the sum of DuckDB's 64-bit hash of every whole row (keys
    included), so it changes when any value, key or row changes, and does not
    depend on the physical order of the rows.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The warehouse.

    Returns
    -------
    pandas.DataFrame
        Index ``table``; columns ``rows`` and ``checksum`` (a string of digits).

    Raises
    ------
    TypeError, ValueError
        As :func:`foreign_key_violations`: not a DuckDB connection, or no star in it.

    Used in chapter 17.
    """
    _require_star(con)
    rows = []
    for table in STAR_SCHEMA:
        row = con.execute(
            f"SELECT count(*), CAST(coalesce(sum(hash(t)), 0) AS VARCHAR) FROM {quote(table)} t"
        ).fetchone()
        assert row is not None  # an aggregate without GROUP BY returns exactly one row
        count, checksum = row
        rows.append({"table": table, "rows": int(count), "checksum": checksum})
    return pd.DataFrame(rows).set_index("table")
