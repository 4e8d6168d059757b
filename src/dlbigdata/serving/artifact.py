"""A fitted model saved as one file with its metadata, checked again when it is loaded.

An *artifact* is a ZIP file with two members: ``model.pkl`` (the pickled estimator) and
``metadata.json``: the SHA-256 of the pickle, the fingerprint of the training data, the
feature columns and their kinds, the target's name and classes, the metrics, and the
versions of Python and of the libraries the pickle depends on. :func:`load_model` checks all
of that *before* it unpickles anything, and refuses an artifact whose pickle does not match
its recorded hash (tampered or corrupted), whose library versions differ from the running
ones, or whose training-data fingerprint is not the one the caller expects.

The hash protects against accidents (a truncated copy, a file edited by hand, a model
trained on other data), not against an attacker who rewrites both members: a pickle can run
code when it is loaded, so load only artifacts you made yourself.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import platform
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from pandas.api.types import (
    is_bool_dtype,
    is_float_dtype,
    is_integer_dtype,
    is_numeric_dtype,
)
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from dlbigdata._validation import (
    describe,
    require_bool,
    require_frame,
    require_number,
    require_series,
    require_string,
    require_type,
    require_unique_columns,
)

__all__ = [
    "ARTIFACT_FORMAT",
    "ModelArtifact",
    "feature_schema",
    "fingerprint_frame",
    "library_versions",
    "load_model",
    "save_model",
]

ARTIFACT_FORMAT = "dlbigdata-model/1"
"""The ``format`` recorded in every artifact's metadata; another format is refused."""

_MODEL_MEMBER = "model.pkl"
_METADATA_MEMBER = "metadata.json"
_REQUIRED_KEYS = (
    "format",
    "model_sha256",
    "fingerprint",
    "features",
    "target",
    "classes",
    "metrics",
    "versions",
)


@dataclass(frozen=True)
class ModelArtifact:
    """A loaded model and the metadata it was saved with.

    Used in chapter 09.
    """

    model: Any
    metadata: dict[str, Any]

    @property
    def fingerprint(self) -> str:
        """SHA-256 fingerprint of the training data."""
        return str(self.metadata["fingerprint"])

    @property
    def feature_names(self) -> list[str]:
        """The feature columns, in the order the model expects them."""
        return [feature["name"] for feature in self.metadata["features"]]

    @property
    def metrics(self) -> dict[str, float]:
        """The metrics recorded when the model was saved."""
        return dict(self.metadata["metrics"])


def library_versions() -> dict[str, str]:
    """Versions of Python and of the libraries a pickled scikit-learn model depends on.

    Used in chapter 09.
    """
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
    }


