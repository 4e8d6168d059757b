"""Tests of dlbigdata.networks.streaming: partitioned Parquet written and streamed back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from dlbigdata.networks.streaming import (
    count_parquet_rows,
    parquet_batches,
    parquet_dataset,
    write_partitioned_parquet,
)


def small_table(rows: int = 10) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": np.arange(rows) % 3 + 1,
            "x": np.arange(rows, dtype=float),
            "flag": np.arange(rows) % 2 == 0,
            "label": (np.arange(rows) % 4 == 0).astype(int),
        }
    )


@pytest.fixture
def written(tmp_path):
    directory = tmp_path / "table"
    write_partitioned_parquet(small_table(), directory, "month")
    return directory


def stacked(batches):
    batches = list(batches)
    return np.vstack([x for x, _ in batches]), np.concatenate([y for _, y in batches])


def test_writer_makes_one_folder_per_value_and_keeps_every_row(tmp_path):
    files = write_partitioned_parquet(small_table(), tmp_path / "t", ["month"])
    assert [path.parent.name for path in files] == ["month=1", "month=2", "month=3"]
    assert count_parquet_rows(tmp_path / "t") == 10


def test_batches_have_the_requested_size_and_span_files(written):
    batches = list(parquet_batches(written, ["x", "month"], "label", batch_size=4))
    assert [len(y) for _, y in batches] == [4, 4, 2]  # partitions hold 4, 3 and 3 rows
    x, y = stacked(batches)
    assert x.dtype == np.float32 and y.dtype == np.float32
    table = small_table().sort_values(["month", "x"])
    assert_allclose(x, table[["x", "month"]].to_numpy())
    assert_allclose(y, table["label"].to_numpy())


def test_rows_keep_their_label_under_shuffling(written):
    x, y = stacked(parquet_batches(written, ["x", "flag"], "label", batch_size=3, seed=5))
    assert sorted(x[:, 0].tolist()) == list(range(10))
    order = x[:, 0].astype(int)
    assert_array_equal(y, (order % 4 == 0).astype(np.float32))
    assert_array_equal(x[:, 1], (order % 2 == 0).astype(np.float32))
    again, _ = stacked(parquet_batches(written, ["x", "flag"], "label", batch_size=3, seed=5))
    assert_array_equal(again, x)
    other, _ = stacked(parquet_batches(written, ["x", "flag"], "label", batch_size=3, seed=6))
    assert not np.array_equal(other, x)


def test_small_read_chunks_give_the_same_rows(written):
    whole, _ = stacked(parquet_batches(written, ["x"], "label", batch_size=4))
    chunked, _ = stacked(parquet_batches(written, ["x"], "label", batch_size=4, read_rows=1))
    assert_array_equal(whole, chunked)


def test_dataset_streams_each_epoch_anew(written):
    pytest.importorskip("tensorflow")
    dataset = parquet_dataset(written, ["x", "month"], "label", batch_size=4, seed=0)
    first = np.vstack([x.numpy() for x, _ in dataset])
    second = np.vstack([x.numpy() for x, _ in dataset])
    assert sorted(first[:, 0]) == sorted(second[:, 0]) == list(range(10))
    assert not np.array_equal(first, second)  # each pass reshuffles
    plain = parquet_dataset(written, ["x", "month"], "label", batch_size=4)
    x = np.vstack([x.numpy() for x, _ in plain])
    expected, _ = stacked(parquet_batches(written, ["x", "month"], "label", batch_size=4))
    assert_array_equal(x, expected)
    assert int(plain.cardinality()) == 3  # ceil(10 rows / 4)


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("frame", "partition_by", "error", "message"),
    [
        ([1, 2], "month", TypeError, "frame must be a pandas DataFrame"),
        (small_table().iloc[:0], "month", ValueError, "frame must have at least one row"),
        (small_table(), "week", ValueError, r"lacks column\(s\) \['week'\]"),
        (small_table()[["month"]], "month", ValueError, "leave at least one column"),
        (small_table(), ["month", "month"], ValueError, "must not repeat"),
    ],
)
def test_writer_refuses_bad_arguments(tmp_path, frame, partition_by, error, message):
    with pytest.raises(error, match=message):
        write_partitioned_parquet(frame, tmp_path / "t", partition_by)
    assert not (tmp_path / "t").exists()


@pytest.mark.hostile("bad_input")
def test_writer_refuses_a_folder_that_holds_files(written):
    with pytest.raises(ValueError, match="directory must be a new or empty folder"):
        write_partitioned_parquet(small_table(), written, "month")
    assert count_parquet_rows(written) == 10  # the old data are untouched
    with pytest.raises(TypeError, match="directory must be a path"):
        write_partitioned_parquet(small_table(), 3, "month")


@pytest.mark.hostile("dropped_rows")
def test_writer_refuses_missing_partition_keys(tmp_path):
    table = small_table().astype({"month": "Int64"})
    table.loc[2, "month"] = pd.NA
    with pytest.raises(ValueError, match=r"no missing values, got \{'month': 1\}"):
        write_partitioned_parquet(table, tmp_path / "t", "month")
    assert not (tmp_path / "t").exists()


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("features", "label", "options", "error", "message"),
    [
        ("x", "label", {}, TypeError, "features must be a list of names"),
        (["x", "color"], "label", {}, ValueError, r"columns \['color'\] are not in"),
        (["x"], "x", {}, ValueError, "label must not be one of the features, got 'x'"),
        (["x"], ["label"], {}, TypeError, "label must be a string"),
        (["x"], "label", {"batch_size": 0}, ValueError, "batch_size must be an integer >= 1"),
        (["x"], "label", {"batch_size": 2.0}, TypeError, "batch_size must be an integer"),
        (["x"], "label", {"read_rows": -1}, ValueError, "read_rows must be an integer >= 1"),
        (["x"], "label", {"seed": -1}, ValueError, "seed"),
        (["name"], "label", {}, ValueError, "column 'name' must be numeric or boolean"),
    ],
)
def test_reader_refuses_bad_arguments(tmp_path, features, label, options, error, message):
    table = small_table().assign(name=list("abcdefghij"))
    write_partitioned_parquet(table, tmp_path / "t", "month")
    with pytest.raises(error, match=message):
        parquet_batches(tmp_path / "t", features, label, **options)


@pytest.mark.hostile("bad_input")
def test_dataset_checks_its_arguments_when_built(written):
    pytest.importorskip("tensorflow")
    with pytest.raises(ValueError, match=r"columns \['y'\] are not in"):
        parquet_dataset(written, ["x"], "y")


@pytest.mark.hostile("bad_input")
def test_reader_refuses_a_missing_or_empty_folder(tmp_path):
    with pytest.raises(ValueError, match="directory must be an existing folder"):
        count_parquet_rows(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"holds no \.parquet file"):
        parquet_batches(tmp_path / "empty", ["x"], "label")
    with pytest.raises(TypeError, match="directory must be a path"):
        count_parquet_rows(None)


@pytest.mark.hostile("malformed_file")
def test_reader_refuses_a_truncated_file(written):
    victim = sorted(written.rglob("*.parquet"))[1]
    victim.write_bytes(victim.read_bytes()[:40])
    with pytest.raises(ValueError, match="holds a malformed Parquet file"):
        parquet_batches(written, ["x"], "label")
    with pytest.raises(ValueError, match="holds a malformed Parquet file"):
        count_parquet_rows(written)


@pytest.mark.hostile("nan_parameter")
def test_missing_values_stop_the_stream_with_the_column_named(tmp_path):
    table = small_table()
    table.loc[7, "x"] = np.nan
    write_partitioned_parquet(table, tmp_path / "t", "month")
    batches = parquet_batches(tmp_path / "t", ["x", "month"], "label", batch_size=2)
    with pytest.raises(ValueError, match=r"columns \['x'\] hold missing or infinite values"):
        list(batches)
