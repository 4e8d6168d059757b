"""The load step: one transaction that inserts new rows, updates changed ones in place
(or, in a versioned dimension, closes their version and opens a new one) and accounts
for every row offered, in a :class:`LoadReport`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dlbigdata._validation import describe
from dlbigdata.warehouse import history, staging
from dlbigdata.warehouse._duck import quote, registered, require_connection, transaction
from dlbigdata.warehouse.checks import history_violations
from dlbigdata.warehouse.ddl import (
    HISTORY_COLUMNS,
    NATURAL_KEYS,
    STAR_SCHEMA,
    SURROGATE_KEYS,
    UNKNOWN_KEY,
    VERSIONED_DIMENSIONS,
    create_star_schema,
)
from dlbigdata.warehouse.dimensions import (
    DIMENSION_SOURCES,
    UNKNOWN_MEMBERS,
    assign_surrogate_keys,
    build_date_dimension,
    build_dimension,
)
from dlbigdata.warehouse.landing import validate_source_tables

if TYPE_CHECKING:
    import duckdb

__all__ = ["LoadReport", "load_star_schema"]

_POLICIES = ("unknown", "reject")
"""What to do with a fact whose dimension member is missing: point it at the unknown
member (and count it), or reject the fact (and say why)."""

_UPDATE_COLUMNS = ["table", "rows", "examples"]
_VERSION_COLUMNS = ["table", "closed", "opened", "examples"]


@dataclass
class LoadReport:
    """What one call of :func:`load_star_schema` did.

    Attributes
    ----------
    tables : pandas.DataFrame
        Per table: ``source_rows`` (rows offered), ``inserted``, ``already_present``
        (natural key already in the warehouse, which makes the load idempotent),
        ``updated`` (of those, how many brought new values: overwritten in place, or in
        a versioned dimension given a new version) and ``rejected``.
        ``source_rows = inserted + already_present + rejected`` on every row.
    rejected : pandas.DataFrame
        Rejected facts by reason: ``rows`` and a few ``examples``.
    unknown_members : pandas.DataFrame
        Facts pointed at an unknown member, by role and reason, with examples.
    updates : pandas.DataFrame
        Rows updated in place, by table: ``rows`` and a few ``examples`` of their
        natural keys (empty when nothing changed).
    versions : pandas.DataFrame
        Changed members of a versioned dimension (:data:`VERSIONED_DIMENSIONS`), by
        table: versions ``closed`` (at ``as_of``), versions ``opened`` (from ``as_of``)
        and a few ``examples`` of their natural keys (empty when nothing changed).

    Used in chapter 17.
    """

    tables: pd.DataFrame
    rejected: pd.DataFrame
    unknown_members: pd.DataFrame
    updates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_UPDATE_COLUMNS))
    versions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_VERSION_COLUMNS))

    @property
    def balanced(self) -> bool:
        """True when every offered row was inserted, already present or rejected."""
        t = self.tables
        offered = t["source_rows"] == t["inserted"] + t["already_present"] + t["rejected"]
        return bool((offered & (t["updated"] <= t["already_present"])).all())

    def summary(self) -> str:
        """A few lines for people: rows loaded, updated and rejected, and why."""
        total = {column: int(self.tables[column].sum()) for column in self.tables}
        lines = [
            f"offered {total['source_rows']:,} rows: inserted {total['inserted']:,}, "
            f"already present {total['already_present']:,} (updated {total['updated']:,}), "
            f"rejected {total['rejected']:,}"
        ]
        lines += [
            f"  updated {row.rows:,} rows of {row.table} in place (e.g. {row.examples})"
            for row in self.updates.itertuples()
        ]
        lines += [
            f"  closed {row.closed:,} and opened {row.opened:,} versions of {row.table} "
            f"(e.g. {row.examples})"
            for row in self.versions.itertuples()
        ]
        lines += [
            f"  rejected {row.rows:,}: {row.reason} (e.g. {row.examples})"
            for row in self.rejected.itertuples()
        ]
        lines += [
            f"  {row.rows:,} facts -> unknown {row.role}: {row.reason} (e.g. {row.examples})"
            for row in self.unknown_members.itertuples()
        ]
        return "\n".join(lines)


def _resolve_policies(on_missing: str | Mapping[str, str]) -> dict[str, str]:
    """One policy per role, from a single policy or a mapping role -> policy."""
    roles = list(staging.ROLES)
    if isinstance(on_missing, str):
        on_missing = dict.fromkeys(roles, on_missing)
    elif not isinstance(on_missing, Mapping):
        raise TypeError(
            f"on_missing must be a str or a mapping role -> policy, got {describe(on_missing)}"
        )
    unknown_roles = sorted(map(repr, set(on_missing) - set(roles)))
    if unknown_roles:
        raise ValueError(
            f"unknown role(s) [{', '.join(unknown_roles)}] in on_missing; accepted: {roles}"
        )
    for role, policy in on_missing.items():
        if not isinstance(policy, str) or policy not in _POLICIES:
            raise ValueError(
                f"policy {policy!r} for role {role!r} is not accepted; accepted: {list(_POLICIES)}"
            )
    return {role: on_missing.get(role, "unknown") for role in roles}


def _stage_dimensions(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The dimension rows the batch offers, with keys as on an empty warehouse."""
    dates = staging.flight_dates(tables["flights"])
    if dates.notna().any():
        staged = {"dim_date": build_date_dimension(dates)}
    else:  # no valid date: the date dimension gains nothing (the flights are rejected)
        staged = {"dim_date": build_date_dimension(pd.Series(pd.to_datetime(["2000-01-01"])))[:0]}
    for dimension, source in DIMENSION_SOURCES.items():
        staged[dimension] = build_dimension(dimension, tables[source])
    return staged


