"""Cost-complexity pruning chosen by cross-validation, and its honest (nested) evaluation.

Pruning follows the cost-complexity scheme of CART: the tree :math:`T` minimising
:math:`R(T) + \\alpha |T|` for a complexity parameter :math:`\\alpha \\ge 0`. Candidates come
from the full tree's pruning path (:func:`pruning_alphas`), each is scored by stratified
cross-validation (:func:`cross_validate_alphas`), one is picked by a rule
(:func:`select_alpha`), and :func:`compare_full_and_pruned` measures the whole procedure
on folds it never saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

from dlbigdata._validation import (
    require_choice,
    require_columns,
    require_frame,
    require_int,
    require_names,
    require_numeric_column,
    require_type,
)
from dlbigdata.mining.impurity import _criterion, _float_vector

__all__ = ["compare_full_and_pruned", "cross_validate_alphas", "pruning_alphas", "select_alpha"]

_SELECTION_RULES: tuple[str, ...] = ("best", "one_standard_error")
"""Ways :func:`select_alpha` picks a complexity parameter from a cross-validation table."""


def _seed(random_state: object) -> int:
    return require_int("random_state", random_state, minimum=0, maximum=2**32 - 1)


def _numeric_features(features: Any) -> np.ndarray:
    """A non-empty numeric 2-D table as a float array (missing values left to the tree)."""
    require_type(
        "features", features, (pd.DataFrame, np.ndarray), "a pandas DataFrame or a NumPy array"
    )
    if features.ndim != 2 or features.shape[0] == 0 or features.shape[1] == 0:
        raise ValueError(f"features must be a non-empty 2-D table, got shape {features.shape}")
    if isinstance(features, pd.DataFrame):
        not_numeric = [
            str(column)
            for column, dtype in features.dtypes.items()
            if not (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype))
        ]
        if not_numeric:
            raise TypeError(
                f"features must be numeric; column(s) {not_numeric} are not (encode them first)"
            )
        array = features.to_numpy(dtype=float, na_value=np.nan)
    elif features.dtype.kind not in "iuf":
        raise TypeError(f"features must be numeric, got an array of dtype {features.dtype}")
    else:
        array = features.astype(float)
    if np.isinf(array).any():
        raise ValueError(
            f"features hold {int(np.isinf(array).sum())} infinite value(s); "
            "a tree cannot split them"
        )
    return array


def _features_and_labels(features: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate a feature table and its labels (aligned by label when both are pandas)."""
    feature_array = _numeric_features(features)
    if isinstance(labels, (str, bytes)):
        raise TypeError(f"labels must be one label per row, got the single string {labels!r}")
    if (
        isinstance(features, pd.DataFrame)
        and isinstance(labels, pd.Series)
        and not labels.index.equals(features.index)
    ):
        raise ValueError(
            "labels are indexed differently from features (the rows would be paired by "
            "position, not by label); use labels.loc[features.index] or pass NumPy arrays"
        )
    label_array = np.asarray(labels)
    if label_array.ndim != 1 or len(label_array) != features.shape[0]:
        raise ValueError(
            f"labels must be 1-D with one label per row: got shape {label_array.shape} "
            f"for {features.shape[0]} rows"
        )
    if pd.isna(label_array).any():
        raise ValueError("labels contain missing values; drop or label those rows first")
    if len(np.unique(label_array)) < 2:
        raise ValueError(
            f"labels must hold at least two classes, got {np.unique(label_array).tolist()}"
        )
    return feature_array, label_array


def _stratified_folds(labels: np.ndarray, n_splits: int, random_state: int) -> list:
    """Train and test positions of each stratified fold; every class must fill every fold."""
    smallest_class = int(np.unique(labels, return_counts=True)[1].min())
    if smallest_class < n_splits:
        raise ValueError(
            f"n_splits={n_splits} exceeds the size of the smallest class ({smallest_class})"
        )
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    return list(folds.split(np.zeros((len(labels), 1)), labels))


def _fit_tree(features, labels, criterion: str, alpha: float, random_state: int):
    tree = DecisionTreeClassifier(criterion=criterion, ccp_alpha=alpha, random_state=random_state)
    return tree.fit(features, labels)


def _alpha_array(alphas: Any) -> np.ndarray:
    """Candidate alphas as a float array: 1-D, non-empty, finite, non-negative, distinct."""
    array = _float_vector("alphas", alphas, "numbers")
    if np.any(array < 0) or not np.all(np.isfinite(array)):
        raise ValueError(
            f"alphas must be a non-empty 1-D sequence of non-negative numbers, got {alphas!r}"
        )
    if np.unique(array).size != array.size:
        raise ValueError(f"alphas must not repeat a value, got {array.tolist()}")
    return array


