"""Measure every chapter: wall time and peak memory per notebook, in a fresh kernel.

``make bench`` runs ``python -m tools.benchmark``. Each notebook is executed
by :mod:`nbclient` in its own Python process (so its kernel starts fresh and the
peak resident memory of that kernel can be read back from the operating system),
and the results go to ``bench/results.md`` (a table for people) and
``bench/results.json`` (for tools). Budgets come from the book's issues; a
notebook over its budget, or one that fails, makes the command exit non-zero.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = [
    "BOOK_BUDGET_SECONDS",
    "DEFAULT_BUDGET_SECONDS",
    "HEADLINE_TAG",
    "MEMORY_BUDGETS_MIB",
    "NotebookResult",
    "budget_for",
    "describe_machine",
    "headline_text",
    "measure_in_fresh_process",
    "measured_on",
    "memory_budget_for",
    "render_markdown",
    "run_benchmark",
]

DEFAULT_BUDGET_SECONDS = 300.0
"""No notebook may take more than 5 minutes on the reference 2-core machine."""

BOOK_BUDGET_SECONDS = 1200.0
"""All notebooks together: at most 20 minutes."""

HEADLINE_TAG = "headline"
"""Cells with this tag print a chapter's key numbers; their printed text is collected."""

CHAPTER_BUDGETS_SECONDS: dict[str, float] = {
    "01": 60.0,
    **{f"{chapter:02d}": 45.0 for chapter in range(2, 10)},
    **{f"{chapter}": 180.0 for chapter in range(13, 20)},
    **{f"{chapter}": 90.0 for chapter in range(20, 25)},
    "25": 60.0,
    "26": 180.0,
    "27": 120.0,
}
"""Tighter budgets for some chapters, keyed by the two-digit chapter number."""

MEMORY_BUDGETS_MIB: dict[str, float] = {
    **{f"{chapter:02d}": 1024.0 for chapter in range(2, 10)},
    **{f"{chapter}": 1536.0 for chapter in range(20, 26)},
    "26": 3072.0,
    "27": 1536.0,
}
"""Peak-memory budgets (MiB) for the chapters whose issue sets one; others have none."""


@dataclass
class NotebookResult:
    """The measurement of one notebook."""

    notebook: str
    status: str
    wall_seconds: float
    peak_memory_mib: float
    budget_seconds: float
    error: str = ""
    memory_budget_mib: float = math.inf

    @property
    def within_budget(self) -> bool:
        """True when the notebook ran without error and within its time and memory budgets."""
        return (
            self.status == "ok"
            and self.wall_seconds <= self.budget_seconds
            and self.peak_memory_mib <= self.memory_budget_mib
        )


def budget_for(notebook: Path) -> float:
    """Time budget, in seconds, of a notebook named ``NN_topic.ipynb``.

    Parameters
    ----------
    notebook : pathlib.Path
        Path of the notebook.

    Returns
    -------
    float
        The chapter's budget, or :data:`DEFAULT_BUDGET_SECONDS`.
    """
    return CHAPTER_BUDGETS_SECONDS.get(Path(notebook).name[:2], DEFAULT_BUDGET_SECONDS)


def memory_budget_for(notebook: Path) -> float:
    """Peak-memory budget, in MiB, of a notebook (``math.inf`` where its issue sets none)."""
    return MEMORY_BUDGETS_MIB.get(Path(notebook).name[:2], math.inf)


def _peak_child_memory_mib() -> float:
    """Largest resident set size of any finished child process, in MiB."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return peak / divisor


def headline_text(nb) -> list[str]:
    """The printed (stdout) text of every executed cell tagged :data:`HEADLINE_TAG`.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed (possibly partly executed) notebook.

    Returns
    -------
    list of str
        One stripped string per non-empty printed line, in cell order.
    """
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "code" or HEADLINE_TAG not in cell.get("metadata", {}).get(
            "tags", []
        ):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                lines += [line.strip() for line in output["text"].splitlines() if line.strip()]
    return lines


def execute_one(notebook: Path, timeout: int) -> dict:
    """Execute one notebook in a fresh kernel; return time, memory, status and headlines.

    Run this in a process of its own (see :func:`measure_in_fresh_process`): the
    memory it reports is the peak of every child this process has had. The
    kernel inherits this process's environment (``DLBIGDATA_SEED`` included).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    status, error = "ok", ""
    start = time.perf_counter()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as exc:
        status, error = "error", str(exc).strip().splitlines()[-1][:300]
    wall = time.perf_counter() - start
    return {
        "status": status,
        "error": error,
        "wall_seconds": wall,
        "peak_memory_mib": _peak_child_memory_mib(),
        "headlines": headline_text(nb),
    }


