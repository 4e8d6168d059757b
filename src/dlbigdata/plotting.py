"""The house style for the book's figures, and small plotting helpers.

Call :func:`use_house_style` once at the top of a chapter. Figures then share
one look: a colour-blind-safe palette, readable font sizes on screen and in
print, light grids, no top/right spines. :func:`plot_table_diagram` is the one
way the book draws a database schema (chapters 16 and 17).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler
from matplotlib.patches import Rectangle

from dlbigdata._validation import describe, require_choice, require_number, require_string

__all__ = ["PALETTE", "annotate_bars", "finish", "plot_table_diagram", "use_house_style"]

PALETTE: list[str] = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
]
"""Okabe-Ito colours: distinguishable with the common forms of colour blindness."""


def use_house_style() -> None:
    """Apply the book's figure style to matplotlib and seaborn (idempotent)."""
    import seaborn as sns

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.labelsize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": cycler(color=PALETTE),
            "legend.frameon": False,
            "grid.alpha": 0.4,
        }
    )


def finish(
    ax: plt.Axes,
    title: str,
    xlabel: str | None = None,
    ylabel: str | None = None,
    source: str | None = None,
) -> plt.Axes:
    """Give an axes its title, axis labels and (optionally) a data-source note.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to label.
    title : str
        What the figure shows, as a short statement.
    xlabel, ylabel : str, optional
        Axis labels, with units where there are any.
    source : str, optional
        Where the data come from; written small under the axes.

    Returns
    -------
    matplotlib.axes.Axes
        The same axes, for chaining.

    Raises
    ------
    ValueError
        If ``title`` is empty: every figure in the book says what it shows.
    """
    require_string("title", title)
    ax.set_title(title)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if source:
        # Below the tick labels, and below the x label when there is one.
        offset = -52 if ax.get_xlabel() else -34
        ax.annotate(
            f"Source: {source}",
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, offset),
            textcoords="offset points",
            fontsize=8,
            color="0.4",
            va="top",
        )
    return ax


