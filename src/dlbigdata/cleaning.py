"""Data cleaning: missing values, outliers, duplicates, types and units, schema validation.

Chapter 15 ("Data cleaning") defines these helpers; later chapters reuse them.

- Missing values: :func:`missing_summary`, :func:`draw_missingness` (simulate MCAR, MAR
  or MNAR), :func:`hide_at_random` and :func:`score_imputations` (measure an imputation
  on values hidden on purpose), and the imputers :func:`impute_constant`,
  :func:`impute_by_group`, :func:`impute_interpolate`, :func:`impute_knn`,
  :func:`impute_iterative`.
- Outliers: :func:`iqr_fences`, :func:`iqr_outliers`, :func:`robust_z_scores`,
  :func:`robust_z_outliers`.
- Duplicates: :func:`find_duplicates`.
- Types and units: :func:`hhmm_to_minutes`, :func:`convert_units`, :func:`clean_flights`.
- Schemas: :func:`flights_schema` (pandera) and :func:`validate`, which returns a
  :class:`ValidationReport` instead of raising on the first problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

__all__ = [
    "FLIGHT_STATUSES",
    "RAW_FLIGHT_COLUMNS",
    "UNITS",
    "ValidationReport",
    "clean_flights",
    "convert_units",
    "draw_missingness",
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
    "score_imputations",
    "validate",
]

Table = TypeVar("Table", pd.Series, pd.DataFrame)

# ---------------------------------------------------------------------------
# Input checks shared by the helpers
# ---------------------------------------------------------------------------


def _require_series(values: object, name: str = "values") -> pd.Series:
    """Return ``values`` if it is a Series, else raise TypeError."""
    if not isinstance(values, pd.Series):
        raise TypeError(f"{name} must be a pandas Series, got {type(values).__name__}")
    return values


def _require_frame(frame: object, name: str = "frame") -> pd.DataFrame:
    """Return ``frame`` if it is a DataFrame, else raise TypeError."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    return frame


def _require_numeric(values: pd.Series, name: str = "values") -> pd.Series:
    """Raise TypeError unless the Series holds numbers (booleans excluded)."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        raise TypeError(
            f"{name} must be numeric, got dtype {values.dtype} (column {values.name!r})"
        )
    return values


def _require_numeric_frame(frame: pd.DataFrame, name: str = "frame") -> pd.DataFrame:
    """Raise TypeError naming the first non-numeric column of ``frame``."""
    _require_frame(frame, name)
    for column in frame.columns:
        _require_numeric(frame[column], f"column {column!r} of {name}")
    return frame


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], name: str = "frame") -> None:
    """Raise ValueError listing the ``columns`` that ``frame`` lacks."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it has {list(frame.columns)}")


def _require_generator(rng: object) -> np.random.Generator:
    """Return ``rng`` if it is a NumPy Generator, else raise TypeError."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def _as_float(values: pd.Series) -> pd.Series:
    """Numeric Series as float64 with NaN for missing (works for nullable Int64 too)."""
    return values.astype("Float64").astype("float64")


# ---------------------------------------------------------------------------
# Missing values
# ---------------------------------------------------------------------------


def missing_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Count and share of missing values per column, most-missing first.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table.

    Returns
    -------
    pandas.DataFrame
        Indexed by column name, with columns ``missing`` (count) and ``share``
        (fraction of rows); columns without missing values are included.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame.
    ValueError
        If ``frame`` has no rows (a share of nothing is undefined).
    """
    _require_frame(frame)
    if len(frame) == 0:
        raise ValueError("frame has no rows; the share of missing values is undefined")
    counts = frame.isna().sum()
    summary = pd.DataFrame({"missing": counts.astype("int64"), "share": counts / len(frame)})
    return summary.sort_values("missing", ascending=False, kind="stable")


def draw_missingness(
    probability: float | np.ndarray | pd.Series, rng: np.random.Generator, size: int | None = None
) -> np.ndarray:
    """Draw which values go missing, each independently with its own probability.

    A constant probability gives values *missing completely at random* (MCAR); a
    probability computed from other, observed columns gives *missing at random*
    (MAR); one computed from the value itself gives *missing not at random* (MNAR).

    Parameters
    ----------
    probability : float or array_like of float
        Probability that each value is missing, in ``[0, 1]``; a scalar needs ``size``.
    rng : numpy.random.Generator
        Source of randomness.
    size : int, optional
        Number of values when ``probability`` is a scalar.

    Returns
    -------
    numpy.ndarray of bool
        ``True`` where the value is to be hidden.

    Raises
    ------
    TypeError
        If ``rng`` is not a Generator.
    ValueError
        If a probability lies outside ``[0, 1]`` or is NaN, or ``size`` is missing
        or inconsistent.
    """
    _require_generator(rng)
    probabilities = np.asarray(probability, dtype=float)
    if probabilities.ndim == 0:
        if (
            size is None
            or isinstance(size, bool)
            or not isinstance(size, (int, np.integer))
            or size < 0
        ):
            raise ValueError(
                f"a scalar probability needs size, a non-negative int; got size={size!r}"
            )
        probabilities = np.full(int(size), float(probabilities))
    elif size is not None and size != len(probabilities):
        raise ValueError(f"size={size} differs from the {len(probabilities)} probabilities given")
    bad = np.isnan(probabilities) | (probabilities < 0) | (probabilities > 1)
    if bad.any():
        raise ValueError(
            f"probabilities must lie in [0, 1]; got {probabilities[bad][:5].tolist()}"
        )
    return rng.random(len(probabilities)) < probabilities


