"""History in a dimension: Kimball's slowly changing dimension of type 2 (private; used
by :mod:`dlbigdata.warehouse.load`).

In each of :data:`~dlbigdata.warehouse.ddl.VERSIONED_DIMENSIONS` a member (a natural key)
has one row per *version*, each with its own surrogate key. A batch that changes an
attribute of a member closes its current version at the batch's effective time
``as_of`` and opens a new one from that time on:

.. code-block:: sql

    UPDATE dim_plane SET valid_to = :as_of, is_current = false
    WHERE tail_number = :tail_number AND is_current;
    INSERT INTO dim_plane VALUES (:new_key, :tail_number, ..., :as_of, '9999-12-31', true);

Versions are half-open intervals ``[valid_from, valid_to)`` that follow each other
without gap or overlap, so a fact finds the version valid on its date with
``valid_from <= date AND date < valid_to``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dlbigdata._validation import require_timestamp
from dlbigdata.warehouse._duck import quote, registered
from dlbigdata.warehouse.ddl import HISTORY_COLUMNS, NATURAL_KEYS, VALID_FROM_START, VALID_TO_OPEN


def require_effective_time(as_of: object) -> dt.datetime | None:
    """``as_of`` as a naive UTC datetime strictly between the two sentinels, or None."""
    if as_of is None:
        return None
    moment = require_timestamp("as_of", as_of)
    if not VALID_FROM_START < moment < VALID_TO_OPEN:
        raise ValueError(
            f"as_of must lie strictly between {VALID_FROM_START} and {VALID_TO_OPEN} "
            f"(the first version's start and the current version's end), got {moment}"
        )
    return moment


def _examples(rows: pd.DataFrame, natural: list[str]) -> str:
    """Up to three natural keys of ``rows``, as text."""
    return ", ".join(" ".join(map(str, key)) for key in rows[natural].head(3).itertuples(False))


def _refuse_unordered(table: str, changed: pd.DataFrame, as_of: dt.datetime | None) -> None:
    """Raise ValueError unless ``as_of`` is given and later than every version it closes."""
    natural = list(NATURAL_KEYS[table])
    if as_of is None:
        raise ValueError(
            f"the batch changes {len(changed)} member(s) of {table} (e.g. "
            f"{_examples(changed, natural)}), which keeps its history; pass as_of, the time "
            "from which the new values hold"
        )
    too_early = changed["valid_from_stored"] >= as_of
    if too_early.any():
        first = changed.loc[too_early].iloc[0]
        raise ValueError(
            f"as_of {as_of} is not later than the current version of {table} member "
            f"{_examples(changed.loc[too_early], natural)} (valid from "
            f"{first['valid_from_stored']}); a new version must start after the one it closes"
        )


def close_versions(
    con, table: str, changed: pd.DataFrame, as_of: dt.datetime | None
) -> pd.DataFrame:
    """Close the current version of each changed member at ``as_of``; return the new
    versions to insert (valid from ``as_of``, current); the caller gives them their keys.

    ``changed`` holds the staged rows merged with the stored current versions (their
    columns suffixed ``_stored``).
    """
    _refuse_unordered(table, changed, as_of)
    natural = list(NATURAL_KEYS[table])
    target = quote(table)
    join = " AND ".join(f"{target}.{quote(c)} = m.{quote(c)}" for c in natural)
    with registered(con, "changed_members", changed[natural]):
        con.execute(
            f"UPDATE {target} SET valid_to = ?, is_current = false "
            f"FROM changed_members m WHERE {join} AND {target}.is_current",
            [as_of],
        )
    opened = changed[[c for c in changed.columns if not c.endswith("_stored")]].drop(
        columns="_merge"
    )
    opened = opened.assign(valid_from=as_of, valid_to=VALID_TO_OPEN, is_current=True)
    opened[list(HISTORY_COLUMNS[:2])] = opened[list(HISTORY_COLUMNS[:2])].astype("datetime64[us]")
    return opened
