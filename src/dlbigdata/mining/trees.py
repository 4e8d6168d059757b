"""What a fitted decision tree says: its weakest links and the features it relies on."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier

from dlbigdata._validation import require_names, require_type

__all__ = ["effective_alphas", "feature_importances"]


def _fitted_tree(model: Any) -> DecisionTreeClassifier:
    require_type("model", model, DecisionTreeClassifier, "a scikit-learn DecisionTreeClassifier")
    if not hasattr(model, "tree_"):
        raise ValueError("model is not fitted yet: call fit first")
    return model


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
        A fitted tree (TypeError for another object, ValueError if it is not fitted).

    Returns
    -------
    pandas.Series
        Indexed by node id (internal nodes only, in node order), named ``effective_alpha``;
        empty when the tree is a single leaf.

    Used in chapter 13.
    """
    tree = _fitted_tree(model).tree_
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


def feature_importances(model: DecisionTreeClassifier, feature_names: Any) -> pd.Series:
    """Impurity-based importances of a fitted tree, named and sorted from most to least important.

    Parameters
    ----------
    model : sklearn.tree.DecisionTreeClassifier
        A fitted tree.
    feature_names : list of str
        One distinct name per feature, in training order (``features.columns``). A tree
        trained on a DataFrame knows its names: they must be the same, in the same order,
        so that no importance is given to the wrong feature.

    Returns
    -------
    pandas.Series
        Importances (summing to 1 unless the tree is a single leaf), indexed by feature name.

    Used in chapter 13.
    """
    model = _fitted_tree(model)
    names = require_names("feature_names", feature_names)
    if len(names) != model.n_features_in_:
        raise ValueError(
            f"got {len(names)} feature names for a tree trained on {model.n_features_in_} features"
        )
    trained = getattr(model, "feature_names_in_", None)
    if trained is not None and list(trained) != names:
        raise ValueError(
            f"feature_names {names} differ from the names the tree was trained on "
            f"{list(trained)}; pass them in training order"
        )
    series = pd.Series(model.feature_importances_, index=names, name="importance")
    return series.sort_values(ascending=False, kind="stable")