def pruning_alphas(
    features: Any,
    labels: Any,
    *,
    criterion: str = "gini",
    max_alphas: int | None = None,
    random_state: int = 0,
) -> np.ndarray:
    """Candidate complexity parameters: the effective alphas of the full tree's pruning path.

    Parameters
    ----------
    features : pandas.DataFrame or numpy.ndarray
        Training features, numeric, one row per example.
    labels : array_like
        Training labels, at least two classes; a Series must carry the index of a
        DataFrame ``features`` (rows are paired by label, never by position).
    criterion : {"gini", "entropy"}
        Impurity used to grow the tree.
    max_alphas : int, optional
        Keep at most this many candidates (at least 2), evenly spaced along the path
        (always keeping ``0``, the unpruned tree). ``None`` keeps them all.
    random_state : int
        Seed of the tree (it breaks ties between equally good splits).

    Returns
    -------
    numpy.ndarray
        Sorted distinct alphas starting at 0, without the last one (which prunes the tree
        to its root and predicts one class for everything).

    Used in chapter 13.
    """
    features, label_array = _features_and_labels(features, labels)
    criterion = _criterion(criterion)
    random_state = _seed(random_state)
    if max_alphas is not None:
        max_alphas = require_int("max_alphas", max_alphas, minimum=2)
    tree = DecisionTreeClassifier(criterion=criterion, random_state=random_state)
    path = tree.cost_complexity_pruning_path(features, label_array)
    alphas = np.unique(np.clip(path.ccp_alphas[:-1], 0.0, None))
    if alphas.size == 0 or alphas[0] != 0.0:
        alphas = np.concatenate([[0.0], alphas])
    if max_alphas is not None and alphas.size > max_alphas:
        alphas = alphas[
            np.unique(np.round(np.linspace(0, alphas.size - 1, max_alphas)).astype(int))
        ]
    return alphas


def cross_validate_alphas(
    features: Any,
    labels: Any,
    alphas: Any,
    *,
    criterion: str = "gini",
    n_splits: int = 5,
    random_state: int = 0,
) -> pd.DataFrame:
    """Stratified k-fold cross-validated accuracy of a pruned tree for each alpha.

    Parameters
    ----------
    features, labels
        Training data, as for :func:`pruning_alphas`.
    alphas : array_like of float
        Complexity parameters to try (``ccp_alpha`` of scikit-learn): finite, non-negative,
        distinct.
    criterion : {"gini", "entropy"}
        Impurity used to grow the trees.
    n_splits : int
        Number of folds (at least 2; at most the size of the smallest class).
    random_state : int
        Seed of the fold shuffling and of the trees.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``alpha``: ``mean_accuracy``, ``std_accuracy``, ``sem_accuracy`` (standard
        error of the mean over folds) and ``mean_leaves`` (average size of the fold trees).

    Used in chapter 13.
    """
    features, label_array = _features_and_labels(features, labels)
    criterion = _criterion(criterion)
    alpha_array = _alpha_array(alphas)
    n_splits = require_int("n_splits", n_splits, minimum=2)
    random_state = _seed(random_state)
    folds = _stratified_folds(label_array, n_splits, random_state)
    scores = np.empty((alpha_array.size, n_splits))
    leaves = np.empty((alpha_array.size, n_splits))
    for fold, (train, test) in enumerate(folds):
        for index, alpha in enumerate(alpha_array):
            tree = _fit_tree(features[train], label_array[train], criterion, alpha, random_state)
            scores[index, fold] = tree.score(features[test], label_array[test])
            leaves[index, fold] = tree.get_n_leaves()
    table = pd.DataFrame(
        {
            "alpha": alpha_array,
            "mean_accuracy": scores.mean(axis=1),
            "std_accuracy": scores.std(axis=1, ddof=1),
            "sem_accuracy": scores.std(axis=1, ddof=1) / np.sqrt(n_splits),
            "mean_leaves": leaves.mean(axis=1),
        }
    )
    return table.set_index("alpha")


def _alpha_table(table: Any) -> pd.DataFrame:
    """A cross-validation table: distinct finite alphas, finite scores, sorted by alpha."""
    table = require_frame("table", table)
    require_columns("table", table, ["mean_accuracy", "sem_accuracy"])
    if table.empty:
        raise ValueError("table is empty: cross-validate at least one alpha first")
    for column in ("mean_accuracy", "sem_accuracy"):
        values = require_numeric_column("table", table, column)
        if not np.all(np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))):
            raise ValueError(f"table[{column!r}] must be finite, got {values.tolist()}")
    alphas = table.index
    if not pd.api.types.is_numeric_dtype(alphas) or pd.api.types.is_bool_dtype(alphas):
        raise TypeError(
            f"table must be indexed by numeric alphas, got an index of dtype {alphas.dtype}"
        )
    alpha_values = alphas.to_numpy(dtype=float)
    if not np.all(np.isfinite(alpha_values)) or np.any(alpha_values < 0) or alphas.has_duplicates:
        raise ValueError(
            f"table's index must hold distinct finite non-negative alphas, got {alphas.tolist()}"
        )
    if (table["sem_accuracy"] < 0).any():
        raise ValueError(
            f"table['sem_accuracy'] must not be negative, got {table['sem_accuracy'].tolist()}"
        )
    return table.sort_index()


