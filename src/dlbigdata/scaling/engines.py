"""One warehouse query, five engines: pandas, Polars, DuckDB, Spark DataFrames, Spark SQL.

The query is chapter 17's kind of report over the partitioned flights of
:func:`~dlbigdata.scaling.generate_flights`: for every carrier and month, the number of
flights with an arrival, the number of distinct aircraft, the mean arrival delay and the
share of arrivals more than 15 minutes late, joined to the airline's name, and ranked
within each month by mean delay (a window function). Every engine returns the same
*canonical* pandas frame (:func:`canonical_report`), so the answers can be asserted equal.

Spark's results come back through Arrow (``DataFrame.toArrow``), the one conversion PySpark
supports with pandas 3.

Used in chapter 26.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from dlbigdata._validation import require_choice, require_columns, require_frame, require_type

__all__ = [
    "DELAY_REPORT_SQL",
    "ENGINES",
    "REPORT_COLUMNS",
    "canonical_report",
    "delay_report",
    "delay_report_duckdb",
    "delay_report_pandas",
    "delay_report_polars",
    "delay_report_spark",
    "delay_report_spark_sql",
]

ENGINES = ("pandas", "polars", "duckdb", "spark", "spark_sql")
"""The engines :func:`delay_report` runs (``spark``: the DataFrame API)."""

REPORT_COLUMNS = {
    "month": "int64",
    "carrier": "str",
    "name": "str",
    "flights": "int64",
    "aircraft": "int64",
    "mean_arr_delay": "float64",
    "late_share": "float64",
    "rank_in_month": "int64",
}
"""Columns and dtypes of the canonical report, sorted by month and carrier."""

DELAY_REPORT_SQL = """
WITH monthly AS (
    SELECT carrier, month,
           COUNT(*) AS flights,
           COUNT(DISTINCT tailnum) AS aircraft,
           AVG(arr_delay) AS mean_arr_delay,
           AVG(CAST(arr_delay > 15 AS DOUBLE)) AS late_share
    FROM flights
    WHERE arr_delay IS NOT NULL
    GROUP BY carrier, month
)
SELECT m.month, m.carrier, a.name, m.flights, m.aircraft,
       m.mean_arr_delay, m.late_share,
       RANK() OVER (PARTITION BY m.month ORDER BY m.mean_arr_delay)
           AS rank_in_month
