"""Scores: the majority-class baseline and a comparison table of accuracies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_fraction,
    require_labels,
    require_names,
    require_same_kind,
    require_string,
    require_type,
)

__all__ = ["comparison_table", "majority_class_accuracy"]


def majority_class_accuracy(y_train: Sequence[Any], y_test: Sequence[Any]) -> float:
    """Test accuracy of always predicting the most frequent class of the training labels.

    The two arrays are not paired (they hold different examples), so their lengths and
    indexes may differ. A tie between the most frequent classes goes to the smallest.

    Parameters
    ----------
    y_train, y_test : array_like
        Training and test labels (one-dimensional, not empty, none missing).

    Returns
    -------
    float
        The accuracy any useful classifier must beat.

    Raises
    ------
    TypeError
        If an array is a single string, or one holds numbers and the other strings.
    ValueError
        If either array is empty, not one-dimensional, or has a missing label.

    Used in chapter 11.
    """
    train, test = require_labels("y_train", y_train), require_labels("y_test", y_test)
    if len(train) == 0 or len(test) == 0:
        raise ValueError(
            f"y_train and y_test must be non-empty 1-D arrays, got shapes "
            f"{train.shape} and {test.shape}"
        )
    require_same_kind(("y_train", "y_test"), train, test)
    values, counts = np.unique(train, return_counts=True)
    return float(np.mean(test == values[counts.argmax()]))


def comparison_table(
    accuracies: Mapping[str, float], reference: str | None = None
) -> pd.DataFrame:
    """Models side by side: accuracy in percent, and the gap to a reference in points.

    Parameters
    ----------
    accuracies : mapping of str to float
        Test accuracy (in [0, 1]) of each model, on the same test set; names are strings.
    reference : str, optional
        The model the others are compared with; by default the most accurate one (the
        first of them in ``accuracies`` on a tie).

    Returns
    -------
    pandas.DataFrame
        Indexed by model, sorted from most to least accurate, with columns
        ``accuracy (%)`` and ``points vs <reference>``.

    Raises
    ------
    TypeError
        If ``accuracies`` is not a mapping, a name or ``reference`` is not a string, or an
        accuracy is not a number.
    ValueError
        If ``accuracies`` is empty, an accuracy is NaN or lies outside [0, 1], or
        ``reference`` is not one of the models.

    Used in chapters 10 and 11.
    """
    require_type("accuracies", accuracies, Mapping, "a mapping of model names to accuracies")
    if not accuracies:
        raise ValueError("accuracies is empty: give at least one model")
    require_names("the model names of accuracies", list(accuracies))
    shares = {
        name: require_fraction(f"accuracy of {name!r}", value)
        for name, value in accuracies.items()
    }
    if reference is None:
        reference = max(shares, key=lambda name: shares[name])
    require_string("reference", reference)
    if reference not in shares:
        raise ValueError(f"reference {reference!r} is not one of the models {sorted(shares)}")
    table = pd.DataFrame({"accuracy (%)": {name: 100 * value for name, value in shares.items()}})
    table[f"points vs {reference}"] = table["accuracy (%)"] - 100 * shares[reference]
    table.index.name = "model"
    return table.sort_values("accuracy (%)", ascending=False, kind="stable").round(2)
