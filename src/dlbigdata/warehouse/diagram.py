"""The star schema as a figure, drawn by :func:`dlbigdata.plotting.plot_table_diagram`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dlbigdata._validation import require_int
from dlbigdata.warehouse.ddl import FOREIGN_KEYS, STAR_SCHEMA, SURROGATE_KEYS

if TYPE_CHECKING:
    import matplotlib.axes

__all__ = ["plot_star_schema"]

_POSITIONS = {
    "dim_date": (0.01, 0.99),
    "dim_plane": (0.01, 0.45),
    "fact_flight": (0.37, 0.78),
    "dim_carrier": (0.74, 0.99),
    "dim_airport": (0.74, 0.8),
    "dim_weather": (0.74, 0.4),
}
"""Top-left corner of each box: the fact table in the middle, the dimensions around it."""


def _role(table: str, column: str) -> str:
    """``"PK"``, ``"FK"`` or ``""`` for a column of the star."""
    if column == SURROGATE_KEYS[table]:
        return "PK"
    return "FK" if table == "fact_flight" and column in FOREIGN_KEYS else ""


def _shown_columns(table: str, max_columns: int) -> list[tuple[str, str]]:
    """The keys of ``table`` and its first other columns, up to ``max_columns`` in all."""
    columns = [(name, _role(table, name)) for name, _ in STAR_SCHEMA[table]]
    room = max(max_columns - sum(1 for _, role in columns if role), 0)
    others = [name for name, role in columns if not role][:room]
    shown = [(name, role) for name, role in columns if role or name in others]
    hidden = len(columns) - len(shown)
    return shown + ([(f"+ {hidden} more", "")] if hidden else [])


def plot_star_schema(
    ax: matplotlib.axes.Axes | None = None, max_columns: int = 7
) -> matplotlib.axes.Axes:
    """Draw the star: the fact table in the middle, one box per table, one arrow per key.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.
    max_columns : int, default 7
        Columns listed per box; keys are always listed, the rest are summarised as
        "+ n more".

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with one box per table of :data:`STAR_SCHEMA` and one arrow per
        foreign key of the fact table.

    Raises
    ------
    TypeError
        If ``max_columns`` is not an integer.
    ValueError
        If ``max_columns`` is below 1.

    Used in chapter 17.
    """
    from dlbigdata.plotting import plot_table_diagram

    max_columns = require_int("max_columns", max_columns, minimum=1)
    tables = {table: _shown_columns(table, max_columns) for table in STAR_SCHEMA}
    links = [
        ("fact_flight", column, dimension, SURROGATE_KEYS[dimension])
        for column, dimension in FOREIGN_KEYS.items()
    ]
    return plot_table_diagram(tables, _POSITIONS, links, highlight="fact_flight", ax=ax)