def hide_at_random(
    values: Table, fraction: float, rng: np.random.Generator
) -> tuple[Table, Table]:
    """Hide a fraction of the *known* values, to measure how well an imputation recovers them.

    Parameters
    ----------
    values : pandas.Series or pandas.DataFrame
        Numeric values, possibly with missing ones (these stay missing and are not counted).
    fraction : float
        Share of the known values to hide, strictly between 0 and 1.
    rng : numpy.random.Generator
        Source of randomness; exactly ``round(fraction * known)`` values are hidden.

    Returns
    -------
    masked : same type as ``values``
        A copy with the chosen values set to NaN.
    mask : same type as ``values``, of bool
        ``True`` where a known value was hidden.

    Raises
    ------
    TypeError
        If ``values`` is not a Series/DataFrame, is not numeric, or ``rng`` is not a Generator.
    ValueError
        If ``fraction`` is not in ``(0, 1)`` or fewer than one value would be hidden.
    """
    if isinstance(values, pd.Series):
        _require_numeric(values)
    elif isinstance(values, pd.DataFrame):
        _require_numeric_frame(values, "values")
    else:
        raise TypeError(
            f"values must be a pandas Series or DataFrame, got {type(values).__name__}"
        )
    _require_generator(rng)
    if (
        isinstance(fraction, bool)
        or not isinstance(fraction, (int, float))
        or not 0 < fraction < 1
    ):
        raise ValueError(f"fraction must be a number strictly between 0 and 1, got {fraction!r}")
    known = np.flatnonzero(values.notna().to_numpy().ravel())
    count = int(round(fraction * len(known)))
    if count < 1:
        raise ValueError(
            f"hiding {fraction} of {len(known)} known values hides none; use more data"
        )
    flat_mask = np.zeros(values.size, dtype=bool)
    flat_mask[rng.choice(known, size=count, replace=False)] = True
    mask_array = flat_mask.reshape(values.shape)
    if isinstance(values, pd.Series):
        mask = pd.Series(mask_array, index=values.index, name=values.name)
    else:
        mask = pd.DataFrame(mask_array, index=values.index, columns=values.columns)
    return values.mask(mask), mask


def score_imputations(truth: Table, mask: Table, candidates: Mapping[str, Table]) -> pd.Series:
    """Mean absolute error of each imputation on the values that were hidden.

    Parameters
    ----------
    truth : pandas.Series or pandas.DataFrame
        The values before hiding.
    mask : same shape as ``truth``, of bool
        ``True`` where a value was hidden (as returned by :func:`hide_at_random`).
    candidates : mapping of str to Series/DataFrame
        Each imputation's completed values, same shape as ``truth``.

    Returns
    -------
    pandas.Series
        MAE per candidate, named ``"MAE"``, smallest (best) first.

    Raises
    ------
    TypeError
        If ``candidates`` is not a mapping.
    ValueError
        If shapes differ, nothing was hidden, a hidden true value is itself missing,
        or a candidate left a hidden value unfilled (its name and count are given).
    """
    if not isinstance(candidates, Mapping) or not candidates:
        raise TypeError(
            f"candidates must be a non-empty mapping of name to imputed values, "
            f"got {type(candidates).__name__}"
        )
    truth_array = np.asarray(truth, dtype=float)
    mask_array = np.asarray(mask, dtype=bool)
    if mask_array.shape != truth_array.shape:
        raise ValueError(f"mask has shape {mask_array.shape}, truth has shape {truth_array.shape}")
    if not mask_array.any():
        raise ValueError("mask hides no value; nothing to score")
    hidden_truth = truth_array[mask_array]
    if np.isnan(hidden_truth).any():
        raise ValueError(f"{int(np.isnan(hidden_truth).sum())} hidden values have no true value")
    errors = {}
    for name, imputed in candidates.items():
        imputed_array = np.asarray(imputed, dtype=float)
        if imputed_array.shape != truth_array.shape:
            raise ValueError(
                f"candidate {name!r} has shape {imputed_array.shape}, expected {truth_array.shape}"
            )
        guesses = imputed_array[mask_array]
        unfilled = int(np.isnan(guesses).sum())
        if unfilled:
            raise ValueError(f"candidate {name!r} left {unfilled} hidden values missing")
        errors[name] = float(np.mean(np.abs(guesses - hidden_truth)))
    return pd.Series(errors, name="MAE").sort_values(kind="stable")


