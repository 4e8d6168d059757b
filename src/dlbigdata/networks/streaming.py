"""Stream training batches from Parquet files into Keras, without loading the table.

A table too large for memory is written once as a Parquet data set partitioned by a
column (one folder per value, ``month=1/``, ``month=2/``, ...), then read back batch by
batch: :func:`parquet_batches` yields NumPy ``(features, label)`` batches, and
:func:`parquet_dataset` wraps the same generator as a ``tf.data.Dataset`` that
``model.fit`` consumes. Only one read chunk (``read_rows`` rows) and one batch are in
memory at a time.

Used in chapter 04 and by the case-study chapters.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads

from dlbigdata._validation import (
    require_columns,
    require_frame,
    require_int,
    require_names,
    require_seed,
    require_string,
    require_type,
)

__all__ = [
    "count_parquet_rows",
    "parquet_batches",
    "parquet_dataset",
    "write_partitioned_parquet",
]


def _require_directory(name: str, value: Any) -> Path:
    """Return ``value`` as a Path (TypeError unless it is a str or a Path)."""
    value = require_type(name, value, (str, Path), "a path (str or pathlib.Path)")
    return Path(value)


def write_partitioned_parquet(
    frame: pd.DataFrame, directory: str | Path, partition_by: str | Sequence[str]
) -> list[Path]:
    """Write ``frame`` as a Hive-partitioned Parquet data set; return the files written.

    Parameters
    ----------
    frame : pandas.DataFrame
        Non-empty table; its index is not written.
    directory : str or pathlib.Path
        Folder to create (or an existing empty one). A folder that already holds files is
        refused, so that old partitions never mix with new ones.
    partition_by : str or sequence of str
        Column(s) whose values name the sub-folders (``month=7/part-0.parquet``). They
        must not hold missing values (such rows would land in a partition named
        ``__HIVE_DEFAULT_PARTITION__`` and read back with a missing key).

    Returns
    -------
    list of pathlib.Path
        The Parquet files, sorted.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``directory`` is not a path.
    ValueError
        If ``frame`` is empty, a partition column is missing or holds missing values,
        every column is a partition column, or ``directory`` is a file or not empty.
    """
    frame = require_frame("frame", frame, allow_empty=False)
    directory = _require_directory("directory", directory)
    if isinstance(partition_by, str):
        partition_by = [partition_by]
    columns = require_names("partition_by", partition_by)
    require_columns("frame", frame, columns)
    if len(columns) >= frame.shape[1]:
        raise ValueError(
            f"partition_by must leave at least one column to store, got {columns!r} "
            f"for the columns {list(frame.columns)!r}"
        )
    missing = {column: int(frame[column].isna().sum()) for column in columns}
    missing = {column: count for column, count in missing.items() if count}
    if missing:
        raise ValueError(
            f"partition_by columns must have no missing values, got {missing!r} "
            "missing values per column"
        )
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ValueError(f"directory must be a new or empty folder, got {str(directory)!r}")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pads.write_dataset(
        table,
        directory,
        format="parquet",
        partitioning=columns,
        partitioning_flavor="hive",
        existing_data_behavior="error",
    )
    return sorted(directory.rglob("*.parquet"))


def _open_dataset(directory: Any) -> pads.Dataset:
    """Open a Hive-partitioned Parquet folder (ValueError if it holds no readable file)."""
    directory = _require_directory("directory", directory)
    if not directory.is_dir():
        raise ValueError(f"directory must be an existing folder, got {str(directory)!r}")
    if not any(directory.rglob("*.parquet")):
        raise ValueError(f"directory holds no .parquet file: {str(directory)!r}")
    try:
        dataset = pads.dataset(directory, format="parquet", partitioning="hive")
        for fragment in dataset.get_fragments():
            fragment.ensure_complete_metadata()  # reads every footer now
    except pa.ArrowInvalid as error:
        raise ValueError(
            f"directory {str(directory)!r} holds a malformed Parquet file: {error}"
        ) from error
    return dataset


def count_parquet_rows(directory: str | Path) -> int:
    """Number of rows in the Parquet files under ``directory``, read from their metadata.

    Raises ValueError if the folder does not exist or holds no (readable) Parquet file.
    Used in chapter 04.
    """
    return int(_open_dataset(directory).count_rows())


def _require_numeric_columns(dataset: pads.Dataset, columns: list[str]) -> None:
    """ValueError unless every column exists in the data set and is numeric or boolean."""
    schema = dataset.schema
    absent = [column for column in columns if column not in schema.names]
    if absent:
        raise ValueError(
            f"columns {absent!r} are not in the Parquet data, which has {schema.names!r}"
        )
    for column in columns:
        kind = schema.field(column).type
        if not (
            pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
        ):
            raise ValueError(
                f"column {column!r} must be numeric or boolean, got Parquet type {kind}"
            )


def _block(record_batch: pa.RecordBatch, columns: list[str], path: str) -> np.ndarray:
    """The columns of a record batch as a float32 matrix (ValueError for NaN or infinity)."""
    block = np.column_stack(
        [record_batch.column(name).to_numpy(zero_copy_only=False) for name in columns]
    ).astype(np.float32)
    if not np.isfinite(block).all():
        bad = [name for j, name in enumerate(columns) if not np.isfinite(block[:, j]).all()]
        raise ValueError(f"columns {bad!r} hold missing or infinite values in {path!r}")
    return block


def _chunks(
    dataset: pads.Dataset, columns: list[str], rows: int, rng: np.random.Generator | None
) -> Iterator[np.ndarray]:
    """Yield float32 blocks of the columns: file after file, or interleaved when ``rng``.

    With ``rng``, each block comes from a randomly chosen file that still has rows, so
    consecutive blocks mix the files (months) instead of reading one file to its end.
    """
    fragments = sorted(dataset.get_fragments(), key=lambda fragment: fragment.path)
    readers = [
        (
            fragment.path,
            iter(fragment.to_batches(columns=columns, batch_size=rows, schema=dataset.schema)),
        )
        for fragment in fragments
    ]
    while readers:
        position = int(rng.integers(len(readers))) if rng is not None else 0
        path, reader = readers[position]
        record_batch = next(reader, None)
        if record_batch is None:
            readers.pop(position)
        elif record_batch.num_rows:
            yield _block(record_batch, columns, path)


def _mix(
    blocks: Iterator[np.ndarray], pool_rows: int, rng: np.random.Generator
) -> Iterator[np.ndarray]:
    """Gather blocks into pools of at least ``pool_rows`` rows and shuffle each pool."""
    pool: list[np.ndarray] = []
    held = 0
    for block in blocks:
        pool.append(block)
        held += len(block)
        if held >= pool_rows:
            mixed = np.concatenate(pool)
            yield mixed[rng.permutation(len(mixed))]
            pool, held = [], 0
    if pool:
        mixed = np.concatenate(pool)
        yield mixed[rng.permutation(len(mixed))]


def parquet_batches(
    directory: str | Path,
    features: Sequence[str],
    label: str,
    *,
    batch_size: int = 1024,
    read_rows: int = 65_536,
    seed: int | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(features, label)`` NumPy batches streamed from a Parquet folder.

    Every batch holds ``batch_size`` rows (the last one fewer); a batch may span files.
    Columns are returned as float32, features in the order given.

    Parameters
    ----------
    directory : str or pathlib.Path
        Folder written by :func:`write_partitioned_parquet` (partition columns such as
        ``month`` can be used as features).
    features : sequence of str
        Numeric or boolean feature columns; ``label`` must not be among them.
    label : str
        Numeric or boolean label column.
    batch_size : int, default 1024
        Rows per batch.
    read_rows : int, default 65536
        Rows held in memory besides one batch: the size of a read chunk, or, with a
        ``seed``, of the shuffle pool.
    seed : int, optional
        When given, rows are shuffled reproducibly: chunks of ``batch_size`` rows are
        read from randomly chosen files (interleaving them, so that a batch mixes the
        partitions) and shuffled together in pools of ``read_rows`` rows. Otherwise the
        files are read one after another in sorted path order, rows as stored.

    Raises
    ------
    TypeError, ValueError
        For a bad argument, a missing or non-numeric column, or a malformed file; and,
        while streaming, ValueError for a missing or infinite value.
    """
    features = require_names("features", features)
    label = require_string("label", label)
    if label in features:
        raise ValueError(f"label must not be one of the features, got {label!r}")
    batch_size = require_int("batch_size", batch_size, minimum=1)
    read_rows = require_int("read_rows", read_rows, minimum=1)
    rng = None if seed is None else np.random.default_rng(require_seed("seed", seed))
    columns = [*features, label]
    dataset = _open_dataset(directory)
    _require_numeric_columns(dataset, columns)
    if rng is None:
        return _rebatch(_chunks(dataset, columns, read_rows, None), batch_size)
    blocks = _chunks(dataset, columns, min(batch_size, read_rows), rng)
    return _rebatch(_mix(blocks, read_rows, rng), batch_size)


