"""The guard in front of every statement: values travel as parameters, never in the SQL text.

What the guard refuses, before the statement reaches the database:

- a single-quoted literal (``'UA'``), a comment (``--``, ``/*``) or a second statement
  (``;`` inside the text): the usual marks of a value pasted into SQL;
- a double-quoted token that is not a name. SQLite reads ``"UA"`` as an identifier when a
  table or column has that name and *as a string* when none has (its "DQS" compatibility
  rule, which Python 3.11's ``sqlite3`` cannot switch off), so ``WHERE carrier = "{v}"`` is a
  pasted string too. A double-quoted token must name an existing table, view, index or
  column (case-insensitively, as SQLite compares names), and for queries and data changes
  SQLite's own compiled program is checked for it being read as a string;
- identifiers quoted with backticks or brackets (write ``"name"`` or the bare name), and
  placeholders other than ``?`` and ``:name``;
- parameters that do not match the placeholders (count, names), and parameter values that
  would be bound wrongly (see :mod:`dlbigdata.database.values`).

What it cannot catch: a value pasted where the SQL needs no quotes. With
``f"SELECT * FROM flights WHERE flight_id = {x}"`` and ``x = "0 OR 1 = 1"`` the text is
well-formed SQL that returns every row, and no inspection of the text can tell it from
SQL the author meant. Only parameters prevent that: write ``flight_id = ?`` and pass ``x``.
The guard makes the common unsafe pattern (quoting a pasted string) fail at its first run;
it is not a sanitizer, and nothing here makes pasted values safe.

Names that the package itself writes into SQL (a table or column of :func:`insert_frame`)
are checked against the database and quoted by :func:`_quote_identifier`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dlbigdata._validation import describe, require_string
from dlbigdata.database.values import _sqlite_value

_DOUBLE_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_REFUSED = re.compile(r"'|--|/\*|`|\[|\"")
_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_OTHER_PLACEHOLDER = re.compile(r"\?\d|[@$][A-Za-z_]")
_PROGRAM_STATEMENT = re.compile(
    r"^\s*(?:EXPLAIN\s+(?:QUERY\s+PLAN\s+)?)?(SELECT|WITH|VALUES|INSERT|REPLACE|UPDATE|DELETE)\b",
    re.IGNORECASE,
)
_IMPLICIT_NAMES = {"main", "temp", "rowid", "oid", "_rowid_", "sqlite_schema", "sqlite_master"}

Parameters = tuple[Any, ...] | dict[str, Any]


def _quote_identifier(name: object) -> str:
    """Quote a table or column name for SQL text, doubling any ``"`` inside it."""
    text = require_string("identifier", name)
    if "\x00" in text:
        raise ValueError(f"identifier must not contain a NUL character, got {text!r}")
    return '"' + text.replace('"', '""') + '"'


def _fold(name: str) -> bytes:
    """A name as SQLite compares it: ASCII letters case-insensitively, everything else exactly."""
    return name.encode("utf-8").lower()


def _shown(sql: str) -> str:
    return repr(sql.strip()[:120])


def _check_sql(con: sqlite3.Connection, sql: object, params: object) -> Parameters:
    """Refuse SQL that embeds values; return ``params`` converted for binding."""
    if not isinstance(sql, str):
        raise TypeError(f"sql must be a non-empty str, got {type(sql).__name__}: {describe(sql)}")
    if not sql.strip():
        raise ValueError(f"sql must be a non-empty str, got {sql!r}")
    identifiers = [match.replace('""', '"') for match in _DOUBLE_QUOTED.findall(sql)]
    outside = _DOUBLE_QUOTED.sub(" _ ", sql)
    _refuse_embedded_values(sql, outside)
    bound = _match_parameters(sql, outside, params)
    if identifiers:
        _check_identifiers(con, sql, identifiers, bound)
    return bound


def _refuse_embedded_values(sql: str, outside: str) -> None:
    """Raise ValueError for literals, comments, odd quoting or a second statement."""
    found = _REFUSED.search(outside)
    if found and found.group(0) in ("'", "--", "/*"):
        raise ValueError(
            f"sql contains {found.group(0)!r}: write values as ? placeholders and pass "
            f"them in params; quoted literals and comments are refused: {_shown(sql)}"
        )
    if found and found.group(0) == '"':
        raise ValueError(f"sql has a double quote that is never closed: {_shown(sql)}")
    if found:
        raise ValueError(
            f"sql quotes a name with {found.group(0)!r}: write the name bare or in double "
            f'quotes ("name"): {_shown(sql)}'
        )
    if ";" in outside.strip().rstrip(";"):
        raise ValueError(f"sql must be a single statement (found ';' inside): {_shown(sql)}")
    other = _OTHER_PLACEHOLDER.search(outside)
    if other:
        raise ValueError(
            f"sql uses the placeholder {other.group(0)!r}; write ? (with a tuple or list "
            f"of values) or :name (with a dict): {_shown(sql)}"
        )


def _match_parameters(sql: str, outside: str, params: object) -> Parameters:
    """Check that ``params`` fills the placeholders exactly; convert each value."""
    names = _NAMED_PARAMETER.findall(outside)
    positional = outside.count("?")
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


def _catalogue_names(con: sqlite3.Connection) -> set[bytes]:
    """Folded names of every schema, table, view, index, trigger and column of ``con``."""
    names = {_fold(name) for name in _IMPLICIT_NAMES}
    for _, schema, _ in con.execute("PRAGMA database_list").fetchall():
        names.add(_fold(schema))
        quoted = _quote_identifier(schema)
        entries = con.execute(f"SELECT name, type FROM {quoted}.sqlite_schema").fetchall()
        for name, kind in entries:
            names.add(_fold(name))
            if kind in ("table", "view"):
                info = f"PRAGMA {quoted}.table_info({_quote_identifier(name)})"
                names.update(_fold(row[1]) for row in con.execute(info))
    return names


def _check_identifiers(
    con: sqlite3.Connection, sql: str, identifiers: list[str], params: Parameters
) -> None:
    """Raise ValueError if a double-quoted token is (or would be read as) a string."""
    known = _catalogue_names(con)
    unknown = [name for name in identifiers if _fold(name) not in known]
    statement = _PROGRAM_STATEMENT.match(sql)
    if not unknown and statement:
        program = con.execute("EXPLAIN " + sql[statement.start(1) :], params).fetchall()
        strings = {row[5] for row in program if row[1] == "String8"}
        unknown = [name for name in identifiers if name in strings]
    if unknown:
        raise ValueError(
            f'sql contains the double-quoted token "{unknown[0]}", which names no table or '
            f"column here, so SQLite would read it as the string {unknown[0]!r}: a value in "
            f"the SQL text. Pass values as ? parameters (a string in SQL is written '...', "
            f'never "..."); write aliases and new names without quotes: {_shown(sql)}'
        )
