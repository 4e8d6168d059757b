"""Harmonising one source: its names, units, clocks and codes mapped to the canonical table.

:func:`map_codes` and :func:`split_flight_designator` are the small, reusable mappings;
:func:`harmonise` applies a :class:`~dlbigdata.integration.SourceSpec` to the rows read by
:func:`~dlbigdata.integration.read_extract`. Nothing is guessed: a value that does not parse
as the spec says is an error naming the column, the values and the accepted form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    describe,
    require_frame,
    require_series,
    require_string,
    require_type,
    require_unique_columns,
)
from dlbigdata.integration.sources import (
    BUSINESS_KEY,
    CANONICAL_COLUMNS,
    CANONICAL_UNITS,
    LOCAL_TIME_ZONE,
    MIDNIGHT_HHMM,
    SourceSpec,
    _column_mismatch,
    _require_airlines,
    _require_spec,
)
from dlbigdata.units import convert_units

__all__ = ["harmonise", "map_codes", "split_flight_designator"]

_DESIGNATOR = re.compile(r"\A(?![0-9]{2})([A-Z0-9]{2})([0-9]{1,4})\Z")
"""An IATA flight designator: two letters or digits (not two digits), then 1 to 4 digits."""

_ROLE_OF_KEY = {"year": "date", "month": "date", "day": "date", "sched_dep_time": "scheduled"}


def _require_mapping(mapping: Any) -> Mapping:
    """A mapping whose keys and translations are all present (a NaN would lose a value)."""
    require_type("mapping", mapping, Mapping, "a mapping (a dict) of value -> translation")
    for key, value in mapping.items():
        if pd.isna(key) or pd.isna(value):
            raise ValueError(
                f"mapping must not hold missing keys or translations, got {key!r}: {value!r}; "
                "a missing translation would turn a known value into a missing one"
            )
    return mapping


def map_codes(
    values: pd.Series, mapping: Mapping[str, str], what: str, source: str = ""
) -> pd.Series:
    """Translate values with an explicit mapping; unknown values are an error, never guessed.

    Parameters
    ----------
    values : pandas.Series
        Values to translate; missing values stay missing.
    mapping : mapping of str to str
        Every accepted value and its translation (none of them missing).
    what : str
        What the values are, for the error message (e.g. "airline name").
    source : str, optional
        Source name, for the error message.

    Returns
    -------
    pandas.Series
        The translated values (object dtype), same index.

    Raises
    ------
    TypeError
        If ``values`` is not a Series or ``mapping`` not a mapping.
    ValueError
        If a value is not in the mapping (the message names the unknown values, how many
        rows hold them and the accepted values), or the mapping holds a missing value.

    Used in chapter 18.
    """
    require_series("values", values)
    mapping = _require_mapping(mapping)
    what = require_string("what", what)
    source = require_string("source", source, allow_empty=True)
    present = values.notna()
    unknown = ~values.isin(list(mapping)) & present
    if unknown.any():
        bad = sorted(values[unknown].astype(str).unique())
        where = f" in {source}" if source else ""
        raise ValueError(
            f"unknown {what}(s) {bad[:5]} in {int(unknown.sum())} row(s){where}; "
            f"accepted: {sorted(map(str, mapping))}"
        )
    return values.map(dict(mapping)).astype(object).where(present, None)


def split_flight_designator(values: pd.Series, source: str = "") -> tuple[pd.Series, pd.Series]:
    """Split designators such as ``UA1545`` into the carrier code and the flight number.

    Parameters
    ----------
    values : pandas.Series
        Designators: two capital letters or digits (not two digits), then 1 to 4 digits,
        nothing before or after (no space, no line break).
    source : str, optional
        Source name, for the error message.

    Returns
    -------
    (pandas.Series, pandas.Series)
        Carrier codes (object) and flight numbers (int64), same index.

    Raises
    ------
    TypeError
        If ``values`` is not a Series.
    ValueError
        If a value is missing or does not match the pattern (the message shows examples).

    Used in chapter 18.
    """
    require_series("values", values)
    source = require_string("source", source, allow_empty=True)
    parts = values.astype(str).str.extract(_DESIGNATOR)
    bad = parts[0].isna() | values.isna()
    if bad.any():
        examples = sorted(values[bad].astype(str).unique())[:5]
        raise ValueError(
            f"{int(bad.sum())} flight designator(s){' in ' + source if source else ''} "
            f"do not match {_DESIGNATOR.pattern!r} (two-character airline code, then "
            f"1-4 digits, e.g. 'UA1545'): {examples}"
        )
    return parts[0].astype(object), parts[1].astype(np.int64)


# --- parsers of one source column ------------------------------------------------------


def _as_text(values: pd.Series) -> pd.Series:
    """Values as pandas strings (numbers from JSON included); missing stays missing."""
    return values.astype("str")


def _numbers(values: pd.Series, column: str, spec: SourceSpec) -> np.ndarray:
    """Parse finite numbers written with the source's decimal mark; anything else is an error."""
    text = _as_text(values)
    foreign_mark = pd.Series(False, index=values.index)
    if spec.decimal != ".":  # a "." there could be a thousands separator: refuse, never guess
        foreign_mark = text.str.contains(".", regex=False).fillna(False).astype(bool)
        text = text.str.replace(spec.decimal, ".", regex=False)
    parsed = pd.to_numeric(text.where(~foreign_mark, "x"), errors="coerce")
    bad = (parsed.isna() & values.notna()) | np.isinf(parsed)
    if bad.any():
        raise ValueError(
            f"{spec.name}: column {column!r} holds non-numbers "
            f"{sorted(values[bad].astype(str).unique())[:5]} in {int(bad.sum())} row(s); "
            f"accepted: numbers with {spec.decimal!r} as decimal mark (finite, no "
            f"thousands separator), or empty"
        )
    return parsed.to_numpy(dtype=float)


