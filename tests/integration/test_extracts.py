"""Tests of dlbigdata.integration.extracts: writing the extracts, reading them back strictly."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from factories import integration_airlines, integration_flights

from dlbigdata import integration as ig

AIRLINES = integration_airlines()
SPECS = ig.SOURCE_SPECS


def rewrite(path, edit, encoding):
    """Decode a file, edit its lines (a list, line breaks kept) and write it back."""
    lines = path.read_bytes().decode(encoding).splitlines(keepends=True)
    path.write_bytes("".join(edit(lines)).encode(encoding))


# --- writing -------------------------------------------------------------------------------


def test_extracts_are_deterministic_and_in_their_own_conventions(tmp_path, extracts):
    again = tmp_path / "again"
    again.mkdir()
    second = ig.write_source_extracts(integration_flights(), AIRLINES, again, seed=3)
    for name, path in extracts.items():
        assert path.read_bytes() == second[name].read_bytes(), name
    assert extracts["jfk_tower"].read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")  # UTF-16 BOM
    lga = extracts["lga_partner"].read_bytes().decode("latin-1")
    assert "Verspätung_Abflug_h" in lga and ";00:00;" in lga.replace("\r", "")  # at midnight
    with pytest.raises(UnicodeDecodeError):
        extracts["lga_partner"].read_bytes().decode("utf-8")


@pytest.mark.hostile("label_alignment")
@pytest.mark.parametrize(
    "index", [lambda n: np.arange(n)[::-1] * 10, lambda n: np.zeros(n, int)], ids=["rev", "dup"]
)
def test_the_index_of_the_flights_plays_no_part(tmp_path, extracts, index):
    flights = integration_flights()
    relabelled = flights.set_axis(index(len(flights)))
    (tmp_path / "relabelled").mkdir()
    paths = ig.write_source_extracts(relabelled, AIRLINES, tmp_path / "relabelled", seed=3)
    for name in paths:  # the extracts fixture wrote the same flights with a plain index
        assert paths[name].read_bytes() == extracts[name].read_bytes(), name


@pytest.mark.hostile("bad_input")
def test_write_needs_columns_and_a_folder(tmp_path):
    flights = integration_flights()
    with pytest.raises(ValueError, match=r"flights lacks column\(s\) \['time_hour'\]"):
        ig.write_source_extracts(flights.drop(columns="time_hour"), AIRLINES, tmp_path)
    with pytest.raises(ValueError, match=r"directory .*missing does not exist"):
        ig.write_source_extracts(flights, AIRLINES, tmp_path / "missing")
    with pytest.raises(TypeError, match=r"directory must be a folder path .*got int: 5"):
        ig.write_source_extracts(flights, AIRLINES, 5)
    with pytest.raises(TypeError, match=r"flights must be a pandas DataFrame, got list"):
        ig.write_source_extracts([1, 2], AIRLINES, tmp_path)
    with pytest.raises(ValueError, match=r"flights must have at least one row"):
        ig.write_source_extracts(flights.iloc[:0], AIRLINES, tmp_path)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "change, error, match",
    [
        (
            lambda f: f.assign(time_hour=f["time_hour"].dt.tz_localize(None)),
            TypeError,
            r"flights\['time_hour'\] must hold time-zone-aware datetimes",
        ),
        (
            lambda f: f.assign(flight=f["flight"] + 0.5),
            TypeError,
            r"flights\['flight'\] must hold whole numbers, got dtype float64",
        ),
        (
            lambda f: f.assign(distance=f["distance"].astype(str)),
            TypeError,
            r"flights\['distance'\] must be numeric",
        ),
    ],
)
def test_write_refuses_columns_of_the_wrong_type(tmp_path, change, error, match):
    with pytest.raises(error, match=match):
        ig.write_source_extracts(change(integration_flights()), AIRLINES, tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.hostile("dropped_rows")
@pytest.mark.parametrize("column", ["carrier", "origin", "flight", "time_hour"])
def test_write_refuses_a_missing_key_value(tmp_path, column):
    flights = integration_flights()
    flights[column] = flights[column].astype(object) if column != "time_hour" else flights[column]
    flights.loc[2, column] = None
    with pytest.raises(ValueError, match=rf"flights\['{column}'\] is missing in 1 row\(s\)"):
        ig.write_source_extracts(flights, AIRLINES, tmp_path)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize(
    "seed, error, match",
    [
        (float("nan"), TypeError, r"seed must be an integer, got float: nan"),
        (True, TypeError, r"seed must be an integer, got bool"),
        (-1, ValueError, r"seed must be an integer >= 0, got -1"),
    ],
)
def test_write_refuses_a_seed_that_is_not_a_whole_number(tmp_path, seed, error, match):
    with pytest.raises(error, match=match):
        ig.write_source_extracts(integration_flights(), AIRLINES, tmp_path, seed=seed)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "airlines, error, match",
    [
        (AIRLINES.drop(columns="name"), ValueError, r"airlines lacks column\(s\) \['name'\]"),
        (
            pd.concat([AIRLINES, AIRLINES.iloc[[0]]]),
            ValueError,
            r"airlines.carrier must be unique .*repeated: \['9E'\]",
        ),
        (
            AIRLINES.assign(name=[None, *AIRLINES["name"][1:]]),
            ValueError,
            r"airlines.name is missing in 1 row\(s\)",
        ),
        (dict(AIRLINES), TypeError, r"airlines must be a pandas DataFrame, got dict"),
    ],
)
def test_write_needs_airlines_that_map_both_ways(tmp_path, airlines, error, match):
    with pytest.raises(error, match=match):
        ig.write_source_extracts(integration_flights(), airlines, tmp_path)


@pytest.mark.hostile("state_corruption")
def test_nothing_is_written_when_one_extract_cannot_be(tmp_path):
    flights = integration_flights()
    flights.loc[flights["origin"] == "LGA", "tailnum"] = "N€1"  # not in Latin-1
    with pytest.raises(ValueError, match=r"lga_partner: the value '€' cannot be written in latin"):
        ig.write_source_extracts(flights, AIRLINES, tmp_path)
    assert not list(tmp_path.iterdir())


# --- reading: what is accepted -------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="ewr_operations: no file"):
        ig.read_extract(tmp_path / "nothing.csv", SPECS["ewr_operations"])


def test_every_value_is_read_as_text_empty_as_missing(extracts):
    raw = ig.read_extract(extracts["ewr_operations"], SPECS["ewr_operations"])
    assert list(raw.columns) == list(SPECS["ewr_operations"].columns)
    assert all(pd.api.types.is_string_dtype(raw[c]) for c in raw.columns)
    assert raw["DEP_DELAY"].isna().sum() == 0 and raw["TAIL_NUM"].notna().all()
    lga = ig.read_extract(extracts["lga_partner"], SPECS["lga_partner"])
    assert lga["Abflug_Ist"].isna().sum() == 1  # the cancelled flight


def test_windows_line_breaks_read_the_same(extracts):
    spec = SPECS["ewr_operations"]
    before = ig.read_extract(extracts["ewr_operations"], spec)
    rewrite(extracts["ewr_operations"], lambda ls: [x.replace("\n", "\r\n") for x in ls], "utf-8")
    pd.testing.assert_frame_equal(ig.read_extract(extracts["ewr_operations"], spec), before)


def test_a_header_without_rows_is_an_empty_extract(extracts):
    rewrite(extracts["lga_partner"], lambda lines: lines[:1], "latin-1")
    raw = ig.read_extract(extracts["lga_partner"], SPECS["lga_partner"])
    assert raw.empty and list(raw.columns) == list(SPECS["lga_partner"].columns)
    assert len(ig.harmonise(raw, SPECS["lga_partner"], AIRLINES)) == 0


@pytest.mark.hostile("bad_input")
def test_read_refuses_what_is_not_a_path_or_a_spec(extracts):
    with pytest.raises(TypeError, match=r"path must be a file path .*got int: 3"):
        ig.read_extract(3, SPECS["ewr_operations"])
    with pytest.raises(TypeError, match=r"spec must be a SourceSpec .*got str: 'ewr_operations'"):
        ig.read_extract(extracts["ewr_operations"], "ewr_operations")


# --- reading: malformed files ---------------------------------------------------------------


@pytest.mark.hostile("malformed_file")
def test_missing_column_is_named(extracts):
    spec = SPECS["ewr_operations"]
    raw = ig.read_extract(extracts["ewr_operations"], spec)
    raw.drop(columns="DEP_DELAY").to_csv(
        extracts["ewr_operations"], index=False, encoding=spec.encoding
    )
    with pytest.raises(
        ValueError,
        match=r"ewr_operations: missing column\(s\) \['DEP_DELAY'\]; found \[.*in line 1 "
        r"\(the header\) of ewr_operations.csv",
    ):
        ig.read_extract(extracts["ewr_operations"], spec)


@pytest.mark.hostile("malformed_file")
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
            r"ewr_operations.csv is not valid utf-8-sig text \(byte 200, line 3",
        ),
        (
            "ewr_operations",
            lambda data: data + b"2013-01-01,UA,1,N1,EWR,IAH,515,517,2,11,227,1400,9,9\n",
            r"ewr_operations.csv is not well-formed csv: line 8 has 14 field\(s\), expected 12",
        ),
        ("ua_feed", lambda data: data[:-20], r"ua_feed.jsonl is not well-formed jsonl"),
        ("ewr_operations", lambda data: b"", r"ewr_operations.csv is empty; expected a header"),
        ("ua_feed", lambda data: b"", r"ua_feed.jsonl is empty; expected one JSON object"),
    ],
)
def test_corrupted_files_are_named(extracts, name, corrupt, match):
    path = extracts[name]
    path.write_bytes(corrupt(path.read_bytes()))
    with pytest.raises(ValueError, match=match):
        ig.read_extract(path, SPECS[name])


@pytest.mark.hostile("malformed_file")
@pytest.mark.parametrize("name", list(SPECS))
@pytest.mark.parametrize("cut", [1, 2, 5])
def test_a_file_cut_short_is_refused_not_read(extracts, name, cut):
    path = extracts[name]
    data = path.read_bytes()
    if SPECS[name].encoding == "utf-16":
        cut *= 2  # whole characters, so that the text still decodes
    path.write_bytes(data[:-cut])
    lines = data.decode(SPECS[name].encoding).count("\n")
    with pytest.raises(
        ValueError,
        match=rf"{name}: {path.name} is not well-formed .*line {lines}, the last, does not end "
        r"with a line break, so the file looks truncated",
    ):
        ig.read_extract(path, SPECS[name])


@pytest.mark.hostile("malformed_file")
@pytest.mark.parametrize(
    "edit, match",
    [
        (  # a trailing separator on every data line
            lambda ls: ls[:1] + [x.replace("\n", ",\n") for x in ls[1:]],
            r"line 2 has 13 field\(s\), expected 12 as in the header",
        ),
        (  # ... and on the header: an unnamed column
            lambda ls: [x.replace("\n", ",\n") for x in ls],
            r"unexpected column\(s\) \[''\]; found .*in line 1 \(the header\)",
        ),
        (  # a repeated header
            lambda ls: [ls[0].replace("ORIGIN", "DEST"), *ls[1:]],
            r"line 1 \(the header\) repeats column name\(s\) \['DEST'\]",
        ),
        (
            lambda ls: (
                [ls[0].replace("\n", ",GATE\n")] + [x.replace("\n", ",A1\n") for x in ls[1:]]
            ),
            r"ewr_operations: unexpected column\(s\) \['GATE'\]",
        ),
        (
            lambda ls: [*ls[:3], ls[3].rsplit(",", 1)[0] + "\n", *ls[4:]],
            r"line 4 has 11 field\(s\), expected 12",
        ),
        (lambda ls: [*ls[:3], "\n", *ls[3:]], r"line 4 has 0 field\(s\), expected 12"),
        (  # two extracts concatenated: the header again inside the body
            lambda ls: [*ls[:3], ls[0], *ls[3:]],
            r"ewr_operations.csv repeats its header as line 4: two extracts were probably "
            r"concatenated",
        ),
        (
            lambda ls: [*ls[:2], '"2013-01-01"x' + ls[2][10:], *ls[3:]],
            r"ewr_operations.csv is not well-formed csv: line 3: ',' expected after '\"'",
        ),
    ],
    ids=[
        "trailing-separator",
        "trailing-in-header",
        "repeated",
        "extra",
        "short",
        "blank",
        "header-in-body",
        "quote",
    ],
)
def test_malformed_csv_lines_are_named(extracts, edit, match):
    rewrite(extracts["ewr_operations"], edit, "utf-8-sig")
    with pytest.raises(ValueError, match=match):
        ig.read_extract(extracts["ewr_operations"], SPECS["ewr_operations"])


@pytest.mark.hostile("malformed_file")
def test_a_file_in_another_encoding_is_refused(extracts):
    lga = extracts["lga_partner"]
    lga.write_bytes(lga.read_bytes().decode("latin-1").encode("utf-8"))  # every byte decodes
    with pytest.raises(
        ValueError,
        match=r"lga_partner: missing column\(s\) \['Verspätung_Abflug_h', .*unexpected "
        r"column\(s\) \['VerspÃ¤tung_Abflug_h'.*read as latin-1",
    ):
        ig.read_extract(lga, SPECS["lga_partner"])
    as_utf16 = dataclasses.replace(SPECS["ewr_operations"], encoding="utf-16")
    with pytest.raises(ValueError, match=r"ewr_operations.csv is not valid utf-16 text"):
        ig.read_extract(extracts["ewr_operations"], as_utf16)


@pytest.mark.hostile("malformed_file")
@pytest.mark.parametrize(
    "edit, match",
    [
        (
            lambda x: x.replace('"tail"', '"tail": "N1", "tail"'),
            r"repeats the key\(s\) \['tail'\]",
        ),
        (
            lambda x: x.replace('"tail"', '"gate": "A1", "tail"'),
            r"unexpected column\(s\) \['gate'\]",
        ),
        (lambda x: x.replace('"tail"', '"tale"'), r"missing column\(s\) \['tail'\]"),
        (lambda x: x.replace("}", ""), r"line 2: Expecting ',' delimiter at character \d+"),
        (lambda x: "[1, 2]\n", r"line 2 holds \[1, 2\]; expected a JSON object"),
        (lambda x: "\n", r"line 2 is blank"),
        (
            lambda x: x.replace('"air_minutes": 330', '"air_minutes": NaN'),
            r"line 2: 'air_minutes' is NaN, expected a finite number or null",
        ),
        (
            lambda x: x.replace('"air_minutes": 330', '"air_minutes": 1e999'),
            r"line 2: 'air_minutes' is inf",
        ),
        (
            lambda x: x.replace('"air_minutes": 330', '"air_minutes": [330]'),
            r"line 2: 'air_minutes' holds \[330\], expected a single value",
        ),
    ],
    ids=["repeated", "extra", "renamed", "unclosed", "array", "blank", "nan", "inf", "nested"],
)
def test_malformed_json_lines_are_named(extracts, edit, match):
    rewrite(extracts["ua_feed"], lambda ls: [ls[0], edit(ls[0])], "utf-8")  # line 2
    with pytest.raises(ValueError, match=r"ua_feed: ua_feed.jsonl.*" + match):
        ig.read_extract(extracts["ua_feed"], SPECS["ua_feed"])