def fingerprint_frame(features: pd.DataFrame, target: pd.Series | None = None) -> str:
    """SHA-256 of a table's column names, dtypes and values (row order matters, labels not).

    Two frames get the same fingerprint exactly when they hold the same values in the same
    columns and rows, so the fingerprint identifies the data a model was trained on.

    Parameters
    ----------
    features : pandas.DataFrame
        The training features.
    target : pandas.Series, optional
        The training target, aligned with ``features`` by position.

    Returns
    -------
    str
        64 hexadecimal digits.

    Raises
    ------
    TypeError
        If ``features`` is not a DataFrame or ``target`` not a Series.
    ValueError
        If the column names repeat, or ``target`` has another length than ``features``.

    Used in chapter 09.
    """
    require_unique_columns("features", require_frame("features", features))
    tables: list[pd.DataFrame | pd.Series] = [features]
    if target is not None:
        require_series("target", target)
        if len(target) != len(features):
            raise ValueError(
                f"target must have one value per row of features ({len(features)}), "
                f"got {len(target)}"
            )
        tables.append(target)
    digest = hashlib.sha256()
    for table in tables:
        layout = table.dtypes if isinstance(table, pd.DataFrame) else {table.name: table.dtype}
        header = [[str(name), str(dtype)] for name, dtype in dict(layout).items()]
        digest.update(json.dumps(header).encode())
        digest.update(len(table).to_bytes(8, "little"))
        digest.update(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _feature_kind(series: pd.Series) -> str:
    """The JSON kind of a column: boolean, integer, number or string."""
    if is_bool_dtype(series.dtype):
        return "boolean"
    if is_integer_dtype(series.dtype):
        return "integer"
    if is_float_dtype(series.dtype) or is_numeric_dtype(series.dtype):
        return "number"
    return "string"


def feature_schema(features: pd.DataFrame) -> list[dict[str, Any]]:
    """Describe each column: its name, dtype, JSON kind, and whether it may be missing.

    Float columns may always be missing (NaN is a float); the other kinds may be missing
    when the training data had a missing value in that column.

    Used in chapter 09.
    """
    require_unique_columns("features", require_frame("features", features, allow_empty=False))
    schema = []
    for name in features.columns:
        if not isinstance(name, str):
            raise TypeError(f"features must have string column names, got {describe(name)}")
        column = features[name]
        kind = _feature_kind(column)
        nullable = kind == "number" or bool(column.isna().any())
        schema.append(
            {"name": name, "dtype": str(column.dtype), "kind": kind, "nullable": nullable}
        )
    return schema


def _check_fitted(model: Any, features: pd.DataFrame) -> None:
    """Refuse an estimator that cannot predict, is not fitted, or expects other columns."""
    if not callable(getattr(model, "predict", None)):
        raise TypeError(f"model must have a predict method, got {describe(model)}")
    try:
        check_is_fitted(model)
    except NotFittedError as error:
        raise ValueError(f"model must be fitted before it is saved: {error}") from error
    expected = getattr(model, "feature_names_in_", None)
    if expected is not None and list(expected) != list(features.columns):
        raise ValueError(
            f"features must have the columns the model was fitted on, {list(expected)}, "
            f"got {list(features.columns)}"
        )


def _clean_metrics(metrics: Mapping[str, Any]) -> dict[str, float]:
    require_type("metrics", metrics, Mapping, "a mapping of metric names to numbers")
    return {
        require_string("metric name", key): require_number(f"metrics[{key!r}]", value)
        for key, value in metrics.items()
    }


def _metadata(model: Any, features: pd.DataFrame, target: pd.Series, metrics: Mapping) -> dict:
    """The metadata of an artifact, the model hash left for the caller to add."""
    classes = getattr(model, "classes_", None)
    return {
        "format": ARTIFACT_FORMAT,
        "model_sha256": None,
        "fingerprint": fingerprint_frame(features, target),
        "features": feature_schema(features),
        "target": None if target.name is None else str(target.name),
        "classes": None if classes is None else np.asarray(classes).tolist(),
        "metrics": _clean_metrics(metrics),
        "versions": library_versions(),
        "training_rows": len(features),
    }


def _write_atomically(path: Path, members: dict[str, bytes]) -> None:
    """Write a ZIP next to ``path``, flush it to disk, then rename it onto ``path``."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in members.items():
                    archive.writestr(name, data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_model(
    model: Any,
    path: str | os.PathLike,
    *,
    features: pd.DataFrame,
    target: pd.Series,
    metrics: Mapping[str, float],
    overwrite: bool = False,
) -> dict[str, Any]:
    """Save a fitted estimator with its metadata as one artifact file, atomically.

    The file is written under a temporary name in the same folder and renamed onto ``path``
    only when it is complete, so a crash leaves either the old file or the new one, never a
    half-written artifact.

    Parameters
    ----------
    model : estimator
        A fitted scikit-learn estimator or pipeline (anything with ``predict``).
    path : str or os.PathLike
        The artifact file to write; its folder must exist.
    features, target : pandas.DataFrame, pandas.Series
        The training data; their fingerprint and the feature columns are recorded.
    metrics : mapping of str to float
        The metrics to record (e.g. the test AUC).
    overwrite : bool, default False
        Replace an existing file at ``path``.

    Returns
    -------
    dict
        The metadata written.

    Raises
    ------
    TypeError
        If an argument has the wrong type, the model cannot predict or cannot be pickled.
    ValueError
        If the model is not fitted or was fitted on other columns, the target does not
        match the features, a metric is not a finite number, the folder does not exist,
        or ``path`` exists and ``overwrite`` is False.

    Used in chapter 09.
    """
    require_type("path", path, (str, os.PathLike), "a file path")
    overwrite = require_bool("overwrite", overwrite)
    require_frame("features", features, allow_empty=False)
    _check_fitted(model, features)
    metadata = _metadata(model, features, require_series("target", target), metrics)
    target_path = Path(path)
    if not target_path.parent.is_dir():
        raise ValueError(f"path must be in an existing folder, got {str(target_path)!r}")
    if target_path.exists() and not overwrite:
        raise ValueError(f"path {str(target_path)!r} exists; pass overwrite=True to replace it")
    model_bytes = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    metadata["model_sha256"] = hashlib.sha256(model_bytes).hexdigest()
    metadata_bytes = json.dumps(metadata, indent=1, sort_keys=True).encode()
    _write_atomically(target_path, {_METADATA_MEMBER: metadata_bytes, _MODEL_MEMBER: model_bytes})
    return metadata


def _read_members(path: Path) -> tuple[dict[str, Any], bytes]:
    """Read and parse the two members of an artifact, refusing anything else."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(archive.namelist())
            if names != sorted([_METADATA_MEMBER, _MODEL_MEMBER]):
                raise ValueError(
                    f"{str(path)!r} is not a model artifact: it holds {names}, expected "
                    f"{_METADATA_MEMBER!r} and {_MODEL_MEMBER!r}"
                )
            metadata_bytes = archive.read(_METADATA_MEMBER)
            model_bytes = archive.read(_MODEL_MEMBER)
    except (zipfile.BadZipFile, zlib.error) as error:  # not a ZIP, or damaged inside
        raise ValueError(f"{str(path)!r} is not a readable model artifact: {error}") from error
    try:
        metadata = json.loads(metadata_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{str(path)!r} has unreadable metadata: {error}") from error
    if not isinstance(metadata, dict) or any(key not in metadata for key in _REQUIRED_KEYS):
        raise ValueError(f"{str(path)!r} has metadata without the keys {list(_REQUIRED_KEYS)}")
    return metadata, model_bytes


def _verify(path: Path, metadata: dict, model_bytes: bytes, fingerprint: str | None) -> None:
    """Refuse an artifact of another format, tampered, from other versions or other data."""
    if metadata["format"] != ARTIFACT_FORMAT:
        raise ValueError(
            f"{str(path)!r} has format {metadata['format']!r}, expected {ARTIFACT_FORMAT!r}"
        )
    if hashlib.sha256(model_bytes).hexdigest() != metadata["model_sha256"]:
        raise ValueError(
            f"{str(path)!r} is tampered or corrupted: the model's SHA-256 differs from "
            "the one recorded in its metadata"
        )
    running = library_versions()
    different = {
        name: (version, running.get(name))
        for name, version in dict(metadata["versions"]).items()
        if running.get(name) != version
    }
    if different:
        raise ValueError(
            f"{str(path)!r} was saved with other library versions (saved, running): "
            f"{different}; retrain the model or load it with the versions it was saved with"
        )
    if fingerprint is not None and metadata["fingerprint"] != fingerprint:
        raise ValueError(
            f"{str(path)!r} was trained on other data: its fingerprint is "
            f"{metadata['fingerprint']!r}, expected_fingerprint is {fingerprint!r}"
        )


def load_model(
    path: str | os.PathLike, *, expected_fingerprint: str | None = None
) -> ModelArtifact:
    """Load an artifact written by :func:`save_model`, after checking it.

    Parameters
    ----------
    path : str or os.PathLike
        The artifact file.
    expected_fingerprint : str, optional
        The training-data fingerprint the caller expects (from :func:`fingerprint_frame`).

    Returns
    -------
    ModelArtifact
        The model and its metadata.

    Raises
    ------
    TypeError
        If ``path`` is not a path or ``expected_fingerprint`` not a string.
    ValueError
        If the file does not exist or is not an artifact, if the model's hash does not
        match its metadata (tampered), if it was saved with other library versions, or if
        its fingerprint is not ``expected_fingerprint``. Nothing is unpickled then.

    Used in chapter 09.
    """
    require_type("path", path, (str, os.PathLike), "a file path")
    if expected_fingerprint is not None:
        require_string("expected_fingerprint", expected_fingerprint)
    artifact_path = Path(path)
    if not artifact_path.is_file():
        raise ValueError(f"path {str(artifact_path)!r} is not an existing file")
    metadata, model_bytes = _read_members(artifact_path)
    _verify(artifact_path, metadata, model_bytes, expected_fingerprint)
    model = pickle.load(io.BytesIO(model_bytes))
    return ModelArtifact(model=model, metadata=metadata)
