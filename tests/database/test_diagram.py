"""Tests of dlbigdata.database.diagram: the schema picture read from the catalogue."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from dlbigdata.database import plot_schema


def _arrows(ax):
    return [child for child in ax.texts if getattr(child, "arrow_patch", None) is not None]


def test_plot_schema_draws_every_table_and_key(con):
    fig, ax = plt.subplots()
    returned = plot_schema(
        con, {"airlines": (0.0, 1.0), "airports": (0.7, 1.0), "flights": (0.35, 1.0)}, ax=ax
    )
    assert returned is ax
    texts = [text.get_text() for text in ax.texts]
    assert {"airlines", "airports", "flights", "PK carrier", "FK carrier", "FK origin"} <= set(
        texts
    )
    assert len(_arrows(ax)) == 2  # flights.carrier -> airlines, flights.origin -> airports


def test_plot_schema_skips_keys_to_tables_not_drawn(con):
    ax = plot_schema(con, {"flights": (0.1, 0.9), "weather": (0.6, 0.9)})
    texts = [text.get_text() for text in ax.texts]
    assert "FK origin" in texts and "PK FK origin" in texts  # weather.origin is both
    assert not _arrows(ax)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "positions, error, message",
    [
        ({"gates": (0, 1)}, ValueError, "no table named 'gates'"),
        ([], TypeError, "positions must be a mapping of table name to .x, y., got list"),
        ({}, ValueError, "positions must name at least one table, got an empty mapping"),
        ({3: (0, 1)}, TypeError, "table must be a str naming a table, got int"),
        ({"airlines": (0, 1.5)}, ValueError, "<= 1, got 1.5"),
        ({"airlines": "top"}, TypeError, r"positions\['airlines'\] must be an \(x, y\) pair"),
    ],
)
def test_plot_schema_refuses_bad_positions(con, positions, error, message):
    with pytest.raises(error, match=message):
        plot_schema(con, positions)


@pytest.mark.hostile("bad_input")
def test_plot_schema_needs_a_connection():
    with pytest.raises(TypeError, match=r"con must be a sqlite3.Connection"):
        plot_schema("flights.db", {"airlines": (0, 1)})
