"""Tests of dlbigdata.networks.baselines: the SVM, the perceptron, TF-IDF + logistic."""

from __future__ import annotations

import numpy as np
import pytest
from factories import separable_problem

from dlbigdata.networks import mlp_baseline, svm_baseline, tfidf_logistic_baseline


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_svm_and_mlp_baselines_fit_a_separable_problem():
    x, y = separable_problem()
    svm = svm_baseline(c_values=(1.0, 10.0), folds=3).fit(x, y)
    assert svm.best_params_["C"] in (1.0, 10.0)
    assert svm.score(x, y) >= 0.95
    x_many, y_many = separable_problem(600)
    mlp = mlp_baseline(hidden_units=16, seed=0).fit(x_many, y_many)
    assert mlp.hidden_layer_sizes == (16,)
    assert mlp.score(x_many, y_many) >= 0.95


def test_svm_baseline_accepts_numpy_numbers():
    search = svm_baseline(c_values=np.array([np.float32(1.0), 3]), folds=np.int64(2))
    assert search.param_grid == {"C": [1.0, 3.0]} and search.cv == 2


@pytest.mark.hostile("bad_input")
def test_svm_baseline_rejects_bad_input():
    with pytest.raises(ValueError, match=r"c_values\[1\] must be a finite number > 0, got -1.0"):
        svm_baseline(c_values=(1.0, -1.0))
    with pytest.raises(ValueError, match="c_values must hold at least one candidate C"):
        svm_baseline(c_values=[])
    with pytest.raises(TypeError, match=r"c_values must be a sequence .*got float: 1.0"):
        svm_baseline(c_values=1.0)
    with pytest.raises(TypeError, match=r"c_values\[0\] must be a number, got bool"):
        svm_baseline(c_values=[True])
    with pytest.raises(ValueError, match="folds must be an integer >= 2, got 1"):
        svm_baseline(folds=1)


@pytest.mark.hostile("single_string")
def test_svm_baseline_refuses_a_string_of_penalties():
    with pytest.raises(TypeError, match=r"c_values must be a sequence .*got str: '1 10'"):
        svm_baseline(c_values="1 10")


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("c", [np.nan, np.inf])
def test_svm_baseline_refuses_non_finite_penalties(c):
    with pytest.raises(ValueError, match=rf"c_values\[1\] must be a finite number > 0, got {c}"):
        svm_baseline(c_values=(1.0, c))


@pytest.mark.hostile("bad_input")
def test_mlp_baseline_rejects_bad_input():
    with pytest.raises(ValueError, match="hidden_units must be an integer >= 1, got 0"):
        mlp_baseline(hidden_units=0)
    with pytest.raises(TypeError, match=r"hidden_units must be an integer, got float: 16.0"):
        mlp_baseline(hidden_units=16.0)
    with pytest.raises(TypeError, match="seed must be an integer, got bool"):
        mlp_baseline(seed=True)
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -3"):
        mlp_baseline(seed=-3)


def test_tfidf_logistic_baseline_learns_words_and_characters():
    texts = [
        "great rally tonight",
        "great crowd tonight",
        "join us at the link",
        "join the rally link",
        "great great tonight",
        "join us link",
    ] * 3
    labels = np.array([0, 0, 1, 1, 0, 1] * 3)
    for analyzer in ("word", "char", "word+char"):
        model = tfidf_logistic_baseline(analyzer).fit(texts, labels)
        assert model.score(texts, labels) == 1.0
        assert [name for name, _ in model.steps] == ["features", "classifier"]


@pytest.mark.hostile("bad_input")
def test_tfidf_logistic_baseline_rejects_bad_input():
    with pytest.raises(ValueError, match=r"analyzer must be one of .*got 'sentence'"):
        tfidf_logistic_baseline("sentence")
    with pytest.raises(ValueError, match=r"analyzer must be one of .*got \['word'\]"):
        tfidf_logistic_baseline(["word"])
    with pytest.raises(ValueError, match="c must be a finite number > 0, got 0"):
        tfidf_logistic_baseline("word", c=0)
    with pytest.raises(TypeError, match="c must be a number, got str: '10'"):
        tfidf_logistic_baseline("word", c="10")


@pytest.mark.hostile("nan_parameter")
@pytest.mark.parametrize("c", [np.nan, np.inf])
def test_tfidf_logistic_baseline_refuses_a_non_finite_strength(c):
    with pytest.raises(ValueError, match=f"c must be a finite number > 0, got {c}"):
        tfidf_logistic_baseline("word", c=c)
