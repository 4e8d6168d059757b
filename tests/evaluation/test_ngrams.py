"""Tests of dlbigdata.evaluation.ngrams: the n-grams a linear text model weighs most."""

from __future__ import annotations

import numpy as np
import pytest

from dlbigdata.evaluation import top_weighted_ngrams


def fitted_text_model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    texts = ["good great fine", "good fine", "bad awful", "bad terrible awful", "great good"]
    labels = [1, 1, 0, 0, 1]
    return Pipeline(
        [("features", TfidfVectorizer()), ("classifier", LogisticRegression(C=10))]
    ).fit(texts, labels)


def test_top_weighted_ngrams_lists_each_class():
    top = top_weighted_ngrams(fitted_text_model(), n=2, class_names=("negative", "positive"))
    assert list(top.columns) == ["class", "ngram", "weight"]
    assert top["class"].tolist() == ["negative", "negative", "positive", "positive"]
    assert set(top["ngram"][:2]) <= {"bad", "awful", "terrible"}
    assert set(top["ngram"][2:]) <= {"good", "great", "fine"}
    assert (top["weight"][:2] < 0).all() and (top["weight"][2:] > 0).all()
    assert top["weight"].iloc[2] >= top["weight"].iloc[3]
    assert len(top_weighted_ngrams(fitted_text_model(), n=np.int64(1))) == 2


@pytest.mark.hostile("bad_input")
def test_top_weighted_ngrams_rejects_bad_input():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    unfitted = Pipeline([("features", TfidfVectorizer()), ("classifier", LogisticRegression())])
    with pytest.raises(TypeError, match="has no coef_"):
        top_weighted_ngrams(unfitted)
    with pytest.raises(TypeError, match=r"Pipeline whose first step.*got LogisticRegression"):
        top_weighted_ngrams(LogisticRegression())
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        top_weighted_ngrams(fitted_text_model(), n=0)
    with pytest.raises(TypeError, match=r"n must be an integer, got float: 2.0"):
        top_weighted_ngrams(fitted_text_model(), n=2.0)
    with pytest.raises(ValueError, match="n=7 but the model has only 6 features"):
        top_weighted_ngrams(fitted_text_model(), n=7)
    with pytest.raises(ValueError, match=r"class_names must be two names, got \['one'\]"):
        top_weighted_ngrams(fitted_text_model(), class_names=("one",))
    with pytest.raises(ValueError, match=r"class_names must be two names, got \['a', 'a'\]"):
        top_weighted_ngrams(fitted_text_model(), class_names=("a", "a"))
    with pytest.raises(TypeError, match="class_names must hold strings only, got int: 0"):
        top_weighted_ngrams(fitted_text_model(), class_names=(0, 1))
    three_classes = Pipeline(
        [("features", TfidfVectorizer()), ("classifier", LogisticRegression())]
    ).fit(["aa bb", "cc dd", "ee ff"], [0, 1, 2])
    with pytest.raises(ValueError, match=r"expected a binary classifier .*got \(3, 6\)"):
        top_weighted_ngrams(three_classes, n=1)


@pytest.mark.hostile("single_string")
def test_top_weighted_ngrams_refuses_a_string_of_two_class_names():
    # "ab" has two characters: it used to pass as the two names "a" and "b".
    with pytest.raises(TypeError, match="class_names must be a list of names, got the single"):
        top_weighted_ngrams(fitted_text_model(), class_names="ab")
