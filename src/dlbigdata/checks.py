"""Answer checks for the exercises: a clear hint instead of a bare ``AssertionError``.

Every exercise solution ends with one of these calls. When the answer is right they print
a short confirmation (and return ``None``, so a cell that ends with a check shows nothing
else); when it is wrong they raise :class:`AnswerError` (a subclass of ``AssertionError``,
so a failing solution fails the tests) whose message says which value is wrong, what was
expected and, when given, a hint about the usual mistake.

The comparisons are strict about kinds, so that a wrong answer cannot pass by accident:

- a string is not a number (``"1.0"`` does not pass for ``1.0``), and a bool is not a number
  (``True`` does not pass for ``1``), in scalars, in lists and in arrays;
- a DataFrame must have the expected columns (names and order) and index; a Series compared
  with a Series must have the expected index (its name is not compared); an answer compared
  with a list or array is compared by position;
- NaN equals NaN: a missing value passes exactly where the expected value is missing too;
- integers and floats of the same value are equal for :func:`check_equal` (``3 == 3.0``).

A mistake in the exercise itself (an expected value that is not a number, ``low > high``,
a condition that is not a bool) raises TypeError or ValueError instead, naming the value.
"""

from __future__ import annotations

import math
from numbers import Number, Real
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from dlbigdata._validation import describe, require_bool, require_number, require_string

__all__ = ["AnswerError", "check_close", "check_equal", "check_in_range", "check_true"]

_ARRAYS = (np.ndarray, pd.Series, pd.Index)
_SETS = (set, frozenset)
_CONTAINERS = (list, tuple, dict, _SETS)


class AnswerError(AssertionError):
    """A learner's answer is wrong; the message explains how."""


def _conclude(name: str, problem: str | None, hint: str | None) -> None:
    """Raise AnswerError describing ``problem``, or print that the answer checks out."""
    if problem is not None:
        raise AnswerError(f"{name}: {problem}" + (f"\nHint: {hint}" if hint else ""))
    print(f"Correct: {name} checks out.")


def _require_wording(name: object, hint: object) -> None:
    """Refuse a name or hint that cannot make a message (the exercise's mistake)."""
    require_string("name", name)
    if hint is not None:
        require_string("hint", hint)


def _shown(value: object) -> str:
    """``describe(value)``, NumPy scalars shown as plain numbers (``3``, not ``np.int64(3)``)."""
    return describe(value.item() if isinstance(value, np.generic) else value)


def _is_bool(value: object) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_number(value: object) -> bool:
    return isinstance(value, Number) and not _is_bool(value)


def _kind(value: object) -> str:
    """A word for the kind of ``value`` in messages."""
    if _is_bool(value):
        return "a bool"
    if _is_number(value):
        return "a number"
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------
# Exact comparison
# ---------------------------------------------------------------------------


def _scalar_difference(answer: Any, expected: Any) -> str | None:
    """Why two non-container values differ, or None if they are equal."""
    if _is_number(answer) and _is_number(expected):
        both_nan = _is_nan(answer) and _is_nan(expected)
        return None if both_nan or answer == expected else ""
    if _is_bool(answer) or _is_bool(expected) or _is_number(answer) or _is_number(expected):
        if _is_bool(answer) and _is_bool(expected):
            return None if bool(answer) == bool(expected) else ""
        return f"expected {_kind(expected)}, got {_kind(answer)}"
    if isinstance(answer, str) != isinstance(expected, str):
        return f"expected {_kind(expected)}, got {_kind(answer)}"
    try:
        same = answer == expected
    except (TypeError, ValueError):
        same = False
    return None if isinstance(same, (bool, np.bool_)) and same else ""


def _is_nan(value: object) -> bool:
    return isinstance(value, Real) and math.isnan(value)


