"""Tests of dlbigdata.mining.mapreduce: partitions, shuffle, reducers, mappers, the runner."""

from __future__ import annotations

import multiprocessing

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from dlbigdata.mining.mapreduce import (
    GroupCountSum,
    count_words,
    map_reduce,
    partition_frame,
    shuffle,
    sum_columns,
    sum_values,
    words_of,
)


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "origin": ["EWR", "JFK", "EWR", "LGA", "JFK", "EWR", "LGA"],
            "delay": [1.0, 2.0, None, 4.0, 5.0, 6.0, -1.0],
        }
    )


def test_partition_frame_keeps_every_row_once(table):
    parts = partition_frame(table, 3)
    assert [len(part) for part in parts] == [2, 3, 2]
    pd.testing.assert_frame_equal(pd.concat(parts), table)
    assert sum(len(part) for part in partition_frame(table, 10)) == len(table)


@pytest.mark.hostile("bad_input")
def test_partition_frame_rejects_bad_input(table):
    with pytest.raises(ValueError, match="partitions must be an integer >= 1, got 0"):
        partition_frame(table, 0)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        partition_frame([1, 2], 2)


def test_shuffle_groups_values_in_partition_order():
    groups = shuffle([[("a", 1), ("b", 2)], [("a", 3)], []])
    assert groups == {"a": [1, 3], "b": [2]}


@pytest.mark.hostile("bad_input")
def test_shuffle_rejects_pairs_that_are_not_pairs():
    with pytest.raises(ValueError, match=r"mapper output 1 must hold \(key, value\) pairs"):
        shuffle([[("a", 1)], [("a", 1, 2)]])


def test_reducers_add_up():
    assert sum_values("a", [1, 2, 3]) == 6
    assert sum_columns("a", [(1, 2.5), (3, 0.5)]) == (4.0, 3.0)


@pytest.mark.hostile("bad_input")
def test_reducers_reject_bad_values():
    with pytest.raises(ValueError, match="zip"):
        sum_columns("a", [(1, 2), (3,)])
    with pytest.raises(TypeError):
        sum_values("a", [1, "2"])


def test_group_count_sum_skips_missing_values(table):
    pairs = dict(GroupCountSum("origin", "delay")(table))
    assert pairs == {"EWR": (2.0, 7.0), "JFK": (2.0, 7.0), "LGA": (2.0, 3.0)}


@pytest.mark.hostile("bad_input")
def test_group_count_sum_rejects_bad_columns(table):
    with pytest.raises(ValueError, match=r"partition lacks column\(s\) \['price'\]"):
        GroupCountSum("origin", "price")(table)
    with pytest.raises(TypeError, match="key must be a string"):
        GroupCountSum(3, "delay")  # type: ignore[arg-type]


def test_words_of_and_count_words():
    assert words_of("The CROWD, the crowd! https://t.co/x @user don't") == [
        "the",
        "crowd",
        "the",
        "crowd",
        "don't",
    ]
    assert dict(count_words(["a b a", "b c"])) == {"a": 2, "b": 2, "c": 1}


@pytest.mark.hostile("single_string")
def test_count_words_rejects_a_single_string():
    with pytest.raises(TypeError, match="single string 'a b'"):
        count_words("a b")
    with pytest.raises(TypeError, match="text must be a string"):
        words_of(3)  # type: ignore[arg-type]


def test_map_reduce_in_process_matches_groupby(table):
    result = map_reduce(
        partition_frame(table, 3), GroupCountSum("origin", "delay"), sum_columns, processes=1
    )
    expected = table.groupby("origin")["delay"].agg(["count", "sum"])
    for origin, (rows, total) in result.items():
        assert_allclose([rows, total], expected.loc[origin].to_numpy())


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_map_reduce_in_forked_workers_matches_in_process(table):
    parts = partition_frame(table, 4)
    mapper = GroupCountSum("origin", "delay")
    in_workers = map_reduce(parts, mapper, sum_columns, processes=2, start_method="fork")
    assert in_workers == map_reduce(parts, mapper, sum_columns, processes=1)
    assert multiprocessing.active_children() == []
    words = map_reduce([["a b"], ["b"]], count_words, sum_values, start_method="fork")
    assert words == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    "start_method",
    [m for m in ("spawn", "forkserver") if m in multiprocessing.get_all_start_methods()],
)
def test_map_reduce_in_fresh_interpreters(start_method):
    # A builtin mapper keeps the workers cheap: a fresh interpreter that unpickles it
    # imports nothing of dlbigdata (whose import pulls in pandas and scikit-learn).
    # The package's own mappers are importable by construction (module level, checked
    # by _require_importable) and run in workers in the fork test above.
    parts = [[("a", 1), ("b", 2)], [("a", 3)]]
    result = map_reduce(parts, list, sum_values, processes=2, start_method=start_method)
    assert result == {"a": 4, "b": 2}
    assert multiprocessing.active_children() == []


def _local_mapper(partition):
    return [("rows", len(partition))]


@pytest.mark.hostile("bad_input")
def test_map_reduce_refuses_a_mapper_workers_cannot_import(table, monkeypatch):
    parts = partition_frame(table, 2)
    with pytest.raises(ValueError, match=r"mapper must be importable.*<lambda>"):
        map_reduce(parts, lambda part: [], sum_values)
    monkeypatch.setattr(_local_mapper, "__module__", "__main__")
    with pytest.raises(ValueError, match="'_local_mapper' from module '__main__'"):
        map_reduce(parts, _local_mapper, sum_values)
    assert map_reduce(parts, _local_mapper, sum_values, processes=1) == {"rows": 7}


@pytest.mark.hostile("bad_input")
def test_map_reduce_rejects_bad_arguments(table):
    parts = partition_frame(table, 2)
    mapper = GroupCountSum("origin", "delay")
    with pytest.raises(ValueError, match="start_method must be one of"):
        map_reduce(parts, mapper, sum_columns, start_method="thread")
    with pytest.raises(ValueError, match="processes must be an integer >= 1, got 0"):
        map_reduce(parts, mapper, sum_columns, processes=0)
    with pytest.raises(TypeError, match="partitions must be a list of partitions"):
        map_reduce(table, mapper, sum_columns)
    with pytest.raises(TypeError, match="mapper must be callable"):
        map_reduce(parts, "mapper", sum_columns)  # type: ignore[arg-type]
