"""The flights, cleaned: HHMM clock times as minutes, explicit cancellations, real timestamps,
metric distances.

Used in chapter 15.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    as_float,
    numeric_series,
    require_columns,
    require_datetime_column,
    require_frame,
    require_numeric_column,
    require_unique_columns,
)
from dlbigdata.units import convert_units

__all__ = ["FLIGHT_STATUSES", "clean_flights", "hhmm_to_minutes"]

_CLOCK_COLUMNS = ["dep_time", "sched_dep_time", "arr_time", "sched_arr_time"]  # HHMM
_MEASURE_COLUMNS = ["dep_delay", "arr_delay", "air_time", "distance"]
_WHOLE_COLUMNS = ["year", "month", "day", "flight", "minute"]  # numbers that must be known
_NUMERIC_COLUMNS = [*_CLOCK_COLUMNS, *_MEASURE_COLUMNS, *_WHOLE_COLUMNS]
_RAW_FLIGHT_COLUMNS = [*_NUMERIC_COLUMNS, "carrier", "tailnum", "origin", "dest", "time_hour"]
"""Columns of ``dlbigdata.load("flights")`` that :func:`clean_flights` needs."""

FLIGHT_STATUSES: list[str] = ["arrived", "no arrival record", "cancelled"]
"""Values of the ``status`` column of the cleaned flights."""


def hhmm_to_minutes(values: pd.Series) -> pd.Series:
    """Convert clock times written as HHMM integers (1349 for 13:49) to minutes after midnight.

    HHMM numbers are not a scale: ``1300 - 1259 = 41`` although the times are one
    minute apart. Minutes after midnight are. ``2400`` (midnight at the end of
    the day, as in the flights data) becomes 1440.

    Parameters
    ----------
    values : pandas.Series
        Integer-valued numbers (int, nullable Int64 or whole floats); missing stays missing.

    Returns
    -------
    pandas.Series
        Nullable ``Int64`` minutes in ``[0, 1440]``, aligned with ``values``.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If a value is not a whole number, is negative or infinite, exceeds 2400, or
        has a minute part of 60 or more; the message lists the offending values.

    Used in chapter 15.
    """
    numbers = numeric_series("values", values, allow_infinity=True)
    array = numbers.to_numpy()
    with np.errstate(invalid="ignore"):
        wrong = (array != np.floor(array)) | (array < 0) | (array > 2400) | (array % 100 >= 60)
    bad = wrong & ~np.isnan(array)
    if bad.any():
        examples = pd.unique(values.to_numpy()[bad])[:5].tolist()
        raise ValueError(
            f"{int(bad.sum())} value(s) of {values.name!r} are not HHMM clock times "
            f"(whole numbers 0-2400 with minutes below 60): {examples}"
        )
    return ((numbers // 100) * 60 + numbers % 100).astype("Int64")


def _check_raw_flights(flights: object) -> pd.DataFrame:
    """Refuse a raw flights table that :func:`clean_flights` would misread."""
    frame = require_frame("flights", flights)
    require_columns("flights", frame, _RAW_FLIGHT_COLUMNS)
    require_unique_columns("flights", frame)
    for column in _NUMERIC_COLUMNS:
        infinite = int(np.isinf(as_float(require_numeric_column("flights", frame, column))).sum())
        if infinite:
            raise ValueError(f"flights[{column!r}] holds {infinite} infinite value(s)")
    for column in _WHOLE_COLUMNS:
        numbers = as_float(frame[column])
        unknown = int((~np.isfinite(numbers) | (numbers != np.floor(numbers))).sum())
        if unknown:
            raise ValueError(
                f"flights[{column!r}] must hold known whole numbers, got {unknown} missing, "
                f"infinite or fractional value(s)"
            )
    times = require_datetime_column("flights", frame, "time_hour")
    if times.dt.tz is None:
        raise ValueError(
            "flights['time_hour'] must be time-zone aware (New York time), got naive "
            "timestamps; localise them with .dt.tz_localize('America/New_York')"
        )
    return frame


def clean_flights(flights: pd.DataFrame) -> pd.DataFrame:
    """The flights with explicit cancellations, real timestamps and metric units.

    - ``cancelled`` is ``True`` where there is no departure time: those flights never
      left, their delays are undefined (not unknown), so they are not imputed;
    - ``status`` says whether a flight arrived, departed without an arrival record
      (diverted or not recorded), or was cancelled;
    - ``scheduled_departure`` and ``departure`` are time-zone-aware timestamps
      (New York time) instead of HHMM integers; ``departure`` is the scheduled time
      plus the delay, so it is right across midnight;
    - arrival clock times, local to the destination, become minutes after midnight;
    - ``distance`` in miles becomes ``distance_km``.

    Parameters
    ----------
    flights : pandas.DataFrame
        The raw table of ``dlbigdata.load("flights")``: numeric clock times, delays and
        distances, known whole ``year``, ``month``, ``day``, ``flight`` and ``minute``,
        and a time-zone-aware ``time_hour``.

    Returns
    -------
    pandas.DataFrame
        One row per input row, same index (repeated labels included), with the columns
        that :func:`~dlbigdata.cleaning.flights_schema` declares.

    Raises
    ------
    TypeError
        If ``flights`` is not a DataFrame, a numeric column is not numeric or
        ``time_hour`` does not hold datetimes.
    ValueError
        If columns are missing, a date part or flight number is missing or not whole,
        ``time_hour`` is naive, or a clock time is not a valid HHMM value.

    Used in chapter 15.
    """
    _check_raw_flights(flights)
    hhmm_to_minutes(flights["dep_time"])  # validates the departure clock times
    cancelled = (flights["dep_delay"].isna() & flights["dep_time"].isna()).to_numpy()
    scheduled = flights["time_hour"] + pd.to_timedelta(flights["minute"], unit="min")
    departure = scheduled + pd.to_timedelta(as_float(flights["dep_delay"]), unit="min")
    status = np.select(
        [cancelled, flights["arr_delay"].isna().to_numpy()],
        ["cancelled", "no arrival record"],
        default="arrived",
    )
    columns = {
        "year": flights["year"].astype("int64"),
        "month": flights["month"].astype("int64"),
        "day": flights["day"].astype("int64"),
        "carrier": flights["carrier"].astype("category"),
        "flight": flights["flight"].astype("int64"),
        "tailnum": flights["tailnum"].astype("string"),
        "origin": flights["origin"].astype("category"),
        "dest": flights["dest"].astype("category"),
        "scheduled_departure": scheduled,
        "departure": departure,
        "dep_delay": as_float(flights["dep_delay"]),
        "sched_arr_minutes": hhmm_to_minutes(flights["sched_arr_time"]),
        "arr_minutes": hhmm_to_minutes(flights["arr_time"]),
        "arr_delay": as_float(flights["arr_delay"]),
        "air_time": as_float(flights["air_time"]),
        "distance_km": convert_units(as_float(flights["distance"]), "mi", "km"),
        "cancelled": cancelled.astype(bool),
        "status": pd.Categorical(status, categories=FLIGHT_STATUSES),
    }
    arrays = {
        name: column.array if isinstance(column, pd.Series) else column
        for name, column in columns.items()
    }
    return pd.DataFrame(arrays, index=flights.index)
