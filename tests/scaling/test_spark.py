"""Tests of dlbigdata.scaling.spark: the session helper and a standalone cluster."""

from __future__ import annotations

import threading
import time

import psutil
import pytest

from dlbigdata.scaling.spark import (
    DEFAULT_MASTER,
    JavaNotFoundError,
    StandaloneCluster,
    java_executable,
    job_task_counts,
    spark_executors,
    spark_session,
    stop_spark,
)


def spark_jvms() -> list[psutil.Process]:
    """Live JVMs of Spark (drivers, masters, workers, executors) on this machine."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        try:
            line = " ".join(process.info["cmdline"] or [])
            spark = "java" in (process.info["name"] or "") and "org.apache.spark" in line
            if spark and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.NoSuchProcess:
            continue
    return found


def test_missing_java_gives_a_clear_error(monkeypatch):
    monkeypatch.setenv("JAVA_HOME", "")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(JavaNotFoundError, match=r"no `java` on PATH.*openjdk"):
        java_executable()
    with pytest.raises(JavaNotFoundError, match="conda install -c conda-forge openjdk"):
        spark_session("local[1]")


def test_a_java_home_without_java_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(JavaNotFoundError, match=f"JAVA_HOME='{tmp_path}' holds no bin/java"):
        java_executable()


@pytest.mark.hostile("bad_input")
def test_session_rejects_a_bad_master(monkeypatch):
    with pytest.raises(ValueError, match=r"master must be a Spark master URL.*got 'localhost'"):
        spark_session("localhost")
    monkeypatch.setenv("SPARK_MASTER", "mesos-ish")
    with pytest.raises(ValueError, match="SPARK_MASTER must be a Spark master URL"):
        spark_session()
    with pytest.raises(TypeError, match="master must be a string, got int"):
        spark_session(7077)


@pytest.mark.hostile("bad_input")
def test_cluster_rejects_bad_arguments():
    with pytest.raises(ValueError, match="workers must be an integer >= 1, got 0"):
        StandaloneCluster(0)
    with pytest.raises(TypeError, match="memory_per_worker must be a string"):
        StandaloneCluster(2, memory_per_worker=1024)


def test_session_reads_spark_master_and_stops_its_jvm(monkeypatch):
    monkeypatch.setenv("SPARK_MASTER", "local[1]")
    before = {p.pid for p in spark_jvms()}
    spark = spark_session(app_name="test-session")
    try:
        assert spark.sparkContext.master == "local[1]"
        assert spark.range(10).selectExpr("sum(id)").first()[0] == 45
        assert {p.pid for p in spark_jvms()} - before  # a driver JVM runs now
    finally:
        stop_spark(spark)
    assert {p.pid for p in spark_jvms()} <= before
    assert DEFAULT_MASTER == "local[2]"


def kill_a_worker_during_a_job(cluster, spark) -> int:
    """Run 12 slow tasks; kill worker 0 once both executors run one; return the sum."""
    result = {}

    def slow_square(x: int) -> int:  # local, so that it is pickled by value
        time.sleep(0.5)
        return x * x

    def job():
        spark.sparkContext.setJobGroup("survivor", "a job that loses a worker")
        result["sum"] = spark.sparkContext.parallelize(range(12), 12).map(slow_square).sum()

    thread = threading.Thread(target=job)
    thread.start()
    tracker = spark.sparkContext.statusTracker()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        infos = [tracker.getStageInfo(stage) for stage in tracker.getActiveStageIds()]
        if any(info is not None and info.numActiveTasks >= 2 for info in infos):
            break
        time.sleep(0.02)
    assert cluster.kill_worker(0) >= 2  # the worker's JVM and its executor
    thread.join(timeout=120)
    assert not thread.is_alive()
    return result["sum"]


@pytest.mark.slow
def test_standalone_cluster_runs_a_job_survives_a_lost_worker_and_leaves_nothing():
    before = {p.pid for p in spark_jvms()}
    cluster = StandaloneCluster(2, cores_per_worker=1, memory_per_worker="1g")
    try:
        with cluster:
            assert cluster.alive_workers() == 2
            spark = spark_session(
                cluster.url, app_name="test-cluster", config={"spark.executor.memory": "512m"}
            )
            try:
                context = spark.sparkContext
                context.setJobGroup("squares", "sum of squares")
                slow = context.parallelize(range(400), 8).map(lambda x: x * x)
                assert slow.sum() == sum(x * x for x in range(400))
                counts = job_task_counts(spark, "squares")
                assert counts["tasks"] == counts["completed"] == 8 and counts["failed"] == 0
                assert counts["retried"] == 0, counts
                answer = kill_a_worker_during_a_job(cluster, spark)
                assert answer == sum(x * x for x in range(12))
                counts = job_task_counts(spark, "survivor")
                assert counts["failed"] >= 1 and counts["completed"] >= 12, counts
                assert counts["retried"] >= counts["failed"], counts
                lost = spark_executors(spark)
                assert (~lost["active"]).sum() == 1 and len(lost) == 2, lost
            finally:
                stop_spark(spark)
    finally:
        assert not {p.pid for p in spark_jvms()} - before, "a Spark JVM survived"
    assert all(process.poll() is not None for process in cluster.processes)
