"""Tests of dlbigdata.cleaning: imputation, outliers, duplicates, units, schema validation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.cleaning import (
    FLIGHT_STATUSES,
    ValidationReport,
    clean_flights,
    convert_units,
    draw_missingness,
    find_duplicates,
    flights_schema,
    hhmm_to_minutes,
    hide_at_random,
    impute_by_group,
    impute_constant,
    impute_interpolate,
    impute_iterative,
    impute_knn,
    iqr_fences,
    iqr_outliers,
    missing_summary,
    robust_z_outliers,
    robust_z_scores,
    score_imputations,
    validate,
)

# ---------------------------------------------------------------------------
# A small raw flights table with the dtypes of dlbigdata.load("flights")
# ---------------------------------------------------------------------------


def raw_flights() -> pd.DataFrame:
    """Four flights: on time, across midnight, cancelled, departed without arrival record."""
    time_hour = (
        pd.to_datetime(
            ["2013-01-01 05:00", "2013-01-01 23:00", "2013-01-02 09:00", "2013-01-02 14:00"]
        )
        .tz_localize("America/New_York")
        .as_unit("us")
    )
    return pd.DataFrame(
        {
            "year": [2013] * 4,
            "month": [1, 1, 1, 1],
            "day": [1, 1, 2, 2],
            "dep_time": pd.array([517, 10, None, 1402], dtype="Int64"),
            "sched_dep_time": pd.array([515, 2359, 930, 1400], dtype="Int64"),
            "dep_delay": [2.0, 11.0, np.nan, 2.0],
            "arr_time": pd.array([830, 300, None, None], dtype="Int64"),
            "sched_arr_time": pd.array([819, 250, 1200, 1700], dtype="Int64"),
            "arr_delay": [11.0, 10.0, np.nan, np.nan],
            "carrier": pd.Categorical(["UA", "B6", "AA", "UA"]),
            "flight": [1545, 5, 33, 1545],
            "tailnum": ["N14228", "N804JB", None, "N14228"],
            "origin": pd.Categorical(["EWR", "JFK", "LGA", "EWR"]),
            "dest": pd.Categorical(["IAH", "SJU", "ORD", "IAH"]),
            "air_time": [227.0, 190.0, np.nan, np.nan],
            "distance": [1400, 1598, 733, 1400],
            "hour": [5, 23, 9, 14],
            "minute": [15, 59, 30, 0],
            "time_hour": time_hour,
        }
    )


CARRIERS = ["AA", "B6", "UA"]


# ---------------------------------------------------------------------------
# Missing values
# ---------------------------------------------------------------------------


def test_missing_summary_counts_and_sorts():
    frame = pd.DataFrame(
        {"a": [1.0, np.nan, np.nan, 4.0], "b": [1, 2, 3, 4], "c": [None, "x", "y", "z"]}
    )
    summary = missing_summary(frame)
    assert summary.index.tolist() == ["a", "c", "b"]
    assert summary["missing"].tolist() == [2, 1, 0]
    assert_allclose(summary["share"], [0.5, 0.25, 0.0])


def test_missing_summary_rejects_bad_input():
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got list"):
        missing_summary([1, 2])
    with pytest.raises(ValueError, match="frame has no rows"):
        missing_summary(pd.DataFrame({"a": []}))


def test_draw_missingness_follows_the_probabilities():
    rng = np.random.default_rng(0)
    assert not draw_missingness(0.0, rng, size=100).any()
    assert draw_missingness(1.0, rng, size=100).all()
    mask = draw_missingness(np.r_[np.zeros(5000), np.full(5000, 0.5)], rng)
    assert not mask[:5000].any()
    assert 0.45 < mask[5000:].mean() < 0.55


def test_draw_missingness_rejects_bad_probabilities():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"probabilities must lie in \[0, 1\]; got \[1.5\]"):
        draw_missingness([0.2, 1.5], rng)
    with pytest.raises(ValueError, match="a scalar probability needs size"):
        draw_missingness(0.3, rng)
    with pytest.raises(ValueError, match="size=3 differs from the 2 probabilities"):
        draw_missingness([0.1, 0.2], rng, size=3)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator, got int"):
        draw_missingness(0.1, 42, size=3)


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


def test_hide_at_random_rejects_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(
        ValueError, match="fraction must be a number strictly between 0 and 1, got 1.5"
    ):
        hide_at_random(pd.Series([1.0, 2.0]), 1.5, rng)
    with pytest.raises(ValueError, match="hides none"):
        hide_at_random(pd.Series([1.0, 2.0]), 0.1, rng)
    with pytest.raises(TypeError, match="must be numeric, got dtype"):
        hide_at_random(pd.Series(["a", "b"]), 0.5, rng)
    with pytest.raises(TypeError, match="values must be a pandas Series or DataFrame, got list"):
        hide_at_random([1.0, 2.0], 0.5, rng)


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
    with pytest.raises(ValueError, match=r"candidate 'short' has shape \(1,\), expected \(2,\)"):
        score_imputations(truth, mask, {"short": pd.Series([1.0])})
    with pytest.raises(ValueError, match="mask hides no value"):
        score_imputations(truth, pd.Series([False, False]), {"x": truth})
    with pytest.raises(TypeError, match="candidates must be a non-empty mapping"):
        score_imputations(truth, mask, [truth])


def test_impute_constant_mean_and_median():
    values = pd.Series([1.0, 2.0, np.nan, 10.0], name="income")
    assert_allclose(impute_constant(values, "mean"), [1, 2, 13 / 3, 10])
    assert_allclose(impute_constant(values, "median"), [1, 2, 2, 10])
    assert_allclose(impute_constant(pd.Series([1, None, 3], dtype="Int64")), [1, 2, 3])


def test_impute_constant_rejects_bad_input():
    with pytest.raises(
        ValueError, match=r"statistic must be one of \('mean', 'median'\), got 'mode'"
    ):
        impute_constant(pd.Series([1.0]), "mode")
    with pytest.raises(ValueError, match="column 'x' has no known value"):
        impute_constant(pd.Series([np.nan, np.nan], name="x"))
    with pytest.raises(TypeError, match="values must be a pandas Series, got list"):
        impute_constant([1.0, np.nan])
    with pytest.raises(TypeError, match="must be numeric, got dtype"):
        impute_constant(pd.Series(["1", None]))


def test_impute_by_group_uses_each_groups_statistic():
    values = pd.Series([1.0, np.nan, 3.0, 10.0, np.nan, 30.0, np.nan])
    groups = pd.Series(["a", "a", "a", "b", "b", "b", "c"])
    filled = impute_by_group(values, groups, "mean")
    assert_allclose(filled[:6], [1, 2, 3, 10, 20, 30])
    assert np.isnan(filled[6])  # group c has no known value: nothing is invented
    two_keys = impute_by_group(values, [groups, pd.Series([0, 0, 1, 0, 0, 1, 0])], "median")
    assert_allclose(two_keys[[1, 4]], [1, 10])


def test_impute_by_group_rejects_misaligned_groups():
    with pytest.raises(ValueError, match="same index as values"):
        impute_by_group(pd.Series([1.0, np.nan]), pd.Series(["a", "a", "b"]))


def test_impute_interpolate_is_linear_in_time():
    index = pd.to_datetime(
        ["2013-01-01 00:00", "2013-01-01 01:00", "2013-01-01 04:00", "2013-01-01 05:00"]
    )
    values = pd.Series([0.0, np.nan, 4.0, np.nan], index=index)
    assert_allclose(impute_interpolate(values), [0.0, 1.0, 4.0, 4.0])


def test_impute_interpolate_needs_a_sorted_time_index():
    with pytest.raises(TypeError, match="indexed by time"):
        impute_interpolate(pd.Series([1.0, np.nan, 3.0]))
    index = pd.to_datetime(["2013-01-02", "2013-01-01"])
    with pytest.raises(ValueError, match="sorted increasingly"):
        impute_interpolate(pd.Series([1.0, np.nan], index=index))


def correlated_frame(rng: np.random.Generator, n: int = 300) -> pd.DataFrame:
    x = rng.normal(size=n)
    return pd.DataFrame(
        {"x": x, "y": 3 * x + rng.normal(scale=0.1, size=n), "z": rng.normal(size=n)}
    )


def test_knn_and_iterative_beat_the_mean_when_columns_are_related():
    rng = np.random.default_rng(0)
    frame = correlated_frame(rng)
    masked, mask = hide_at_random(frame[["y"]], 0.2, rng)
    completed = frame[["x", "z"]].join(masked)
    scores = score_imputations(
        frame["y"],
        mask["y"],
        {
            "mean": impute_constant(masked["y"]),
            "knn": impute_knn(completed, n_neighbors=5)["y"],
            "iterative": impute_iterative(completed)["y"],
        },
    )
    assert scores["iterative"] < 0.1 * scores["mean"], scores
    assert scores["knn"] < 0.3 * scores["mean"], scores
    assert scores.index[-1] == "mean"


def test_model_imputers_keep_shape_and_known_values():
    rng = np.random.default_rng(1)
    frame = correlated_frame(rng, 50)
    masked, mask = hide_at_random(frame, 0.1, rng)
    for imputer in (impute_knn, impute_iterative):
        filled = imputer(masked)
        assert filled.shape == frame.shape and not filled.isna().any().any()
        assert_allclose(filled.to_numpy()[~mask.to_numpy()], frame.to_numpy()[~mask.to_numpy()])


def test_model_imputers_reject_bad_input():
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [np.nan, np.nan, np.nan]})
    with pytest.raises(ValueError, match=r"column\(s\) \['b'\] have fewer than two known values"):
        impute_knn(frame)
    with pytest.raises(TypeError, match="column 'c' of frame must be numeric"):
        impute_iterative(pd.DataFrame({"a": [1.0, 2.0], "c": ["x", "y"]}))
    with pytest.raises(ValueError, match="n_neighbors must be a positive int, got 0"):
        impute_knn(pd.DataFrame({"a": [1.0, 2.0, np.nan]}), n_neighbors=0)
    with pytest.raises(ValueError, match="max_iter must be a positive int"):
        impute_iterative(pd.DataFrame({"a": [1.0, 2.0, np.nan]}), max_iter=0)


# ---------------------------------------------------------------------------
# Outliers
# ---------------------------------------------------------------------------


def test_iqr_rule_flags_values_outside_tukeys_fences():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 100.0, np.nan])
    low, high = iqr_fences(values)
    assert_allclose([low, high], [2.25 - 1.5 * 2.5, 4.75 + 1.5 * 2.5])
    assert iqr_outliers(values).tolist() == [False] * 5 + [True, False]


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


def test_outlier_rules_reject_bad_input():
    with pytest.raises(ValueError, match="median absolute deviation of 'precip' is 0"):
        robust_z_scores(pd.Series([0.0, 0.0, 0.0, 0.5], name="precip"))
    with pytest.raises(ValueError, match="k must be a positive number, got -1"):
        iqr_outliers(pd.Series([1.0, 2.0]), k=-1)
    with pytest.raises(ValueError, match="threshold must be a positive number"):
        robust_z_outliers(pd.Series([1.0, 2.0, 3.0]), threshold=0)
    with pytest.raises(TypeError, match="must be numeric, got dtype"):
        iqr_outliers(pd.Series(["1", "2"]))
    with pytest.raises(ValueError, match="has no known value"):
        robust_z_scores(pd.Series([np.nan, np.nan], name="x"))


# ---------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------


def test_find_duplicates_returns_every_copy_grouped():
    frame = pd.DataFrame({"key": [1, 2, 1, 3, 2, 1], "value": ["a", "b", "a", "c", "x", "a"]})
    exact = find_duplicates(frame)
    assert exact.index.tolist() == [0, 2, 5]
    assert exact["duplicate_group"].tolist() == [0, 0, 0]
    by_key = find_duplicates(frame, subset=["key"])
    assert sorted(by_key.index.tolist()) == [0, 1, 2, 4, 5]
    assert by_key.groupby("duplicate_group").size().tolist() == [3, 2]
    assert find_duplicates(frame.drop_duplicates(subset=["key"]), ["key"]).empty


def test_find_duplicates_rejects_unknown_columns():
    frame = pd.DataFrame({"key": [1, 2]})
    with pytest.raises(ValueError, match=r"missing column\(s\) \['id'\]"):
        find_duplicates(frame, ["id"])
    with pytest.raises(TypeError, match="subset must be a list of column names"):
        find_duplicates(frame, "key")
    with pytest.raises(ValueError, match="at least one column"):
        find_duplicates(frame, [])


# ---------------------------------------------------------------------------
# Types and units
# ---------------------------------------------------------------------------


def test_hhmm_to_minutes():
    values = pd.Series([0, 517, 1259, 1300, 2359, 2400, None], dtype="Int64")
    minutes = hhmm_to_minutes(values)
    assert minutes.dtype == "Int64"
    assert minutes[:6].tolist() == [0, 317, 779, 780, 1439, 1440]
    assert minutes.isna().tolist() == [False] * 6 + [True]
    assert minutes[3] - minutes[2] == 1  # whereas 1300 - 1259 == 41


def test_hhmm_to_minutes_rejects_impossible_times():
    with pytest.raises(
        ValueError, match=r"2 value\(s\) of 'dep_time' are not HHMM clock times.*\[1275, 2500\]"
    ):
        hhmm_to_minutes(pd.Series([1200, 1275, 2500], name="dep_time"))
    with pytest.raises(ValueError, match="not HHMM"):
        hhmm_to_minutes(pd.Series([12.5]))
    with pytest.raises(TypeError, match="must be numeric, got dtype"):
        hhmm_to_minutes(pd.Series(["0517"]))


def test_convert_units():
    assert_allclose(convert_units(pd.Series([32.0, 212.0, -40.0]), "degF", "degC"), [0, 100, -40])
    assert_allclose(convert_units(np.array([0.0, 100.0]), "degC", "K"), [273.15, 373.15])
    assert_allclose(convert_units(1.0, "mi", "km"), 1.609344)
    assert_allclose(convert_units(1000.0, "ft", "m"), 304.8)
    assert_allclose(convert_units(10.0, "mph", "km/h"), 16.09344)
    assert_allclose(convert_units(convert_units(55.3, "degF", "degC"), "degC", "degF"), 55.3)
    assert convert_units(pd.Series([1, None], dtype="Int64"), "mi", "km").isna().tolist() == [
        False,
        True,
    ]


def test_convert_units_rejects_unknown_or_incompatible_units():
    with pytest.raises(ValueError, match="unknown unit 'furlong'; accepted: mi, km"):
        convert_units(1.0, "furlong", "km")
    with pytest.raises(
        ValueError, match=r"cannot convert 'mi' \(length\) to 'degC' \(temperature\)"
    ):
        convert_units(1.0, "mi", "degC")
    with pytest.raises(TypeError, match="values must be numeric"):
        convert_units("12", "mi", "km")
    with pytest.raises(TypeError, match="must be numeric, got dtype"):
        convert_units(pd.Series(["12"]), "mi", "km")


# ---------------------------------------------------------------------------
# The cleaned flights and their schema
# ---------------------------------------------------------------------------


def test_clean_flights_makes_cancellations_and_times_explicit():
    clean = clean_flights(raw_flights())
    assert clean["cancelled"].tolist() == [False, False, True, False]
    assert clean["status"].tolist() == ["arrived", "arrived", "cancelled", "no arrival record"]
    assert list(clean["status"].cat.categories) == FLIGHT_STATUSES
    # 23:59 + 11 minutes of delay is 00:10 the next day, not 0010 on the same day
    assert clean.loc[1, "departure"] == pd.Timestamp("2013-01-02 00:10", tz="America/New_York")
    assert pd.isna(clean.loc[2, "departure"])
    assert_allclose(clean["distance_km"], np.array([1400, 1598, 733, 1400]) * 1.609344)
    assert clean["sched_arr_minutes"].tolist() == [499, 170, 720, 1020]


def test_clean_flights_reports_missing_columns():
    with pytest.raises(
        ValueError, match=r"flights is missing column\(s\) \['dep_delay', 'minute'\]"
    ):
        clean_flights(raw_flights().drop(columns=["minute", "dep_delay"]))
    with pytest.raises(TypeError, match="flights must be a pandas DataFrame"):
        clean_flights(raw_flights().to_dict())


def test_clean_flights_refuses_a_corrupted_file(tmp_path):
    path = tmp_path / "flights.csv"
    raw_flights().to_csv(path, index=False)
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace(",517,", ",5:17,", 1)  # a clock time typed with a colon
    path.write_text("\n".join(lines) + "\n")
    read_back = pd.read_csv(path)
    read_back["time_hour"] = pd.to_datetime(read_back["time_hour"], utc=True).dt.tz_convert(
        "America/New_York"
    )
    with pytest.raises(TypeError, match="must be numeric, got dtype .*'dep_time'"):
        clean_flights(read_back)


def test_schema_accepts_the_cleaned_table():
    report = validate(clean_flights(raw_flights()), flights_schema(CARRIERS))
    assert isinstance(report, ValidationReport)
    assert report.valid, str(report)
    assert report.rows == 4 and report.summary().empty
    assert "all checks passed on 4 rows" in str(report)


def test_schema_reports_every_corruption_with_column_and_check():
    clean = clean_flights(raw_flights())
    corrupted = clean.copy()
    corrupted.loc[0, "distance_km"] = -1.0  # a sign error
    corrupted["carrier"] = corrupted["carrier"].cat.add_categories(["ZZ"])
    corrupted.loc[3, "carrier"] = "ZZ"  # an unknown airline
    corrupted.loc[1, "cancelled"] = True  # contradicts its departure time
    corrupted = corrupted.drop(columns=["air_time"])  # a lost column
    corrupted["month"] = corrupted["month"].astype(str)  # a wrong type
    corrupted = pd.concat([corrupted, corrupted.iloc[[0]]])  # a duplicated row (and label)
    report = validate(corrupted, flights_schema(CARRIERS))
    assert not report.valid
    expected = {
        ("distance_km", "in_range(1, 20000)"),
        ("carrier", "isin(['AA', 'B6', 'UA'])"),
        ("<table>", "cancelled_iff_no_departure"),
        ("<table>", "multiple_fields_uniqueness"),
        ("air_time", "column_in_dataframe"),
        ("month", "dtype('int64')"),
    }
    assert expected <= report.failed_checks, report.failed_checks
    failures = report.failures
    assert failures.loc[failures["column"] == "carrier", "failure_case"].tolist() == ["ZZ"]
    assert failures.loc[failures["check"] == "cancelled_iff_no_departure", "index"].tolist() == [1]
    assert failures.loc[failures["check"] == "multiple_fields_uniqueness", "index"].tolist() == [
        0,
        0,
    ]
    assert failures.loc[failures["column"] == "distance_km", "index"].tolist() == [0, 0]
    text = str(report)
    assert "distance_km: in_range(1, 20000) failed 2 time(s), e.g. -1.0" in text
    assert "air_time: column_in_dataframe" in text


def test_schema_refuses_unexpected_columns_and_bad_codes():
    clean = clean_flights(raw_flights()).assign(note="extra")
    report = validate(clean, flights_schema(["UA"]))
    assert ("note", "column_in_schema") in report.failed_checks
    assert sorted(report.failures.loc[report.failures["column"] == "carrier", "failure_case"]) == [
        "AA",
        "B6",
    ]


def test_schema_and_validate_reject_bad_arguments():
    with pytest.raises(ValueError, match="carriers must be a non-empty list of codes"):
        flights_schema([])
    with pytest.raises(ValueError, match="origins must be a non-empty list of codes"):
        flights_schema(CARRIERS, origins=[1, 2])
    with pytest.raises(TypeError, match="schema must be a pandera DataFrameSchema, got dict"):
        validate(clean_flights(raw_flights()), {"year": int})
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        validate("flights.csv", flights_schema(CARRIERS))
