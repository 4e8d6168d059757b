"""Relational databases with SQLite: a keyed schema, safe bulk loads, parameter-only queries.

Chapter 16 ("Databases and SQL") defines these helpers; later chapters reuse them.

- :func:`connect` opens a database (in memory or a file) with foreign keys enforced and
  explicit transactions, and refuses a file that is not a readable SQLite database.
- :data:`FLIGHTS_SCHEMA` and :func:`create_flights_schema` declare the nycflights13 tables
  with primary keys, foreign keys, ``CHECK`` and ``NOT NULL`` constraints and strict types.
- :func:`transaction` makes a block all-or-nothing; :func:`insert_frame` bulk-loads a
  DataFrame with ``executemany`` and ``?`` parameters inside one, so a failed load leaves
  the table as it was.
- :func:`query`, :func:`execute`, :func:`explain_query_plan` and :func:`time_query` accept
  values only as parameters: SQL with a quoted literal, a comment or a second statement is
  refused before it reaches the database.
- :func:`count_rows`, :func:`table_columns` and :func:`foreign_key_violations` inspect a
  database; :func:`draw_schema` draws its tables and keys.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FLIGHTS_SCHEMA",
    "connect",
    "count_rows",
    "create_flights_schema",
    "draw_schema",
    "execute",
    "explain_query_plan",
    "foreign_key_violations",
    "insert_frame",
    "query",
    "table_columns",
    "time_query",
    "transaction",
]

_HHMM = "BETWEEN 0 AND 2400 AND {column} % 100 < 60"


def _clock(column: str, nullable: bool) -> str:
    """Column definition of an HHMM clock time with its CHECK constraint."""
    null = "" if nullable else " NOT NULL"
    return f"{column:<14} INTEGER{null} CHECK ({column} {_HHMM.format(column=column)})"


FLIGHTS_SCHEMA: dict[str, str] = {
    "airlines": """
CREATE TABLE IF NOT EXISTS airlines (
    carrier TEXT PRIMARY KEY CHECK (length(carrier) = 2),
    name    TEXT NOT NULL
) STRICT""",
    "airports": """
CREATE TABLE IF NOT EXISTS airports (
    faa   TEXT PRIMARY KEY CHECK (length(faa) = 3),
    name  TEXT NOT NULL,
    lat   REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon   REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    alt   INTEGER NOT NULL,
    tz    INTEGER NOT NULL CHECK (tz BETWEEN -12 AND 14),
    dst   TEXT NOT NULL CHECK (dst IN ('A', 'N', 'U')),
    tzone TEXT
) STRICT""",
    "planes": """
CREATE TABLE IF NOT EXISTS planes (
    tailnum      TEXT PRIMARY KEY,
    year         INTEGER CHECK (year BETWEEN 1900 AND 2100),
    type         TEXT NOT NULL,
    manufacturer TEXT NOT NULL,
    model        TEXT NOT NULL,
    engines      INTEGER NOT NULL CHECK (engines BETWEEN 1 AND 8),
    seats        INTEGER NOT NULL CHECK (seats > 0),
    speed        REAL CHECK (speed > 0),
    engine       TEXT NOT NULL
) STRICT""",
    "weather": """
CREATE TABLE IF NOT EXISTS weather (
    origin     TEXT NOT NULL REFERENCES airports (faa),
    time_hour  TEXT NOT NULL,  -- ISO 8601 in UTC, e.g. 2013-01-01T06:00:00Z
    year       INTEGER NOT NULL,
    month      INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day        INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    hour       INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    temp       REAL,
    dewp       REAL,
    humid      REAL CHECK (humid BETWEEN 0 AND 100),
    wind_dir   REAL CHECK (wind_dir BETWEEN 0 AND 360),
    wind_speed REAL CHECK (wind_speed >= 0),
    wind_gust  REAL CHECK (wind_gust >= 0),
    precip     REAL NOT NULL CHECK (precip >= 0),
    pressure   REAL,
    visib      REAL NOT NULL CHECK (visib >= 0),
    PRIMARY KEY (origin, time_hour)
) STRICT""",
    "flights": f"""
