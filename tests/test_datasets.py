"""Tests of dlbigdata.datasets: every data set loads offline, typed, with its declared shape."""

from __future__ import annotations

import dataclasses
import gc
import re
import socket
import weakref

import numpy as np
import pandas as pd
import pytest

from dlbigdata import datasets


@pytest.fixture
def no_network(monkeypatch):
    """Make any attempt to open a network connection fail loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError("a data set loader tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("name", datasets.available())
def test_every_data_set_loads_offline_with_declared_shape(name, no_network):
    frame = datasets.load(name)
    entry = datasets.catalogue().loc[name]
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape == (entry["rows"], entry["columns"])
    assert "rownames" not in frame.columns


def test_catalogue_lists_every_data_set_once():
    table = datasets.catalogue()
    assert list(table.index) == list(dict.fromkeys(table.index))
    assert sorted(table.index) == datasets.available()
    assert {"domain", "rows", "columns", "source", "citation", "description"} <= set(table.columns)


def test_catalogue_covers_the_five_domains_of_the_article():
    domains = set(datasets.catalogue()["domain"])
    assert {"healthcare", "finance", "e-commerce", "agriculture", "transport"} <= domains


def test_catalogue_citations_exist_in_the_bibliography(repo_root):
    bib = (repo_root / "book" / "references.bib").read_text()
    for key in datasets.catalogue()["citation"]:
        assert "{" + key + "," in bib, f"citation {key} missing from book/references.bib"


def test_flights_are_typed():
    flights = datasets.load("flights")
    assert isinstance(flights["carrier"].dtype, pd.CategoricalDtype)
    assert isinstance(flights["origin"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_datetime64_any_dtype(flights["time_hour"])
    assert str(flights["time_hour"].dt.tz) == "America/New_York"
    # Cancelled flights keep their missing departure time: nothing is filled in.
    assert flights["dep_time"].isna().sum() == 8255


def test_tweets_are_typed():
    tweets = datasets.load("trump_tweets")
    assert pd.api.types.is_datetime64_any_dtype(tweets["created_at"])
    assert tweets["is_retweet"].dtype == bool
    assert isinstance(tweets["source"].dtype, pd.CategoricalDtype)


def test_labelled_sklearn_sets_use_class_names():
    iris = datasets.load("iris")
    assert list(iris["species"].cat.categories) == ["setosa", "versicolor", "virginica"]
    digits = datasets.load("digits")
    assert sorted(digits["digit"].unique()) == list(range(10))
    assert digits.drop(columns="digit").to_numpy().max() == 16


def test_load_returns_an_independent_copy():
    first = datasets.load("iris")
    first.iloc[0, 0] = -1.0
    assert datasets.load("iris").iloc[0, 0] != -1.0


def test_unknown_name_lists_the_available_ones():
    with pytest.raises(ValueError, match=r"unknown data set 'flight'; available: .*flights"):
        datasets.load("flight")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("bad", [None, 3, ["flights"], b"flights"])
def test_non_string_name_is_a_type_error(bad):
    with pytest.raises(TypeError, match=f"name must be a string, got {type(bad).__name__}"):
        datasets.load(bad)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("bad", ["", " flights", "Flights", "flights.csv", "../flights"])
def test_near_miss_names_are_refused_and_the_available_ones_listed(bad):
    with pytest.raises(
        ValueError, match=f"unknown data set {re.escape(repr(bad))}; available: airlines"
    ):
        datasets.load(bad)


@pytest.mark.hostile("bad_input")
def test_yes_no_columns_refuse_any_other_value():
    with pytest.raises(ValueError, match=r"column 'default' holds \['Maybe', '<missing>'\]"):
        datasets._yes_no(pd.Series(["Yes", "Maybe", None], name="default"))
    assert datasets._yes_no(pd.Series(["Yes", "No"])).tolist() == [True, False]


def test_credit_default_keeps_its_default_rate():
    assert datasets.load("credit_default")["default"].sum() == 333


# --- load(name, columns=...): only some columns, read afresh, not cached -------------------


def test_columns_keep_the_named_columns_in_order_and_their_types(no_network):
    full = datasets.load("flights")
    part = datasets.load("flights", columns=["time_hour", "carrier", "arr_delay"])
    assert list(part.columns) == ["time_hour", "carrier", "arr_delay"]
    pd.testing.assert_frame_equal(part, full[["time_hour", "carrier", "arr_delay"]])
    assert isinstance(part["carrier"].dtype, pd.CategoricalDtype)
    assert str(part["time_hour"].dt.tz) == "America/New_York"


def test_columns_accept_any_sequence_of_names():
    by_tuple = datasets.load("iris", columns=("species", "sepal length (cm)"))
    by_index = datasets.load("iris", columns=pd.Index(["species", "sepal length (cm)"]))
    pd.testing.assert_frame_equal(by_tuple, by_index)
    assert by_tuple.shape == (150, 2)


def test_columns_bypass_the_cache(monkeypatch):
    calls = []
    entry = datasets._CATALOGUE["iris"]

    def counting_loader():
        calls.append(1)
        return entry.loader()

    fake = dataclasses.replace(entry, name="iris_uncached", loader=counting_loader)
    monkeypatch.setitem(datasets._CATALOGUE, "iris_uncached", fake)
    before = datasets._load_cached.cache_info().currsize
    datasets.load("iris_uncached", columns=["species"])
    datasets.load("iris_uncached", columns=["species"])
    assert len(calls) == 2  # read afresh each time
    assert datasets._load_cached.cache_info().currsize == before  # nothing cached


def test_columns_release_the_full_table(monkeypatch):
    """The result must not keep the unselected columns alive (a lazy copy would)."""
    held = {}

    def loader():
        values = np.arange(6_000, dtype="int64").reshape(1_000, 6)
        held["block"] = weakref.ref(values)
        return pd.DataFrame(values, columns=list("abcdef"), copy=False)

    fake = dataclasses.replace(datasets._CATALOGUE["iris"], name="blocks", loader=loader)
    monkeypatch.setitem(datasets._CATALOGUE, "blocks", fake)
    part = datasets.load("blocks", columns=["b", "a"])
    gc.collect()
    assert held["block"]() is None, "the full 6-column block is still referenced"
    np.testing.assert_array_equal(part["a"], np.arange(0, 6_000, 6))


def test_columns_return_an_independent_copy():
    part = datasets.load("iris", columns=["sepal length (cm)"])
    part.iloc[0, 0] = -1.0
    assert datasets.load("iris").iloc[0, 0] != -1.0
    assert datasets.load("iris", columns=["sepal length (cm)"]).iloc[0, 0] != -1.0


@pytest.mark.hostile("single_string")
def test_columns_as_a_single_string_is_a_type_error():
    with pytest.raises(TypeError, match=r"columns must be a list of names.*\['carrier'\]"):
        datasets.load("flights", columns="carrier")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("bad", [3, [1, 2], ["carrier", None], {"carrier": 1}])
def test_columns_that_are_not_names_are_a_type_error(bad):
    with pytest.raises(TypeError, match="columns must"):
        datasets.load("iris", columns=bad)


@pytest.mark.hostile("bad_input")
def test_unknown_columns_are_named_with_the_available_ones():
    with pytest.raises(
        ValueError,
        match=r"data set 'iris' lacks column\(s\) \['petal'\]; it has: sepal length",
    ):
        datasets.load("iris", columns=["species", "petal"])


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("bad", "message"),
    [([], "at least one column"), (["species", "species"], r"repeat a name.*'species'")],
)
def test_empty_or_repeated_columns_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        datasets.load("iris", columns=bad)


@pytest.mark.hostile("bad_input")
def test_a_bad_name_is_refused_before_the_columns_are_looked_at():
    with pytest.raises(ValueError, match=r"unknown data set 'irises'"):
        datasets.load("irises", columns=["species"])
