"""MapReduce written out: map over partitions in worker processes, shuffle, reduce.

A job is three plain functions. The *mapper* turns one partition (a slice of the data) into
``(key, value)`` pairs; the *shuffle* groups every value by its key across all partitions;
the *reducer* folds the values of one key into one result. :func:`map_reduce` runs the
mappers in a :class:`concurrent.futures.ProcessPoolExecutor` and always shuts it down.

Worker processes receive the mapper by pickling, which stores a function by its module and
name. Under the ``spawn`` and ``forkserver`` start methods (the defaults on macOS, Windows
and, from Python 3.14, Linux) a worker re-imports that module, so a function defined in a
notebook (module ``__main__``) cannot be found there and the job would fail inside the
worker. :func:`map_reduce` therefore refuses such a mapper up front with a clear message,
whatever the start method, so a job that runs on Linux runs on macOS and Windows too; the
mappers and reducers a chapter needs live here, in an importable module. ``fork`` (Linux)
starts workers fastest, since they inherit the imported modules instead of importing them.

Used in chapter 08.
"""

from __future__ import annotations

import itertools
import multiprocessing
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dlbigdata._validation import (
    require_callable,
    require_choice,
    require_columns,
    require_frame,
    require_int,
    require_string,
    require_type,
)

__all__ = [
    "START_METHODS",
    "GroupCountSum",
    "count_words",
    "map_reduce",
    "partition_frame",
    "shuffle",
    "sum_columns",
    "sum_values",
    "words_of",
]

START_METHODS = ("spawn", "forkserver", "fork")
"""Start methods :func:`map_reduce` accepts (those of :mod:`multiprocessing`)."""

_WORD = re.compile(r"[a-z][a-z']*")

Pair = tuple[Hashable, Any]


def partition_frame(frame: pd.DataFrame, partitions: int) -> list[pd.DataFrame]:
    """Split a table into ``partitions`` consecutive slices of (nearly) equal size.

    Every row lands in exactly one slice and the order is kept; with more partitions than
    rows some slices are empty.

    Used in chapter 08.
    """
    frame = require_frame("frame", frame)
    partitions = require_int("partitions", partitions, minimum=1)
    bounds = np.linspace(0, len(frame), partitions + 1).round().astype(int)
    return [frame.iloc[start:stop] for start, stop in itertools.pairwise(bounds)]


def shuffle(mapped: Iterable[Iterable[Pair]]) -> dict[Hashable, list[Any]]:
    """Group the ``(key, value)`` pairs of every mapper output by key.

    Keys appear in the order they are first met; the values of a key keep the order of
    the partitions, so a reducer that is not commutative still sees a fixed order.

    Used in chapter 08.
    """
    groups: dict[Hashable, list[Any]] = {}
    for position, pairs in enumerate(mapped):
        for pair in pairs:
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise ValueError(
                    f"mapper output {position} must hold (key, value) pairs, got {pair!r}"
                )
            groups.setdefault(pair[0], []).append(pair[1])
    return groups


def sum_values(key: Hashable, values: list[Any]) -> Any:
    """Reducer: the sum of a key's values (counts, totals).

    Used in chapter 08.
    """
    return sum(values)


def sum_columns(key: Hashable, values: list[tuple[float, ...]]) -> tuple[float, ...]:
    """Reducer: the element-wise sum of a key's equal-length tuples, e.g. ``(count, total)``.

    Used in chapter 08.
    """
    return tuple(float(sum(column)) for column in zip(*values, strict=True))


