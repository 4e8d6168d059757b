"""Measure one engine on one dataset in a fresh process: wall time and peak memory.

A fair comparison of engines cannot run them one after another in one process: memory
that one engine allocated stays with the process, and caches warm up. :func:`measure_engine`
therefore starts a new Python process for every measurement. The child imports its engine,
loads the airlines dimension (and starts Spark, for the Spark engines), then times the
query alone; the parent samples the resident memory of the child and of every process it
started (Spark's JVM included) and keeps the peak.

With ``memory_cap_mib`` the child (pandas, Polars, Spark) first limits its own address
space with ``resource.setrlimit(RLIMIT_AS, ...)`` to what its imports and a warm-up already
use plus the cap, so the query may allocate at most that much more. An engine that needs
more fails inside the child: ``MemoryError`` in Python (status ``MemoryError``), or a crash
of native code that cannot start a thread (status ``failed``); either way the caller only
gets the status. DuckDB instead gets the cap as its own ``memory_limit`` (one thread,
spilling to a temporary directory): under an address-space limit its native threads crash.

With ``repeats`` the child runs the query that many times and reports the fastest run
(one process still measures the peak memory honestly: later runs reuse what the first
freed). The report itself comes back too (``EngineRun.report``), so that a caller can
assert that a timed or capped run returned the right answer, not only the right number of
rows.

Used in chapter 26.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import psutil

from dlbigdata._validation import require_choice, require_int, require_number, require_type
from dlbigdata.scaling.engines import ENGINES, canonical_report

__all__ = ["EngineRun", "measure_engine"]


@dataclass(frozen=True)
class EngineRun:
    """One measurement: status ("ok", "MemoryError" or "failed"), times, peak memory.

    ``query_seconds`` is the fastest of ``run_seconds`` (one entry per repeat);
    ``report`` the canonical report of the last run (None unless the status is "ok").
    """

    engine: str
    status: str
    query_seconds: float
    process_seconds: float
    peak_memory_mib: float
    report_rows: int
    error: str = ""
    run_seconds: tuple[float, ...] = ()
    report: pd.DataFrame | None = field(default=None, repr=False, compare=False)


def _tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (0 once it is gone)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def measure_engine(
    engine: str,
    path: str | os.PathLike[str],
    *,
    memory_cap_mib: float | None = None,
    timeout: float = 600.0,
    spark_master: str = "local[2]",
    repeats: int = 1,
) -> EngineRun:
    """Run :func:`~dlbigdata.scaling.engines.delay_report` of one engine in a fresh process.

    Parameters
    ----------
    engine
        One of :data:`~dlbigdata.scaling.engines.ENGINES`.
    path
        A dataset directory (see :func:`~dlbigdata.scaling.generate_flights`).
    memory_cap_mib
        Extra address space, in MiB, the child may allocate after its imports; None: no cap.
    timeout
        Seconds before the child is killed (status "failed").
    spark_master
        Master of the Spark engines' session.
    repeats
        Runs of the query in the child; ``query_seconds`` is the fastest.

    Returns
    -------
    EngineRun
        ``query_seconds`` (the query alone, fastest of the repeats), ``process_seconds``
        (the whole child, start-up included), ``peak_memory_mib`` (child and descendants,
        sampled every 20 ms, at least the child's own peak), the number of rows of the
        report and the report.

    Used in chapter 26.
    """
    engine = require_choice("engine", engine, ENGINES)
    require_type("path", path, (str, os.PathLike), "a path (str or pathlib.Path)")
    if not Path(path).is_dir():
        raise ValueError(f"path must be a dataset directory, got {str(path)!r}")
    if memory_cap_mib is not None:
        memory_cap_mib = require_number("memory_cap_mib", memory_cap_mib, minimum=1.0)
    timeout = require_number("timeout", timeout, minimum=1.0)
    repeats = require_int("repeats", repeats, minimum=1, maximum=100)
    request = {
        "repeats": repeats,
        "engine": engine,
        "path": str(Path(path).resolve()),
        "memory_cap_mib": memory_cap_mib,
        "spark_master": spark_master,
    }
    return _run_child(engine, request, timeout)


def _run_child(engine: str, request: dict, timeout: float) -> EngineRun:
    """Start the child, sample its memory until it ends, and read its JSON answer."""
    command = [sys.executable, "-m", "dlbigdata.scaling.measure", json.dumps(request)]
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    watched, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(watched))
        if time.perf_counter() - start > timeout:
            os.killpg(child.pid, 9)
        time.sleep(0.02)
    out, err = child.communicate()
    seconds = time.perf_counter() - start
    lines = out.decode().strip().splitlines()
    try:
        answer = json.loads(lines[-1])
    except (IndexError, ValueError):
        tail = err.decode().strip()[-300:]
        reason = f"exit status {child.returncode}: {tail}"
        return EngineRun(engine, "failed", float("nan"), seconds, peak / 2**20, 0, reason)
    peak_mib = max(peak / 2**20, answer.pop("self_peak_mib"))
    report = answer.pop("report")
    if report is not None:
        report = canonical_report(pd.read_json(io.StringIO(report), orient="split"))
    answer["run_seconds"] = tuple(answer["run_seconds"])
    return EngineRun(
        engine=engine, process_seconds=seconds, peak_memory_mib=peak_mib, report=report, **answer
    )


def _cap_address_space(cap_mib: float) -> None:
    """Limit this process's address space to its current size plus ``cap_mib`` MiB."""
    import resource

    current = psutil.Process().memory_info().vms
    limit = int(current + cap_mib * 2**20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child_query(request: dict) -> tuple[Any, list[float]]:
    """In the child: prepare the engine, apply the cap, time the query; (report, times)."""
    from dlbigdata.datasets import load
    from dlbigdata.scaling import engines

    engine, path, cap = request["engine"], request["path"], request["memory_cap_mib"]
    airlines, spark, con = load("airlines"), None, None
    if engine.startswith("spark"):
        from dlbigdata.scaling.spark import spark_session

        spark = spark_session(request["spark_master"], app_name=f"measure-{engine}")
    elif engine == "duckdb":
        import duckdb

        limits: dict[str, Any] = {"threads": 1, "memory_limit": f"{cap}MB"} if cap else {}
        con = duckdb.connect(config={"temp_directory": tempfile.mkdtemp(), **limits})
        con.sql("SELECT 42").fetchall()  # start its threads before the cap
    elif engine == "polars":
        import polars as pl

        pl.LazyFrame({"a": [1]}).sum().collect(engine="streaming")  # start its thread pool
    import pandas as pd
    import pyarrow as pa

    if cap is not None:  # one thread per pool, started before the cap
        pa.set_cpu_count(1)
        pa.set_io_thread_count(1)
    first = next(Path(path).rglob("*.parquet"))
    pd.read_parquet(first, columns=["arr_delay"])  # start Arrow's thread pools

    if cap is not None and engine != "duckdb":  # DuckDB: its memory_limit, above
        _cap_address_space(cap)
    seconds = []
    for _ in range(request.get("repeats", 1)):
        start = time.perf_counter()
        if engine == "duckdb":
            report = engines.delay_report_duckdb(path, airlines, con=con)
        else:
            report = engines.delay_report(engine, path, airlines, spark=spark)
        seconds.append(time.perf_counter() - start)
    if spark is not None:
        from dlbigdata.scaling.spark import stop_spark

        stop_spark(spark)
    return report, seconds


def _own_peak_mib() -> float:
    """Peak resident memory of this process since it started, in MiB.

    Linux's ``VmHWM`` belongs to the process image, so, unlike ``ru_maxrss``, it does
    not carry over the parent's memory through ``fork`` and ``exec``.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # bytes on macOS


def _child_main(argument: str) -> int:
    """Entry point of the child process: print one JSON line with the measurement."""
    request = json.loads(argument)
    answer: dict = {"status": "ok", "error": "", "report": None, "run_seconds": []}
    try:
        report, seconds = _child_query(request)
        answer.update(query_seconds=min(seconds), run_seconds=seconds, report_rows=len(report))
        answer["report"] = report.to_json(orient="split", index=False, double_precision=15)
    except MemoryError as error:
        answer.update(status="MemoryError", error=repr(error)[:300])
        answer.update(query_seconds=float("nan"), report_rows=0)
    answer["self_peak_mib"] = _own_peak_mib()
    print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1]))
