"""Tests of dlbigdata.scaling.engines and measure: one query, five engines, equal answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dlbigdata.datasets import load
from dlbigdata.scaling.engines import (
    REPORT_COLUMNS,
    canonical_report,
    delay_report,
    delay_report_duckdb,
    delay_report_pandas,
    delay_report_polars,
)
from dlbigdata.scaling.generate import generate_flights
from dlbigdata.scaling.measure import measure_engine


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return generate_flights(4_000, 1, tmp_path_factory.mktemp("flights"))


@pytest.fixture(scope="module")
def airlines():
    return load("airlines")


@pytest.fixture(scope="module")
def expected(dataset):
    """The report computed group by group with NumPy, ranks counted by hand."""
    flights = pd.read_parquet(dataset.path)
    flights = flights[flights["arr_delay"].notna()]
    names = dict(load("airlines")[["carrier", "name"]].itertuples(index=False))
    rows = []
    for (carrier, month), group in flights.groupby(["carrier", "month"], observed=True):
        delays = group["arr_delay"].to_numpy()
        rows.append(
            {
                "month": int(month),
                "carrier": carrier,
                "name": names[carrier],
                "flights": len(delays),
                "aircraft": group["tailnum"].dropna().nunique(),
                "mean_arr_delay": float(np.mean(delays)),
                "late_share": float(np.mean(delays > 15)),
            }
        )
    table = pd.DataFrame(rows)
    table["rank_in_month"] = [
        1 + int((table.loc[table["month"] == m, "mean_arr_delay"] < d).sum())
        for m, d in zip(table["month"], table["mean_arr_delay"], strict=True)
    ]
    return canonical_report(table)


@pytest.mark.parametrize("engine", ["pandas", "polars", "duckdb"])
def test_local_engines_agree_with_the_hand_computation(engine, dataset, airlines, expected):
    report = delay_report(engine, dataset.path, airlines)
    assert list(report.columns) == list(REPORT_COLUMNS)
    pd.testing.assert_frame_equal(report, expected)


def test_polars_in_memory_equals_streaming(dataset, airlines):
    pd.testing.assert_frame_equal(
        delay_report_polars(dataset.path, airlines, streaming=False),
        delay_report_polars(dataset.path, airlines),
    )


def test_duckdb_uses_the_connection_it_is_given(dataset, airlines, expected):
    import duckdb

    con = duckdb.connect(config={"memory_limit": "200MB", "threads": 1})
    pd.testing.assert_frame_equal(delay_report_duckdb(dataset.path, airlines, con=con), expected)
    assert con.sql("SELECT count(*) FROM flights").fetchone()[0] == 4_000  # the view stays
    con.close()


def test_spark_dataframe_and_sql_agree(dataset, airlines, expected):
    from dlbigdata.scaling.spark import spark_session, stop_spark

    spark = spark_session("local[1]", app_name="test-engines")
    try:
        for engine in ("spark", "spark_sql"):
            pd.testing.assert_frame_equal(
                delay_report(engine, dataset.path, airlines, spark=spark), expected
            )
    finally:
        stop_spark(spark)


@pytest.mark.hostile("label_alignment")
def test_canonical_report_sorts_by_label_not_position(expected):
    shuffled = expected.sample(frac=1.0, random_state=0)[list(reversed(REPORT_COLUMNS))]
    pd.testing.assert_frame_equal(canonical_report(shuffled), expected)


@pytest.mark.hostile("bad_input")
def test_engines_reject_bad_input(dataset, airlines, tmp_path):
    with pytest.raises(ValueError, match=r"engine must be one of 'pandas'.*got 'dask'"):
        delay_report("dask", dataset.path, airlines)
    with pytest.raises(ValueError, match="engine 'spark' needs a SparkSession"):
        delay_report("spark", dataset.path, airlines)
    with pytest.raises(ValueError, match=r"path must be a dataset directory, got .*nowhere"):
        delay_report_pandas(tmp_path / "nowhere", airlines)
    with pytest.raises(TypeError, match="path must be a path"):
        delay_report_duckdb(3, airlines)
    with pytest.raises(ValueError, match=r"airlines lacks column\(s\) \['name'\]"):
        delay_report_polars(dataset.path, airlines[["carrier"]])
    with pytest.raises(ValueError, match=r"report lacks column\(s\)"):
        canonical_report(airlines)


def test_measure_engine_runs_in_a_fresh_process(dataset, expected):
    run = measure_engine("duckdb", dataset.path, repeats=2)
    assert run.status == "ok", run.error
    assert run.report_rows == len(expected)
    pd.testing.assert_frame_equal(run.report, expected)
    assert len(run.run_seconds) == 2 and run.query_seconds == min(run.run_seconds)
    assert 0 < run.query_seconds < run.process_seconds
    assert 30 < run.peak_memory_mib < 2_000


def test_polars_streaming_runs_under_a_memory_cap(dataset, expected):
    streaming = measure_engine("polars", dataset.path, memory_cap_mib=64)
    assert streaming.status == "ok" and streaming.report_rows == len(expected), streaming


@pytest.mark.hostile("bad_input")
def test_measure_engine_rejects_bad_input(dataset, tmp_path):
    with pytest.raises(ValueError, match="engine must be one of"):
        measure_engine("excel", dataset.path)
    with pytest.raises(ValueError, match="path must be a dataset directory"):
        measure_engine("pandas", tmp_path / "nowhere")
    with pytest.raises(ValueError, match="memory_cap_mib must be a finite number >= 1, got nan"):
        measure_engine("pandas", dataset.path, memory_cap_mib=float("nan"))
    with pytest.raises(ValueError, match=r"repeats must be an integer >= 1, got 0"):
        measure_engine("pandas", dataset.path, repeats=0)
