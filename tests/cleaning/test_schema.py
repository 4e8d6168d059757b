"""Tests of dlbigdata.cleaning.schema: the flights schema and the validation report."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import raw_flights

from dlbigdata.cleaning import ValidationReport, clean_flights, flights_schema, validate

hostile = pytest.mark.hostile

CARRIERS = ["AA", "B6", "UA"]


def test_schema_accepts_the_cleaned_table():
    report = validate(clean_flights(raw_flights()), flights_schema(CARRIERS))
    assert isinstance(report, ValidationReport)
    assert report.valid, str(report)
    assert report.rows == 4 and report.summary().empty
    assert "all checks passed on 4 rows" in str(report)


def test_schema_takes_codes_from_a_series():
    carriers = pd.Series(CARRIERS, name="carrier")
    assert validate(clean_flights(raw_flights()), flights_schema(carriers)).valid


def test_schema_reports_every_corruption_with_column_and_check():
    clean = clean_flights(raw_flights())
    corrupted = clean.copy()
    corrupted.loc[0, "distance_km"] = -1.0  # a sign error
    corrupted["carrier"] = corrupted["carrier"].cat.add_categories(["ZZ"])
    corrupted.loc[3, "carrier"] = "ZZ"  # an unknown airline
    corrupted.loc[1, "cancelled"] = True  # contradicts its departure time
    corrupted = corrupted.drop(columns=["air_time"])  # a lost column
    corrupted["month"] = corrupted["month"].astype(str)  # a wrong type
    corrupted = pd.concat([corrupted, corrupted.iloc[[0]]])  # a duplicated row (and label)
    report = validate(corrupted, flights_schema(CARRIERS))
    assert not report.valid
    expected = {
        ("distance_km", "in_range(1, 20000)"),
        ("carrier", "isin(['AA', 'B6', 'UA'])"),
        ("<table>", "cancelled_iff_no_departure"),
        ("<table>", "multiple_fields_uniqueness"),
        ("air_time", "column_in_dataframe"),
        ("month", "dtype('int64')"),
    }
    assert expected <= report.failed_checks, report.failed_checks
    failures = report.failures
    assert failures.loc[failures["column"] == "carrier", "failure_case"].tolist() == ["ZZ"]
    assert failures.loc[failures["check"] == "cancelled_iff_no_departure", "index"].tolist() == [1]
    assert failures.loc[failures["check"] == "multiple_fields_uniqueness", "index"].tolist() == [
        0,
        0,
    ]
    assert failures.loc[failures["column"] == "distance_km", "index"].tolist() == [0, 0]
    text = str(report)
    assert "distance_km: in_range(1, 20000) failed 2 time(s), e.g. -1.0" in text
    assert "air_time: column_in_dataframe" in text


@hostile("label_alignment")
def test_validate_reports_the_original_labels_of_a_shuffled_table():
    clean = clean_flights(raw_flights()).set_axis(["d", "c", "b", "a"])
    clean.loc["b", "distance_km"] = -1.0
    report = validate(clean, flights_schema(CARRIERS))
    assert report.failures.loc[report.failures["column"] == "distance_km", "index"].tolist() == [
        "b"
    ]


def test_schema_refuses_unexpected_columns_and_bad_codes():
    clean = clean_flights(raw_flights()).assign(note="extra")
    report = validate(clean, flights_schema(["UA"]))
    assert ("note", "column_in_schema") in report.failed_checks
    assert sorted(report.failures.loc[report.failures["column"] == "carrier", "failure_case"]) == [
        "AA",
        "B6",
    ]


@hostile("bad_input")
def test_schema_and_validate_reject_bad_arguments():
    with pytest.raises(ValueError, match="carriers must hold at least one code, got an empty"):
        flights_schema([])
    with pytest.raises(TypeError, match="origins must hold strings only, got int: 1"):
        flights_schema(CARRIERS, origins=[1, 2])
    with pytest.raises(TypeError, match="schema must be a pandera DataFrameSchema, got dict"):
        validate(clean_flights(raw_flights()), {"year": int})
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        validate("flights.csv", flights_schema(CARRIERS))
    with pytest.raises(TypeError, match="carriers must hold strings only, got float: nan"):
        flights_schema(pd.Series(["UA", None]))
    with pytest.raises(TypeError, match="carriers must be a list of names, got generator"):
        flights_schema(code for code in CARRIERS)


@hostile("single_string")
@pytest.mark.parametrize("argument", ["carriers", "origins"])
def test_schema_refuses_a_single_string_of_codes(argument):
    codes = {"carriers": CARRIERS, argument: "UA"}
    # "UA" would have accepted the carriers "U" and "A"
    with pytest.raises(TypeError, match=f"{argument} must be a list of names, got the single"):
        flights_schema(**codes)


@hostile("bad_input")
def test_validate_refuses_repeated_column_names():
    clean = clean_flights(raw_flights())
    doubled = pd.concat([clean, clean[["year"]]], axis=1)
    with pytest.raises(ValueError, match=r"frame must have unique column names, got \['year'\]"):
        validate(doubled, flights_schema(CARRIERS))


def test_validate_an_empty_table():
    report = validate(clean_flights(raw_flights().iloc[:0]), flights_schema(CARRIERS))
    assert report.rows == 0 and report.valid, str(report)
