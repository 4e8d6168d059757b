"""Tests of :mod:`dlbigdata._validation.scalars`: checks of single values."""

from __future__ import annotations

import datetime as dt
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


def test_require_choice_refuses_a_bool_for_an_int_choice():
    with pytest.raises(ValueError, match=r"axis must be one of 0, 1; got True"):
        v.require_choice("axis", True, [0, 1])


def test_require_type_names_the_accepted_types():
    assert v.require_type("path", "a.csv", (str, bytes), "a str or bytes") == "a.csv"
    with pytest.raises(TypeError, match=r"path must be a str or bytes, got int: 3"):
        v.require_type("path", 3, (str, bytes), "a str or bytes")


def test_series_generator_bool_and_string_checks():
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
    assert v.require_string("label", "", allow_empty=True) == ""


def test_require_callable():
    assert v.require_callable("policy", len) is len
    with pytest.raises(TypeError, match=r"policy must be callable, got int: 3"):
        v.require_callable("policy", 3)


@pytest.mark.parametrize("value", [0, np.int64(7), 2**32 - 1])
def test_require_seed_accepts_integers_below_two_to_the_32(value):
    result = v.require_seed("seed", value)
    assert result == value and type(result) is int


@pytest.mark.parametrize(
    "value, error, match",
    [
        (-1, ValueError, r"seed must be an integer >= 0, got -1"),
        (2**32, ValueError, r"seed must be an integer <= 4294967295, got 4294967296"),
        (3.0, TypeError, r"seed must be an integer, got float: 3.0"),
        (True, TypeError, r"seed must be an integer, got bool: True"),
    ],
)
def test_require_seed_refuses_other_values(value, error, match):
    with pytest.raises(error, match=match):
        v.require_seed("seed", value)


def test_describe_is_short_for_large_values():
    assert v.describe(pd.DataFrame({"a": range(3)})) == "a DataFrame of shape (3, 1)"
    assert v.describe(np.zeros((2, 3))) == "a ndarray of shape (2, 3)"
    assert len(v.describe("x" * 500)) == 80


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.datetime(2013, 7, 1, 12), dt.datetime(2013, 7, 1, 12)),
        (pd.Timestamp("2013-07-01 14:00", tz="Europe/Berlin"), dt.datetime(2013, 7, 1, 12)),
        (dt.datetime(2013, 7, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
         dt.datetime(2013, 7, 1, 12)),
        (dt.date(2013, 7, 1), dt.datetime(2013, 7, 1)),
    ],
)  # fmt: skip
def test_require_timestamp_returns_naive_utc(value, expected):
    result = v.require_timestamp("as_of", value)
    assert result == expected and type(result) is dt.datetime and result.tzinfo is None


@pytest.mark.parametrize(
    "value, error, match",
    [
        ("2013-07-01", TypeError, r"as_of must be a datetime.datetime, .*got str: '2013-07-01'"),
        (np.datetime64("2013-07-01"), TypeError, "got datetime64"),
        (None, TypeError, "got NoneType"),
        (pd.NaT, ValueError, "as_of must be a valid date or time, got NaT"),
        (pd.Timestamp("2013-07-01") + pd.Timedelta(1, "ns"), ValueError, "microsecond"),
    ],
)
def test_require_timestamp_refuses_other_values(value, error, match):
    with pytest.raises(error, match=match):
        v.require_timestamp("as_of", value)
