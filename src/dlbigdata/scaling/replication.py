"""Grow a real table to any size: seeded, jittered replicas, produced chunk by chunk.

The flights of New York City in 2013 fill 336,776 rows. To measure how storage and queries
scale, the book replicates them: replica 0 is the table itself, every further replica is a
copy whose delay columns are moved by a small seeded integer jitter, so the copies are not
exact duplicates and compress like real data. Each replica draws from its own generator,
``numpy.random.default_rng([seed, replica])``, so a replica's values do not depend on the
chunk size or on how many replicas come before it, and a 50-million-row table can be
written chunk by chunk without ever being held in memory.

Used in chapter 03.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_columns,
    require_frame,
    require_int,
    require_names,
    require_number,
    require_numeric_column,
    require_seed,
)

__all__ = ["DELAY_COLUMNS", "iter_replicas", "replicate_flights"]

DELAY_COLUMNS = ("dep_delay", "arr_delay")
"""The flights' columns that replicas jitter by default (minutes, may be missing)."""


def _jittered(
    frame: pd.DataFrame, replica: int, seed: int, columns: list[str], scale: float
) -> pd.DataFrame:
    """Replica ``replica`` of ``frame``: its own seeded integer jitter on ``columns``."""
    if replica == 0 or scale == 0:
        return frame.copy()
    rng = np.random.default_rng([seed, replica])
    copy = frame.copy()
    for column in columns:
        noise = np.rint(rng.normal(0.0, scale, size=len(frame)))
        values = copy[column]
        copy[column] = values + noise.astype(values.dtype if values.dtype.kind == "f" else "int64")
    return copy


def _checked(
    frame: pd.DataFrame, factor: int, seed: int, columns: Sequence[str], scale: float
) -> tuple[pd.DataFrame, int, int, list[str], float]:
    """Validate the arguments shared by :func:`iter_replicas` and :func:`replicate_flights`."""
    frame = require_frame("flights", frame, allow_empty=False)
    factor = require_int("factor", factor, minimum=1)
    seed = require_seed("seed", seed)
    names = require_names("columns", columns, allow_empty=True)
    require_columns("flights", frame, names)
    for name in names:
        require_numeric_column("flights", frame, name)
    scale = require_number("scale", scale, minimum=0.0)
    return frame, factor, seed, names, scale


def iter_replicas(
    flights: pd.DataFrame,
    factor: int,
    *,
    seed: int,
    columns: Sequence[str] = DELAY_COLUMNS,
    scale: float = 5.0,
    chunk_rows: int = 1_000_000,
) -> Iterator[pd.DataFrame]:
    """Yield ``factor`` replicas of a table, in chunks of at most ``chunk_rows`` rows.

    Parameters
    ----------
    flights
        The table to replicate (any numeric ``columns`` will do).
    factor
        Number of replicas: the result has ``factor * len(flights)`` rows.
    seed
        Seed of the jitter; replica ``k`` uses ``default_rng([seed, k])``.
    columns
        Numeric columns moved by the jitter (missing values stay missing).
    scale
        Standard deviation of the jitter before rounding to whole units; 0 copies exactly.
    chunk_rows
        Largest chunk yielded; a replica longer than this comes in several chunks.

    Yields
    ------
    pandas.DataFrame
        Consecutive chunks with a fresh ``RangeIndex`` continuing across chunks.

    Used in chapter 03.
    """
    flights, factor, seed, names, scale = _checked(flights, factor, seed, columns, scale)
    chunk_rows = require_int("chunk_rows", chunk_rows, minimum=1)
    return _chunks(flights, factor, seed, names, scale, chunk_rows)


def _chunks(
    flights: pd.DataFrame, factor: int, seed: int, names: list[str], scale: float, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    """The generator behind :func:`iter_replicas` (arguments already checked)."""
    rows = len(flights)
    for replica in range(factor):
        copy = _jittered(flights, replica, seed, names, scale)
        for start in range(0, rows, chunk_rows):
            chunk = copy.iloc[start : start + chunk_rows]
            offset = replica * rows + start
            chunk.index = pd.RangeIndex(offset, offset + len(chunk))
            yield chunk


def replicate_flights(
    flights: pd.DataFrame,
    factor: int,
    *,
    seed: int,
    columns: Sequence[str] = DELAY_COLUMNS,
    scale: float = 5.0,
) -> pd.DataFrame:
    """Return ``factor`` jittered replicas of a table as one frame (see :func:`iter_replicas`).

    Replica 0 is ``flights`` unchanged; dtypes, categories included, are kept. For sizes
    that do not fit in memory, write the chunks of :func:`iter_replicas` one by one.

    Used in chapter 03.
    """
    flights, factor, seed, names, scale = _checked(flights, factor, seed, columns, scale)
    chunks = _chunks(flights, factor, seed, names, scale, len(flights))
    return pd.concat(chunks, ignore_index=True)
