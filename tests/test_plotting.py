"""Tests of dlbigdata.plotting: the house style and the labelling helpers."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from dlbigdata.plotting import PALETTE, annotate_bars, finish, plot_table_diagram, use_house_style


def test_house_style_sets_palette_and_removes_spines():
    use_house_style()
    colours = [c["color"].lower() for c in mpl.rcParams["axes.prop_cycle"]]
    assert colours[: len(PALETTE)] == [c.lower() for c in PALETTE]
    assert mpl.rcParams["axes.spines.top"] is False


def test_finish_labels_axes_and_notes_source():
    fig, ax = plt.subplots()
    finish(ax, "Delays grow", "hour", "minutes", source="nycflights13")
    assert ax.get_title() == "Delays grow"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("hour", "minutes")
    assert any("Source: nycflights13" in text.get_text() for text in ax.texts)


def test_finish_requires_a_title():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="title must be a non-empty string"):
        finish(ax, "  ")


def test_annotate_bars_writes_one_label_per_bar():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [3, 1200])
    annotate_bars(ax, [3, 1200])
    assert [t.get_text() for t in ax.texts] == ["3", "1,200"]
    fig, ax = plt.subplots()
    ax.barh(["a"], [0.5])
    annotate_bars(ax, [0.5], fmt="{:.0%}", orientation="horizontal")
    assert ax.texts[0].get_text() == "50%"


def test_annotate_bars_rejects_mismatch_and_bad_orientation():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    with pytest.raises(ValueError, match="got 1 values for 2 bars"):
        annotate_bars(ax, [1])
    with pytest.raises(
        ValueError, match="orientation must be one of 'vertical', 'horizontal'; got 'up'"
    ):
        annotate_bars(ax, [1, 2], orientation="up")


TABLES = {
    "airlines": [("carrier", "PK"), ("name", "")],
    "flights": [("id", "PK"), ("carrier", "FK"), ("dest", "")],
}
POSITIONS = {"flights": (0.05, 0.9), "airlines": (0.6, 0.9)}
LINKS = [("flights", "carrier", "airlines", "carrier")]


def _texts(ax):
    return [text.get_text() for text in ax.texts]


def _arrows(ax):
    return [text.arrow_patch for text in ax.texts if getattr(text, "arrow_patch", None)]


def test_table_diagram_draws_a_box_per_table_and_an_arrow_per_link():
    ax = plot_table_diagram(TABLES, POSITIONS, LINKS, highlight="flights")
    assert {"airlines", "flights", "PK carrier", "FK carrier", "dest"} <= set(_texts(ax))
    arrows = _arrows(ax)
    boxes = [patch for patch in ax.patches if type(patch).__name__ == "FancyBboxPatch"]
    assert len(boxes) == 2 and len(arrows) == 1
    arrow = next(text for text in ax.texts if getattr(text, "arrow_patch", None))
    assert arrow.xyann[0] < arrow.xy[0]  # from the child's right edge to the parent's left
    assert ax.get_xticks().size == 0


def test_table_diagram_skips_tables_and_links_not_positioned():
    ax = plot_table_diagram(TABLES, {"flights": (0.1, 0.9)}, LINKS)
    assert "airlines" not in _texts(ax)
    assert not _arrows(ax)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "tables, positions, links, error, message",
    [
        ([], POSITIONS, LINKS, TypeError, "tables must be a non-empty mapping"),
        ({"t": "ab"}, {"t": (0, 1)}, [], TypeError, r"tables\['t'\] must be a non-empty list"),
        ({"t": [("a", "PRIMARY")]}, {"t": (0, 1)}, [], ValueError, "role of t.a"),
        (TABLES, {"nope": (0, 1)}, [], ValueError, "positions names 'nope'"),
        (TABLES, {"flights": (0, 2)}, [], ValueError, r"<= 1, got 2"),
        (TABLES, {"flights": (float("nan"), 0.5)}, [], ValueError, "got nan"),
        (TABLES, POSITIONS, [("flights", "carrier")], TypeError, "each link must be"),
        (
            TABLES,
            POSITIONS,
            [("flights", "x", "airlines", "carrier")],
            ValueError,
            "no column 'x'",
        ),
        (TABLES, POSITIONS, [("flights", "id", "nope", "id")], ValueError, "unknown table 'nope'"),
        (TABLES, POSITIONS, "ab", TypeError, "links must be a list"),
    ],
)
def test_table_diagram_refuses_inconsistent_descriptions(tables, positions, links, error, message):
    with pytest.raises(error, match=message):
        plot_table_diagram(tables, positions, links)


@pytest.mark.hostile("bad_input")
def test_table_diagram_refuses_an_unknown_highlight():
    with pytest.raises(ValueError, match="highlight must be one of 'flights', 'airlines'"):
        plot_table_diagram(TABLES, POSITIONS, LINKS, highlight="planes")