def _rule_names(rules: Any) -> list[str]:
    names = require_names("rules", rules, allow_empty=True)
    unknown = [rule for rule in names if rule not in _SELECTION_RULES]
    if not names or unknown:
        raise ValueError(f"rules must name at least one of {_SELECTION_RULES}, got {names!r}")
    return names


def select_alpha(table: pd.DataFrame, rule: str = "one_standard_error") -> float:
    """Pick a complexity parameter from the table of :func:`cross_validate_alphas`.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by distinct alphas, with finite columns ``mean_accuracy`` and
        ``sem_accuracy``.
    rule : {"one_standard_error", "best"}
        ``"best"``: the alpha with the highest mean accuracy (the smallest such alpha on ties).
        ``"one_standard_error"``: the largest alpha (the simplest tree) whose mean accuracy is
        within one standard error of the best, the rule of Breiman et al. (1984).

    Returns
    -------
    float
        The chosen alpha.

    Used in chapter 13.
    """
    rule = require_choice("rule", rule, _SELECTION_RULES)
    ordered = _alpha_table(table)
    best = ordered["mean_accuracy"].idxmax()
    if rule == "best":
        return float(best)
    threshold = ordered.loc[best, "mean_accuracy"] - ordered.loc[best, "sem_accuracy"]
    good_enough = ordered.index[ordered["mean_accuracy"] >= threshold - 1e-12]
    return float(good_enough.max())


def compare_full_and_pruned(
    features: Any,
    labels: Any,
    *,
    criterion: str = "gini",
    rules: Sequence[str] = _SELECTION_RULES,
    n_splits: int = 5,
    inner_splits: int = 5,
    max_alphas: int | None = 10,
    random_state: int = 0,
) -> pd.DataFrame:
    """Nested cross-validation: held-out accuracy of the full tree and of pruned trees.

    In each outer fold the complexity parameter is chosen by an inner cross-validation on
    the outer training part only, so the outer test part is never seen while pruning. One
    inner cross-validation serves every selection rule. Every argument is checked before
    the first tree is grown.

    Parameters
    ----------
    features, labels
        All the data, as for :func:`pruning_alphas`.
    criterion : {"gini", "entropy"}
        Impurity used to grow the trees.
    rules : list of {"best", "one_standard_error"}
        How the inner cross-validation picks alpha, see :func:`select_alpha`.
    n_splits, inner_splits : int
        Number of outer and inner folds (each at least 2).
    max_alphas : int, optional
        Candidate alphas per outer fold, see :func:`pruning_alphas`.
    random_state : int
        Seed of the folds and the trees.

    Returns
    -------
    pandas.DataFrame
        Long format, one row per outer fold and model: ``fold``, ``model`` (``"full"`` or
        the rule's name), ``alpha``, ``accuracy`` (on the outer test fold), ``leaves``,
        ``test_size``.

    Used in chapter 13.
    """
    features, label_array = _features_and_labels(features, labels)
    criterion = _criterion(criterion)
    rules = _rule_names(rules)
    n_splits = require_int("n_splits", n_splits, minimum=2)
    inner_splits = require_int("inner_splits", inner_splits, minimum=2)
    if max_alphas is not None:
        max_alphas = require_int("max_alphas", max_alphas, minimum=2)
    random_state = _seed(random_state)
    records = []
    for fold, (train, test) in enumerate(_stratified_folds(label_array, n_splits, random_state)):
        train_x, train_y = features[train], label_array[train]
        alphas = pruning_alphas(
            train_x, train_y, criterion=criterion, max_alphas=max_alphas, random_state=random_state
        )
        table = cross_validate_alphas(
            train_x,
            train_y,
            alphas,
            criterion=criterion,
            n_splits=inner_splits,
            random_state=random_state,
        )
        chosen = {"full": 0.0} | {rule: select_alpha(table, rule) for rule in rules}
        for model, alpha in chosen.items():
            tree = _fit_tree(train_x, train_y, criterion, alpha, random_state)
            records.append(
                {
                    "fold": fold,
                    "model": model,
                    "alpha": alpha,
                    "accuracy": tree.score(features[test], label_array[test]),
                    "leaves": tree.get_n_leaves(),
                    "test_size": len(test),
                }
            )
    return pd.DataFrame.from_records(records)
