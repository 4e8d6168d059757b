"""A picture of a database's tables and keys, read from its catalogue."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING

from dlbigdata._validation import describe
from dlbigdata.database.schema import _foreign_keys, _require_table, _table_columns

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_schema"]


def _role(primary: bool, foreign: bool) -> str:
    """``"PK"``, ``"FK"``, ``"PK FK"`` or ``""``: how the diagram marks a column."""
    return " ".join(mark for mark, on in (("PK", primary), ("FK", foreign)) if on)


def plot_schema(
    con: sqlite3.Connection,
    positions: Mapping[str, tuple[float, float]],
    ax: Axes | None = None,
) -> Axes:
    """Draw tables as boxes listing their columns, with an arrow for each foreign key.

    Reads the tables' columns, primary keys and foreign keys from the database and draws
    them with :func:`dlbigdata.plotting.plot_table_diagram`: key columns are marked ``PK``
    and ``FK``; each arrow runs from a foreign-key column to the key it references (keys to
    a table that is not drawn have no arrow).

    Parameters
    ----------
    con : sqlite3.Connection
        The connection.
    positions : mapping of str to (x, y)
        Top-left corner of each table's box, in axes units (0-1); only these tables are
        drawn.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 11 x 6 inch figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, without ticks.

    Raises
    ------
    TypeError
        If ``con`` is not a connection or ``positions`` not a mapping of table names.
    ValueError
        If ``positions`` is empty or names a table that does not exist, or a corner lies
        outside 0-1.

    Used in chapter 16.
    """
    from dlbigdata.plotting import plot_table_diagram  # matplotlib only for those who draw

    if not isinstance(positions, Mapping):
        raise TypeError(
            f"positions must be a mapping of table name to (x, y), got "
            f"{type(positions).__name__}: {describe(positions)}"
        )
    if not positions:
        raise ValueError("positions must name at least one table, got an empty mapping")
    tables, links = {}, []
    for table in positions:
        _require_table(con, table)
        foreign = _foreign_keys(con, table)
        referencing = {column for column, _, _ in foreign}
        tables[table] = [
            (row.name, _role(row.pk > 0, row.name in referencing))
            for row in _table_columns(con, table).itertuples(index=False)
        ]
        links += [(table, column, parent, key) for column, parent, key in foreign]
    links = [link for link in links if link[2] in tables]
    return plot_table_diagram(tables, positions, links, ax=ax)
