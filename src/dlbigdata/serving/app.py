"""The FastAPI app that serves a model artifact: a request schema built from its columns.

:func:`request_model` turns the artifact's feature columns into a pydantic model (one field
per column, typed by the column's kind, extra fields forbidden), so FastAPI validates every
request before the model sees it and answers a malformed one with status 422 and a body
that names the offending field. :func:`create_app` builds the app with three endpoints:

- ``GET /health``: ``{"status": "ok", "fingerprint": ...}``, for readiness checks;
- ``GET /metadata``: the artifact's metadata (features, metrics, versions);
- ``POST /predict``: a JSON list of rows in, ``{"predictions": [...]}`` out; with
  ``?probabilities=true`` also ``"probabilities"`` (one list per row, in the order of
  ``"classes"``) when the model has ``predict_proba`` (a second pass through the model,
  so it is not computed unless asked).

This module does not use ``from __future__ import annotations``: FastAPI reads the
annotations of the endpoint functions at run time, and they name a model built here.
"""

import os
from typing import Annotated, Any

import numpy as np
import pandas as pd
from fastapi import Body, FastAPI
from pydantic import BaseModel, ConfigDict, Field, create_model

from dlbigdata._validation import require_int, require_type
from dlbigdata.serving.artifact import ModelArtifact, load_model

__all__ = ["create_app", "request_model", "rows_to_frame"]

_KIND_TYPES: dict[str, type] = {"boolean": bool, "integer": int, "number": float, "string": str}


def request_model(features: list[dict[str, Any]], name: str = "Row") -> type[BaseModel]:
    """Build the pydantic model of one request row from an artifact's feature schema.

    Each column becomes a required field (a missing one is an error), typed by its kind;
    a nullable column also accepts ``null``. Column names that are not Python identifiers
    are kept as the fields' aliases, so errors name the column as the client sent it.

    Parameters
    ----------
    features : list of dict
        The ``"features"`` entry of an artifact's metadata (see ``feature_schema``).
    name : str, default "Row"
        The model's class name.

    Raises
    ------
    TypeError
        If ``features`` is not a list of mappings.
    ValueError
        If a feature has an unknown kind or lacks ``name``, ``kind`` or ``nullable``.

    Used in chapter 09.
    """
    require_type("features", features, list, "a list of feature descriptions")
    fields: dict[str, Any] = {}
    for position, feature in enumerate(features):
        require_type(f"features[{position}]", feature, dict, "a dict")
        if any(key not in feature for key in ("name", "kind", "nullable")):
            raise ValueError(f"features[{position}] needs name, kind and nullable: {feature}")
        if feature["kind"] not in _KIND_TYPES:
            raise ValueError(
                f"features[{position}] has kind {feature['kind']!r}; accepted: "
                f"{sorted(_KIND_TYPES)}"
            )
        kind: Any = _KIND_TYPES[feature["kind"]]
        if feature["nullable"]:
            kind = kind | None
        fields[f"field_{position}"] = (kind, Field(alias=str(feature["name"])))
    config = ConfigDict(extra="forbid", populate_by_name=False)
    return create_model(name, __config__=config, **fields)


def rows_to_frame(rows: list[BaseModel], features: list[dict[str, Any]]) -> pd.DataFrame:
    """Turn validated rows into a DataFrame with the training columns, order and dtypes.

    Used in chapter 09.
    """
    records = [row.model_dump(by_alias=True) for row in rows]
    columns = {
        feature["name"]: _column([record[feature["name"]] for record in records], feature)
        for feature in features
    }
    return pd.DataFrame(columns, columns=[feature["name"] for feature in features])


def _column(values: list[Any], feature: dict[str, Any]) -> pd.Series | np.ndarray:
    """One column of request values with the training dtype (``None`` is missing)."""
    kind, dtype = feature["kind"], feature["dtype"]
    if kind == "number":
        return np.array(values, dtype="float64")  # None becomes NaN
    if kind in ("integer", "boolean") and all(value is not None for value in values):
        return np.array(values, dtype=dtype)
    if kind == "string":
        text = pd.Series([np.nan if value is None else value for value in values], dtype=object)
        return text if dtype in ("object", "category") else text.astype(dtype)
    return pd.Series(values)  # a nullable integer or boolean with gaps: pandas' inference


def _predictions(
    artifact: ModelArtifact, frame: pd.DataFrame, probabilities: bool
) -> dict[str, Any]:
    """The model's predictions (and probabilities, if asked and it has them) as lists."""
    model = artifact.model
    answer: dict[str, Any] = {"predictions": np.asarray(model.predict(frame)).tolist()}
    if probabilities and callable(getattr(model, "predict_proba", None)):
        answer["probabilities"] = np.asarray(model.predict_proba(frame)).tolist()
        answer["classes"] = artifact.metadata["classes"]
    return answer


def create_app(artifact: ModelArtifact | str | os.PathLike, *, max_rows: int = 10_000) -> FastAPI:
    """Build the FastAPI app serving one model artifact.

    Parameters
    ----------
    artifact : ModelArtifact or path
        A loaded artifact, or the path of one (loaded and checked with ``load_model``).
    max_rows : int, default 10000
        The most rows one request may carry; more is answered with 422.

    Returns
    -------
    fastapi.FastAPI
        The app, to run with uvicorn (see ``ModelServer``) or test with
        ``fastapi.testclient``.

    Raises
    ------
    TypeError
        If ``artifact`` is neither an artifact nor a path.
    ValueError
        If the path is not a valid artifact (see ``load_model``) or ``max_rows`` < 1.

    Used in chapter 09.
    """
    max_rows = require_int("max_rows", max_rows, minimum=1)
    if not isinstance(artifact, ModelArtifact):
        require_type("artifact", artifact, (str, os.PathLike), "a ModelArtifact or a path")
        artifact = load_model(artifact)
    loaded = artifact
    features = loaded.metadata["features"]
    row_model = request_model(features)
    app = FastAPI(title="dlbigdata model server", version=loaded.fingerprint[:12])

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "fingerprint": loaded.fingerprint}

    @app.get("/metadata")
    def metadata() -> dict[str, Any]:
        return loaded.metadata

    @app.post("/predict")
    def predict(
        rows: Annotated[list[row_model], Body(min_length=1, max_length=max_rows)],  # type: ignore[valid-type]
        probabilities: bool = False,
    ) -> dict[str, Any]:
        return _predictions(loaded, rows_to_frame(rows, features), probabilities)

    return app
