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

__all__ = ["CONTIGUOUS_US", "airport_map", "lie_factor", "marker_areas", "small_multiples"]

CONTIGUOUS_US: tuple[float, float, float, float] = (-125.0, -66.0, 24.0, 50.0)
"""Longitude and latitude limits (west, east, south, north) of the contiguous United States."""


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
        The table to split.
    facet : str
        Column whose values define the panels.
    draw : callable
        ``draw(ax, subset)`` draws one group's rows ``subset`` on ``ax``.
    order : sequence, optional
        Panel order (a subset of the facet values); default: sorted distinct values.
    ncols : int
        Panels per row.
    panel_size : (float, float)
        Width and height of one panel in inches.
    sharex, sharey : bool
        Share the axes' limits across panels (keep ``True`` unless you say why not).

    Returns
    -------
    figure : matplotlib.figure.Figure
    axes : dict
        Panel axes keyed by facet value, in panel order; each panel is titled with its value.
        Unused cells of the grid are hidden.

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame or ``draw`` is not callable.
    ValueError
        If ``data`` is empty, lacks ``facet``, ``ncols`` is not a positive int, or ``order``
        is empty or names a value absent from the column.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if data.empty:
        raise ValueError("data is empty: there is nothing to draw")
    if facet not in data.columns:
        raise ValueError(f"facet column {facet!r} is not in data; it has {list(data.columns)}")
    if not callable(draw):
        raise TypeError(f"draw must be a function draw(ax, subset), got {type(draw).__name__}")
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}")
    present = pd.unique(data[facet].dropna())
    if order is None:
        panels = sorted(present)
    else:
        panels = list(order)
        if not panels:
            raise ValueError("order is empty: name at least one facet value")
        absent = [value for value in panels if value not in set(present)]
        if absent:
            raise ValueError(
                f"order names value(s) {absent} that do not occur in column {facet!r}"
            )
    ncols = min(int(ncols), len(panels))
    nrows = math.ceil(len(panels) / ncols)
    figure, grid = plt.subplots(
        nrows,
        ncols,
        figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
        sharex=sharex,
        sharey=sharey,
        squeeze=False,
    )
    axes: dict[Any, plt.Axes] = {}
    for ax, value in zip(grid.flat, panels):
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
        Non-negative quantities, e.g. flights per destination.
    largest_area : float
        Area in points squared of the marker of the largest value.

    Returns
    -------
    numpy.ndarray
        ``largest_area * values / max(values)``.

    Raises
    ------
    TypeError
        If ``values`` is not numeric.
    ValueError
        If ``values`` is empty, negative, not finite or all zero, or ``largest_area`` is not
        a positive number.
    """
    array = np.asarray(values)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"values must be numeric, got dtype {array.dtype}")
    array = array.astype(float).ravel()
    if array.size == 0:
        raise ValueError("values is empty: nothing to size")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError("values must be finite and non-negative (an area cannot be negative)")
    if array.max() == 0:
        raise ValueError("values are all zero: no marker can be sized relative to the largest")
    if (
        isinstance(largest_area, bool)
        or not isinstance(largest_area, (int, float))
        or not largest_area > 0
    ):
        raise ValueError(f"largest_area must be a positive number, got {largest_area!r}")
    return float(largest_area) * array / array.max()


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
    distances east-west and north-south look alike near the middle of the map.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    airports : pandas.DataFrame
        Columns ``faa``, ``lon``, ``lat`` (``load("airports")``).
    destinations : pandas.DataFrame
        Columns ``lon``, ``lat`` and ``size``, e.g. from
        :func:`dlbigdata.analysis.flights_per_destination`. Rows without coordinates are
        not drawn; count them before calling.
    size : str
        Column of ``destinations`` that sets the marker areas.
    origins : sequence of str
        FAA codes of the airports the flights leave from.
    extent : (west, east, south, north), optional
        Map limits in degrees; ``None`` fits the data.
    largest_area : float
        Marker area of the largest destination, see :func:`marker_areas`.

    Returns
    -------
    matplotlib.axes.Axes
        The same axes.

    Raises
    ------
    TypeError
        If a table is not a DataFrame.
    ValueError
        If a table is empty or lacks a column, an origin is not in ``airports``, or
        ``extent`` does not hold four increasing limits.
    """
    for name, table, needed in (
        ("airports", airports, ["faa", "lon", "lat"]),
        ("destinations", destinations, ["lon", "lat", size]),
    ):
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
        if table.empty:
            raise ValueError(f"{name} is empty: there is nothing to draw")
        missing = [column for column in needed if column not in table.columns]
        if missing:
            raise ValueError(f"{name} lacks column(s) {missing}; it has {list(table.columns)}")
    codes = airports["faa"].astype(str)
    unknown = [code for code in origins if code not in set(codes)]
    if unknown:
        raise ValueError(f"origin(s) {unknown} are not in the airports table")
    if extent is not None:
        extent = [float(limit) for limit in extent]
        if len(extent) != 4 or not (extent[0] < extent[1] and extent[2] < extent[3]):
            raise ValueError(
                f"extent must be (west, east, south, north) with west < east and south < north, "
                f"got {extent}"
            )
    located = destinations.dropna(subset=["lon", "lat"])
    ax.scatter(airports["lon"], airports["lat"], s=2, color="0.8", label="all airports", zorder=1)
    ax.scatter(
        located["lon"],
        located["lat"],
        s=marker_areas(located[size], largest_area),
        alpha=0.6,
        edgecolor="white",
        linewidth=0.5,
        label="destinations",
        zorder=2,
    )
    start = airports[codes.isin(list(origins))]
    ax.scatter(
        start["lon"],
        start["lat"],
        marker="*",
        s=120,
        color="black",
        label="New York origins",
        zorder=3,
    )
    if extent is not None:
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        middle = (extent[2] + extent[3]) / 2
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
        The two values, both above ``baseline``; ``first`` must be positive.
    baseline : float
        Where the bars start (the lower limit of the value axis).

    Returns
    -------
    float
        ``first / (first - baseline)`` when the values differ; 1.0 when they are equal.

    Raises
    ------
    TypeError
        If an argument is not a real number.
    ValueError
        If ``first`` is not positive, or a value does not lie above ``baseline``.
    """
    for name, value in (("first", first), ("second", second), ("baseline", baseline)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
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
