"""Tests of dlbigdata.warehouse.landing: source validation and the Parquet landing files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from factories import warehouse_tables
from numpy.testing import assert_allclose

from dlbigdata import warehouse as wh


def test_landing_files_round_trip(tmp_path):
    tables = warehouse_tables()
    paths = wh.write_landing_files(tables, tmp_path)
    assert sorted(p.name for p in paths.values()) == sorted(
        f"{n}.parquet" for n in wh.SOURCE_TABLES
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths.values())
    read = wh.read_landing_files(str(tmp_path))
    assert_allclose(read["flights"]["dep_delay"], tables["flights"]["dep_delay"])
    assert read["flights"]["carrier"].tolist() == ["UA", "AA", "UA", "AA", "UA"]
    assert (read["weather"]["time_hour"] == tables["weather"]["time_hour"]).all()


def test_landing_files_keep_a_quote_and_a_shuffled_index(tmp_path):
    tables = warehouse_tables()
    tables["airlines"] = tables["airlines"].assign(name=['United "Air" Lines', "O'Hare Air"])
    tables["flights"].index = [7, 7, 3, 1, 0]
    read = wh.read_landing_files(
        next(iter(wh.write_landing_files(tables, tmp_path).values())).parent
    )
    assert read["airlines"]["name"].tolist() == ['United "Air" Lines', "O'Hare Air"]
    assert read["flights"]["flight"].tolist() == tables["flights"]["flight"].tolist()


@pytest.mark.hostile("bad_input")
def test_landing_needs_an_existing_directory(tmp_path):
    with pytest.raises(ValueError, match=r"landing directory .*missing does not exist"):
        wh.write_landing_files(warehouse_tables(), tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match=r"landing directory .*missing does not exist"):
        wh.read_landing_files(tmp_path / "missing")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize("directory", [None, 3, ["landing"]])
def test_landing_directory_must_be_a_path(directory):
    with pytest.raises(TypeError, match=r"directory must be a str or pathlib.Path, got"):
        wh.read_landing_files(directory)
    with pytest.raises(TypeError, match=r"directory must be a str or pathlib.Path, got"):
        wh.write_landing_files(warehouse_tables(), directory)


@pytest.mark.hostile("bad_input")
def test_bad_tables_write_no_file(tmp_path):
    tables = warehouse_tables()
    tables["weather"] = tables["weather"].drop(columns="visib")
    with pytest.raises(ValueError, match=r"table 'weather' is missing column\(s\) \['visib'\]"):
        wh.write_landing_files(tables, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.hostile("bad_input")
def test_missing_landing_file_is_named(tmp_path):
    wh.write_landing_files(warehouse_tables(), tmp_path)
    (tmp_path / "planes.parquet").unlink()
    with pytest.raises(FileNotFoundError, match=r"lacks \['planes.parquet'\]"):
        wh.read_landing_files(tmp_path)


@pytest.mark.hostile("malformed_file")
@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut in half
        lambda data: data[:-2],  # two bytes short
        lambda data: b"",  # empty
        lambda data: b"year,month,day\n2013,1,1\n",  # a CSV with the wrong name
        lambda data: data + b"trailing garbage",
    ],
)
def test_a_damaged_landing_file_is_named_and_not_read(tmp_path, damage):
    wh.write_landing_files(warehouse_tables(), tmp_path)
    path = tmp_path / "flights.parquet"
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ValueError, match=r"flights.parquet is not a readable Parquet file"):
        wh.read_landing_files(tmp_path)


@pytest.mark.hostile("malformed_file")
def test_a_landing_file_of_another_table_is_refused(tmp_path):
    wh.write_landing_files(warehouse_tables(), tmp_path)
    (tmp_path / "airlines.parquet").write_bytes((tmp_path / "planes.parquet").read_bytes())
    with pytest.raises(
        ValueError, match=r"table 'airlines' is missing column\(s\) \['carrier', 'name'\]"
    ):
        wh.read_landing_files(tmp_path)


@pytest.mark.parametrize(
    "change, error, match",
    [
        (
            lambda t: t.pop("planes"),
            ValueError,
            r"missing source table\(s\) \['planes'\]; required",
        ),
        (
            lambda t: t.update(flights_2014=t["flights"]),
            ValueError,
            r"unknown source table\(s\) \['flights_2014'\]; accepted",
        ),
        (
            lambda t: t.update(flights=t["flights"].drop(columns="distance")),
            ValueError,
            r"table 'flights' is missing column\(s\) \['distance'\]",
        ),
        (
            lambda t: t["flights"].__setitem__("distance", ["far"] * 5),
            TypeError,
            r"column flights.distance has dtype .*accepted: a real numeric dtype",
        ),
        (
            lambda t: t["flights"].__setitem__("distance", [True] * 5),
            TypeError,
            r"column flights.distance has dtype bool",
        ),
        (
            lambda t: t["flights"].__setitem__("year", [2013.0] * 5),
            TypeError,
            r"flights.year has dtype float64; accepted: an integer dtype",
        ),
        (
            lambda t: t["weather"].__setitem__("time_hour", ["2013-01-01"] * 3),
            TypeError,
            r"weather.time_hour .*time-zone-aware",
        ),
        (
            lambda t: t["airports"].__setitem__("lat", [1j, 2, 3, 4]),
            TypeError,
            r"column airports.lat has dtype complex128",
        ),
        (
            lambda t: t.update(airlines=[1, 2]),
            TypeError,
            "table 'airlines' must be a pandas DataFrame",
        ),
    ],
)
@pytest.mark.hostile("bad_input")
def test_validation_names_the_table_and_column(change, error, match):
    tables = warehouse_tables()
    change(tables)
    with pytest.raises(error, match=match):
        wh.validate_source_tables(tables)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    "table, column", [(t, c) for t, columns in wh.SOURCE_COLUMNS.items() for c in columns]
)
def test_every_source_column_is_required(table, column):
    tables = warehouse_tables()
    tables[table] = tables[table].drop(columns=column)
    with pytest.raises(
        ValueError, match=rf"table '{table}' is missing column\(s\) \['{column}'\]"
    ):
        wh.validate_source_tables(tables)


@pytest.mark.hostile("bad_input")
def test_tables_must_be_a_mapping():
    with pytest.raises(TypeError, match="tables must be a mapping of name to DataFrame, got"):
        wh.validate_source_tables([warehouse_tables()["flights"]])


@pytest.mark.hostile("state_corruption")
@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_infinite_numbers_are_refused(value):
    tables = warehouse_tables()
    tables["flights"]["arr_delay"] = [1.0, value, 0.0, 2.0, 3.0]
    with pytest.raises(
        ValueError, match=r"flights.arr_delay holds 1 infinite value\(s\) \(at index \[1\]\)"
    ):
        wh.validate_source_tables(tables)


@pytest.mark.hostile("bad_input")
def test_repeated_column_names_are_refused():
    tables = warehouse_tables()
    tables["airlines"] = pd.concat([tables["airlines"], tables["airlines"][["name"]]], axis=1)
    with pytest.raises(
        ValueError, match=r"table 'airlines' has repeated column name\(s\) \['name'\]"
    ):
        wh.validate_source_tables(tables)
