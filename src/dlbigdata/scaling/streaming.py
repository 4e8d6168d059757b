"""Process a stream of events in time order with tumbling windows.

A *tumbling window* of width $w$ cuts time into consecutive, non-overlapping intervals
$[k w, (k + 1) w)$. A stream processor sees the events batch by batch, in time order,
keeps a running count (and a running sum of one column) for the windows still open, and
emits a window as soon as an event at or after its end proves that no later event can
fall into it. Only the open windows are held in memory, however long the stream.

:func:`event_batches` replays a table as such a stream; :func:`tumbling_window_stream`
processes it and yields the closed windows; :func:`tumbling_windows` collects them into one
table, the same table a batch ``groupby`` on the window start gives.

Used in chapter 03.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_columns,
    require_datetime_column,
    require_frame,
    require_int,
    require_numeric_column,
    require_string,
)

__all__ = ["event_batches", "tumbling_window_stream", "tumbling_windows"]


def _width(width: object) -> pd.Timedelta:
    """A positive window width as a Timedelta (``"1h"``, ``pd.Timedelta(minutes=30)``)."""
    if not isinstance(width, (str, pd.Timedelta)):
        raise TypeError(f"width must be a string such as '1h' or a Timedelta, got {width!r}")
    try:
        value = pd.Timedelta(width)
    except ValueError as error:
        raise ValueError(f"width must name a duration such as '1h', got {width!r}") from error
    if pd.isna(value) or value <= pd.Timedelta(0):
        raise ValueError(f"width must be a positive duration, got {width!r}")
    return value


def event_batches(
    events: pd.DataFrame, time_column: str, batch_rows: int
) -> Iterator[pd.DataFrame]:
    """Replay a table as a stream: batches of ``batch_rows`` events in time order.

    The sort is stable, so events with equal times keep their order in the table.

    Used in chapter 03.
    """
    events = require_frame("events", events)
    time_column = require_string("time_column", time_column)
    require_datetime_column("events", events, time_column)
    batch_rows = require_int("batch_rows", batch_rows, minimum=1)
    ordered = events.sort_values(time_column, kind="stable")
    return (
        ordered.iloc[start : start + batch_rows] for start in range(0, len(ordered), batch_rows)
    )


def _check_batch(batch: object, time_column: str, value_column: str | None, last: int | None):
    """Validate one batch and return its event times (int64 ns) in order."""
    batch = require_frame("batch", batch)
    times = require_datetime_column("batch", batch, time_column)
    if value_column is not None and not pd.api.types.is_bool_dtype(
        require_columns("batch", batch, [value_column])[value_column]
    ):
        require_numeric_column("batch", batch, value_column)
    if times.isna().any():
        raise ValueError(f"batch[{time_column!r}] holds missing times; drop them before streaming")
    stamps = times.to_numpy(dtype="datetime64[ns]").astype("int64")
    if len(stamps) and (np.any(np.diff(stamps) < 0) or (last is not None and stamps[0] < last)):
        raise ValueError(
            f"batch[{time_column!r}] must be in time order across the stream; an event "
            "older than one already seen arrived (sort the events, see event_batches)"
        )
    return batch, stamps


def _closed(state: dict[int, list[float]], before: int, width: int, tz: object) -> pd.DataFrame:
    """Remove and return the windows of ``state`` that end at or before ``before``."""
    done = sorted(start for start in state if start + width <= before)
    rows = [state.pop(start) for start in done]
    starts = pd.to_datetime(np.array(done, dtype="int64"), utc=tz is not None)
    if tz is not None:
        starts = starts.tz_convert(tz)
    return pd.DataFrame(
        {
            "window_start": starts,
            "events": np.array([row[0] for row in rows], dtype="int64"),
            "total": np.array([row[1] for row in rows], dtype="float64"),
        }
    )


def tumbling_window_stream(
    batches: Iterable[pd.DataFrame],
    time_column: str,
    width: str | pd.Timedelta,
    value_column: str | None = None,
) -> Iterator[pd.DataFrame]:
    """Process batches of events in time order; yield each window once it is closed.

    Parameters
    ----------
    batches
        Frames of events, each in time order and none older than the last event seen.
    time_column
        Column of event times (datetimes, time-zone aware or naive).
    width
        Width of the tumbling windows, e.g. ``"1h"``; windows are aligned to the epoch.
    value_column
        Numeric column summed per window (a boolean flag gives the count of flagged
        events); without it the ``total`` column is 0.

    Yields
    ------
    pandas.DataFrame
        After every batch, the windows it closed (possibly none), and at the end of the
        stream the windows still open: columns ``window_start``, ``events``, ``total``.

    Raises
    ------
    ValueError
        If an event arrives out of time order or a time is missing.

    Used in chapter 03.
    """
    time_column = require_string("time_column", time_column)
    step = _width(width).value
    if value_column is not None:
        value_column = require_string("value_column", value_column)
    return _stream(batches, time_column, step, value_column)


def _stream(
    batches: Iterable[pd.DataFrame], time_column: str, step: int, value_column: str | None
) -> Iterator[pd.DataFrame]:
    """The generator behind :func:`tumbling_window_stream` (arguments already checked)."""
    state: dict[int, list[float]] = {}
    last: int | None = None
    tz = None
    for batch in batches:
        batch, stamps = _check_batch(batch, time_column, value_column, last)
        if not len(stamps):
            continue
        tz = getattr(batch[time_column].dt, "tz", None)
        starts = (stamps // step) * step
        values = (
            np.zeros(len(stamps))
            if value_column is None
            else batch[value_column].to_numpy(dtype="float64", na_value=0.0)
        )
        unique, first = np.unique(starts, return_index=True)
        counts = np.diff(np.append(first, len(starts)))
        sums = np.add.reduceat(values, first)
        for start, count, total in zip(unique.tolist(), counts, sums, strict=True):
            window = state.setdefault(start, [0, 0.0])
            window[0] += int(count)
            window[1] += float(total)
        last = int(stamps[-1])
        yield _closed(state, last, step, tz)
    yield _closed(state, np.iinfo("int64").max, 0, tz)


def tumbling_windows(
    batches: Iterable[pd.DataFrame],
    time_column: str,
    width: str | pd.Timedelta,
    value_column: str | None = None,
) -> pd.DataFrame:
    """All windows of a stream as one table (the output of :func:`tumbling_window_stream`).

    Used in chapter 03.
    """
    parts = list(tumbling_window_stream(batches, time_column, width, value_column))
    return pd.concat(parts, ignore_index=True)
