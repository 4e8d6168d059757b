"""Classic baselines the networks are compared with: an SVM, a perceptron, TF-IDF + logistic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from dlbigdata._validation import describe, require_choice, require_int, require_number

if TYPE_CHECKING:  # pragma: no cover - imported for type hints only
    from sklearn.base import BaseEstimator

__all__ = ["mlp_baseline", "svm_baseline", "tfidf_logistic_baseline"]


def svm_baseline(
    c_values: Sequence[float] = (1.0, 3.0, 10.0, 30.0), folds: int = 5
) -> BaseEstimator:
    """An RBF-kernel support vector machine whose ``C`` is chosen by cross-validation.

    Parameters
    ----------
    c_values : sequence of float
        Candidate penalties (finite, positive); ``gamma`` is scikit-learn's ``"scale"``.
    folds : int
        Folds of the stratified cross-validation (at least 2).

    Returns
    -------
    sklearn.model_selection.GridSearchCV
        Unfitted; call ``fit(x, y)`` with flattened images (one row per image).

    Raises
    ------
    TypeError
        If ``c_values`` is not a sequence of numbers, or ``folds`` not an integer.
    ValueError
        If ``c_values`` is empty or holds a value that is not finite and positive, or
        ``folds`` is below 2.

    Used in chapter 10.
    """
    if isinstance(c_values, (str, bytes)) or not isinstance(c_values, (Sequence, np.ndarray)):
        raise TypeError(
            f"c_values must be a sequence of positive numbers, got "
            f"{type(c_values).__name__}: {describe(c_values)}"
        )
    if len(c_values) == 0:
        raise ValueError("c_values must hold at least one candidate C, got an empty sequence")
    values = [
        require_number(f"c_values[{index}]", c, minimum=0.0, low_open=True)
        for index, c in enumerate(c_values)
    ]
    cv = require_int("folds", folds, minimum=2)
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC

    return GridSearchCV(SVC(kernel="rbf", gamma="scale"), {"C": values}, cv=cv)


def mlp_baseline(hidden_units: int = 128, seed: int = 0) -> BaseEstimator:
    """A one-hidden-layer perceptron (scikit-learn's ``MLPClassifier``, Adam, weight decay).

    Parameters
    ----------
    hidden_units : int
        Width of the hidden layer (at least 1).
    seed : int
        Seed of the initial weights and of the mini-batch shuffle (an integer >= 0).

    Returns
    -------
    sklearn.neural_network.MLPClassifier
        Unfitted; call ``fit(x, y)`` with flattened images. At most 400 epochs.

    Raises
    ------
    TypeError
        If ``hidden_units`` or ``seed`` is not an integer.
    ValueError
        If ``hidden_units`` is below 1 or ``seed`` negative.

    Used in chapter 10.
    """
    units = require_int("hidden_units", hidden_units, minimum=1)
    state = require_int("seed", seed, minimum=0)
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(hidden_layer_sizes=(units,), alpha=1e-3, max_iter=400, random_state=state)


def tfidf_logistic_baseline(analyzer: str = "word", c: float = 10.0) -> BaseEstimator:
    """TF-IDF n-grams followed by logistic regression, as a scikit-learn pipeline.

    Parameters
    ----------
    analyzer : {"word", "char", "word+char"}
        ``"word"``: word 1- and 2-grams (lower-cased); ``"char"``: character 2- to 5-grams
        inside word boundaries, case kept; ``"word+char"``: both, side by side.
    c : float
        Inverse regularization strength of the logistic regression (finite, positive).

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; steps ``"features"`` and ``"classifier"``. Fit on raw texts.

    Raises
    ------
    TypeError
        If ``c`` is not a number.
    ValueError
        If ``analyzer`` is not one of the three accepted, or ``c`` is not finite and
        positive (NaN included).

    Used in chapter 11.
    """
    require_choice("analyzer", analyzer, ["word", "char", "word+char"])
    strength = require_number("c", c, minimum=0.0, low_open=True)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    characters = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=False
    )
    features = {
        "word": words,
        "char": characters,
        "word+char": FeatureUnion([("word", words), ("char", characters)]),
    }[analyzer]
    return Pipeline(
        [
            ("features", features),
            ("classifier", LogisticRegression(C=strength, max_iter=2000)),
        ]
    )
