"""Deployment: save a model with its metadata, load it checked, serve it over HTTP.

The last step of the workflow of chapter 09, general enough for any scikit-learn
estimator or pipeline fitted on a DataFrame of named columns:

- :mod:`~dlbigdata.serving.artifact`: :func:`save_model` writes one artifact file
  atomically (the pickled model, the SHA-256 fingerprint of the training data from
  :func:`fingerprint_frame`, the feature columns, metrics and :func:`library_versions`);
  :func:`load_model` refuses a tampered, mismatched or foreign artifact before unpickling
  it and returns a :class:`ModelArtifact`;
- :mod:`~dlbigdata.serving.app`: :func:`create_app`, the FastAPI app (``/health``,
  ``/metadata``, ``/predict``) whose request schema :func:`request_model` is built from the
  feature columns, so pydantic answers a malformed request with 422 naming the field;
- :mod:`~dlbigdata.serving.server`: :class:`ModelServer`, uvicorn in a child process on
  127.0.0.1 and a free port (:func:`free_port`), ready once ``/health`` answers, stopped
  with terminate, wait, kill, as a context manager that leaves no process behind.

``python -m dlbigdata.serving ARTIFACT --port PORT`` is the child's command line.
"""

from dlbigdata.serving.app import create_app, request_model, rows_to_frame
from dlbigdata.serving.artifact import (
    ARTIFACT_FORMAT,
    ModelArtifact,
    feature_schema,
    fingerprint_frame,
    library_versions,
    load_model,
    save_model,
)
from dlbigdata.serving.server import HOST, ModelServer, free_port, port_is_free

__all__ = [
    "ARTIFACT_FORMAT",
    "HOST",
    "ModelArtifact",
    "ModelServer",
    "create_app",
    "feature_schema",
    "fingerprint_frame",
    "free_port",
    "library_versions",
    "load_model",
    "port_is_free",
    "request_model",
    "rows_to_frame",
    "save_model",
]
