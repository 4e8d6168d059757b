"""Tests of dlbigdata.charts: small multiples, marker areas, the airport map and the lie factor."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.charts import CONTIGUOUS_US, airport_map, lie_factor, marker_areas, small_multiples


@pytest.fixture
def panel_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"],
            "x": [0, 1] * 5,
            "y": [1, 2, 1, 3, 2, 2, 0, 5, 1, 1],
        }
    )


# --- small_multiples --------------------------------------------------------------------------


def test_small_multiples_draws_one_shared_panel_per_group(panel_data):
    figure, axes = small_multiples(
        panel_data, "group", lambda ax, rows: ax.plot(rows["x"], rows["y"]), ncols=3
    )
    assert list(axes) == ["a", "b", "c", "d", "e"]
    assert [ax.get_title() for ax in axes.values()] == ["a", "b", "c", "d", "e"]
    assert all(len(ax.lines) == 1 for ax in axes.values())
    # 2 x 3 grid, the sixth cell hidden; shared y: every panel has the same limits.
    assert len(figure.axes) == 6 and sum(ax.get_visible() for ax in figure.axes) == 5
    assert len({ax.get_ylim() for ax in axes.values()}) == 1
    assert_allclose(axes["d"].lines[0].get_ydata(), [0, 5])


def test_small_multiples_follows_the_given_order(panel_data):
    _, axes = small_multiples(panel_data, "group", lambda ax, rows: None, order=["e", "a"])
    assert list(axes) == ["e", "a"]


def test_small_multiples_rejects_bad_input(panel_data):
    draw = lambda ax, rows: None  # noqa: E731
    with pytest.raises(ValueError, match=r"data lacks column\(s\) \['panel'\]"):
        small_multiples(panel_data, "panel", draw)
    with pytest.raises(ValueError, match="data must have at least one row"):
        small_multiples(panel_data.iloc[:0], "group", draw)
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        small_multiples(panel_data.to_numpy(), "group", draw)
    with pytest.raises(TypeError, match="draw must be a function"):
        small_multiples(panel_data, "group", "plot")
    with pytest.raises(ValueError, match="ncols must be an integer >= 1, got 0"):
        small_multiples(panel_data, "group", draw, ncols=0)
    with pytest.raises(ValueError, match=r"order names value\(s\) \['z'\]"):
        small_multiples(panel_data, "group", draw, order=["a", "z"])
    with pytest.raises(ValueError, match="order is empty"):
        small_multiples(panel_data, "group", draw, order=[])


# --- marker_areas -----------------------------------------------------------------------------


def test_marker_areas_are_proportional_to_values():
    areas = marker_areas([100, 50, 25, 0], largest_area=200.0)
    assert_allclose(areas, [200.0, 100.0, 50.0, 0.0])
    # Twice the value, twice the area: the radius grows only by the square root of 2.
    assert_allclose(math.sqrt(areas[0] / areas[1]), math.sqrt(2))


def test_marker_areas_reject_bad_values():
    with pytest.raises(ValueError, match="values is empty"):
        marker_areas([])
    with pytest.raises(ValueError, match="finite and non-negative"):
        marker_areas([3, -1])
    with pytest.raises(ValueError, match="finite and non-negative"):
        marker_areas([3, np.inf])
    with pytest.raises(ValueError, match="all zero"):
        marker_areas([0, 0])
    with pytest.raises(TypeError, match="values must be numeric"):
        marker_areas(["ORD", "ATL"])
    with pytest.raises(ValueError, match="largest_area must be a finite number > 0, got 0"):
        marker_areas([1, 2], largest_area=0)


# --- airport_map ------------------------------------------------------------------------------


@pytest.fixture
def airports() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "faa": ["JFK", "LGA", "EWR", "ORD", "ATL", "ANC"],
            "lat": [40.64, 40.78, 40.69, 41.98, 33.64, 61.17],
            "lon": [-73.78, -73.87, -74.17, -87.90, -84.43, -149.99],
        }
    )


def test_airport_map_draws_three_layers_with_honest_sizes(airports):
    destinations = pd.DataFrame(
        {"flights": [200, 100, 7], "lat": [41.98, 33.64, np.nan], "lon": [-87.90, -84.43, np.nan]},
        index=["ORD", "ATL", "SJU"],
    )
    fig, ax = plt.subplots()
    airport_map(ax, airports, destinations, largest_area=300.0)
    background, drawn, origins = ax.collections
    assert len(background.get_offsets()) == 6
    assert len(drawn.get_offsets()) == 2  # SJU has no coordinates
    assert_allclose(drawn.get_sizes(), [300.0, 150.0])
    assert len(origins.get_offsets()) == 3
    assert ax.get_xlim() == CONTIGUOUS_US[:2] and ax.get_ylim() == CONTIGUOUS_US[2:]
    assert_allclose(ax.get_aspect(), 1 / math.cos(math.radians(37.0)))


def test_airport_map_rejects_bad_input(airports):
    destinations = pd.DataFrame({"flights": [1], "lat": [41.98], "lon": [-87.9]})
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"destinations lacks column\(s\) \['lon'\]"):
        airport_map(ax, airports, destinations.drop(columns="lon"))
    with pytest.raises(ValueError, match=r"airports lacks column\(s\) \['faa'\]"):
        airport_map(ax, airports.drop(columns="faa"), destinations)
    with pytest.raises(ValueError, match="destinations must have at least one row"):
        airport_map(ax, airports, destinations.iloc[:0])
    with pytest.raises(TypeError, match="airports must be a pandas DataFrame"):
        airport_map(ax, "airports", destinations)
    with pytest.raises(ValueError, match=r"origin\(s\) \['BOS'\] are not in the airports table"):
        airport_map(ax, airports, destinations, origins=["JFK", "BOS"])
    with pytest.raises(ValueError, match="extent must be"):
        airport_map(ax, airports, destinations, extent=(-60, -120, 20, 50))


# --- lie_factor -------------------------------------------------------------------------------


def test_lie_factor_of_honest_and_truncated_bars():
    assert lie_factor(10.0, 15.0) == pytest.approx(1.0)
    # Bars from 9: 10 and 15 are drawn 1 and 6 long, a 500 % increase for a 50 % one.
    assert lie_factor(10.0, 15.0, baseline=9.0) == pytest.approx(10.0)
    assert lie_factor(12.0, 12.0, baseline=5.0) == 1.0
    assert lie_factor(10.0, 20.0, baseline=-10.0) == pytest.approx(0.5)  # understated


def test_lie_factor_rejects_impossible_bars():
    with pytest.raises(ValueError, match="must lie above the baseline 12"):
        lie_factor(10.0, 15.0, baseline=12.0)
    with pytest.raises(ValueError, match="first must be positive"):
        lie_factor(0.0, 5.0, baseline=-1.0)
    with pytest.raises(TypeError, match="second must be a number, got str: '2'"):
        lie_factor(1.0, "2")
    with pytest.raises(ValueError, match="baseline must be a finite number, got nan"):
        lie_factor(1.0, 2.0, baseline=float("nan"))


# --- hostile input (issue 8) ------------------------------------------------------------------


@pytest.mark.hostile("dropped_rows")
def test_small_multiples_refuses_rows_without_a_facet_value(panel_data):
    panel_data.loc[3, "group"] = None
    with pytest.raises(ValueError, match=r"data\['group'\] has 1 missing value"):
        small_multiples(panel_data, "group", lambda ax, rows: None)


@pytest.mark.hostile("single_string")
def test_a_single_string_is_not_a_list_of_panels_or_origins(panel_data, airports):
    with pytest.raises(TypeError, match="order must be a list of facet values, got str: 'ab'"):
        small_multiples(panel_data, "group", lambda ax, rows: None, order="ab")
    destinations = pd.DataFrame({"flights": [1], "lat": [41.98], "lon": [-87.9]})
    fig, ax = plt.subplots()
    with pytest.raises(
        TypeError, match="origins must be a list of names, got the single string 'JFK'"
    ):
        airport_map(ax, airports, destinations, origins="JFK")


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_sizes_and_limits_are_refused(panel_data, airports, bad):
    with pytest.raises(ValueError, match=f"largest_area must be a finite number > 0, got {bad}"):
        marker_areas([1, 2], largest_area=bad)
    with pytest.raises(
        ValueError, match=rf"panel_size\[1\] must be a finite number > 0, got {bad}"
    ):
        small_multiples(panel_data, "group", lambda ax, rows: None, panel_size=(3.0, bad))
    destinations = pd.DataFrame({"flights": [1], "lat": [41.98], "lon": [-87.9]})
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=rf"extent\[2\] must be a finite number, got {bad}"):
        airport_map(ax, airports, destinations, extent=(-125, -66, bad, 50))
    with pytest.raises(ValueError, match=f"first must be a finite number, got {bad}"):
        lie_factor(bad, 2.0)


@pytest.mark.hostile("state_corruption")
def test_airport_map_draws_nothing_when_an_argument_is_wrong(airports):
    destinations = pd.DataFrame({"flights": [1], "lat": [41.98], "lon": [-87.9]})
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="largest_area must be a finite number > 0, got -1"):
        airport_map(ax, airports, destinations, largest_area=-1)
    assert not ax.collections  # once, the grey background was drawn before the error


@pytest.mark.hostile("bad_input")
def test_small_multiples_refuses_bad_options(panel_data):
    draw = lambda ax, rows: None  # noqa: E731
    with pytest.raises(ValueError, match=r"order names value\(s\) \['a'\] more than once"):
        small_multiples(panel_data, "group", draw, order=["a", "a"])
    with pytest.raises(TypeError, match="sharey must be True or False, got str: 'no'"):
        small_multiples(panel_data, "group", draw, sharey="no")
    with pytest.raises(TypeError, match="ncols must be an integer, got bool: True"):
        small_multiples(panel_data, "group", draw, ncols=True)
    with pytest.raises(
        ValueError, match=r"panel_size must be a pair \(width, height\), got \(3.0,\)"
    ):
        small_multiples(panel_data, "group", draw, panel_size=(3.0,))


@pytest.mark.hostile("bad_input")
def test_marker_areas_refuse_booleans_and_strings():
    with pytest.raises(TypeError, match="values must be numeric, got dtype bool"):
        marker_areas([True, False])
    with pytest.raises(TypeError, match="values must be numeric, got the string '12'"):
        marker_areas("12")
    with pytest.raises(TypeError, match="largest_area must be a number, got bool: True"):
        marker_areas([1, 2], largest_area=True)


@pytest.mark.hostile("bad_input")
def test_airport_map_refuses_text_coordinates_and_a_non_axes(airports):
    destinations = pd.DataFrame({"flights": ["1"], "lat": [41.98], "lon": [-87.9]})
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match=r"destinations\['flights'\] must be numeric, got dtype"):
        airport_map(ax, airports, destinations)
    with pytest.raises(TypeError, match=r"ax must be a matplotlib Axes .* got Figure"):
        airport_map(fig, airports, destinations.assign(flights=1))
    with pytest.raises(TypeError, match=r"extent must be \(west, east, south, north\), got 'US'"):
        airport_map(ax, airports, destinations.assign(flights=1), extent="US")


@pytest.mark.hostile("bad_input")
def test_lie_factor_refuses_booleans_and_accepts_numpy_scalars():
    with pytest.raises(TypeError, match="first must be a number, got bool: True"):
        lie_factor(True, 2.0)
    assert lie_factor(np.float32(10.0), np.int64(15), baseline=np.float64(9.0)) == pytest.approx(
        10.0
    )