def _whole(values: np.ndarray, role: str, spec: SourceSpec) -> np.ndarray:
    """Round converted measures to whole canonical units, refusing values far from whole."""
    rounded = np.round(values)
    off = np.abs(values - rounded) > 0.01
    if off.any():
        raise ValueError(
            f"{spec.name}: {role} converted from {spec.unit_of(role)} gives values that "
            f"are not whole {CANONICAL_UNITS[role]} (e.g. {values[off][:3].round(4).tolist()});"
            f" check the unit the spec declares"
        )
    return rounded


def _hhmm(values: pd.Series, column: str, spec: SourceSpec) -> pd.Series:
    """Local clock times (HHMM integers or "HH:MM" text) as HHMM integers; checked."""
    text = _as_text(values)
    if spec.clock == "hh:mm":
        well_formed = text.str.fullmatch(r"\d{2}:\d{2}").astype(bool)
        text = (text.str.slice(0, 2) + text.str.slice(3, 5)).where(well_formed, "x")
    numbers = pd.to_numeric(text, errors="coerce")
    bad = (
        (numbers.isna() & values.notna())
        | (numbers % 100 >= 60)
        | (numbers > MIDNIGHT_HHMM)
        | (numbers < 0)
        | (numbers != numbers.round()) & numbers.notna()
    )
    if bad.any():
        raise ValueError(
            f"{spec.name}: column {column!r} holds invalid clock times "
            f"{sorted(values[bad].astype(str).unique())[:5]}; accepted: "
            f"{'HH:MM' if spec.clock == 'hh:mm' else 'HHMM integers 0-2400'}"
        )
    return numbers.astype("Int64")


def _timestamps(values: pd.Series, column: str, spec: SourceSpec) -> pd.Series:
    """ISO 8601 timestamps (UTC with Z, or with an offset) as local time-zone-aware times."""
    text = _as_text(values)
    pattern = r".*Z" if spec.clock == "utc_iso" else r".*[+-]\d{2}:\d{2}"
    suffix_ok = text.str.fullmatch(pattern).astype(bool)
    parsed = pd.to_datetime(
        text.where(suffix_ok, "x"), format="ISO8601", utc=True, errors="coerce"
    )
    bad = parsed.isna() & values.notna()
    if bad.any():
        accepted = (
            "2013-01-01T10:15:00Z" if spec.clock == "utc_iso" else "2013-01-01T05:15:00-05:00"
        )
        raise ValueError(
            f"{spec.name}: column {column!r} holds invalid timestamps "
            f"{sorted(values[bad].astype(str).unique())[:3]}; "
            f"accepted: ISO 8601 like {accepted!r}"
        )
    return parsed.dt.tz_convert(LOCAL_TIME_ZONE).astype(f"datetime64[us, {LOCAL_TIME_ZONE}]")


