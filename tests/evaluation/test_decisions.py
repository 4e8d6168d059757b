"""Tests of dlbigdata.evaluation.decisions: thresholds, rates and expected cost."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from dlbigdata.evaluation.decisions import (
    confusion_at,
    cost_curve,
    expected_cost,
    sensitivity_specificity,
    threshold_for_sensitivity,
)

Y = np.array([0, 0, 1, 1, 1, 0])
S = np.array([0.1, 0.4, 0.35, 0.8, 0.9, 0.7])


def test_confusion_and_rates_at_a_threshold():
    assert confusion_at(Y, S, 0.5) == {"tp": 2, "fp": 1, "tn": 2, "fn": 1}
    assert_allclose(sensitivity_specificity(Y, S, 0.5), (2 / 3, 2 / 3))
    # The threshold itself counts as positive.
    assert confusion_at(Y, S, 0.8)["tp"] == 2


def test_threshold_for_sensitivity_is_the_highest_that_keeps_the_target():
    assert threshold_for_sensitivity(Y, S, 1.0) == 0.35
    assert threshold_for_sensitivity(Y, S, 0.6) == 0.8
    assert threshold_for_sensitivity(Y.astype(bool), S, 1 / 3) == 0.9
    for target in (0.2, 0.5, 0.7, 1.0):
        achieved, _ = sensitivity_specificity(Y, S, threshold_for_sensitivity(Y, S, target))
        assert achieved >= target


def test_expected_cost_weighs_the_two_errors():
    # At 0.5: one false positive (cost 1) and one false negative (cost 5) over 6 cases.
    cost = expected_cost(Y, S, 0.5, cost_false_positive=1, cost_false_negative=5)
    assert_allclose(cost, 6 / 6)
    curve = cost_curve(Y, S, cost_false_positive=1, cost_false_negative=5, thresholds=[1, 0])
    assert curve["threshold"].tolist() == [0.0, 1.0]
    assert_allclose(curve["expected_cost"], [3 / 6, 15 / 6])
    assert curve["false_positives"].tolist() == [3, 0]
    assert len(cost_curve(Y, S, cost_false_positive=1, cost_false_negative=1)) == 101


@pytest.mark.hostile("bad_input")
def test_bad_labels_and_scores_are_refused():
    with pytest.raises(ValueError, match="only 0/1"):
        confusion_at([0, 2, 1], [0.1, 0.2, 0.3], 0.5)
    with pytest.raises(ValueError, match="both classes"):
        confusion_at([1, 1], [0.1, 0.2], 0.5)
    with pytest.raises(ValueError, match="scores must be 3 numbers"):
        confusion_at([0, 1, 1], [0.1, 0.2], 0.5)
    with pytest.raises(ValueError, match="NaN"):
        sensitivity_specificity([0, 1], [0.1, np.nan], 0.5)
    with pytest.raises(ValueError, match="threshold"):
        confusion_at(Y, S, float("nan"))
    with pytest.raises(ValueError, match="sensitivity must be"):
        threshold_for_sensitivity(Y, S, 0.0)
    with pytest.raises(ValueError, match="cost_false_negative must be"):
        expected_cost(Y, S, 0.5, cost_false_positive=1, cost_false_negative=-1)
    with pytest.raises(ValueError, match="thresholds must be"):
        cost_curve(Y, S, cost_false_positive=1, cost_false_negative=1, thresholds=[])


@pytest.mark.hostile("single_string")
def test_a_string_is_not_labels_or_scores():
    with pytest.raises(TypeError, match="single string"):
        confusion_at("0101", S, 0.5)
    with pytest.raises(ValueError, match="scores must be 6 numbers"):
        confusion_at(Y, "0.1", 0.5)
