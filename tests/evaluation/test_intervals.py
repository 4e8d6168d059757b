"""Tests of dlbigdata.evaluation.intervals: the paired bootstrap and its verdict."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.metrics import accuracy_score, mean_absolute_error

from dlbigdata.evaluation.intervals import paired_bootstrap, verdict


def _two_models(n: int = 400):
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 2, n)
    good = np.where(rng.random(n) < 0.9, truth, 1 - truth)
    poor = np.where(rng.random(n) < 0.6, truth, 1 - truth)
    return truth, {"poor": poor, "good": good}


def test_scores_and_differences_are_on_the_whole_test_set():
    truth, models = _two_models()
    table = paired_bootstrap(accuracy_score, truth, models, "poor", n_resamples=200)
    assert_allclose(table.loc["good", "score"], accuracy_score(truth, models["good"]))
    assert_allclose(
        table.loc["good", "difference"],
        accuracy_score(truth, models["good"]) - accuracy_score(truth, models["poor"]),
    )
    assert table.loc["poor", ["difference", "low", "high"]].tolist() == [0.0, 0.0, 0.0]
    low, high = table.loc["good", ["low", "high"]]
    assert low < table.loc["good", "difference"] < high
    assert verdict(table, "good", higher_is_better=True) == "better"
    assert verdict(table, "good", higher_is_better=False) == "worse"


def test_the_interval_is_paired():
    # Two models that differ on only 10 of 400 cases, always in the second's favour: a
    # paired interval lies wholly above 0 although the two scores are close.
    truth, models = _two_models()
    better = models["poor"].copy()
    wrong = np.flatnonzero(better != truth)[:10]
    better[wrong] = truth[wrong]
    table = paired_bootstrap(
        accuracy_score, truth, {"poor": models["poor"], "fixed": better}, "poor"
    )
    assert table.loc["fixed", "low"] > 0
    assert_allclose(table.loc["fixed", "difference"], 10 / 400)


def test_no_clear_difference_for_identical_models_and_same_seed_same_table():
    truth, models = _two_models()
    same = {"a": models["good"], "b": models["good"].copy()}
    table = paired_bootstrap(accuracy_score, truth, same, "a", seed=3)
    assert verdict(table, "b", higher_is_better=True) == "no clear difference"
    first = paired_bootstrap(accuracy_score, truth, models, "poor", seed=3)
    again = paired_bootstrap(accuracy_score, truth, models, "poor", seed=3)
    assert first.equals(again)


def test_regression_metrics_and_lower_is_better():
    truth = np.linspace(0, 10, 200)
    table = paired_bootstrap(
        mean_absolute_error,
        truth,
        {"naive": truth + 1.0, "model": truth + 0.5 * np.sin(truth)},
        "naive",
    )
    assert table.loc["model", "difference"] < 0
    assert verdict(table, "model", higher_is_better=False) == "better"


@pytest.mark.hostile("bad_input")
def test_paired_bootstrap_rejects_bad_input():
    truth, models = _two_models()
    with pytest.raises(ValueError, match="at least two models"):
        paired_bootstrap(accuracy_score, truth, {"good": models["good"]}, "good")
    with pytest.raises(ValueError, match=r"predictions\['good'\] has shape \(399,\)"):
        paired_bootstrap(
            accuracy_score, truth, {"poor": models["poor"], "good": models["good"][1:]}, "poor"
        )
    with pytest.raises(ValueError, match="reference"):
        paired_bootstrap(accuracy_score, truth, models, "baseline")
    with pytest.raises(ValueError, match="n_resamples"):
        paired_bootstrap(accuracy_score, truth, models, "poor", n_resamples=10)
    with pytest.raises(ValueError, match="level"):
        paired_bootstrap(accuracy_score, truth, models, "poor", level=1.0)
    with pytest.raises(TypeError, match="metric"):
        paired_bootstrap("accuracy", truth, models, "poor")
    with pytest.raises(TypeError, match="predictions must be a mapping"):
        paired_bootstrap(accuracy_score, truth, [models["poor"], models["good"]], "poor")


@pytest.mark.hostile("nan_parameter")
def test_a_nan_prediction_is_refused():
    truth = np.arange(5.0)
    with pytest.raises(ValueError, match=r"predictions\['b'\] has a NaN"):
        paired_bootstrap(mean_absolute_error, truth, {"a": truth, "b": [0, 1, np.nan, 3, 4]}, "a")


@pytest.mark.hostile("bad_input")
def test_verdict_rejects_bad_input():
    truth, models = _two_models()
    table = paired_bootstrap(accuracy_score, truth, models, "poor", n_resamples=100)
    with pytest.raises(ValueError, match="model"):
        verdict(table, "deep", higher_is_better=True)
    with pytest.raises(TypeError, match="higher_is_better"):
        verdict(table, "good", higher_is_better="yes")
    with pytest.raises(ValueError, match="lacks column"):
        verdict(table[["score"]], "good", higher_is_better=True)


def test_one_case_per_group_is_the_plain_bootstrap():
    truth, models = _two_models()
    plain = paired_bootstrap(accuracy_score, truth, models, "poor", seed=3)
    blocks = paired_bootstrap(
        accuracy_score, truth, models, "poor", seed=3, groups=np.arange(len(truth))
    )
    assert_allclose(blocks.to_numpy(), plain.to_numpy())


def test_groups_of_correlated_cases_widen_the_interval():
    # 20 users with 20 cases each; whether "good" beats "poor" depends on the user, so the
    # cases of one user are not independent and resampling rows understates the spread.
    rng = np.random.default_rng(2)
    users = np.repeat(np.arange(20), 20)
    truth = rng.integers(0, 2, users.size)
    user_skill = rng.choice([0.55, 0.95], size=20)[users]
    good = np.where(rng.random(users.size) < user_skill, truth, 1 - truth)
    poor = np.where(rng.random(users.size) < 0.75, truth, 1 - truth)
    models = {"poor": poor, "good": good}
    rows = paired_bootstrap(accuracy_score, truth, models, "poor", seed=0)
    blocks = paired_bootstrap(accuracy_score, truth, models, "poor", seed=0, groups=users)
    assert blocks.loc["good", "score"] == rows.loc["good", "score"]
    width = (blocks["high"] - blocks["low"]).loc["good"]
    assert width > 1.5 * (rows["high"] - rows["low"]).loc["good"]


@pytest.mark.hostile("bad_input")
def test_bad_groups_are_refused():
    truth, models = _two_models()
    with pytest.raises(ValueError, match="groups has 3 labels; y_true has 400"):
        paired_bootstrap(accuracy_score, truth, models, "poor", groups=[1, 2, 3])
    with pytest.raises(ValueError, match="at least two groups"):
        paired_bootstrap(accuracy_score, truth, models, "poor", groups=["u1"] * 400)
    labels = np.array(["u1", "u2"] * 200, dtype=object)
    labels[7] = None
    with pytest.raises(ValueError, match="missing label"):
        paired_bootstrap(accuracy_score, truth, models, "poor", groups=labels)