def _container_difference(answer: Any, expected: Any) -> str | None:
    """Why two lists, tuples, dicts or sets differ (item by item), or None if they are equal."""
    family = next((kind for kind in _CONTAINERS if isinstance(expected, kind)), None)
    if family is None or not isinstance(answer, family):
        return f"expected {_kind(expected)}, got {_kind(answer)}"
    if family is _SETS:
        return _set_difference(answer, expected)
    if isinstance(expected, dict) and isinstance(answer, dict):  # answer is then a dict too
        if set(answer) != set(expected):
            return f"has keys {sorted(map(str, answer))}, expected {sorted(map(str, expected))}"
        pairs = [(key, answer[key], expected[key]) for key in expected]
    else:
        if len(answer) != len(expected):
            return f"has {len(answer)} items, expected {len(expected)}"
        pairs = list(zip(range(len(expected)), answer, expected, strict=True))
    for key, got, wanted in pairs:
        reason = _difference(got, wanted)
        if reason is not None:
            return f"item {key!r}: got {_shown(got)}, expected {_shown(wanted)}" + (
                f" ({reason})" if reason else ""
            )
    return None


def _set_difference(answer: Any, expected: Any) -> str | None:
    """Why two sets differ; a bool in one matches only a bool in the other."""
    if answer != expected:
        return ""
    if not any(_is_bool(item) for item in [*answer, *expected]):
        return None
    unmatched = [a for a in answer if not any(_difference(a, e) is None for e in expected)]
    return f"{_shown(unmatched[0])} is not among the expected items" if unmatched else None


def _array_difference(answer: Any, expected: Any) -> str | None:
    """Why two array-likes differ (compared by position), or None if they are equal."""
    got, wanted = _as_array(answer), _as_array(expected)
    if got.shape != wanted.shape:
        return f"has shape {got.shape}, expected {wanted.shape}"
    kinds = got.dtype.kind, wanted.dtype.kind
    numeric = all(kind in "iuf" for kind in kinds)
    if numeric or (kinds[0] == kinds[1] and kinds[0] != "O"):
        with np.errstate(invalid="ignore"):
            same = (got == wanted) | ((got != got) & (wanted != wanted))  # NaN equals NaN
        if np.all(same):
            return None
        return _first_mismatch(got, wanted, int(np.flatnonzero(~np.asarray(same))[0]), "")
    if "O" not in kinds:
        return f"expected an array of {wanted.dtype}, got one of {got.dtype}"
    for position, (a, e) in enumerate(zip(got.ravel(), wanted.ravel(), strict=True)):
        reason = _difference(a, e)
        if reason is not None:
            return _first_mismatch(got, wanted, position, reason)
    return None


def _as_array(value: Any) -> np.ndarray:
    """An array of ``value``'s items; an object array when a list mixes bools with numbers."""
    if isinstance(value, (pd.Series, pd.Index, pd.DataFrame)):
        return value.to_numpy()
    if isinstance(value, (list, tuple)):
        try:
            items = np.asarray(value, dtype=object)
        except ValueError:
            items = None
        flags = [] if items is None else [_is_bool(item) for item in items.ravel()]
        if items is not None and any(flags) and not all(flags):
            return items
    try:
        return np.asarray(value)
    except ValueError:  # a ragged list
        return np.asarray(value, dtype=object)


def _first_mismatch(got: np.ndarray, wanted: np.ndarray, position: int, reason: str) -> str:
    """Where two equally shaped arrays first differ, for the message."""
    index = tuple(int(i) for i in np.unravel_index(position, wanted.shape)) if wanted.ndim else ()
    a, e = got.ravel()[position], wanted.ravel()[position]
    detail = f" ({reason})" if reason else ""
    return f"at position {index}: got {_shown(a)}, expected {_shown(e)}{detail}"


def _labels_difference(answer: Any, expected: Any) -> str | None:
    """Why two pandas objects have different columns or index, or None if they agree."""
    if isinstance(expected, pd.DataFrame) != isinstance(answer, pd.DataFrame):
        return f"expected {_kind(expected)}, got {_kind(answer)}"
    if isinstance(expected, pd.DataFrame) and list(answer.columns) != list(expected.columns):
        return f"has columns {list(answer.columns)}, expected {list(expected.columns)}"
    if not answer.index.equals(expected.index):
        return (
            f"has index {_shown(list(answer.index))}, expected {_shown(list(expected.index))}"
            " (same labels in the same order)"
        )
    return None