def _dates(values: pd.Series, column: str, spec: SourceSpec) -> pd.Series:
    """Dates written with the source's format (parsed once per distinct value)."""
    distinct = pd.Series(values.dropna().unique())
    parsed = pd.to_datetime(distinct, format=spec.date_format, errors="coerce")
    bad = distinct[parsed.isna()]
    if len(bad) or values.isna().any():
        shown = sorted(bad.astype(str))[:5] + (["<empty>"] if values.isna().any() else [])
        raise ValueError(
            f"{spec.name}: column {column!r} holds dates not in format "
            f"{spec.date_format!r}: {shown}"
        )
    return values.map(dict(zip(distinct, parsed, strict=True))).astype("datetime64[us]")


def _require_scheduled(scheduled: pd.Series, column: str, spec: SourceSpec) -> None:
    if scheduled.isna().any():
        raise ValueError(
            f"{spec.name}: column {column!r} is empty in {int(scheduled.isna().sum())} "
            "row(s); every flight needs a scheduled time"
        )


def _column(spec: SourceSpec, role: str) -> str:
    """The source column of a role the spec needs and cannot give as a constant.

    A :class:`SourceSpec` refuses to be built without a column or a constant for every
    role it requires, and takes constants for text roles only (tailnum, origin, dest).
    """
    column = spec.column_for(role)
    assert column is not None, f"{spec.name}: role {role!r} has no column"
    return column


