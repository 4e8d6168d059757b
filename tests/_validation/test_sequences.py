"""Tests of :mod:`dlbigdata._validation.sequences`: checks of collections."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from dlbigdata import _validation as v


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
    assert v.require_names("cols", ["a", "a"], unique=False) == ["a", "a"]


@pytest.mark.parametrize("value", [[1, 2], (1, 2), np.array([1, 2])])
def test_require_int_sequence_accepts_lists_tuples_and_1d_arrays(value):
    assert v.require_int_sequence("widths", value) == [1, 2]


@pytest.mark.parametrize(
    "value, error, match",
    [
        ("12", TypeError, r"widths must be a list of integers, got str: '12'"),
        ({1: 2}, TypeError, r"widths must be a list of integers, got dict"),
        (3, TypeError, r"widths must be a list of integers, got int: 3"),
        (np.zeros((2, 2)), ValueError, r"widths must be one-dimensional, got a ndarray"),
    ],
)
def test_require_int_sequence_refuses_other_values(value, error, match):
    with pytest.raises(error, match=match):
        v.require_int_sequence("widths", value)


def test_require_seeds_returns_distinct_int_seeds():
    seeds = v.require_seeds("seeds", np.array([3, 1]))
    assert seeds == [3, 1] and all(type(seed) is int for seed in seeds)


@pytest.mark.parametrize(
    "value, error, match",
    [
        ([], ValueError, r"seeds must name at least one episode seed, got none"),
        ([1, 2, 1], ValueError, r"seeds must be distinct, got \[1\] more than once"),
        ([1, -2], ValueError, r"seeds\[1\] must be an integer >= 0, got -2"),
        ([1, 2.0], TypeError, r"seeds\[1\] must be an integer, got float: 2.0"),
        (7, TypeError, r"seeds must be a list of integers, got int: 7"),
    ],
)
def test_require_seeds_refuses_bad_seeds(value, error, match):
    with pytest.raises(error, match=match):
        v.require_seeds("seeds", value)


def test_require_texts_returns_a_series_and_keeps_its_index():
    series = pd.Series(["a", "b"], index=[10, 20])
    assert v.require_texts("texts", series) is series
    result = v.require_texts("texts", ("a", "b"))
    assert isinstance(result, pd.Series) and result.tolist() == ["a", "b"]
    assert v.require_texts("texts", [], allow_empty=True).empty


@pytest.mark.parametrize(
    "value, error, match",
    [
        ("tweet", TypeError, r"texts must be a list of texts, got the single string 'tweet'"),
        (["a", None], TypeError, r"texts must hold strings only; 1 item\(s\) are not, e.g. None"),
        (np.array([["a"]]), ValueError, r"texts must be one-dimensional, got an array of shape"),
        (5, TypeError, r"texts must be a list of texts, got int: 5"),
        ([], ValueError, r"texts must hold at least one text, got an empty sequence"),
    ],
)
def test_require_texts_refuses_other_values(value, error, match):
    with pytest.raises(error, match=match):
        v.require_texts("texts", value)


def test_require_string_mapping_returns_a_read_only_copy():
    original = {"FL_DATE": "date"}
    mapping = v.require_string_mapping("columns", original)
    assert isinstance(mapping, MappingProxyType) and mapping == original
    original["DEST"] = "dest"
    assert "DEST" not in mapping


@pytest.mark.parametrize(
    "value, match",
    [
        ([("a", "b")], r"columns must be a mapping \(a dict\), got list"),
        ({"a": 5}, r"columns: every value must be a non-empty string, got 5 in \{'a': 5\}"),
        ({"": "b"}, r"columns: every key must be a non-empty string, got ''"),
        ({"a": "  "}, r"columns: every value must be a non-empty string, got '  '"),
    ],
)
def test_require_string_mapping_refuses_other_values(value, match):
    with pytest.raises(TypeError, match=match):
        v.require_string_mapping("columns", value)
