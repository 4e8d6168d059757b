"""k-anonymity and l-diversity of a release, generalisation with suppression, linkage.

A release is k-anonymous over its quasi-identifiers when every combination of their values
is shared by at least k records (Sweeney 2002); it is l-diverse when every such
equivalence class holds at least l distinct values of the sensitive attribute
(Machanavajjhala et al. 2007).

Used in chapter 25.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from dlbigdata._validation import (
    require_columns,
    require_frame,
    require_int,
    require_names,
    require_number,
    require_numeric_column,
    require_string,
    require_type,
)

__all__ = [
    "Anonymisation",
    "anonymise",
    "class_diversity",
    "equivalence_class_sizes",
    "k_anonymity",
    "l_diversity",
    "linkage_attack",
]


def _frame_and_keys(
    frame: pd.DataFrame, quasi_identifiers: Sequence[str], *, name: str = "frame"
) -> tuple[pd.DataFrame, list[str]]:
    frame = require_frame(name, frame)
    keys = require_names("quasi_identifiers", quasi_identifiers)
    require_columns(name, frame, keys)
    return frame, keys


def _entity(frame: pd.DataFrame, keys: list[str], entity: str | None) -> str | None:
    if entity is None:
        return None
    entity = require_string("entity", entity)
    require_columns("frame", frame, [entity])
    if entity in keys:
        raise ValueError(f"entity must not be a quasi-identifier, got {entity!r} in both")
    return entity


def equivalence_class_sizes(
    frame: pd.DataFrame, quasi_identifiers: Sequence[str], entity: str | None = None
) -> pd.Series:
    """The size of each record's equivalence class, aligned with ``frame``'s index.

    Records with a missing quasi-identifier form their own classes (``NaN`` is a value).
    With ``entity`` (a column naming the person behind each record) the size counts
    distinct people, not records: five tests of three people make a class of 3.

    Used in chapter 25.
    """
    frame, keys = _frame_and_keys(frame, quasi_identifiers)
    column = _entity(frame, keys, entity)
    grouped = frame.groupby(keys, dropna=False, observed=True)
    if column is None:
        sizes = grouped[keys[0]].transform("size")
    else:
        sizes = grouped[column].transform("nunique")
    return sizes.astype(int).rename("class_size")


def k_anonymity(
    frame: pd.DataFrame, quasi_identifiers: Sequence[str], entity: str | None = None
) -> int:
    """The k of a release: the size of its smallest equivalence class.

    With ``entity``, k counts distinct people per class (see `equivalence_class_sizes`).

    Raises
    ------
    ValueError
        If ``frame`` is empty (its k is undefined) or lacks a quasi-identifier.

    Used in chapter 25.
    """
    frame = require_frame("frame", frame, allow_empty=False)
    return int(equivalence_class_sizes(frame, quasi_identifiers, entity).min())


def class_diversity(
    frame: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str
) -> pd.Series:
    """The number of distinct ``sensitive`` values in each record's equivalence class.

    Used in chapter 25.
    """
    frame, keys = _frame_and_keys(frame, quasi_identifiers)
    sensitive = require_string("sensitive", sensitive)
    require_columns("frame", frame, [sensitive])
    if sensitive in keys:
        raise ValueError(f"sensitive must not be a quasi-identifier, got {sensitive!r} in both")
    grouped = frame.groupby(keys, dropna=False, observed=True)[sensitive]
    return grouped.transform("nunique").astype(int).rename("diversity")


def l_diversity(frame: pd.DataFrame, quasi_identifiers: Sequence[str], sensitive: str) -> int:
    """The (distinct) l of a release: the fewest sensitive values in any class.

    Raises
    ------
    ValueError
        If ``frame`` is empty, lacks a column, or ``sensitive`` is a quasi-identifier.

    Used in chapter 25.
    """
    frame = require_frame("frame", frame, allow_empty=False)
    return int(class_diversity(frame, quasi_identifiers, sensitive).min())


@dataclass(frozen=True)
class Anonymisation:
    """A generalised, suppressed release and what it cost.

    ``release`` keeps the surviving records (original index); ``suppressed`` counts the
    records removed; ``column_loss`` is, per quasi-identifier, the bin width as a share
    of the column's original range (1 for a column replaced by ``"*"``, 0 for one left
    as it is); ``k`` is the k reached (0 when every record was suppressed).

    Used in chapter 25.
    """

    release: pd.DataFrame
    k: int
    suppressed: int
    column_loss: dict[str, float] = field(default_factory=dict)

    @property
    def suppressed_share(self) -> float:
        """The share of the input's records that were suppressed."""
        total = len(self.release) + self.suppressed
        return self.suppressed / total if total else 0.0

    @property
    def information_loss(self) -> float:
        """The mean of ``column_loss`` over all quasi-identifiers (0 if none is coarsened)."""
        losses = list(self.column_loss.values())
        return sum(losses) / len(losses) if losses else 0.0


