"""Putting harmonised sources together under a stated rule, and accounting for every row.

:func:`stack_sources` puts the sources under one another, :func:`deduplicate` keeps one row
per business key, :func:`reconciliation_report` counts rows in, out and dropped per source,
and :func:`compare_to_reference` checks the integrated table against the truth.

A missing key value identifies nothing: rows whose key is incomplete never match each
other or any other row (pandas would match NaN to NaN), and they are never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    describe,
    require_frame,
    require_names,
    require_type,
    require_unique_columns,
)
from dlbigdata.integration.sources import BUSINESS_KEY, CANONICAL_COLUMNS, SourceSpec

__all__ = [
    "REASON_REPEATED",
    "REASON_SUPERSEDED",
    "compare_to_reference",
    "deduplicate",
    "reconciliation_report",
    "stack_sources",
]

REASON_REPEATED = "repeated within the same source"
REASON_SUPERSEDED = "same flight supplied by a higher-priority source"

_REASONS = (REASON_REPEATED, REASON_SUPERSEDED)


def _values_agree(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality of two aligned *value* columns; missing agrees with missing.

    Two sources that both leave a value out (a cancelled flight's delay) agree on it. This
    is for values only: key columns are matched with :func:`_complete_key`, where a missing
    value matches nothing. Values of different kinds never agree: ``1`` is not ``True``,
    nor ``"1"``, nor an aware time its naive wall clock.
    """
    a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
    if pd.api.types.is_bool_dtype(a.dtype) != pd.api.types.is_bool_dtype(b.dtype):
        return a_missing & b_missing
    if isinstance(a.dtype, pd.DatetimeTZDtype) and isinstance(b.dtype, pd.DatetimeTZDtype):
        a_values = a.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[us]")
        b_values = b.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[us]")
    elif all(
        pd.api.types.is_numeric_dtype(x.dtype) and not pd.api.types.is_bool_dtype(x.dtype)
        for x in (a, b)
    ):
        a_values = a.to_numpy(dtype=float, na_value=np.nan)
        b_values = b.to_numpy(dtype=float, na_value=np.nan)
    else:
        a_values = np.where(a_missing, "", a.astype(object).to_numpy())
        b_values = np.where(b_missing, "", b.astype(object).to_numpy())
    with np.errstate(invalid="ignore"):
        same = a_values == b_values
    return (a_missing & b_missing) | (~a_missing & ~b_missing & np.asarray(same, dtype=bool))


