"""Tests of dlbigdata.mining.pruning: candidate alphas, cross-validation, selection, nesting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import two_blobs
from numpy.testing import assert_allclose
from sklearn.tree import DecisionTreeClassifier

from dlbigdata.mining import (
    compare_full_and_pruned,
    cross_validate_alphas,
    pruning_alphas,
    select_alpha,
)


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
    with pytest.raises(ValueError, match="max_alphas must be an integer >= 2, got 1"):
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
    with pytest.raises(ValueError, match="n_splits must be an integer >= 2, got 1"):
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
    with pytest.raises(
        TypeError, match="rules must be a list of names, got the single string 'best'"
    ):
        compare_full_and_pruned(features, labels, rules="best")
    with pytest.raises(TypeError, match=r"n_splits must be an integer, got float: 1\.5"):
        compare_full_and_pruned(features, labels, n_splits=1.5)


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
    # The ranges the chapter quotes (points of accuracy): best -1.1 to +1.8, one-SE -2.5 to +1.4.
    assert min(best_differences) >= -0.0115 and max(best_differences) <= 0.0185, best_differences
    assert min(simple_differences) >= -0.025 and max(simple_differences) <= 0.0145, (
        simple_differences
    )


# --- hostile input (issue 8) ------------------------------------------------------------------


@pytest.mark.hostile("label_alignment")
def test_labels_indexed_differently_from_features_are_refused():
    features, labels = two_blobs()
    shuffled = pd.Series(labels, index=features.index).sample(frac=1.0, random_state=0)
    with pytest.raises(ValueError, match="labels are indexed differently from features"):
        pruning_alphas(features, shuffled)
    with pytest.raises(ValueError, match="labels are indexed differently from features"):
        cross_validate_alphas(features, shuffled, [0.0])
    with pytest.raises(ValueError, match="labels are indexed differently from features"):
        compare_full_and_pruned(features, shuffled)
    # The same labels in the features' order are fine; so are plain arrays (paired by position).
    aligned = shuffled.loc[features.index]
    assert_allclose(pruning_alphas(features, aligned), pruning_alphas(features, labels))


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_alphas_and_scores_are_refused(bad):
    features, labels = two_blobs()
    with pytest.raises(ValueError, match=r"alphas must be a non-empty 1-D sequence.*got"):
        cross_validate_alphas(features, labels, [0.0, bad])
    table = pd.DataFrame(
        {"mean_accuracy": [0.9, 0.8], "sem_accuracy": [bad, 0.01]}, index=[0.0, 0.01]
    )
    with pytest.raises(
        ValueError, match=r"table\['sem_accuracy'\] must be finite, got \[(nan|inf)"
    ):
        select_alpha(table)
    with pytest.raises(ValueError, match="distinct finite non-negative alphas"):
        select_alpha(table.assign(sem_accuracy=0.01).set_axis([0.0, bad]))


@pytest.mark.hostile("nan_parameter")
def test_nan_counts_and_sizes_are_refused():
    features, labels = two_blobs()
    with pytest.raises(TypeError, match="max_alphas must be an integer, got float: nan"):
        pruning_alphas(features, labels, max_alphas=np.nan)
    with pytest.raises(TypeError, match="n_splits must be an integer, got float: nan"):
        cross_validate_alphas(features, labels, [0.0], n_splits=np.nan)
    with pytest.raises(ValueError, match="features hold 1 infinite value"):
        pruning_alphas(
            features.assign(x1=features["x1"].replace(features["x1"].iloc[0], np.inf)), labels
        )


@pytest.mark.hostile("single_string")
def test_single_strings_are_refused():
    features, labels = two_blobs()
    with pytest.raises(TypeError, match=r"alphas must be numbers, got the string '0\.1'"):
        cross_validate_alphas(features, labels, "0.1")
    with pytest.raises(TypeError, match="labels must be one label per row, got the single string"):
        pruning_alphas(features.iloc[:2], "ab")


@pytest.mark.hostile("bad_input")
def test_pruning_alphas_refuses_bad_seeds_and_criteria():
    features, labels = two_blobs()
    with pytest.raises(TypeError, match="random_state must be an integer, got NoneType: None"):
        pruning_alphas(features, labels, random_state=None)
    with pytest.raises(ValueError, match="random_state must be an integer >= 0, got -1"):
        pruning_alphas(features, labels, random_state=-1)
    with pytest.raises(TypeError, match="max_alphas must be an integer, got bool: True"):
        pruning_alphas(features, labels, max_alphas=True)
    with pytest.raises(ValueError, match="criterion must be one of 'gini', 'entropy'; got 'Gini'"):
        pruning_alphas(features, labels, criterion="Gini")


@pytest.mark.hostile("bad_input")
def test_cross_validate_alphas_refuses_repeated_and_text_alphas():
    features, labels = two_blobs()
    with pytest.raises(ValueError, match=r"alphas must not repeat a value, got \[0.0, 0.0\]"):
        cross_validate_alphas(features, labels, [0.0, 0.0])
    with pytest.raises(TypeError, match="alphas must be numbers, got dtype"):
        cross_validate_alphas(features, labels, ["0.0", "0.1"])
    with pytest.raises(TypeError, match="alphas must be numbers, got dtype bool"):
        cross_validate_alphas(features, labels, [True, False])


@pytest.mark.hostile("bad_input")
def test_select_alpha_refuses_repeated_or_text_alphas_and_negative_errors():
    scores = {"mean_accuracy": [0.9, 0.8], "sem_accuracy": [0.01, 0.02]}
    with pytest.raises(ValueError, match=r"distinct finite non-negative alphas, got \[0.0, 0.0\]"):
        select_alpha(pd.DataFrame(scores, index=[0.0, 0.0]))
    with pytest.raises(TypeError, match="table must be indexed by numeric alphas"):
        select_alpha(pd.DataFrame(scores, index=["a", "b"]))
    with pytest.raises(ValueError, match=r"table\['sem_accuracy'\] must not be negative"):
        select_alpha(pd.DataFrame({"mean_accuracy": [0.9], "sem_accuracy": [-0.1]}))
    with pytest.raises(
        ValueError, match="rule must be one of 'best', 'one_standard_error'; got 3"
    ):
        select_alpha(pd.DataFrame(scores), 3)


@pytest.mark.hostile("bad_input")
def test_compare_full_and_pruned_checks_every_argument_before_any_work():
    features, labels = two_blobs()
    with pytest.raises(ValueError, match="inner_splits must be an integer >= 2, got 0"):
        compare_full_and_pruned(features, labels, inner_splits=0)
    with pytest.raises(ValueError, match="max_alphas must be an integer >= 2, got 1"):
        compare_full_and_pruned(features, labels, max_alphas=1)
    with pytest.raises(ValueError, match=r"rules must not repeat a name, got \['best'\]"):
        compare_full_and_pruned(features, labels, rules=["best", "best"])
    with pytest.raises(ValueError, match=r"n_splits=31 exceeds the size of the smallest class"):
        compare_full_and_pruned(features, labels, n_splits=31)
