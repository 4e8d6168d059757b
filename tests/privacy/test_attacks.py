"""Tests of dlbigdata.privacy.attacks: true-label confidence and membership inference."""

from __future__ import annotations

import numpy as np
import pytest

from dlbigdata.privacy.attacks import membership_inference_auc, true_label_confidence


class TableModel:
    """A 'model' that returns fixed probabilities looked up by the first feature."""

    classes_ = np.array(["no", "yes"])

    def predict_proba(self, features):
        return np.array([[1 - p, p] for p in np.asarray(features)[:, 0]])


def test_confidence_picks_the_true_label_column():
    proba = np.array([[0.9, 0.1], [0.3, 0.7]])
    np.testing.assert_allclose(
        true_label_confidence(proba, ["no", "no"], ["no", "yes"]), [0.9, 0.3]
    )


def test_auc_ranks_members_above_outsiders():
    model = TableModel()
    members = (np.array([[0.99], [0.95], [0.2]]), np.array(["yes", "yes", "no"]))
    outsiders = (np.array([[0.6], [0.5]]), np.array(["yes", "no"]))
    # member confidences 0.99, 0.95, 0.8; outsiders 0.6, 0.5: perfectly separated
    assert membership_inference_auc(model, members, outsiders) == 1.0
    swapped = membership_inference_auc(model, outsiders, members)
    assert swapped == 0.0


@pytest.mark.hostile("bad_input")
def test_unknown_labels_and_bad_shapes_are_refused():
    with pytest.raises(
        ValueError, match=r"labels must be among classes \['no', 'yes'\], got \['maybe'\]"
    ):
        true_label_confidence(np.array([[0.5, 0.5]]), ["maybe"], ["no", "yes"])
    with pytest.raises(ValueError, match=r"probabilities must have shape \(n, 2\)"):
        true_label_confidence(np.ones((2, 3)) / 3, ["no", "no"], ["no", "yes"])


@pytest.mark.hostile("label_alignment")
def test_labels_of_another_length_are_refused():
    with pytest.raises(ValueError, match="labels has 1 entries but there are 2 examples"):
        true_label_confidence(np.array([[0.5, 0.5]] * 2), ["no"], ["no", "yes"])


@pytest.mark.hostile("bad_input")
def test_model_and_groups_are_checked():
    with pytest.raises(TypeError, match="model must be a fitted classifier with predict_proba"):
        membership_inference_auc(object(), ([[0.1]], ["no"]), ([[0.1]], ["no"]))
    with pytest.raises(TypeError, match=r"members must be a \(features, labels\) pair"):
        membership_inference_auc(TableModel(), [[0.1]], ([[0.1]], ["no"]))