def stop_child(child: subprocess.Popen, grace_seconds: float = 30.0) -> None:
    """Stop a measuring child that is still running: SIGTERM, then SIGKILL after a grace.

    SIGTERM lets the child shut its kernel down (see :func:`exit_on_sigterm`), so an
    interrupted benchmark leaves neither the child nor its kernel behind.
    """
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def exit_on_sigterm() -> None:
    """Turn SIGTERM into ``SystemExit`` so that ``finally`` blocks (kernel shutdown) run."""

    def _exit(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


def measure_in_fresh_process(
    notebook: Path, timeout: int, environment: dict[str, str] | None = None
) -> dict:
    """Execute a notebook in a new Python process (and so a new kernel); return its measurement.

    Parameters
    ----------
    notebook : pathlib.Path
        The notebook to execute.
    timeout : int
        Per-cell timeout in seconds.
    environment : dict of str to str, optional
        Variables added to the current environment for this run (for example
        ``{"DLBIGDATA_SEED": "2"}``).

    Returns
    -------
    dict
        ``status`` ("ok" or "error"), ``error``, ``wall_seconds``,
        ``peak_memory_mib`` and ``headlines`` (see :func:`headline_text`).
    """
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--single",
        str(notebook),
        "--timeout",
        str(timeout),
    ]
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(environment or {})},
    )
    try:
        stdout, stderr = child.communicate()
    finally:
        stop_child(child)
    completed = subprocess.CompletedProcess(command, child.returncode, stdout, stderr)
    if completed.returncode != 0:
        return {
            "status": "error",
            "error": completed.stderr.strip()[-300:],
            "wall_seconds": float("nan"),
            "peak_memory_mib": float("nan"),
            "headlines": [],
        }
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run_benchmark(notebooks: list[Path], timeout: int) -> list[NotebookResult]:
    """Execute each notebook in its own process and collect the measurements.

    Parameters
    ----------
    notebooks : list of pathlib.Path
        Notebooks to run, in order.
    timeout : int
        Per-cell timeout in seconds.

    Returns
    -------
    list of NotebookResult
        One result per notebook, in the same order.
    """
    results = []
    for notebook in notebooks:
        print(f"[bench] {notebook} ...", flush=True)
        measured = measure_in_fresh_process(notebook, timeout)
        measured.pop("headlines")
        result = NotebookResult(
            notebook=notebook.as_posix(),
            budget_seconds=budget_for(notebook),
            memory_budget_mib=memory_budget_for(notebook),
            **measured,
        )
        print(
            f"[bench]   {result.status}: {result.wall_seconds:.1f} s, "
            f"{result.peak_memory_mib:.0f} MiB (budget {result.budget_seconds:.0f} s)",
            flush=True,
        )
        results.append(result)
    return results


def describe_machine() -> dict:
    """Cores, platform, processor, Python version and the current UTC time, for reports."""
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.machine(),
        "python": platform.python_version(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def measured_on(machine: dict, command: str) -> str:
    """One sentence saying when, on what and by which command a report was measured.

    Parameters
    ----------
    machine : dict
        As returned by :func:`describe_machine`.
    command : str
        The command that produced the report, e.g. ``"make bench"``.

    Returns
    -------
    str
        For example "Measured 2026-11-27 10:00 UTC on 2 CPU cores (x86_64, Linux-..., Python
        3.11.7) by `make bench`."
    """
    return (
        f"Measured {machine['date']} on {machine['cores']} CPU cores ({machine['processor']}, "
        f"{machine['platform']}, Python {machine['python']}) by `{command}`."
    )


def render_markdown(results: list[NotebookResult], machine: dict) -> str:
    """The results as a Markdown report with one row per notebook and a total.

    Parameters
    ----------
    results : list of NotebookResult
        Measurements from :func:`run_benchmark`.
    machine : dict
        Description of the machine (``cores``, ``platform``, ``python``, ``date``).

    Returns
    -------
    str
        The report.
    """
    total = sum(result.wall_seconds for result in results)
    lines = [
        "# Benchmark: every notebook executed in a fresh kernel",
        "",
        measured_on(machine, "make bench"),
        "",
        "| notebook | status | wall time (s) | peak memory (MiB) | budget (s) "
        "| memory budget (MiB) | within budget |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for result in results:
        memory_budget = result.memory_budget_mib
        lines.append(
            f"| {result.notebook} | {result.status} | {result.wall_seconds:.1f} | "
            f"{result.peak_memory_mib:.0f} | {result.budget_seconds:.0f} | "
            f"{'-' if math.isinf(memory_budget) else f'{memory_budget:.0f}'} "
            f"| {'yes' if result.within_budget else '**no**'} |"
        )
    within = total <= BOOK_BUDGET_SECONDS
    lines += [
        f"| **total** | | **{total:.1f}** | | {BOOK_BUDGET_SECONDS:.0f} | "
        f"| {'yes' if within else '**no**'} |",
        "",
    ]
    for result in results:
        if result.error:
            lines.append(f"- `{result.notebook}` failed: {result.error}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``python -m tools.benchmark``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)"
    )
    parser.add_argument("--output-dir", type=Path, default=Path("bench"))
    parser.add_argument("--timeout", type=int, default=600, help="per-cell timeout, seconds")
    parser.add_argument("--single", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.single is not None:
        print(json.dumps(execute_one(args.single, args.timeout)))
        return 0

    notebooks = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [str(path) for path in notebooks if not path.is_file()]
    if missing:
        parser.error(f"no such notebook(s): {', '.join(missing)}")
    results = run_benchmark(notebooks, args.timeout)
    machine = describe_machine()
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "results.md").write_text(render_markdown(results, machine))
    payload = {
        "machine": machine,
        "book_budget_seconds": BOOK_BUDGET_SECONDS,
        "total_seconds": sum(result.wall_seconds for result in results),
        "notebooks": [
            asdict(result) | {"within_budget": result.within_budget} for result in results
        ],
    }
    (args.output_dir / "results.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(f"[bench] wrote {args.output_dir / 'results.md'}")
    over = [result.notebook for result in results if not result.within_budget]
    if over or payload["total_seconds"] > BOOK_BUDGET_SECONDS:
        print(f"[bench] over budget or failed: {over or 'the whole book'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    exit_on_sigterm()
    sys.exit(main())
