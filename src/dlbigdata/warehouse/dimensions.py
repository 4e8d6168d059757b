"""The transform step: surrogate keys and the dimensions of the star.

One table-driven builder, :func:`build_dimension`, turns a source table into the rows
of a dimension from a small spec (source table, and per column: target name, source
column, conversion); the date dimension, generated rather than read, has its own
:func:`build_date_dimension`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    describe,
    require_choice,
    require_datetime_column,
    require_frame,
    require_int,
    require_names,
    require_series,
    require_string,
)
from dlbigdata.warehouse.ddl import (
    NATURAL_KEYS,
    STAR_SCHEMA,
    SURROGATE_KEYS,
    UNKNOWN_LABEL,
    VALID_FROM_START,
    VALID_TO_OPEN,
    VERSIONED_DIMENSIONS,
)
from dlbigdata.warehouse.landing import validated_source

__all__ = [
    "assign_surrogate_keys",
    "build_carrier_dimension",
    "build_date_dimension",
    "build_dimension",
]

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December"]  # fmt: skip
_DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def utc_naive(times: pd.Series) -> pd.Series:
    """Time-zone-aware times as UTC wall-clock times without a zone (microseconds)."""
    return times.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")


_CONVERSIONS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "text": lambda values: values.astype(object),
    "float": lambda values: values.astype(float),
    "integer": lambda values: values.astype("Int64"),
    "utc": utc_naive,
}


@dataclass(frozen=True)
class _DimensionSpec:
    """Where a dimension's rows come from: the source table and, per column of the
    dimension (surrogate key excluded, in DDL order), ``(source column, conversion)``."""

    source: str
    columns: dict[str, tuple[str, str]]


_SPECS: dict[str, _DimensionSpec] = {
    "dim_carrier": _DimensionSpec(
        "airlines", {"carrier_code": ("carrier", "text"), "carrier_name": ("name", "text")}
    ),
    "dim_airport": _DimensionSpec("airports", {
        "faa_code": ("faa", "text"), "airport_name": ("name", "text"),
        "latitude": ("lat", "float"), "longitude": ("lon", "float"),
        "altitude_ft": ("alt", "float"), "time_zone": ("tzone", "text"),
    }),
    "dim_plane": _DimensionSpec("planes", {
        "tail_number": ("tailnum", "text"), "year_built": ("year", "integer"),
        "aircraft_type": ("type", "text"), "manufacturer": ("manufacturer", "text"),
        "model": ("model", "text"), "engines": ("engines", "integer"),
        "seats": ("seats", "integer"), "engine_type": ("engine", "text"),
    }),
    "dim_weather": _DimensionSpec("weather", {
        "airport_code": ("origin", "text"), "observed_at_utc": ("time_hour", "utc"),
        "temperature_f": ("temp", "float"), "dew_point_f": ("dewp", "float"),
        "humidity_pct": ("humid", "float"), "wind_speed_mph": ("wind_speed", "float"),
        "wind_gust_mph": ("wind_gust", "float"), "precipitation_in": ("precip", "float"),
        "pressure_mb": ("pressure", "float"), "visibility_mi": ("visib", "float"),
    }),
}  # fmt: skip
"""The four dimensions read from a source table (the date dimension is generated)."""

DIMENSION_SOURCES = {dimension: spec.source for dimension, spec in _SPECS.items()}
"""Each table-driven dimension and the source table it is built from."""

FIRST_VERSION: dict[str, object] = {
    "valid_from": VALID_FROM_START,
    "valid_to": VALID_TO_OPEN,
    "is_current": True,
}
"""The history columns of a member's first version in a versioned dimension."""

UNKNOWN_MEMBERS: dict[str, dict[str, object]] = {
    "dim_carrier": {"carrier_code": UNKNOWN_LABEL, "carrier_name": UNKNOWN_LABEL},
    "dim_airport": {"faa_code": UNKNOWN_LABEL, "airport_name": UNKNOWN_LABEL},
    "dim_plane": {"tail_number": UNKNOWN_LABEL, **FIRST_VERSION},
    "dim_weather": {"airport_code": UNKNOWN_LABEL},
}  # fmt: skip
"""The attributes of each dimension's unknown member (key 0); in a versioned dimension it
has one version, valid for ever."""

