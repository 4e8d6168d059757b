"""Tests of dlbigdata.scaling.generate: partitioned, deterministic, cached flights."""

from __future__ import annotations

import json

import pyarrow.dataset as ds
import pytest

from dlbigdata.scaling.generate import (
    FLIGHT_COLUMNS,
    MANIFEST,
    cache_directory,
    dataset_checksum,
    generate_flights,
)

REAL_ROWS = 336_776


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """1,000 rows (a seeded sample of the real year) and a second year of 300 rows."""
    root = tmp_path_factory.mktemp("flights")
    return root, generate_flights(1_000, 3, root), generate_flights(REAL_ROWS + 300, 3, root)


def read(path):
    return ds.dataset(path, format="parquet", partitioning="hive").to_table().to_pandas()


def test_rows_schema_and_partition_layout(small):
    root, one, two = small
    assert one.path == root / "flights-rows1000-seed3" and not one.cached
    frame = read(one.path)
    assert len(frame) == 1_000 and set(frame.columns) == set(FLIGHT_COLUMNS)
    assert set(frame["year"].astype(int)) == {2013}
    months = sorted(p.name for p in (one.path / "year=2013").iterdir())
    assert months == sorted(f"month={m}" for m in range(1, 13))
    assert one.files == 12 and one.bytes == sum(
        p.stat().st_size for p in one.path.rglob("*.parquet")
    )
    grown = read(two.path)
    years = grown["year"].astype(int).value_counts().sort_index()
    assert years.to_dict() == {2013: REAL_ROWS, 2014: 300}
    assert grown["carrier"].notna().all() and grown["origin"].isin(["EWR", "JFK", "LGA"]).all()


def test_copies_are_jittered_real_rows(small):
    _, _, two = small
    grown = read(two.path)
    real, copy = grown[grown["year"].astype(int) == 2013], grown[grown["year"].astype(int) == 2014]
    assert copy["distance"].isin(real["distance"]).all()
    assert copy["tailnum"].dropna().isin(real["tailnum"]).all()
    moved = copy["arr_delay"].dropna()
    assert (moved == moved.round()).all()  # integer jitter on whole minutes
    keys = ["month", "day", "carrier", "flight", "sched_dep_time"]
    unique = real.drop_duplicates(keys, keep=False)
    matched = copy.merge(unique, on=keys, suffixes=("_copy", "_real")).dropna(
        subset=["arr_delay_copy", "arr_delay_real"]
    )
    assert len(matched) > 100, len(matched)
    shifted = matched["arr_delay_copy"] != matched["arr_delay_real"]
    assert shifted.any(), "the copies carry no jitter"


def test_deterministic_for_a_seed_with_jittered_copies(small, tmp_path):
    _, _, two = small
    again = generate_flights(REAL_ROWS + 300, 3, tmp_path)
    assert again.checksum == two.checksum == dataset_checksum(two.path)


def test_deterministic_for_a_seed(small, tmp_path):
    _, one, _ = small
    again = generate_flights(1_000, 3, tmp_path)
    assert again.checksum == one.checksum == dataset_checksum(one.path)
    other = generate_flights(1_000, 4, tmp_path)
    assert other.checksum != one.checksum


def test_a_second_call_comes_from_the_cache(small):
    root, one, _ = small
    stamps = {p: p.stat().st_mtime_ns for p in one.path.rglob("*.parquet")}
    cached = generate_flights(1_000, 3, root)
    assert cached.cached and cached.checksum == one.checksum and cached.rows == 1_000
    assert stamps == {p: p.stat().st_mtime_ns for p in one.path.rglob("*.parquet")}
    assert not [p for p in root.iterdir() if p.name.startswith(".")]  # no staging left


def test_cache_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DLBIGDATA_CACHE", str(tmp_path / "here"))
    assert cache_directory() == tmp_path / "here"
    monkeypatch.delenv("DLBIGDATA_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_directory() == tmp_path / "dlbigdata"


@pytest.mark.hostile("bad_input")
def test_generate_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="rows must be an integer >= 1, got -5"):
        generate_flights(-5, 0, tmp_path)
    with pytest.raises(TypeError, match=r"rows must be an integer, got float: 1000.0"):
        generate_flights(1000.0, 0, tmp_path)
    with pytest.raises(TypeError, match="seed must be an integer, got str: '1'"):
        generate_flights(100, "1", tmp_path)
    file = tmp_path / "a_file"
    file.write_text("x")
    with pytest.raises(ValueError, match=r"directory must be a directory, got .*a_file"):
        generate_flights(100, 0, file)
    with pytest.raises(TypeError, match="directory must be a path"):
        generate_flights(100, 0, 42)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]  # nothing written


@pytest.mark.hostile("bad_input")
def test_checksum_rejects_a_missing_or_empty_directory(tmp_path):
    with pytest.raises(ValueError, match=r"path must be an existing directory, got .*nowhere"):
        dataset_checksum(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="holds no Parquet files"):
        dataset_checksum(tmp_path)


@pytest.mark.hostile("malformed_file")
def test_a_malformed_or_foreign_manifest_is_reported(small, tmp_path):
    _, one, _ = small
    broken = tmp_path / "flights-rows1000-seed3"
    broken.mkdir()
    (broken / MANIFEST).write_text("{not json")
    with pytest.raises(ValueError, match=r"malformed _manifest.json.*delete that directory"):
        generate_flights(1_000, 3, tmp_path)
    fields = json.loads((one.path / MANIFEST).read_text())
    (broken / MANIFEST).write_text(json.dumps({**fields, "seed": 9}))
    with pytest.raises(ValueError, match="describes rows, seed, version"):
        generate_flights(1_000, 3, tmp_path)