def _same_values(left: pd.DataFrame, right: pd.DataFrame) -> np.ndarray:
    """Row-wise equality of two aligned frames, missing equal to missing."""
    equal = np.ones(len(left), dtype=bool)
    for position in range(left.shape[1]):
        a, b = left.iloc[:, position], right.iloc[:, position]
        a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
        a_values = np.where(a_missing, None, a.to_numpy(dtype=object))
        b_values = np.where(b_missing, None, b.to_numpy(dtype=object))
        equal &= (a_missing & b_missing) | (~a_missing & ~b_missing & (a_values == b_values))
    return equal


def _key_examples(rows: pd.DataFrame, natural: list[str]) -> str:
    """Up to three natural keys of ``rows``, as text."""
    return ", ".join(" ".join(map(str, key)) for key in rows[natural].head(3).itertuples(False))


def _update_dimension(con, table: str, rows: pd.DataFrame, attributes: list[str]) -> None:
    """Overwrite the attributes of the stored rows that share a natural key with ``rows``."""
    natural = list(NATURAL_KEYS[table])
    target = quote(table)
    sets = ", ".join(f"{quote(c)} = u.{quote(c)}" for c in attributes)
    join = " AND ".join(f"{target}.{quote(c)} = u.{quote(c)}" for c in natural)
    with registered(con, "dimension_updates", rows[natural + attributes]):
        con.execute(f"UPDATE {target} SET {sets} FROM dimension_updates u WHERE {join}")


def _stored_members(con, table: str) -> pd.DataFrame:
    """The stored rows of ``table`` but the unknown member; of a versioned dimension,
    the current versions only."""
    current = " AND is_current" if table in VERSIONED_DIMENSIONS else ""
    key = quote(SURROGATE_KEYS[table])
    return con.execute(
        f"SELECT * FROM {quote(table)} WHERE {key} <> ?{current}", [UNKNOWN_KEY]
    ).df()


def _insert_rows(con, table: str, rows: pd.DataFrame) -> None:
    """Insert ``rows`` (every column of ``table``) into ``table``."""
    columns = ", ".join(quote(name) for name, _ in STAR_SCHEMA[table])
    with registered(con, "staged_dimension", rows):
        con.execute(
            f"INSERT INTO {quote(table)} ({columns}) SELECT {columns} FROM staged_dimension"
        )


