"""A membership-inference attack: is this record in the model's training data?

An over-fitted model is more confident on the records it was trained on than on others;
thresholding that confidence separates members from non-members (Shokri et al. 2017 use
shadow models; the threshold on the true-label confidence, equivalently on the loss, is
the simplest form of the attack). Its AUC is 0.5 for a model that leaks nothing.

Used in chapter 25.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from dlbigdata._validation import require_finite_array, require_labels

__all__ = ["membership_inference_auc", "true_label_confidence"]


def true_label_confidence(probabilities: Any, labels: Any, classes: Any) -> np.ndarray:
    """The probability each row gives to its true label.

    Parameters
    ----------
    probabilities
        Shape (n, c), one column per class in the order of ``classes``.
    labels
        The n true labels, each one of ``classes``.
    classes
        The c class labels (``model.classes_``).

    Raises
    ------
    ValueError
        If the shapes disagree or a label is not one of ``classes``.

    Used in chapter 25.
    """
    classes = np.asarray(classes)
    proba = require_finite_array(
        "probabilities", probabilities, ("n", len(classes)), as_float32=False
    )
    truth = require_labels("labels", labels, length=len(proba))
    matches = truth[:, None] == classes[None, :]
    unknown = sorted({str(label) for label in truth[~matches.any(axis=1)]})
    if unknown:
        raise ValueError(f"labels must be among classes {classes.tolist()}, got {unknown}")
    return proba[np.arange(len(proba)), matches.argmax(axis=1)]


def membership_inference_auc(
    model: Any,
    members: tuple[Any, Any],
    outsiders: tuple[Any, Any],
) -> float:
    """The AUC of the confidence-threshold attack telling ``members`` from ``outsiders``.

    Parameters
    ----------
    model
        A fitted classifier with ``predict_proba`` and ``classes_``.
    members, outsiders
        ``(features, labels)`` of records inside and outside its training data.

    Raises
    ------
    TypeError
        If ``model`` has no ``predict_proba`` or a group is not a pair.

    Used in chapter 25.
    """
    if not callable(getattr(model, "predict_proba", None)):
        raise TypeError(
            f"model must be a fitted classifier with predict_proba, got {type(model).__name__}"
        )
    scores = []
    for name, group in (("members", members), ("outsiders", outsiders)):
        if not isinstance(group, tuple) or len(group) != 2:
            raise TypeError(f"{name} must be a (features, labels) pair, got {group!r:.60}")
        features, labels = group
        proba = model.predict_proba(features)
        scores.append(true_label_confidence(proba, labels, model.classes_))
    truth = np.r_[np.ones(len(scores[0])), np.zeros(len(scores[1]))]
    return float(roc_auc_score(truth, np.concatenate(scores)))
