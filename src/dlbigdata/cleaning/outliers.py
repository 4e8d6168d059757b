"""Outliers: Tukey's IQR fences and robust z-scores (median and MAD), which one extreme value
cannot mask.

Used in chapter 15.
"""

from __future__ import annotations

import pandas as pd

from dlbigdata._validation import named, numeric_series, require_number

__all__ = ["iqr_fences", "iqr_outliers", "robust_z_outliers", "robust_z_scores"]


def _known_numbers(values: object) -> pd.Series:
    """Float copy of a numeric, finite Series; raise if nothing is known."""
    numbers = numeric_series("values", values)
    if numbers.notna().sum() == 0:
        raise ValueError(f"{named('values', numbers)} has no known value")
    return numbers


def iqr_fences(values: pd.Series, k: float = 1.5) -> tuple[float, float]:
    """Tukey's fences ``Q1 - k*IQR`` and ``Q3 + k*IQR``.

    Parameters
    ----------
    values : pandas.Series
        Numeric values; missing ones are ignored, infinite ones refused.
    k : float
        Width of the fences in interquartile ranges (positive and finite; 1.5 is
        Tukey's choice).

    Returns
    -------
    tuple of float
        Lower and upper fence.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series or ``k`` is not a number.
    ValueError
        If ``k`` is not positive (NaN and infinity included), a value is infinite or
        no value is known.

    Used in chapter 15.
    """
    numbers = _known_numbers(values)
    k = require_number("k", k, minimum=0, low_open=True)
    q1, q3 = numbers.quantile([0.25, 0.75])
    return float(q1 - k * (q3 - q1)), float(q3 + k * (q3 - q1))


def iqr_outliers(values: pd.Series, k: float = 1.5) -> pd.Series:
    """Flag values outside Tukey's fences (see :func:`iqr_fences`).

    Parameters
    ----------
    values : pandas.Series
        Numeric values; missing ones are never flagged.
    k : float
        Width of the fences in interquartile ranges.

    Returns
    -------
    pandas.Series of bool
        ``True`` for outliers, aligned with ``values``.

    Raises
    ------
    TypeError, ValueError
        As :func:`iqr_fences`.

    Used in chapter 15.
    """
    low, high = iqr_fences(values, k)
    numbers = numeric_series("values", values)
    return ((numbers < low) | (numbers > high)).fillna(False).astype(bool)


def robust_z_scores(values: pd.Series) -> pd.Series:
    """Robust z-scores ``0.6745 * (x - median) / MAD`` (Iglewicz and Hoaglin's modified z).

    The median absolute deviation ``MAD = median(|x - median(x)|)`` is not inflated
    by the outliers it is meant to find, unlike the standard deviation; the factor
    0.6745 makes the score comparable with an ordinary z-score for normal data.

    Parameters
    ----------
    values : pandas.Series
        Numeric values; missing ones get a missing score, infinite ones are refused.

    Returns
    -------
    pandas.Series of float
        The scores, aligned with ``values``.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If a value is infinite, no value is known, or the MAD is zero (more than half
        the values are equal, e.g. hourly precipitation), where the score is undefined.

    Used in chapter 15.
    """
    numbers = _known_numbers(values)
    median = numbers.median()
    mad = (numbers - median).abs().median()
    if mad == 0:
        raise ValueError(
            f"the median absolute deviation of {values.name!r} is 0 (at least half "
            f"the values equal the median {median}); robust z-scores are undefined, "
            f"use another rule for this column"
        )
    return 0.6745 * (numbers - median) / mad


def robust_z_outliers(values: pd.Series, threshold: float = 3.5) -> pd.Series:
    """Flag values whose robust z-score exceeds ``threshold`` in absolute value.

    Parameters
    ----------
    values : pandas.Series
        Numeric values; missing ones are never flagged.
    threshold : float
        Cut-off on ``|z|`` (positive and finite; 3.5 is Iglewicz and Hoaglin's
        recommendation).

    Returns
    -------
    pandas.Series of bool
        ``True`` for outliers, aligned with ``values``.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series or ``threshold`` is not a number.
    ValueError
        If ``threshold`` is not positive (NaN and infinity included), or as
        :func:`robust_z_scores`.

    Used in chapter 15.
    """
    threshold = require_number("threshold", threshold, minimum=0, low_open=True)
    return (robust_z_scores(values).abs() > threshold).fillna(False).astype(bool)
