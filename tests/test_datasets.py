"""Tests of dlbigdata.datasets: every data set loads offline, typed, with its declared shape."""

from __future__ import annotations

import re
import socket

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
