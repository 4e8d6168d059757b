"""Tests of dlbigdata.mining.impurity: Gini impurity, entropy and the decrease of a split."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.tree import DecisionTreeClassifier

from dlbigdata.mining import impurity, impurity_decrease


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


# --- hostile input (issue 8) ------------------------------------------------------------------


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_impurity_decrease_refuses_non_finite_counts(bad):
    with pytest.raises(
        ValueError, match=rf"children\[1\] must be finite and non-negative, got \[2.0, {bad}\]"
    ):
        impurity_decrease([3, 3], [[1, 3], [2, bad]])


@pytest.mark.hostile("single_string")
def test_impurity_refuses_a_string_of_counts():
    with pytest.raises(
        TypeError, match="counts must be numeric class counts, got the string '55'"
    ):
        impurity("55")


@pytest.mark.hostile("bad_input")
def test_impurity_refuses_an_unknown_or_non_string_criterion():
    with pytest.raises(ValueError, match="criterion must be one of 'gini', 'entropy'; got None"):
        impurity([1, 2], None)
    with pytest.raises(
        ValueError, match="criterion must be one of 'gini', 'entropy'; got 'log_loss'"
    ):
        impurity_decrease([2, 2], [[2, 0], [0, 2]], "log_loss")
    with pytest.raises(
        TypeError, match="children must be a list of class-count sequences, got dict"
    ):
        impurity_decrease([2, 2], {"left": [2, 0], "right": [0, 2]})
