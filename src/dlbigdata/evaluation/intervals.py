"""The verdict table: models scored on the same test set, with paired bootstrap intervals.

A difference between two models on one test set is an estimate; the bootstrap says how much
it would move on another test set of the same size. Resampling the *same* rows for every
model (a paired bootstrap) keeps what the models share (easy and hard cases) out of the
interval, so it is much narrower than two separate intervals and answers the question a
verdict asks: is the deep model better than the baseline on cases like these?

:func:`paired_bootstrap` returns one row per model: its score, its difference to a
reference model, and the interval of that difference. :func:`verdict` reads a row as
"better", "worse" or "no clear difference".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_bool,
    require_callable,
    require_choice,
    require_int,
    require_labels,
    require_number,
    require_seed,
    require_type,
)

__all__ = ["paired_bootstrap", "verdict"]

Metric = Callable[[np.ndarray, np.ndarray], float]


def _predictions(predictions: Any, length: int) -> dict[str, np.ndarray]:
    """The mapping of model names to predictions, each of ``length`` finite entries."""
    require_type("predictions", predictions, Mapping, "a mapping of model name to predictions")
    if len(predictions) < 2:
        raise ValueError(
            f"predictions must name at least two models to compare, got {list(predictions)}"
        )
    checked = {}
    for name, values in predictions.items():
        array = np.asarray(values)
        if array.shape[:1] != (length,):
            raise ValueError(
                f"predictions[{name!r}] has shape {array.shape}; y_true has {length} cases"
            )
        if array.dtype.kind in "fc" and not np.isfinite(array).all():
            raise ValueError(f"predictions[{name!r}] has a NaN or infinite value")
        checked[str(name)] = array
    return checked


def _groups(groups: Any, length: int) -> np.ndarray:
    """The group label of every case, as integer codes 0..n_groups-1."""
    labels = pd.Series(np.asarray(groups, dtype=object) if np.ndim(groups) else [groups])
    if len(labels) != length:
        raise ValueError(f"groups has {len(labels)} labels; y_true has {length} cases")
    if labels.isna().any():
        raise ValueError("groups has a missing label; give every case a group")
    codes, uniques = pd.factorize(labels)
    if len(uniques) < 2:
        raise ValueError(f"groups must hold at least two groups, got {list(uniques)}")
    return np.asarray(codes)


def _group_rows(rng: np.random.Generator, codes: np.ndarray, n_resamples: int) -> list[np.ndarray]:
    """Row indices of each block-bootstrap resample: whole groups drawn with replacement."""
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(codes.max() + 1))
    members = np.split(order, starts[1:])
    n_groups = len(members)
    return [
        np.concatenate([members[g] for g in rng.integers(0, n_groups, size=n_groups)])
        for _ in range(n_resamples)
    ]


def _resample(
    metric: Metric, y_true: np.ndarray, predictions: dict[str, np.ndarray], rows: list[np.ndarray]
) -> dict[str, np.ndarray]:
    """Every model's score on every resample (one row of indices per resample)."""
    scores = {name: np.empty(len(rows)) for name in predictions}
    for i, index in enumerate(rows):
        for name, values in predictions.items():
            scores[name][i] = metric(y_true[index], values[index])
    return scores


def paired_bootstrap(
    metric: Metric,
    y_true: Any,
    predictions: Mapping[str, Any],
    reference: str,
    *,
    n_resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    groups: Any = None,
) -> pd.DataFrame:
    """Score every model, and bootstrap its difference to ``reference`` on the same rows.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred) -> float``, for example ``sklearn.metrics.roc_auc_score``
        or ``mean_absolute_error``.
    y_true : array_like
        The test labels or targets (one per case, none missing).
    predictions : mapping of str to array_like
        Each model's predictions (labels or scores) for the same cases, in the same order;
        at least two models.
    reference : str
        The model every other is compared with (usually the baseline).
    n_resamples : int
        Bootstrap resamples (at least 100).
    level : float
        Coverage of the percentile interval, strictly between 0 and 1.
    seed : int
        Seed of the resampling; the same seed gives the same table.
    groups : array_like, optional
        One group label per case (a user, a day, a patient). When given, the bootstrap
        draws whole groups with replacement and keeps all their cases (a block bootstrap),
        because cases of one group are not independent; at least two groups.

    Returns
    -------
    DataFrame
        Indexed by model, columns ``score`` (on the whole test set), ``difference``
        (``score`` minus the reference's), ``low`` and ``high`` (the percentile interval
        of the difference; 0 and 0 for the reference itself).

    Raises
    ------
    TypeError, ValueError
        For a metric that is not callable, fewer than two models, predictions whose
        length differs from ``y_true``'s, a NaN prediction, an unknown reference,
        ``groups`` of the wrong length, with a missing label or a single group, or
        settings out of range.

    Used in chapters 20 to 24.
    """
    metric = require_callable("metric", metric)
    truth = require_labels("y_true", y_true)
    models = _predictions(predictions, len(truth))
    reference = require_choice("reference", reference, list(models))
    n_resamples = require_int("n_resamples", n_resamples, minimum=100)
    level = require_number("level", level, minimum=0.0, maximum=1.0, low_open=True, high_open=True)
    rng = np.random.default_rng(require_seed("seed", seed))
    if groups is None:
        rows = list(rng.integers(0, len(truth), size=(n_resamples, len(truth))))
    else:
        rows = _group_rows(rng, _groups(groups, len(truth)), n_resamples)
    resampled = _resample(metric, truth, models, rows)
    tail = 100 * (1 - level) / 2
    table = []
    for name, values in models.items():
        score = float(metric(truth, values))
        differences = resampled[name] - resampled[reference]
        low, high = np.percentile(differences, [tail, 100 - tail])
        difference = score - float(metric(truth, models[reference]))
        table.append((name, score, difference, float(low), float(high)))
    columns = ["model", "score", "difference", "low", "high"]
    return pd.DataFrame(table, columns=columns).set_index("model")


def verdict(table: pd.DataFrame, model: str, *, higher_is_better: bool) -> str:
    """Read one row of a :func:`paired_bootstrap` table as a verdict.

    Returns
    -------
    str
        ``"better"`` if the whole interval of the difference is on the good side of 0,
        ``"worse"`` if it is wholly on the bad side, else ``"no clear difference"``.

    Used in chapters 20 to 24.
    """
    require_type("table", table, pd.DataFrame, "a table from paired_bootstrap")
    missing = {"low", "high"} - set(table.columns)
    if missing:
        raise ValueError(f"table lacks column(s) {sorted(missing)}: pass paired_bootstrap's")
    model = require_choice("model", model, list(table.index))
    higher_is_better = require_bool("higher_is_better", higher_is_better)
    low, high = table.loc[model, "low"], table.loc[model, "high"]
    if not higher_is_better:
        low, high = -high, -low
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "no clear difference"
