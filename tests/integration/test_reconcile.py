"""Tests of dlbigdata.integration.reconcile: stacking, de-duplication, the report, the check."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from factories import integration_airlines, integration_flights

from dlbigdata import integration as ig

AIRLINES = integration_airlines()
EWR = ig.SOURCE_SPECS["ewr_operations"]
SPECS_AB = {
    "a": dataclasses.replace(EWR, name="a", priority=1),
    "b": dataclasses.replace(EWR, name="b", priority=0),
}


def integrate(paths):
    harmonised = {
        name: ig.harmonise(
            ig.read_extract(path, ig.SOURCE_SPECS[name]), ig.SOURCE_SPECS[name], AIRLINES
        )
        for name, path in paths.items()
    }
    stacked = ig.stack_sources(harmonised, ig.SOURCE_SPECS)
    kept, dropped = ig.deduplicate(stacked)
    return stacked, kept, dropped


def two_sources():
    """Source a repeats its row 0; source b (smaller priority) has row 1 with another delay."""
    base = integration_flights().iloc[:3]
    a = pd.concat([base, base.iloc[[0]]], ignore_index=True)
    b = base.iloc[[1]].assign(arr_delay=99.0)
    return ig.stack_sources({"a": a, "b": b}, SPECS_AB)


def test_round_trip_recovers_the_original_flights(extracts):
    stacked, kept, dropped = integrate(extracts)
    differences = ig.compare_to_reference(kept, integration_flights())
    assert differences.sum() == 0, differences[differences > 0]
    report = ig.reconciliation_report(stacked, kept, dropped)
    assert report["balanced"].all()
    assert report.loc["total", "rows_out"] == len(integration_flights())
    assert report.loc["total", "rows_in"] == report.loc["total", "rows_out"] + len(dropped)
    assert report.loc["total", "dropped_disagreeing"] == 0


def test_deduplication_rule_and_reasons():
    stacked = two_sources()
    kept, dropped = ig.deduplicate(stacked)
    assert len(kept) == 3 and len(dropped) == 2
    assert kept.set_index("flight").loc[1141, "source"] == "b"  # b has the smaller priority
    reasons = dropped.set_index("source_row")[["reason", "kept_source", "agrees"]]
    assert reasons.loc[3].tolist() == [ig.REASON_REPEATED, "a", True]
    assert reasons.loc[1].tolist() == [ig.REASON_SUPERSEDED, "b", False]
    report = ig.reconciliation_report(stacked, kept, dropped)
    assert report.loc["a", "rows_in"] == 4 and report.loc["a", "rows_out"] == 2
    assert report.loc["total", "dropped_disagreeing"] == 1
    assert report["balanced"].all()


@pytest.mark.hostile("dropped_rows")
def test_rows_with_a_missing_key_never_match_and_never_vanish():
    stacked = two_sources()
    stacked["carrier"] = stacked["carrier"].astype(object)
    stacked.loc[[0, 3], "carrier"] = None  # a's row 0 and its repeat: now without a carrier
    kept, dropped = ig.deduplicate(stacked)
    assert len(kept) + len(dropped) == len(stacked)
    assert kept["carrier"].isna().sum() == 2  # both kept, neither taken for the other
    assert ig.REASON_REPEATED not in set(dropped["reason"])
    report = ig.reconciliation_report(stacked, kept, dropped)
    assert report["balanced"].all() and report.loc["total", "rows_out"] == 4


@pytest.mark.hostile("dropped_rows")
def test_compare_counts_a_missing_key_as_unmatched_not_as_equal():
    flights = integration_flights()
    flights["origin"] = flights["origin"].astype(object)
    flights.loc[[0, 1], "origin"] = None  # two rows that NaN = NaN would call the same flight
    differences = ig.compare_to_reference(flights, flights)
    assert differences["missing rows"] == 2 and differences["extra rows"] == 2
    assert differences.drop(["missing rows", "extra rows"]).sum() == 0


@pytest.mark.hostile("label_alignment")
def test_stacking_numbers_rows_by_position_whatever_the_index():
    flights = integration_flights().iloc[:4]
    shuffled = flights.set_axis([9, 9, 3, 1])
    stacked = ig.stack_sources({"a": shuffled}, SPECS_AB)
    assert stacked["source_row"].tolist() == [0, 1, 2, 3]
    pd.testing.assert_frame_equal(
        stacked, ig.stack_sources({"a": flights.reset_index(drop=True)}, SPECS_AB)
    )
    reordered = ig.compare_to_reference(flights.iloc[::-1], flights)
    assert reordered.sum() == 0  # matched by key, not by position


def test_compare_to_reference_finds_differences():
    flights = integration_flights()
    changed = flights.copy()
    changed.loc[0, "distance"] = 1
    changed = changed.drop(index=1)
    differences = ig.compare_to_reference(changed, flights)
    assert differences["distance"] == 1 and differences["missing rows"] == 1
    assert differences.drop(["distance", "missing rows"]).sum() == 0
    with pytest.raises(ValueError, match=r"not unique in table: 1 repeated row"):
        ig.compare_to_reference(pd.concat([flights, flights.iloc[[0]]]), flights)
    with pytest.raises(ValueError, match=r"table is missing column\(s\) \['distance'\]"):
        ig.compare_to_reference(flights.drop(columns="distance"), flights)


@pytest.mark.hostile("lax_answer_check")
@pytest.mark.parametrize(
    "column, change",
    [
        ("distance", lambda s: s.astype(str)),  # "1400" is not 1400
        ("dep_delay", lambda s: s.notna() & (s != 0)),  # True is not 1.0
        ("time_hour", lambda s: s.dt.tz_localize(None)),  # the wall clock is not the time
    ],
)
def test_compare_counts_a_value_of_another_kind_as_a_difference(column, change):
    flights = integration_flights()
    changed = flights.assign(**{column: change(flights[column])})
    differences = ig.compare_to_reference(changed, flights)
    assert differences[column] >= len(flights) - 2 and differences.sum() == differences[column]


@pytest.mark.hostile("bad_input")
def test_compare_refuses_what_is_not_a_table():
    with pytest.raises(TypeError, match=r"reference must be a pandas DataFrame, got list"):
        ig.compare_to_reference(integration_flights(), [1])


@pytest.mark.hostile("single_string")
@pytest.mark.parametrize("argument", ["columns", "key"])
def test_compare_refuses_a_single_string_for_a_list_of_names(argument):
    flights = integration_flights()
    with pytest.raises(TypeError, match=rf"{argument} must be a list of names, got the single"):
        ig.compare_to_reference(flights, flights, **{argument: "distance"})


@pytest.mark.hostile("bad_input")
def test_stack_sources_refuses_unknown_or_raw_sources():
    with pytest.raises(
        ValueError, match=r"no spec for source 'mystery'; specs exist for \['ewr_operations'"
    ):
        ig.stack_sources({"mystery": integration_flights()}, ig.SOURCE_SPECS)
    with pytest.raises(ValueError, match=r"lacks canonical column\(s\) \['year'"):
        ig.stack_sources({"ua_feed": pd.DataFrame({"flight": ["UA1"]})}, ig.SOURCE_SPECS)
    with pytest.raises(ValueError, match="harmonised must hold at least one source"):
        ig.stack_sources({}, ig.SOURCE_SPECS)
    with pytest.raises(TypeError, match=r"specs\['a'\] must be a SourceSpec, got str"):
        ig.stack_sources({"a": integration_flights()}, {"a": "ewr_operations"})


@pytest.mark.hostile("single_string")
@pytest.mark.parametrize("harmonised", ["ewr_operations", ["ewr_operations"]])
def test_stack_sources_refuses_a_name_or_a_list_for_the_mapping(harmonised):
    with pytest.raises(TypeError, match=r"harmonised must be a mapping of source name"):
        ig.stack_sources(harmonised, ig.SOURCE_SPECS)


@pytest.mark.hostile("bad_input")
def test_deduplicate_needs_stacked_rows():
    with pytest.raises(ValueError, match=r"stacked lacks column.*use stack_sources first"):
        ig.deduplicate(integration_flights())
    with pytest.raises(TypeError, match=r"stacked must be a pandas DataFrame, got dict"):
        ig.deduplicate({})


@pytest.mark.hostile("single_string")
def test_deduplicate_refuses_a_single_string_for_the_key():
    with pytest.raises(TypeError, match=r"key must be a list of names, got the single string"):
        ig.deduplicate(two_sources(), key="flight")


@pytest.mark.hostile("nan_parameter")
def test_deduplicate_refuses_a_missing_priority():
    stacked = two_sources()
    stacked["priority"] = stacked["priority"].astype(float)
    stacked.loc[4, "priority"] = np.nan  # would sort last and lose to every source
    with pytest.raises(ValueError, match=r"stacked\['priority'\] is missing in 1 row\(s\)"):
        ig.deduplicate(stacked)


@pytest.mark.hostile("dropped_rows")
def test_the_report_refuses_rows_it_could_not_count():
    stacked = two_sources()
    kept, dropped = ig.deduplicate(stacked)
    other = kept.assign(source=kept["source"].replace({"a": "c"}))
    with pytest.raises(ValueError, match=r"kept holds rows of source\(s\) \['c'\] that are not"):
        ig.reconciliation_report(stacked, other, dropped)
    with pytest.raises(ValueError, match=r"dropped\['reason'\] holds \['typo'\]; accepted"):
        ig.reconciliation_report(stacked, kept, dropped.assign(reason="typo"))


@pytest.mark.hostile("bad_input")
def test_the_report_refuses_frames_that_are_not_from_deduplicate():
    stacked = two_sources()
    kept, dropped = ig.deduplicate(stacked)
    with pytest.raises(TypeError, match=r"dropped\['agrees'\] must hold True or False"):
        ig.reconciliation_report(stacked, kept, dropped.assign(agrees="yes"))
    with pytest.raises(ValueError, match=r"dropped lacks column\(s\) \['reason'\]"):
        ig.reconciliation_report(stacked, kept, dropped.drop(columns="reason"))
    with pytest.raises(TypeError, match=r"kept must be a pandas DataFrame, got tuple"):
        ig.reconciliation_report(stacked, (kept, dropped), dropped)
