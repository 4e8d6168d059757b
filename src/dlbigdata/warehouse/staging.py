"""Staging the flights of a batch: the rules a flight must meet, the dimension lookups
and the missing-member policies (private; used by :mod:`dlbigdata.warehouse.load`).

Every flight of the batch gets one row in the temporary table ``stage_fact`` with its
dimension keys and its first rejection reason (NULL when it is loaded).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dlbigdata.warehouse._duck import quote, registered
from dlbigdata.warehouse.ddl import NATURAL_KEYS, UNKNOWN_KEY
from dlbigdata.warehouse.dimensions import utc_naive

ROLES: dict[str, tuple[str, str]] = {
    "carrier": ("dim_carrier", "carrier_key"),
    "origin": ("dim_airport", "origin_airport_key"),
    "dest": ("dim_airport", "dest_airport_key"),
    "plane": ("dim_plane", "plane_key"),
    "weather": ("dim_weather", "weather_key"),
}
"""Dimension roles a flight is looked up in: role -> (dimension, fact column)."""

REPEAT_REASON = "repeats an earlier flight of the batch (same date, carrier, number, origin, time)"

FLIGHT_LABEL = (
    "coalesce(CAST(date_key AS VARCHAR), '?') || ' ' || coalesce(carrier, '?') || "
    "coalesce(CAST(flight_number AS VARCHAR), '?') || ' ' || coalesce(origin, '?') || '-' || "
    "coalesce(dest, '?')"
)
"""SQL naming a staged flight in examples: ``20130101 UA1545 EWR-IAH``."""


def _valid_dates(flights: pd.DataFrame) -> pd.Series:
    """The date of each flight, NaT where year, month and day make no date."""
    parts = flights[["year", "month", "day"]].astype("float64")
    return pd.to_datetime(parts, errors="coerce")


def _bad_hhmm(values: pd.Series, latest: int, *, allow_missing: bool) -> np.ndarray:
    """Where ``values`` are not ``HHMM`` times between 0000 and ``latest``."""
    numbers = values.astype("Float64")
    bad = (numbers % 100 >= 60) | (numbers > latest) | (numbers < 0)
    return bad.fillna(not allow_missing).to_numpy(dtype=bool)


def _rules(staged: pd.DataFrame, flights: pd.DataFrame) -> list[tuple[np.ndarray, str]]:
    """Each rule a flight must meet: (where it is broken, the reason), in priority order."""
    number = flights["flight"].astype("Float64")
    times = [flights[column] for column in ("dep_time", "sched_arr_time", "arr_time")]
    return [
        (staged["date_key"].isna().to_numpy(), "invalid date (year, month, day)"),
        (
            staged[["carrier", "origin", "dest"]].isna().any(axis=1).to_numpy(),
            "missing carrier, origin or destination code",
        ),
        (
            ((number < 1) | (number > 2**31 - 1)).fillna(True).to_numpy(dtype=bool),
            "flight number is missing or not between 1 and 2147483647",
        ),
        (
            _bad_hhmm(flights["sched_dep_time"], 2359, allow_missing=False),
            "scheduled departure is not a valid HHMM time",
        ),
        (
            np.any([_bad_hhmm(t, 2400, allow_missing=True) for t in times], axis=0),
            "departure, scheduled arrival or arrival is not a valid HHMM time",
        ),
        (
            (staged["distance_mi"].isna() | (staged["distance_mi"] <= 0)).to_numpy(),
            "distance is missing or not positive",
        ),
    ]


def stage_flights(flights: pd.DataFrame) -> pd.DataFrame:
    """Flights with their date key and their first rejection reason (None when valid).

    A flight that breaks a rule is kept with its reason, never dropped: the load
    reports it.
    """
    flights = flights.reset_index(drop=True)
    dates = _valid_dates(flights)
    staged = pd.DataFrame(
        {
            "source_row": np.arange(len(flights), dtype=np.int64),
            "date_key": (dates.dt.year * 10000 + dates.dt.month * 100 + dates.dt.day).astype(
                "Int64"
            ),
            "carrier": flights["carrier"].astype(object),
            "flight_number": flights["flight"].astype("Int64"),
            "tailnum": flights["tailnum"].astype(object),
            "flight_date": dates.astype("datetime64[us]"),
            "origin": flights["origin"].astype(object),
            "dest": flights["dest"].astype(object),
            "time_hour_utc": utc_naive(flights["time_hour"]),
            "scheduled_departure_hhmm": flights["sched_dep_time"].astype("Int64"),
            "departure_hhmm": flights["dep_time"].astype("Int64"),
            "scheduled_arrival_hhmm": flights["sched_arr_time"].astype("Int64"),
            "arrival_hhmm": flights["arr_time"].astype("Int64"),
            "departure_delay_min": flights["dep_delay"].astype(float),
            "arrival_delay_min": flights["arr_delay"].astype(float),
            "air_time_min": flights["air_time"].astype(float),
            "distance_mi": flights["distance"].astype(float),
            "is_cancelled": flights["dep_time"].isna().to_numpy(),
        }
    )
    reason = np.full(len(staged), None, dtype=object)
    for broken, text in reversed(_rules(staged, flights)):
        reason[broken] = text
    staged["reject_reason"] = reason
    return staged


def flight_dates(flights: pd.DataFrame) -> pd.Series:
    """The valid dates of the batch's flights (NaT for an invalid one)."""
    return _valid_dates(flights.reset_index(drop=True))