def _local_clock(raw: pd.DataFrame, spec: SourceSpec) -> tuple[pd.Series, pd.Series]:
    """Scheduled departure (aware, local) and actual departure time (HHMM) of every row."""
    sched_column, dep_column = _column(spec, "scheduled"), _column(spec, "departed")
    if spec.clock in ("hhmm", "hh:mm"):
        date_column = _column(spec, "date")
        day = _dates(raw[date_column], date_column, spec)
        hhmm = _hhmm(raw[sched_column], sched_column, spec)
        _require_scheduled(hhmm, sched_column, spec)
        wall = day + pd.to_timedelta((hhmm // 100 * 60 + hhmm % 100).astype(float), unit="m")
        try:
            scheduled = wall.dt.tz_localize(
                LOCAL_TIME_ZONE, ambiguous="raise", nonexistent="raise"
            )
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"{spec.name}: a scheduled local time does not exist or is ambiguous "
                f"(daylight saving time change): {error}"
            ) from error
        departed = _hhmm(raw[dep_column], dep_column, spec)
    else:
        scheduled = _timestamps(raw[sched_column], sched_column, spec)
        _require_scheduled(scheduled, sched_column, spec)
        local = _timestamps(raw[dep_column], dep_column, spec)
        departed = (local.dt.hour * 100 + local.dt.minute).astype("Int64")
    departed = departed.mask((departed == 0).fillna(False), MIDNIGHT_HHMM)
    return scheduled, departed


def _carrier_and_flight(
    raw: pd.DataFrame, spec: SourceSpec, airlines: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Carrier codes and flight numbers, through the source's airline convention."""
    column = spec.column_for("carrier")
    codes = dict(
        zip(airlines["carrier"].astype(str), airlines["carrier"].astype(str), strict=True)
    )
    if spec.carrier_format == "designator":
        carrier, flight = split_flight_designator(raw[column], spec.name)
        return map_codes(carrier, codes, "airline code", spec.name), flight
    flight_column = _column(spec, "flight")
    flight = _numbers(raw[flight_column], flight_column, spec)
    bad = np.isnan(flight) | (flight != np.round(flight)) | (flight < 0)
    if bad.any():
        raise ValueError(
            f"{spec.name}: column {flight_column!r} must hold whole flight numbers >= 0 "
            f"in every row, got {describe(raw[flight_column][bad].head(5).tolist())}"
        )
    if spec.carrier_format == "name":
        codes = dict(
            zip(airlines["name"].astype(str), airlines["carrier"].astype(str), strict=True)
        )
    what = "airline name" if spec.carrier_format == "name" else "airline code"
    return map_codes(raw[column], codes, what, spec.name), pd.Series(flight.astype(np.int64))


def _text(raw: pd.DataFrame, spec: SourceSpec, role: str) -> pd.Series:
    """A text role from its column (stripped, empty as missing) or from the spec's constant."""
    column = spec.column_for(role)
    if column is None:
        return pd.Series(spec.constants[role], index=raw.index, dtype=object)
    values = raw[column].astype(object).where(raw[column].notna(), None)
    not_text = values.map(lambda v: v is not None and not isinstance(v, str))
    if not_text.any():
        raise ValueError(
            f"{spec.name}: column {column!r} must hold text, got "
            f"{describe(values[not_text].head(3).tolist())} in {int(not_text.sum())} row(s)"
        )
    return values.map(lambda v: v.strip() or None if isinstance(v, str) else v)


def _require_raw(raw: Any, spec: SourceSpec) -> pd.DataFrame:
    require_frame("raw", raw)
    require_unique_columns(f"{spec.name}: raw", raw)
    mismatch = _column_mismatch(spec, list(raw.columns), extra_too=False)
    if mismatch:
        raise ValueError(f"{spec.name}: {mismatch}")
    return raw.reset_index(drop=True)


def _require_complete_key(out: pd.DataFrame, spec: SourceSpec) -> None:
    """A flight with a missing key value cannot be identified across sources: refuse it."""
    for column in BUSINESS_KEY:
        missing = out[column].isna()
        if missing.any():
            role = _ROLE_OF_KEY.get(column, column)
            source_column = spec.column_for(role) or f"the constant {role}"
            raise ValueError(
                f"{spec.name}: {column} is missing in {int(missing.sum())} row(s) (column "
                f"{source_column!r}, rows {missing[missing].index[:5].tolist()}); every "
                f"flight needs all of {BUSINESS_KEY} to be matched across sources"
            )


def harmonise(raw: pd.DataFrame, spec: SourceSpec, airlines: pd.DataFrame) -> pd.DataFrame:
    """Map one source's rows to the canonical table: names, units, clocks, codes, types.

    Parameters
    ----------
    raw : pandas.DataFrame
        Rows as read by :func:`read_extract` (columns the spec does not map are ignored;
        the index is not used).
    spec : SourceSpec
        The source's conventions.
    airlines : pandas.DataFrame
        Accepted carrier codes and names (``carrier``, ``name``).

    Returns
    -------
    pandas.DataFrame
        :data:`CANONICAL_COLUMNS`, typed like ``flights``, one row per row of ``raw`` in
        its order (index 0, 1, ...): local date and HHMM times, measures in whole minutes
        and miles, carrier codes, ``time_hour`` in New York time.

    Raises
    ------
    TypeError
        If ``raw`` or ``airlines`` is not a DataFrame or ``spec`` not a SourceSpec.
    ValueError
        If a mapped column is missing or repeated, a value cannot be parsed (the column,
        the bad values and the accepted form are named), a code is not in its mapping, a
        value of the business key is missing (such a row could never be matched), a
        converted measure is not whole (a wrong unit in the spec), or ``airlines`` lacks
        complete, unique ``carrier`` and ``name`` columns.

    Used in chapter 18.
    """
    spec = _require_spec(spec)
    raw = _require_raw(raw, spec)
    _require_airlines(airlines)
    scheduled, departed = _local_clock(raw, spec)
    carrier, flight = _carrier_and_flight(raw, spec, airlines)
    local = scheduled.dt.tz_localize(None)
    out = pd.DataFrame(
        {
            "year": local.dt.year.astype(np.int64),
            "month": local.dt.month.astype(np.int64),
            "day": local.dt.day.astype(np.int64),
            "sched_dep_time": (local.dt.hour * 100 + local.dt.minute).astype(np.int64),
            "dep_time": departed,
            "carrier": carrier,
            "flight": flight,
            "tailnum": _text(raw, spec, "tailnum"),
            "origin": _text(raw, spec, "origin"),
            "dest": _text(raw, spec, "dest"),
        }
    )
    _require_complete_key(out, spec)
    for role, canonical in CANONICAL_UNITS.items():
        column = _column(spec, role)
        measure = convert_units(_numbers(raw[column], column, spec), spec.unit_of(role), canonical)
        out[role] = _whole(measure, role, spec)
    if out["distance"].isna().any():
        raise ValueError(
            f"{spec.name}: distance is missing in {int(out['distance'].isna().sum())} row(s)"
        )
    out["distance"] = out["distance"].astype(np.int64)
    out["hour"], out["minute"] = local.dt.hour.astype(np.int64), local.dt.minute.astype(np.int64)
    out["time_hour"] = scheduled - pd.to_timedelta(out["minute"], unit="m")
    return out[CANONICAL_COLUMNS]