_STATISTICS = ("mean", "median")


def _require_statistic(statistic: object) -> str:
    if statistic not in _STATISTICS:
        raise ValueError(f"statistic must be one of {_STATISTICS}, got {statistic!r}")
    return str(statistic)


def impute_constant(values: pd.Series, statistic: str = "mean") -> pd.Series:
    """Fill missing values with the mean or median of the known ones (the article's method).

    Parameters
    ----------
    values : pandas.Series
        Numeric values with gaps.
    statistic : {"mean", "median"}
        Which statistic of the known values to fill in.

    Returns
    -------
    pandas.Series
        A float copy without missing values.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If ``statistic`` is unknown or no value is known.
    """
    _require_numeric(_require_series(values))
    statistic = _require_statistic(statistic)
    numbers = _as_float(values)
    if numbers.notna().sum() == 0:
        raise ValueError(
            f"column {values.name!r} has no known value to compute a {statistic} from"
        )
    return numbers.fillna(getattr(numbers, statistic)())


def impute_by_group(
    values: pd.Series, groups: pd.Series | pd.DataFrame | list[pd.Series], statistic: str = "mean"
) -> pd.Series:
    """Fill missing values with the mean or median of their group (e.g. airport and month).

    Parameters
    ----------
    values : pandas.Series
        Numeric values with gaps.
    groups : Series, DataFrame or list of Series
        Group labels aligned with ``values`` (same index).
    statistic : {"mean", "median"}
        Which statistic of the group's known values to fill in.

    Returns
    -------
    pandas.Series
        A float copy; values stay missing only in groups without any known value
        (nothing is invented for them, so :func:`score_imputations` will say so).

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If ``statistic`` is unknown or ``groups`` is not aligned with ``values``.
    """
    _require_numeric(_require_series(values))
    statistic = _require_statistic(statistic)
    keys = [groups[c] for c in groups.columns] if isinstance(groups, pd.DataFrame) else groups
    keys = keys if isinstance(keys, list) else [keys]
    for key in keys:
        if not isinstance(key, pd.Series) or not key.index.equals(values.index):
            raise ValueError("every group key must be a Series with the same index as values")
    numbers = _as_float(values)
    filler = numbers.groupby(keys, observed=True, dropna=False).transform(statistic)
    return numbers.fillna(filler)


def impute_interpolate(values: Table) -> Table:
    """Fill gaps in time series by linear interpolation in time (ends take the nearest value).

    Parameters
    ----------
    values : pandas.Series or pandas.DataFrame
        Numeric values indexed by a sorted :class:`~pandas.DatetimeIndex`; each
        column is one series (e.g. one airport).

    Returns
    -------
    same type as ``values``
        A float copy; only columns without any known value would stay missing.

    Raises
    ------
    TypeError
        If the index is not a DatetimeIndex or the values are not numeric.
    ValueError
        If the index is not sorted increasingly.
    """
    if isinstance(values, pd.Series):
        _require_numeric(values)
        numbers = _as_float(values)
    else:
        _require_numeric_frame(values, "values")
        numbers = values.apply(_as_float)
    if not isinstance(values.index, pd.DatetimeIndex):
        raise TypeError(
            f"values must be indexed by time (DatetimeIndex), got {type(values.index).__name__}"
        )
    if not values.index.is_monotonic_increasing:
        raise ValueError("the time index must be sorted increasingly; call sort_index() first")
    return numbers.interpolate(method="time", limit_direction="both")


