"""Explanations: the n-grams a linear text model weighs most heavily for each class."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import require_int, require_names

__all__ = ["top_weighted_ngrams"]


def top_weighted_ngrams(
    pipeline: Any, n: int = 15, class_names: Sequence[str] = ("class 0", "class 1")
) -> pd.DataFrame:
    """The n-grams with the largest weights for each class in a fitted linear text model.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Fitted; its first step turns texts into features and has ``get_feature_names_out``
        (a ``TfidfVectorizer`` or a ``FeatureUnion`` of them), its last step is a binary
        linear classifier with ``coef_`` of shape ``(1, n_features)``.
    n : int
        How many n-grams per class.
    class_names : sequence of two str
        Names of class 0 (negative weights) and class 1 (positive weights).

    Returns
    -------
    pandas.DataFrame
        ``2 * n`` rows with columns ``class`` (which class the n-gram points to), ``ngram``
        and ``weight``; the strongest first within each class.

    Raises
    ------
    TypeError
        If ``pipeline`` is not a fitted pipeline of that form, ``n`` is not an integer, or
        ``class_names`` is a single string or holds a non-string.
    ValueError
        If ``n`` is below 1, the classifier is not binary, ``class_names`` is not two
        distinct names, or there are fewer than ``n`` features.

    Used in chapter 11.
    """
    n = require_int("n", n, minimum=1)
    names_of_classes = require_names("class_names", class_names, unique=False)
    if len(names_of_classes) != 2 or len(set(names_of_classes)) != 2:
        raise ValueError(f"class_names must be two names, got {names_of_classes!r}")
    steps = getattr(pipeline, "steps", None)
    if not steps or not hasattr(steps[0][1], "get_feature_names_out"):
        raise TypeError(
            f"expected a scikit-learn Pipeline whose first step has get_feature_names_out, "
            f"got {type(pipeline).__name__}"
        )
    classifier = steps[-1][1]
    if not hasattr(classifier, "coef_"):
        raise TypeError(
            f"the last step ({type(classifier).__name__}) has no coef_: fit the pipeline "
            "first, with a linear classifier"
        )
    coefficients = np.asarray(classifier.coef_)
    if coefficients.ndim != 2 or coefficients.shape[0] != 1:
        raise ValueError(
            "expected a binary classifier with coef_ of shape (1, features), "
            f"got {coefficients.shape}"
        )
    names = np.asarray(steps[0][1].get_feature_names_out(), dtype=object)
    weights = coefficients[0]
    if len(names) != len(weights):
        raise ValueError(f"{len(names)} feature names for {len(weights)} weights")
    if len(weights) < n:
        raise ValueError(f"n={n} but the model has only {len(weights)} features")
    order = np.argsort(weights, kind="stable")
    negative, positive = order[:n], order[::-1][:n]
    rows = [(names_of_classes[0], names[i], weights[i]) for i in negative] + [
        (names_of_classes[1], names[i], weights[i]) for i in positive
    ]
    return pd.DataFrame(rows, columns=["class", "ngram", "weight"])
