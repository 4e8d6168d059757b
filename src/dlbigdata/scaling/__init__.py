"""Scaling up and out: grow a real table to any size, stream it, query it on four engines.

Chapter 03 measures the "V's" of big data with these helpers; chapter 26 reuses them at
tens of millions of rows and runs the same query in pandas, Polars, DuckDB and Spark (on
``local[2]`` and on a real standalone cluster on 127.0.0.1). Modules:

- :mod:`~dlbigdata.scaling.replication`: :func:`replicate_flights` and
  :func:`iter_replicas` (seeded, jittered replicas of a table, chunk by chunk), with the
  default jittered columns :data:`DELAY_COLUMNS`;
- :mod:`~dlbigdata.scaling.streaming`: :func:`event_batches` (replay a table as a stream
  in time order), :func:`tumbling_window_stream` and :func:`tumbling_windows` (counts and
  sums per tumbling window, emitted as windows close);
- :mod:`~dlbigdata.scaling.generate`: :func:`generate_flights` writes a seeded, cached,
  hive-partitioned Parquet data set of any number of rows (:class:`FlightsDataset`,
  :func:`dataset_checksum`, :func:`cache_directory`, :data:`FLIGHT_COLUMNS`);
- :mod:`~dlbigdata.scaling.engines`: the delay report (:data:`DELAY_REPORT_SQL`) in each
  of :data:`ENGINES` through :func:`delay_report`, answers made comparable by
  :func:`canonical_report`;
- :mod:`~dlbigdata.scaling.measure`: :func:`measure_engine` runs one engine in a fresh
  process (optionally under a memory cap) and returns an :class:`EngineRun`;
- :mod:`~dlbigdata.scaling.spark`: :func:`spark_session` (master from ``SPARK_MASTER``,
  default ``local[2]``; :class:`JavaNotFoundError` says how to install Java),
  :func:`stop_spark`, :class:`StandaloneCluster`, :func:`job_task_counts` and
  :func:`spark_executors`;
- :mod:`~dlbigdata.scaling.hardware`: this CPU's theoretical peak
  (:func:`read_cpu`, :func:`parse_cpuinfo`, :class:`CpuInfo`, :func:`flops_per_cycle`,
  :data:`FLOPS_PER_CYCLE`, :func:`theoretical_peak_gflops`) and measured matrix-product
  throughput (:func:`matmul_flops`, :func:`matmul_gflops`), for chapter 27.

PySpark and Polars are imported only when an engine that needs them runs.

Every public name is re-exported here: ``from dlbigdata.scaling import tumbling_windows``.
"""

from dlbigdata.scaling.engines import (
    DELAY_REPORT_SQL,
    ENGINES,
    canonical_report,
    delay_report,
)
from dlbigdata.scaling.generate import (
    FLIGHT_COLUMNS,
    FlightsDataset,
    cache_directory,
    dataset_checksum,
    generate_flights,
)
from dlbigdata.scaling.hardware import (
    FLOPS_PER_CYCLE,
    CpuInfo,
    flops_per_cycle,
    matmul_flops,
    matmul_gflops,
    parse_cpuinfo,
    read_cpu,
    theoretical_peak_gflops,
)
from dlbigdata.scaling.measure import EngineRun, measure_engine
from dlbigdata.scaling.replication import DELAY_COLUMNS, iter_replicas, replicate_flights
from dlbigdata.scaling.spark import (
    JavaNotFoundError,
    StandaloneCluster,
    job_task_counts,
    spark_executors,
    spark_session,
    stop_spark,
)
from dlbigdata.scaling.streaming import event_batches, tumbling_window_stream, tumbling_windows

__all__ = [
    "DELAY_COLUMNS",
    "DELAY_REPORT_SQL",
    "ENGINES",
    "FLIGHT_COLUMNS",
    "FLOPS_PER_CYCLE",
    "CpuInfo",
    "EngineRun",
    "FlightsDataset",
    "JavaNotFoundError",
    "StandaloneCluster",
    "cache_directory",
    "canonical_report",
    "dataset_checksum",
    "delay_report",
    "event_batches",
    "flops_per_cycle",
    "generate_flights",
    "iter_replicas",
    "job_task_counts",
    "matmul_flops",
    "matmul_gflops",
    "measure_engine",
    "parse_cpuinfo",
    "read_cpu",
    "replicate_flights",
    "spark_executors",
    "spark_session",
    "stop_spark",
    "theoretical_peak_gflops",
    "tumbling_window_stream",
    "tumbling_windows",
]
