"""Decision trees for data mining: impurity, cost-complexity pruning chosen by cross-validation.

Chapter 13 grows a tree with scikit-learn and then asks two questions this module answers
in a few calls: how pure is a node (:func:`impurity`, :func:`impurity_decrease`), and how
far should the tree be pruned (:func:`effective_alphas`, :func:`pruning_alphas`,
:func:`cross_validate_alphas`, :func:`select_alpha`, :func:`compare_full_and_pruned`), and
which features it relies on (:func:`feature_importances`). Pruning follows the
cost-complexity scheme of CART: the tree :math:`T` minimising
:math:`R(T) + \\alpha |T|` for a complexity parameter :math:`\\alpha \\ge 0`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold
from sklearn.tree import DecisionTreeClassifier

__all__ = [
    "CRITERIA",
    "compare_full_and_pruned",
    "cross_validate_alphas",
    "effective_alphas",
    "feature_importances",
    "impurity",
    "impurity_decrease",
    "pruning_alphas",
    "select_alpha",
]

CRITERIA: tuple[str, ...] = ("gini", "entropy")
"""Impurity measures accepted by :func:`impurity` (the names scikit-learn uses)."""

SELECTION_RULES: tuple[str, ...] = ("best", "one_standard_error")
"""Ways :func:`select_alpha` picks a complexity parameter from a cross-validation table."""


def _check_criterion(criterion: object) -> str:
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    return str(criterion)


def _as_counts(counts: Any, name: str = "counts") -> np.ndarray:
    """Class counts as a float array: one-dimensional, finite, non-negative, positive total."""
    array = np.asarray(counts)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be numeric class counts, got dtype {array.dtype}")
    array = array.astype(float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of class counts, got shape {array.shape}"
        )
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be finite and non-negative, got {array.tolist()}")
    if array.sum() == 0:
        raise ValueError(f"{name} must not all be zero: an empty node has no impurity")
    return array


def impurity(counts: Any, criterion: str = "gini") -> float:
    """Gini impurity or entropy (in bits) of a node with the given class counts.

    Parameters
    ----------
    counts : array_like of float
        Number (or weight) of training examples of each class in the node.
    criterion : {"gini", "entropy"}
        ``"gini"``: :math:`1 - \\sum_k p_k^2`; ``"entropy"``: :math:`-\\sum_k p_k \\log_2 p_k`
        (base 2, as scikit-learn), where :math:`p_k` are the class proportions.

    Returns
    -------
    float
        0 for a pure node; at most :math:`1 - 1/K` (Gini) or :math:`\\log_2 K` (entropy).

    Raises
    ------
    TypeError
        If ``counts`` is not numeric.
    ValueError
        If ``counts`` is empty, not one-dimensional, negative, not finite or all zero,
        or ``criterion`` is not one of :data:`CRITERIA`.
    """
    criterion = _check_criterion(criterion)
    proportions = _as_counts(counts)
    proportions = proportions / proportions.sum()
    if criterion == "gini":
        return float(1.0 - np.sum(proportions**2))
    present = proportions[proportions > 0]
    return float(-np.sum(present * np.log2(present)) + 0.0)


def impurity_decrease(parent: Any, children: list[Any], criterion: str = "gini") -> float:
    """Weighted impurity decrease of a split (the information gain when ``criterion="entropy"``).

    Parameters
    ----------
    parent : array_like of float
        Class counts of the node before the split.
    children : list of array_like
        Class counts of each child (usually two); they must add up to ``parent``.
    criterion : {"gini", "entropy"}
        Impurity measure, see :func:`impurity`.

    Returns
    -------
    float
        :math:`I(\\text{parent}) - \\sum_j \\frac{n_j}{n} I(\\text{child}_j)`, never negative.

    Raises
    ------
    TypeError
        If ``children`` is not a list or tuple, or any counts are not numeric.
    ValueError
        If fewer than two children are given, the class counts have different lengths,
        or the children do not add up to the parent.
    """
    parent_counts = _as_counts(parent, "parent")
    if not isinstance(children, (list, tuple)):
        raise TypeError(
            f"children must be a list of class-count sequences, got {type(children).__name__}"
        )
    if len(children) < 2:
        raise ValueError(f"a split needs at least two children, got {len(children)}")
    child_counts = [
        _as_counts(child, f"children[{index}]") for index, child in enumerate(children)
    ]
    for index, child in enumerate(child_counts):
        if child.shape != parent_counts.shape:
            raise ValueError(
                f"children[{index}] has {child.size} classes, the parent has {parent_counts.size}"
            )
    if not np.allclose(np.sum(child_counts, axis=0), parent_counts):
        raise ValueError(
            f"the children's counts {np.sum(child_counts, axis=0).tolist()} do not add up to "
            f"the parent's {parent_counts.tolist()}"
        )
    total = parent_counts.sum()
    weighted = sum(child.sum() / total * impurity(child, criterion) for child in child_counts)
    return float(impurity(parent_counts, criterion) - weighted)


def _check_xy(features: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate a feature table and its labels; return both as NumPy arrays (features as float)."""
    if not isinstance(features, (pd.DataFrame, np.ndarray)):
        raise TypeError(
            f"features must be a pandas DataFrame or a NumPy array, got {type(features).__name__}"
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
    elif features.dtype.kind not in "iuf":
        raise TypeError(f"features must be numeric, got an array of dtype {features.dtype}")
    feature_array = np.asarray(features, dtype=float)
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


def _check_positive_int(value: object, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


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
        Training features, one row per example.
    labels : array_like
        Training labels.
    criterion : {"gini", "entropy"}
        Impurity used to grow the tree.
    max_alphas : int, optional
        Keep at most this many candidates, evenly spaced along the path (always keeping
        ``0``, the unpruned tree). ``None`` keeps them all.
    random_state : int
        Seed of the tree (it breaks ties between equally good splits).

    Returns
    -------
    numpy.ndarray
        Sorted distinct alphas starting at 0, without the last one (which prunes the tree
        to its root and predicts one class for everything).

    Raises
    ------
    TypeError
        If ``features`` is not a DataFrame or array, or is not numeric.
    ValueError
        If the data are empty, misaligned or hold one class, ``criterion`` is unknown,
        or ``max_alphas`` is not an int >= 2.
    """
    features, label_array = _check_xy(features, labels)
    _check_criterion(criterion)
    tree = DecisionTreeClassifier(criterion=criterion, random_state=random_state)
    path = tree.cost_complexity_pruning_path(features, label_array)
    alphas = np.unique(np.clip(path.ccp_alphas[:-1], 0.0, None))
    if alphas.size == 0 or alphas[0] != 0.0:
        alphas = np.concatenate([[0.0], alphas])
    if max_alphas is not None:
        max_alphas = _check_positive_int(max_alphas, "max_alphas", minimum=2)
        if alphas.size > max_alphas:
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
    features : pandas.DataFrame or numpy.ndarray
        Training features.
    labels : array_like
        Training labels.
    alphas : array_like of float
        Complexity parameters to try (``ccp_alpha`` of scikit-learn), non-negative.
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

    Raises
    ------
    TypeError
        If ``features`` is not a DataFrame or array, or is not numeric.
    ValueError
        If the data are invalid, ``alphas`` is empty or negative, ``n_splits`` is not an
        int >= 2, or a class has fewer members than ``n_splits``.
    """
    features, label_array = _check_xy(features, labels)
    _check_criterion(criterion)
    alpha_array = np.asarray(alphas, dtype=float)
    if (
        alpha_array.ndim != 1
        or alpha_array.size == 0
        or np.any(alpha_array < 0)
        or not np.all(np.isfinite(alpha_array))
    ):
        raise ValueError(
            f"alphas must be a non-empty 1-D sequence of non-negative numbers, got {alphas!r}"
        )
    n_splits = _check_positive_int(n_splits, "n_splits", minimum=2)
    smallest_class = int(np.unique(label_array, return_counts=True)[1].min())
    if smallest_class < n_splits:
        raise ValueError(
            f"n_splits={n_splits} exceeds the size of the smallest class ({smallest_class})"
        )
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    scores = np.empty((alpha_array.size, n_splits))
    leaves = np.empty((alpha_array.size, n_splits))
    for fold, (train, test) in enumerate(folds.split(features, label_array)):
        train_x, test_x = features[train], features[test]
        for index, alpha in enumerate(alpha_array):
            tree = DecisionTreeClassifier(
                criterion=criterion, ccp_alpha=alpha, random_state=random_state
            )
            tree.fit(train_x, label_array[train])
            scores[index, fold] = tree.score(test_x, label_array[test])
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


def select_alpha(table: pd.DataFrame, rule: str = "one_standard_error") -> float:
    """Pick a complexity parameter from the table of :func:`cross_validate_alphas`.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by alpha, with columns ``mean_accuracy`` and ``sem_accuracy``.
    rule : {"one_standard_error", "best"}
        ``"best"``: the alpha with the highest mean accuracy (the smallest such alpha on ties).
        ``"one_standard_error"``: the largest alpha (the simplest tree) whose mean accuracy is
        within one standard error of the best, the rule of Breiman et al. (1984).

    Returns
    -------
    float
        The chosen alpha.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If ``table`` is empty, lacks a required column, or ``rule`` is unknown.
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    if rule not in SELECTION_RULES:
        raise ValueError(f"rule must be one of {SELECTION_RULES}, got {rule!r}")
    missing = [
        column for column in ("mean_accuracy", "sem_accuracy") if column not in table.columns
    ]
    if missing:
        raise ValueError(f"table lacks column(s) {missing}; it has {list(table.columns)}")
    if table.empty:
        raise ValueError("table is empty: cross-validate at least one alpha first")
    ordered = table.sort_index()
    best = ordered["mean_accuracy"].idxmax()
    if rule == "best":
        return float(best)
    threshold = ordered.loc[best, "mean_accuracy"] - ordered.loc[best, "sem_accuracy"]
    good_enough = ordered.index[ordered["mean_accuracy"] >= threshold - 1e-12]
    return float(good_enough.max())


def effective_alphas(model: DecisionTreeClassifier) -> pd.Series:
    """Effective alpha of every internal node of a fitted tree (the weakest-link criterion).

    For an internal node :math:`t` with subtree :math:`T_t`,
    :math:`\\alpha_{\\text{eff}}(t) = (R(t) - R(T_t)) / (|\\tilde T_t| - 1)`, where :math:`R` is
    the impurity weighted by the share of training examples (scikit-learn's definition) and
    :math:`|\\tilde T_t|` the number of leaves of :math:`T_t`. The node with the smallest value
    is the first one cost-complexity pruning collapses.

    Parameters
    ----------
    model : sklearn.tree.DecisionTreeClassifier
        A fitted tree.

    Returns
    -------
    pandas.Series
        Indexed by node id (internal nodes only, in node order), named ``effective_alpha``;
        empty when the tree is a single leaf.

    Raises
    ------
    TypeError
        If ``model`` is not a decision tree.
    ValueError
        If the tree is not fitted.
    """
    if not isinstance(model, DecisionTreeClassifier):
        raise TypeError(f"model must be a DecisionTreeClassifier, got {type(model).__name__}")
    if not hasattr(model, "tree_"):
        raise ValueError("model is not fitted yet: call fit first")
    tree = model.tree_
    left, right = tree.children_left, tree.children_right
    node_risk = tree.weighted_n_node_samples / tree.weighted_n_node_samples[0] * tree.impurity
    subtree_risk = np.zeros(tree.node_count)
    subtree_leaves = np.zeros(tree.node_count, dtype=int)
    for node in range(tree.node_count - 1, -1, -1):  # children always have larger ids
        if left[node] == -1:
            subtree_risk[node], subtree_leaves[node] = node_risk[node], 1
        else:
            subtree_risk[node] = subtree_risk[left[node]] + subtree_risk[right[node]]
            subtree_leaves[node] = subtree_leaves[left[node]] + subtree_leaves[right[node]]
    internal = np.flatnonzero(left != -1)
    values = (node_risk[internal] - subtree_risk[internal]) / (subtree_leaves[internal] - 1)
    return pd.Series(values, index=pd.Index(internal, name="node"), name="effective_alpha")


def compare_full_and_pruned(
    features: Any,
    labels: Any,
    *,
    criterion: str = "gini",
    rules: Sequence[str] = SELECTION_RULES,
    n_splits: int = 5,
    inner_splits: int = 5,
    max_alphas: int | None = 10,
    random_state: int = 0,
) -> pd.DataFrame:
    """Nested cross-validation: held-out accuracy of the full tree and of pruned trees.

    In each outer fold the complexity parameter is chosen by an inner cross-validation on
    the outer training part only, so the outer test part is never seen while pruning. One
    inner cross-validation serves every selection rule.

    Parameters
    ----------
    features : pandas.DataFrame or numpy.ndarray
        All features.
    labels : array_like
        All labels.
    criterion : {"gini", "entropy"}
        Impurity used to grow the trees.
    rules : sequence of {"best", "one_standard_error"}
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

    Raises
    ------
    TypeError
        If ``features`` is not a numeric DataFrame or array, or ``rules`` is not a list of names.
    ValueError
        If the data or any parameter is invalid (see the functions this one calls), or
        ``rules`` is empty or names an unknown rule.
    """
    features, label_array = _check_xy(features, labels)
    n_splits = _check_positive_int(n_splits, "n_splits", minimum=2)
    if isinstance(rules, str) or not isinstance(rules, (list, tuple)):
        raise TypeError(
            f"rules must be a list of rule names from {SELECTION_RULES}, got {rules!r}"
        )
    unknown = [rule for rule in rules if rule not in SELECTION_RULES]
    if not rules or unknown:
        raise ValueError(f"rules must name at least one of {SELECTION_RULES}, got {list(rules)!r}")
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    records = []
    for fold, (train, test) in enumerate(folds.split(features, label_array)):
        train_x, test_x = features[train], features[test]
        train_y, test_y = label_array[train], label_array[test]
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
            tree = DecisionTreeClassifier(
                criterion=criterion, ccp_alpha=alpha, random_state=random_state
            )
            tree.fit(train_x, train_y)
            records.append(
                {
                    "fold": fold,
                    "model": model,
                    "alpha": alpha,
                    "accuracy": tree.score(test_x, test_y),
                    "leaves": tree.get_n_leaves(),
                    "test_size": len(test),
                }
            )
    return pd.DataFrame.from_records(records)


def feature_importances(model: DecisionTreeClassifier, feature_names: Any) -> pd.Series:
    """Impurity-based importances of a fitted tree, named and sorted from most to least important.

    Parameters
    ----------
    model : sklearn.tree.DecisionTreeClassifier
        A fitted tree.
    feature_names : sequence of str
        One name per feature, in training order.

    Returns
    -------
    pandas.Series
        Importances (summing to 1 unless the tree is a single leaf), indexed by feature name.

    Raises
    ------
    TypeError
        If ``model`` is not a decision tree.
    ValueError
        If the tree is not fitted or the number of names differs from the number of features.
    """
    if not isinstance(model, DecisionTreeClassifier):
        raise TypeError(f"model must be a DecisionTreeClassifier, got {type(model).__name__}")
    if not hasattr(model, "tree_"):
        raise ValueError("model is not fitted yet: call fit first")
    names = [str(name) for name in feature_names]
    if len(names) != model.n_features_in_:
        raise ValueError(
            f"got {len(names)} feature names for a tree trained on {model.n_features_in_} features"
        )
    series = pd.Series(model.feature_importances_, index=names, name="importance")
    return series.sort_values(ascending=False, kind="stable")