def _complete_key(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """Whether each row has every key value (only those rows can match another)."""
    return frame[key].notna().all(axis=1)


def _require_sources(harmonised: Any, specs: Any) -> None:
    require_type(
        "harmonised", harmonised, Mapping, "a mapping of source name -> harmonised DataFrame"
    )
    require_type("specs", specs, Mapping, "a mapping of source name -> SourceSpec")
    if not harmonised:
        raise ValueError("harmonised must hold at least one source, got an empty mapping")
    for name, frame in harmonised.items():
        require_type("a source name of harmonised", name, str, "a string")
        if name not in specs:
            raise ValueError(f"no spec for source {name!r}; specs exist for {sorted(specs)}")
        require_type(f"specs[{name!r}]", specs[name], SourceSpec, "a SourceSpec")
        require_frame(f"harmonised[{name!r}]", frame)
        require_unique_columns(f"harmonised[{name!r}]", frame)
        missing = [column for column in CANONICAL_COLUMNS if column not in frame.columns]
        if missing:
            raise ValueError(
                f"source {name!r} lacks canonical column(s) {missing}; harmonise it first"
            )


def stack_sources(
    harmonised: Mapping[str, pd.DataFrame], specs: Mapping[str, SourceSpec]
) -> pd.DataFrame:
    """Put harmonised sources under one another, remembering where each row came from.

    Parameters
    ----------
    harmonised : mapping of str to pandas.DataFrame
        Source name -> its rows from :func:`harmonise` (a dict, not a list or one name).
    specs : mapping of str to SourceSpec
        The spec of every source (for its priority).

    Returns
    -------
    pandas.DataFrame
        The canonical columns plus ``source``, ``priority`` and ``source_row`` (the
        position of the row in its source's frame: 0, 1, ..., whatever its index).

    Raises
    ------
    TypeError
        If an argument is not a mapping, or holds something else than frames and specs.
    ValueError
        If there is no source, a source has no spec or its rows lack canonical columns.

    Used in chapter 18.
    """
    _require_sources(harmonised, specs)
    parts = [
        frame[CANONICAL_COLUMNS].assign(
            source=name, priority=specs[name].priority, source_row=np.arange(len(frame))
        )
        for name, frame in harmonised.items()
    ]
    return pd.concat(parts, ignore_index=True)


def _require_stacked(stacked: Any, key: list[str]) -> pd.DataFrame:
    require_frame("stacked", stacked)
    require_unique_columns("stacked", stacked)
    needed = [*key, "source", "priority", "source_row"]
    missing = [column for column in needed if column not in stacked.columns]
    if missing:
        raise ValueError(f"stacked lacks column(s) {missing}; use stack_sources first")
    for column in ("source", "priority", "source_row"):
        if stacked[column].isna().any():
            raise ValueError(
                f"stacked[{column!r}] is missing in {int(stacked[column].isna().sum())} "
                "row(s); use stack_sources, which fills it for every row"
            )
    return stacked


def deduplicate(
    stacked: pd.DataFrame, key: Sequence[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep one row per business key: the rule is *smallest priority, then first in its source*.

    A row whose key has a missing value identifies no flight: it never matches another
    row, so it is always kept (and never dropped as a repeat of another such row).

    Parameters
    ----------
    stacked : pandas.DataFrame
        Rows from :func:`stack_sources`.
    key : list of str, optional
        Columns identifying a flight (default :data:`BUSINESS_KEY`).

    Returns
    -------
    kept : pandas.DataFrame
        One row per complete key (rows with an incomplete key each on their own),
        sorted by the key.
    dropped : pandas.DataFrame
        Every other row, with ``reason`` (:data:`REASON_REPEATED` or
        :data:`REASON_SUPERSEDED`), ``kept_source`` and ``agrees`` (whether its values
        equal those of the row kept, a missing value agreeing with a missing one).

    Raises
    ------
    TypeError
        If ``stacked`` is not a DataFrame or ``key`` not a list of names (one string is
        refused).
    ValueError
        If a key column or the bookkeeping columns are missing or incomplete.

    Used in chapter 18.
    """
    key = require_names("key", BUSINESS_KEY if key is None else key)
    stacked = _require_stacked(stacked, key)
    ordered = stacked.sort_values(["priority", "source", "source_row"], kind="stable")
    repeat = ordered.duplicated(key, keep="first") & _complete_key(ordered, key)
    kept = ordered[~repeat].sort_values(key, kind="stable").reset_index(drop=True)
    dropped = ordered[repeat].merge(
        kept[_complete_key(kept, key)],
        on=key,
        how="left",
        suffixes=("", "_kept"),
        validate="many_to_one",
    )
    dropped["kept_source"] = dropped.pop("source_kept")
    dropped["reason"] = np.where(
        dropped["source"] == dropped["kept_source"], REASON_REPEATED, REASON_SUPERSEDED
    )
    values = [c for c in CANONICAL_COLUMNS if c not in key and c in stacked.columns]
    agrees = np.ones(len(dropped), dtype=bool)
    for column in values:
        agrees &= _values_agree(dropped[column], dropped[f"{column}_kept"])
    dropped["agrees"] = agrees
    return kept, dropped[[*stacked.columns, "reason", "kept_source", "agrees"]]


def _require_report_inputs(stacked: Any, kept: Any, dropped: Any) -> list[str]:
    """The three frames must come from one run; return the sources in stacking order."""
    for name, frame, columns in (
        ("stacked", stacked, ["source"]),
        ("kept", kept, ["source"]),
        ("dropped", dropped, ["source", "reason", "agrees"]),
    ):
        require_frame(name, frame)
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            raise ValueError(
                f"{name} lacks column(s) {missing}; use stack_sources and deduplicate first"
            )
    sources = list(dict.fromkeys(stacked["source"]))
    for name, frame in (("kept", kept), ("dropped", dropped)):
        unknown = sorted(set(frame["source"]) - set(sources), key=str)
        if unknown:
            raise ValueError(
                f"{name} holds rows of source(s) {unknown} that are not in stacked "
                f"({sources}); pass the frames of one run"
            )
    unknown_reasons = sorted(set(dropped["reason"]) - set(_REASONS), key=str)
    if unknown_reasons:
        raise ValueError(f"dropped['reason'] holds {unknown_reasons}; accepted: {list(_REASONS)}")
    if not pd.api.types.is_bool_dtype(dropped["agrees"]):
        raise TypeError(
            f"dropped['agrees'] must hold True or False, got dtype {dropped['agrees'].dtype}"
        )
    return sources


def reconciliation_report(
    stacked: pd.DataFrame, kept: pd.DataFrame, dropped: pd.DataFrame
) -> pd.DataFrame:
    """Rows in, out and dropped (by reason) per source, with a total row.

    Parameters
    ----------
    stacked, kept, dropped : pandas.DataFrame
        From :func:`stack_sources` and :func:`deduplicate`, of the same run.

    Returns
    -------
    pandas.DataFrame
        Index: the sources and ``total``. Columns ``rows_in``, ``rows_out``, one column per
        drop reason, ``dropped_disagreeing`` (dropped rows whose values differed from
        the kept row) and ``balanced`` (``rows_in == rows_out + dropped``).

    Raises
    ------
    TypeError
        If an argument is not a DataFrame, or ``dropped['agrees']`` is not boolean.
    ValueError
        If a column is missing, ``kept`` or ``dropped`` holds a source that ``stacked``
        does not (its rows would vanish from the report), or a reason is unknown.

    Used in chapter 18.
    """
    sources = _require_report_inputs(stacked, kept, dropped)
    report = pd.DataFrame(index=pd.Index(sources, name="source"))
    report["rows_in"] = stacked["source"].value_counts().reindex(sources, fill_value=0)
    report["rows_out"] = kept["source"].value_counts().reindex(sources, fill_value=0)
    for reason in _REASONS:
        report[f"dropped: {reason}"] = (
            dropped.loc[dropped["reason"] == reason, "source"]
            .value_counts()
            .reindex(sources, fill_value=0)
        )
    report["dropped_disagreeing"] = (
        dropped.loc[~dropped["agrees"], "source"].value_counts().reindex(sources, fill_value=0)
    )
    report.loc["total"] = report.sum()
    dropped_total = report[[f"dropped: {reason}" for reason in _REASONS]].sum(axis=1)
    report = report.astype(np.int64)
    report["balanced"] = report["rows_in"] == report["rows_out"] + dropped_total
    return report


def _comparable(name: str, frame: Any, columns: list[str], key: list[str]) -> pd.DataFrame:
    """The key and columns of one side, categories as plain values, the key checked unique."""
    require_frame(name, frame)
    require_unique_columns(name, frame)
    wanted = list(dict.fromkeys([*key, *columns]))
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {sorted(missing)}")
    plain = frame[wanted].astype(
        {c: object for c in wanted if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    )
    complete = plain[_complete_key(plain, key)]
    repeated = complete.duplicated(key)
    if repeated.any():
        raise ValueError(
            f"key {key} is not unique in {name}: {int(repeated.sum())} repeated row(s), "
            f"e.g. {describe(complete.loc[repeated, key].head(1).to_dict('records'))}"
        )
    return plain


def compare_to_reference(
    table: pd.DataFrame,
    reference: pd.DataFrame,
    columns: Sequence[str] | None = None,
    key: Sequence[str] | None = None,
) -> pd.Series:
    """Count differences between an integrated table and the reference, per column.

    Rows are matched by their key; a row whose key has a missing value matches nothing, so
    it counts as a missing row (in ``reference``) or an extra row (in ``table``).

    Parameters
    ----------
    table, reference : pandas.DataFrame
        The integrated table and the truth; both need ``columns`` and ``key``.
    columns : list of str, optional
        Columns to compare (default :data:`CANONICAL_COLUMNS`).
    key : list of str, optional
        Columns identifying a row, unique among the complete keys of each table
        (default :data:`BUSINESS_KEY`).

    Returns
    -------
    pandas.Series
        ``missing rows`` (in reference, not in table), ``extra rows`` and, per column,
        the number of matched rows whose values differ (a missing value equals a missing
        one). All zero when the tables hold the same rows and values.

    Raises
    ------
    TypeError
        If a table is not a DataFrame, or ``columns``/``key`` not a list of names.
    ValueError
        If a column is missing or the key is not unique in either table.

    Used in chapter 18.
    """
    columns = require_names("columns", CANONICAL_COLUMNS if columns is None else columns)
    key = require_names("key", BUSINESS_KEY if key is None else key)
    new = _comparable("table", table, columns, key)
    ref = _comparable("reference", reference, columns, key)
    new_complete, ref_complete = _complete_key(new, key), _complete_key(ref, key)
    merged = ref[ref_complete].merge(
        new[new_complete], on=key, how="outer", suffixes=("_ref", "_new"), indicator=True
    )
    counts = {
        "missing rows": int((merged["_merge"] == "left_only").sum() + (~ref_complete).sum()),
        "extra rows": int((merged["_merge"] == "right_only").sum() + (~new_complete).sum()),
    }
    both = merged[merged["_merge"] == "both"]
    for column in [c for c in columns if c not in key]:
        same = _values_agree(both[f"{column}_ref"], both[f"{column}_new"])
        counts[column] = int((~same).sum())
    return pd.Series(counts, dtype=np.int64)
