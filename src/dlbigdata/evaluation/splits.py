"""Splits that respect entities and time, and the checks that prove a split does not leak.

A random row split is wrong whenever rows are not independent: two visits of one patient,
two ratings of one user or two days of one price series share information, so a model
scored on rows it has "seen" through a sibling looks better than it will be. These helpers
build the honest split for each case and check it:

- :func:`split_by_time`: everything before a cutoff trains, the rest tests;
- :func:`split_last_per_entity`: each entity's latest events test (a recommender's view);
- :func:`check_disjoint`: no entity on both sides (raises, naming the shared ones);
- :func:`check_time_order`: every training time precedes every test time.

For a random split by entity use scikit-learn's ``GroupShuffleSplit`` (or
``StratifiedGroupKFold``) and prove it with :func:`check_disjoint`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dlbigdata._validation import (
    require_columns,
    require_frame,
    require_int,
    require_string,
)

__all__ = [
    "check_disjoint",
    "check_time_order",
    "split_by_time",
    "split_last_per_entity",
]


def _time_column(name: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """The column ``column`` of ``frame``, refused when it has a missing value."""
    require_columns(name, frame, [column])
    values = frame[column]
    missing = values.isna()
    if missing.any():
        raise ValueError(
            f"{name}[{column!r}] has {int(missing.sum())} missing value(s), the first at "
            f"label {missing.idxmax()}: a row without a time cannot be placed on either "
            "side of a time split"
        )
    return values


def split_by_time(
    frame: pd.DataFrame, column: str, cutoff: Any
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``frame`` into the rows before ``cutoff`` and the rows at or after it.

    Parameters
    ----------
    frame : DataFrame
        The rows to split; its index is kept on both sides.
    column : str
        The time column (datetimes, dates as strings in ISO order, or numbers).
    cutoff
        The first time of the test side, comparable with the column.

    Returns
    -------
    train, test : DataFrame
        ``column < cutoff`` and ``column >= cutoff``; together exactly the rows of
        ``frame``.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame, ``column`` not a string, or ``cutoff`` cannot
        be compared with the column.
    ValueError
        If the column is missing or has a missing time, or either side would be empty.

    Used in chapters 21 and 24.
    """
    require_frame("frame", frame)
    column = require_string("column", column)
    times = _time_column("frame", frame, column)
    try:
        before = times < cutoff
    except TypeError as error:
        raise TypeError(
            f"cutoff {cutoff!r} cannot be compared with column {column!r} of dtype "
            f"{times.dtype}: pass a value of the same kind"
        ) from error
    if before.all() or not before.any():
        side = "test" if before.all() else "training"
        raise ValueError(
            f"cutoff {cutoff!r} leaves the {side} side empty: the column {column!r} runs "
            f"from {times.min()} to {times.max()}"
        )
    return frame[before], frame[~before]


def split_last_per_entity(
    frame: pd.DataFrame, entity: str, time: str, n_test: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out each entity's ``n_test`` latest rows; earlier rows train.

    Entities with ``n_test`` rows or fewer stay wholly in training (there would be nothing
    to learn them from). Ties in time are broken by the order of the rows, so the split
    is deterministic.

    Parameters
    ----------
    frame : DataFrame
        Events, one per row (for example ratings).
    entity, time : str
        The column naming the entity (a user) and the event's time.
    n_test : int
        How many of each entity's latest events to hold out (at least 1).

    Returns
    -------
    train, test : DataFrame
        Disjoint, together exactly the rows of ``frame``, index kept.

    Raises
    ------
    TypeError, ValueError
        For a wrong argument: not a frame, a missing column or time, ``n_test < 1``.

    Used in chapter 22.
    """
    require_frame("frame", frame, allow_empty=False)
    entity = require_string("entity", entity)
    time = require_string("time", time)
    n_test = require_int("n_test", n_test, minimum=1)
    require_columns("frame", frame, [entity])
    _time_column("frame", frame, time)
    order = frame[[entity, time]].assign(_row=range(len(frame)))
    order = order.sort_values([entity, time, "_row"], kind="stable")
    from_end = order.groupby(entity, sort=False, observed=True).cumcount(ascending=False)
    sizes = order.groupby(entity, sort=False, observed=True)[time].transform("size")
    held_out = (from_end < n_test) & (sizes > n_test)
    test_rows = order["_row"][held_out].sort_values().to_numpy()
    is_test = pd.Series(False, index=range(len(frame)))
    is_test.iloc[test_rows] = True
    mask = is_test.to_numpy()
    return frame[~mask], frame[mask]


def check_disjoint(train: pd.DataFrame, test: pd.DataFrame, column: str) -> int:
    """Raise ValueError if any value of ``column`` (an entity) is on both sides.

    Returns
    -------
    int
        The number of distinct entities in ``train`` and ``test`` together.

    Raises
    ------
    ValueError
        Naming how many entities are shared and the first few of them.

    Used in chapters 20, 21 and 22.
    """
    require_frame("train", train)
    require_frame("test", test)
    column = require_string("column", column)
    require_columns("train", train, [column])
    require_columns("test", test, [column])
    shared = pd.Index(train[column].dropna().unique()).intersection(
        pd.Index(test[column].dropna().unique())
    )
    if len(shared):
        shown = ", ".join(map(repr, list(shared[:5])))
        raise ValueError(
            f"{len(shared)} value(s) of {column!r} are in both train and test "
            f"(first: {shown}); split by {column!r} so that each is on one side only"
        )
    return int(pd.concat([train[column], test[column]]).nunique())


def check_time_order(train: pd.DataFrame, test: pd.DataFrame, column: str) -> None:
    """Raise ValueError unless every training time is earlier than every test time.

    Used in chapters 21 and 24.
    """
    require_frame("train", train, allow_empty=False)
    require_frame("test", test, allow_empty=False)
    column = require_string("column", column)
    last_train = _time_column("train", train, column).max()
    first_test = _time_column("test", test, column).min()
    if not last_train < first_test:
        raise ValueError(
            f"the latest training {column!r} ({last_train}) is not before the earliest "
            f"test {column!r} ({first_test}): the model would be tested on the past"
        )
