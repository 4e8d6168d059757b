"""Checks of a loaded warehouse: referential integrity, unbroken histories and table
fingerprints."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dlbigdata.warehouse._duck import quote, require_connection
from dlbigdata.warehouse.ddl import (
    FOREIGN_KEYS,
    NATURAL_KEYS,
    STAR_SCHEMA,
    SURROGATE_KEYS,
    VALID_FROM_START,
    VERSIONED_DIMENSIONS,
)

if TYPE_CHECKING:
    import duckdb

__all__ = ["foreign_key_violations", "history_violations", "table_fingerprints"]


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


def _count(con, query: str, parameters: list | None = None) -> int:
    """The single integer an aggregate ``query`` returns."""
    row = con.execute(query, parameters or []).fetchone()
    assert row is not None  # an aggregate without GROUP BY returns exactly one row
    return int(row[0])


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
    return {
        column: _count(
            con,
            f"SELECT count(*) FROM fact_flight f WHERE NOT EXISTS (SELECT 1 FROM "
            f"{quote(dimension)} d "
            f"WHERE d.{quote(SURROGATE_KEYS[dimension])} = f.{quote(column)})",
        )
        for column, dimension in FOREIGN_KEYS.items()
    }


_BROKEN_HISTORY = """
SELECT count(DISTINCT {natural}) FROM (
    SELECT {natural}, valid_from, is_current,
           lag(valid_to) OVER (PARTITION BY {natural} ORDER BY valid_from) AS previous_to,
           count(*) FILTER (WHERE is_current) OVER (PARTITION BY {natural}) AS current_versions
    FROM {table}
)
WHERE current_versions <> 1 OR (previous_to IS NULL AND valid_from <> ?)
   OR previous_to <> valid_from
"""


def history_violations(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Count the members of each versioned dimension whose versions do not form one chain.

    A sound history has, per natural key, exactly one current version, a first version
    valid from :data:`~dlbigdata.warehouse.ddl.VALID_FROM_START`, and each later version
    starting where the previous one ends (no gap, no overlap). Returns a dict:
    versioned dimension -> members with a broken history (all zero when sound); raises
    the errors of :func:`foreign_key_violations` for a bad ``con``.

    Used in chapter 17.
    """
    _require_star(con)
    return {
        table: _count(
            con,
            _BROKEN_HISTORY.format(natural=quote(NATURAL_KEYS[table][0]), table=quote(table)),
            [VALID_FROM_START],
        )
        for table in VERSIONED_DIMENSIONS
    }


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