CREATE TABLE IF NOT EXISTS flights (
    flight_id      INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    month          INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day            INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    {_clock("dep_time", nullable=True)},
    {_clock("sched_dep_time", nullable=False)},
    dep_delay      REAL,
    {_clock("arr_time", nullable=True)},
    {_clock("sched_arr_time", nullable=False)},
    arr_delay      REAL,
    carrier        TEXT NOT NULL REFERENCES airlines (carrier),
    flight         INTEGER NOT NULL CHECK (flight > 0),
    tailnum        TEXT,           -- no foreign key: many planes are missing from planes
    origin         TEXT NOT NULL REFERENCES airports (faa),
    dest           TEXT NOT NULL,  -- no foreign key: four destinations are missing from airports
    air_time       REAL CHECK (air_time > 0),
    distance       INTEGER NOT NULL CHECK (distance > 0),
    hour           INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    minute         INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),
    time_hour      TEXT NOT NULL,  -- ISO 8601 in UTC
    CHECK ((dep_time IS NULL) = (dep_delay IS NULL)),
    UNIQUE (year, month, day, carrier, flight, origin, sched_dep_time)
) STRICT""",
}
"""``CREATE TABLE IF NOT EXISTS`` statements of the nycflights13 tables, parents first."""


# ---------------------------------------------------------------------------
# Connections and transactions
# ---------------------------------------------------------------------------


def _require_connection(conn: object) -> sqlite3.Connection:
    if not isinstance(conn, sqlite3.Connection):
        raise TypeError(f"conn must be a sqlite3.Connection, got {type(conn).__name__}")
    return conn


def connect(path: str | Path = ":memory:") -> sqlite3.Connection:
    """Open a SQLite database with foreign keys enforced and explicit transactions.

    The connection is in autocommit mode (``isolation_level=None``): each statement
    is its own transaction unless a :func:`transaction` block groups several.

    Parameters
    ----------
    path : str or pathlib.Path
        ``":memory:"`` (default) for a private in-memory database, or a file path
        (created if it does not exist).

    Returns
    -------
    sqlite3.Connection
        With ``PRAGMA foreign_keys = ON``.

    Raises
    ------
    TypeError
        If ``path`` is not a str or Path.
    ValueError
        If the file exists but is not a readable, intact SQLite database (e.g. a
        truncated or overwritten file); the message names the file.
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a str or pathlib.Path, got {type(path).__name__}")
    existed = str(path) != ":memory:" and Path(path).exists()
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if existed:
            verdict = conn.execute("PRAGMA quick_check").fetchall()
            if verdict != [("ok",)]:
                raise sqlite3.DatabaseError("; ".join(row[0] for row in verdict[:3]))
    except sqlite3.DatabaseError as error:
        conn.close()
        raise ValueError(f"{path} is not a usable SQLite database ({error})") from error
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing block: commit if it completes, roll back everything if it raises.

    Implemented with a savepoint, so blocks nest: an inner failure that the caller
    catches undoes only the inner block.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection (from :func:`connect`).

    Yields
    ------
    sqlite3.Connection
        The same connection.

    Raises
    ------
    TypeError
        If ``conn`` is not a sqlite3 connection.
    Exception
        Whatever the block raised, re-raised after the rollback.
    """
    _require_connection(conn)
    name = f"dlbigdata_{next(_savepoint_numbers)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield conn
    except BaseException:
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


_savepoint_numbers = itertools.count()


# ---------------------------------------------------------------------------
# Parameter-only SQL
# ---------------------------------------------------------------------------

_LITERAL_OR_COMMENT = re.compile(r"'|--|/\*")
_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _check_sql(sql: object, params: object) -> tuple:
    """Refuse SQL that embeds values, and parameters that do not match its placeholders."""
    if not isinstance(sql, str) or not sql.strip():
        raise TypeError(f"sql must be a non-empty str, got {sql!r}")
    found = _LITERAL_OR_COMMENT.search(sql)
    if found:
        raise ValueError(
            f"sql contains {found.group(0)!r}: write values as ? placeholders and pass "
            f"them in params; quoted literals and comments are refused: {sql.strip()[:120]!r}"
        )
    if ";" in sql.strip().rstrip(";"):
        raise ValueError(
            f"sql must be a single statement (found ';' inside): {sql.strip()[:120]!r}"
        )
    if isinstance(params, Mapping):
        names = set(_NAMED_PARAMETER.findall(sql))
        if "?" in sql or names - set(params):
            raise ValueError(
                f"sql needs named parameters {sorted(names)} (and no '?'); "
                f"params has {sorted(params)}"
            )
        return params
    if isinstance(params, (str, bytes)) or not isinstance(params, (Sequence, np.ndarray)):
        raise TypeError(
            f"params must be a tuple/list of values or a dict of named values, "
            f"got {type(params).__name__} {params!r}"
        )
    params = tuple(params)
    if sql.count("?") != len(params):
        raise ValueError(
            f"sql has {sql.count('?')} ? placeholder(s) but {len(params)} parameter(s) "
            f"were given: {params!r}"
        )
    return params


def execute(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> int:
    """Run one statement (DDL or DML) with parameters; return the number of rows it changed.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.
    sql : str
        One statement with ``?`` (or ``:name``) placeholders; quoted literals,
        comments and multiple statements are refused.
    params : sequence or mapping
        The values, one per placeholder.

    Returns
    -------
    int
        Rows inserted, updated or deleted (``-1`` for statements that change none).

    Raises
    ------
    TypeError
        If ``conn`` or ``sql`` or ``params`` has the wrong type (a str passed as
        params, a classic slip, is refused).
    ValueError
        If ``sql`` embeds a literal, a comment or a second statement, or the
        parameters do not match the placeholders.
    sqlite3.Error
        If the database rejects the statement (e.g. a constraint fails).
    """
    _require_connection(conn)
    params = _check_sql(sql, params)
    return conn.execute(sql, params).rowcount


def query(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> pd.DataFrame:
    """Run one parameterized ``SELECT`` and return its result as a DataFrame.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.
    sql : str
        One statement with ``?`` (or ``:name``) placeholders; quoted literals,
        comments and multiple statements are refused.
    params : sequence or mapping
        The values, one per placeholder.

    Returns
    -------
    pandas.DataFrame
        One column per result column, named as in the query.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        As :func:`execute`.
    sqlite3.Error
        If the database rejects the query (e.g. an unknown column).
    """
    _require_connection(conn)
    params = _check_sql(sql, params)
    cursor = conn.execute(sql, params)
    columns = [description[0] for description in cursor.description or []]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def explain_query_plan(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> list[str]:
    """How SQLite will run a query: the ``detail`` lines of ``EXPLAIN QUERY PLAN``.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.
    sql : str
        The query, as for :func:`query`.
    params : sequence or mapping
        Its parameters.

    Returns
    -------
    list of str
        E.g. ``["SCAN flights"]`` (reads every row) or
        ``["SEARCH flights USING INDEX idx_flights_tailnum (tailnum=?)"]``.

    Raises
    ------
    TypeError, ValueError, sqlite3.Error
        As :func:`query`.
    """
    plan = query(conn, "EXPLAIN QUERY PLAN " + sql, params)
    return plan["detail"].tolist()


def time_query(
    conn: sqlite3.Connection,
    sql: str,
    params: Sequence[Any] | Mapping[str, Any] = (),
    repeat: int = 5,
) -> float:
    """Best wall time, in seconds, of ``repeat`` runs of a query (fetching every row).

    The minimum is the least disturbed by other programs on the machine.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.
    sql : str
        The query, as for :func:`query`.
    params : sequence or mapping
        Its parameters.
    repeat : int
        Number of runs (positive).

    Returns
    -------
    float
        The fastest run, in seconds.

    Raises
    ------
    ValueError
        If ``repeat`` is not a positive int, or as :func:`query`.
    TypeError, sqlite3.Error
        As :func:`query`.
    """
    _require_connection(conn)
    if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
        raise ValueError(f"repeat must be a positive int, got {repeat!r}")
    params = _check_sql(sql, params)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------------------
# Schema, inspection and bulk loading
# ---------------------------------------------------------------------------


def create_flights_schema(conn: sqlite3.Connection) -> list[str]:
    """Create the nycflights13 tables of :data:`FLIGHTS_SCHEMA` if they do not exist (rerunnable).

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.

    Returns
    -------
    list of str
        The table names, parents before the tables that reference them.

    Raises
    ------
    TypeError
        If ``conn`` is not a sqlite3 connection.
    """
    _require_connection(conn)
    with transaction(conn):
        for statement in FLIGHTS_SCHEMA.values():
            conn.execute(statement)
    return list(FLIGHTS_SCHEMA)


def _table_names(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name", ("table",))
    return [row[0] for row in rows]


def _require_table(conn: sqlite3.Connection, table: object) -> str:
    """Return ``table`` if the database has it (names cannot be parameters, so they are whitelisted)."""
    _require_connection(conn)
    if not isinstance(table, str):
        raise TypeError(f"table must be a str, got {type(table).__name__}")
    tables = _table_names(conn)
    if table not in tables:
        raise ValueError(f"no table named {table!r}; the database has {tables}")
    return table


def table_columns(conn: sqlite3.Connection, table: str) -> pd.DataFrame:
    """Columns of a table: name, declared type, NOT NULL, default and primary-key position.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.
    table : str
        An existing table.

    Returns
    -------
    pandas.DataFrame
        One row per column (``PRAGMA table_info``), columns ``name``, ``type``,
        ``notnull``, ``dflt_value``, ``pk``.

    Raises
    ------
    TypeError
        If ``conn`` or ``table`` has the wrong type.
    ValueError
        If the table does not exist (the existing ones are listed).
    """
    table = _require_table(conn, table)
    cursor = conn.execute(f'PRAGMA table_info("{table}")')
    frame = pd.DataFrame.from_records(
        cursor.fetchall(), columns=[d[0] for d in cursor.description]
    )
    return frame[["name", "type", "notnull", "dflt_value", "pk"]]


def count_rows(conn: sqlite3.Connection, table: str) -> int:
    """Number of rows in a table.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.
    table : str
        An existing table.

    Returns
    -------
    int
        The row count.

    Raises
    ------
    TypeError
        If ``conn`` or ``table`` has the wrong type.
    ValueError
        If the table does not exist.
    """
    table = _require_table(conn, table)
    return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def foreign_key_violations(conn: sqlite3.Connection) -> pd.DataFrame:
    """Rows whose foreign key points nowhere (``PRAGMA foreign_key_check``).

    Useful on a database filled while foreign keys were off, or by another program.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.

    Returns
    -------
    pandas.DataFrame
        Columns ``table``, ``rowid``, ``parent`` and ``fkid``; empty when every key resolves.

    Raises
    ------
    TypeError
        If ``conn`` is not a sqlite3 connection.
    """
    _require_connection(conn)
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    return pd.DataFrame.from_records(rows, columns=["table", "rowid", "parent", "fkid"])


def _python_values(column: pd.Series) -> list:
    """Values SQLite can store: None for missing, int/float/str, timestamps as ISO 8601 UTC text."""
    missing = column.isna().to_numpy()
    if isinstance(column.dtype, pd.CategoricalDtype):
        column = column.astype(column.cat.categories.dtype)
    if pd.api.types.is_datetime64_any_dtype(column):
        if column.dt.tz is not None:
            column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        seconds = column.to_numpy().astype("datetime64[s]")
        values = np.char.add(np.datetime_as_string(seconds, unit="s"), "Z").astype(object)
    elif pd.api.types.is_bool_dtype(column) or pd.api.types.is_integer_dtype(column):
        values = column.astype("Int64").to_numpy(dtype=object, na_value=None)
    elif pd.api.types.is_float_dtype(column):
        values = column.astype("float64").to_numpy().astype(object)
    else:
        values = column.astype(object).to_numpy().copy()
    values[missing] = None
    return values.tolist()


def insert_frame(conn: sqlite3.Connection, table: str, frame: pd.DataFrame) -> int:
    """Bulk-load a DataFrame into a table with ``executemany``, all or nothing.

    Every column of ``frame`` must exist in the table (nothing is silently dropped),
    and every ``NOT NULL`` column without a default must be present. Values travel
    as ``?`` parameters; missing values become ``NULL``; time-zone-aware timestamps
    become ISO 8601 UTC text. If any row fails (a constraint, a wrong type in a
    STRICT table), the whole load is rolled back and the error re-raised.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.
    table : str
        An existing table.
    frame : pandas.DataFrame
        The rows; its column names are the table's column names.

    Returns
    -------
    int
        Number of rows inserted.

    Raises
    ------
    TypeError
        If ``conn``, ``table`` or ``frame`` has the wrong type.
    ValueError
        If the table does not exist, ``frame`` has columns the table lacks, or
        lacks required columns.
    sqlite3.IntegrityError
        If a row breaks a constraint (primary/foreign key, CHECK, NOT NULL, UNIQUE,
        type); nothing of this load remains in the table.
    """
    table = _require_table(conn, table)
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    schema = table_columns(conn, table)
    unknown = [c for c in frame.columns if c not in set(schema["name"])]
    if unknown:
        raise ValueError(
            f"frame has column(s) {unknown} that table {table!r} lacks; "
            f"its columns are {schema['name'].tolist()}"
        )
    integer_key = (
        (schema["pk"] == 1) & (schema["type"].str.upper() == "INTEGER") & (schema["pk"].sum() == 1)
    )
    required = schema[(schema["notnull"] == 1) & schema["dflt_value"].isna() & ~integer_key][
        "name"
    ]
    absent = [c for c in required if c not in frame.columns]
    if absent:
        raise ValueError(f"frame lacks required (NOT NULL) column(s) {absent} of table {table!r}")
    columns = list(frame.columns)
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    rows = list(zip(*(_python_values(frame[c]) for c in columns))) if columns else []
    try:
        with transaction(conn):
            conn.executemany(statement, rows)
    except sqlite3.Error as error:
        error.add_note(
            f"nothing was loaded into {table!r}: the load of {len(rows):,} rows was rolled back"
        )
        raise
    return len(rows)


# ---------------------------------------------------------------------------
# A picture of the schema
# ---------------------------------------------------------------------------


def draw_schema(conn: sqlite3.Connection, positions: Mapping[str, tuple[float, float]], ax=None):
    """Draw tables as boxes listing their columns, with an arrow for each foreign key.

    Primary-key columns are marked ``PK``, foreign-key columns ``FK``; each arrow
    runs from a foreign-key column to the key it references.

    Parameters
    ----------
    conn : sqlite3.Connection
        The connection.
    positions : mapping of str to (x, y)
        Top-left corner of each table's box, in axes units (0-1); only these tables
        are drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 11 x 6 inch figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, without ticks.

    Raises
    ------
    TypeError
        If ``conn`` is not a connection or ``positions`` not a mapping.
    ValueError
        If a table in ``positions`` does not exist.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    _require_connection(conn)
    if not isinstance(positions, Mapping) or not positions:
        raise TypeError(
            f"positions must be a non-empty mapping of table to (x, y), got {positions!r}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 6))
    fontsize = 8
    box = ax.get_window_extent().transformed(ax.figure.dpi_scale_trans.inverted())
    char = fontsize * 0.62 / 72 / box.width  # width of one monospace character, axes units
    line = fontsize * 1.5 / 72 / box.height  # height of one line, axes units
    anchors: dict[tuple[str, str], tuple[float, float, float]] = {}  # left, right, middle y
    references = []
    for table, (x, y) in positions.items():
        columns = table_columns(conn, table)
        foreign = {
            row[3]: (row[2], row[4]) for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')
        }
        labels = [
            ("PK " if row.pk else "") + ("FK " if row.name in foreign else "") + row.name
            for row in columns.itertuples(index=False)
        ]
        width = char * max(len(label) for label in labels + [table]) + 2 * char
        height = line * (len(labels) + 1.4)
        ax.add_patch(
            FancyBboxPatch(
                (x, y - height),
                width,
                height,
                boxstyle="round,pad=0.004",
                facecolor="white",
                edgecolor="#0072B2",
                linewidth=1.2,
            )
        )
        ax.text(
            x + char,
            y - 0.2 * line,
            table,
            fontsize=fontsize + 2,
            fontweight="bold",
            va="top",
            color="#0072B2",
        )
        for i, (label, name) in enumerate(zip(labels, columns["name"]), start=1):
            middle = y - (i + 0.9) * line
            ax.text(
                x + char,
                middle,
                label,
                fontsize=fontsize,
                va="center",
                family="monospace",
                fontweight="bold" if label.startswith(("PK", "FK")) else "normal",
            )
            anchors[(table, name)] = (x, x + width, middle)
        references += [(table, column, parent, key) for column, (parent, key) in foreign.items()]
    for table, column, parent, key in references:
        if parent not in positions:
            continue
        child_left, child_right, child_y = anchors[(table, column)]
        parent_left, parent_right, parent_y = anchors[(parent, key)]
        if parent_right <= child_left:
            start, end = (child_left, child_y), (parent_right, parent_y)
        else:
            start, end = (child_right, child_y), (parent_left, parent_y)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#D55E00",
                "lw": 1.3,
                "shrinkA": 2,
                "shrinkB": 2,
            },
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax
