"""Data cleaning: missing values, imputation, outliers, duplicates, the flights, schemas.

Chapter 15 ("Data cleaning") defines these helpers; later chapters reuse them. Units are
converted by :func:`dlbigdata.units.convert_units`, the package's one converter.

Modules:

- :mod:`~dlbigdata.cleaning.missing`: :func:`missing_summary`, :func:`sample_missingness`
  (simulate MCAR, MAR or MNAR), :func:`hide_at_random` and :func:`score_imputations`
  (measure an imputation on values hidden on purpose);
- :mod:`~dlbigdata.cleaning.imputation`: :func:`impute_constant`, :func:`impute_by_group`,
  :func:`impute_interpolate`, :func:`impute_knn`, :func:`impute_iterative`;
- :mod:`~dlbigdata.cleaning.outliers`: :func:`iqr_fences`, :func:`iqr_outliers`,
  :func:`robust_z_scores`, :func:`robust_z_outliers`;
- :mod:`~dlbigdata.cleaning.duplicates`: :func:`find_duplicates`;
- :mod:`~dlbigdata.cleaning.flights`: :func:`hhmm_to_minutes`, :func:`clean_flights` and
  :data:`FLIGHT_STATUSES`;
- :mod:`~dlbigdata.cleaning.schema`: :func:`flights_schema` (pandera) and :func:`validate`,
  which returns a :class:`ValidationReport` instead of raising on the first problem.
"""

from __future__ import annotations

from dlbigdata.cleaning.duplicates import find_duplicates
from dlbigdata.cleaning.flights import FLIGHT_STATUSES, clean_flights, hhmm_to_minutes
from dlbigdata.cleaning.imputation import (
    impute_by_group,
    impute_constant,
    impute_interpolate,
    impute_iterative,
    impute_knn,
)
from dlbigdata.cleaning.missing import (
    hide_at_random,
    missing_summary,
    sample_missingness,
    score_imputations,
)
from dlbigdata.cleaning.outliers import (
    iqr_fences,
    iqr_outliers,
    robust_z_outliers,
    robust_z_scores,
)
from dlbigdata.cleaning.schema import ValidationReport, flights_schema, validate

__all__ = [
    "FLIGHT_STATUSES",
    "ValidationReport",
    "clean_flights",
    "find_duplicates",
    "flights_schema",
    "hhmm_to_minutes",
    "hide_at_random",
    "impute_by_group",
    "impute_constant",
    "impute_interpolate",
    "impute_iterative",
    "impute_knn",
    "iqr_fences",
    "iqr_outliers",
    "missing_summary",
    "robust_z_outliers",
    "robust_z_scores",
    "sample_missingness",
    "score_imputations",
    "validate",
]
