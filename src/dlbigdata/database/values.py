"""Python values as SQLite stores them: one conversion for query parameters and loaded frames.

SQLite has five storage classes (NULL, INTEGER, REAL, TEXT, BLOB) and Python's ``sqlite3``
binds only their Python counterparts correctly: a NumPy integer is bound as an 8-byte BLOB
(``typeof = 'blob'``) that equals no integer, and a datetime as text in whatever form its
adapter chooses. Every value that reaches the database goes through this module instead
(no global ``sqlite3.register_adapter``, so nothing changes for other code):

- ``None`` is ``NULL``; a NaN, ``pd.NA`` or ``pd.NaT`` *parameter* is refused (bound as
  ``NULL`` it would equal nothing, so ``WHERE x = ?`` would silently match no row), while in a
  loaded frame a missing value is stored as ``NULL``;
- booleans are stored as the integers 0 and 1; NumPy integers and floats become Python ones;
  an integer outside SQLite's 64-bit range is refused;
- a time-zone-aware timestamp is converted to UTC and stored as ISO 8601 text with a ``Z``,
  ``"2013-01-01T10:00:00Z"``, in whole seconds. A *naive* timestamp is refused (the database
  could not tell which instant it is; localize it first), and so is one with a fraction of a
  second (the stored form would drop it). A ``datetime.date`` is stored as ``"2013-01-01"``;
- a list, tuple, dict, set or array is not one value and is refused (write one ``?`` per
  value); so is any other type.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import describe

_INT64_RANGE = (-(2**63), 2**63 - 1)
_MISSING_PARAMETER = (
    "SQLite would bind it as NULL, which equals nothing, so the query would silently match "
    "no row; pass None for NULL and test it with IS NULL"
)


def _sqlite_value(name: str, value: Any) -> Any:
    """Return ``value`` as the Python value SQLite should store (see the module docstring)."""
    if value is None or isinstance(value, (str, bytes)):
        return str(value) if isinstance(value, np.str_) else value
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (np.timedelta64, datetime.timedelta)):  # NumPy's is an Integral
        raise TypeError(_unsupported(name, value))
    if isinstance(value, Integral):
        whole = int(value)
        if not _INT64_RANGE[0] <= whole <= _INT64_RANGE[1]:
            raise ValueError(f"{name} = {whole} does not fit SQLite's 64-bit INTEGER")
        return whole
    if isinstance(value, Real):
        number = float(value)
        if math.isnan(number):
            raise ValueError(f"{name} is NaN: {_MISSING_PARAMETER}")
        return number
    if value is pd.NA or value is pd.NaT:
        raise ValueError(f"{name} is {value!r}: {_MISSING_PARAMETER}")
    if isinstance(value, (datetime.datetime, np.datetime64)):
        return _timestamp_texts(name, pd.Series([value]))[0]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, (list, tuple, dict, set, frozenset, np.ndarray, pd.Series, Mapping)):
        raise TypeError(
            f"{name} must be one value, got {type(value).__name__}: {describe(value)}; "
            f"write one ? per value (e.g. IN (?, ?, ?)) and pass the values one by one"
        )
    raise TypeError(_unsupported(name, value))


def _unsupported(name: str, value: Any) -> str:
    return (
        f"{name} must be None, a number, a string, bytes, a date or a time-zone-aware "
        f"datetime, got {type(value).__name__}: {describe(value)}"
    )


def _timestamp_texts(name: str, column: pd.Series) -> np.ndarray:
    """ISO 8601 UTC text (``2013-01-01T10:00:00Z``) of aware timestamps; NaT becomes None."""
    column = pd.to_datetime(column) if column.dtype == object else column
    if column.dt.tz is None:
        if column.isna().all():
            return np.full(len(column), None, dtype=object)
        raise ValueError(
            f"{name} holds naive timestamps (no time zone), e.g. {column.dropna().iloc[0]}; "
            f"the database stores instants as UTC text such as '2013-01-01T10:00:00Z', so "
            f"localize them first, e.g. .dt.tz_localize('America/New_York') or "
            f"pd.Timestamp(...).tz_localize('UTC')"
        )
    utc = column.dt.tz_convert("UTC").dt.tz_localize(None)
    fractional = utc.notna() & (utc != utc.dt.floor("s"))
    if fractional.any():
        example = column[fractional].iloc[0]
        raise ValueError(
            f"{name} holds {example}, which has a fraction of a second; the stored form "
            f"keeps whole seconds, so round it first (.dt.floor('s'))"
        )
    seconds = utc.to_numpy().astype("datetime64[s]")
    texts = np.char.add(np.datetime_as_string(seconds, unit="s"), "Z").astype(object)
    texts[utc.isna().to_numpy()] = None
    return texts


def _column_values(name: str, column: pd.Series) -> list:
    """The values of one frame column as SQLite stores them; missing values become None."""
    missing = column.isna().to_numpy()
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(_nullable(column.cat.categories.dtype))
    dtype = column.dtype
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = _timestamp_texts(name, column)
    elif pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        if pd.api.types.is_unsigned_integer_dtype(dtype) and column.max() > _INT64_RANGE[1]:
            raise ValueError(
                f"{name} holds {column.max()}, which does not fit SQLite's 64-bit INTEGER"
            )
        values = column.astype("Int64").to_numpy(dtype=object, na_value=None)
    elif pd.api.types.is_float_dtype(dtype):
        values = column.astype("float64").to_numpy().astype(object)
    elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        values = _object_values(name, column)
    else:
        raise TypeError(
            f"{name} has dtype {dtype}, which SQLite cannot store; convert it to numbers, "
            f"text or aware timestamps first"
        )
    values[missing] = None
    return values.tolist()


def _nullable(dtype: Any) -> Any:
    """A dtype that holds the categories' values and missing ones (integers: ``Int64``)."""
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    return "Int64" if pd.api.types.is_integer_dtype(dtype) else dtype


def _object_values(name: str, column: pd.Series) -> np.ndarray:
    """Convert an object or string column value by value (the fast path when all are text)."""
    values = column.astype(object).to_numpy().copy()
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        return values
    present = ~column.isna().to_numpy()
    for position in np.flatnonzero(present):
        label = column.index[position]
        values[position] = _sqlite_value(f"{name} at row {label!r}", values[position])
    return values
