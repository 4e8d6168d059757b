"""Spark on one machine: a session helper and a real standalone cluster on 127.0.0.1.

:func:`spark_session` builds a :class:`~pyspark.sql.SparkSession` whose master comes from
the argument, else the environment variable ``SPARK_MASTER``, else ``local[2]``; it refuses
clearly when no Java runtime is found. :func:`stop_spark` stops a session *and* the JVM
behind it. :class:`StandaloneCluster` starts a Spark standalone master and workers with
``spark-class`` from the installed PySpark (no download, no network beyond 127.0.0.1),
waits until every worker is registered, and on exit stops them all and checks that no
process of the cluster is left. :func:`job_task_counts` reads a job's task counts from
the driver's monitoring REST API.

Used in chapter 26.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import weakref
from pathlib import Path
from types import TracebackType
from typing import Any

import pandas as pd
import psutil

from dlbigdata._validation import require_int, require_number, require_string

__all__ = [
    "DEFAULT_MASTER",
    "JavaNotFoundError",
    "StandaloneCluster",
    "java_executable",
    "job_task_counts",
    "spark_executors",
    "spark_home",
    "spark_session",
    "stop_spark",
]

DEFAULT_MASTER = "local[2]"
"""The master when neither the argument nor ``SPARK_MASTER`` names one."""

LOCALHOST = "127.0.0.1"
"""Every process of the cluster binds to this address only."""

JAVA_HELP = (
    "Spark needs a Java runtime (version 17 or 21). Install one with conda "
    "(`conda install -c conda-forge openjdk=17`) or the system package manager "
    "(`sudo apt-get install openjdk-17-jre-headless`, `brew install openjdk@17`), then "
    "set JAVA_HOME to it or put its `java` on PATH."
)


class JavaNotFoundError(RuntimeError):
    """No Java runtime: Spark cannot start (the message says how to install one)."""


def java_executable() -> Path:
    """The ``java`` that Spark will run: ``$JAVA_HOME/bin/java``, else ``java`` on PATH.

    Raises
    ------
    JavaNotFoundError
        If ``JAVA_HOME`` is set but holds no ``bin/java``, or no ``java`` is on PATH.

    Used in chapter 26.
    """
    home = os.environ.get("JAVA_HOME", "").strip()
    if home:
        candidate = Path(home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
        raise JavaNotFoundError(f"JAVA_HOME={home!r} holds no bin/java. {JAVA_HELP}")
    found = shutil.which("java")
    if found is None:
        raise JavaNotFoundError(f"no `java` on PATH and JAVA_HOME is not set. {JAVA_HELP}")
    return Path(found)


def spark_home() -> Path:
    """The Spark installation inside the installed ``pyspark`` package.

    Used in chapter 26.
    """
    import pyspark

    return Path(pyspark.__file__).resolve().parent


_MASTER_URL = re.compile(
    r"local(\[(\d+|\*)(,\s*\d+)?\])?"  # local, local[2], local[*], local[2,3]
    r"|local-cluster\[\d+,\s*\d+,\s*\d+\]"
    r"|spark://[\w.-]+(:\d+)?(,[\w.-]+(:\d+)?)*"  # one master, or several for HA
    r"|yarn|k8s://\S+"
)
"""The master URLs Spark accepts (checked before any JVM starts)."""


def _master(master: object) -> str:
    """The master URL: the argument, ``SPARK_MASTER`` or :data:`DEFAULT_MASTER`."""
    if master is None:
        master = os.environ.get("SPARK_MASTER", "").strip() or DEFAULT_MASTER
        name = "SPARK_MASTER"
    else:
        name = "master"
    text = require_string(name, master)
    if not _MASTER_URL.fullmatch(text):
        raise ValueError(
            f"{name} must be a Spark master URL such as 'local[2]' or "
            f"'spark://127.0.0.1:7077', got {text!r}"
        )
    return text


def spark_session(
    master: str | None = None,
    *,
    app_name: str = "dlbigdata",
    shuffle_partitions: int = 4,
    config: dict[str, str] | None = None,
) -> Any:
    """A SparkSession on ``master`` (default: ``SPARK_MASTER``, else ``local[2]``).

    Bound to 127.0.0.1, with few shuffle partitions (small data), Arrow conversions on,
    the console progress bar off and the log level WARN. ``config`` adds or overrides
    settings. Stop it with :func:`stop_spark`.

    Raises
    ------
    JavaNotFoundError
        If no Java runtime is found (see :func:`java_executable`).
    ValueError
        If the master is not a Spark master URL.

    Used in chapter 26.
    """
    url = _master(master)
    app_name = require_string("app_name", app_name)
    shuffle_partitions = require_int("shuffle_partitions", shuffle_partitions, minimum=1)
    java_executable()
    import sys

    from pyspark.sql import SparkSession

    settings = {
        "spark.driver.host": LOCALHOST,
        "spark.driver.bindAddress": LOCALHOST,
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.ui.showConsoleProgress": "false",
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
        **(config or {}),
    }
    builder = SparkSession.builder.master(url).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def stop_spark(spark: Any, timeout: float = 60.0) -> None:
    """Stop a session and shut down the JVM that PySpark started for it.

    ``SparkSession.stop`` leaves the driver's JVM running until Python exits; this also
    closes the gateway, waits for the JVM to end, and lets a later :func:`spark_session`
    start a fresh one. Used in chapter 26.
    """
    from pyspark import SparkContext

    timeout = require_number("timeout", timeout, minimum=0.0)
    spark.stop()
    gateway = SparkContext._gateway
    if gateway is None:
        return
    process = getattr(gateway, "proc", None)
    gateway.shutdown()
    SparkContext._gateway = None
    SparkContext._jvm = None
    if process is not None:
        process.stdin.close()  # the JVM ends when its stdin closes
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def _kill_group(group: int) -> None:
    """SIGKILL a process group if it still exists (the cluster's last resort)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


def _get_json(url: str, timeout: float = 60.0) -> Any:
    """The JSON document at a URL on 127.0.0.1 (the Spark UIs)."""
    if not url.startswith(f"http://{LOCALHOST}:"):
        raise ValueError(f"only the local Spark UI is read, got {url!r}")
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


EXECUTOR_COLUMNS = (
    "id",
    "host_port",
    "active",
    "cores",
    "completed_tasks",
    "failed_tasks",
    "remove_reason",
)
"""Columns of :func:`spark_executors`."""


def job_task_counts(spark: Any, job_group: str) -> dict[str, int]:
    """Task counts of the jobs of a job group, from the driver's monitoring REST API.

    Only stage attempts that ran count: a stage that a job lists but skipped (its output
    was already there) is left out. Returns ``tasks`` (task attempts that ran),
    ``completed``, ``failed`` and ``killed`` (summed over the stage attempts; a re-run
    stage counts again), ``retried`` (attempts beyond the first of the same stage and
    partition, read from each stage attempt's task list) and ``stage_attempts``.
    Used in chapter 26.
    """
    job_group = require_string("job_group", job_group)
    context = spark.sparkContext
    base = f"{context.uiWebUrl}/api/v1/applications/{context.applicationId}"
    jobs = [job for job in _get_json(f"{base}/jobs") if job.get("jobGroup") == job_group]
    if not jobs:
        raise ValueError(f"job_group {job_group!r} ran no job in this application")
    stage_ids = {stage for job in jobs for stage in job["stageIds"]}
    attempts = [
        stage
        for stage in _get_json(f"{base}/stages")
        if stage["stageId"] in stage_ids and stage.get("status") != "SKIPPED"
    ]
    partitions: list[tuple[int, int]] = []
    for stage in attempts:
        url = f"{base}/stages/{stage['stageId']}/{stage['attemptId']}/taskList?length=100000"
        partitions += [(stage["stageId"], task["index"]) for task in _get_json(url)]
    return {
        "tasks": len(partitions),
        "completed": sum(stage["numCompleteTasks"] for stage in attempts),
        "failed": sum(stage["numFailedTasks"] for stage in attempts),
        "killed": sum(stage["numKilledTasks"] for stage in attempts),
        "retried": len(partitions) - len(set(partitions)),
        "stage_attempts": len(attempts),
    }


def spark_executors(spark: Any) -> pd.DataFrame:
    """The application's executors, lost ones included, from the monitoring REST API.

    One row per executor (the driver excluded): ``id``, ``host_port``, ``active``,
    ``cores``, ``completed_tasks``, ``failed_tasks``, ``remove_reason``. Used in chapter 26.
    """
    context = spark.sparkContext
    base = f"{context.uiWebUrl}/api/v1/applications/{context.applicationId}"
    rows = [
        {
            "id": executor["id"],
            "host_port": executor["hostPort"],
            "active": bool(executor.get("isActive", True)),
            "cores": int(executor["totalCores"]),
            "completed_tasks": int(executor["completedTasks"]),
            "failed_tasks": int(executor["failedTasks"]),
            "remove_reason": executor.get("removeReason", ""),
        }
        for executor in _get_json(f"{base}/allexecutors")
        if executor["id"] != "driver"
    ]
    return pd.DataFrame(rows, columns=list(EXECUTOR_COLUMNS))


class StandaloneCluster:
    """A Spark standalone master and workers on 127.0.0.1, as a context manager.

    Parameters
    ----------
    workers
        Number of worker processes.
    cores_per_worker
        Cores each worker offers to executors.
    memory_per_worker
        Memory each worker offers, e.g. ``"1g"``.
    startup_timeout
        Seconds to wait until the master is up and every worker is registered.

    ``url`` is the master URL to pass to :func:`spark_session`; ``ui_url`` the master's
    web UI (its ``/json/`` lists the workers). Leaving the ``with`` block stops every
    worker and the master (their executors included) and raises RuntimeError if any of
    their processes survives. Used in chapter 26.
    """

    def __init__(
        self,
        workers: int = 2,
        *,
        cores_per_worker: int = 1,
        memory_per_worker: str = "1g",
        startup_timeout: float = 120.0,
    ) -> None:
        self.workers = require_int("workers", workers, minimum=1, maximum=16)
        self.cores_per_worker = require_int("cores_per_worker", cores_per_worker, minimum=1)
        self.memory_per_worker = require_string("memory_per_worker", memory_per_worker)
        self.startup_timeout = require_number("startup_timeout", startup_timeout, minimum=1.0)
        self.port = _free_port()
        self.ui_port = _free_port()
        self.url = f"spark://{LOCALHOST}:{self.port}"
        self.ui_url = f"http://{LOCALHOST}:{self.ui_port}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self._directory: Path | None = None

    def _start(self, name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
        """Start one daemon with spark-class in its own process group, logging to a file."""
        assert self._directory is not None
        environment = {
            **os.environ,
            "SPARK_HOME": str(spark_home()),
            "SPARK_LOCAL_IP": LOCALHOST,
            "SPARK_NO_DAEMONIZE": "1",
            "SPARK_DAEMON_MEMORY": "256m",
        }
        log = (self._directory / f"{name}.log").open("wb")
        command = [str(spark_home() / "bin" / "spark-class"), *arguments]
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=environment, start_new_session=True
        )
        log.close()
        self.processes.append(process)
        weakref.finalize(self, _kill_group, process.pid)  # even if stop() is never called
        return process

    def alive_workers(self) -> int:
        """Number of workers the master lists as ALIVE (0 while the master is not up)."""
        try:
            state = _get_json(f"{self.ui_url}/json/")
        except OSError:
            return 0
        return sum(1 for worker in state.get("workers", []) if worker.get("state") == "ALIVE")

    def start(self) -> StandaloneCluster:
        """Start the master and the workers; return once every worker is registered."""
        if self.processes:
            raise RuntimeError(f"the cluster {self.url} was started already")
        java_executable()
        self._directory = Path(tempfile.mkdtemp(prefix="dlbigdata-spark-cluster-"))
        try:
            self._start_all()
        except BaseException:
            self.stop()
            raise
        return self

    def __enter__(self) -> StandaloneCluster:
        return self.start()

    def _start_all(self) -> None:
        """Start the master, then the workers; wait until all are registered."""
        assert self._directory is not None
        master = "org.apache.spark.deploy.master.Master"
        options = ["--host", LOCALHOST, "--port", str(self.port)]
        self._start("master", [master, *options, "--webui-port", str(self.ui_port)])
        worker = "org.apache.spark.deploy.worker.Worker"
        for index in range(self.workers):
            work = self._directory / f"worker-{index}"
            options = ["--host", LOCALHOST, "--cores", str(self.cores_per_worker)]
            options += ["--memory", self.memory_per_worker, "--work-dir", str(work)]
            options += ["--webui-port", str(_free_port())]
            self._start(f"worker-{index}", [worker, *options, self.url])
        deadline = time.monotonic() + self.startup_timeout
        while self.alive_workers() < self.workers:
            exited = [str(p.args) for p in self.processes if p.poll() is not None]
            if exited or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the Spark cluster did not start ({self.alive_workers()} of "
                    f"{self.workers} workers registered; exited: {exited}); logs in "
                    f"{self._directory}"
                )
            time.sleep(0.5)

    def worker_processes(self, index: int) -> list[psutil.Process]:
        """The live processes of worker ``index``: its JVM and its executors' JVMs."""
        index = require_int("index", index, minimum=0, maximum=self.workers - 1)
        process = self.processes[1 + index]
        try:
            root = psutil.Process(process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kill_worker(self, index: int) -> int:
        """Kill worker ``index`` and its executors with SIGKILL (a crash); return their count."""
        victims = self.worker_processes(index)
        os.killpg(self.processes[1 + index].pid, signal.SIGKILL)
        psutil.wait_procs(victims, timeout=30)
        self.processes[1 + index].wait(timeout=30)
        return len(victims)

    def _group_members(self) -> list[psutil.Process]:
        """Live processes in the process groups of the cluster's daemons."""
        groups = {process.pid for process in self.processes}
        members = []
        for candidate in psutil.process_iter(["pid"]):
            try:
                if os.getpgid(candidate.pid) in groups and candidate.status() != "zombie":
                    members.append(candidate)
            except (ProcessLookupError, psutil.NoSuchProcess):
                continue
        return members

    def stop(self, timeout: float = 30.0) -> None:
        """Stop workers, then the master (SIGTERM, then SIGKILL); raise if any is left."""
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        survivors = psutil.wait_procs(self._group_members(), timeout=timeout)[1]
        for process in survivors:
            process.kill()
        for process in self.processes:
            process.wait(timeout=timeout)
        left = self._group_members()
        if left:
            raise RuntimeError(f"Spark cluster processes survived: {[p.pid for p in left]}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
