"""Answer checks for the exercises: a clear hint instead of a bare ``AssertionError``.

Every exercise solution ends with one of these calls. When the answer is right
they print a short confirmation and return ``True``; when it is wrong they raise
:class:`AnswerError` (a subclass of ``AssertionError``, so a failing solution
fails the tests) whose message says which value is wrong, what was expected and,
when given, a hint about the usual mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "AnswerError",
    "check_close",
    "check_columns",
    "check_equal",
    "check_in_range",
    "check_shape",
    "check_true",
]


class AnswerError(AssertionError):
    """A learner's answer is wrong; the message explains how."""


def _fail(name: str, problem: str, hint: str | None) -> None:
    message = f"{name}: {problem}"
    if hint:
        message += f"\nHint: {hint}"
    raise AnswerError(message)


def _passed(name: str) -> bool:
    print(f"Correct: {name} checks out.")
    return True


def _require_name(name: object) -> str:
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty str describing the answer, got {name!r}")
    return name


def check_equal(name: str, answer: Any, expected: Any, hint: str | None = None) -> bool:
    """Check that ``answer == expected`` (exactly; use :func:`check_close` for floats).

    Parameters
    ----------
    name : str
        What the answer is, in words (used in the message).
    answer, expected : Any
        The learner's value and the right one.
    hint : str, optional
        Advice shown when the answer is wrong.

    Returns
    -------
    bool
        ``True`` when the answer is right.

    Raises
    ------
    AnswerError
        If the values differ.
    """
    _require_name(name)
    if isinstance(answer, (np.ndarray, pd.Series, pd.DataFrame)) or isinstance(
        expected, (np.ndarray, pd.Series, pd.DataFrame)
    ):
        same = np.array_equal(np.asarray(answer), np.asarray(expected))
    else:
        same = answer == expected
    if not same:
        _fail(name, f"got {answer!r}, expected {expected!r}.", hint)
    return _passed(name)


def check_close(
    name: str,
    answer: Any,
    expected: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hint: str | None = None,
) -> bool:
    """Check that numbers (or arrays) agree within a tolerance.

    Parameters
    ----------
    name : str
        What the answer is, in words.
    answer, expected : float or array_like
        The learner's value and the right one; shapes must match.
    rtol, atol : float
        Relative and absolute tolerance, as in :func:`numpy.allclose`.
    hint : str, optional
        Advice shown when the answer is wrong.

    Returns
    -------
    bool
        ``True`` when the answer is right.

    Raises
    ------
    AnswerError
        If shapes differ, the answer is not numeric, or values are too far apart.
    """
    _require_name(name)
    try:
        answer_array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        _fail(name, f"expected a number, got {type(answer).__name__} {answer!r}.", hint)
    expected_array = np.asarray(expected, dtype=float)
    if answer_array.shape != expected_array.shape:
        _fail(name, f"has shape {answer_array.shape}, expected {expected_array.shape}.", hint)
    if not np.allclose(answer_array, expected_array, rtol=rtol, atol=atol, equal_nan=True):
        worst = np.max(np.abs(answer_array - expected_array))
        shown = answer if answer_array.size <= 6 else f"an array off by up to {worst:.4g}"
        _fail(
            name,
            f"got {shown}, expected {expected if expected_array.size <= 6 else 'other values'} "
            f"(tolerance rtol={rtol}, atol={atol}).",
            hint,
        )
    return _passed(name)


def check_in_range(
    name: str, answer: float, low: float, high: float, hint: str | None = None
) -> bool:
    """Check that a number lies in the closed interval ``[low, high]``.

    Parameters
    ----------
    name : str
        What the answer is, in words.
    answer : float
        The learner's value.
    low, high : float
        Accepted bounds (inclusive), ``low <= high``.
    hint : str, optional
        Advice shown when the answer is wrong.

    Returns
    -------
    bool
        ``True`` when the answer is in range.

    Raises
    ------
    ValueError
        If ``low > high`` (a mistake in the exercise, not the answer).
    AnswerError
        If the answer is not a number or lies outside the range.
    """
    _require_name(name)
    if low > high:
        raise ValueError(f"low ({low}) must not exceed high ({high})")
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        _fail(name, f"expected a number, got {type(answer).__name__} {answer!r}.", hint)
    if not (low <= answer <= high):
        _fail(name, f"got {answer:.6g}, expected a value between {low} and {high}.", hint)
    return _passed(name)


def check_shape(
    name: str, answer: Any, expected_shape: tuple[int, ...], hint: str | None = None
) -> bool:
    """Check the shape of an array or DataFrame.

    Parameters
    ----------
    name : str
        What the answer is, in words.
    answer : array_like or pandas object
        Anything with a ``shape`` attribute.
    expected_shape : tuple of int
        The right shape.
    hint : str, optional
        Advice shown when the answer is wrong.

    Returns
    -------
    bool
        ``True`` when the shape is right.

    Raises
    ------
    AnswerError
        If the answer has no shape or a different one.
    """
    _require_name(name)
    shape = getattr(answer, "shape", None)
    if shape is None:
        _fail(name, f"expected an array or table, got {type(answer).__name__}.", hint)
    if tuple(shape) != tuple(expected_shape):
        _fail(name, f"has shape {tuple(shape)}, expected {tuple(expected_shape)}.", hint)
    return _passed(name)


def check_columns(name: str, frame: Any, required: Iterable[str], hint: str | None = None) -> bool:
    """Check that a DataFrame has (at least) the required columns.

    Parameters
    ----------
    name : str
        What the table is, in words.
    frame : pandas.DataFrame
        The learner's table.
    required : iterable of str
        Column names that must be present.
    hint : str, optional
        Advice shown when the answer is wrong.

    Returns
    -------
    bool
        ``True`` when every required column is present.

    Raises
    ------
    AnswerError
        If ``frame`` is not a DataFrame or misses columns (they are listed).
    """
    _require_name(name)
    if not isinstance(frame, pd.DataFrame):
        _fail(name, f"expected a pandas DataFrame, got {type(frame).__name__}.", hint)
    missing = [column for column in required if column not in frame.columns]
    if missing:
        _fail(name, f"is missing column(s) {missing}; it has {list(frame.columns)}.", hint)
    return _passed(name)


def check_true(name: str, condition: bool, problem: str, hint: str | None = None) -> bool:
    """Check a condition that the other helpers do not cover.

    Parameters
    ----------
    name : str
        What is being checked, in words.
    condition : bool
        Must be true for the answer to be right.
    problem : str
        What is wrong when the condition is false.
    hint : str, optional
        Advice shown when the answer is wrong.

    Returns
    -------
    bool
        ``True`` when the condition holds.

    Raises
    ------
    AnswerError
        If the condition is false.
    """
    _require_name(name)
    if not bool(condition):
        _fail(name, problem, hint)
    return _passed(name)
