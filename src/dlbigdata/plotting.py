"""The house style for the book's figures, and small plotting helpers.

Call :func:`use_house_style` once at the top of a chapter. Figures then share
one look: a colour-blind-safe palette, readable font sizes on screen and in
print, light grids, no top/right spines.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt

__all__ = ["PALETTE", "annotate_bars", "finish", "use_house_style"]

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
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
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
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"title must be a non-empty string, got {title!r}")
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
    if orientation not in ("vertical", "horizontal"):
        raise ValueError(f"orientation must be 'vertical' or 'horizontal', got {orientation!r}")
    bars = ax.patches
    if len(bars) != len(values):
        raise ValueError(f"got {len(values)} values for {len(bars)} bars")
    for bar, value in zip(bars, values):
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
