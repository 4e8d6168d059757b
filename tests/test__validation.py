"""Tests of the private boundary checks every module uses."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dlbigdata import _validation as v


@pytest.mark.parametrize("value", [3, np.int64(3), np.uint8(3)])
def test_require_int_accepts_python_and_numpy_integers(value):
    result = v.require_int("size", value, minimum=1)
    assert result == 3 and type(result) is int


@pytest.mark.parametrize("value", [True, 3.0, "3", None, np.float64(3)])
def test_require_int_refuses_other_types(value):
    with pytest.raises(TypeError, match="size must be an integer"):
        v.require_int("size", value)


def test_require_int_names_the_bound():
    with pytest.raises(ValueError, match=r"size must be an integer >= 1, got 0"):
        v.require_int("size", 0, minimum=1)
    with pytest.raises(ValueError, match=r"<= 9, got 10"):
        v.require_int("size", 10, maximum=9)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float32("nan")])
def test_require_number_refuses_nan_and_infinity(value):
    with pytest.raises(ValueError, match="rate must be a finite number"):
        v.require_number("rate", value)


def test_require_number_may_allow_infinity_but_never_nan():
    assert v.require_number("cap", math.inf, allow_infinity=True) == math.inf
    with pytest.raises(ValueError, match="nan"):
        v.require_number("cap", math.nan, allow_infinity=True)


@pytest.mark.parametrize("value", [True, "1.0", None, 1j])
def test_require_number_refuses_non_numbers(value):
    with pytest.raises(TypeError, match="rate must be a number"):
        v.require_number("rate", value)


def test_require_number_open_and_closed_bounds():
    assert v.require_number("rate", 0.0, minimum=0.0) == 0.0
    with pytest.raises(ValueError, match="> 0"):
        v.require_number("rate", 0.0, minimum=0.0, low_open=True)
    with pytest.raises(ValueError, match="< 1"):
        v.require_fraction("share", 1.0, include_one=False)
    assert type(v.require_fraction("share", np.float32(0.5))) is float


def test_require_choice_lists_the_choices():
    assert v.require_choice("kind", "mean", ["mean", "median"]) == "mean"
    with pytest.raises(ValueError, match=r"kind must be one of 'mean', 'median'; got 'mode'"):
        v.require_choice("kind", "mode", ["mean", "median"])
    with pytest.raises(ValueError, match="kind must be one of"):
        v.require_choice("kind", ["unhashable"], {"mean"})


def test_require_names_refuses_a_single_string():
    with pytest.raises(TypeError, match=r"single string 'ab'; write \['ab'\]"):
        v.require_names("required", "ab")


@pytest.mark.parametrize(
    "value, error",
    [
        (["a", 1], TypeError),
        ([], ValueError),
        (["a", "a"], ValueError),
        ({"a": 1}, TypeError),
        (5, TypeError),
    ],
)
def test_require_names_refuses_bad_lists(value, error):
    with pytest.raises(error, match="required"):
        v.require_names("required", value)


def test_require_names_accepts_sequences_and_indexes():
    assert v.require_names("cols", ("a", "b")) == ["a", "b"]
    assert v.require_names("cols", pd.Index(["a"])) == ["a"]
    assert v.require_names("cols", [], allow_empty=True) == []


def test_frame_and_column_checks():
    frame = pd.DataFrame({"x": [1.0], "flag": [True], "when": pd.to_datetime(["2013-01-01"])})
    assert v.require_frame("table", frame) is frame
    with pytest.raises(TypeError, match="table must be a pandas DataFrame, got list"):
        v.require_frame("table", [1])
    with pytest.raises(ValueError, match="at least one row"):
        v.require_frame("table", frame.iloc[:0], allow_empty=False)
    with pytest.raises(ValueError, match=r"table lacks column\(s\) \['y'\]; it has: x, flag"):
        v.require_columns("table", frame, ["x", "y"])
    assert v.require_numeric_column("table", frame, "x").tolist() == [1.0]
    with pytest.raises(TypeError, match=r"table\['flag'\] must be numeric, got dtype bool"):
        v.require_numeric_column("table", frame, "flag")
    with pytest.raises(TypeError, match="must hold datetimes"):
        v.require_datetime_column("table", frame, "x")
    v.require_datetime_column("table", frame, "when")


def test_series_generator_bool_and_string_checks():
    with pytest.raises(TypeError, match="values must be a pandas Series, got ndarray"):
        v.require_series("values", np.zeros(2))
    with pytest.raises(TypeError, match="default_rng"):
        v.require_generator("rng", 0)
    assert isinstance(v.require_generator("rng", np.random.default_rng(0)), np.random.Generator)
    with pytest.raises(TypeError, match="flag must be True or False, got int"):
        v.require_bool("flag", 1)
    assert v.require_bool("flag", np.bool_(True)) is True
    with pytest.raises(ValueError, match="non-empty"):
        v.require_string("label", "  ")
    with pytest.raises(TypeError, match="label must be a string"):
        v.require_string("label", 3)


def test_describe_is_short_for_large_values():
    assert v.describe(pd.DataFrame({"a": range(3)})) == "a DataFrame of shape (3, 1)"
    assert len(v.describe("x" * 500)) == 80