def _load_dimension(con, table: str, staged: pd.DataFrame, as_of) -> tuple[dict[str, int], dict]:
    """Update the stored rows whose attributes changed (or version them), insert the
    new natural keys; return the counts and the change (table, rows, examples)."""
    key, natural = SURROGATE_KEYS[table], list(NATURAL_KEYS[table])
    if table in UNKNOWN_MEMBERS:
        _insert_unknown_member(con, table)
    stored = _stored_members(con, table)
    matched = staged.merge(
        stored, on=natural, how="left", suffixes=("", "_stored"), indicator=True
    )
    present = (matched["_merge"] == "both").to_numpy()
    attributes = [
        c for c in staged.columns if c not in natural and c != key and c not in HISTORY_COLUMNS
    ]
    changed = present.copy()
    changed[present] = ~_same_values(
        matched.loc[present, attributes], matched.loc[present, [f"{c}_stored" for c in attributes]]
    )
    new_rows = staged.loc[~present]
    if changed.any() and table in VERSIONED_DIMENSIONS:
        opened = history.close_versions(con, table, matched.loc[changed], as_of)
        new_rows = pd.concat([new_rows, opened[staged.columns]], ignore_index=True)
    elif changed.any():
        _update_dimension(con, table, matched.loc[changed], attributes)
    if table != "dim_date":  # date keys are the dates; other keys continue the sequence
        (last_key,) = con.execute(f"SELECT max({quote(key)}) FROM {quote(table)}").fetchone()
        new_rows = assign_surrogate_keys(new_rows.drop(columns=key), natural, key, last_key + 1)
    if len(new_rows):
        _insert_rows(con, table, new_rows)
    counts = {"source_rows": len(staged), "inserted": int((~present).sum()), "rejected": 0,
              "already_present": int(present.sum()), "updated": int(changed.sum())}  # fmt: skip
    examples = _key_examples(matched.loc[changed], natural)
    return counts, {"table": table, "rows": counts["updated"], "examples": examples}


def _insert_unknown_member(con, table: str) -> None:
    """Insert the unknown member (key 0) of ``table`` unless it is there already."""
    key = SURROGATE_KEYS[table]
    values = {key: UNKNOWN_KEY, **UNKNOWN_MEMBERS[table]}
    columns = ", ".join(map(quote, values))
    placeholders = ", ".join("?" for _ in values)
    con.execute(
        f"INSERT INTO {quote(table)} ({columns}) SELECT {placeholders} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(key)} = ?)",
        [*values.values(), UNKNOWN_KEY],
    )


def _fact_columns() -> tuple[list[str], list[str]]:
    """The natural-key columns of ``fact_flight`` and its other columns (surrogate key aside)."""
    natural = list(NATURAL_KEYS["fact_flight"])
    columns = [name for name, _ in STAR_SCHEMA["fact_flight"]][1:]
    return natural, [c for c in columns if c not in natural]


def _update_facts(con) -> dict:
    """Overwrite the stored facts whose natural key the batch brings with other values."""
    natural, attributes = _fact_columns()
    join = " AND ".join(f"f.{quote(c)} = s.{quote(c)}" for c in natural)
    differs = " OR ".join(f"s.{quote(c)} IS DISTINCT FROM f.{quote(c)}" for c in attributes)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE fact_updates AS SELECT f.flight_key, "
        f"{', '.join(f's.{quote(c)}' for c in attributes)}, s.label "
        f"FROM (SELECT *, {staging.FLIGHT_LABEL} AS label FROM stage_fact) s "
        f"JOIN fact_flight f ON {join} "
        f"WHERE s.reject_reason IS NULL AND ({differs})"
    )
    sets = ", ".join(f"{quote(c)} = u.{quote(c)}" for c in attributes)
    con.execute(
        f"UPDATE fact_flight SET {sets} FROM fact_updates u "
        "WHERE fact_flight.flight_key = u.flight_key"
    )
    labels = con.execute("SELECT label FROM fact_updates ORDER BY label").fetchall()
    con.execute("DROP TABLE fact_updates")
    return {
        "table": "fact_flight",
        "rows": len(labels),
        "examples": ", ".join(label for (label,) in labels[:3]),
    }


