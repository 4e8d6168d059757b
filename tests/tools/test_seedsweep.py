"""Tests of tools/seedsweep.py: seeds reach the kernel, headlines and failures are reported."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import asdict

import nbformat
import pytest

from tools import seedsweep
from tools.benchmark import headline_text
from tools.seedsweep import SeedRun, render_markdown, seed_argument

MACHINE = {
    "cores": 2,
    "platform": "Linux",
    "processor": "x86_64",
    "python": "3.11",
    "date": "2026-11-27",
}


def seed_dependent_notebook() -> nbformat.NotebookNode:
    """A notebook that reads its seed, prints a headline, and fails for seed 1 only."""
    read_seed = nbformat.v4.new_code_cell(
        "from dlbigdata import seed_from_environment\nseed = seed_from_environment()"
    )
    headline = nbformat.v4.new_code_cell("print(f'score for seed {seed}: {10 * seed}')\nprint('')")
    headline.metadata["tags"] = ["headline"]
    chatter = nbformat.v4.new_code_cell("print('not a headline')")
    check = nbformat.v4.new_code_cell("assert seed != 1, f'seed {seed} is unlucky'")
    nb = nbformat.v4.new_notebook(cells=[read_seed, headline, chatter, check])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def test_headline_text_keeps_only_tagged_stdout():
    nb = seed_dependent_notebook()
    nb.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a\n\n b \n"),
        nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
    ]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="ignored\n")]
    assert headline_text(nb) == ["a", "b"]


@pytest.mark.parametrize("text", ["-1", "two", "1.5", "", str(2**32)])
def test_bad_seeds_are_rejected_with_the_value(text):
    with pytest.raises(
        argparse.ArgumentTypeError, match=f"a seed must be .* got {re.escape(repr(text))}"
    ):
        seed_argument(text)


def test_good_seeds_parse():
    assert [seed_argument(text) for text in ("0", "2", " 7 ")] == [0, 2, 7]


def test_report_has_a_row_per_run_and_lists_failures():
    runs = [
        SeedRun("notebooks/10_a.ipynb", 0, "ok", 12.34, 250, ["accuracy 99 % | gap +0.4"]),
        SeedRun("notebooks/10_a.ipynb", 1, "error", 3.0, 90, [], "AssertionError: low"),
    ]
    report = render_markdown(runs, MACHINE)
    assert "| notebooks/10_a.ipynb | 0 | ok | 12.3 | 250 | accuracy 99 % \\| gap +0.4 |" in report
    assert "| notebooks/10_a.ipynb | 1 | error | 3.0 | 90 | - |" in report
    assert "**1 of 2 runs passed.**" in report
    assert "- `notebooks/10_a.ipynb` failed for seed 1: AssertionError: low" in report


@pytest.mark.slow
def test_sweep_passes_each_seed_to_the_kernel(tmp_path, capsys):
    notebook = tmp_path / "10_seeded.ipynb"
    nbformat.write(seed_dependent_notebook(), notebook)
    out = tmp_path / "bench"
    code = seedsweep.main(
        [str(notebook), "--seeds", "0", "1", "2", "--output-dir", str(out), "--timeout", "60"]
    )
    assert code == 1 and "10_seeded.ipynb (seed 1)" in capsys.readouterr().err
    payload = json.loads((out / "seeds.json").read_text())
    assert payload["seeds"] == [0, 1, 2]
    runs = {run["seed"]: run for run in payload["runs"]}
    assert runs[0]["passed"] and runs[2]["passed"] and not runs[1]["passed"]
    assert runs[0]["headlines"] == ["score for seed 0: 0"]
    assert runs[2]["headlines"] == ["score for seed 2: 20"]
    assert "seed 1 is unlucky" in runs[1]["error"]
    assert "**2 of 3 runs passed.**" in (out / "seeds.md").read_text()


def test_missing_notebook_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit):
        seedsweep.main([str(tmp_path / "nope.ipynb")])
    assert "no such notebook(s)" in capsys.readouterr().err


def test_default_sweep_names_existing_deep_learning_chapters():
    from factories import ROOT

    assert all((ROOT / path).is_file() for path in seedsweep.DEEP_LEARNING_NOTEBOOKS)


def test_merge_keeps_earlier_runs_and_replaces_the_rerun_ones():
    earlier = [
        SeedRun("notebooks/20_a.ipynb", 0, "ok", 10.0, 100, measured="2026-11-27 03:36 UTC"),
        SeedRun("notebooks/10_a.ipynb", 1, "error", 3.0, 90, [], "AssertionError: low"),
    ]
    new = [SeedRun("notebooks/10_a.ipynb", 1, "ok", 4.0, 95, measured="2026-12-01 23:00 UTC")]
    merged = seedsweep.merge_runs(earlier, new)
    assert [(run.notebook, run.seed, run.status) for run in merged] == [
        ("notebooks/10_a.ipynb", 1, "ok"),
        ("notebooks/20_a.ipynb", 0, "ok"),
    ]
    report = render_markdown(merged, MACHINE)
    assert "Measured 2026-11-27 03:36 UTC to 2026-12-01 23:00 UTC on" in report
    assert "**2 of 2 runs passed.**" in report


def test_saved_runs_load_back_with_the_sweep_date(tmp_path):
    path = tmp_path / "seeds.json"
    run = SeedRun("notebooks/10_a.ipynb", 2, "ok", 1.5, 80, ["x"])
    payload = {
        "machine": {"date": "2026-11-27 03:36 UTC"},
        "runs": [asdict(run) | {"passed": True}],
    }
    path.write_text(json.dumps(payload))
    (loaded,) = seedsweep.load_runs(path)
    assert loaded == SeedRun(
        "notebooks/10_a.ipynb", 2, "ok", 1.5, 80, ["x"], measured="2026-11-27 03:36 UTC"
    )


@pytest.mark.hostile("malformed_file")
def test_a_file_that_is_not_a_sweep_report_is_refused(tmp_path):
    path = tmp_path / "seeds.json"
    path.write_text(json.dumps({"notebooks": []}))
    with pytest.raises(ValueError, match="not a seed-sweep report"):
        seedsweep.load_runs(path)
