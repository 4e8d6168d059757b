"""Exploratory analysis of tables, with helpers for the NYC flights of 2013.

Chapter 14 explores the flights with pandas and chapter 19 draws them; both need the
same few summaries, kept here so the chapters show the question and the answer rather
than the plumbing: what each column is and costs (:func:`column_profile`,
:func:`string_memory`), how late flights are per group (:func:`delay_summary`) and over
time (:func:`resample_delays`), and how flights relate to the weather
(:func:`delays_by_origin_hour`, :func:`join_weather`) and to the map
(:func:`flights_per_destination`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "column_kind",
    "column_profile",
    "delay_summary",
    "delays_by_origin_hour",
    "flights_per_destination",
    "join_weather",
    "resample_delays",
    "string_memory",
]


def _require_frame(frame: object, name: str = "frame", allow_empty: bool = False) -> pd.DataFrame:
    """Raise unless ``frame`` is a DataFrame (with rows, unless ``allow_empty``)."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    if not allow_empty and frame.empty:
        raise ValueError(f"{name} is empty (shape {frame.shape}); there is nothing to analyse")
    return frame


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str = "frame") -> None:
    """Raise a ValueError naming every missing column and the columns that exist."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {missing}; it has {list(frame.columns)}")


def _require_numeric(frame: pd.DataFrame, column: str) -> None:
    series = frame[column]
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise TypeError(f"column {column!r} must be numeric, got dtype {series.dtype}")


def _require_datetime(frame: pd.DataFrame, column: str) -> None:
    if not pd.api.types.is_datetime64_any_dtype(frame[column]):
        raise TypeError(
            f"column {column!r} must hold date-times, got dtype {frame[column].dtype}; "
            "parse it with pandas.to_datetime first"
        )


def _as_column_list(by: object, name: str = "by") -> list[str]:
    """Accept one column name or a non-empty list of names."""
    if isinstance(by, str):
        return [by]
    if isinstance(by, (list, tuple)) and by and all(isinstance(item, str) for item in by):
        return list(by)
    raise TypeError(
        f"{name} must be a column name or a non-empty list of column names, got {by!r}"
    )


def column_kind(series: pd.Series) -> str:
    """What a column holds: ``"boolean"``, ``"date-time"``, ``"categorical"``, ``"numeric"`` or ``"text"``.

    Parameters
    ----------
    series : pandas.Series
        One column.

    Returns
    -------
    str
        The kind, decided from the dtype (``category`` is categorical, strings and objects text).

    Raises
    ------
    TypeError
        If ``series`` is not a pandas Series.
    """
    if not isinstance(series, pd.Series):
        raise TypeError(f"series must be a pandas Series, got {type(series).__name__}")
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date-time"
    if isinstance(series.dtype, pd.CategoricalDtype):
        return "categorical"
    if pd.api.types.is_numeric_dtype(series):
        return "numeric"
    return "text"


def column_profile(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per column: dtype, kind, missing values, distinct values and memory.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table with at least one column (it may have no rows).

    Returns
    -------
    pandas.DataFrame
        Indexed by column name, in the table's order, with ``dtype`` (str), ``kind`` (see
        :func:`column_kind`), ``missing`` and ``distinct`` (counts, missing values not
        counted as a distinct value) and ``memory_bytes`` (``deep=True``, so strings count).

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If ``frame`` has no columns.
    """
    _require_frame(frame, allow_empty=True)
    if frame.shape[1] == 0:
        raise ValueError("frame has no columns; there is nothing to profile")
    memory = frame.memory_usage(deep=True, index=False)
    records = {
        column: {
            "dtype": str(frame[column].dtype),
            "kind": column_kind(frame[column]),
            "missing": int(frame[column].isna().sum()),
            "distinct": int(frame[column].nunique(dropna=True)),
            "memory_bytes": int(memory[column]),
        }
        for column in frame.columns
    }
    return pd.DataFrame.from_dict(records, orient="index").rename_axis("column")


