"""Tests of dlbigdata.checks: right answers pass, wrong ones explain what is wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlbigdata.checks import AnswerError, check_close, check_equal, check_in_range, check_true


def test_answer_error_fails_tests_like_an_assertion():
    assert issubclass(AnswerError, AssertionError)


def test_check_equal(capsys):
    assert check_equal("airport", "LGA", "LGA") is None  # nothing for a notebook cell to show
    assert "Correct: airport checks out." in capsys.readouterr().out
    with pytest.raises(
        AnswerError, match=r"airport: got 'JFK', expected 'LGA'\.\nHint: look again"
    ):
        check_equal("airport", "JFK", "LGA", hint="look again")


def test_check_equal_compares_arrays_elementwise():
    check_equal("labels", np.array([1, 2]), [1, 2])
    check_equal("shares", np.array([0.5, np.nan]), [0.5, np.nan])  # NaN equals NaN
    check_equal("rows", [np.int64(3), 4], [3, 4])
    check_equal("pair", (19, 20), (19, 20))
    check_equal("checks", {("<table>", "rule")}, {("<table>", "rule")})
    with pytest.raises(AnswerError, match=r"labels: .*at position \(1,\): got 3, expected 2"):
        check_equal("labels", pd.Series([1, 3]), [1, 2])


def test_check_equal_compares_frames_by_labels():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    check_equal("table", frame.copy(), frame)
    check_equal("table", frame.astype({"a": "float64"}), frame)  # 1.0 == 1
    series = pd.Series([1.0, 2.0], index=["EWR", "JFK"])
    check_equal("per airport", series.rename("anything"), series)  # the name is not compared


@pytest.mark.hostile("lax_answer_check")
@pytest.mark.parametrize(
    "answer, expected, message",
    [
        (
            pd.DataFrame({"x": [1, 2], "y": ["x", "y"]}),
            pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}),
            r"has columns \['x', 'y'\], expected \['a', 'b'\]",
        ),
        (
            pd.DataFrame({"b": ["x", "y"], "a": [1, 2]}),
            pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}),
            r"has columns \['b', 'a'\], expected \['a', 'b'\]",
        ),
        (
            pd.DataFrame({"a": [1, 2]}, index=[1, 0]),
            pd.DataFrame({"a": [1, 2]}),
            r"has index \[1, 0\], expected \[0, 1\] \(same labels in the same order\)",
        ),
        (
            pd.Series([1, 2], index=["JFK", "EWR"]),
            pd.Series([1, 2], index=["EWR", "JFK"]),
            r"has index \['JFK', 'EWR'\], expected \['EWR', 'JFK'\]",
        ),
        (np.array([[1, 2]]), pd.DataFrame({"a": [1], "b": [2]}), "expected a DataFrame, got a"),
        (pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"a": [1, 3]}), r"at position \(1, 0\)"),
        ("1", 1, "expected a number, got a str"),
        (1, "1", "expected a str, got a number"),
        (True, 1, "expected a number, got a bool"),
        (1, True, "expected a bool, got a number"),
        (np.bool_(False), 0, "expected a number, got a bool"),
        ([True, 2], [1, 2], r"item 0: got True, expected 1 \(expected a number, got a bool\)"),
        (np.array([True, False]), [1, 0], "expected an array of int64, got one of bool"),
        (np.array(["1", "2"]), np.array([1, 2]), "expected an array of int64, got one of <U1"),
        ([1, 2], (1, 2), "expected a tuple, got a list"),
        ([1, 2, 3], [1, 2], "has 3 items, expected 2"),
        ({"a": 1}, {"a": 1, "b": 2}, r"has keys \['a'\], expected \['a', 'b'\]"),
        ({"a": "1"}, {"a": 1}, "item 'a': got '1', expected 1"),
        (float("nan"), 0.0, "got nan, expected 0.0"),
        (0.0, float("nan"), "got 0.0, expected nan"),
        (None, 0, "expected a number, got a NoneType"),
        (np.zeros((2, 2)), np.zeros(4), r"has shape \(2, 2\), expected \(4,\)"),
        ({True}, {1}, r"\(True is not among the expected items\)"),
        ([1], {1}, "expected a set, got a list"),
    ],
)
def test_check_equal_refuses_answers_of_the_wrong_kind(answer, expected, message):
    with pytest.raises(AnswerError, match=message):
        check_equal("answer", answer, expected)


def test_check_close_scalars_and_arrays():
    check_close("share", 0.1 + 0.2, 0.3)
    check_close("vector", [1.0, 2.0], np.array([1.0, 2.0 + 1e-12]))
    check_close("with a gap", [1.0, np.nan], [1.0, np.nan])  # NaN where NaN is expected
    check_close("nullable", pd.Series([1, None], dtype="Int64"), pd.Series([1.0, np.nan]))
    check_close("float32", np.float32(0.5), 0.5)
    with pytest.raises(AnswerError, match=r"share: got 0\.5, expected 0\.3"):
        check_close("share", 0.5, 0.3)


def test_check_close_reports_shape_and_type_mistakes():
    with pytest.raises(AnswerError, match=r"has shape \(3,\), expected \(2,\)"):
        check_close("vector", [1, 2, 3], [1, 2])
    with pytest.raises(AnswerError, match="expected numbers, got a str 'abc'"):
        check_close("share", "abc", 0.3)


@pytest.mark.hostile("lax_answer_check")
@pytest.mark.parametrize(
    "answer, expected, message",
    [
        ("1.0", 1.0, "expected numbers, got a str '1.0'"),
        (True, 1.0, "expected numbers, got a bool True"),
        (None, 1.0, "expected numbers, got a NoneType None"),
        (["1.0", "2.0"], [1.0, 2.0], "expected numbers, got a list"),
        ([True, 2.0], [1.0, 2.0], "holding a bool True"),
        (np.array([True, False]), [1.0, 0.0], "expected numbers, got a ndarray"),
        (pd.Series(["1", "2"]), [1.0, 2.0], "expected numbers, got a Series with dtype str"),
        (pd.Series([True]), [1.0], "with dtype bool"),
        (np.nan, 1.0, r"got nan, expected 1\.0"),
        ([1.0, np.nan], [1.0, 2.0], r"got \[1\.0, nan\], expected \[1\.0, 2\.0\]"),
        (
            pd.DataFrame({"x": [1.0]}),
            pd.DataFrame({"a": [1.0]}),
            r"has columns \['x'\], expected \['a'\]",
        ),
        (
            pd.Series([1.0, 2.0], index=["JFK", "EWR"]),
            pd.Series([1.0, 2.0], index=["EWR", "JFK"]),
            r"has index \['JFK', 'EWR'\]",
        ),
        (np.arange(10.0), np.arange(10.0) + np.eye(10)[9], r"1 of 10 values are off, by up to 1"),
    ],
)
def test_check_close_refuses_answers_that_are_not_the_numbers(answer, expected, message):
    with pytest.raises(AnswerError, match=message):
        check_close("answer", answer, expected)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"expected": "1.0"}, TypeError, "expected must be numbers .*got a str '1.0'"),
        ({"rtol": -1e-3}, ValueError, "rtol must be a finite number >= 0, got -0.001"),
        ({"atol": float("nan")}, ValueError, "atol must be a finite number >= 0, got nan"),
        ({"rtol": "tight"}, TypeError, "rtol must be a number, got str"),
        ({"name": ""}, ValueError, "name must be a non-empty string, got ''"),
        ({"hint": 3}, TypeError, "hint must be a string, got int: 3"),
    ],
)
def test_check_close_refuses_exercise_mistakes(kwargs, error, message):
    arguments = {"name": "share", "answer": 0.3, "expected": 0.3} | kwargs
    with pytest.raises(error, match=message):
        check_close(**arguments)


def test_check_in_range():
    check_in_range("accuracy", 0.97, 0.95, 1.0)
    check_in_range("count", np.int64(3), 0, float("inf"))
    with pytest.raises(
        AnswerError, match=r"accuracy: got 0\.9, expected a value between 0\.95 and 1"
    ):
        check_in_range("accuracy", 0.9, 0.95, 1.0)
    with pytest.raises(AnswerError, match="expected a number, got NoneType"):
        check_in_range("accuracy", None, 0.95, 1.0)
    with pytest.raises(ValueError, match=r"low \(2\) must not exceed high \(1\)"):
        check_in_range("accuracy", 1.5, 2, 1)


@pytest.mark.hostile("lax_answer_check")
@pytest.mark.parametrize(
    "answer, message",
    [
        ("0.97", "expected a number, got str '0.97'"),
        (True, "expected a number, got bool True"),
        (np.array([0.97]), "expected a number, got ndarray"),
        (float("nan"), "got nan, expected a value between 0.95 and 1"),
    ],
)
def test_check_in_range_refuses_what_is_not_a_number_in_range(answer, message):
    with pytest.raises(AnswerError, match=message):
        check_in_range("accuracy", answer, 0.95, 1.0)


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize(
    "low, high, error, message",
    [
        (float("nan"), 1.0, ValueError, "low must be a finite number, got nan"),
        (0.0, float("nan"), ValueError, "high must be a finite number, got nan"),
        ("0", 1.0, TypeError, "low must be a number, got str"),
    ],
)
def test_check_in_range_refuses_bounds_that_switch_the_check_off(low, high, error, message):
    with pytest.raises(error, match=message):
        check_in_range("accuracy", 0.5, low, high)


def test_check_true_and_name_validation():
    check_true("no rows lost", True, "rows were lost")
    check_true("numpy bool", np.bool_(True), "rows were lost")
    with pytest.raises(AnswerError, match="no rows lost: 3 rows were lost"):
        check_true("no rows lost", False, "3 rows were lost")
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        check_true("", True, "x")


@pytest.mark.hostile("lax_answer_check")
@pytest.mark.parametrize(
    "condition, message",
    [
        ("False", "condition must be True or False, got str: 'False'"),
        (1, "condition must be True or False, got int: 1"),
        (pd.Series([True]), "condition must be True or False, got Series"),
    ],
)
def test_check_true_needs_a_bool(condition, message):
    with pytest.raises(TypeError, match=message):
        check_true("rows", condition, "rows were lost")


@pytest.mark.hostile("bad_input")
def test_checks_refuse_a_name_or_problem_that_cannot_make_a_message():
    with pytest.raises(TypeError, match="name must be a string, got NoneType"):
        check_equal(None, 1, 1)
    with pytest.raises(TypeError, match="problem must be a string, got int: 3"):
        check_true("rows", True, 3)
    with pytest.raises(TypeError, match="hint must be a string, got list"):
        check_in_range("accuracy", 0.5, 0, 1, hint=["look"])
