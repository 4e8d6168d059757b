"""Fixtures of the serving tests: a small mixed-type table, a fitted pipeline, its artifact."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from dlbigdata.serving import save_model


@pytest.fixture
def training_data() -> tuple[pd.DataFrame, pd.Series]:
    """60 rows: a float with a gap, an int, a string column whose name has a space."""
    rng = np.random.default_rng(0)
    income = rng.normal(50.0, 10.0, 60)
    income[3] = np.nan
    features = pd.DataFrame(
        {
            "income": income,
            "children": rng.integers(0, 4, 60),
            "home type": rng.choice(["rent", "own", "mortgage"], 60).astype(object),
        }
    )
    target = pd.Series(
        (np.nan_to_num(income, nan=50.0) + 5 * (features["home type"] == "own") > 52),
        name="approved",
    )
    return features, target


@pytest.fixture
def fitted_model(training_data) -> Pipeline:
    features, target = training_data
    preprocess = ColumnTransformer(
        [
            ("numbers", SimpleImputer(strategy="median"), ["income", "children"]),
            ("words", OneHotEncoder(handle_unknown="ignore"), ["home type"]),
        ]
    )
    model = Pipeline([("preprocess", preprocess), ("classify", LogisticRegression())])
    return model.fit(features, target)


@pytest.fixture
def artifact_path(tmp_path, training_data, fitted_model):
    features, target = training_data
    path = tmp_path / "model.zip"
    save_model(fitted_model, path, features=features, target=target, metrics={"auc": 0.9})
    return path
