"""Tests of dlbigdata.cleaning.outliers: IQR fences and robust z-scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.cleaning import iqr_fences, iqr_outliers, robust_z_outliers, robust_z_scores

hostile = pytest.mark.hostile


def test_iqr_rule_flags_values_outside_tukeys_fences():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 100.0, np.nan])
    low, high = iqr_fences(values)
    assert_allclose([low, high], [2.25 - 1.5 * 2.5, 4.75 + 1.5 * 2.5])
    assert iqr_outliers(values).tolist() == [False] * 5 + [True, False]
    assert iqr_outliers(values, k=np.float64(100)).sum() == 0


def test_robust_z_scores_use_median_and_mad():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 1000.0])
    # median 3, absolute deviations 2, 1, 0, 1, 997: MAD 1
    assert_allclose(robust_z_scores(values), 0.6745 * np.array([-2, -1, 0, 1, 997]))
    assert robust_z_outliers(values).tolist() == [False, False, False, False, True]


def test_robust_z_is_not_masked_by_the_outlier_unlike_the_classic_z():
    values = pd.Series(np.r_[np.linspace(-1, 1, 20), 8.0, 1e6])
    classic = (values - values.mean()).abs() / values.std()
    assert (classic > 3).sum() == 1  # the huge value inflates the sd and hides the 8
    assert robust_z_outliers(values).sum() == 2


@hostile("label_alignment")
def test_flags_keep_the_index_even_with_repeated_labels():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 1000.0], index=[0, 0, 1, 1, 2])
    for rule in (iqr_outliers, robust_z_outliers):
        flags = rule(values)
        assert flags.index.equals(values.index) and flags.tolist() == [False] * 4 + [True]


@hostile("bad_input")
def test_outlier_rules_reject_bad_input():
    with pytest.raises(ValueError, match="median absolute deviation of 'precip' is 0"):
        robust_z_scores(pd.Series([0.0, 0.0, 0.0, 0.5], name="precip"))
    with pytest.raises(ValueError, match="k must be a finite number > 0, got -1"):
        iqr_outliers(pd.Series([1.0, 2.0]), k=-1)
    with pytest.raises(ValueError, match="threshold must be a finite number > 0, got 0"):
        robust_z_outliers(pd.Series([1.0, 2.0, 3.0]), threshold=0)
    with pytest.raises(TypeError, match="values must be numeric, got dtype"):
        iqr_outliers(pd.Series(["1", "2"]))
    with pytest.raises(ValueError, match=r"values \('x'\) has no known value"):
        robust_z_scores(pd.Series([np.nan, np.nan], name="x"))
    with pytest.raises(TypeError, match="values must be a pandas Series, got list"):
        iqr_fences([1.0, 2.0])


@hostile("nan_parameter")
@pytest.mark.parametrize("k", [np.nan, np.inf, float("nan")])
def test_iqr_rules_refuse_a_non_finite_k(k):
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 100.0])
    for rule in (iqr_fences, iqr_outliers):
        with pytest.raises(ValueError, match=f"k must be a finite number > 0, got {k}"):
            rule(values, k=k)


@hostile("nan_parameter")
@pytest.mark.parametrize("threshold", [np.nan, np.inf])
def test_robust_z_refuses_a_non_finite_threshold(threshold):
    with pytest.raises(
        ValueError, match=f"threshold must be a finite number > 0, got {threshold}"
    ):
        robust_z_outliers(pd.Series([1.0, 2.0, 3.0, 100.0]), threshold=threshold)


@hostile("bad_input")
@pytest.mark.parametrize("parameter", [True, "1.5", None])
def test_outlier_rules_refuse_a_parameter_that_is_not_a_number(parameter):
    values = pd.Series([1.0, 2.0, 3.0, 100.0])
    with pytest.raises(TypeError, match=f"k must be a number, got {type(parameter).__name__}"):
        iqr_outliers(values, k=parameter)
    with pytest.raises(TypeError, match="threshold must be a number, got"):
        robust_z_outliers(values, threshold=parameter)


@hostile("bad_input")
@pytest.mark.parametrize("rule", [iqr_fences, iqr_outliers, robust_z_scores, robust_z_outliers])
def test_outlier_rules_refuse_infinite_values(rule):
    # two infinities put Q3 at infinity: the fences became NaN and flagged nothing
    with pytest.raises(ValueError, match=r"values \('wind'\) holds 2 infinite value"):
        rule(pd.Series([1.0, 2.0, np.inf, np.inf], name="wind"))


@hostile("bad_input")
def test_outlier_rules_refuse_booleans():
    with pytest.raises(TypeError, match="values must be numeric, got dtype bool"):
        robust_z_outliers(pd.Series([True, False, True]))
