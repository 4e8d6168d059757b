"""Tests of dlbigdata.serving.artifact: saving, fingerprinting and the checked loading."""

from __future__ import annotations

import json
import pickle
import zipfile

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import LogisticRegression

from dlbigdata.serving import (
    ARTIFACT_FORMAT,
    feature_schema,
    fingerprint_frame,
    library_versions,
    load_model,
    save_model,
)


def rewrite(path, change):
    """Rewrite an artifact with ``change(members)`` applied to its dict of members."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_saved_model_loads_and_predicts_the_same(artifact_path, training_data, fitted_model):
    features, target = training_data
    artifact = load_model(artifact_path, expected_fingerprint=fingerprint_frame(features, target))
    assert_allclose(
        artifact.model.predict_proba(features), fitted_model.predict_proba(features), rtol=0
    )
    assert artifact.feature_names == ["income", "children", "home type"]
    assert artifact.metrics == {"auc": 0.9}
    assert artifact.metadata["format"] == ARTIFACT_FORMAT
    assert artifact.metadata["versions"] == library_versions()
    assert artifact.metadata["classes"] == [False, True]
    assert artifact.metadata["target"] == "approved" and artifact.metadata["training_rows"] == 60


def test_feature_schema_kinds_and_nullability(training_data):
    features, _ = training_data
    features = features.assign(flag=features["children"] > 1)
    schema = {item["name"]: (item["kind"], item["nullable"]) for item in feature_schema(features)}
    assert schema == {
        "income": ("number", True),
        "children": ("integer", False),
        "home type": ("string", False),
        "flag": ("boolean", False),
    }
    gappy = features.assign(**{"home type": features["home type"].where(features.index > 0)})
    assert feature_schema(gappy)[2]["nullable"] is True


def test_fingerprint_changes_with_any_value_and_ignores_row_labels(training_data):
    features, target = training_data
    reference = fingerprint_frame(features, target)
    assert len(reference) == 64 and reference == fingerprint_frame(features.copy(), target)
    relabelled = features.set_axis(features.index + 100)
    assert fingerprint_frame(relabelled, target.set_axis(relabelled.index)) == reference
    changed = features.copy()
    changed.loc[5, "children"] += 1
    assert fingerprint_frame(changed, target) != reference
    assert fingerprint_frame(features, ~target) != reference
    assert fingerprint_frame(features) != reference
    assert fingerprint_frame(features.iloc[::-1], target.iloc[::-1]) != reference
    assert fingerprint_frame(features.astype({"children": "float64"}), target) != reference


@pytest.mark.hostile("bad_input")
def test_fingerprint_refuses_bad_input(training_data):
    features, target = training_data
    with pytest.raises(TypeError, match="features must be a pandas DataFrame"):
        fingerprint_frame(features.to_numpy())
    with pytest.raises(TypeError, match="target must be a pandas Series"):
        fingerprint_frame(features, target.to_numpy())
    with pytest.raises(ValueError, match=r"target must have one value per row .*\(60\), got 59"):
        fingerprint_frame(features, target.iloc[1:])


@pytest.mark.hostile("bad_input")
def test_feature_schema_refuses_bad_input(training_data):
    features, _ = training_data
    with pytest.raises(ValueError, match="features must have at least one row"):
        feature_schema(features.iloc[:0])
    with pytest.raises(TypeError, match="string column names, got 0"):
        feature_schema(pd.DataFrame({0: [1.0]}))


@pytest.mark.hostile("bad_input")
def test_save_refuses_bad_models_and_arguments(tmp_path, training_data, fitted_model):
    features, target = training_data
    path = tmp_path / "model.zip"
    with pytest.raises(ValueError, match="model must be fitted"):
        save_model(LogisticRegression(), path, features=features, target=target, metrics={})
    with pytest.raises(TypeError, match="model must have a predict method"):
        save_model(object(), path, features=features, target=target, metrics={})
    with pytest.raises(ValueError, match="columns the model was fitted on"):
        save_model(fitted_model, path, features=features.iloc[:, ::-1], target=target, metrics={})
    with pytest.raises(ValueError, match=r"metrics\['auc'\] must be a finite number"):
        save_model(fitted_model, path, features=features, target=target, metrics={"auc": np.nan})
    with pytest.raises(TypeError, match="metrics must be a mapping"):
        save_model(fitted_model, path, features=features, target=target, metrics=[0.9])
    with pytest.raises(ValueError, match="existing folder"):
        save_model(
            fitted_model, tmp_path / "no" / "m.zip", features=features, target=target, metrics={}
        )
    with pytest.raises(TypeError, match="path must be a file path"):
        save_model(fitted_model, 3, features=features, target=target, metrics={})
    assert list(tmp_path.iterdir()) == []  # nothing written by a refused call


@pytest.mark.hostile("state_corruption")
def test_save_does_not_overwrite_unless_asked_and_leaves_no_partial_file(
    artifact_path, training_data, fitted_model
):
    features, target = training_data
    before = artifact_path.read_bytes()
    with pytest.raises(ValueError, match="exists; pass overwrite=True"):
        save_model(fitted_model, artifact_path, features=features, target=target, metrics={})
    assert artifact_path.read_bytes() == before
    unpicklable = fitted_model
    unpicklable.unpicklable_ = lambda: None  # a lambda cannot be pickled
    with pytest.raises((pickle.PicklingError, AttributeError)):
        save_model(
            unpicklable,
            artifact_path,
            features=features,
            target=target,
            metrics={},
            overwrite=True,
        )
    assert artifact_path.read_bytes() == before
    assert [path.name for path in artifact_path.parent.iterdir()] == ["model.zip"]


def test_save_overwrites_atomically_when_asked(artifact_path, training_data, fitted_model):
    features, target = training_data
    save_model(
        fitted_model,
        artifact_path,
        features=features,
        target=target,
        metrics={"auc": 0.5},
        overwrite=True,
    )
    assert load_model(artifact_path).metrics == {"auc": 0.5}
    assert [path.name for path in artifact_path.parent.iterdir()] == ["model.zip"]


@pytest.mark.hostile("state_corruption")
def test_load_refuses_a_tampered_model(artifact_path):
    def swap_model(members):
        other = pickle.loads(members["model.pkl"])
        other.steps[-1][1].coef_ = other.steps[-1][1].coef_ * 2
        members["model.pkl"] = pickle.dumps(other)

    rewrite(artifact_path, swap_model)
    with pytest.raises(ValueError, match="tampered or corrupted"):
        load_model(artifact_path)


@pytest.mark.hostile("state_corruption")
def test_load_refuses_other_versions_and_other_data(artifact_path, training_data):
    features, target = training_data
    with pytest.raises(ValueError, match=r"trained on other data.*expected_fingerprint"):
        load_model(artifact_path, expected_fingerprint=fingerprint_frame(features, ~target))

    def age(members):
        metadata = json.loads(members["metadata.json"])
        metadata["versions"]["scikit-learn"] = "0.1"
        members["metadata.json"] = json.dumps(metadata).encode()

    rewrite(artifact_path, age)
    with pytest.raises(ValueError, match=r"other library versions.*scikit-learn.*'0\.1'"):
        load_model(artifact_path)


@pytest.mark.hostile("malformed_file")
def test_load_refuses_malformed_files(tmp_path, artifact_path):
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(artifact_path.read_bytes()[:100])
    with pytest.raises(ValueError, match="not a readable model artifact: File is not a zip file"):
        load_model(truncated)
    damaged = tmp_path / "damaged.zip"
    data = bytearray(artifact_path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the compressed model
    damaged.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"not a readable model artifact|tampered"):
        load_model(damaged)
    rewrite(artifact_path, lambda members: members.pop("metadata.json"))
    with pytest.raises(ValueError, match=r"not a model artifact: it holds \[.model.pkl.\]"):
        load_model(artifact_path)


@pytest.mark.hostile("malformed_file")
def test_load_refuses_unreadable_or_incomplete_metadata(artifact_path):
    rewrite(artifact_path, lambda members: members.update({"metadata.json": b"{not json"}))
    with pytest.raises(ValueError, match="unreadable metadata"):
        load_model(artifact_path)
    rewrite(artifact_path, lambda members: members.update({"metadata.json": b'{"format": 1}'}))
    with pytest.raises(ValueError, match="metadata without the keys"):
        load_model(artifact_path)

    def other_format(members):
        metadata: dict = {}
        metadata.update(
            dict.fromkeys(
                ["model_sha256", "fingerprint", "features", "target", "classes", "metrics"]
            )
        )
        metadata.update(format="other/9", versions={})
        members["metadata.json"] = json.dumps(metadata).encode()

    rewrite(artifact_path, other_format)
    with pytest.raises(ValueError, match="format 'other/9', expected 'dlbigdata-model/1'"):
        load_model(artifact_path)


@pytest.mark.hostile("bad_input")
def test_load_refuses_bad_arguments(tmp_path, artifact_path):
    with pytest.raises(ValueError, match="is not an existing file"):
        load_model(tmp_path / "missing.zip")
    with pytest.raises(TypeError, match="path must be a file path"):
        load_model(None)
    with pytest.raises(TypeError, match="expected_fingerprint must be a string"):
        load_model(artifact_path, expected_fingerprint=123)


def test_predictions_survive_a_round_trip_exactly(artifact_path, training_data, fitted_model):
    features, _ = training_data
    assert_array_equal(
        load_model(str(artifact_path)).model.predict(features), fitted_model.predict(features)
    )
