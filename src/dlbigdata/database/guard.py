"""The guard in front of every statement: values travel as parameters, never in the SQL text.

It checks the SQL that :func:`~dlbigdata.database.execute` and
:func:`~dlbigdata.database.time_query` are given. What it refuses, before the statement
reaches the database:

- any double quote ``"``. Names in this book's SQL are written bare (``carrier``, not
  ``"carrier"``). A double-quoted token cannot be trusted whatever it contains: SQLite reads
  ``"UA"`` as a string when no table or column has that name (its "DQS" compatibility rule,
  which Python 3.11's ``sqlite3`` cannot switch off), and as a *name* when one has, so
  ``WHERE carrier = "{v}"`` with ``v = 'carrier" OR 1=1 OR "carrier'`` reads three column
  names and matches every row. No check of the names can tell a pasted value from a name;
  refusing the quote itself can;
- a single-quoted literal (``'UA'``), a comment (``--``, ``/*``) or a second statement
  (``;`` inside the text): the usual marks of a value pasted into SQL;
- names quoted with backticks or brackets (write the bare name), and placeholders other
  than ``?`` and ``:name``;
- parameters that do not match the placeholders (count, names), and parameter values that
  would be bound wrongly (see :mod:`dlbigdata.database.values`).

What it cannot catch: a value pasted where the SQL needs no quotes. With
``f"SELECT * FROM flights WHERE flight_id = {x}"`` and ``x = "0 OR 1 = 1"`` the text is
well-formed SQL that returns every row, and no inspection of the text can tell it from
SQL the author meant. Only parameters prevent that: write ``flight_id = ?`` and pass ``x``.
The guard makes the common unsafe pattern (quoting a pasted string) fail at its first run;
it is not a sanitizer, and nothing here makes pasted values safe.

The package's own statements, which may need quoted names (a table or column of
:func:`insert_frame`, the tables of :func:`create_flights_schema`, the catalogue queries of
:mod:`~dlbigdata.database.schema`), do not pass through this guard: they go to
``con.execute`` directly, with every name checked against the database first and quoted by
:func:`_quote_identifier`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dlbigdata._validation import describe, require_string
from dlbigdata.database.values import _sqlite_value

_REFUSED = re.compile(r"'|--|/\*|`|\[|\"")
_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_OTHER_PLACEHOLDER = re.compile(r"\?\d|[@$][A-Za-z_]")

Parameters = tuple[Any, ...] | dict[str, Any]


def _quote_identifier(name: object) -> str:
    """Quote a table or column name for SQL text, doubling any ``"`` inside it."""
    text = require_string("identifier", name)
    if "\x00" in text:
        raise ValueError(f"identifier must not contain a NUL character, got {text!r}")
    return '"' + text.replace('"', '""') + '"'


def _shown(sql: str) -> str:
    return repr(sql.strip()[:120])


def _check_sql(con: sqlite3.Connection, sql: object, params: object) -> Parameters:
    """Refuse SQL that embeds values; return ``params`` converted for binding."""
    if not isinstance(sql, str):
        raise TypeError(f"sql must be a non-empty str, got {type(sql).__name__}: {describe(sql)}")
    if not sql.strip():
        raise ValueError(f"sql must be a non-empty str, got {sql!r}")
    _refuse_embedded_values(sql)
    return _match_parameters(sql, params)


def _refuse_embedded_values(sql: str) -> None:
    """Raise ValueError for quotes, literals, comments or a second statement."""
    found = _REFUSED.search(sql)
    if found and found.group(0) in ("'", "--", "/*"):
        raise ValueError(
            f"sql contains {found.group(0)!r}: write values as ? placeholders and pass "
            f"them in params; quoted literals and comments are refused: {_shown(sql)}"
        )
    if found and found.group(0) == '"':
        raise ValueError(
            f'sql contains \'"\': names are written bare (carrier, not "carrier") and values '
            f"go in ? parameters; a double-quoted token is read as a name or, when nothing "
            f"has that name, as a string, so a value pasted in quotes can rewrite the "
            f"statement: {_shown(sql)}"
        )
    if found:
        raise ValueError(
            f"sql quotes a name with {found.group(0)!r}: names are written bare, and values "
            f"go in ? parameters: {_shown(sql)}"
        )
    if ";" in sql.strip().rstrip(";"):
        raise ValueError(f"sql must be a single statement (found ';' inside): {_shown(sql)}")
    other = _OTHER_PLACEHOLDER.search(sql)
    if other:
        raise ValueError(
            f"sql uses the placeholder {other.group(0)!r}; write ? (with a tuple or list "
            f"of values) or :name (with a dict): {_shown(sql)}"
        )


def _match_parameters(sql: str, params: object) -> Parameters:
    """Check that ``params`` fills the placeholders exactly; convert each value."""
    names = _NAMED_PARAMETER.findall(sql)
    positional = sql.count("?")
    if names and positional:
        raise ValueError(f"sql mixes ? and :name placeholders; use one kind: {_shown(sql)}")
    if isinstance(params, Mapping):
        keys = list(params)
        if positional or set(names) != set(keys) or not all(isinstance(k, str) for k in keys):
            raise ValueError(
                f"sql needs named parameters {sorted(set(names))} (and no '?'); "
                f"params has {sorted(map(str, keys))}"
            )
        return {key: _sqlite_value(f"params[{key!r}]", value) for key, value in params.items()}
    if isinstance(params, (str, bytes)) or not isinstance(params, (Sequence, np.ndarray)):
        raise TypeError(
            f"params must be a tuple/list of values or a dict of named values, "
            f"got {type(params).__name__} {describe(params)}"
        )
    values = tuple(params)
    if names:
        raise ValueError(
            f"sql uses named parameters {sorted(set(names))}: pass params as a dict, "
            f"got {describe(params)}"
        )
    if positional != len(values):
        raise ValueError(
            f"sql has {positional} ? placeholder(s) but {len(values)} parameter(s) "
            f"were given: {describe(values)}"
        )
    return tuple(_sqlite_value(f"params[{i}]", value) for i, value in enumerate(values))
