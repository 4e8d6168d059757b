"""Tests of dlbigdata.mining: impurity measures and cost-complexity pruning by cross-validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.tree import DecisionTreeClassifier

from dlbigdata.mining import (
    compare_full_and_pruned,
    cross_validate_alphas,
    effective_alphas,
    feature_importances,
    impurity,
    impurity_decrease,
    pruning_alphas,
    select_alpha,
)


def two_blobs(
    n_per_class: int = 30, noise_labels: int = 4, seed: int = 0
) -> tuple[pd.DataFrame, np.ndarray]:
    """Two classes separated by x0 > 0, with a few flipped labels a full tree will memorise."""
    rng = np.random.default_rng(seed)
    x0 = np.concatenate([rng.normal(-2, 1, n_per_class), rng.normal(2, 1, n_per_class)])
    x1 = rng.normal(0, 1, 2 * n_per_class)
    labels = np.repeat(["a", "b"], n_per_class)
    flipped = rng.choice(2 * n_per_class, noise_labels, replace=False)
    labels[flipped] = np.where(labels[flipped] == "a", "b", "a")
    return pd.DataFrame({"x0": x0, "x1": x1}), labels


# --- impurity ---------------------------------------------------------------------------------


def test_impurity_of_known_nodes():
    assert impurity([5, 5], "gini") == pytest.approx(0.5)
    assert impurity([5, 5], "entropy") == pytest.approx(1.0)
    assert impurity([10, 0], "gini") == 0.0
    assert impurity([10, 0], "entropy") == 0.0
    assert_allclose(impurity([1, 1, 1], "gini"), 2 / 3)
    assert_allclose(impurity([1, 1, 1, 1], "entropy"), 2.0)
    assert_allclose(impurity([3, 1], "entropy"), -(0.75 * np.log2(0.75) + 0.25 * np.log2(0.25)))


def test_impurity_matches_scikit_learn_root_node():
    features = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])
    labels = np.array([0, 0, 0, 1, 1, 2, 2])
    for criterion in ("gini", "entropy"):
        tree = DecisionTreeClassifier(criterion=criterion, max_depth=1, random_state=0).fit(
            features, labels
        )
        assert_allclose(impurity(np.bincount(labels), criterion), tree.tree_.impurity[0])


def test_impurity_rejects_bad_counts():
    with pytest.raises(ValueError, match="criterion must be one of"):
        impurity([1, 2], "misclassification")
    with pytest.raises(ValueError, match="non-empty 1-D"):
        impurity([], "gini")
    with pytest.raises(ValueError, match="non-empty 1-D"):
        impurity([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="finite and non-negative"):
        impurity([3, -1])
    with pytest.raises(ValueError, match="finite and non-negative"):
        impurity([3, np.nan])
    with pytest.raises(ValueError, match="must not all be zero"):
        impurity([0, 0])
    with pytest.raises(TypeError, match="numeric class counts"):
        impurity(["a", "b"])
    with pytest.raises(TypeError, match="numeric class counts"):
        impurity([True, False])


# --- impurity decrease ------------------------------------------------------------------------


def test_impurity_decrease_of_a_perfect_and_a_useless_split():
    assert impurity_decrease([4, 4], [[4, 0], [0, 4]], "entropy") == pytest.approx(1.0)
    assert impurity_decrease([4, 4], [[2, 2], [2, 2]], "gini") == pytest.approx(0.0)
    # 10 examples: parent Gini 0.48, children Gini 0 (left, 4) and 0.5 (right, 6 examples 3/3).
    assert impurity_decrease([4, 6], [[0, 4], [4, 2]], "gini") == pytest.approx(
        0.48 - 0.6 * (1 - (4 / 6) ** 2 - (2 / 6) ** 2)
    )


def test_impurity_decrease_matches_scikit_learn_split():
    features = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0]])
    labels = np.array([0, 0, 0, 1, 0, 1, 1, 1])
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=1, random_state=0).fit(
        features, labels
    )
    left, right = tree.tree_.children_left[0], tree.tree_.children_right[0]
    counts = tree.tree_.value[:, 0, :] * tree.tree_.n_node_samples[:, None]
    gain = impurity_decrease(counts[0], [counts[left], counts[right]], "entropy")
    expected = tree.tree_.impurity[0] - sum(
        tree.tree_.n_node_samples[node] / 8 * tree.tree_.impurity[node] for node in (left, right)
    )
    assert_allclose(gain, expected)


def test_impurity_decrease_rejects_inconsistent_splits():
    with pytest.raises(TypeError, match="children must be a list"):
        impurity_decrease([2, 2], np.array([[1, 1], [1, 1]]))
    with pytest.raises(ValueError, match="at least two children"):
        impurity_decrease([2, 2], [[2, 2]])
    with pytest.raises(ValueError, match=r"children\[1\] has 3 classes, the parent has 2"):
        impurity_decrease([2, 2], [[1, 1], [1, 1, 0]])
    with pytest.raises(ValueError, match="do not add up"):
        impurity_decrease([2, 2], [[1, 1], [1, 2]])
    with pytest.raises(ValueError, match=r"children\[0\] must not all be zero"):
        impurity_decrease([2, 2], [[0, 0], [2, 2]])


# --- pruning ----------------------------------------------------------------------------------


def test_pruning_alphas_start_at_zero_and_are_thinned():
    features, labels = two_blobs()
    alphas = pruning_alphas(features, labels)
    assert alphas[0] == 0.0 and np.all(np.diff(alphas) > 0)
    thinned = pruning_alphas(features, labels, max_alphas=3)
    assert len(thinned) == 3 and thinned[0] == 0.0 and thinned[-1] == alphas[-1]
    # The largest alpha kept still leaves a split: the tree is not pruned to its root.
    tree = DecisionTreeClassifier(ccp_alpha=alphas[-1], random_state=0).fit(features, labels)
    assert tree.get_n_leaves() >= 2


def test_pruning_alphas_rejects_bad_input():
    features, labels = two_blobs()
    with pytest.raises(TypeError, match="DataFrame or a NumPy array"):
        pruning_alphas(features.to_dict(), labels)
    with pytest.raises(ValueError, match="non-empty 2-D table"):
        pruning_alphas(features.iloc[:0], labels[:0])
    with pytest.raises(ValueError, match="one label per row"):
        pruning_alphas(features, labels[:-1])
    with pytest.raises(ValueError, match="at least two classes"):
        pruning_alphas(features, np.repeat("a", len(labels)))
    with pytest.raises(ValueError, match="missing values"):
        pruning_alphas(features, np.where(np.arange(len(labels)) == 0, None, labels))
    with pytest.raises(TypeError, match=r"column\(s\) \['colour'\] are not"):
        pruning_alphas(features.assign(colour="red"), labels)
    with pytest.raises(TypeError, match="array of dtype"):
        pruning_alphas(np.array([["a", "b"], ["c", "d"]]), np.array([0, 1]))
    with pytest.raises(ValueError, match="max_alphas must be an int >= 2"):
        pruning_alphas(features, labels, max_alphas=1)


def test_cross_validate_alphas_prefers_pruning_on_noisy_labels():
    features, labels = two_blobs(n_per_class=60, noise_labels=12)
    alphas = pruning_alphas(features, labels, max_alphas=8)
    table = cross_validate_alphas(features, labels, alphas, n_splits=5, random_state=0)
    assert list(table.columns) == ["mean_accuracy", "std_accuracy", "sem_accuracy", "mean_leaves"]
    assert_allclose(table.index, alphas)
    assert_allclose(table["sem_accuracy"], table["std_accuracy"] / np.sqrt(5))
    # Larger alphas give smaller trees, and a pruned tree beats the memorising full tree.
    assert table["mean_leaves"].is_monotonic_decreasing
    assert table["mean_accuracy"].max() > table.loc[0.0, "mean_accuracy"]


def test_cross_validate_alphas_rejects_bad_input():
    features, labels = two_blobs(noise_labels=0)
    with pytest.raises(ValueError, match="alphas must be a non-empty 1-D sequence"):
        cross_validate_alphas(features, labels, [])
    with pytest.raises(ValueError, match="alphas must be a non-empty 1-D sequence"):
        cross_validate_alphas(features, labels, [0.0, -0.1])
    with pytest.raises(ValueError, match="n_splits must be an int >= 2"):
        cross_validate_alphas(features, labels, [0.0], n_splits=1)
    with pytest.raises(
        ValueError, match=r"n_splits=40 exceeds the size of the smallest class \(30\)"
    ):
        cross_validate_alphas(features, labels, [0.0], n_splits=40)
    with pytest.raises(ValueError, match="criterion must be one of"):
        cross_validate_alphas(features, labels, [0.0], criterion="log_loss")


def test_select_alpha_best_and_one_standard_error_rule():
    table = pd.DataFrame(
        {"mean_accuracy": [0.90, 0.93, 0.92, 0.80], "sem_accuracy": [0.01, 0.02, 0.01, 0.01]},
        index=pd.Index([0.0, 0.01, 0.02, 0.05], name="alpha"),
    )
    assert select_alpha(table, "best") == 0.01
    # Within one standard error of 0.93 (>= 0.91): alphas 0.01 and 0.02; the rule takes the larger.
    assert select_alpha(table, "one_standard_error") == 0.02


def test_select_alpha_rejects_bad_tables():
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        select_alpha({"mean_accuracy": [0.9]})
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['sem_accuracy'\]"):
        select_alpha(pd.DataFrame({"mean_accuracy": [0.9]}))
    with pytest.raises(ValueError, match="table is empty"):
        select_alpha(pd.DataFrame({"mean_accuracy": [], "sem_accuracy": []}))
    with pytest.raises(ValueError, match="rule must be one of"):
        select_alpha(pd.DataFrame({"mean_accuracy": [0.9], "sem_accuracy": [0.1]}), "worst")


def test_compare_full_and_pruned_reports_every_fold_and_model():
    features, labels = two_blobs(n_per_class=60, noise_labels=12)
    result = compare_full_and_pruned(features, labels, n_splits=4, inner_splits=3, max_alphas=6)
    assert list(result.columns) == ["fold", "model", "alpha", "accuracy", "leaves", "test_size"]
    assert len(result) == 4 * 3
    assert set(result["model"]) == {"full", "best", "one_standard_error"}
    wide = result.pivot(index="fold", columns="model", values="leaves")
    assert (wide["best"] <= wide["full"]).all()
    assert (wide["one_standard_error"] <= wide["best"]).all()
    assert (result.loc[result["model"] == "full", "alpha"] == 0).all()
    assert result.loc[result["model"] == "full", "test_size"].sum() == len(labels)
    accuracy = result.groupby("model")["accuracy"].mean()
    assert accuracy["best"] >= accuracy["full"]
    only_best = compare_full_and_pruned(
        features, labels, rules=["best"], n_splits=2, inner_splits=2
    )
    assert set(only_best["model"]) == {"full", "best"}


def test_compare_full_and_pruned_rejects_bad_rules():
    features, labels = two_blobs()
    with pytest.raises(ValueError, match="rules must name at least one of"):
        compare_full_and_pruned(features, labels, rules=["largest"])
    with pytest.raises(ValueError, match="rules must name at least one of"):
        compare_full_and_pruned(features, labels, rules=[])
    with pytest.raises(TypeError, match="rules must be a list of rule names"):
        compare_full_and_pruned(features, labels, rules="best")
    with pytest.raises(ValueError, match="n_splits must be an int >= 2"):
        compare_full_and_pruned(features, labels, n_splits=1.5)


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


# --- feature importances ----------------------------------------------------------------------


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


# --- the bands chapter 13 asserts, over 30 seeds (run by `make seeds`) -------------------------


@pytest.mark.slow
@pytest.mark.seed_sweep
def test_pruning_bands_hold_for_30_seeds():
    """Chapter 13's nested comparison on the breast-cancer data: the bands its prose quotes."""
    from dlbigdata.datasets import load

    cancer = load("breast_cancer")
    features, labels = cancer.drop(columns="diagnosis"), cancer["diagnosis"]
    best_differences, simple_differences = [], []
    for seed in range(30):
        nested = compare_full_and_pruned(
            features, labels, n_splits=5, inner_splits=5, max_alphas=10, random_state=seed
        )
        accuracy = nested.pivot(index="fold", columns="model", values="accuracy")
        leaves = nested.groupby("model")["leaves"].mean()
        difference = accuracy["best"] - accuracy["full"]
        assert difference.std() / np.sqrt(5) <= 0.02, seed
        assert leaves["best"] < leaves["full"], seed
        assert leaves["one_standard_error"] <= 0.4 * leaves["full"], seed
        best_differences.append(difference.mean())
        simple_differences.append((accuracy["one_standard_error"] - accuracy["full"]).mean())
    # The ranges quoted in the chapter (points of accuracy): best -1.1 to +1.8, one-SE -2.5 to +1.4.
    assert min(best_differences) >= -0.0115 and max(best_differences) <= 0.0185, best_differences
    assert min(simple_differences) >= -0.025 and max(simple_differences) <= 0.0145, (
        simple_differences
    )