@dataclass(frozen=True)
class GroupCountSum:
    """Mapper: per group of ``key``, the pair ``(rows, sum of value)`` of one partition.

    Rows whose ``value`` is missing are left out of both numbers, as SQL's ``COUNT(value)``
    and ``SUM(value)`` leave them out. The mapper combines its partition locally (what
    Hadoop calls a *combiner*), so it emits one pair per group, not one per row.

    Parameters
    ----------
    key
        Column whose values are the keys.
    value
        Numeric column summed per key.

    Used in chapter 08.
    """

    key: str
    value: str

    def __post_init__(self) -> None:
        require_string("key", self.key)
        require_string("value", self.value)

    def __call__(self, partition: pd.DataFrame) -> list[Pair]:
        """Map one partition to ``[(key, (rows, total)), ...]``."""
        partition = require_frame("partition", partition)
        require_columns("partition", partition, [self.key, self.value])
        present = partition[[self.key, self.value]].dropna(subset=[self.value])
        grouped = present.groupby(self.key, observed=True, sort=False)[self.value]
        table = grouped.agg(["count", "sum"])
        return [
            (group, (float(rows), float(total)))
            for group, rows, total in zip(table.index, table["count"], table["sum"], strict=True)
        ]


def words_of(text: str) -> list[str]:
    """The lower-case words of a text: letters and apostrophes, links and handles dropped.

    Used in chapter 08.
    """
    text = require_string("text", text, allow_empty=True)
    kept = " ".join(part for part in text.split() if not part.startswith(("http", "@", "&")))
    return _WORD.findall(kept.lower())


def count_words(texts: Sequence[str]) -> list[Pair]:
    """Mapper of the word count: ``(word, count)`` for every word of a partition of texts.

    Used in chapter 08.
    """
    if isinstance(texts, str):
        raise TypeError(f"texts must be a sequence of texts, got the single string {texts!r}")
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words_of(text))
    return list(counts.items())


def _require_importable(name: str, function: Callable[..., Any]) -> None:
    """Refuse a function that a worker started by spawn could not import."""
    owner = function if hasattr(function, "__qualname__") else type(function)
    module = getattr(owner, "__module__", None)
    qualified = getattr(owner, "__qualname__", repr(owner))
    if module in (None, "__main__") or "<lambda>" in qualified or "<locals>" in qualified:
        raise ValueError(
            f"{name} must be importable by a worker process (defined at the top level of "
            f"a module, not in a notebook, a lambda or another function), got "
            f"{qualified!r} from module {module!r}; move it into a module or use "
            "processes=1"
        )


def map_reduce(
    partitions: Sequence[Any],
    mapper: Callable[[Any], Iterable[Pair]],
    reducer: Callable[[Hashable, list[Any]], Any],
    *,
    processes: int = 2,
    start_method: str = "spawn",
) -> dict[Hashable, Any]:
    """Run a MapReduce job: map every partition, shuffle the pairs, reduce every key.

    Parameters
    ----------
    partitions
        The slices of the data, one mapper call each (a list; see :func:`partition_frame`).
    mapper
        ``mapper(partition) -> [(key, value), ...]``. With ``processes > 1`` it must be
        importable by a worker (defined at module level, not in a notebook), whatever
        the start method.
    reducer
        ``reducer(key, values) -> result``, run in this process after the shuffle.
    processes
        Worker processes for the map phase; 1 maps in this process (no pool, no pickling).
    start_method
        How workers start: ``"spawn"`` (default, works on every platform), ``"forkserver"``
        or ``"fork"`` (Unix only).

    Returns
    -------
    dict
        ``{key: reducer(key, values)}``, keys in the order the shuffle first met them.

    Raises
    ------
    ValueError
        If a mapper could not be imported by a worker, or an argument is out of range.

    Used in chapter 08.
    """
    partitions = list(
        require_type("partitions", partitions, (list, tuple), "a list of partitions")
    )
    require_callable("mapper", mapper)
    require_callable("reducer", reducer)
    processes = require_int("processes", processes, minimum=1)
    start_method = require_choice("start_method", start_method, START_METHODS)
    if processes == 1:
        mapped = [mapper(partition) for partition in partitions]
    else:
        _require_importable("mapper", mapper)
        context = multiprocessing.get_context(start_method)
        with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
            mapped = list(pool.map(mapper, partitions))
    return {key: reducer(key, values) for key, values in shuffle(mapped).items()}
