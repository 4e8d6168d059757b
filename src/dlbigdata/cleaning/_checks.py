"""Checks shared by the cleaning modules (private): numeric tables and matching labels.

They build on :mod:`dlbigdata._validation` and add what cleaning needs on top: a numeric
Series or DataFrame as ``float64`` without infinities, and two tables whose row labels
(and columns) are the same set, so that they can be aligned by label.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

from dlbigdata._validation import describe, require_numeric_column, require_series

Table = TypeVar("Table", pd.Series, pd.DataFrame)


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
    require_unique_labels(name, frame.columns, "column names", "")
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


def require_unique_labels(
    name: str, index: pd.Index, what: str = "row labels", why: str = " to be aligned by label"
) -> None:
    """Raise ValueError if ``index`` repeats a label (alignment by label is ambiguous)."""
    if not index.is_unique:
        repeated = index[index.duplicated()].unique()[:3].tolist()
        raise ValueError(f"{name} must have unique {what}{why}, got {repeated} repeated")


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
        require_unique_labels(name, table.columns, "column names", "")
        if set(table.columns) != set(reference.columns):
            raise ValueError(
                f"{name} must have the columns of {reference_name} "
                f"{list(reference.columns)}, got {list(table.columns)}"
            )
        ordered = ordered[reference.columns]
    return ordered
