"""Checks of pandas tables: frames, series, columns, numeric tables, labels that align."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from dlbigdata._validation.scalars import describe, require_type

Table = TypeVar("Table", pd.Series, pd.DataFrame)
"""A pandas Series or DataFrame (the same kind in and out)."""


def require_frame(name: str, value: Any, *, allow_empty: bool = True) -> pd.DataFrame:
    """Return ``value`` if it is a pandas DataFrame, else raise TypeError."""
    frame = require_type(name, value, pd.DataFrame, "a pandas DataFrame")
    if not allow_empty and frame.empty:
        raise ValueError(f"{name} must have at least one row, got an empty DataFrame")
    return frame


def require_series(name: str, value: Any) -> pd.Series:
    """Return ``value`` if it is a pandas Series, else raise TypeError."""
    return require_type(name, value, pd.Series, "a pandas Series")


def require_columns(name: str, frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Raise ValueError unless ``frame`` has every one of ``columns``; list what it has."""
    wanted = list(columns)
    missing = [column for column in wanted if column not in frame.columns]
    if missing:
        available = ", ".join(map(str, frame.columns)) or "none"
        raise ValueError(f"{name} lacks column(s) {missing}; it has: {available}")
    return frame


def require_numeric_column(name: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """Return ``frame[column]`` if it holds numbers (booleans excluded), else TypeError."""
    require_columns(name, frame, [column])
    values = frame[column]
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        raise TypeError(f"{name}[{column!r}] must be numeric, got dtype {values.dtype}")
    return values


def require_datetime_column(name: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """Return ``frame[column]`` if it holds datetimes, else raise TypeError."""
    require_columns(name, frame, [column])
    values = frame[column]
    if not pd.api.types.is_datetime64_any_dtype(values):
        raise TypeError(f"{name}[{column!r}] must hold datetimes, got dtype {values.dtype}")
    return values


def require_unique_labels(
    name: str, index: pd.Index, what: str = "row labels", why: str = " to be aligned by label"
) -> pd.Index:
    """Raise ValueError if ``index`` repeats a label (alignment by label is ambiguous)."""
    if not index.is_unique:
        repeated = index[index.duplicated()].unique()[:3].tolist()
        raise ValueError(f"{name} must have unique {what}{why}, got {repeated} repeated")
    return index


def require_unique_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` if no column name repeats, else raise ValueError naming them."""
    require_unique_labels(name, frame.columns, "column names", "")
    return frame


def as_float(values: pd.Series) -> pd.Series:
    """Numeric Series as float64 with NaN for missing (works for nullable Int64 too)."""
    return values.astype("Float64").astype("float64")


def named(name: str, series: pd.Series) -> str:
    """``name`` followed by the Series' own name when it has one: ``values ('temp')``."""
    return name if series.name is None else f"{name} ({series.name!r})"


def _refuse_infinity(name: str, numbers: pd.Series) -> None:
    count = int(np.isinf(numbers.to_numpy()).sum())
    if count:
        raise ValueError(
            f"{name} holds {count} infinite value(s); infinity is not a measurement: "
            f"replace it by NaN (missing) or by a number"
        )


def numeric_series(name: str, values: object, *, allow_infinity: bool = False) -> pd.Series:
    """Return ``values`` (a numeric Series, booleans excluded) as float64.

    TypeError for something that is not a Series or not numeric, ValueError for an
    infinity unless ``allow_infinity``.
    """
    series = require_series(name, values)
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        raise TypeError(
            f"{name} must be numeric, got dtype {series.dtype} (Series {series.name!r})"
        )
    numbers = as_float(series)
    if not allow_infinity:
        _refuse_infinity(named(name, series), numbers)
    return numbers


def numeric_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` (numeric columns with unique names, no infinity) as float64."""
    require_unique_columns(name, frame)
    floats = {}
    for column in frame.columns:
        series = require_numeric_column(name, frame, column)
        floats[column] = as_float(series)
        _refuse_infinity(f"{name}[{column!r}]", floats[column])
    return pd.DataFrame(floats, index=frame.index, columns=frame.columns)


def numeric_table(name: str, values: object) -> pd.Series | pd.DataFrame:
    """Return a numeric Series or DataFrame as float64 (see :func:`numeric_series`)."""
    if isinstance(values, pd.Series):
        return numeric_series(name, values)
    if isinstance(values, pd.DataFrame):
        return numeric_frame(name, values)
    raise TypeError(
        f"{name} must be a pandas Series or DataFrame, got {type(values).__name__}: "
        f"{describe(values)}"
    )


def _difference(labels: pd.Index, reference: pd.Index) -> str:
    missing = reference.difference(labels)[:3].tolist()
    extra = labels.difference(reference)[:3].tolist()
    return f"lacks {missing}, has extra {extra}" if missing or extra else "same labels"


def aligned_like(name: str, table: Table, reference: Table, reference_name: str) -> Table:
    """Return ``table`` reordered to the row labels (and columns) of ``reference``.

    Both must be of the same kind (Series or DataFrame), with unique labels forming the
    same set: rows are matched by label, never by position.
    """
    if type(table) is not type(reference):
        raise TypeError(
            f"{name} must be a {type(reference).__name__} like {reference_name}, "
            f"got {type(table).__name__}: {describe(table)}"
        )
    require_unique_labels(reference_name, reference.index)
    require_unique_labels(name, table.index)
    if table.index.equals(reference.index):
        ordered = table
    elif len(table.index) == len(reference.index) and table.index.isin(reference.index).all():
        ordered = table.reindex(reference.index)
    else:
        raise ValueError(
            f"{name} must have the row labels of {reference_name}: it "
            f"{_difference(table.index, reference.index)} ({len(table)} rows, "
            f"{reference_name} has {len(reference)})"
        )
    if isinstance(reference, pd.DataFrame):
        require_unique_columns(name, table)
        if set(table.columns) != set(reference.columns):
            raise ValueError(
                f"{name} must have the columns of {reference_name} "
                f"{list(reference.columns)}, got {list(table.columns)}"
            )
        ordered = ordered[reference.columns]
    return ordered
