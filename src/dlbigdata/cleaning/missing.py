"""Missing values: count them, simulate them (MCAR, MAR, MNAR), hide known ones, score fills.

Used in chapter 15.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    Table,
    aligned_like,
    describe,
    numeric_table,
    require_fraction,
    require_frame,
    require_generator,
    require_int,
    require_string,
    require_unique_labels,
)

__all__ = ["hide_at_random", "missing_summary", "sample_missingness", "score_imputations"]


def missing_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Count and share of missing values per column, most-missing first.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table with at least one row.

    Returns
    -------
    pandas.DataFrame
        Indexed by column name, with columns ``missing`` (count) and ``share``
        (fraction of rows); columns without missing values are included.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If ``frame`` has no rows (a share of nothing is undefined).

    Used in chapter 15.
    """
    require_frame("frame", frame)
    if len(frame) == 0:
        raise ValueError("frame has no rows; the share of missing values is undefined")
    counts = frame.isna().sum()
    summary = pd.DataFrame({"missing": counts.astype("int64"), "share": counts / len(frame)})
    return summary.sort_values("missing", ascending=False, kind="stable")


def _probabilities(probability: Any, size: Any) -> np.ndarray:
    """The probabilities of :func:`sample_missingness` as a float array, checked."""
    if np.ndim(probability) == 0:
        value = require_fraction("probability", probability)
        if size is None:
            raise ValueError("a scalar probability needs size, a non-negative int; got size=None")
        return np.full(require_int("size", size, minimum=0), value)
    if not isinstance(probability, (list, tuple, np.ndarray, pd.Series)):
        raise TypeError(
            f"probability must be a number or a list, array or Series of numbers, "
            f"got {type(probability).__name__}: {describe(probability)}"
        )
    array = np.asarray(probability)
    if array.ndim != 1 or array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise TypeError(
            f"probability must be one-dimensional numbers, got dtype {array.dtype} and "
            f"shape {array.shape}"
        )
    array = array.astype(float)
    if size is not None and require_int("size", size, minimum=0) != len(array):
        raise ValueError(f"size={size} differs from the {len(array)} probabilities given")
    bad = ~((array >= 0) & (array <= 1))  # NaN is bad too
    if bad.any():
        raise ValueError(f"probabilities must lie in [0, 1]; got {array[bad][:5].tolist()}")
    return array


def sample_missingness(
    probability: float | np.ndarray | pd.Series, rng: np.random.Generator, size: int | None = None
) -> np.ndarray:
    """Draw which values go missing, each independently with its own probability.

    A constant probability gives values *missing completely at random* (MCAR); a
    probability computed from other, observed columns gives *missing at random*
    (MAR); one computed from the value itself gives *missing not at random* (MNAR).

    Parameters
    ----------
    probability : float or list, array or Series of float
        Probability that each value is missing, in ``[0, 1]``; a scalar needs ``size``.
        A Series is read by position (the result is an array).
    rng : numpy.random.Generator
        Source of randomness.
    size : int, optional
        Number of values when ``probability`` is a scalar.

    Returns
    -------
    numpy.ndarray of bool
        ``True`` where the value is to be hidden.

    Raises
    ------
    TypeError
        If ``rng`` is not a Generator, a probability is not a number (booleans and
        text included) or ``size`` is not an int.
    ValueError
        If a probability lies outside ``[0, 1]`` or is NaN, or ``size`` is missing,
        negative or inconsistent.

    Used in chapter 15.
    """
    require_generator("rng", rng)
    probabilities = _probabilities(probability, size)
    return rng.random(len(probabilities)) < probabilities