def _difference(answer: Any, expected: Any) -> str | None:
    """None if ``answer`` equals ``expected`` (see the module docstring); else the reason,
    ``""`` when "got X, expected Y" says it all."""
    if answer is expected:  # None, pd.NA and pd.NaT equal themselves
        return None
    pandas_pair = isinstance(expected, (pd.DataFrame, pd.Series)) and isinstance(
        answer, (pd.DataFrame, pd.Series)
    )
    if pandas_pair or isinstance(expected, pd.DataFrame) or isinstance(answer, pd.DataFrame):
        labels = _labels_difference(answer, expected)
        if labels is not None:
            return labels
    if isinstance(answer, (*_ARRAYS, pd.DataFrame)) or isinstance(
        expected, (*_ARRAYS, pd.DataFrame)
    ):
        return _array_difference(answer, expected)
    if isinstance(answer, (list, tuple, dict, *_SETS)) or isinstance(
        expected, (list, tuple, dict, *_SETS)
    ):
        return _container_difference(answer, expected)
    return _scalar_difference(answer, expected)


def check_equal(name: str, answer: Any, expected: Any, hint: str | None = None) -> None:
    """Check that ``answer`` equals ``expected`` exactly (use :func:`check_close` for floats).

    Kinds are compared strictly (see the module docstring): a string or a bool never equals
    a number, a DataFrame must have the expected columns and index, NaN equals NaN.

    Parameters
    ----------
    name : str
        What the answer is, in words (used in the message).
    answer, expected : Any
        The learner's value and the right one.
    hint : str, optional
        Advice shown when the answer is wrong.

    Raises
    ------
    AnswerError
        If the values differ; the message says where and how.

    Used in every chapter's exercises.
    """
    _require_wording(name, hint)
    reason = _difference(answer, expected)
    problem = None
    if reason is not None:
        problem = f"got {_shown(answer)}, expected {_shown(expected)}" + (
            f" ({reason})." if reason else "."
        )
    _conclude(name, problem, hint)


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


def _numbers(value: Any) -> tuple[np.ndarray, None] | tuple[None, str]:
    """``value`` as a float array, or None and why it is not numbers."""
    refusal = f"expected numbers, got {_kind(value)} {_shown(value)}"
    if _is_bool(value) or isinstance(value, (str, bytes)) or value is None:
        return None, refusal
    if isinstance(value, (pd.DataFrame, pd.Series)):
        dtypes = value.dtypes if isinstance(value, pd.DataFrame) else [value.dtype]
        wrong = [d for d in dtypes if is_bool_dtype(d) or not is_numeric_dtype(d)]
        if wrong:
            return None, f"expected numbers, got {_kind(value)} with dtype {wrong[0]}"
        return value.to_numpy(dtype=float, na_value=np.nan), None
    array = _as_array(value)
    if array.dtype.kind in "iuf":
        return array.astype(float), None
    if array.dtype.kind != "O":
        return None, refusal
    odd = [item for item in array.ravel() if not isinstance(item, Real) or _is_bool(item)]
    if odd:
        return None, f"expected numbers, got {_kind(value)} holding {_kind(odd[0])} " + _shown(
            odd[0]
        )
    return array.astype(float), None


