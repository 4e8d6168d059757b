"""Tests of dlbigdata.mining.trees: effective alphas and feature importances of a fitted tree."""

from __future__ import annotations

import numpy as np
import pytest
from factories import two_blobs
from numpy.testing import assert_allclose
from sklearn.tree import DecisionTreeClassifier

from dlbigdata.mining import effective_alphas, feature_importances


def test_effective_alphas_give_the_first_step_of_the_pruning_path():
    features, labels = two_blobs(noise_labels=6)
    tree = DecisionTreeClassifier(random_state=0).fit(features, labels)
    alphas = effective_alphas(tree)
    internal = np.flatnonzero(tree.tree_.children_left != -1)
    assert alphas.index.tolist() == internal.tolist() and alphas.name == "effective_alpha"
    path = tree.cost_complexity_pruning_path(features, labels)
    first_positive = path.ccp_alphas[path.ccp_alphas > 1e-12][0]
    assert_allclose(alphas.min(), first_positive)
    # Pruning at (just above) that alpha removes exactly the weakest node's subtree.
    pruned = DecisionTreeClassifier(random_state=0, ccp_alpha=alphas.min() + 1e-12).fit(
        features, labels
    )
    assert pruned.get_n_leaves() < tree.get_n_leaves()


def test_effective_alphas_of_a_stump_by_hand():
    features = np.array([[0.0], [1.0], [2.0], [3.0]])
    labels = np.array([0, 0, 1, 1])
    tree = DecisionTreeClassifier(max_depth=1, random_state=0).fit(features, labels)
    # Root Gini 0.5, two pure leaves: alpha_eff = (0.5 - 0) / (2 - 1).
    assert_allclose(effective_alphas(tree).to_numpy(), [0.5])
    leaf_only = DecisionTreeClassifier(random_state=0).fit(features, np.zeros(4))
    assert effective_alphas(leaf_only).empty


def test_effective_alphas_reject_bad_input():
    with pytest.raises(TypeError, match="DecisionTreeClassifier"):
        effective_alphas(object())
    with pytest.raises(ValueError, match="not fitted"):
        effective_alphas(DecisionTreeClassifier())


def test_feature_importances_are_named_and_sorted():
    features, labels = two_blobs(noise_labels=0)
    tree = DecisionTreeClassifier(max_depth=1, random_state=0).fit(features, labels)
    importances = feature_importances(tree, features.columns)
    assert importances.index.tolist() == ["x0", "x1"]
    assert_allclose(importances.to_numpy(), [1.0, 0.0])


def test_feature_importances_reject_bad_input():
    features, labels = two_blobs()
    with pytest.raises(TypeError, match="DecisionTreeClassifier"):
        feature_importances("tree", ["x0"])
    with pytest.raises(ValueError, match="not fitted"):
        feature_importances(DecisionTreeClassifier(), ["x0", "x1"])
    tree = DecisionTreeClassifier(random_state=0).fit(features, labels)
    with pytest.raises(ValueError, match="got 1 feature names for a tree trained on 2 features"):
        feature_importances(tree, ["x0"])


# --- hostile input (issue 8) ------------------------------------------------------------------


@pytest.mark.hostile("label_alignment")
def test_feature_importances_refuse_names_in_another_order():
    features, labels = two_blobs(noise_labels=0)
    tree = DecisionTreeClassifier(max_depth=1, random_state=0).fit(features, labels)
    with pytest.raises(ValueError, match=r"feature_names \['x1', 'x0'\] differ from the names"):
        feature_importances(tree, ["x1", "x0"])


@pytest.mark.hostile("single_string")
def test_feature_importances_refuse_a_single_string():
    features, labels = two_blobs(noise_labels=0)
    tree = DecisionTreeClassifier(random_state=0).fit(features.to_numpy(), labels)
    with pytest.raises(
        TypeError, match="feature_names must be a list of names, got the single string 'ab'"
    ):
        feature_importances(tree, "ab")  # two features: once silently named 'a' and 'b'


@pytest.mark.hostile("bad_input")
def test_feature_importances_refuse_repeated_or_non_string_names():
    features, labels = two_blobs(noise_labels=0)
    tree = DecisionTreeClassifier(random_state=0).fit(features.to_numpy(), labels)
    with pytest.raises(ValueError, match=r"feature_names must not repeat a name, got \['x'\]"):
        feature_importances(tree, ["x", "x"])
    with pytest.raises(TypeError, match="feature_names must hold strings only, got int: 0"):
        feature_importances(tree, [0, 1])


@pytest.mark.hostile("bad_input")
def test_effective_alphas_refuse_another_model():
    from sklearn.tree import DecisionTreeRegressor

    with pytest.raises(
        TypeError,
        match="model must be a scikit-learn DecisionTreeClassifier, got DecisionTreeRegressor",
    ):
        effective_alphas(DecisionTreeRegressor().fit(np.zeros((2, 1)), [0.0, 1.0]))
