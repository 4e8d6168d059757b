"""Checks of single values: types, numbers within bounds, choices, callables, seeds, times."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

SEED_LIMIT = 2**32
"""Seeds are integers in ``[0, 2**32)``, as :func:`dlbigdata.seed_everything` accepts."""


def describe(value: object) -> str:
    """Return a short ``repr`` of ``value`` for an error message (at most 80 characters)."""
    if isinstance(value, (pd.DataFrame, pd.Series, np.ndarray)):
        return f"a {type(value).__name__} of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _type_name(value: object) -> str:
    return type(value).__name__


def require_type(name: str, value: Any, types: type | tuple[type, ...], accepted: str) -> Any:
    """Return ``value`` if it is an instance of ``types``, else raise TypeError.

    ``accepted`` is the phrase of the message, e.g. ``"a pandas DataFrame"``.
    """
    if not isinstance(value, types):
        raise TypeError(f"{name} must be {accepted}, got {_type_name(value)}: {describe(value)}")
    return value


def require_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool (NumPy's included), else raise TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {_type_name(value)}: {describe(value)}"
        )
    return bool(value)


def require_string(name: str, value: Any, *, allow_empty: bool = False) -> str:
    """Return ``value`` if it is a (non-empty) string, else raise TypeError/ValueError."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {_type_name(value)}: {describe(value)}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value


def require_int(
    name: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Return ``value`` as a plain int within ``[minimum, maximum]``.

    Python and NumPy integers are accepted; booleans, floats (even ``3.0``) and strings
    raise TypeError, a value outside the bounds raises ValueError.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {_type_name(value)}: {describe(value)}")
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {number}")
    return number


def _bound_text(
    minimum: float | None, maximum: float | None, low_open: bool, high_open: bool
) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if low_open else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'<' if high_open else '<='} {maximum:g}")
    return "a finite number" + (" " + " and ".join(parts) if parts else "")


def require_number(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_infinity: bool = False,
) -> float:
    """Return ``value`` as a plain float, finite and within the bounds.

    Python and NumPy reals are accepted; booleans, strings and complex numbers raise
    TypeError. NaN always raises ValueError (it would switch a rule off silently), and so
    does an infinity unless ``allow_infinity``. ``low_open``/``high_open`` exclude the
    bounds themselves.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {_type_name(value)}: {describe(value)}")
    number = float(value)
    accepted = _bound_text(minimum, maximum, low_open, high_open)
    if math.isnan(number) or (math.isinf(number) and not allow_infinity):
        raise ValueError(f"{name} must be {accepted}, got {number!r}")
    too_low = minimum is not None and (number <= minimum if low_open else number < minimum)
    too_high = maximum is not None and (number >= maximum if high_open else number > maximum)
    if too_low or too_high:
        raise ValueError(f"{name} must be {accepted}, got {value!r}")
    return number


def require_fraction(
    name: str, value: Any, *, include_zero: bool = True, include_one: bool = True
) -> float:
    """Return ``value`` as a float in ``[0, 1]`` (ends excluded on request)."""
    return require_number(
        name, value, minimum=0.0, maximum=1.0, low_open=not include_zero, high_open=not include_one
    )


def require_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise ValueError listing them."""
    options = list(choices)
    try:
        known = value in options
    except TypeError:  # an unhashable or incomparable value is simply not a choice
        known = False
    if not known or (
        isinstance(value, (bool, np.bool_))
        and not any(isinstance(option, bool) for option in options)
    ):
        listed = ", ".join(repr(option) for option in options)
        raise ValueError(f"{name} must be one of {listed}; got {describe(value)}")
    return value


def require_generator(name: str, value: Any) -> np.random.Generator:
    """Return ``value`` if it is a NumPy Generator (``np.random.default_rng(seed)``)."""
    return require_type(
        name, value, np.random.Generator, "a numpy.random.Generator (np.random.default_rng(seed))"
    )


def require_callable(name: str, value: Any) -> Any:
    """Return ``value`` if it can be called, else raise TypeError."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {_type_name(value)}: {describe(value)}")
    return value


def require_seed(name: str, value: Any) -> int:
    """Return ``value`` as an int seed in ``[0, 2**32)`` (booleans and floats refused)."""
    return require_int(name, value, minimum=0, maximum=SEED_LIMIT - 1)


def require_timestamp(name: str, value: Any) -> dt.datetime:
    """Return ``value`` as a naive :class:`datetime.datetime` in UTC.

    A datetime or pandas Timestamp with a time zone is converted to UTC; one without a
    zone is taken to be in UTC already; a :class:`datetime.date` stands for its midnight.
    NaT and a Timestamp with nanoseconds (not storable in microseconds) raise ValueError;
    a string, a number or a ``numpy.datetime64`` raises TypeError.
    """
    if value is pd.NaT:
        raise ValueError(f"{name} must be a valid date or time, got NaT")
    require_type(name, value, dt.date, "a datetime.datetime, pandas.Timestamp or datetime.date")
    if isinstance(value, pd.Timestamp):
        if value.nanosecond:
            raise ValueError(f"{name} must have at most microsecond precision, got {value!r}")
        value = value.to_pydatetime()
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None)
