"""Tests of dlbigdata.integration.harmonise: code mappings, designators, harmonising a source."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from factories import integration_airlines, integration_flights
from numpy.testing import assert_array_equal

from dlbigdata import integration as ig

AIRLINES = integration_airlines()
SPECS = ig.SOURCE_SPECS
NAMES = dict(zip(AIRLINES["name"], AIRLINES["carrier"], strict=True))


def read(extracts, name, spec=None):
    return ig.read_extract(extracts[name], spec or SPECS[name])


# --- map_codes -----------------------------------------------------------------------------


def test_map_codes_translates_and_keeps_missing():
    names = pd.Series(["JetBlue Airways", None, "Endeavor Air Inc."])
    assert ig.map_codes(names, NAMES, "airline name").tolist() == ["B6", None, "9E"]


@pytest.mark.hostile("label_alignment")
def test_map_codes_keeps_the_index_even_shuffled_or_repeated():
    names = pd.Series(["JetBlue Airways", None, "Endeavor Air Inc."], index=[7, 7, 2])
    codes = ig.map_codes(names, NAMES, "airline name")
    assert codes.index.tolist() == [7, 7, 2] and codes.tolist() == ["B6", None, "9E"]


@pytest.mark.hostile("bad_input")
def test_map_codes_names_unknown_values_and_the_accepted_ones():
    with pytest.raises(
        ValueError,
        match=r"unknown airline name\(s\) \['Acme Air'\] in 2 row\(s\) in "
        r"jfk_tower; accepted: \['American Airlines Inc.'",
    ):
        ig.map_codes(
            pd.Series(["Acme Air", "JetBlue Airways", "Acme Air"]),
            NAMES,
            "airline name",
            "jfk_tower",
        )


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "values, mapping, error, match",
    [
        (["UA"], {"UA": "United"}, TypeError, r"values must be a pandas Series, got list"),
        (
            pd.Series(["UA"]),
            [("UA", "United")],
            TypeError,
            r"mapping must be a mapping .*got list",
        ),
        (
            pd.Series(["UA"]),
            pd.Series({"UA": "United"}),
            TypeError,
            r"mapping must be a mapping \(a dict\).*got Series",
        ),
    ],
)
def test_map_codes_refuses_what_is_not_a_series_or_a_mapping(values, mapping, error, match):
    with pytest.raises(error, match=match):
        ig.map_codes(values, mapping, "airline code")


@pytest.mark.hostile("single_string")
def test_map_codes_refuses_a_single_string_for_the_values():
    with pytest.raises(TypeError, match=r"values must be a pandas Series, got str: 'UA'"):
        ig.map_codes("UA", {"UA": "United"}, "airline code")


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("mapping", [{"UA": None}, {"UA": np.nan}, {np.nan: "United"}])
def test_map_codes_refuses_a_missing_translation(mapping):
    with pytest.raises(ValueError, match=r"mapping must not hold missing keys or translations"):
        ig.map_codes(pd.Series(["UA"]), mapping, "airline code")


# --- split_flight_designator ---------------------------------------------------------------


def test_split_flight_designator():
    carrier, number = ig.split_flight_designator(pd.Series(["UA1545", "9E3286", "B61"]))
    assert carrier.tolist() == ["UA", "9E", "B6"]
    assert_array_equal(number, [1545, 3286, 1])
    with pytest.raises(
        ValueError, match=r"1 flight designator\(s\) in lga .*e.g. 'UA1545'\): \['UA-15'\]"
    ):
        ig.split_flight_designator(pd.Series(["UA15", "UA-15"]), "lga")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("value", ["UA15\n", " UA15", "ua15", "1545", "UA15451", None])
def test_split_flight_designator_refuses_near_misses(value):
    with pytest.raises(ValueError, match=r"1 flight designator\(s\) do not match .*: \["):
        ig.split_flight_designator(pd.Series(["UA15", value]))


@pytest.mark.hostile("single_string")
def test_split_flight_designator_refuses_a_single_string():
    with pytest.raises(TypeError, match=r"values must be a pandas Series, got str: 'UA1545'"):
        ig.split_flight_designator("UA1545")


# --- harmonise -----------------------------------------------------------------------------


def test_each_source_harmonises_to_its_part_of_the_flights(extracts):
    flights = integration_flights()
    for origin, name in [("EWR", "ewr_operations"), ("LGA", "lga_partner")]:
        part = ig.harmonise(read(extracts, name), SPECS[name], AIRLINES)
        assert ig.compare_to_reference(part, flights[flights["origin"] == origin]).sum() == 0
    ua = ig.harmonise(read(extracts, "ua_feed"), SPECS["ua_feed"], AIRLINES)
    assert set(ua["carrier"]) == {"UA"} and ua["month"].nunique() == 1
    assert ua["time_hour"].dt.tz is not None


def test_units_written_as_symbols_harmonise_the_same(extracts):
    jfk = SPECS["jfk_tower"]
    short = dataclasses.replace(
        jfk, units={"dep_delay": "s", "arr_delay": "s", "air_time": "h", "distance": "km"}
    )
    raw = read(extracts, "jfk_tower")
    pd.testing.assert_frame_equal(
        ig.harmonise(raw, short, AIRLINES), ig.harmonise(raw, jfk, AIRLINES)
    )


@pytest.mark.hostile("label_alignment")
@pytest.mark.parametrize("index", [lambda n: np.arange(n)[::-1], lambda n: np.ones(n, int)])
def test_the_index_of_raw_plays_no_part(extracts, index):
    spec = SPECS["lga_partner"]
    raw = read(extracts, "lga_partner")
    relabelled = raw.set_axis(index(len(raw)))
    pd.testing.assert_frame_equal(
        ig.harmonise(relabelled, spec, AIRLINES), ig.harmonise(raw, spec, AIRLINES)
    )


@pytest.mark.hostile("bad_input")
def test_missing_column_is_named(extracts):
    raw = read(extracts, "ewr_operations")
    with pytest.raises(ValueError, match=r"ewr_operations: missing column\(s\) \['DEP_DELAY'\]"):
        ig.harmonise(raw.drop(columns="DEP_DELAY"), SPECS["ewr_operations"], AIRLINES)


@pytest.mark.hostile("bad_input")
def test_harmonise_refuses_arguments_of_the_wrong_kind(extracts):
    spec = SPECS["ewr_operations"]
    raw = read(extracts, "ewr_operations")
    with pytest.raises(TypeError, match=r"raw must be a pandas DataFrame, got dict"):
        ig.harmonise(raw.to_dict(), spec, AIRLINES)
    with pytest.raises(TypeError, match=r"spec must be a SourceSpec .*got str: 'ewr_operations'"):
        ig.harmonise(raw, "ewr_operations", AIRLINES)
    twice = pd.concat([raw, raw[["DEST"]]], axis=1)
    with pytest.raises(
        ValueError, match=r"ewr_operations: raw must have unique column names, got \['DEST'\]"
    ):
        ig.harmonise(twice, spec, AIRLINES)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "airlines, match",
    [
        (AIRLINES.drop(columns="name"), r"airlines lacks column\(s\) \['name'\]"),
        (pd.concat([AIRLINES, AIRLINES.iloc[[0]]]), r"airlines.carrier must be unique .*\['9E'\]"),
        (AIRLINES.assign(carrier=[None, "AA", "B6", "UA"]), r"airlines.carrier is missing in 1"),
    ],
)
def test_airlines_must_map_both_ways(extracts, airlines, match):
    spec = SPECS["ewr_operations"]
    with pytest.raises(ValueError, match=match):
        ig.harmonise(read(extracts, "ewr_operations"), spec, airlines)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "name, column, value, match",
    [
        (
            "ewr_operations",
            "DEP_DELAY",
            "abc",
            r"column 'DEP_DELAY' holds non-numbers \['abc'\] in 1 row\(s\); "
            r"accepted: numbers with '.' as decimal mark",
        ),
        ("ewr_operations", "DISTANCE", "inf", r"'DISTANCE' holds non-numbers \['inf'\]"),
        ("ewr_operations", "DEP_DELAY", "-Infinity", r"'DEP_DELAY' holds non-numbers"),
        (
            "lga_partner",
            "Entfernung_km",
            "12.5",
            r"'Entfernung_km' holds non-numbers \['12.5'\].*','",
        ),
        (
            "jfk_tower",
            "airline",
            "Acme Air",
            r"unknown airline name\(s\) \['Acme Air'\].*accepted: "
            r"\['American Airlines Inc.', 'Endeavor Air Inc.'",
        ),
        (
            "ewr_operations",
            "OP_CARRIER",
            "ZZ",
            r"unknown airline code\(s\) \['ZZ'\].*\['9E', 'AA'",
        ),
        (
            "ewr_operations",
            "OP_CARRIER_FL_NUM",
            "-3",
            r"'OP_CARRIER_FL_NUM' must hold whole flight",
        ),
        ("lga_partner", "Flug", "UA-7", r"do not match .*: \['UA-7'\]"),
        (
            "lga_partner",
            "Abflug_Plan",
            "25:99",
            r"'Abflug_Plan' holds invalid clock times \['25:99'\]; accepted: HH:MM",
        ),
        (
            "ewr_operations",
            "FL_DATE",
            "01/02/2013",
            r"'FL_DATE' holds dates not in format '%Y-%m-%d': \['01/02/2013'\]",
        ),
        (
            "jfk_tower",
            "scheduled_utc",
            "2013-01-01 10:40",
            r"invalid timestamps \['2013-01-01 10:40'\]; "
            r"accepted: ISO 8601 like '2013-01-01T10:15:00Z'",
        ),
        ("ua_feed", "tail", 14228, r"ua_feed: column 'tail' must hold text, got \[14228\]"),
    ],
)
def test_bad_values_get_a_clear_error_and_change_nothing(extracts, name, column, value, match):
    spec = SPECS[name]
    raw = read(extracts, name)
    good = ig.harmonise(raw, spec, AIRLINES)
    bad = raw.astype({column: object})
    bad.loc[0, column] = value
    snapshot = bad.copy()
    with pytest.raises(ValueError, match=match):
        ig.harmonise(bad, spec, AIRLINES)
    pd.testing.assert_frame_equal(bad, snapshot)  # the input is left as it was
    pd.testing.assert_frame_equal(ig.harmonise(raw, spec, AIRLINES), good)


@pytest.mark.hostile("dropped_rows")
@pytest.mark.parametrize(
    "name, column, match",
    [
        (
            "ewr_operations",
            "OP_CARRIER",
            r"carrier is missing in 1 row\(s\) \(column 'OP_CARRIER'",
        ),
        ("ewr_operations", "ORIGIN", r"origin is missing in 1 row\(s\) \(column 'ORIGIN', rows"),
        ("ua_feed", "from", r"ua_feed: origin is missing in 1 row\(s\)"),
    ],
)
def test_a_missing_key_value_is_refused_not_matched_later(extracts, name, column, match):
    raw = read(extracts, name)
    raw.loc[0, column] = " " if name == "ua_feed" else None  # blank text is missing too
    with pytest.raises(ValueError, match=match + r".*every flight needs all of \['origin'"):
        ig.harmonise(raw, SPECS[name], AIRLINES)


def test_a_wrong_unit_in_the_spec_is_caught(extracts):
    wrong = dataclasses.replace(
        SPECS["jfk_tower"], units={**SPECS["jfk_tower"].units, "distance": "miles"}
    )
    with pytest.raises(
        ValueError,
        match=r"distance converted from miles gives values that are not whole "
        r"miles .*check the unit the spec declares",
    ):
        ig.harmonise(read(extracts, "jfk_tower", wrong), wrong, AIRLINES)
