"""From scores to decisions: thresholds, sensitivity and specificity, and expected cost.

A classifier outputs a score; a clinic or a bank acts on a *decision*, "treat" or "lend",
made by comparing the score with a threshold. Which threshold is right depends on what the
two errors cost, not on the model:

- :func:`confusion_at` and :func:`sensitivity_specificity`: the counts and the two rates
  at one threshold;
- :func:`threshold_for_sensitivity`: the highest threshold that still catches a stated
  share of the positives (chosen on validation data, then reported on test data);
- :func:`expected_cost` and :func:`cost_curve`: the average cost per case of deciding
  at a threshold, given the cost of a false positive and of a false negative, and its
  curve over thresholds, whose minimum is the decision to take.

With calibrated probabilities the cost-minimising threshold is
``cost_false_positive / (cost_false_positive + cost_false_negative)``; the cost curve
finds it empirically and shows how flat the minimum is.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import require_fraction, require_labels, require_number

__all__ = [
    "confusion_at",
    "cost_curve",
    "expected_cost",
    "sensitivity_specificity",
    "threshold_for_sensitivity",
]


def _binary(y_true: Any, scores: Any) -> tuple[np.ndarray, np.ndarray]:
    """``y_true`` as booleans (0/1 or False/True, both classes present) and finite scores."""
    truth = require_labels("y_true", y_true)
    if not set(np.unique(truth).tolist()) <= {0, 1}:
        raise ValueError(
            f"y_true must hold only 0/1 or False/True, got the values {np.unique(truth)[:5]}"
        )
    if len(np.unique(truth)) < 2:
        raise ValueError("y_true must hold both classes: a rate needs positives and negatives")
    values = np.asarray(scores, dtype=float) if not isinstance(scores, str) else None
    if values is None or values.shape != truth.shape:
        shape = None if values is None else values.shape
        raise ValueError(f"scores must be {truth.shape[0]} numbers, one per case, got {shape}")
    if not np.isfinite(values).all():
        raise ValueError("scores has a NaN or infinite value: score every case")
    return truth.astype(bool), values


def confusion_at(y_true: Any, scores: Any, threshold: float) -> dict[str, int]:
    """Counts of true/false positives/negatives when ``scores >= threshold`` is positive.

    Used in chapters 20 and 21.
    """
    truth, values = _binary(y_true, scores)
    threshold = require_number("threshold", threshold, allow_infinity=True)
    predicted = values >= threshold
    return {
        "tp": int(np.sum(predicted & truth)),
        "fp": int(np.sum(predicted & ~truth)),
        "tn": int(np.sum(~predicted & ~truth)),
        "fn": int(np.sum(~predicted & truth)),
    }


def sensitivity_specificity(y_true: Any, scores: Any, threshold: float) -> tuple[float, float]:
    """Share of positives caught and share of negatives cleared at ``threshold``.

    Used in chapter 20.
    """
    counts = confusion_at(y_true, scores, threshold)
    sensitivity = counts["tp"] / (counts["tp"] + counts["fn"])
    specificity = counts["tn"] / (counts["tn"] + counts["fp"])
    return sensitivity, specificity


def threshold_for_sensitivity(y_true: Any, scores: Any, sensitivity: float) -> float:
    """The highest threshold whose sensitivity is at least ``sensitivity``.

    Raising a threshold can only lose positives, so the highest one that keeps the target
    is also the one with the best specificity among those that keep it.

    Parameters
    ----------
    y_true : array_like of 0/1 or bool
        The outcomes (both classes present).
    scores : array_like of float
        The model's scores for the same cases (higher means more likely positive).
    sensitivity : float
        The share of positives to catch, in (0, 1].

    Returns
    -------
    float
        One of the scores: classify ``scores >= threshold`` as positive.

    Used in chapter 20.
    """
    truth, values = _binary(y_true, scores)
    target = require_fraction("sensitivity", sensitivity, include_zero=False)
    positives = np.sort(values[truth])[::-1]
    needed = int(np.ceil(target * len(positives) - 1e-9))
    return float(positives[needed - 1])


def expected_cost(
    y_true: Any,
    scores: Any,
    threshold: float,
    *,
    cost_false_positive: float,
    cost_false_negative: float,
) -> float:
    """Average cost per case of deciding ``scores >= threshold``; correct decisions cost 0.

    Used in chapter 21.
    """
    cost_fp = require_number("cost_false_positive", cost_false_positive, minimum=0.0)
    cost_fn = require_number("cost_false_negative", cost_false_negative, minimum=0.0)
    counts = confusion_at(y_true, scores, threshold)
    total = sum(counts.values())
    return (cost_fp * counts["fp"] + cost_fn * counts["fn"]) / total


def cost_curve(
    y_true: Any,
    scores: Any,
    *,
    cost_false_positive: float,
    cost_false_negative: float,
    thresholds: Any = None,
) -> pd.DataFrame:
    """Expected cost per case at each threshold (default: 101 points from 0 to 1).

    Returns
    -------
    DataFrame
        Columns ``threshold``, ``expected_cost``, ``false_positives``,
        ``false_negatives``, one row per threshold in increasing order.

    Used in chapter 21.
    """
    truth, values = _binary(y_true, scores)
    grid = np.linspace(0.0, 1.0, 101) if thresholds is None else np.asarray(thresholds, float)
    if grid.ndim != 1 or len(grid) == 0 or not np.isfinite(grid).all():
        raise ValueError(f"thresholds must be a non-empty 1-D array of finite numbers, got {grid}")
    rows = []
    for threshold in np.sort(grid):
        counts = confusion_at(truth, values, float(threshold))
        cost = expected_cost(
            truth,
            values,
            float(threshold),
            cost_false_positive=cost_false_positive,
            cost_false_negative=cost_false_negative,
        )
        rows.append((float(threshold), cost, counts["fp"], counts["fn"]))
    columns = ["threshold", "expected_cost", "false_positives", "false_negatives"]
    return pd.DataFrame(rows, columns=columns)
