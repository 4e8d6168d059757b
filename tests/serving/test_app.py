"""Tests of dlbigdata.serving.app: the request schema, the endpoints and the 422 answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from numpy.testing import assert_allclose, assert_array_equal
from pydantic import ValidationError

from dlbigdata.serving import (
    create_app,
    feature_schema,
    load_model,
    request_model,
    rows_to_frame,
)


def as_rows(features):
    """The table as JSON rows, NaN sent as null."""
    return [
        {
            key: (None if isinstance(value, float) and np.isnan(value) else value)
            for key, value in record.items()
        }
        for record in features.astype(object).to_dict(orient="records")
    ]


@pytest.fixture
def client(artifact_path):
    with TestClient(create_app(artifact_path)) as test_client:
        yield test_client


def test_predict_answers_like_the_model_in_memory(client, training_data, fitted_model):
    features, _ = training_data
    assert client.post("/predict", json=as_rows(features)).json().keys() == {"predictions"}
    answer = client.post("/predict", params={"probabilities": True}, json=as_rows(features))
    assert answer.status_code == 200
    body = answer.json()
    assert_array_equal(body["predictions"], fitted_model.predict(features))
    assert_allclose(body["probabilities"], fitted_model.predict_proba(features), rtol=1e-12)
    assert body["classes"] == [False, True]


def test_health_and_metadata_name_the_artifact(client, artifact_path):
    artifact = load_model(artifact_path)
    assert client.get("/health").json() == {"status": "ok", "fingerprint": artifact.fingerprint}
    assert client.get("/metadata").json() == artifact.metadata


def test_rows_to_frame_restores_columns_order_and_dtypes(training_data):
    features, _ = training_data
    schema = feature_schema(features)
    row = request_model(schema)
    rows = [row.model_validate(record) for record in as_rows(features)]
    rebuilt = rows_to_frame(rows, schema)
    assert list(rebuilt.columns) == list(features.columns)
    assert (rebuilt.dtypes == features.dtypes).all(), rebuilt.dtypes
    assert rebuilt.equals(features)


def test_a_model_without_probabilities_returns_predictions_only(tmp_path, training_data):
    from sklearn.linear_model import LinearRegression

    from dlbigdata.serving import save_model

    features, target = training_data
    numeric = features[["children"]]
    model = LinearRegression().fit(numeric, target.astype(float))
    save_model(model, tmp_path / "m.zip", features=numeric, target=target, metrics={})
    with TestClient(create_app(tmp_path / "m.zip")) as test_client:
        body = test_client.post(
            "/predict", params={"probabilities": True}, json=[{"children": 2}]
        ).json()
    assert body.keys() == {"predictions"}
    assert_allclose(body["predictions"], model.predict(pd.DataFrame({"children": [2]})))


@pytest.mark.hostile("bad_input")
def test_a_malformed_row_gets_422_naming_the_field(client, training_data):
    features, _ = training_data
    good = as_rows(features.iloc[:2])
    bad = [good[0], {**good[1], "income": "lots"}]
    answer = client.post("/predict", json=bad)
    assert answer.status_code == 422
    (error,) = answer.json()["detail"]
    assert error["loc"] == ["body", 1, "income"] and error["type"] == "float_parsing"


@pytest.mark.hostile("bad_input")
def test_missing_extra_and_mistyped_fields_are_named(client, training_data):
    features, _ = training_data
    (good,) = as_rows(features.iloc[:1])
    cases = {
        "missing": {key: value for key, value in good.items() if key != "children"},
        "extra_forbidden": {**good, "age": 3},
        "string_type": {**good, "home type": 7},
        "int_from_float": {**good, "children": 1.5},
    }
    expected_field = {
        "missing": "children",
        "extra_forbidden": "age",
        "string_type": "home type",
        "int_from_float": "children",
    }
    for kind, row in cases.items():
        answer = client.post("/predict", json=[row])
        assert answer.status_code == 422, kind
        locations = [tuple(error["loc"]) for error in answer.json()["detail"]]
        assert ("body", 0, expected_field[kind]) in locations, (kind, locations)


@pytest.mark.hostile("bad_input")
def test_empty_too_long_and_non_list_bodies_are_refused(artifact_path, training_data):
    features, _ = training_data
    rows = as_rows(features.iloc[:3])
    with TestClient(create_app(artifact_path, max_rows=2)) as test_client:
        assert test_client.post("/predict", json=[]).status_code == 422
        assert test_client.post("/predict", json=rows).status_code == 422
        assert test_client.post("/predict", json=rows[0]).status_code == 422
        assert test_client.post("/predict", content=b"{broken").status_code == 422
        assert test_client.post("/predict", json=rows[:2]).status_code == 200


@pytest.mark.hostile("bad_input")
def test_create_app_refuses_bad_arguments(tmp_path, artifact_path):
    with pytest.raises(TypeError, match="artifact must be a ModelArtifact or a path"):
        create_app(42)
    with pytest.raises(ValueError, match="max_rows must be"):
        create_app(artifact_path, max_rows=0)
    with pytest.raises(ValueError, match="is not an existing file"):
        create_app(tmp_path / "missing.zip")


@pytest.mark.hostile("bad_input")
def test_request_model_refuses_bad_schemas():
    with pytest.raises(TypeError, match="features must be a list"):
        request_model({"name": "x"})
    with pytest.raises(ValueError, match="needs name, kind and nullable"):
        request_model([{"name": "x"}])
    with pytest.raises(ValueError, match="has kind 'date'"):
        request_model([{"name": "x", "kind": "date", "nullable": False}])
    row = request_model([{"name": "x", "kind": "number", "nullable": False}])
    with pytest.raises(ValidationError, match="x"):
        row.model_validate({"x": None})
