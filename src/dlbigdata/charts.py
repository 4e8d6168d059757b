"""Chart helpers for the visualization chapter: small multiples, an airport map, honest sizes.

These build on :mod:`dlbigdata.plotting` (the house style, :func:`~dlbigdata.plotting.finish`)
and add what chapter 19 needs more than once: a grid of panels with shared axes, one per
group (:func:`small_multiples`); marker areas proportional to the values they encode
(:func:`marker_areas`); a map of airports from longitude and latitude without tiles or
downloads (:func:`airport_map`); and Tufte's lie factor of a bar chart (:func:`lie_factor`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from dlbigdata._validation import (
    require_bool,
    require_columns,
    require_frame,
    require_int,
    require_names,
    require_number,
    require_numeric_array,
    require_numeric_column,
    require_string,
    require_type,
)

__all__ = ["CONTIGUOUS_US", "airport_map", "lie_factor", "marker_areas", "small_multiples"]

CONTIGUOUS_US: tuple[float, float, float, float] = (-125.0, -66.0, 24.0, 50.0)
"""Longitude and latitude limits (west, east, south, north) of the contiguous United States."""


def _panel_order(data: pd.DataFrame, facet: str, order: Any) -> list[Any]:
    """The facet values to draw, in order: all of them sorted, or those of ``order``."""
    missing = int(data[facet].isna().sum())
    if missing:
        raise ValueError(
            f"data[{facet!r}] has {missing} missing value(s); a row without a facet value "
            "belongs to no panel: drop or fill them first"
        )
    present = pd.unique(data[facet])
    if order is None:
        return sorted(present)
    if isinstance(order, (str, bytes)) or not isinstance(
        order, (list, tuple, pd.Index, pd.Series, np.ndarray)
    ):
        raise TypeError(
            f"order must be a list of facet values, got {type(order).__name__}: {order!r}"
        )
    panels = list(order)
    if not panels:
        raise ValueError("order is empty: name at least one facet value")
    repeated = sorted({str(value) for value in panels if panels.count(value) > 1})
    if repeated:
        raise ValueError(f"order names value(s) {repeated} more than once")
    absent = [value for value in panels if value not in set(present)]
    if absent:
        raise ValueError(f"order names value(s) {absent} that do not occur in column {facet!r}")
    return panels


def _panel_size(panel_size: Any) -> tuple[float, float]:
    if not isinstance(panel_size, (tuple, list, np.ndarray)):
        raise TypeError(f"panel_size must be a pair (width, height), got {panel_size!r}")
    if len(panel_size) != 2:
        raise ValueError(f"panel_size must be a pair (width, height), got {panel_size!r}")
    width, height = (
        require_number(f"panel_size[{index}]", value, minimum=0.0, low_open=True)
        for index, value in enumerate(panel_size)
    )
    return width, height


def small_multiples(
    data: pd.DataFrame,
    facet: str,
    draw: Callable[[plt.Axes, pd.DataFrame], Any],
    *,
    order: Sequence[Any] | None = None,
    ncols: int = 4,
    panel_size: tuple[float, float] = (3.0, 2.2),
    sharex: bool = True,
    sharey: bool = True,
) -> tuple[plt.Figure, dict[Any, plt.Axes]]:
    """One small panel per group, all on the same axes, so the panels can be compared at a glance.

    Parameters
    ----------
    data : pandas.DataFrame
        The table to split, with at least one row.
    facet : str
        Column whose values define the panels; it must have no missing value (such a row
        would belong to no panel and vanish from the figure).
    draw : callable
        ``draw(ax, subset)`` draws one group's rows ``subset`` on ``ax``.
    order : list, optional
        Panel order (distinct facet values; rows of the other values are not drawn);
        default: sorted distinct values. A single string is refused.
    ncols : int
        Panels per row (positive).
    panel_size : (float, float)
        Width and height of one panel in inches, positive and finite.
    sharex, sharey : bool
        Share the axes' limits across panels (keep ``True`` unless you say why not).

    Returns
    -------
    figure : matplotlib.figure.Figure
    axes : dict
        Panel axes keyed by facet value, in panel order; each panel is titled with its value.
        Unused cells of the grid are hidden.

    Used in chapter 19.
    """
    data = require_frame("data", data, allow_empty=False)
    require_columns("data", data, [require_string("facet", facet)])
    if not callable(draw):
        raise TypeError(f"draw must be a function draw(ax, subset), got {type(draw).__name__}")
    ncols = require_int("ncols", ncols, minimum=1)
    width, height = _panel_size(panel_size)
    sharex, sharey = require_bool("sharex", sharex), require_bool("sharey", sharey)
    panels = _panel_order(data, facet, order)
    ncols = min(ncols, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    figure, grid = plt.subplots(
        nrows,
        ncols,
        figsize=(width * ncols, height * nrows),
        sharex=sharex,
        sharey=sharey,
        squeeze=False,
    )
    axes: dict[Any, plt.Axes] = {}
    for ax, value in zip(grid.flat, panels, strict=False):
        draw(ax, data[data[facet] == value])
        ax.set_title(str(value), fontsize=11)
        axes[value] = ax
    for ax in list(grid.flat)[len(panels) :]:
        ax.set_visible(False)
    return figure, axes


def marker_areas(values: Any, largest_area: float = 400.0) -> np.ndarray:
    """Marker areas (``s`` of :func:`matplotlib.pyplot.scatter`) proportional to the values.

    The eye reads a circle's size by its area, so the area, not the radius, must be
    proportional to the quantity: a value twice as large gets twice the area.

    Parameters
    ----------
    values : array_like of float
        Non-negative finite quantities, not all zero, e.g. flights per destination.
    largest_area : float
        Area in points squared of the marker of the largest value (positive, finite).

    Returns
    -------
    numpy.ndarray
        ``largest_area * values / max(values)``.

    Used in chapter 19.
    """
    largest_area = require_number("largest_area", largest_area, minimum=0.0, low_open=True)
    array = require_numeric_array("values", values).astype(float).ravel()
    if array.size == 0:
        raise ValueError("values is empty: nothing to size")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(
            "values must be finite and non-negative (they set areas), "
            f"got {array[~np.isfinite(array) | (array < 0)][:5].tolist()}"
        )
    if array.max() == 0:
        raise ValueError("values are all zero: no marker can be sized relative to the largest")
    return largest_area * array / array.max()


def _map_extent(extent: Any) -> list[float] | None:
    """Four increasing finite limits (west, east, south, north), or ``None``."""
    if extent is None:
        return None
    if isinstance(extent, (str, bytes)) or not isinstance(extent, (tuple, list, np.ndarray)):
        raise TypeError(f"extent must be (west, east, south, north), got {extent!r}")
    limits = [require_number(f"extent[{index}]", value) for index, value in enumerate(extent)]
    if len(limits) != 4 or not (limits[0] < limits[1] and limits[2] < limits[3]):
        raise ValueError(
            "extent must be (west, east, south, north) with west < east and south < north, "
            f"got {limits}"
        )
    return limits


def _map_tables(airports: Any, destinations: Any, size: Any, origins: Any) -> list[str]:
    """Validate the tables of :func:`airport_map`; return the origin codes."""
    size = require_string("size", size)
    for name, table, numeric in (
        ("airports", airports, ["lon", "lat"]),
        ("destinations", destinations, ["lon", "lat", size]),
    ):
        require_frame(name, table, allow_empty=False)
        require_columns(name, table, ["faa", *numeric] if name == "airports" else numeric)
        for column in numeric:
            require_numeric_column(name, table, column)
    codes = require_names("origins", origins)
    unknown = [code for code in codes if code not in set(airports["faa"].dropna())]
    if unknown:
        raise ValueError(f"origin(s) {unknown} are not in the airports table")
    return codes


def airport_map(
    ax: plt.Axes,
    airports: pd.DataFrame,
    destinations: pd.DataFrame,
    *,
    size: str = "flights",
    origins: Sequence[str] = ("EWR", "JFK", "LGA"),
    extent: Sequence[float] | None = CONTIGUOUS_US,
    largest_area: float = 400.0,
) -> plt.Axes:
    """Draw airports as points at their longitude and latitude; destinations sized by a count.

    Every airport is a faint grey dot (the outline of the country appears by itself), each
    destination a circle whose area is proportional to ``destinations[size]``, and the
    origins are drawn as black stars. The aspect ratio is corrected for the latitude, so
    distances east-west and north-south look alike near the middle of the map. Every
    argument is checked before anything is drawn.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    airports : pandas.DataFrame
        Columns ``faa``, numeric ``lon``, ``lat`` (``load("airports")``).
    destinations : pandas.DataFrame
        Numeric columns ``lon``, ``lat`` and ``size``, e.g. from
        :func:`dlbigdata.analysis.flights_per_destination`. Rows without coordinates are
        not drawn; count them before calling.
    size : str
        Column of ``destinations`` that sets the marker areas.
    origins : list of str
        FAA codes of the airports the flights leave from (a single string is refused).
    extent : (west, east, south, north), optional
        Map limits in degrees, finite and increasing; ``None`` fits the data.
    largest_area : float
        Marker area of the largest destination, see :func:`marker_areas`.

    Returns
    -------
    matplotlib.axes.Axes
        The same axes.

    Used in chapter 19.
    """
    require_type("ax", ax, Axes, "a matplotlib Axes (fig, ax = plt.subplots())")
    codes = _map_tables(airports, destinations, size, origins)
    limits = _map_extent(extent)
    located = destinations.dropna(subset=["lon", "lat"])
    areas = marker_areas(located[size], largest_area)
    ax.scatter(airports["lon"], airports["lat"], s=2, color="0.8", label="all airports", zorder=1)
    ax.scatter(
        located["lon"],
        located["lat"],
        s=areas,
        alpha=0.6,
        edgecolor="white",
        linewidth=0.5,
        label="destinations",
        zorder=2,
    )
    start = airports[airports["faa"].isin(codes)]
    ax.scatter(
        start["lon"],
        start["lat"],
        marker="*",
        s=120,
        color="black",
        label="New York origins",
        zorder=3,
    )
    if limits is not None:
        ax.set_xlim(limits[0], limits[1])
        ax.set_ylim(limits[2], limits[3])
        middle = (limits[2] + limits[3]) / 2
    else:
        middle = float(located["lat"].mean())
    ax.set_aspect(1 / math.cos(math.radians(middle)))
    ax.set_xlabel("longitude (degrees)")
    ax.set_ylabel("latitude (degrees)")
    return ax


def lie_factor(first: float, second: float, baseline: float = 0.0) -> float:
    """Tufte's lie factor of two bars drawn from ``baseline``: shown effect / data effect.

    Two values ``first`` and ``second`` differ by ``(second - first) / first`` in the data.
    Drawn as bars that start at ``baseline`` (a truncated axis when it is not 0), the bars
    differ by ``(second - first) / (first - baseline)``. The ratio of the two is the lie
    factor: 1 for an honest chart, larger when the chart exaggerates.

    Parameters
    ----------
    first, second : float
        The two values, finite and both above ``baseline``; ``first`` must be positive.
    baseline : float
        Where the bars start (the lower limit of the value axis), finite.

    Returns
    -------
    float
        ``first / (first - baseline)`` when the values differ; 1.0 when they are equal.

    Used in chapter 19.
    """
    first = require_number("first", first)
    second = require_number("second", second)
    baseline = require_number("baseline", baseline)
    if first <= 0:
        raise ValueError(
            f"first must be positive, got {first}: a relative change needs a positive reference"
        )
    if first <= baseline or second <= baseline:
        raise ValueError(
            f"both values ({first}, {second}) must lie above the baseline {baseline}: "
            "a bar cannot start above its own end"
        )
    if first == second:
        return 1.0
    data_effect = (second - first) / first
    shown_effect = (second - first) / (first - baseline)
    return float(shown_effect / data_effect)