_LOOKUPS = """
CREATE OR REPLACE TEMP TABLE stage_fact AS
SELECT s.*, c.carrier_key, o.airport_key AS origin_airport_key, d.airport_key AS dest_airport_key,
       p.plane_key, w.weather_key
FROM (SELECT * REPLACE (CAST(reject_reason AS VARCHAR) AS reject_reason,
                        CAST(carrier AS VARCHAR) AS carrier, CAST(origin AS VARCHAR) AS origin,
                        CAST(dest AS VARCHAR) AS dest, CAST(tailnum AS VARCHAR) AS tailnum)
      FROM staged_flights) s
LEFT JOIN dim_carrier c ON c.carrier_code = s.carrier AND c.carrier_key <> ?
LEFT JOIN dim_airport o ON o.faa_code = s.origin AND o.airport_key <> ?
LEFT JOIN dim_airport d ON d.faa_code = s.dest AND d.airport_key <> ?
LEFT JOIN dim_plane p ON p.tail_number = s.tailnum AND p.plane_key <> ?
     AND p.valid_from <= s.flight_date AND s.flight_date < p.valid_to
LEFT JOIN dim_weather w ON w.airport_code = s.origin AND w.observed_at_utc = s.time_hour_utc
     AND w.weather_key <> ?
"""

_MISSING_REASONS: dict[str, list[tuple[str, str]]] = {
    "carrier": [("carrier_key IS NULL", "carrier code not in airlines")],
    "origin": [("origin_airport_key IS NULL", "origin airport code not in airports")],
    "dest": [("dest_airport_key IS NULL", "destination airport code not in airports")],
    "plane": [
        ("plane_key IS NULL AND tailnum IS NULL", "tail number missing"),
        ("plane_key IS NULL AND tailnum IS NOT NULL", "tail number not in planes"),
    ],
    "weather": [
        ("weather_key IS NULL AND time_hour_utc IS NULL", "departure hour (time_hour) missing"),
        (
            "weather_key IS NULL AND time_hour_utc IS NOT NULL",
            "no weather observation at the origin in that hour",
        ),
    ],
}
_EXAMPLE_COLUMN = {
    "carrier": "carrier",
    "origin": "origin",
    "dest": "dest",
    "plane": "tailnum",
    "weather": "origin || ' ' || strftime(time_hour_utc, '%Y-%m-%d %H:00 UTC')",
}


def look_up_dimensions(con, staged: pd.DataFrame) -> None:
    """Create ``stage_fact``: the staged flights with the key of every dimension member
    they name (NULL where there is none; a missing code never matches anything).

    In the versioned plane dimension the lookup is point-in-time: a flight gets the
    version valid on its date (at 00:00), ``valid_from <= flight_date < valid_to``.
    """
    with registered(con, "staged_flights", staged):
        con.execute(_LOOKUPS, [UNKNOWN_KEY] * 5)


def reject_repeats(con) -> None:
    """Reject every valid flight whose natural key repeats an earlier valid one of the batch.

    The key is the one the fact would have, a missing member counting as the unknown one.
    """
    partition = ", ".join(
        f"coalesce({quote(column)}, ?)" if column.endswith("_key") else quote(column)
        for column in NATURAL_KEYS["fact_flight"]
    )
    keyed = sum(column.endswith("_key") for column in NATURAL_KEYS["fact_flight"])
    con.execute(
        "UPDATE stage_fact SET reject_reason = ? WHERE source_row IN (SELECT source_row FROM "
        f"(SELECT source_row, row_number() OVER (PARTITION BY {partition} ORDER BY source_row) "
        "AS occurrence FROM stage_fact WHERE reject_reason IS NULL) WHERE occurrence > 1)",
        [REPEAT_REASON, *[UNKNOWN_KEY] * keyed],
    )


def _examples(con, condition: str, expression: str, parameters: list) -> str:
    """Up to four distinct values of ``expression`` among staged rows meeting ``condition``."""
    rows = con.execute(
        f"SELECT DISTINCT {expression} AS v FROM stage_fact WHERE {condition} "
        "ORDER BY v NULLS FIRST LIMIT 4",
        parameters,
    ).fetchall()
    return ", ".join("NULL" if v is None else str(v) for (v,) in rows)


def apply_missing_member_policies(con, policies: dict[str, str]) -> pd.DataFrame:
    """Point facts with a missing member at the unknown member, or reject them.

    Returns the facts pointed at an unknown member: role, reason, rows and examples.
    """
    unknown = []
    for role, checks in _MISSING_REASONS.items():
        fact_column = quote(ROLES[role][1])
        for condition, reason in checks:
            where = f"reject_reason IS NULL AND {condition}"
            (count,) = con.execute(f"SELECT count(*) FROM stage_fact WHERE {where}").fetchone()
            if count == 0:
                continue
            if policies[role] == "reject":
                con.execute(f"UPDATE stage_fact SET reject_reason = ? WHERE {where}", [reason])
            else:
                examples = _examples(con, where, _EXAMPLE_COLUMN[role], [])
                unknown.append(
                    {"role": role, "reason": reason, "rows": count, "examples": examples}
                )
        con.execute(
            f"UPDATE stage_fact SET {fact_column} = ? WHERE {fact_column} IS NULL", [UNKNOWN_KEY]
        )
    return pd.DataFrame(unknown, columns=["role", "reason", "rows", "examples"])


def rejections(con) -> pd.DataFrame:
    """Rejected facts by reason, with example flights."""
    reasons = con.execute(
        "SELECT reject_reason, count(*) FROM stage_fact WHERE reject_reason "
        "IS NOT NULL GROUP BY ALL ORDER BY 2 DESC, 1"
    ).fetchall()
    rows = []
    for reason, count in reasons:
        examples = _examples(con, "reject_reason = ?", FLIGHT_LABEL, [reason])
        rows.append({"reason": reason, "rows": count, "examples": examples})
    return pd.DataFrame(rows, columns=["reason", "rows", "examples"])
