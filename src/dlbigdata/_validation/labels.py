"""Checks of class labels: 1-D arrays of labels, paired true and predicted labels.

- :func:`require_labels`: a 1-D array of labels, none missing, a single string refused;
- :func:`require_same_index`: two pandas objects paired row by row must share their index;
- :func:`require_same_kind`: two label arrays that can compare equal (not numbers beside
  strings);
- :func:`require_paired_labels`: true and predicted labels that pair up one to one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def require_labels(name: str, value: Any, *, length: int | None = None) -> np.ndarray:
    """Return ``value`` as a 1-D array of labels (``length`` of them when given).

    A single string raises TypeError (``"abc"`` is not three labels); another number of
    dimensions, another length or a missing label (``None``, ``NaN``) raises ValueError.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of labels, got the single string {value!r}")
    array = np.asarray(value)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries but there are {length} examples")
    missing = pd.isna(array)
    if missing.any():
        raise ValueError(
            f"{name} has {int(missing.sum())} missing label(s), the first at position "
            f"{int(np.flatnonzero(missing)[0])}: label every example"
        )
    return array


def require_same_index(names: tuple[str, str], first: Any, second: Any) -> None:
    """Refuse two pandas objects with different indexes: they would be paired by position.

    Anything that is not a pandas Series or DataFrame has no labels to compare and passes.
    """
    pandas_types = (pd.Series, pd.DataFrame)
    if (
        isinstance(first, pandas_types)
        and isinstance(second, pandas_types)
        and not first.index.equals(second.index)
    ):
        raise ValueError(
            f"{names[0]} and {names[1]} are pandas objects with different indexes, so row i "
            f"of one is not row i of the other; align them first "
            f"({names[1]}.loc[{names[0]}.index]) or pass NumPy arrays"
        )


def require_same_kind(names: tuple[str, str], first: np.ndarray, second: np.ndarray) -> None:
    """Refuse numbers beside strings: ``1`` never equals ``"1"``, so every pair would differ."""
    kinds = {
        "number" if array.dtype.kind in "biuf" else array.dtype.kind for array in (first, second)
    }
    if kinds in ({"number", "U"}, {"number", "S"}):
        raise TypeError(
            f"{names[0]} holds {first.dtype} labels but {names[1]} holds {second.dtype}: "
            "convert one so that equal classes compare equal"
        )


def require_paired_labels(
    y_true: Any, y_pred: Any, names: tuple[str, str] = ("y_true", "y_pred")
) -> tuple[np.ndarray, np.ndarray]:
    """Both label arrays, 1-D, of the same non-zero length and the same kind.

    Two pandas objects must share their index (see :func:`require_same_index`); numbers
    beside strings raise TypeError.
    """
    require_same_index(names, y_true, y_pred)
    truth, predicted = require_labels(names[0], y_true), require_labels(names[1], y_pred)
    if len(truth) != len(predicted):
        raise ValueError(f"{names[0]} has {len(truth)} labels but {names[1]} has {len(predicted)}")
    if len(truth) == 0:
        raise ValueError(f"no labels given: {names[0]} and {names[1]} are empty")
    require_same_kind(names, truth, predicted)
    return truth, predicted
