"""Tests of dlbigdata.privacy.anonymity: k-anonymity, l-diversity, generalisation, linkage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlbigdata.privacy.anonymity import (
    anonymise,
    class_diversity,
    equivalence_class_sizes,
    k_anonymity,
    l_diversity,
    linkage_attack,
)

QI = ["sex", "age"]


@pytest.fixture
def release() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sex": ["f", "f", "f", "m", "m", "m"],
            "age": [31, 31, 42, 52, 55, 57],
            "result": ["neg", "pos", "neg", "neg", "neg", "neg"],
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def test_class_sizes_k_and_l(release):
    sizes = equivalence_class_sizes(release, QI)
    np.testing.assert_array_equal(sizes.to_numpy(), [2, 2, 1, 1, 1, 1])
    assert list(sizes.index) == list(release.index)
    assert k_anonymity(release, QI) == 1
    assert k_anonymity(release, ["sex"]) == 3
    np.testing.assert_array_equal(class_diversity(release, ["sex"], "result"), [2] * 3 + [1] * 3)
    assert l_diversity(release, ["sex"], "result") == 1


def test_anonymise_generalises_then_suppresses(release):
    result = anonymise(release, QI, 3, {"age": 10})
    assert result.k == 3 and result.suppressed == 3
    assert list(result.release.index) == [13, 14, 15]
    assert result.release["age"].tolist() == [50.0] * 3
    np.testing.assert_allclose(result.column_loss["age"], 10 / 26)
    np.testing.assert_allclose(result.suppressed_share, 0.5)
    blanked = anonymise(release, QI, 3, {"age": None})
    assert blanked.suppressed == 0 and blanked.column_loss == {"sex": 0.0, "age": 1.0}
    np.testing.assert_allclose(blanked.information_loss, 0.5)  # over both identifiers
    assert release["age"].tolist()[0] == 31


def test_entity_counts_people_not_records(release):
    people = release.assign(person=["a", "a", "b", "c", "c", "d"])
    sizes = equivalence_class_sizes(people, ["sex"], entity="person")
    np.testing.assert_array_equal(sizes.to_numpy(), [2] * 6)
    assert k_anonymity(people, ["sex"]) == 3
    assert k_anonymity(people, ["sex"], entity="person") == 2
    result = anonymise(people, QI, 3, {"age": None}, entity="person")
    assert result.k == 0 and result.suppressed == 6 and result.release.empty
    kept = anonymise(people, QI, 2, {"age": None}, entity="person")
    assert kept.k == 2 and kept.suppressed == 0


@pytest.mark.hostile("bad_input")
def test_entity_must_be_a_column_apart_from_the_keys(release):
    with pytest.raises(ValueError, match=r"frame lacks column\(s\) \['person'\]"):
        k_anonymity(release, QI, entity="person")
    with pytest.raises(ValueError, match="entity must not be a quasi-identifier, got 'sex'"):
        anonymise(release, QI, 2, {}, entity="sex")


def test_linkage_attack_finds_unique_matches_only(release):
    auxiliary = pd.DataFrame(
        {"name": ["Ann", "Bea", "Carl"], "sex": ["f", "f", "m"], "age": [31, 42, 55]}
    )
    found = linkage_attack(release, auxiliary, QI)
    assert found["name"].tolist() == ["Bea", "Carl"]
    assert found["release_index"].tolist() == [12, 14]
    assert found["result"].tolist() == ["neg", "neg"]


@pytest.mark.hostile("bad_input")
def test_missing_columns_and_bad_k_are_refused(release):
    with pytest.raises(ValueError, match=r"frame lacks column\(s\) \['zip'\]"):
        k_anonymity(release, ["zip"])
    with pytest.raises(ValueError, match="k must be an integer >= 2, got 1"):
        anonymise(release, QI, 1, {})
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        equivalence_class_sizes(release.to_numpy(), QI)
    with pytest.raises(ValueError, match="frame must have at least one row"):
        l_diversity(release.iloc[:0], QI, "result")


@pytest.mark.hostile("bad_input")
def test_bad_widths_are_refused(release):
    with pytest.raises(ValueError, match=r"widths\['age'\] must be a finite number > 0"):
        anonymise(release, QI, 2, {"age": 0})
    with pytest.raises(ValueError, match="widths names non-quasi-identifier"):
        anonymise(release, ["sex"], 2, {"age": 5})
    with pytest.raises(TypeError, match="widths must be a mapping"):
        anonymise(release, QI, 2, [("age", 5)])


@pytest.mark.hostile("nan_parameter")
def test_nan_width_is_refused(release):
    with pytest.raises(ValueError, match=r"widths\['age'\] must be a finite number"):
        anonymise(release, QI, 2, {"age": float("nan")})


@pytest.mark.hostile("single_string")
def test_single_string_quasi_identifier_is_refused(release):
    with pytest.raises(TypeError, match="quasi_identifiers must be a list of names"):
        k_anonymity(release, "sex")


@pytest.mark.hostile("bad_input")
def test_sensitive_must_not_be_a_quasi_identifier(release):
    with pytest.raises(ValueError, match="sensitive must not be a quasi-identifier, got 'sex'"):
        class_diversity(release, QI, "sex")


@pytest.mark.hostile("bad_input")
def test_linkage_needs_the_keys_in_both_tables(release):
    with pytest.raises(ValueError, match=r"auxiliary lacks column\(s\) \['age'\]"):
        linkage_attack(release, pd.DataFrame({"sex": ["f"]}), QI)


@pytest.mark.hostile("state_corruption")
def test_anonymise_leaves_its_input_untouched(release):
    before = release.copy()
    with pytest.raises(ValueError):
        anonymise(release, QI, 2, {"age": -1})
    anonymise(release, QI, 2, {"age": 5})
    pd.testing.assert_frame_equal(release, before)
