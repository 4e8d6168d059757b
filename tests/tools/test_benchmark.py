"""Tests of tools/benchmark.py: budgets, the report, and a real run of a tiny notebook."""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from tools import benchmark
from tools.benchmark import NotebookResult, budget_for, memory_budget_for, render_markdown


def test_budgets_follow_the_issues():
    assert budget_for(Path("notebooks/01_domains.ipynb")) == 60
    assert budget_for(Path("notebooks/15_cleaning.ipynb")) == 180
    assert budget_for(Path("notebooks/12_dqn.ipynb")) == 300
    assert budget_for(Path("notebooks/05_backpropagation.ipynb")) == 45
    assert memory_budget_for(Path("notebooks/09_workflow.ipynb")) == 1024
    assert memory_budget_for(Path("notebooks/12_dqn.ipynb")) == math.inf
    assert budget_for(Path("notebooks/22_recommender.ipynb")) == 90
    assert memory_budget_for(Path("notebooks/22_recommender.ipynb")) == 1536
    assert budget_for(Path("notebooks/26_scaling.ipynb")) == 180
    assert memory_budget_for(Path("notebooks/26_scaling.ipynb")) == 3072


def test_within_budget_needs_memory_within_its_budget():
    assert NotebookResult("a", "ok", 10, 1000, 45, memory_budget_mib=1024).within_budget
    assert not NotebookResult("a", "ok", 10, 1100, 45, memory_budget_mib=1024).within_budget


def test_within_budget_needs_success_and_time():
    assert NotebookResult("a", "ok", 10, 100, 60).within_budget
    assert not NotebookResult("a", "ok", 61, 100, 60).within_budget
    assert not NotebookResult("a", "error", 1, 100, 60, "boom").within_budget


def test_report_has_a_row_per_notebook_total_and_cores():
    results = [
        NotebookResult("notebooks/01_a.ipynb", "ok", 12.34, 250, 60),
        NotebookResult("notebooks/02_b.ipynb", "error", 1.0, 90, 300, "NameError: x"),
        NotebookResult("notebooks/03_c.ipynb", "ok", 9.0, 2000, 45, memory_budget_mib=1024),
    ]
    machine = {
        "cores": 2,
        "platform": "Linux",
        "processor": "x86_64",
        "python": "3.11",
        "date": "2026-11-26",
    }
    report = render_markdown(results, machine)
    assert "| notebooks/01_a.ipynb | ok | 12.3 | 250 | 60 | - | yes |" in report
    assert "| notebooks/02_b.ipynb | error | 1.0 | 90 | 300 | - | **no** |" in report
    assert "| notebooks/03_c.ipynb | ok | 9.0 | 2000 | 45 | 1024 | **no** |" in report
    assert "**22.3**" in report and "2 CPU cores" in report
    assert "NameError: x" in report


@pytest.mark.slow
def test_benchmark_runs_notebooks_and_writes_both_files(tmp_path, monkeypatch):
    good = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = bytearray(50 * 2**20)")])
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("assert False, 'bad'")])
    for name, nb in [("01_good.ipynb", good), ("02_bad.ipynb", bad)]:
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        nbformat.write(nb, tmp_path / name)
    out = tmp_path / "bench"
    code = benchmark.main(
        [
            str(tmp_path / "01_good.ipynb"),
            str(tmp_path / "02_bad.ipynb"),
            "--output-dir",
            str(out),
            "--timeout",
            "60",
        ]
    )
    assert code == 1  # one notebook failed
    payload = json.loads((out / "results.json").read_text())
    good_result, bad_result = payload["notebooks"]
    assert good_result["status"] == "ok" and good_result["peak_memory_mib"] >= 50
    assert bad_result["status"] == "error" and "bad" in bad_result["error"]
    assert payload["machine"]["cores"] >= 1
    assert "| **total** |" in (out / "results.md").read_text()


def test_missing_notebook_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit):
        benchmark.main([str(tmp_path / "nope.ipynb")])
    assert "no such notebook(s)" in capsys.readouterr().err


@pytest.mark.slow
def test_an_interrupted_benchmark_leaves_no_process_behind(tmp_path):
    notebook = tmp_path / "01_sleep.ipynb"
    cells = [nbformat.v4.new_code_cell("import time\ntime.sleep(120)")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), notebook)
    command = [sys.executable, "-m", "tools.benchmark", str(notebook)]
    command += ["--output-dir", str(tmp_path / "out")]
    parent = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[2])
    process = psutil.Process(parent.pid)
    deadline = time.monotonic() + 120
    # Wait for the measuring child and its kernel (a grandchild) to be running.
    while len(process.children(recursive=True)) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    descendants = process.children(recursive=True)
    assert len(descendants) >= 2, descendants
    parent.send_signal(signal.SIGTERM)
    parent.wait(timeout=60)
    gone, alive = psutil.wait_procs(descendants, timeout=60)
    assert not alive, [p.cmdline() for p in alive]
