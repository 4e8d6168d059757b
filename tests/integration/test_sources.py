"""Tests of dlbigdata.integration.sources: the specs of the sources and their checks."""

from __future__ import annotations

import dataclasses

import pytest

from dlbigdata import integration as ig

EWR = ig.SOURCE_SPECS["ewr_operations"]


def test_the_four_specs_cover_every_role():
    for spec in ig.SOURCE_SPECS.values():
        supplied = set(spec.columns.values()) | set(spec.constants)
        assert set(spec.required_roles()) <= supplied, spec.name
    assert ig.SOURCE_SPECS["ua_feed"].priority < ig.SOURCE_SPECS["jfk_tower"].priority


def test_units_are_those_of_dlbigdata_units_symbols_or_long_names():
    jfk = ig.SOURCE_SPECS["jfk_tower"]
    short = dataclasses.replace(jfk, units={"dep_delay": "s", "air_time": "h", "distance": "km"})
    assert short.unit_of("dep_delay") == "s" and jfk.unit_of("dep_delay") == "seconds"
    assert short.unit_of("arr_delay") == "minutes"  # the canonical unit when omitted


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "change, match",
    [
        ({"clock": "sundial"}, r"clock must be one of 'hhmm', 'hh:mm', 'utc_iso'.*'sundial'"),
        ({"carrier_format": "logo"}, r"carrier_format must be one of 'code', 'name'.*'logo'"),
        ({"file_format": "xlsx"}, r"file_format must be one of 'csv', 'jsonl'; got 'xlsx'"),
        (
            {"units": {"distance": "leagues"}},
            r"ewr_operations: unit of distance 'leagues' is not accepted: unit must be one of",
        ),
        (
            {"units": {"distance": "hours"}},
            r"unit 'hours' is not a length; distance needs one of \['mi', 'km', 'm', 'ft'.*"
            r"'miles', 'kilometres'",
        ),
        ({"units": {"distance": "degC"}}, r"unit 'degC' is not a length"),
        ({"units": {"speed": "miles"}}, r"measure must be one of 'dep_delay'.*got 'speed'"),
        (
            {"columns": {"FL_DATE": "date", "X": "gate"}},
            r"role of column 'X' must be one of 'date'.*got 'gate'",
        ),
        ({"columns": {"FL_DATE": "date"}}, r"no column or constant for role\(s\) \['air_time'"),
        ({"date_format": None}, r"clock 'hhmm' needs a date_format"),
        (
            {"columns": {**EWR.columns, "DEP_DELAY_2": "dep_delay"}},
            r"role\(s\) \['dep_delay'\] mapped from more than one column",
        ),
        ({"encoding": "utf-99"}, r"unknown encoding 'utf-99'"),
        ({"separator": ",,"}, r"separator must be one character .*got ',,'"),
        ({"separator": "\n"}, r"separator must be one character other than a line break"),
        ({"decimal": ","}, r"separator and decimal are both ','"),
        ({"constants": {"air_time": "5"}}, r"role of a constant must be one of 'tailnum'"),
        ({"constants": {"origin": "EWR"}}, r"role\(s\) \['origin'\] given both as a column"),
        ({"priority": -1.5}, r"priority must be an integer, got float"),
        ({"name": ""}, r"name must be a non-empty string"),
    ],
)
def test_spec_refuses_unknown_values(change, match):
    with pytest.raises((ValueError, TypeError), match=match):
        dataclasses.replace(EWR, **change)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "change, match",
    [
        ({"columns": [("FL_DATE", "date")]}, r"columns must be a mapping \(a dict\), got list"),
        ({"units": {"distance": 5}}, r"units: every value must be a non-empty string, got 5"),
        (
            {"constants": {"origin": None}},
            r"constants: every value must be a non-empty string, got None",
        ),
        ({"priority": True}, r"priority must be an integer, got bool: True"),
        ({"encoding": None}, r"encoding must be a string, got NoneType"),
    ],
)
def test_spec_refuses_wrong_types(change, match):
    with pytest.raises(TypeError, match=match):
        dataclasses.replace(EWR, **change)


@pytest.mark.hostile("single_string")
def test_spec_refuses_a_single_string_for_the_columns():
    with pytest.raises(
        TypeError, match=r"columns must be a mapping \(a dict\), got str: 'FL_DATE'"
    ):
        dataclasses.replace(EWR, columns="FL_DATE")


@pytest.mark.hostile("nan_parameter")
def test_spec_refuses_a_nan_priority():
    with pytest.raises(
        TypeError, match=r"ewr_operations: priority must be an integer, got float: nan"
    ):
        dataclasses.replace(EWR, priority=float("nan"))


@pytest.mark.hostile("state_corruption")
def test_a_checked_spec_cannot_be_changed_afterwards():
    columns = dict(EWR.columns)
    spec = dataclasses.replace(EWR, columns=columns)
    columns["FL_DATE"] = "gate"  # the caller's dict, not the spec's
    assert spec.columns["FL_DATE"] == "date"
    with pytest.raises(TypeError):
        spec.columns["FL_DATE"] = "gate"
    with pytest.raises(TypeError):
        ig.SOURCE_SPECS["mine"] = spec
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.priority = 5


@pytest.mark.hostile("bad_input")
def test_the_questions_to_a_spec_refuse_unknown_roles():
    assert EWR.column_for("dep_delay") == "DEP_DELAY"
    assert ig.SOURCE_SPECS["jfk_tower"].column_for("origin") is None  # a constant
    with pytest.raises(ValueError, match=r"role must be one of 'date'.*got 'gate'"):
        EWR.column_for("gate")
    with pytest.raises(ValueError, match=r"measure must be one of 'dep_delay'.*got 'speed'"):
        EWR.unit_of("speed")
