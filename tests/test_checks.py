"""Tests of dlbigdata.checks: right answers pass, wrong ones explain what is wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlbigdata.checks import (
    AnswerError,
    check_close,
    check_columns,
    check_equal,
    check_in_range,
    check_shape,
    check_true,
)


def test_answer_error_fails_tests_like_an_assertion():
    assert issubclass(AnswerError, AssertionError)


def test_check_equal(capsys):
    assert check_equal("airport", "LGA", "LGA") is True
    assert "Correct: airport" in capsys.readouterr().out
    with pytest.raises(
        AnswerError, match=r"airport: got 'JFK', expected 'LGA'\.\nHint: look again"
    ):
        check_equal("airport", "JFK", "LGA", hint="look again")


def test_check_equal_compares_arrays_elementwise():
    assert check_equal("labels", np.array([1, 2]), [1, 2])
    with pytest.raises(AnswerError, match="labels"):
        check_equal("labels", pd.Series([1, 3]), [1, 2])


def test_check_close_scalars_and_arrays():
    assert check_close("share", 0.1 + 0.2, 0.3)
    assert check_close("vector", [1.0, 2.0], np.array([1.0, 2.0 + 1e-12]))
    with pytest.raises(AnswerError, match=r"share: got 0\.5, expected 0\.3"):
        check_close("share", 0.5, 0.3)


def test_check_close_reports_shape_and_type_mistakes():
    with pytest.raises(AnswerError, match=r"has shape \(3,\), expected \(2,\)"):
        check_close("vector", [1, 2, 3], [1, 2])
    with pytest.raises(AnswerError, match="expected a number, got str 'abc'"):
        check_close("share", "abc", 0.3)


def test_check_in_range():
    assert check_in_range("accuracy", 0.97, 0.95, 1.0)
    with pytest.raises(
        AnswerError, match=r"accuracy: got 0\.9, expected a value between 0\.95 and 1"
    ):
        check_in_range("accuracy", 0.9, 0.95, 1.0)
    with pytest.raises(AnswerError, match="expected a number, got NoneType"):
        check_in_range("accuracy", None, 0.95, 1.0)
    with pytest.raises(ValueError, match=r"low \(2\) must not exceed high \(1\)"):
        check_in_range("accuracy", 1.5, 2, 1)


def test_check_shape():
    assert check_shape("images", np.zeros((10, 8, 8)), (10, 8, 8))
    with pytest.raises(AnswerError, match=r"images: has shape \(10, 64\), expected \(10, 8, 8\)"):
        check_shape("images", np.zeros((10, 64)), (10, 8, 8))
    with pytest.raises(AnswerError, match="expected an array or table, got list"):
        check_shape("images", [1, 2], (2,))


def test_check_columns():
    frame = pd.DataFrame({"a": [1], "b": [2]})
    assert check_columns("table", frame, ["a"])
    with pytest.raises(AnswerError, match=r"is missing column\(s\) \['c'\]; it has \['a', 'b'\]"):
        check_columns("table", frame, ["a", "c"])
    with pytest.raises(AnswerError, match="expected a pandas DataFrame, got dict"):
        check_columns("table", {"a": [1]}, ["a"])


def test_check_true_and_name_validation():
    assert check_true("no rows lost", True, "rows were lost")
    with pytest.raises(AnswerError, match="no rows lost: 3 rows were lost"):
        check_true("no rows lost", False, "3 rows were lost")
    with pytest.raises(TypeError, match="name must be a non-empty str"):
        check_true("", True, "x")