def string_memory(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Memory of label columns stored as Python string objects and as categories.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    columns : sequence of str
        Columns holding labels or text (any dtype; each is converted three ways).

    Returns
    -------
    pandas.DataFrame
        Indexed by column: ``distinct`` values, ``object_bytes`` and ``category_bytes`` (both
        measured with ``deep=True``), and ``saving``, the ratio object / category.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``columns`` is not a list of names.
    ValueError
        If ``frame`` is empty or lacks a column.
    """
    _require_frame(frame)
    names = _as_column_list(columns, "columns")
    _require_columns(frame, names)
    records = {}
    for column in names:
        as_text = frame[column].astype(object).where(frame[column].notna(), None)
        records[column] = {
            "distinct": int(frame[column].nunique(dropna=True)),
            "object_bytes": int(as_text.memory_usage(deep=True, index=False)),
            "category_bytes": int(as_text.astype("category").memory_usage(deep=True, index=False)),
        }
    table = pd.DataFrame.from_dict(records, orient="index").rename_axis("column")
    table["saving"] = table["object_bytes"] / table["category_bytes"]
    return table


def delay_summary(
    flights: pd.DataFrame,
    by: str | Sequence[str],
    *,
    delay: str = "dep_delay",
    late_after: float = 15.0,
    min_flights: int = 1,
) -> pd.DataFrame:
    """Delay statistics per group, worst mean delay first.

    A flight whose delay is missing was cancelled; it is counted as scheduled and as
    cancelled, and left out of the delay statistics (a cancelled flight has no delay).

    Parameters
    ----------
    flights : pandas.DataFrame
        One row per scheduled flight, with the ``by`` columns and the ``delay`` column.
    by : str or sequence of str
        Column(s) to group by, e.g. ``"carrier"`` or ``["origin", "month"]``.
    delay : str
        Numeric column of delays in minutes (negative means early).
    late_after : float
        A flight counts as late when its delay exceeds this many minutes (15, the US
        Department of Transportation's definition of an on-time flight).
    min_flights : int
        Drop groups with fewer scheduled flights; the number dropped is stored in
        ``result.attrs["groups_dropped"]`` so nothing disappears unnoticed.

    Returns
    -------
    pandas.DataFrame
        Indexed by the groups: ``flights``, ``cancelled``, ``share_cancelled``,
        ``mean_delay``, ``median_delay``, ``p90_delay``, ``share_late``, sorted by
        ``mean_delay`` from worst to best.

    Raises
    ------
    TypeError
        If ``flights`` is not a DataFrame, ``by`` is not a name or list of names, or
        ``delay`` is not numeric.
    ValueError
        If ``flights`` is empty, lacks a column, ``min_flights`` is not a positive int, or
        no group has ``min_flights`` flights.
    """
    _require_frame(flights, "flights")
    keys = _as_column_list(by)
    _require_columns(flights, keys + [delay], "flights")
    _require_numeric(flights, delay)
    if (
        isinstance(min_flights, bool)
        or not isinstance(min_flights, (int, np.integer))
        or min_flights < 1
    ):
        raise ValueError(f"min_flights must be a positive int, got {min_flights!r}")
    values = flights[delay]
    grouped = values.groupby([flights[key] for key in keys], observed=True)
    table = pd.DataFrame(
        {
            "flights": grouped.size(),
            "cancelled": values.isna()
            .groupby([flights[key] for key in keys], observed=True)
            .sum(),
            "mean_delay": grouped.mean(),
            "median_delay": grouped.median(),
            "p90_delay": grouped.quantile(0.9),
            "share_late": (values > late_after)
            .where(values.notna())
            .groupby([flights[key] for key in keys], observed=True)
            .mean(),
        }
    )
    table.insert(2, "share_cancelled", table["cancelled"] / table["flights"])
    kept = table[table["flights"] >= min_flights]
    if kept.empty:
        raise ValueError(
            f"no group has at least min_flights={min_flights} flights "
            f"(the largest has {int(table['flights'].max())})"
        )
    kept = kept.sort_values("mean_delay", ascending=False, kind="stable")
    kept.attrs["groups_dropped"] = int(len(table) - len(kept))
    return kept


def resample_delays(
    flights: pd.DataFrame, rule: str = "D", *, time: str = "time_hour", delay: str = "dep_delay"
) -> pd.DataFrame:
    """Flights and delays per calendar period (day, week, month...).

    Parameters
    ----------
    flights : pandas.DataFrame
        One row per scheduled flight.
    rule : str
        A pandas offset alias: ``"h"`` hour, ``"D"`` day, ``"W"`` week, ``"MS"`` month...
    time : str
        Date-time column of the scheduled departure.
    delay : str
        Numeric delay column (missing = cancelled).

    Returns
    -------
    pandas.DataFrame
        Indexed by period start: ``flights`` (scheduled), ``cancelled`` and ``mean_delay``
        (over flights that left). Periods without flights are kept, with 0 flights.

    Raises
    ------
    TypeError
        If ``flights`` is not a DataFrame, ``time`` is not a date-time column, ``delay`` is
        not numeric, or ``rule`` is not a string.
    ValueError
        If ``flights`` is empty, lacks a column, or ``rule`` is not a pandas frequency.
    """
    _require_frame(flights, "flights")
    _require_columns(flights, [time, delay], "flights")
    _require_datetime(flights, time)
    _require_numeric(flights, delay)
    if not isinstance(rule, str):
        raise TypeError(f"rule must be a pandas offset alias such as 'D' or 'W', got {rule!r}")
    try:
        pd.tseries.frequencies.to_offset(rule)
    except ValueError as error:
        raise ValueError(
            f"rule {rule!r} is not a pandas frequency (try 'h', 'D', 'W' or 'MS')"
        ) from error
    series = flights.set_index(time)[delay]
    resampled = series.resample(rule)
    table = pd.DataFrame(
        {
            "flights": resampled.size(),
            "cancelled": series.isna().resample(rule).sum(),
            "mean_delay": resampled.mean(),
        }
    )
    return table.astype({"flights": "int64", "cancelled": "int64"})


def delays_by_origin_hour(flights: pd.DataFrame, *, delay: str = "dep_delay") -> pd.DataFrame:
    """Scheduled flights and mean delay per departure airport and hour (the weather's grain).

    Parameters
    ----------
    flights : pandas.DataFrame
        With columns ``origin``, ``time_hour`` (date-time) and ``delay``.
    delay : str
        Numeric delay column.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``time_hour``, ``flights``, ``cancelled``, ``mean_delay``;
        one row per airport-hour with at least one scheduled flight.

    Raises
    ------
    TypeError
        If a column has the wrong type.
    ValueError
        If ``flights`` is empty or lacks a column.
    """
    _require_frame(flights, "flights")
    _require_columns(flights, ["origin", "time_hour", delay], "flights")
    _require_datetime(flights, "time_hour")
    _require_numeric(flights, delay)
    keys = [flights["origin"], flights["time_hour"]]
    grouped = flights[delay].groupby(keys, observed=True)
    table = pd.DataFrame(
        {
            "flights": grouped.size(),
            "cancelled": flights[delay].isna().groupby(keys, observed=True).sum(),
            "mean_delay": grouped.mean(),
        }
    )
    return table.reset_index()


def join_weather(
    table: pd.DataFrame,
    weather: pd.DataFrame,
    *,
    keys: Sequence[str] = ("origin", "time_hour"),
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Attach the hourly weather at the departure airport to each row (a left join).

    Every row of ``table`` is kept. Rows for which the weather has no record get missing
    weather values and ``has_weather = False``, so unmatched rows can be counted, not lost.

    Parameters
    ----------
    table : pandas.DataFrame
        Flights, or flights aggregated by :func:`delays_by_origin_hour`.
    weather : pandas.DataFrame
        One row per airport and hour (``load("weather")``).
    keys : sequence of str
        Join keys present in both tables.
    columns : sequence of str, optional
        Weather columns to attach; by default every weather column that ``table`` lacks.

    Returns
    -------
    pandas.DataFrame
        ``table`` with the weather columns and a boolean ``has_weather`` column, in the
        original row order and with the original index.

    Raises
    ------
    TypeError
        If an argument is not a DataFrame or ``keys`` is not a list of names.
    ValueError
        If a table is empty, lacks a key or a requested column, a requested column is
        already in ``table``, or ``weather`` has more than one row per key
        (the duplicated keys are named: a join would silently multiply rows).
    """
    _require_frame(table, "table")
    _require_frame(weather, "weather")
    key_list = _as_column_list(list(keys) if isinstance(keys, tuple) else keys, "keys")
    _require_columns(table, key_list, "table")
    _require_columns(weather, key_list, "weather")
    duplicated = weather.duplicated(key_list, keep=False)
    if duplicated.any():
        examples = weather.loc[duplicated, key_list].drop_duplicates().head(3).to_dict("records")
        raise ValueError(
            f"weather has {int(duplicated.sum())} rows with a repeated key {key_list}, "
            f"e.g. {examples}; deduplicate it first"
        )
    if columns is None:
        attach = [column for column in weather.columns if column not in table.columns]
    else:
        attach = _as_column_list(
            list(columns) if isinstance(columns, tuple) else columns, "columns"
        )
        _require_columns(weather, attach, "weather")
        clashing = [column for column in attach if column in table.columns]
        if clashing:
            raise ValueError(
                f"column(s) {clashing} are already in table; attaching them would duplicate them"
            )
    right = weather[key_list + [column for column in attach if column not in key_list]].assign(
        has_weather=True
    )
    left = table.copy()
    for key in key_list:
        if isinstance(left[key].dtype, pd.CategoricalDtype) or isinstance(
            right[key].dtype, pd.CategoricalDtype
        ):
            left[key] = left[key].astype(str)
            right[key] = right[key].astype(str)
    joined = left.merge(right, on=key_list, how="left", validate="many_to_one", sort=False)
    joined["has_weather"] = joined["has_weather"].notna()
    joined.index = table.index
    for key in key_list:
        joined[key] = table[key]
    return joined


def flights_per_destination(flights: pd.DataFrame, airports: pd.DataFrame) -> pd.DataFrame:
    """Number of flights to each destination, with the airport's name and location.

    Parameters
    ----------
    flights : pandas.DataFrame
        With a ``dest`` column of FAA codes.
    airports : pandas.DataFrame
        With columns ``faa``, ``name``, ``lat``, ``lon`` (``load("airports")``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``dest``, most flights first: ``flights``, ``name``, ``lat``, ``lon`` and
        ``located`` (False where the airports table does not know the code; those rows are
        kept with missing coordinates).

    Raises
    ------
    TypeError
        If an argument is not a DataFrame.
    ValueError
        If a table is empty, lacks a column, or ``airports`` lists a code twice.
    """
    _require_frame(flights, "flights")
    _require_frame(airports, "airports")
    _require_columns(flights, ["dest"], "flights")
    _require_columns(airports, ["faa", "name", "lat", "lon"], "airports")
    repeated = airports["faa"][airports["faa"].duplicated()].unique().tolist()
    if repeated:
        raise ValueError(f"airports lists the code(s) {repeated[:5]} more than once")
    counts = flights["dest"].astype(str).value_counts().rename("flights").rename_axis("dest")
    located = airports.set_index(airports["faa"].astype(str))[["name", "lat", "lon"]]
    table = counts.to_frame().join(located, how="left")
    table["located"] = table["lat"].notna() & table["lon"].notna()
    return table.sort_values("flights", ascending=False, kind="stable")