def _standardise(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Scale each column to mean 0 and standard deviation 1 (on its known values)."""
    empty = [column for column in frame.columns if frame[column].notna().sum() < 2]
    if empty:
        raise ValueError(
            f"column(s) {empty} have fewer than two known values; they cannot be "
            f"scaled or used for imputation"
        )
    centre, scale = frame.mean(), frame.std().replace(0.0, 1.0)
    return (frame - centre) / scale, centre, scale


def impute_knn(frame: pd.DataFrame, n_neighbors: int = 5) -> pd.DataFrame:
    """Fill each gap with the mean of the ``n_neighbors`` most similar rows (scikit-learn's KNNImputer).

    Columns are standardised first, so that distances do not depend on units.

    Parameters
    ----------
    frame : pandas.DataFrame
        Numeric columns; similarity is measured on the columns a row has.
    n_neighbors : int
        Number of neighbours averaged (positive).

    Returns
    -------
    pandas.DataFrame
        A float copy with the same index and columns, without missing values.

    Raises
    ------
    TypeError
        If a column is not numeric.
    ValueError
        If ``n_neighbors`` is not a positive int, or a column has fewer than two
        known values (scikit-learn would silently drop it).
    """
    from sklearn.impute import KNNImputer

    _require_numeric_frame(frame)
    if (
        isinstance(n_neighbors, bool)
        or not isinstance(n_neighbors, (int, np.integer))
        or n_neighbors < 1
    ):
        raise ValueError(f"n_neighbors must be a positive int, got {n_neighbors!r}")
    scaled, centre, scale = _standardise(frame.apply(_as_float))
    filled = KNNImputer(n_neighbors=int(n_neighbors)).fit_transform(scaled)
    return pd.DataFrame(filled, index=frame.index, columns=frame.columns) * scale + centre


def impute_iterative(
    frame: pd.DataFrame, random_state: int = 0, max_iter: int = 25
) -> pd.DataFrame:
    """Fill gaps by regressing each column on the others, round after round (chained equations).

    A thin wrapper of scikit-learn's ``IterativeImputer`` (Bayesian ridge regressions),
    the single-imputation form of the MICE algorithm.

    Parameters
    ----------
    frame : pandas.DataFrame
        Numeric columns.
    random_state : int
        Seed of the imputer.
    max_iter : int
        Maximum number of rounds (positive).

    Returns
    -------
    pandas.DataFrame
        A float copy with the same index and columns, without missing values.

    Raises
    ------
    TypeError
        If a column is not numeric.
    ValueError
        If ``max_iter`` is not positive, or a column has fewer than two known values.
    """
    from sklearn.experimental import enable_iterative_imputer  # noqa: F401  (registers the class)
    from sklearn.impute import IterativeImputer

    _require_numeric_frame(frame)
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive int, got {max_iter!r}")
    scaled, centre, scale = _standardise(frame.apply(_as_float))
    imputer = IterativeImputer(random_state=random_state, max_iter=int(max_iter), tol=1e-4)
    filled = imputer.fit_transform(scaled)
    return pd.DataFrame(filled, index=frame.index, columns=frame.columns) * scale + centre


# ---------------------------------------------------------------------------
# Outliers
# ---------------------------------------------------------------------------


def _known_numbers(values: pd.Series) -> pd.Series:
    """Float copy of a numeric Series; raise if nothing is known."""
    _require_numeric(_require_series(values))
    numbers = _as_float(values)
    if numbers.notna().sum() == 0:
        raise ValueError(f"column {values.name!r} has no known value")
    return numbers


def iqr_fences(values: pd.Series, k: float = 1.5) -> tuple[float, float]:
    """Tukey's fences ``Q1 - k*IQR`` and ``Q3 + k*IQR``.

    Parameters
    ----------
    values : pandas.Series
        Numeric values; missing ones are ignored.
    k : float
        Width of the fences in interquartile ranges (positive; 1.5 is Tukey's choice).

    Returns
    -------
    tuple of float
        Lower and upper fence.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If ``k`` is not positive or no value is known.
    """
    numbers = _known_numbers(values)
    if isinstance(k, bool) or not isinstance(k, (int, float)) or k <= 0:
        raise ValueError(f"k must be a positive number, got {k!r}")
    q1, q3 = numbers.quantile([0.25, 0.75])
    return float(q1 - k * (q3 - q1)), float(q3 + k * (q3 - q1))


def iqr_outliers(values: pd.Series, k: float = 1.5) -> pd.Series:
    """Flag values outside Tukey's fences (see :func:`iqr_fences`).

    Parameters
    ----------
    values : pandas.Series
        Numeric values; missing ones are never flagged.
    k : float
        Width of the fences in interquartile ranges.

    Returns
    -------
    pandas.Series of bool
        ``True`` for outliers, aligned with ``values``.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If ``k`` is not positive or no value is known.
    """
    low, high = iqr_fences(values, k)
    numbers = _as_float(values)
    return ((numbers < low) | (numbers > high)).fillna(False).astype(bool)


def robust_z_scores(values: pd.Series) -> pd.Series:
    """Robust z-scores ``0.6745 * (x - median) / MAD`` (Iglewicz and Hoaglin's modified z).

    The median absolute deviation ``MAD = median(|x - median(x)|)`` is not inflated
    by the outliers it is meant to find, unlike the standard deviation; the factor
    0.6745 makes the score comparable with an ordinary z-score for normal data.

    Parameters
    ----------
    values : pandas.Series
        Numeric values; missing ones get a missing score.

    Returns
    -------
    pandas.Series of float
        The scores, aligned with ``values``.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If no value is known, or the MAD is zero (more than half the values are
        equal, e.g. hourly precipitation), where the score is undefined.
    """
    numbers = _known_numbers(values)
    median = numbers.median()
    mad = (numbers - median).abs().median()
    if mad == 0:
        raise ValueError(
            f"the median absolute deviation of {values.name!r} is 0 (at least half "
            f"the values equal the median {median}); robust z-scores are undefined, "
            f"use another rule for this column"
        )
    return 0.6745 * (numbers - median) / mad


def robust_z_outliers(values: pd.Series, threshold: float = 3.5) -> pd.Series:
    """Flag values whose robust z-score exceeds ``threshold`` in absolute value.

    Parameters
    ----------
    values : pandas.Series
        Numeric values; missing ones are never flagged.
    threshold : float
        Cut-off on ``|z|`` (positive; 3.5 is Iglewicz and Hoaglin's recommendation).

    Returns
    -------
    pandas.Series of bool
        ``True`` for outliers, aligned with ``values``.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If ``threshold`` is not positive, or as :func:`robust_z_scores`.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold <= 0:
        raise ValueError(f"threshold must be a positive number, got {threshold!r}")
    return (robust_z_scores(values).abs() > threshold).fillna(False).astype(bool)


# ---------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------


def find_duplicates(frame: pd.DataFrame, subset: list[str] | None = None) -> pd.DataFrame:
    """Every row that shares its key with another row, grouped, instead of silently dropping copies.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to inspect.
    subset : list of str, optional
        Columns that form the key; all columns when omitted (exact duplicates).

    Returns
    -------
    pandas.DataFrame
        The duplicated rows (all copies, original index kept), sorted by key, with
        a column ``duplicate_group`` numbering the groups from 0. Empty when every
        key is unique.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``subset`` is not a list of column names.
    ValueError
        If ``subset`` is empty or names columns that ``frame`` lacks.
    """
    _require_frame(frame)
    if subset is None:
        subset = list(frame.columns)
    if not isinstance(subset, list) or not all(isinstance(column, str) for column in subset):
        raise TypeError(f"subset must be a list of column names, got {subset!r}")
    if not subset:
        raise ValueError("subset must name at least one column")
    _require_columns(frame, subset)
    duplicated = frame[frame.duplicated(subset=subset, keep=False)]
    groups = duplicated.groupby(subset, observed=True, dropna=False, sort=True).ngroup()
    result = duplicated.assign(duplicate_group=groups.astype("int64"))
    return result.sort_values(["duplicate_group"], kind="stable")


# ---------------------------------------------------------------------------
# Types and units
# ---------------------------------------------------------------------------


def hhmm_to_minutes(values: pd.Series) -> pd.Series:
    """Convert clock times written as HHMM integers (e.g. 1349 for 13:49) to minutes after midnight.

    HHMM numbers are not a scale: ``1300 - 1259 = 41`` although the times are one
    minute apart. Minutes after midnight are. ``2400`` (midnight at the end of
    the day, as in the flights data) becomes 1440.

    Parameters
    ----------
    values : pandas.Series
        Integer-valued numbers (int, nullable Int64 or whole floats); missing stays missing.

    Returns
    -------
    pandas.Series
        Nullable ``Int64`` minutes in ``[0, 1440]``, aligned with ``values``.

    Raises
    ------
    TypeError
        If ``values`` is not a numeric Series.
    ValueError
        If a value is not a whole number, is negative, exceeds 2400, or has a
        minute part of 60 or more; the message lists the offending values.
    """
    _require_numeric(_require_series(values))
    numbers = _as_float(values)
    known = numbers.dropna()
    bad = known[(known != np.floor(known)) | (known < 0) | (known > 2400) | (known % 100 >= 60)]
    if len(bad):
        raise ValueError(
            f"{len(bad)} value(s) of {values.name!r} are not HHMM clock times "
            f"(whole numbers 0-2400 with minutes below 60): {values[bad.index].unique()[:5].tolist()}"
        )
    return ((numbers // 100) * 60 + numbers % 100).astype("Int64")


UNITS: dict[str, tuple[str, float]] = {
    # unit: (dimension, factor to the SI unit of that dimension)
    "mi": ("length", 1609.344),
    "km": ("length", 1000.0),
    "m": ("length", 1.0),
    "ft": ("length", 0.3048),
    "in": ("length", 0.0254),
    "mm": ("length", 0.001),
    "mph": ("speed", 0.44704),
    "km/h": ("speed", 1 / 3.6),
    "m/s": ("speed", 1.0),
    "kn": ("speed", 1852 / 3600),
    "inHg": ("pressure", 3386.389),
    "hPa": ("pressure", 100.0),
    "mbar": ("pressure", 100.0),
    "degF": ("temperature", 5 / 9),
    "degC": ("temperature", 1.0),
    "K": ("temperature", 1.0),
}
"""Units :func:`convert_units` accepts, by dimension, with their factor to SI units."""

_TEMPERATURE_OFFSET = {
    "degF": 459.67 * 5 / 9,
    "degC": 273.15,
    "K": 0.0,
}  # kelvin = factor*x + offset


def convert_units(
    values: pd.Series | np.ndarray | float, from_unit: str, to_unit: str
) -> pd.Series | np.ndarray | float:
    """Convert lengths, speeds, pressures or temperatures between units.

    Parameters
    ----------
    values : pandas.Series, numpy.ndarray or float
        Numbers in ``from_unit``; missing values stay missing.
    from_unit, to_unit : str
        Keys of :data:`UNITS` of the same dimension, e.g. ``"mi"`` to ``"km"`` or
        ``"degF"`` to ``"degC"``.

    Returns
    -------
    same type as ``values``
        The numbers in ``to_unit`` (float).

    Raises
    ------
    TypeError
        If ``values`` is not numeric.
    ValueError
        If a unit is unknown (the accepted ones are listed) or the units measure
        different things.
    """
    for unit in (from_unit, to_unit):
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; accepted: {', '.join(UNITS)}")
    (from_dimension, from_factor), (to_dimension, to_factor) = UNITS[from_unit], UNITS[to_unit]
    if from_dimension != to_dimension:
        raise ValueError(
            f"cannot convert {from_unit!r} ({from_dimension}) to {to_unit!r} ({to_dimension})"
        )
    if isinstance(values, pd.Series):
        numbers = _as_float(_require_numeric(values))
    elif isinstance(values, bool) or not isinstance(
        values, (int, float, np.integer, np.floating, np.ndarray)
    ):
        raise TypeError(
            f"values must be numeric (Series, array or number), got {type(values).__name__}"
        )
    elif isinstance(values, np.ndarray) and not np.issubdtype(values.dtype, np.number):
        raise TypeError(f"values must be numeric, got an array of dtype {values.dtype}")
    else:
        numbers = (
            np.asarray(values, dtype=float) if isinstance(values, np.ndarray) else float(values)
        )
    if from_dimension == "temperature":
        kelvin = numbers * from_factor + _TEMPERATURE_OFFSET[from_unit]
        return (kelvin - _TEMPERATURE_OFFSET[to_unit]) / to_factor
    return numbers * (from_factor / to_factor)


# ---------------------------------------------------------------------------
# The flights, cleaned and validated
# ---------------------------------------------------------------------------

RAW_FLIGHT_COLUMNS: list[str] = [
    "year",
    "month",
    "day",
    "dep_time",
    "sched_dep_time",
    "dep_delay",
    "arr_time",
    "sched_arr_time",
    "arr_delay",
    "carrier",
    "flight",
    "tailnum",
    "origin",
    "dest",
    "air_time",
    "distance",
    "minute",
    "time_hour",
]
"""Columns of ``dlbigdata.load("flights")`` that :func:`clean_flights` needs."""

FLIGHT_STATUSES: list[str] = ["arrived", "no arrival record", "cancelled"]
"""Values of the ``status`` column of the cleaned flights."""


def clean_flights(flights: pd.DataFrame) -> pd.DataFrame:
    """The flights with explicit cancellations, real timestamps and metric units.

    - ``cancelled`` is ``True`` where there is no departure time: those flights never
      left, their delays are undefined (not unknown), so they are not imputed;
    - ``status`` says whether a flight arrived, departed without an arrival record
      (diverted or not recorded), or was cancelled;
    - ``scheduled_departure`` and ``departure`` are time-zone-aware timestamps
      (New York time) instead of HHMM integers; ``departure`` is the scheduled time
      plus the delay, so it is right across midnight;
    - arrival clock times, local to the destination, become minutes after midnight;
    - ``distance`` in miles becomes ``distance_km``.

    Parameters
    ----------
    flights : pandas.DataFrame
        The raw table of ``dlbigdata.load("flights")`` (at least :data:`RAW_FLIGHT_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        One row per input row, same index, with the columns that
        :func:`flights_schema` declares.

    Raises
    ------
    TypeError
        If ``flights`` is not a DataFrame or a time column is not numeric.
    ValueError
        If columns are missing, or a clock time is not a valid HHMM value.
    """
    _require_frame(flights, "flights")
    _require_columns(flights, RAW_FLIGHT_COLUMNS, "flights")
    hhmm_to_minutes(flights["dep_time"])  # validates the departure clock times
    cancelled = flights["dep_delay"].isna() & flights["dep_time"].isna()
    scheduled = flights["time_hour"] + pd.to_timedelta(flights["minute"], unit="min")
    departure = scheduled + pd.to_timedelta(flights["dep_delay"], unit="min")
    status = np.select(
        [cancelled, flights["arr_delay"].isna()],
        ["cancelled", "no arrival record"],
        default="arrived",
    )
    return pd.DataFrame(
        {
            "year": flights["year"].astype("int64"),
            "month": flights["month"].astype("int64"),
            "day": flights["day"].astype("int64"),
            "carrier": flights["carrier"].astype("category"),
            "flight": flights["flight"].astype("int64"),
            "tailnum": flights["tailnum"].astype("string"),
            "origin": flights["origin"].astype("category"),
            "dest": flights["dest"].astype("category"),
            "scheduled_departure": scheduled,
            "departure": departure,
            "dep_delay": _as_float(flights["dep_delay"]),
            "sched_arr_minutes": hhmm_to_minutes(flights["sched_arr_time"]),
            "arr_minutes": hhmm_to_minutes(flights["arr_time"]),
            "arr_delay": _as_float(flights["arr_delay"]),
            "air_time": _as_float(flights["air_time"]),
            "distance_km": convert_units(flights["distance"], "mi", "km"),
            "cancelled": cancelled.astype(bool),
            "status": pd.Categorical(status, categories=FLIGHT_STATUSES),
        },
        index=flights.index,
    )


def _departure_matches_delay(frame: pd.DataFrame) -> pd.Series:
    """Row check: departure equals scheduled departure plus the delay (or both are missing)."""
    lag = (frame["departure"] - frame["scheduled_departure"]).dt.total_seconds() / 60
    return (lag - frame["dep_delay"]).abs().lt(1e-6) | (
        frame["departure"].isna() & frame["dep_delay"].isna()
    )


def flights_schema(carriers: Iterable[str], origins: Iterable[str] = ("EWR", "JFK", "LGA")):
    """The declared schema of the cleaned flights (a pandera ``DataFrameSchema``).

    Column types (no silent coercion), value ranges, codes from reference tables,
    the flight key (date, carrier, flight number, origin, scheduled departure) as
    unique, no unexpected columns, and three rules across columns: a flight is
    cancelled exactly when it has no departure; only flights that left can arrive;
    the departure is the scheduled time plus the delay.

    Parameters
    ----------
    carriers : iterable of str
        Accepted carrier codes (e.g. ``load("airlines")["carrier"]``).
    origins : iterable of str
        Accepted origin airports.

    Returns
    -------
    pandera.api.pandas.container.DataFrameSchema
        Validate with :func:`validate`.

    Raises
    ------
    ValueError
        If ``carriers`` or ``origins`` is empty or holds something other than strings.
    """
    import pandera.pandas as pa

    carriers, origins = list(carriers), list(origins)
    for name, codes in (("carriers", carriers), ("origins", origins)):
        if not codes or not all(isinstance(code, str) for code in codes):
            raise ValueError(f"{name} must be a non-empty list of codes (str), got {codes[:5]!r}")
    time_type = pd.DatetimeTZDtype("us", "America/New_York")
    delay = pa.Check.in_range(-24 * 60, 24 * 60)
    clock = pa.Check.in_range(0, 24 * 60)
    return pa.DataFrameSchema(
        {
            "year": pa.Column("int64", pa.Check.in_range(1900, 2100)),
            "month": pa.Column("int64", pa.Check.in_range(1, 12)),
            "day": pa.Column("int64", pa.Check.in_range(1, 31)),
            "carrier": pa.Column("category", pa.Check.isin(carriers)),
            "flight": pa.Column("int64", pa.Check.gt(0)),
            "tailnum": pa.Column(
                "string", pa.Check.str_matches(r"^N[0-9A-Z]{1,5}$"), nullable=True
            ),
            "origin": pa.Column("category", pa.Check.isin(origins)),
            "dest": pa.Column("category", pa.Check.str_matches(r"^[A-Z]{3}$")),
            "scheduled_departure": pa.Column(time_type),
            "departure": pa.Column(time_type, nullable=True),
            "dep_delay": pa.Column("float64", delay, nullable=True),
            "sched_arr_minutes": pa.Column("Int64", clock),
            "arr_minutes": pa.Column("Int64", clock, nullable=True),
            "arr_delay": pa.Column("float64", delay, nullable=True),
            "air_time": pa.Column("float64", pa.Check.in_range(10, 16 * 60), nullable=True),
            "distance_km": pa.Column("float64", pa.Check.in_range(1, 20_000)),
            "cancelled": pa.Column("bool"),
            "status": pa.Column("category", pa.Check.isin(FLIGHT_STATUSES)),
        },
        checks=[
            pa.Check(
                lambda f: f["cancelled"] == (f["departure"].isna() & f["dep_delay"].isna()),
                name="cancelled_iff_no_departure",
            ),
            pa.Check(
                lambda f: ~(f["cancelled"] & f["arr_delay"].notna()),
                name="no_arrival_without_departure",
            ),
            pa.Check(_departure_matches_delay, name="departure_is_scheduled_plus_delay"),
        ],
        unique=["year", "month", "day", "carrier", "flight", "origin", "scheduled_departure"],
        strict=True,
        coerce=False,
        name="cleaned flights",
    )


@dataclass(frozen=True)
class ValidationReport:
    """What :func:`validate` found: whether the table passed, and every failure.

    Attributes
    ----------
    schema_name : str
        Name of the schema used.
    rows : int
        Rows checked.
    failures : pandas.DataFrame
        One row per failure: ``column`` (``"<table>"`` for checks across columns),
        ``check``, ``failure_case`` (the bad value) and ``index`` (row label, or
        missing for column-level failures such as a missing column or a wrong type).
    """

    schema_name: str
    rows: int
    failures: pd.DataFrame

    @property
    def valid(self) -> bool:
        """``True`` when no check failed."""
        return self.failures.empty

    @property
    def failed_checks(self) -> set[tuple[str, str]]:
        """The distinct ``(column, check)`` pairs that failed."""
        return set(zip(self.failures["column"], self.failures["check"]))

    def summary(self) -> pd.DataFrame:
        """One row per failed ``(column, check)``: number of failures and up to three examples."""
        if self.valid:
            return pd.DataFrame(columns=["column", "check", "failures", "examples"])
        grouped = self.failures.groupby(["column", "check"], sort=True)
        return pd.DataFrame(
            {
                "failures": grouped.size(),
                "examples": grouped["failure_case"].agg(
                    lambda cases: ", ".join(map(str, cases.head(3)))
                ),
            }
        ).reset_index()

    def __str__(self) -> str:
        if self.valid:
            return f"{self.schema_name}: all checks passed on {self.rows:,} rows"
        lines = [f"{self.schema_name}: {len(self.failures):,} failure(s) on {self.rows:,} rows"]
        for row in self.summary().itertuples(index=False):
            lines.append(
                f"  - {row.column}: {row.check} failed {row.failures:,} time(s), e.g. {row.examples}"
            )
        return "\n".join(lines)


_PRESENCE_CHECKS = ("column_in_dataframe", "column_in_schema")


def _tidy_failure_cases(cases: pd.DataFrame, labels: pd.Index, columns: pd.Index) -> pd.DataFrame:
    """Turn pandera's failure cases into one row per failure, with the original row labels.

    Checks on single columns keep their column and bad value. A missing or unexpected
    column is reported under its own name. Checks across columns (rules and the unique
    key), which pandera repeats once per cell, become one row per failing row under the
    column ``"<table>"``, with the key values (uniqueness) or the row label as the case.
    """
    positions = pd.to_numeric(cases["index"], errors="coerce")
    cases = cases.assign(
        label=pd.Series(
            [labels[int(p)] if pd.notna(p) else None for p in positions],
            index=cases.index,
            dtype=object,
        )
    )
    across = (cases["schema_context"] == "DataFrameSchema") & ~cases["check"].isin(
        _PRESENCE_CHECKS
    )
    presence = cases["check"].isin(_PRESENCE_CHECKS)
    single = cases[~across].assign(
        column=np.where(
            presence[~across],
            cases.loc[~across, "failure_case"].astype(str),
            cases.loc[~across, "column"].astype(str),
        )
    )
    rows = []
    for (check, position), group in cases[across].groupby(["check", "index"], sort=False):
        label = group["label"].iloc[0]
        if check == "multiple_fields_uniqueness":
            values = group.set_index("column")["failure_case"]
            case = ", ".join(str(values[c]) for c in columns if c in values.index)
        else:
            case = f"row {label}"
        rows.append({"column": "<table>", "check": check, "failure_case": case, "label": label})
    tidy = (
        pd.concat(
            [single[["column", "check", "failure_case", "label"]], pd.DataFrame(rows)],
            ignore_index=True,
        )
        if rows
        else single[["column", "check", "failure_case", "label"]]
    )
    tidy = tidy.rename(columns={"label": "index"}).astype({"index": object})
    tidy["check"] = tidy["check"].astype(str)
    tidy["failure_case"] = tidy["failure_case"].astype(object)
    return tidy.reset_index(drop=True)


def validate(frame: pd.DataFrame, schema) -> ValidationReport:
    """Check a table against a pandera schema and report *every* failure, without raising.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to check.
    schema : pandera.api.pandas.container.DataFrameSchema
        The declared schema, e.g. from :func:`flights_schema`.

    Returns
    -------
    ValidationReport
        ``report.valid`` says whether the table passed; ``report.failures``,
        ``report.summary()`` and ``print(report)`` say which column and check
        failed, on which values and rows.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``schema`` is not a pandera DataFrameSchema.
    """
    import pandera.pandas as pa

    _require_frame(frame)
    if not isinstance(schema, pa.DataFrameSchema):
        raise TypeError(f"schema must be a pandera DataFrameSchema, got {type(schema).__name__}")
    columns = ["column", "check", "failure_case", "index"]
    # pandera needs unique row labels (duplicated rows often carry duplicated labels):
    # check by position, then report the original labels.
    try:
        schema.validate(frame.reset_index(drop=True), lazy=True)
        failures = pd.DataFrame(columns=columns)
    except pa.errors.SchemaErrors as errors:
        failures = _tidy_failure_cases(errors.failure_cases, frame.index, frame.columns)
    return ValidationReport(str(schema.name or "schema"), len(frame), failures)