def _insert_facts(con) -> dict[str, int]:
    """Insert the valid staged facts whose natural key is new; count what happened."""
    natural, attributes = _fact_columns()
    join = " AND ".join(f"f.{quote(c)} = s.{quote(c)}" for c in natural)
    columns = natural + attributes
    (next_key,) = con.execute(
        "SELECT coalesce(max(flight_key), 0) + 1 FROM fact_flight"
    ).fetchone()
    (source_rows, rejected) = con.execute(
        "SELECT count(*), count(reject_reason) FROM stage_fact"
    ).fetchone()
    (before,) = con.execute("SELECT count(*) FROM fact_flight").fetchone()
    order = ", ".join(f"s.{quote(c)}" for c in natural)
    con.execute(
        f"INSERT INTO fact_flight (flight_key, {', '.join(map(quote, columns))}) "
        f"SELECT ? - 1 + row_number() OVER (ORDER BY {order}), "
        f"{', '.join(f's.{quote(c)}' for c in columns)} FROM stage_fact s "
        f"WHERE s.reject_reason IS NULL AND NOT EXISTS (SELECT 1 FROM fact_flight f WHERE {join})",
        [next_key],
    )
    (after,) = con.execute("SELECT count(*) FROM fact_flight").fetchone()
    inserted = after - before
    return {
        "source_rows": source_rows,
        "inserted": inserted,
        "already_present": source_rows - rejected - inserted,
        "rejected": rejected,
    }


def _versions(changes: list[dict]) -> pd.DataFrame:
    """The versions closed and opened, by table, from the changes of versioned dimensions."""
    rows = [
        {"table": c["table"], "closed": c["rows"], "opened": c["rows"], "examples": c["examples"]}
        for c in changes
        if c["rows"] > 0
    ]
    return pd.DataFrame(rows, columns=_VERSION_COLUMNS)


def _check_history(con) -> None:
    """Raise RuntimeError if a versioned dimension's versions no longer form one chain."""
    broken = {table: count for table, count in history_violations(con).items() if count}
    if broken:
        raise RuntimeError(f"versions overlap or leave gaps in {broken}; nothing was written")


def _load_inside_transaction(
    con, staged_dimensions, staged_flights, policies, as_of
) -> LoadReport:
    """The load proper, inside the caller's transaction; the report is checked here."""
    create_star_schema(con)
    counts: dict[str, dict[str, int]] = {}
    updates: list[dict] = []
    versioned: list[dict] = []
    for table, staged in staged_dimensions.items():
        counts[table], change = _load_dimension(con, table, staged, as_of)
        (versioned if table in VERSIONED_DIMENSIONS else updates).append(change)
    _check_history(con)
    staging.look_up_dimensions(con, staged_flights)
    staging.reject_repeats(con)
    unknown = staging.apply_missing_member_policies(con, policies)
    rejected = staging.rejections(con)
    updates.append(_update_facts(con))
    counts["fact_flight"] = {**_insert_facts(con), "updated": updates[-1]["rows"]}
    con.execute("DROP TABLE stage_fact")
    tables = pd.DataFrame(counts).T[["source_rows", "inserted", "already_present", "updated",
                                     "rejected"]].astype(int).rename_axis("table")  # fmt: skip
    changes = pd.DataFrame([u for u in updates if u["rows"] > 0], columns=_UPDATE_COLUMNS)
    report = LoadReport(tables, rejected, unknown, changes, _versions(versioned))
    if not report.balanced:
        raise RuntimeError(f"load report does not balance; nothing was written:\n{tables}")
    return report