FROM monthly AS m
JOIN airlines AS a ON a.carrier = m.carrier
ORDER BY m.month, rank_in_month
""".strip()
"""The report in SQL, the same text for DuckDB and Spark SQL (tables ``flights``,
``airlines``)."""


def canonical_report(report: pd.DataFrame) -> pd.DataFrame:
    """The report with canonical dtypes, sorted by month and carrier, a fresh index.

    Raises ValueError if a column of :data:`REPORT_COLUMNS` is missing. Used in chapter 26.
    """
    report = require_frame("report", report)
    require_columns("report", report, REPORT_COLUMNS)
    frame = pd.DataFrame({column: report[column].to_numpy() for column in REPORT_COLUMNS})
    frame = frame.astype(REPORT_COLUMNS)
    return frame.sort_values(["month", "carrier"], ignore_index=True)


def _dataset(path: object) -> Path:
    """A dataset directory as a Path, refused when it is missing or a file."""
    require_type("path", path, (str, os.PathLike), "a path (str or pathlib.Path)")
    directory = Path(path)  # type: ignore[arg-type]
    if not directory.is_dir():
        raise ValueError(f"path must be a dataset directory, got {str(directory)!r}")
    return directory


def _airlines(airlines: object) -> pd.DataFrame:
    """The airlines dimension: columns ``carrier`` and ``name`` as strings."""
    frame = require_frame("airlines", airlines, allow_empty=False)
    require_columns("airlines", frame, ["carrier", "name"])
    return frame[["carrier", "name"]].astype(str)


def delay_report_pandas(path: str | os.PathLike[str], airlines: pd.DataFrame) -> pd.DataFrame:
    """The delay report with pandas: read the needed columns, group, merge, rank.

    Used in chapter 26.
    """
    directory, names = _dataset(path), _airlines(airlines)
    flights = pd.read_parquet(directory, columns=["month", "carrier", "tailnum", "arr_delay"])
    flights = flights[flights["arr_delay"].notna()]
    flights = flights.assign(month=flights["month"].astype("int64"))
    flights["late"] = (flights["arr_delay"] > 15).astype("float64")
    monthly = flights.groupby(["carrier", "month"], as_index=False, observed=True).agg(
        flights=("arr_delay", "size"),
        aircraft=("tailnum", "nunique"),
        mean_arr_delay=("arr_delay", "mean"),
        late_share=("late", "mean"),
    )
    report = monthly.merge(names, on="carrier", how="inner")
    ranks = report.groupby("month")["mean_arr_delay"].rank(method="min")
    return canonical_report(report.assign(rank_in_month=ranks.astype("int64")))


def delay_report_polars(
    path: str | os.PathLike[str], airlines: pd.DataFrame, *, streaming: bool = True
) -> pd.DataFrame:
    """The delay report with Polars' lazy API (streaming engine unless told otherwise).

    Used in chapter 26.
    """
    import polars as pl

    directory, names = _dataset(path), _airlines(airlines)
    flights = pl.scan_parquet(directory / "**" / "*.parquet", hive_partitioning=True)
    monthly = (
        flights.filter(pl.col("arr_delay").is_not_null())
        .group_by("carrier", "month")
        .agg(
            pl.len().alias("flights"),
            pl.col("tailnum").drop_nulls().n_unique().alias("aircraft"),
            pl.col("arr_delay").mean().alias("mean_arr_delay"),
            (pl.col("arr_delay") > 15).cast(pl.Float64).mean().alias("late_share"),
        )
    )
    report = monthly.join(pl.from_pandas(names).lazy(), on="carrier").with_columns(
        pl.col("mean_arr_delay").rank("min").over("month").alias("rank_in_month")
    )
    collected = report.collect(engine="streaming") if streaming else report.collect()
    return canonical_report(collected.to_pandas())


def delay_report_duckdb(
    path: str | os.PathLike[str], airlines: pd.DataFrame, *, con: Any = None
) -> pd.DataFrame:
    """The delay report with DuckDB: :data:`DELAY_REPORT_SQL` over views of the files.

    ``con`` is a DuckDB connection (its settings, e.g. ``memory_limit``, apply); default: a
    new in-memory one. Used in chapter 26.
    """
    import duckdb
    import pyarrow as pa

    directory, names = _dataset(path), _airlines(airlines)
    connection = duckdb.connect() if con is None else con
    pattern = str(directory / "**" / "*.parquet").replace("'", "''")
    connection.execute(
        "CREATE OR REPLACE TEMP VIEW flights AS SELECT * FROM "
        f"read_parquet('{pattern}', hive_partitioning = true)"
    )
    connection.register("airlines", pa.Table.from_pandas(names, preserve_index=False))
    try:
        return canonical_report(connection.sql(DELAY_REPORT_SQL).arrow().read_pandas())
    finally:
        connection.unregister("airlines")
        if con is None:
            connection.close()


def _spark_airlines(spark: Any, names: pd.DataFrame) -> Any:
    """The airlines as a Spark DataFrame, built from Arrow (no pandas conversion)."""
    import pyarrow as pa

    return spark.createDataFrame(pa.Table.from_pandas(names, preserve_index=False))


def _spark_session(spark: Any) -> Any:
    """``spark`` if it is a SparkSession, else TypeError."""
    from pyspark.sql import SparkSession

    return require_type("spark", spark, SparkSession, "a pyspark SparkSession")


def delay_report_spark(
    spark: Any, path: str | os.PathLike[str], airlines: pd.DataFrame
) -> pd.DataFrame:
    """The delay report with Spark's DataFrame API, collected through Arrow.

    Used in chapter 26.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    spark, directory, names = _spark_session(spark), _dataset(path), _airlines(airlines)
    flights = spark.read.parquet(str(directory))
    monthly = (
        flights.where(F.col("arr_delay").isNotNull())
        .groupBy("carrier", "month")
        .agg(
            F.count("*").alias("flights"),
            F.countDistinct("tailnum").alias("aircraft"),
            F.avg("arr_delay").alias("mean_arr_delay"),
            F.avg((F.col("arr_delay") > 15).cast("double")).alias("late_share"),
        )
    )
    by_month = Window.partitionBy("month").orderBy("mean_arr_delay")
    report = monthly.join(_spark_airlines(spark, names), "carrier").withColumn(
        "rank_in_month", F.rank().over(by_month)
    )
    return canonical_report(report.toArrow().to_pandas())


def delay_report_spark_sql(
    spark: Any, path: str | os.PathLike[str], airlines: pd.DataFrame
) -> pd.DataFrame:
    """The delay report with Spark SQL: :data:`DELAY_REPORT_SQL` over temporary views.

    Used in chapter 26.
    """
    spark, directory, names = _spark_session(spark), _dataset(path), _airlines(airlines)
    spark.read.parquet(str(directory)).createOrReplaceTempView("flights")
    _spark_airlines(spark, names).createOrReplaceTempView("airlines")
    return canonical_report(spark.sql(DELAY_REPORT_SQL).toArrow().to_pandas())


def delay_report(
    engine: str, path: str | os.PathLike[str], airlines: pd.DataFrame, *, spark: Any = None
) -> pd.DataFrame:
    """The delay report computed by one of :data:`ENGINES` (Spark ones need ``spark``).

    Raises ValueError for an unknown engine or a Spark engine without a session. Used in
    chapter 26.
    """
    engine = require_choice("engine", engine, ENGINES)
    if engine in ("spark", "spark_sql") and spark is None:
        raise ValueError(f"engine {engine!r} needs a SparkSession: pass spark=spark_session()")
    if engine == "pandas":
        return delay_report_pandas(path, airlines)
    if engine == "polars":
        return delay_report_polars(path, airlines)
    if engine == "duckdb":
        return delay_report_duckdb(path, airlines)
    if engine == "spark":
        return delay_report_spark(spark, path, airlines)
    return delay_report_spark_sql(spark, path, airlines)