_INT32 = (-(2**31), 2**31 - 1)
_HISTORY_DTYPES = {
    "valid_from": "datetime64[us]",
    "valid_to": "datetime64[us]",
    "is_current": bool,
}


def _check_natural_key(frame: pd.DataFrame, natural_key: list[str]) -> None:
    """Raise ValueError for a missing, reserved or repeated natural key."""
    missing = frame[natural_key].isna().any(axis=1)
    if missing.any():
        raise ValueError(
            f"natural key {natural_key} has missing values in {int(missing.sum())} row(s) "
            f"(at index {frame.index[missing][:5].tolist()}); a dimension row needs its key"
        )
    text = [c for c in natural_key if pd.api.types.is_string_dtype(frame[c].astype(object))]
    reserved = (frame[text] == UNKNOWN_LABEL).any(axis=1)
    if reserved.any():
        raise ValueError(
            f"natural key {natural_key} holds {UNKNOWN_LABEL!r} in {int(reserved.sum())} "
            f"row(s); that value is reserved for the unknown member"
        )
    duplicated = frame.duplicated(natural_key, keep=False)
    if duplicated.any():
        examples = frame.loc[duplicated, natural_key].drop_duplicates().head(5).to_dict("records")
        raise ValueError(f"natural key {natural_key} is not unique, e.g. {examples}")


def assign_surrogate_keys(
    frame: pd.DataFrame, natural_key: list[str], key: str, first_key: int = 1
) -> pd.DataFrame:
    """Sort rows by their natural key and number them ``first_key, first_key + 1, ...``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Dimension rows, one per natural key.
    natural_key : list of str
        Columns that identify a row in the source.
    key : str
        Name of the surrogate-key column to add (first column of the result).
    first_key : int, default 1
        Key of the first row (0 is reserved for the unknown member).

    Returns
    -------
    pandas.DataFrame
        The rows in natural-key order with the new key column first.

    Raises
    ------
    TypeError
        For a wrong type (a single string as ``natural_key`` included).
    ValueError
        If a natural-key column is missing, holds missing values or the reserved
        ``"(unknown)"``, or repeats a key (the message names the duplicated keys); if
        ``key`` is already a column; if ``first_key`` is below 1.

    Used in chapter 17.
    """
    frame = require_frame("frame", frame)
    natural_key = require_names("natural_key", natural_key)
    key = require_string("key", key)
    first_key = require_int("first_key", first_key, minimum=1)
    missing = [column for column in natural_key if column not in frame.columns]
    if missing:
        raise ValueError(f"natural-key column(s) {missing} not in {list(frame.columns)}")
    if key in frame.columns:
        raise ValueError(f"key {key!r} is already a column of frame: {list(frame.columns)}")
    _check_natural_key(frame, natural_key)
    result = frame.sort_values(natural_key, kind="stable").reset_index(drop=True)
    result.insert(0, key, np.arange(first_key, first_key + len(result), dtype=np.int64))
    return result


def _check_fits_schema(dimension: str, rows: pd.DataFrame) -> None:
    """Raise ValueError if a value cannot be stored: a missing value in a NOT NULL
    attribute, or an INTEGER beyond 32 bits."""
    natural = NATURAL_KEYS[dimension]
    for column, definition in STAR_SCHEMA[dimension]:
        if column not in rows or column in natural:  # keys are checked with the natural key
            continue
        values = rows[column]
        if "NOT NULL" in definition and values.isna().any():
            where = rows.index[values.isna()][:5].tolist()
            raise ValueError(
                f"{dimension}.{column} must not be missing, got {int(values.isna().sum())} "
                f"missing value(s) (at index {where})"
            )
        if definition.startswith("INTEGER"):
            present = values.dropna()
            outside = present[(present < _INT32[0]) | (present > _INT32[1])]
            if len(outside):
                raise ValueError(
                    f"{dimension}.{column} must fit a 32-bit INTEGER, got "
                    f"{describe(outside.head(3).tolist())}"
                )


