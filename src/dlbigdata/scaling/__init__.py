"""Scaling up: grow a real table to any size, process it as a stream of events.

Chapter 03 measures the "V's" of big data with these helpers; the scaling chapter reuses
them at tens of millions of rows. Modules:

- :mod:`~dlbigdata.scaling.replication`: :func:`replicate_flights` and
  :func:`iter_replicas` (seeded, jittered replicas of a table, chunk by chunk), with the
  default jittered columns :data:`DELAY_COLUMNS`;
- :mod:`~dlbigdata.scaling.streaming`: :func:`event_batches` (replay a table as a stream
  in time order), :func:`tumbling_window_stream` and :func:`tumbling_windows` (counts and
  sums per tumbling window, emitted as windows close).

Every public name is re-exported here: ``from dlbigdata.scaling import tumbling_windows``.
"""

from dlbigdata.scaling.replication import DELAY_COLUMNS, iter_replicas, replicate_flights
from dlbigdata.scaling.streaming import event_batches, tumbling_window_stream, tumbling_windows

__all__ = [
    "DELAY_COLUMNS",
    "event_batches",
    "iter_replicas",
    "replicate_flights",
    "tumbling_window_stream",
    "tumbling_windows",
]
