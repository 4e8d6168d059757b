"""Imputation: fill gaps with a constant, a group's statistic, time interpolation, neighbours
or chained regressions.

Used in chapter 15.
"""

from __future__ import annotations

import pandas as pd

from dlbigdata._validation import (
    Table,
    describe,
    named,
    numeric_frame,
    numeric_series,
    numeric_table,
    require_choice,
    require_frame,
    require_int,
    require_unique_labels,
)

__all__ = [
    "impute_by_group",
    "impute_constant",
    "impute_interpolate",
    "impute_iterative",
    "impute_knn",
]

_STATISTICS = ("mean", "median")


def _known_series(values: object, statistic: object) -> tuple[pd.Series, str]:
    """``values`` as floats with at least one known value, and the checked statistic."""
    numbers = numeric_series("values", values)
    chosen = str(require_choice("statistic", statistic, _STATISTICS))
    if numbers.notna().sum() == 0:
        raise ValueError(
            f"{named('values', numbers)} has no known value to compute a {chosen} from"
        )
    return numbers, chosen


def impute_constant(values: pd.Series, statistic: str = "mean") -> pd.Series:
    """Fill missing values with the mean or median of the known ones (the article's method).

    Parameters
    ----------
    values : pandas.Series
        Numeric values with gaps, at least one of them known.
    statistic : {"mean", "median"}
        Which statistic of the known values to fill in.

    Returns
    -------
    pandas.Series
        A float copy without missing values.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If ``statistic`` is unknown, a value is infinite or no value is known.

    Used in chapter 15.
    """
    numbers, statistic = _known_series(values, statistic)
    return numbers.fillna(getattr(numbers, statistic)())


def _group_keys(groups: object, index: pd.Index) -> list[pd.Series]:
    """The group keys of :func:`impute_by_group` as Series aligned on ``index`` by label."""
    if isinstance(groups, pd.DataFrame):
        keys = [groups[column] for column in groups.columns]
    elif isinstance(groups, pd.Series):
        keys = [groups]
    elif isinstance(groups, (list, tuple)):
        keys = list(groups)
    else:
        raise TypeError(
            f"groups must be a Series, a DataFrame or a list of Series, "
            f"got {type(groups).__name__}: {describe(groups)}"
        )
    if not keys:
        raise ValueError("groups must hold at least one key, got none")
    aligned = []
    for number, key in enumerate(keys):
        if not isinstance(key, pd.Series):
            raise TypeError(
                f"group key {number} must be a pandas Series aligned with values, "
                f"got {type(key).__name__}: {describe(key)}"
            )
        if key.index.equals(index):
            aligned.append(key)
            continue
        require_unique_labels(f"group key {number}", key.index)
        require_unique_labels("values", index)
        if len(key) != len(index) or not key.index.isin(index).all():
            raise ValueError(
                f"group key {number} must have the row labels of values ({len(index)} rows), "
                f"got {len(key)} rows with other labels"
            )
        aligned.append(key.reindex(index))
    return aligned


def impute_by_group(
    values: pd.Series, groups: pd.Series | pd.DataFrame | list[pd.Series], statistic: str = "mean"
) -> pd.Series:
    """Fill missing values with the mean or median of their group (e.g. airport and month).

    Keys are matched to ``values`` by row label (a shuffled key is reordered). A row
    whose key is missing (NaN in any key) belongs to no group: its value stays as it is,
    missing if it was, and it does not count towards any group's statistic. Values also
    stay missing in groups without any known value: nothing is invented for them, so
    :func:`score_imputations` will say so. No row is ever dropped.

    Parameters
    ----------
    values : pandas.Series
        Numeric values with gaps, at least one of them known.
    groups : Series, DataFrame or list of Series
        Group labels with the row labels of ``values``.
    statistic : {"mean", "median"}
        Which statistic of the group's known values to fill in.

    Returns
    -------
    pandas.Series
        A float copy with the index of ``values``.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series or a key is not a Series.
    ValueError
        If ``statistic`` is unknown, no value is known, or a key's labels differ from
        those of ``values`` (or repeat, when they are not in the same order).

    Used in chapter 15.
    """
    numbers, statistic = _known_series(values, statistic)
    keys = _group_keys(groups, values.index)
    filler = numbers.groupby(keys, observed=True, dropna=True).transform(statistic)
    return numbers.fillna(filler)


