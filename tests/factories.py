"""Small tables that several test modules build (import with ``from factories import ...``).

Add a factory here when a second test module needs the same table; keep each one tiny and
deterministic.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository root."""


def raw_flights():
    """Four raw flights with the dtypes of ``load("flights")`` (used by tests/cleaning).

    On time, across midnight, cancelled, and departed without an arrival record.
    """
    import numpy as np
    import pandas as pd

    time_hour = (
        pd.to_datetime(
            ["2013-01-01 05:00", "2013-01-01 23:00", "2013-01-02 09:00", "2013-01-02 14:00"]
        )
        .tz_localize("America/New_York")
        .as_unit("us")
    )
    return pd.DataFrame(
        {
            "year": [2013] * 4,
            "month": [1, 1, 1, 1],
            "day": [1, 1, 2, 2],
            "dep_time": pd.array([517, 10, None, 1402], dtype="Int64"),
            "sched_dep_time": pd.array([515, 2359, 930, 1400], dtype="Int64"),
            "dep_delay": [2.0, 11.0, np.nan, 2.0],
            "arr_time": pd.array([830, 300, None, None], dtype="Int64"),
            "sched_arr_time": pd.array([819, 250, 1200, 1700], dtype="Int64"),
            "arr_delay": [11.0, 10.0, np.nan, np.nan],
            "carrier": pd.Categorical(["UA", "B6", "AA", "UA"]),
            "flight": [1545, 5, 33, 1545],
            "tailnum": ["N14228", "N804JB", None, "N14228"],
            "origin": pd.Categorical(["EWR", "JFK", "LGA", "EWR"]),
            "dest": pd.Categorical(["IAH", "SJU", "ORD", "IAH"]),
            "air_time": [227.0, 190.0, np.nan, np.nan],
            "distance": [1400, 1598, 733, 1400],
            "hour": [5, 23, 9, 14],
            "minute": [15, 59, 30, 0],
            "time_hour": time_hour,
        }
    )