def _close_problem(answer: Any, expected: Any, rtol: float, atol: float) -> str | None:
    """Why ``answer`` is not close to ``expected``, or None."""
    got, problem = _numbers(answer)
    if problem is not None:
        return problem + "."
    wanted, mistake = _numbers(expected)
    if mistake is not None:
        raise TypeError(f"expected must be numbers (the exercise's mistake): {mistake}")
    assert got is not None and wanted is not None  # _numbers gives an array when no problem
    if isinstance(expected, pd.DataFrame) or (
        isinstance(expected, pd.Series) and isinstance(answer, (pd.Series, pd.DataFrame))
    ):
        labels = _labels_difference(answer, expected)
        if labels is not None:
            return labels + "."
    if got.shape != wanted.shape:
        return f"has shape {got.shape}, expected {wanted.shape}."
    close = np.isclose(got, wanted, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    tolerance = f"(tolerance rtol={rtol:g}, atol={atol:g})"
    if got.size <= 6:
        return f"got {_shown(answer)}, expected {_shown(expected)} {tolerance}."
    with np.errstate(invalid="ignore"):
        worst = np.nanmax(np.where(close, 0.0, np.abs(got - wanted)))
    return (
        f"{int((~close).sum())} of {got.size} values are off, by up to {worst:.4g} "
        f"(a NaN counts as off unless expected) {tolerance}."
    )


def check_close(
    name: str,
    answer: Any,
    expected: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hint: str | None = None,
) -> None:
    """Check that numbers (or arrays, Series, DataFrames) agree within a tolerance.

    The answer must be numbers: a string, a bool or None fails, and so does an array or
    frame that holds one. Shapes must match; pandas labels must match as described in the
    module docstring. NaN passes only where the expected value is NaN.

    Parameters
    ----------
    name : str
        What the answer is, in words.
    answer, expected : float or array_like
        The learner's value and the right one.
    rtol, atol : float
        Relative and absolute tolerance (non-negative), as in :func:`numpy.isclose`.
    hint : str, optional
        Advice shown when the answer is wrong.

    Raises
    ------
    AnswerError
        If the answer is not numbers, has another shape or labels, or is too far off.
    TypeError, ValueError
        If ``expected``, ``rtol`` or ``atol`` is not valid (the exercise's mistake).

    Used in every chapter's exercises.
    """
    _require_wording(name, hint)
    rtol = require_number("rtol", rtol, minimum=0.0)
    atol = require_number("atol", atol, minimum=0.0)
    _conclude(name, _close_problem(answer, expected, rtol, atol), hint)


def check_in_range(
    name: str, answer: float, low: float, high: float, hint: str | None = None
) -> None:
    """Check that a number lies in the closed interval ``[low, high]``.

    Parameters
    ----------
    name : str
        What the answer is, in words.
    answer : float
        The learner's value: a number (not a bool, a string or an array).
    low, high : float
        Accepted bounds (inclusive), ``low <= high``; infinite bounds are allowed.
    hint : str, optional
        Advice shown when the answer is wrong.

    Raises
    ------
    AnswerError
        If the answer is not a number, is NaN or lies outside the range.
    TypeError, ValueError
        If a bound is not a number, is NaN, or ``low > high`` (the exercise's mistake).

    Used in every chapter's exercises.
    """
    _require_wording(name, hint)
    lowest = require_number("low", low, allow_infinity=True)
    highest = require_number("high", high, allow_infinity=True)
    if lowest > highest:
        raise ValueError(f"low ({low}) must not exceed high ({high})")
    problem = None
    if not isinstance(answer, Real) or _is_bool(answer):
        problem = f"expected a number, got {type(answer).__name__} {_shown(answer)}."
    elif not lowest <= answer <= highest:
        problem = f"got {float(answer):.6g}, expected a value between {low} and {high}."
    _conclude(name, problem, hint)


def check_true(name: str, condition: bool, problem: str, hint: str | None = None) -> None:
    """Check a condition that the other helpers do not cover.

    Parameters
    ----------
    name : str
        What is being checked, in words.
    condition : bool
        Must be true for the answer to be right; a bool (Python's or NumPy's), so that a
        truthy non-bool (a non-empty string, a number) cannot pass by accident.
    problem : str
        What is wrong when the condition is false.
    hint : str, optional
        Advice shown when the answer is wrong.

    Raises
    ------
    AnswerError
        If the condition is false.
    TypeError
        If ``condition`` is not a bool or ``problem`` not a string (the exercise's mistake).

    Used in every chapter's exercises.
    """
    _require_wording(name, hint)
    holds = require_bool("condition", condition)
    require_string("problem", problem)
    _conclude(name, None if holds else problem, hint)