def annotate_bars(
    ax: plt.Axes, values: Sequence[float], fmt: str = "{:,.0f}", orientation: str = "vertical"
) -> None:
    """Write each bar's value at the end of the bar.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes holding the bars (``ax.bar`` or ``ax.barh``) and nothing else drawn as patches.
    values : sequence of float
        The values to print, in bar order.
    fmt : str
        A ``str.format`` pattern for one value.
    orientation : {"vertical", "horizontal"}
        ``"vertical"`` for ``ax.bar``, ``"horizontal"`` for ``ax.barh``.

    Raises
    ------
    ValueError
        If the number of values differs from the number of bars, or the
        orientation is not one of the two accepted.
    """
    require_choice("orientation", orientation, ["vertical", "horizontal"])
    bars = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
    if len(bars) != len(values):
        raise ValueError(f"got {len(values)} values for {len(bars)} bars")
    for bar, value in zip(bars, values, strict=True):
        if orientation == "horizontal":
            ax.annotate(
                fmt.format(value),
                (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
            )
        else:
            ax.annotate(
                fmt.format(value),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=9,
            )


# ---------------------------------------------------------------------------
# Schema diagrams
# ---------------------------------------------------------------------------

_ROLES = ("", "PK", "FK", "PK FK")
_FONT_SIZE = 8


def _check_diagram(
    tables: Mapping[str, Sequence[tuple[str, str]]],
    positions: Mapping[str, tuple[float, float]],
    links: Sequence[tuple[str, str, str, str]],
) -> None:
    """Raise TypeError/ValueError unless the diagram's description is consistent."""
    for name, value in (("tables", tables), ("positions", positions)):
        if not isinstance(value, Mapping) or not value:
            raise TypeError(f"{name} must be a non-empty mapping, got {describe(value)}")
    for table, columns in tables.items():
        if isinstance(columns, str) or not isinstance(columns, Sequence) or not columns:
            raise TypeError(
                f"tables[{table!r}] must be a non-empty list of (column, role) pairs, "
                f"got {describe(columns)}"
            )
        for pair in columns:
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
                raise TypeError(f"tables[{table!r}] holds {pair!r}, not a (column, role) pair")
            require_choice(f"the role of {table}.{pair[0]}", pair[1], _ROLES)
    for table, corner in positions.items():
        if table not in tables:
            raise ValueError(f"positions names {table!r}, which is not in tables: {list(tables)}")
        if not (isinstance(corner, Sequence) and len(corner) == 2):
            raise TypeError(f"positions[{table!r}] must be an (x, y) pair, got {corner!r}")
        for coordinate in corner:
            require_number(f"positions[{table!r}]", coordinate, minimum=0.0, maximum=1.0)
    if isinstance(links, str) or not isinstance(links, Sequence):
        raise TypeError(f"links must be a list of 4-tuples, got {describe(links)}")


def _check_link(link: object, tables: Mapping[str, Sequence[tuple[str, str]]]) -> None:
    """Raise ValueError unless ``link`` joins two columns that the tables have."""
    if not (isinstance(link, tuple) and len(link) == 4):
        raise TypeError(
            f"each link must be (child table, child column, parent table, parent column), "
            f"got {link!r}"
        )
    for table, column in (link[:2], link[2:]):
        if table in tables and column not in [name for name, _ in tables[table]]:
            raise ValueError(f"link {link!r}: table {table!r} has no column {column!r}")
        if table not in tables:
            raise ValueError(f"link {link!r}: unknown table {table!r}; known: {list(tables)}")


def _draw_box(ax, table, columns, corner, unit, highlighted):
    """Draw one table's box; return {column: (left, right, middle y)} for the arrows."""
    from matplotlib.patches import FancyBboxPatch

    char, line = unit
    x, y = corner
    labels = [(f"{role} " if role else "") + name for name, role in columns]
    width = char * (max(len(label) for label in [*labels, table]) + 2)
    height = line * (len(labels) + 1.4)
    colour = PALETTE[3] if highlighted else PALETTE[0]
    ax.add_patch(
        FancyBboxPatch(
            (x, y - height), width, height, boxstyle="round,pad=0.004",
            facecolor="#FCE9D2" if highlighted else "white", edgecolor=colour, linewidth=1.2,
        )
    )  # fmt: skip
    ax.text(x + char, y - 0.2 * line, table, fontsize=_FONT_SIZE + 2, fontweight="bold",
            va="top", color=colour)  # fmt: skip
    anchors = {}
    for row, (label, (name, role)) in enumerate(zip(labels, columns, strict=True), start=1):
        middle = y - (row + 0.9) * line
        ax.text(x + char, middle, label, fontsize=_FONT_SIZE, va="center", family="monospace",
                fontweight="bold" if role else "normal")  # fmt: skip
        anchors[name] = (x, x + width, middle)
    return anchors


def _draw_arrow(ax, child: tuple[float, float, float], parent: tuple[float, float, float]):
    """Draw an arrow from a foreign-key column to the key it references."""
    child_left, child_right, child_y = child
    parent_left, parent_right, parent_y = parent
    if parent_right <= child_left:
        start, end = (child_left, child_y), (parent_right, parent_y)
    else:
        start, end = (child_right, child_y), (parent_left, parent_y)
    style = {"arrowstyle": "-|>", "color": PALETTE[3], "lw": 1.3, "shrinkA": 2, "shrinkB": 2}
    ax.annotate("", xy=end, xytext=start, arrowprops=style)


def plot_table_diagram(
    tables: Mapping[str, Sequence[tuple[str, str]]],
    positions: Mapping[str, tuple[float, float]],
    links: Sequence[tuple[str, str, str, str]] = (),
    highlight: str | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw tables as boxes listing their columns, with an arrow for each foreign key.

    Parameters
    ----------
    tables : mapping of str to list of (column, role)
        Each table's columns in display order; ``role`` is ``"PK"``, ``"FK"``,
        ``"PK FK"`` or ``""`` and is written before the column's name.
    positions : mapping of str to (x, y)
        Top-left corner of each box in axes units (0-1); only these tables are drawn.
    links : list of (child table, child column, parent table, parent column)
        One arrow per foreign key, from the child column to the key it references;
        links to a table that is not drawn are skipped.
    highlight : str, optional
        A table drawn in the accent colour (the fact table of a star schema).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 11 x 6 inch figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, without ticks or spines.

    Raises
    ------
    TypeError, ValueError
        If the description is inconsistent: a role that is not one of the four, a
        position outside 0-1, a link to a column a table does not have.

    Used in chapters 16 and 17.
    """
    _check_diagram(tables, positions, links)
    for link in links:
        _check_link(link, tables)
    if highlight is not None:
        require_choice("highlight", highlight, list(positions))
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 6))
    box = ax.get_window_extent().transformed(ax.figure.dpi_scale_trans.inverted())
    unit = (_FONT_SIZE * 0.62 / 72 / box.width, _FONT_SIZE * 1.5 / 72 / box.height)
    anchors = {}
    for table, corner in positions.items():
        drawn = _draw_box(ax, table, tables[table], corner, unit, table == highlight)
        anchors.update({(table, column): place for column, place in drawn.items()})
    for child_table, child_column, parent_table, parent_column in links:
        if child_table in positions and parent_table in positions:
            child = anchors[(child_table, child_column)]
            _draw_arrow(ax, child, anchors[(parent_table, parent_column)])
    ax.set(xlim=(0, 1), ylim=(0, 1), xticks=[], yticks=[])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax
