"""Tests of dlbigdata.warehouse.diagram: the star schema figure."""

from __future__ import annotations

import pytest

from dlbigdata import warehouse as wh


def test_schema_figure_draws_every_table_and_key():
    ax = wh.plot_star_schema(max_columns=3)
    texts = [text.get_text() for text in ax.texts]
    assert all(table in texts for table in wh.STAR_SCHEMA)
    assert "FK date_key" in texts and "PK flight_key" in texts
    assert "+ 10 more" in texts  # the fact table: its 7 keys, then the rest summarised
    assert len(ax.patches) == len(wh.STAR_SCHEMA)
    arrows = [text for text in ax.texts if getattr(text, "arrow_patch", None) is not None]
    assert len(arrows) == len(wh.FOREIGN_KEYS)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "max_columns, error, match",
    [
        (0, ValueError, "max_columns must be an integer >= 1, got 0"),
        (2.5, TypeError, "max_columns must be an integer, got float: 2.5"),
        (True, TypeError, "max_columns must be an integer, got bool"),
    ],
)
def test_schema_figure_refuses_bad_max_columns(max_columns, error, match):
    with pytest.raises(error, match=match):
        wh.plot_star_schema(max_columns=max_columns)
