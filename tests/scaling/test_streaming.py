"""Tests of dlbigdata.scaling.streaming: a stream of events in tumbling windows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlbigdata.scaling import event_batches, tumbling_window_stream, tumbling_windows


@pytest.fixture
def events():
    times = pd.to_datetime(
        [
            "2013-01-01 05:10",
            "2013-01-01 05:50",
            "2013-01-01 07:05",
            "2013-01-01 05:59",
            "2013-01-01 07:00",
            "2013-01-01 08:30",
        ]
    ).tz_localize("America/New_York")
    return pd.DataFrame({"time": times, "late": [True, False, True, True, False, False]})


def test_windows_equal_the_batch_groupby(events):
    windows = tumbling_windows(event_batches(events, "time", 2), "time", "1h", "late")
    batch = events.groupby(events["time"].dt.floor("1h"))["late"].agg(["size", "sum"])
    assert windows["window_start"].tolist() == batch.index.tolist()
    assert windows["events"].tolist() == batch["size"].tolist() == [3, 2, 1]
    assert windows["total"].tolist() == [2.0, 1.0, 0.0]
    assert str(windows["window_start"].dt.tz) == "America/New_York"


def test_windows_are_emitted_as_soon_as_they_close(events):
    emitted = [
        part["events"].tolist()
        for part in tumbling_window_stream(event_batches(events, "time", 2), "time", "1h")
    ]
    assert emitted == [[], [3], [2], [1]]


def test_naive_times_numbers_and_empty_batches():
    frame = pd.DataFrame(
        {"time": pd.to_datetime(["2020-01-01 00:00", "2020-01-01 00:31"]), "x": [1.5, 2]}
    )
    windows = tumbling_windows([frame.iloc[:0], frame], "time", "30min", "x")
    assert windows["window_start"].dt.tz is None
    np.testing.assert_allclose(windows["total"], [1.5, 2.0])
    no_value = tumbling_windows([frame], "time", pd.Timedelta("1h"))
    assert no_value["events"].tolist() == [2] and no_value["total"].tolist() == [0.0]


@pytest.mark.hostile("bad_input")
def test_out_of_order_events_are_refused(events):
    with pytest.raises(ValueError, match=r"batch\['time'\] must be in time order"):
        tumbling_windows([events], "time", "1h")
    ordered = events.sort_values("time")
    with pytest.raises(ValueError, match="must be in time order"):
        tumbling_windows([ordered.iloc[3:], ordered.iloc[:3]], "time", "1h")


@pytest.mark.hostile("bad_input")
def test_bad_arguments_are_refused(events):
    with pytest.raises(ValueError, match="width must be a positive duration, got '0h'"):
        tumbling_window_stream([events], "time", "0h")
    with pytest.raises(ValueError, match="width must name a duration"):
        tumbling_window_stream([events], "time", "soon")
    with pytest.raises(TypeError, match="width must be a string"):
        tumbling_window_stream([events], "time", 3600)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"batch\['late'\] must hold datetimes"):
        tumbling_windows([events], "late", "1h")
    with pytest.raises(ValueError, match=r"batch lacks column\(s\) \['delay'\]"):
        tumbling_windows([events.sort_values("time")], "time", "1h", "delay")
    with pytest.raises(ValueError, match="batch_rows must be an integer >= 1, got 0"):
        event_batches(events, "time", 0)
    with pytest.raises(TypeError, match="events must be a pandas DataFrame"):
        event_batches([1], "time", 2)


@pytest.mark.hostile("nan_parameter")
def test_missing_times_are_refused(events):
    broken = events.sort_values("time").copy()
    broken.loc[broken.index[-1], "time"] = pd.NaT
    with pytest.raises(ValueError, match="holds missing times"):
        tumbling_windows([broken], "time", "1h")
