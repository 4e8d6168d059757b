"""Duplicates: every row that shares its key with another, grouped, before anything is dropped.

Used in chapter 15.
"""

from __future__ import annotations

import pandas as pd

from dlbigdata._validation import require_columns, require_frame, require_names

__all__ = ["find_duplicates"]


def _refuse_unhashable(frame: pd.DataFrame, subset: list[str]) -> None:
    """Raise TypeError naming a key column that holds lists, dicts or sets (no equality key)."""
    for column in subset:
        if frame[column].dtype == object:
            kinds = frame[column].map(type).isin([list, dict, set])
            if kinds.any():
                example = frame[column][kinds].iloc[0]
                raise TypeError(
                    f"frame[{column!r}] must hold hashable key values (numbers, text, "
                    f"tuples), got {type(example).__name__}: {example!r}"
                )


def find_duplicates(frame: pd.DataFrame, subset: list[str] | None = None) -> pd.DataFrame:
    """Every row that shares its key with another row, grouped, instead of dropping copies.

    A missing value in a key column equals another missing value, as in pandas'
    ``duplicated`` and ``drop_duplicates``: two rows that agree on the key except that
    both lack the same value form a group (they are what ``drop_duplicates`` would
    remove), a missing value never equals a known one, and no row is dropped for a
    missing key. Key values are compared exactly: no text is normalised.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to inspect, without a column named ``duplicate_group``.
    subset : list of str, optional
        Columns that form the key; all columns when omitted (exact duplicates).

    Returns
    -------
    pandas.DataFrame
        The duplicated rows (all copies, original index kept), sorted by key, with
        a column ``duplicate_group`` numbering the groups from 0. Empty when every
        key is unique.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, ``subset`` is not a list of column names (a
        single string included), or a key column holds lists, dicts or sets.
    ValueError
        If ``subset`` (or ``frame``, without ``subset``) has no column, ``subset``
        repeats a name or names columns that ``frame`` lacks, or ``frame`` already
        has a ``duplicate_group`` column (it would be overwritten).

    Used in chapter 15.
    """
    require_frame("frame", frame)
    if "duplicate_group" in frame.columns:
        raise ValueError(
            "frame already has a column 'duplicate_group', which find_duplicates adds; "
            "rename or drop it first"
        )
    if subset is None and frame.shape[1] == 0:
        raise ValueError("frame has no column to compare rows on")
    subset = list(frame.columns) if subset is None else require_names("subset", subset)
    require_columns("frame", frame, subset)
    _refuse_unhashable(frame, subset)
    duplicated = frame[frame.duplicated(subset=subset, keep=False)]
    groups = duplicated.groupby(subset, observed=True, dropna=False, sort=True).ngroup()
    result = duplicated.assign(duplicate_group=groups.astype("int64"))
    return result.sort_values(["duplicate_group"], kind="stable")