def build_dimension(dimension: str, source: pd.DataFrame) -> pd.DataFrame:
    """The rows of a dimension from its source table, with surrogate keys from 1.

    Parameters
    ----------
    dimension : {"dim_carrier", "dim_airport", "dim_plane", "dim_weather"}
        The dimension; :data:`DIMENSION_SOURCES` names the source table each reads.
    source : pandas.DataFrame
        That source table (the columns of ``SOURCE_COLUMNS[DIMENSION_SOURCES[dimension]]``;
        other columns are ignored).

    Returns
    -------
    pandas.DataFrame
        The columns of the dimension, sorted by its natural key, surrogate key first. The
        weather's time is stored in UTC without a zone, so that the key is unambiguous
        also in the hour the clocks go back. A versioned dimension (the plane) gets
        each member's first version: valid from :data:`VALID_FROM_START` to
        :data:`VALID_TO_OPEN`, current.

    Raises
    ------
    ValueError
        If a column is missing, or the natural key is missing (NaN), reserved or repeated:
        a row without its key is refused, never dropped; also if a value does not fit the
        dimension (a missing carrier or airport name, an integer beyond 32 bits).
    TypeError
        If the input is not a DataFrame or a column holds the wrong kind of values.

    Used in chapter 17.
    """
    spec = _SPECS[require_choice("dimension", dimension, list(_SPECS))]
    frame = validated_source(spec.source, source).reset_index(drop=True)
    rows = pd.DataFrame(
        {
            target: _CONVERSIONS[conversion](frame[column])
            for target, (column, conversion) in spec.columns.items()
        }
    )
    _check_fits_schema(dimension, rows)
    if dimension in VERSIONED_DIMENSIONS:
        for column, value in FIRST_VERSION.items():
            rows[column] = pd.Series(value, index=rows.index, dtype=_HISTORY_DTYPES[column])
    return assign_surrogate_keys(rows, list(NATURAL_KEYS[dimension]), SURROGATE_KEYS[dimension])


def build_carrier_dimension(airlines: pd.DataFrame) -> pd.DataFrame:
    """``dim_carrier`` from the airlines table: ``build_dimension("dim_carrier", airlines)``.

    Used in chapter 17.
    """
    return build_dimension("dim_carrier", airlines)


def build_date_dimension(dates: pd.Series) -> pd.DataFrame:
    """One row per calendar day of the years the dates fall in, keyed ``yyyymmdd``.

    Parameters
    ----------
    dates : pandas.Series
        Datetimes (naive or time-zone-aware). Missing values (NaT) add no year; the load
        rejects a flight whose date is invalid, with its reason.

    Returns
    -------
    pandas.DataFrame
        Columns of ``dim_date``; ``date_key`` is the date written as an integer,
        the one "smart" key Kimball and Ross recommend.

    Raises
    ------
    TypeError
        If ``dates`` is not a Series of datetimes.
    ValueError
        If there is no date at all.

    Used in chapter 17.
    """
    dates = require_series("dates", dates)
    require_datetime_column("dates", dates.to_frame("dates"), "dates")
    dates = dates.dropna()
    if dates.empty:
        raise ValueError("dates holds no valid date to build the date dimension from")
    days = pd.date_range(f"{dates.min().year}-01-01", f"{dates.max().year}-12-31", freq="D")
    return pd.DataFrame(
        {
            "date_key": (days.year * 10000 + days.month * 100 + days.day).astype(np.int64),
            "full_date": days.normalize().astype("datetime64[us]"),
            "year": days.year,
            "quarter": days.quarter,
            "month": days.month,
            "month_name": [_MONTH_NAMES[m - 1] for m in days.month],
            "day_of_month": days.day,
            "day_of_week": days.day_of_week + 1,
            "day_name": [_DAY_NAMES[d] for d in days.day_of_week],
            "is_weekend": days.day_of_week >= 5,
        }
    )