def load_star_schema(
    con: duckdb.DuckDBPyConnection,
    tables: Mapping[str, pd.DataFrame],
    *,
    on_missing: str | Mapping[str, str] = "unknown",
    as_of: dt.datetime | dt.date | None = None,
) -> LoadReport:
    """Load a batch of source tables into the star, in one transaction, idempotently.

    Dimension rows are inserted when their natural key is new (surrogate keys continue
    the existing sequence, in natural-key order). A row whose natural key is already
    stored but whose attributes differ is, in the carrier, airport and weather
    dimensions, **updated in place** (Kimball's type 1: the latest batch wins) and
    reported in ``LoadReport.updates``; its surrogate key never changes. The plane
    dimension keeps its **history** (type 2, :data:`VERSIONED_DIMENSIONS`): the member's
    current version is closed (``valid_to = as_of``, ``is_current = false``) and a new
    version, with a new surrogate key, is valid from ``as_of`` on; both are reported in
    ``LoadReport.versions``. A member's first version is valid from
    :data:`VALID_FROM_START`, a current one until :data:`VALID_TO_OPEN`.

    Each flight is checked (valid date, codes present, valid flight number and ``HHMM``
    times, positive distance, not a repeat within the batch), looked up in every
    dimension, and inserted when its natural key (date, carrier, number, origin,
    scheduled time) is new; when it is already stored with other measures or members
    (a corrected ``arr_delay``, a plane now known), the stored fact is updated in place
    and counted as ``updated``. The plane is looked up **as of the flight's date**
    (``valid_from <= date < valid_to``): facts keep the version they were loaded with,
    and a flight sent again after a change points at the new version only if it flew on
    or after ``as_of``. Running the same load twice therefore leaves the warehouse
    exactly as after the first run, and no new value is ever discarded without a word.
    Batches are increments: a stored member or flight that a batch does not list is kept.

    Missing keys are never dropped silently: a dimension row without its natural key
    makes the whole load fail (ValueError); a flight without carrier, origin or
    destination code is rejected with that reason; a missing tail number or departure
    hour points the fact at the unknown member (or rejects it, by ``on_missing``), and a
    missing code never matches a dimension row.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The warehouse (see :func:`connect`); the star is created first if needed.
    tables : mapping of str to pandas.DataFrame
        The five source tables (see :data:`SOURCE_COLUMNS`).
    on_missing : {"unknown", "reject"} or mapping of role to one of them
        What to do with a flight whose carrier, origin, destination, plane or weather
        is not in its dimension: point it at the unknown member (key 0), or reject it.
        A mapping sets the policy per role (``"carrier"``, ``"origin"``, ``"dest"``,
        ``"plane"``, ``"weather"``); roles it omits use ``"unknown"``.
    as_of : datetime.datetime, pandas.Timestamp or datetime.date, optional
        When the batch's values take effect: the start of the versions it opens. A time
        with a zone is converted to UTC, one without is read as UTC, a date means its
        midnight. It is never taken from the clock, so a load can be repeated exactly;
        it is needed only when the batch changes a plane's attributes (without one, such
        a batch is refused) and must then be later than the version it closes.

    Returns
    -------
    LoadReport
        Rows offered, inserted, already present, updated and rejected per table, with
        the reasons, the unknown members used, examples of the updated keys and the
        versions closed and opened.

    Raises
    ------
    ValueError, TypeError
        For bad input (see :func:`validate_source_tables`), an unknown policy or role,
        an ``as_of`` that is not a time, missing where a change needs it or not later
        than the version it closes, or a connection already inside a transaction;
        nothing is written.
    Exception
        Any error during the load is re-raised after a rollback: the warehouse is left
        exactly as it was before the call. Should the rollback fail too, its error is a
        note on the original one, which is the error raised.

    Used in chapter 17.
    """
    require_connection("con", con)
    policies = _resolve_policies(on_missing)
    as_of = history.require_effective_time(as_of)
    validate_source_tables(tables)
    staged_flights = staging.stage_flights(tables["flights"])
    staged_dimensions = _stage_dimensions(tables)
    with transaction(con):
        return _load_inside_transaction(con, staged_dimensions, staged_flights, policies, as_of)
