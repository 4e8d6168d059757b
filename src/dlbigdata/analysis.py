"""Exploratory analysis of tables, with helpers for the NYC flights of 2013.

Chapter 14 explores the flights with pandas and chapter 19 draws them; both need the
same few summaries, kept here so the chapters show the question and the answer rather
than the plumbing: what each column is and costs (:func:`column_profile`,
:func:`string_memory`), how late flights are per group (:func:`delay_summary`) and over
time (:func:`resample_delays`), and how flights relate to the weather
(:func:`delays_by_origin_hour`, :func:`join_weather`) and to the map
(:func:`flights_per_destination`).

Missing keys are never dropped and never matched: a row whose group key is missing forms a
group of its own (labelled NaN), and in a join a missing key matches nothing, not even
another missing key (pandas would pair them).

Bad input raises at once: TypeError for an argument of the wrong type (a table that is not a
DataFrame, a single string where a list of names is expected, a column of the wrong dtype),
ValueError for a wrong value (an empty table, a missing or repeated column, a NaN parameter).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_columns,
    require_datetime_column,
    require_frame,
    require_int,
    require_names,
    require_number,
    require_numeric_column,
    require_series,
    require_string,
)

__all__ = [
    "column_profile",
    "delay_summary",
    "delays_by_origin_hour",
    "flights_per_destination",
    "join_weather",
    "resample_delays",
    "string_memory",
]

_MAX_PERIODS = 10_000_000
"""Most periods :func:`resample_delays` builds (a finer rule would exhaust the memory)."""


def _table(
    name: str, frame: object, columns: Sequence[str] = (), *, allow_empty: bool = False
) -> pd.DataFrame:
    """``frame`` as a DataFrame with the named columns, each present exactly once."""
    table = require_frame(name, frame, allow_empty=allow_empty)
    require_columns(name, table, columns)
    repeated = sorted(
        {str(column) for column in columns if table.columns.tolist().count(column) > 1}
    )
    if repeated:
        raise ValueError(f"{name} has more than one column named {repeated}; rename them first")
    return table


def _group_keys(by: object) -> list[str]:
    """One column name (a string, as pandas' ``groupby``) or a list of names."""
    if isinstance(by, str):
        return [require_string("by", by)]
    return require_names("by", by)


def _as_floats(values: pd.Series) -> np.ndarray:
    """A numeric column as floats, missing values (``NaN``, ``pd.NA``) as NaN."""
    return values.to_numpy(dtype=float, na_value=np.nan)


def _column_kind(series: pd.Series) -> str:
    """What a column holds: boolean, date-time, categorical, numeric or text."""
    series = require_series("series", series)
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
        Any table with at least one column (it may have no rows); column names unique.

    Returns
    -------
    pandas.DataFrame
        Indexed by column name, in the table's order, with ``dtype`` (str), ``kind``
        (``"boolean"``, ``"date-time"``, ``"categorical"``, ``"numeric"`` or ``"text"``),
        ``missing`` and ``distinct`` (counts, missing values not counted as a distinct
        value) and ``memory_bytes`` (``deep=True``, so strings count).

    Used in chapters 14 and 19.
    """
    frame = require_frame("frame", frame)
    _table("frame", frame, frame.columns.tolist(), allow_empty=True)
    if frame.shape[1] == 0:
        raise ValueError("frame has no columns; there is nothing to profile")
    memory = frame.memory_usage(deep=True, index=False)
    records = {
        column: {
            "dtype": str(frame[column].dtype),
            "kind": _column_kind(frame[column]),
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
        The table, with at least one row.
    columns : list of str
        Columns holding labels or text (any dtype); a single string is refused.

    Returns
    -------
    pandas.DataFrame
        Indexed by column: ``distinct`` values, ``object_bytes`` and ``category_bytes`` (both
        measured with ``deep=True``), and ``saving``, the ratio object / category.

    Used in chapter 14.
    """
    names = require_names("columns", columns)
    _table("frame", frame, names)
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
    late_at: float = 15.0,
    min_flights: int = 1,
) -> pd.DataFrame:
    """Delay statistics per group, worst mean delay first.

    A flight whose delay is missing was cancelled; it is counted as scheduled and as
    cancelled, and left out of the delay statistics (a cancelled flight has no delay).
    Flights whose group key is missing form a group of their own, labelled NaN, so the
    ``flights`` column adds up to every row of ``flights`` unless ``min_flights`` drops
    groups.

    Parameters
    ----------
    flights : pandas.DataFrame
        One row per scheduled flight, with the ``by`` columns and the ``delay`` column.
    by : str or list of str
        One column name (``"carrier"``, as in pandas' ``groupby``) or a list of names
        (``["origin", "month"]``).
    delay : str
        Numeric column of delays in minutes (negative means early).
    late_at : float
        A flight counts as late when its delay is at least this many minutes: with 15,
        the US Department of Transportation's rule (on time means less than 15 minutes
        late); finite.
    min_flights : int
        Drop groups with fewer scheduled flights; the number of groups and of flights
        dropped are stored in ``result.attrs["groups_dropped"]`` and
        ``result.attrs["flights_dropped"]`` so nothing disappears unnoticed; ValueError
        if no group is left.

    Returns
    -------
    pandas.DataFrame
        Indexed by the groups: ``flights``, ``cancelled``, ``share_cancelled``,
        ``mean_delay``, ``median_delay``, ``p90_delay``, ``share_late``, sorted by
        ``mean_delay`` from worst to best.

    Used in chapters 14 and 19.
    """
    keys = _group_keys(by)
    delay = require_string("delay", delay)
    late_at = require_number("late_at", late_at)
    min_flights = require_int("min_flights", min_flights, minimum=1)
    _table("flights", flights, [*keys, delay])
    delays = _as_floats(require_numeric_column("flights", flights, delay))
    if np.isinf(delays).any():
        raise ValueError(
            f"flights[{delay!r}] holds {int(np.isinf(delays).sum())} infinite delay(s); a "
            f"delay is a finite number of minutes, or missing for a cancelled flight"
        )
    data = flights[keys].assign(
        __delay=delays,
        __cancelled=np.isnan(delays),
        __late=np.where(np.isnan(delays), np.nan, delays >= late_at),
    )
    grouped = data.groupby(keys, observed=True, dropna=False, sort=True)
    table = pd.DataFrame(
        {
            "flights": grouped.size(),
            "cancelled": grouped["__cancelled"].sum(),
            "mean_delay": grouped["__delay"].mean(),
            "median_delay": grouped["__delay"].median(),
            "p90_delay": grouped["__delay"].quantile(0.9),
            "share_late": grouped["__late"].mean(),
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
    kept.attrs["flights_dropped"] = int(table["flights"].sum() - kept["flights"].sum())
    return kept


def _frequency(rule: object) -> pd.DateOffset:
    """``rule`` as a positive pandas offset."""
    rule = require_string("rule", rule)
    try:
        offset = pd.tseries.frequencies.to_offset(rule)
    except ValueError as error:
        raise ValueError(
            f"rule {rule!r} is not a pandas frequency (try 'h', 'D', 'W' or 'MS')"
        ) from error
    if offset.n <= 0:
        raise ValueError(f"rule must be a positive frequency such as 'D' or '2h', got {rule!r}")
    return offset


def resample_delays(
    flights: pd.DataFrame, rule: str = "D", *, time: str = "time_hour", delay: str = "dep_delay"
) -> pd.DataFrame:
    """Flights and delays per calendar period (day, week, month...).

    Every flight needs a time: a missing one raises ValueError (it belongs to no period,
    and dropping it would make the counts disagree with the table).

    Parameters
    ----------
    flights : pandas.DataFrame
        One row per scheduled flight.
    rule : str
        A positive pandas offset alias: ``"h"`` hour, ``"D"`` day, ``"W"`` week, ``"MS"``
        month...
    time : str
        Date-time column of the scheduled departure, without missing values.
    delay : str
        Numeric delay column (missing = cancelled).

    Returns
    -------
    pandas.DataFrame
        Indexed by period start: ``flights`` (scheduled), ``cancelled`` and ``mean_delay``
        (over flights that left). Periods without flights are kept, with 0 flights.

    Used in chapters 14 and 19.
    """
    offset = _frequency(rule)
    _table("flights", flights, [require_string("time", time), require_string("delay", delay)])
    times = require_datetime_column("flights", flights, time)
    values = require_numeric_column("flights", flights, delay)
    missing = int(times.isna().sum())
    if missing:
        raise ValueError(
            f"flights[{time!r}] has {missing} missing date-time(s); a flight without a time "
            "belongs to no period: drop or fill them first"
        )
    if isinstance(offset, pd.offsets.Tick):
        periods = (times.max() - times.min()) / pd.Timedelta(offset)
        if periods > _MAX_PERIODS:
            raise ValueError(
                f"rule {rule!r} would build {periods:,.0f} periods (at most {_MAX_PERIODS:,}); "
                "choose a coarser frequency"
            )
    series = pd.Series(_as_floats(values), index=pd.DatetimeIndex(times))
    table = pd.DataFrame(
        {
            "flights": series.resample(offset).size(),
            "cancelled": series.isna().resample(offset).sum(),
            "mean_delay": series.resample(offset).mean(),
        }
    )
    return table.astype({"flights": "int64", "cancelled": "int64"})


def delays_by_origin_hour(flights: pd.DataFrame, *, delay: str = "dep_delay") -> pd.DataFrame:
    """Scheduled flights and mean delay per departure airport and hour (the weather's grain).

    Flights whose ``origin`` or ``time_hour`` is missing are kept in rows of their own
    (with a missing key), so ``flights`` adds up to every row of the input.

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

    Used in chapter 14.
    """
    delay = require_string("delay", delay)
    _table("flights", flights, ["origin", "time_hour", delay])
    require_datetime_column("flights", flights, "time_hour")
    delays = _as_floats(require_numeric_column("flights", flights, delay))
    data = flights[["origin", "time_hour"]].assign(__delay=delays, __cancelled=np.isnan(delays))
    grouped = data.groupby(["origin", "time_hour"], observed=True, dropna=False, sort=True)
    table = pd.DataFrame(
        {
            "flights": grouped.size(),
            "cancelled": grouped["__cancelled"].sum(),
            "mean_delay": grouped["__delay"].mean(),
        }
    )
    return table.reset_index()


def _join_inputs(table, weather, keys, columns) -> tuple[list[str], list[str]]:
    """Validate the arguments of :func:`join_weather`; return the keys and columns to attach."""
    key_list = require_names("keys", keys)
    _table("table", table, key_list)
    _table("weather", weather, key_list)
    if columns is None:
        attach = [column for column in weather.columns if column not in table.columns]
    else:
        attach = require_names("columns", columns)
    _table("weather", weather, attach)
    if columns is not None:
        clashing = [column for column in attach if column in table.columns]
        if clashing:
            raise ValueError(
                f"column(s) {clashing} are already in table; attaching them would duplicate them"
            )
    if "has_weather" in table.columns or "has_weather" in attach:
        raise ValueError("the column 'has_weather' is the join's flag: rename the existing one")
    for key in key_list:
        kinds = (_key_kind(table[key]), _key_kind(weather[key]))
        if kinds[0] != kinds[1]:
            raise TypeError(
                f"key {key!r} holds {kinds[0]} values in table but {kinds[1]} values in weather; "
                "convert one of them so that the keys can match"
            )
    return key_list, attach


def _key_kind(series: pd.Series) -> str:
    """What a join key holds, as far as matching is concerned (categories by their values)."""
    dtype = (
        series.cat.categories.dtype
        if isinstance(series.dtype, pd.CategoricalDtype)
        else series.dtype
    )
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "time-zone aware date-time" if getattr(dtype, "tz", None) else "naive date-time"
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_numeric_dtype(dtype):
        return "numeric"
    return "text"


def _plain_keys(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The key columns, categories as plain values (categories of two tables may differ)."""
    plain = frame[keys].reset_index(drop=True)
    for key in keys:
        if isinstance(plain[key].dtype, pd.CategoricalDtype):
            plain[key] = plain[key].astype(object)
    return plain


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
    A missing key matches nothing: a row of ``table`` with a missing key stays unmatched
    (pandas would pair it with a weather row whose key is missing too), and weather rows
    with a missing key are never attached. A ``weather`` with more than one row per key
    raises ValueError naming the repeated keys (a join would silently multiply rows).

    Parameters
    ----------
    table : pandas.DataFrame
        Flights, or flights aggregated by :func:`delays_by_origin_hour`.
    weather : pandas.DataFrame
        One row per airport and hour (``load("weather")``).
    keys : list of str
        Join keys present in both tables.
    columns : list of str, optional
        Weather columns to attach; by default every weather column that ``table`` lacks.

    Returns
    -------
    pandas.DataFrame
        ``table`` with the weather columns and a boolean ``has_weather`` column, in the
        original row order and with the original index (duplicated labels included).

    Used in chapter 14.
    """
    key_list, attach = _join_inputs(table, weather, keys, columns)
    right = pd.concat(
        [_plain_keys(weather, key_list), weather[attach].reset_index(drop=True)], axis=1
    )
    right = right[right[key_list].notna().all(axis=1)]
    duplicated = right.duplicated(key_list, keep=False)
    if duplicated.any():
        examples = right.loc[duplicated, key_list].drop_duplicates().head(3).to_dict("records")
        raise ValueError(
            f"weather has {int(duplicated.sum())} rows with a repeated key {key_list}, "
            f"e.g. {examples}; deduplicate it first"
        )
    left = _plain_keys(table, key_list).assign(__row=np.arange(len(table)))
    left = left[left[key_list].notna().all(axis=1)]
    matched = left.merge(right.assign(has_weather=True), on=key_list, how="left", sort=False)
    extra = matched.set_index("__row")[[*attach, "has_weather"]].reindex(range(len(table)))
    extra["has_weather"] = extra["has_weather"].eq(True)
    joined = pd.concat([table.reset_index(drop=True), extra.reset_index(drop=True)], axis=1)
    joined.index = table.index
    return joined


def flights_per_destination(flights: pd.DataFrame, airports: pd.DataFrame) -> pd.DataFrame:
    """Number of flights to each destination, with the airport's name and location.

    Flights whose ``dest`` is missing are counted in a row labelled NaN (never located);
    airports whose ``faa`` code is missing locate nothing.

    Parameters
    ----------
    flights : pandas.DataFrame
        With a ``dest`` column of FAA codes.
    airports : pandas.DataFrame
        With columns ``faa``, ``name``, numeric ``lat`` and ``lon`` (``load("airports")``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``dest``, most flights first: ``flights``, ``name``, ``lat``, ``lon`` and
        ``located`` (False where the airports table does not know the code; those rows are
        kept with missing coordinates).

    Used in chapter 19.
    """
    _table("flights", flights, ["dest"])
    _table("airports", airports, ["faa", "name", "lat", "lon"])
    for column in ("lat", "lon"):
        require_numeric_column("airports", airports, column)
    known = airports[airports["faa"].notna()]
    codes = known["faa"].astype(str)
    repeated = codes[codes.duplicated()].unique().tolist()
    if repeated:
        raise ValueError(f"airports lists the code(s) {repeated[:5]} more than once")
    dest = flights["dest"].astype(object)
    dest = dest.where(dest.isna(), dest.astype(str))
    counts = dest.value_counts(dropna=False).rename("flights").rename_axis("dest")
    located = known[["name", "lat", "lon"]].set_axis(pd.Index(codes.to_numpy(), dtype=object))
    table = counts.to_frame().join(located, how="left")
    table["located"] = table["lat"].notna() & table["lon"].notna()
    return table.sort_values("flights", ascending=False, kind="stable")