def _rebatch(
    blocks: Iterator[np.ndarray], batch_size: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Cut a stream of row blocks into batches of exactly ``batch_size`` rows."""
    pending = np.empty((0, 0), dtype=np.float32)
    for block in blocks:
        pending = block if pending.size == 0 else np.concatenate([pending, block])
        while len(pending) >= batch_size:
            batch, pending = pending[:batch_size], pending[batch_size:]
            yield batch[:, :-1], batch[:, -1]
    if len(pending):
        yield pending[:, :-1], pending[:, -1]


def parquet_dataset(
    directory: str | Path,
    features: Sequence[str],
    label: str,
    *,
    batch_size: int = 1024,
    read_rows: int = 65_536,
    seed: int | None = None,
) -> Any:
    """A ``tf.data.Dataset`` of ``(features, label)`` batches streamed from Parquet.

    The arguments are those of :func:`parquet_batches`, checked when the data set is
    built (not at the first batch). Each pass over the data set (each epoch) reads the
    files again; with a ``seed``, each pass shuffles differently, reproducibly.
    The data set knows its length, ``ceil(rows / batch_size)`` batches, so Keras
    can count the steps of an epoch. Elements are ``(float32[batch, n_features], float32[batch])``.
    Used in chapter 04.
    """
    import tensorflow as tf

    arguments = {"batch_size": batch_size, "read_rows": read_rows}
    names = require_names("features", features)
    parquet_batches(directory, names, label, seed=seed, **arguments)  # validates now
    passes = itertools.count()

    def generate() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        number = next(passes)
        pass_seed = None
        if seed is not None:
            state = np.random.SeedSequence([seed, number]).generate_state(1)
            pass_seed = int(state[0])
        yield from parquet_batches(directory, names, label, seed=pass_seed, **arguments)

    signature = (
        tf.TensorSpec(shape=(None, len(names)), dtype=tf.float32),
        tf.TensorSpec(shape=(None,), dtype=tf.float32),
    )
    dataset = tf.data.Dataset.from_generator(generate, output_signature=signature)
    rows = count_parquet_rows(directory)
    steps = -(-rows // require_int("batch_size", batch_size, minimum=1))
    return dataset.apply(tf.data.experimental.assert_cardinality(steps))