def impute_interpolate(values: Table) -> Table:
    """Fill gaps in time series by linear interpolation in time (ends take the nearest value).

    Parameters
    ----------
    values : pandas.Series or pandas.DataFrame
        Numeric values indexed by a sorted :class:`~pandas.DatetimeIndex` without
        repeated or missing times; each column is one series (e.g. one airport).

    Returns
    -------
    same type as ``values``
        A float copy; only columns without any known value stay missing.

    Raises
    ------
    TypeError
        If the index is not a DatetimeIndex or the values are not numeric.
    ValueError
        If a value is infinite, or the index is not sorted increasingly, repeats a time
        or holds a missing time.

    Used in chapter 15.
    """
    numbers = numeric_table("values", values)
    index = values.index
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(
            f"values must be indexed by time (DatetimeIndex), got {type(index).__name__}"
        )
    if index.hasnans:
        raise ValueError("the time index holds missing times (NaT); drop or fix them first")
    if not index.is_monotonic_increasing:
        raise ValueError("the time index must be sorted increasingly; call sort_index() first")
    require_unique_labels("values", index, "times", "")
    return numbers.interpolate(method="time", limit_direction="both")


def _standardised(frame: object) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """A numeric frame scaled to mean 0 and standard deviation 1 (on its known values)."""
    numbers = numeric_frame("frame", require_frame("frame", frame))
    if numbers.shape[1] == 0:
        raise ValueError("frame has no column to impute")
    empty = [column for column in numbers.columns if numbers[column].notna().sum() < 2]
    if empty:
        raise ValueError(
            f"column(s) {empty} have fewer than two known values; they cannot be "
            f"scaled or used for imputation"
        )
    centre, scale = numbers.mean(), numbers.std().replace(0.0, 1.0)
    return (numbers - centre) / scale, centre, scale


def impute_knn(frame: pd.DataFrame, n_neighbors: int = 5) -> pd.DataFrame:
    """Fill each gap with the mean of the ``n_neighbors`` most similar rows (KNNImputer).

    Columns are standardised first, so that distances do not depend on units.

    Parameters
    ----------
    frame : pandas.DataFrame
        Numeric columns; similarity is measured on the columns a row has.
    n_neighbors : int
        Number of neighbours averaged (positive).

    Returns
    -------
    pandas.DataFrame
        A float copy with the same index and columns, without missing values.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, a column is not numeric or ``n_neighbors`` is
        not an int.
    ValueError
        If ``n_neighbors`` is not positive, a value is infinite, or a column has fewer
        than two known values (scikit-learn would silently drop it).

    Used in chapter 15.
    """
    from sklearn.impute import KNNImputer

    scaled, centre, scale = _standardised(frame)
    n_neighbors = require_int("n_neighbors", n_neighbors, minimum=1)
    filled = KNNImputer(n_neighbors=n_neighbors).fit_transform(scaled)
    return pd.DataFrame(filled, index=frame.index, columns=frame.columns) * scale + centre


def impute_iterative(
    frame: pd.DataFrame, random_state: int = 0, max_iter: int = 25
) -> pd.DataFrame:
    """Fill gaps by regressing each column on the others, round after round (chained equations).

    A thin wrapper of scikit-learn's ``IterativeImputer`` (Bayesian ridge regressions),
    the single-imputation form of the MICE algorithm.

    Parameters
    ----------
    frame : pandas.DataFrame
        Numeric columns.
    random_state : int
        Seed of the imputer (non-negative).
    max_iter : int
        Maximum number of rounds (positive).

    Returns
    -------
    pandas.DataFrame
        A float copy with the same index and columns, without missing values.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, a column is not numeric, or ``random_state``
        or ``max_iter`` is not an int.
    ValueError
        If ``max_iter`` is not positive, ``random_state`` is negative, a value is
        infinite, or a column has fewer than two known values.

    Used in chapter 15.
    """
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401  (registers the class)
    from sklearn.impute import IterativeImputer

    scaled, centre, scale = _standardised(frame)
    random_state = require_int("random_state", random_state, minimum=0)
    max_iter = require_int("max_iter", max_iter, minimum=1)
    imputer = IterativeImputer(random_state=random_state, max_iter=max_iter, tol=1e-4)
    filled = imputer.fit_transform(scaled)
    return pd.DataFrame(filled, index=frame.index, columns=frame.columns) * scale + centre
