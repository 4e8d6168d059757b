"""Tests of dlbigdata.cleaning.missing: summaries, simulated missingness, hiding, scoring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.cleaning import (
    hide_at_random,
    missing_summary,
    sample_missingness,
    score_imputations,
)

hostile = pytest.mark.hostile


def test_missing_summary_counts_and_sorts():
    frame = pd.DataFrame(
        {"a": [1.0, np.nan, np.nan, 4.0], "b": [1, 2, 3, 4], "c": [None, "x", "y", "z"]}
    )
    summary = missing_summary(frame)
    assert summary.index.tolist() == ["a", "c", "b"]
    assert summary["missing"].tolist() == [2, 1, 0]
    assert_allclose(summary["share"], [0.5, 0.25, 0.0])


@hostile("bad_input")
def test_missing_summary_rejects_bad_input():
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got list"):
        missing_summary([1, 2])
    with pytest.raises(ValueError, match="frame has no rows"):
        missing_summary(pd.DataFrame({"a": []}))


def test_sample_missingness_follows_the_probabilities():
    rng = np.random.default_rng(0)
    assert not sample_missingness(0.0, rng, size=100).any()
    assert sample_missingness(1.0, rng, size=100).all()
    mask = sample_missingness(np.r_[np.zeros(5000), np.full(5000, 0.5)], rng)
    assert not mask[:5000].any()
    assert 0.45 < mask[5000:].mean() < 0.55
    assert sample_missingness(np.float64(0.5), rng, size=np.int64(3)).shape == (3,)


def test_sample_missingness_rejects_bad_probabilities():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"probabilities must lie in \[0, 1\]; got \[1.5\]"):
        sample_missingness([0.2, 1.5], rng)
    with pytest.raises(ValueError, match="a scalar probability needs size"):
        sample_missingness(0.3, rng)
    with pytest.raises(ValueError, match="size=3 differs from the 2 probabilities"):
        sample_missingness([0.1, 0.2], rng, size=3)
    with pytest.raises(TypeError, match=r"rng must be a numpy.random.Generator .*got int: 42"):
        sample_missingness(0.1, 42, size=3)


@hostile("nan_parameter")
@pytest.mark.parametrize("probability", [np.nan, np.inf, -0.1])
def test_sample_missingness_refuses_a_scalar_probability_outside_0_1(probability):
    with pytest.raises(ValueError, match=f"probability must be .* got {probability}"):
        sample_missingness(probability, np.random.default_rng(0), size=3)


@hostile("nan_parameter")
def test_sample_missingness_refuses_nan_among_the_probabilities():
    with pytest.raises(ValueError, match=r"probabilities must lie in \[0, 1\]; got \[nan\]"):
        sample_missingness([0.1, np.nan], np.random.default_rng(0))


@hostile("bad_input")
@pytest.mark.parametrize(
    ("probability", "size", "message"),
    [
        ("0.3", 3, "probability must be a number, got str: '0.3'"),
        (True, 3, "probability must be a number, got bool: True"),
        ([True, False], None, "probability must be one-dimensional numbers, got dtype bool"),
        (np.zeros((2, 2)), None, r"one-dimensional numbers, got dtype float64 and shape \(2, 2\)"),
        ((p for p in [0.1]), None, "probability must be a number, got generator"),
        (0.1, 2.0, "size must be an integer, got float: 2.0"),
    ],
)
def test_sample_missingness_refuses_what_is_not_a_probability(probability, size, message):
    with pytest.raises(TypeError, match=message):
        sample_missingness(probability, np.random.default_rng(0), size=size)


@hostile("bad_input")
def test_sample_missingness_refuses_a_negative_size():
    with pytest.raises(ValueError, match="size must be an integer >= 0, got -1"):
        sample_missingness(0.1, np.random.default_rng(0), size=-1)


def test_hide_at_random_hides_exactly_a_fraction_of_known_values():
    values = pd.Series([1.0, np.nan, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0], name="x")
    masked, mask = hide_at_random(values, 0.2, np.random.default_rng(1))
    assert mask.sum() == 2  # 20 % of the 10 known values
    assert not mask[1]  # the value that was already missing is not "hidden"
    assert masked[mask].isna().all() and masked[~mask].equals(values[~mask])
    assert values.notna().sum() == 10  # the input is untouched


def test_hide_at_random_works_on_frames():
    frame = pd.DataFrame(np.arange(20.0).reshape(10, 2), columns=["a", "b"])
    masked, mask = hide_at_random(frame, 0.5, np.random.default_rng(0))
    assert isinstance(mask, pd.DataFrame) and mask.to_numpy().sum() == 10
    assert masked.isna().to_numpy().sum() == 10


@hostile("label_alignment")
def test_hide_at_random_masks_by_position_even_with_repeated_labels():
    values = pd.Series([1.0, 2.0, 3.0, 4.0], index=[0, 0, 1, 1])
    masked, mask = hide_at_random(values, 0.5, np.random.default_rng(0))
    assert mask.to_numpy().sum() == 2 and masked.isna().to_numpy().sum() == 2
    assert (masked.isna().to_numpy() == mask.to_numpy()).all()


@hostile("bad_input")
def test_hide_at_random_rejects_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(
        ValueError, match=r"fraction must be a finite number > 0 and < 1, got 1\.5"
    ):
        hide_at_random(pd.Series([1.0, 2.0]), 1.5, rng)
    with pytest.raises(ValueError, match="hides none"):
        hide_at_random(pd.Series([1.0, 2.0]), 0.1, rng)
    with pytest.raises(TypeError, match="values must be numeric, got dtype"):
        hide_at_random(pd.Series(["a", "b"]), 0.5, rng)
    with pytest.raises(TypeError, match="values must be a pandas Series or DataFrame, got list"):
        hide_at_random([1.0, 2.0], 0.5, rng)
    with pytest.raises(TypeError, match=r"values\['b'\] must be numeric, got dtype"):
        hide_at_random(pd.DataFrame({"a": [1.0, 2.0], "b": [True, False]}), 0.5, rng)
    with pytest.raises(ValueError, match="values holds 1 infinite value"):
        hide_at_random(pd.Series([1.0, 2.0, np.inf]), 0.5, rng)


@hostile("nan_parameter")
@pytest.mark.parametrize("fraction", [np.nan, np.inf])
def test_hide_at_random_refuses_a_non_finite_fraction(fraction):
    with pytest.raises(ValueError, match=f"fraction must be a finite number .*got {fraction}"):
        hide_at_random(pd.Series([1.0, 2.0, 3.0]), fraction, np.random.default_rng(0))


def test_score_imputations_measures_mean_absolute_error():
    truth = pd.Series([1.0, 2.0, 3.0, 4.0])
    mask = pd.Series([True, False, True, False])
    scores = score_imputations(
        truth,
        mask,
        {"zeros": pd.Series([0.0, 2.0, 0.0, 4.0]), "close": pd.Series([1.5, 2.0, 2.5, 4.0])},
    )
    assert scores.index.tolist() == ["close", "zeros"]
    assert_allclose(scores.to_numpy(), [0.5, 2.0])


def test_score_imputations_refuses_unfilled_or_misshapen_candidates():
    truth, mask = pd.Series([1.0, 2.0]), pd.Series([True, False])
    with pytest.raises(ValueError, match="candidate 'lazy' left 1 hidden values missing"):
        score_imputations(truth, mask, {"lazy": pd.Series([np.nan, 2.0])})
    # was: "candidate 'short' has shape (1,), expected (2,)"; tables now align by label
    with pytest.raises(
        ValueError, match=r"candidate 'short' must have the row labels of truth: it lacks \[1\]"
    ):
        score_imputations(truth, mask, {"short": pd.Series([1.0])})
    with pytest.raises(ValueError, match="mask hides no value"):
        score_imputations(truth, pd.Series([False, False]), {"x": truth})
    with pytest.raises(TypeError, match="candidates must be a non-empty mapping"):
        score_imputations(truth, mask, [truth])


@hostile("label_alignment")
def test_score_imputations_aligns_shuffled_tables_by_label():
    truth = pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcd"))
    mask = pd.Series([True, False, True, False], index=list("abcd"))
    imputed = pd.Series([1.0, 20.0, 3.0, 40.0], index=list("abcd"))
    shuffled = score_imputations(truth, mask.iloc[::-1], {"x": imputed.iloc[[3, 1, 0, 2]]})
    assert shuffled["x"] == 0.0  # by position it would have been (19 + 37) / 2


@hostile("label_alignment")
def test_score_imputations_aligns_frames_by_label_and_column():
    truth = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=["x", "y"])
    mask = pd.DataFrame({"a": [True, False], "b": [False, True]}, index=["x", "y"])
    imputed = truth.iloc[::-1][["b", "a"]]
    assert score_imputations(truth, mask, {"same": imputed})["same"] == 0.0
    with pytest.raises(ValueError, match=r"candidate 'c' must have the columns of truth \['a'"):
        score_imputations(truth, mask, {"c": truth.rename(columns={"b": "B"})})


@hostile("label_alignment")
@pytest.mark.parametrize("who", ["truth", "mask", "candidate 'x'"])
def test_score_imputations_refuses_repeated_labels(who):
    truth = pd.Series([1.0, 2.0, 3.0], index=list("abc"))
    mask = pd.Series([True, False, True], index=list("abc"))
    tables = {"truth": truth, "mask": mask, "candidate 'x'": truth}
    tables[who] = tables[who].set_axis(list("aba"))
    with pytest.raises(ValueError, match=rf"{who} must have unique row labels.*\['a'\]"):
        score_imputations(tables["truth"], tables["mask"], {"x": tables["candidate 'x'"]})


@hostile("label_alignment")
def test_score_imputations_refuses_other_labels():
    truth = pd.Series([1.0, 2.0], index=["a", "b"])
    mask = pd.Series([True, False], index=["a", "b"])
    with pytest.raises(ValueError, match=r"it lacks \['b'\], has extra \['z'\]"):
        score_imputations(truth, mask, {"x": truth.set_axis(["a", "z"])})


@hostile("bad_input")
def test_score_imputations_refuses_wrong_kinds_and_types():
    truth, mask = pd.Series([1.0, 2.0]), pd.Series([True, False])
    with pytest.raises(TypeError, match="candidate 'x' must be a Series like truth, got ndarray"):
        score_imputations(truth, mask, {"x": truth.to_numpy()})
    with pytest.raises(TypeError, match=r"mask must hold booleans .*\['int64'\]"):
        score_imputations(truth, mask.astype(int), {"x": truth})
    with pytest.raises(TypeError, match="candidate name must be a string, got int: 1"):
        score_imputations(truth, mask, {1: truth})
    with pytest.raises(TypeError, match="truth must be a pandas Series or DataFrame, got list"):
        score_imputations([1.0, 2.0], mask, {"x": truth})
    with pytest.raises(TypeError, match="candidate 'x' must be numeric, got dtype"):
        score_imputations(truth, mask, {"x": pd.Series(["1", "2"])})
    with pytest.raises(ValueError, match="1 hidden values have no true value"):
        score_imputations(pd.Series([np.nan, 2.0]), mask, {"x": truth})