def _checked_widths(
    frame: pd.DataFrame, widths: Mapping[str, float | None]
) -> dict[str, float | None]:
    require_type("widths", widths, Mapping, "a mapping of column name to bin width")
    checked: dict[str, float | None] = {}
    for column, width in widths.items():
        require_columns("frame", frame, [column])
        if width is None:
            checked[column] = None
            continue
        require_numeric_column("frame", frame, column)
        checked[column] = require_number(f"widths[{column!r}]", width, minimum=0.0, low_open=True)
    return checked


def _generalise(
    frame: pd.DataFrame, widths: dict[str, float | None]
) -> tuple[pd.DataFrame, dict[str, float]]:
    coarse, loss = frame.copy(), {}
    for column, width in widths.items():
        if width is None:
            coarse[column], loss[column] = "*", 1.0
            continue
        values = frame[column].astype(float)
        span = float(values.max() - values.min())
        coarse[column] = (values // width) * width
        loss[column] = min(1.0, width / span) if span > 0 else 0.0
    return coarse, loss


def anonymise(
    frame: pd.DataFrame,
    quasi_identifiers: Sequence[str],
    k: int,
    widths: Mapping[str, float | None],
    entity: str | None = None,
) -> Anonymisation:
    """Generalise numeric quasi-identifiers into bins, then suppress classes below ``k``.

    Each column named in ``widths`` is replaced by the lower edge of its bin of that width
    (``floor(x / width) * width``), or by ``"*"`` when the width is ``None``; records whose
    equivalence class is still smaller than ``k`` are then removed.

    Parameters
    ----------
    frame
        The release; it is not modified.
    quasi_identifiers
        The columns an attacker may know.
    k
        The k to reach, at least 2.
    widths
        Bin width per column to generalise (numeric columns only), ``None`` to blank one.
    entity
        A column naming the person behind each record: classes are then measured in
        distinct people (see `equivalence_class_sizes`), so repeated records of one
        person do not count towards ``k``.

    Raises
    ------
    TypeError
        If ``widths`` is not a mapping or a width is not a number.
    ValueError
        If a width is not positive or names a missing or non-numeric column, or a
        generalised column is not a quasi-identifier.

    Used in chapter 25.
    """
    frame, keys = _frame_and_keys(frame, quasi_identifiers)
    k = require_int("k", k, minimum=2)
    checked = _checked_widths(frame, widths)
    stray = [column for column in checked if column not in keys]
    if stray:
        raise ValueError(f"widths names non-quasi-identifier column(s) {stray}; use {keys}")
    entity = _entity(frame, keys, entity)
    coarse, loss = _generalise(frame, checked)
    loss = {column: loss.get(column, 0.0) for column in keys}
    if coarse.empty:
        return Anonymisation(coarse, 0, 0, loss)
    kept = coarse[equivalence_class_sizes(coarse, keys, entity) >= k]
    reached = k_anonymity(kept, keys, entity) if len(kept) else 0
    return Anonymisation(kept, reached, len(coarse) - len(kept), loss)


def linkage_attack(
    release: pd.DataFrame, auxiliary: pd.DataFrame, on: Sequence[str]
) -> pd.DataFrame:
    """Re-identify the release's records that match exactly one auxiliary person.

    Joins ``auxiliary`` (who is who, with quasi-identifiers) to ``release`` on ``on`` and
    keeps the auxiliary rows that match exactly one record: for them the attacker learns
    every column of that record. Two auxiliary people with the same quasi-identifiers
    both "re-identify" the same record although at most one can be right, and a missing
    key matches a missing key (pandas joins ``NaN`` to ``NaN``); drop duplicated or
    missing keys from ``auxiliary`` first where that matters. Returns those matches,
    auxiliary columns first, release columns suffixed ``_release`` where the names
    clash; the release's index is in ``release_index``.

    Raises
    ------
    ValueError
        If either table lacks a column of ``on``.

    Used in chapter 25.
    """
    release, keys = _frame_and_keys(release, on, name="release")
    auxiliary, _ = _frame_and_keys(auxiliary, keys, name="auxiliary")
    records = release.reset_index(names="release_index")
    sizes = equivalence_class_sizes(records, keys)
    unique = records[sizes == 1]
    return auxiliary.merge(unique, on=keys, how="inner", suffixes=("", "_release"))
