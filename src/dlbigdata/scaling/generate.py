"""Grow the real flights to any size as hive-partitioned Parquet, chunk by chunk, offline.

The flights of New York City in 2013 (336,776 rows) are the seed of every larger table:
replica 0 is the real year 2013, replica $k$ becomes the year $2013 + k$, with its delays
and air times moved by a seeded integer jitter (:func:`~dlbigdata.scaling.iter_replicas`),
and a last, partial replica resamples a seeded subset of the real rows. Carriers,
airports and aircraft keep their real codes, so every row still joins the real dimension
tables (airlines, airports, planes).

The rows are written one replica at a time as Parquet files partitioned the way Hive,
Spark, DuckDB and Polars all read them (``year=2014/month=3/part-00001-0.parquet``), so
generating 50 million rows never holds more than one replica in memory. The result is
deterministic for a seed: a SHA-256 checksum over the files' names and bytes, stored in
the manifest ``_manifest.json`` next to them, proves it. A dataset is cached in a
directory named by its (rows, seed) and is not written again when it exists.

Used in chapter 26.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dlbigdata._validation import require_int, require_seed, require_type
from dlbigdata.scaling.replication import iter_replicas

__all__ = [
    "FLIGHT_COLUMNS",
    "FlightsDataset",
    "cache_directory",
    "dataset_checksum",
    "generate_flights",
]

FLIGHT_COLUMNS = (
    "year",
    "month",
    "day",
    "dep_time",
    "sched_dep_time",
    "dep_delay",
    "arr_delay",
    "carrier",
    "flight",
    "tailnum",
    "origin",
    "dest",
    "air_time",
    "distance",
    "hour",
)
"""The columns written, ``year`` and ``month`` as hive partitions (directories)."""

JITTERED_COLUMNS = ("dep_delay", "arr_delay", "air_time")
"""Columns moved by the seeded jitter in every replica after the first."""

FIRST_YEAR = 2013
"""The year of the real flights (replica 0)."""

MANIFEST = "_manifest.json"
"""File that describes a finished dataset (readers skip names starting with ``_``)."""

GENERATOR_VERSION = 1
"""Bumped whenever the generated rows change, so old caches are not mistaken for new."""


@dataclass(frozen=True)
class FlightsDataset:
    """A generated, partitioned flights dataset on disk (see :func:`generate_flights`)."""

    path: Path
    rows: int
    seed: int
    checksum: str
    files: int
    bytes: int
    seconds: float
    cached: bool

    @property
    def rows_per_second(self) -> float:
        """Rows generated per second of the run that wrote the dataset."""
        return self.rows / self.seconds if self.seconds > 0 else float("inf")


def cache_directory() -> Path:
    """The directory that caches generated datasets.

    ``DLBIGDATA_CACHE`` when set, else ``$XDG_CACHE_HOME/dlbigdata`` (``~/.cache`` by
    default). Used in chapter 26.
    """
    explicit = os.environ.get("DLBIGDATA_CACHE", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base).expanduser() / "dlbigdata"


def _base_flights() -> pd.DataFrame:
    """The real flights with the written columns, codes as plain strings."""
    from dlbigdata.datasets import load

    flights = load("flights")[list(FLIGHT_COLUMNS)]
    for column in ("carrier", "tailnum", "origin", "dest"):
        flights[column] = flights[column].astype(object).where(flights[column].notna(), None)
    small = {"year": "int16", "month": "int8", "day": "int8", "hour": "int8"}
    return flights.astype({**small, "flight": "int32", "distance": "int32"})


def _schema() -> pa.Schema:
    """The Arrow schema of every chunk (fixed, so every file has the same one)."""
    types = {
        "year": pa.int16(),
        "month": pa.int8(),
        "day": pa.int8(),
        "dep_time": pa.int64(),
        "sched_dep_time": pa.int64(),
        "flight": pa.int32(),
        "distance": pa.int32(),
        "hour": pa.int8(),
    }
    strings = ("carrier", "tailnum", "origin", "dest")
    return pa.schema(
        [
            (name, pa.string() if name in strings else types.get(name, pa.float64()))
            for name in FLIGHT_COLUMNS
        ]
    )


def dataset_checksum(path: str | os.PathLike[str]) -> str:
    """SHA-256 over the relative names and bytes of a dataset's Parquet files, in order.

    Used in chapter 26.
    """
    root = _existing_directory("path", path)
    digest = hashlib.sha256()
    files = sorted(root.rglob("*.parquet"))
    if not files:
        raise ValueError(f"path {str(root)!r} holds no Parquet files")
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _existing_directory(name: str, value: object) -> Path:
    """``value`` as a Path to an existing directory (TypeError/ValueError otherwise)."""
    require_type(name, value, (str, os.PathLike), "a path (str or pathlib.Path)")
    path = Path(value).expanduser()  # type: ignore[arg-type]
    if not path.is_dir():
        kind = "a file" if path.exists() else "missing"
        raise ValueError(f"{name} must be an existing directory, got {str(path)!r} ({kind})")
    return path


def _target_root(directory: object) -> Path:
    """The cache root as a Path; refuses a file or a wrong type before anything is written."""
    if directory is None:
        return cache_directory()
    require_type("directory", directory, (str, os.PathLike), "a path (str or pathlib.Path)")
    root = Path(directory).expanduser()  # type: ignore[arg-type]
    if root.exists() and not root.is_dir():
        raise ValueError(f"directory must be a directory, got {str(root)!r}, which is a file")
    return root


def _read_manifest(path: Path, rows: int, seed: int) -> FlightsDataset | None:
    """The cached dataset at ``path``, or None when nothing finished is there."""
    manifest = path / MANIFEST
    if not manifest.is_file():
        return None
    try:
        fields = json.loads(manifest.read_text())
        expected = (fields["rows"], fields["seed"], fields["version"])
        dataset = FlightsDataset(
            **{k: v for k, v in fields.items() if k not in ("version", "path", "cached")},
            path=path,
            cached=True,
        )
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"the cached dataset {str(path)!r} has a malformed {MANIFEST} ({error}); "
            "delete that directory to generate it again"
        ) from error
    if expected != (rows, seed, GENERATOR_VERSION):
        raise ValueError(
            f"the cached dataset {str(path)!r} describes rows, seed, version {expected}, "
            f"not {(rows, seed, GENERATOR_VERSION)}; delete that directory"
        )
    return dataset


def _replica_chunks(rows: int, seed: int) -> Iterator[tuple[int, pd.DataFrame]]:
    """Yield ``(replica, frame)`` for ``rows`` rows: whole replicas, then a partial one."""
    base = _base_flights()
    size = len(base)
    replicas = -(-rows // size)
    chunks = iter_replicas(base, replicas, seed=seed, columns=JITTERED_COLUMNS, chunk_rows=size)
    for replica, chunk in enumerate(chunks):
        wanted = min(size, rows - replica * size)
        if wanted < size:
            rng = np.random.default_rng([seed, replica, 1])
            chunk = chunk.iloc[np.sort(rng.choice(size, size=wanted, replace=False))]
        yield replica, chunk.assign(year=np.int16(FIRST_YEAR + replica))


def _write(rows: int, seed: int, destination: Path) -> None:
    """Write the dataset into ``destination`` (a fresh directory), one replica at a time."""
    schema = _schema()
    for replica, chunk in _replica_chunks(rows, seed):
        table = pa.Table.from_pandas(chunk, schema=schema, preserve_index=False)
        pq.write_to_dataset(
            table,
            root_path=str(destination),
            partition_cols=["year", "month"],
            basename_template=f"part-{replica:05d}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
            use_threads=False,
        )


def generate_flights(
    rows: int, seed: int, directory: str | os.PathLike[str] | None = None
) -> FlightsDataset:
    """Generate (or find cached) ``rows`` flights as hive-partitioned Parquet.

    Parameters
    ----------
    rows
        Number of rows, at least 1; a multiple of 336,776 gives whole replicas (years).
    seed
        Seed of the jitter and of the resampled rows of a partial last replica.
    directory
        Cache root; the dataset goes to ``directory/flights-rows{rows}-seed{seed}``.
        Default: :func:`cache_directory`.

    Returns
    -------
    FlightsDataset
        Its path, rows, seed, checksum (see :func:`dataset_checksum`), number of files,
        bytes on disk, the seconds the writing took and whether it came from the cache.

    Raises
    ------
    TypeError
        If ``rows`` or ``seed`` is not an integer or ``directory`` is not a path.
    ValueError
        If ``rows`` < 1, the seed is outside ``[0, 2**32)``, ``directory`` is a file or a
        cached dataset's manifest is malformed or describes another dataset.

    Used in chapter 26.
    """
    rows = require_int("rows", rows, minimum=1)
    seed = require_seed("seed", seed)
    root = _target_root(directory)
    path = root / f"flights-rows{rows}-seed{seed}"
    cached = _read_manifest(path, rows, seed)
    if cached is not None:
        return cached
    root.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=root))
    try:
        _write(rows, seed, staging)
        files = sorted(staging.rglob("*.parquet"))
        dataset = FlightsDataset(
            path=path,
            rows=rows,
            seed=seed,
            checksum=dataset_checksum(staging),
            files=len(files),
            bytes=sum(file.stat().st_size for file in files),
            seconds=time.perf_counter() - start,
            cached=False,
        )
        fields = {k: v for k, v in asdict(dataset).items() if k not in ("path", "cached")}
        (staging / MANIFEST).write_text(json.dumps({**fields, "version": GENERATOR_VERSION}))
        if path.exists():  # an unfinished dataset (no manifest) from an interrupted run
            shutil.rmtree(path)
        staging.rename(path)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return dataset