def hide_at_random(
    values: Table, fraction: float, rng: np.random.Generator
) -> tuple[Table, Table]:
    """Hide a fraction of the *known* values, to measure how well an imputation recovers them.

    Parameters
    ----------
    values : pandas.Series or pandas.DataFrame
        Numeric values, possibly with missing ones (these stay missing and are not counted).
    fraction : float
        Share of the known values to hide, strictly between 0 and 1.
    rng : numpy.random.Generator
        Source of randomness; exactly ``round(fraction * known)`` values are hidden.

    Returns
    -------
    masked : same type as ``values``
        A copy with the chosen values set to missing.
    mask : same type as ``values``, of bool
        ``True`` where a known value was hidden; same index (and columns).

    Raises
    ------
    TypeError
        If ``values`` is not a Series/DataFrame, is not numeric, or ``rng`` is not a Generator.
    ValueError
        If ``fraction`` is not in ``(0, 1)``, a value is infinite, or fewer than one
        value would be hidden.

    Used in chapter 15.
    """
    numeric_table("values", values)
    fraction = require_fraction("fraction", fraction, include_zero=False, include_one=False)
    require_generator("rng", rng)
    known = np.flatnonzero(values.notna().to_numpy().ravel())
    count = round(fraction * len(known))
    if count < 1:
        raise ValueError(
            f"hiding fraction={fraction} of {len(known)} known values hides none; use more data"
        )
    flat_mask = np.zeros(values.size, dtype=bool)
    flat_mask[rng.choice(known, size=count, replace=False)] = True
    mask_array = flat_mask.reshape(values.shape)
    if isinstance(values, pd.Series):
        mask = pd.Series(mask_array, index=values.index, name=values.name)
    else:
        mask = pd.DataFrame(mask_array, index=values.index, columns=values.columns)
    return values.mask(mask_array), mask


def _boolean_mask(mask: Table) -> np.ndarray:
    """The values of a boolean Series/DataFrame as an array; anything else is refused."""
    dtypes = [mask.dtype] if isinstance(mask, pd.Series) else list(mask.dtypes)
    if not all(pd.api.types.is_bool_dtype(dtype) for dtype in dtypes):
        raise TypeError(
            f"mask must hold booleans (True where a value was hidden), got dtype(s) "
            f"{sorted(set(map(str, dtypes)))}"
        )
    array = mask.to_numpy()
    if pd.isna(array).any():
        raise ValueError("mask must not hold missing values; it says which values were hidden")
    return array.astype(bool)


def _hidden_values(name: str, table: Table, truth: Table, mask: np.ndarray) -> np.ndarray:
    """The values of ``table`` where ``mask`` is True, after aligning it on ``truth``."""
    numbers = numeric_table(name, aligned_like(name, table, truth, "truth"))
    return numbers.to_numpy(dtype=float)[mask]


def score_imputations(truth: Table, mask: Table, candidates: Mapping[str, Table]) -> pd.Series:
    """Mean absolute error of each imputation on the values that were hidden.

    Every table is aligned on the row labels (and columns) of ``truth``, never by
    position: a candidate whose rows were shuffled is scored correctly, and one whose
    labels differ from ``truth``'s, or repeat, is refused.

    Parameters
    ----------
    truth : pandas.Series or pandas.DataFrame
        The values before hiding, with unique row labels.
    mask : same kind and labels as ``truth``, of bool
        ``True`` where a value was hidden (as returned by :func:`hide_at_random`).
    candidates : mapping of str to Series/DataFrame
        Each imputation's completed values, same kind and labels as ``truth``.

    Returns
    -------
    pandas.Series
        MAE per candidate, named ``"MAE"``, smallest (best) first.

    Raises
    ------
    TypeError
        If a table is of the wrong kind or not numeric, ``mask`` is not boolean, or
        ``candidates`` is not a mapping with string keys.
    ValueError
        If labels or columns differ or repeat, nothing was hidden, a hidden true value
        is itself missing, or a candidate left a hidden value unfilled (its name and
        count are given).

    Used in chapter 15.
    """
    if not isinstance(candidates, Mapping) or not candidates:
        raise TypeError(
            f"candidates must be a non-empty mapping of name to imputed values, "
            f"got {type(candidates).__name__}: {describe(candidates)}"
        )
    truth_numbers = numeric_table("truth", truth)
    require_unique_labels("truth", truth.index)
    mask_array = _boolean_mask(aligned_like("mask", mask, truth, "truth"))
    if not mask_array.any():
        raise ValueError("mask hides no value; nothing to score")
    hidden_truth = truth_numbers.to_numpy(dtype=float)[mask_array]
    if np.isnan(hidden_truth).any():
        raise ValueError(f"{int(np.isnan(hidden_truth).sum())} hidden values have no true value")
    errors = {}
    for name, imputed in candidates.items():
        require_string("candidate name", name)
        guesses = _hidden_values(f"candidate {name!r}", imputed, truth, mask_array)
        unfilled = int(np.isnan(guesses).sum())
        if unfilled:
            raise ValueError(f"candidate {name!r} left {unfilled} hidden values missing")
        errors[name] = float(np.mean(np.abs(guesses - hidden_truth)))
    return pd.Series(errors, name="MAE").sort_values(kind="stable")
