"""Run chapters under several seeds: every assert of a notebook must hold for each seed.

``make seeds`` runs ``python -m tools.seedsweep``. Each notebook is executed once per
seed, in a fresh kernel whose ``DLBIGDATA_SEED`` names the seed (every chapter reads its seed
with :func:`dlbigdata.seed_from_environment`), so the sweep checks the chapter itself, all of
its asserts, rather than a copy of its code. The text printed by cells tagged ``headline``
(see :data:`tools.benchmark.HEADLINE_TAG`) is kept, so the report shows the numbers
behind each pass. Results go to ``bench/seeds.md`` (for people) and ``bench/seeds.json``
(for tools); any failing run makes the command exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from dlbigdata.reproducibility import parse_seed
from tools.benchmark import (
    describe_machine,
    exit_on_sigterm,
    measure_in_fresh_process,
    measured_on,
)

__all__ = [
    "DEEP_LEARNING_NOTEBOOKS",
    "SeedRun",
    "load_runs",
    "merge_runs",
    "render_markdown",
    "run_seed_sweep",
    "seed_argument",
]

DEEP_LEARNING_NOTEBOOKS = (
    "notebooks/02_deep_learning_concepts.ipynb",
    "notebooks/03_big_data_concepts.ipynb",
    "notebooks/04_deep_learning_meets_big_data.ipynb",
    "notebooks/05_gradient_descent_backpropagation.ipynb",
    "notebooks/06_convolution_recurrence.ipynb",
    "notebooks/07_q_learning_to_dqn.ipynb",
    "notebooks/08_data_mining_algorithms.ipynb",
    "notebooks/09_end_to_end_workflow.ipynb",
    "notebooks/10_image_recognition_cnn.ipynb",
    "notebooks/11_text_classification_lstm.ipynb",
    "notebooks/12_deep_q_learning.ipynb",
    "notebooks/20_healthcare.ipynb",
    "notebooks/21_finance.ipynb",
    "notebooks/22_ecommerce_recommender.ipynb",
    "notebooks/23_agriculture.ipynb",
    "notebooks/24_transport.ipynb",
    "notebooks/25_security_privacy.ipynb",
    "notebooks/27_frontiers.ipynb",
)
"""The chapters whose results depend on the seed through training, initialisation or sampling
(the default sweep: chapters 02-12, the case studies 20-24, privacy's noisy releases and
attacks (25) and the fused models of 27)."""


@dataclass
class SeedRun:
    """One execution of one notebook under one seed."""

    notebook: str
    seed: int
    status: str
    wall_seconds: float
    peak_memory_mib: float
    headlines: list[str] = field(default_factory=list)
    error: str = ""
    measured: str = ""
    """When the run was measured (``describe_machine()["date"]``); kept through merges."""

    @property
    def passed(self) -> bool:
        """True when every cell ran and every assert held."""
        return self.status == "ok"


def seed_argument(text: str) -> int:
    """Parse one ``--seeds`` value for :mod:`argparse` (see ``dlbigdata.reproducibility``).

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a non-negative integer below ``2**32`` (the message names it).
    """
    try:
        return parse_seed(text, source="a seed")
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_seed_sweep(notebooks: list[Path], seeds: list[int], timeout: int) -> list[SeedRun]:
    """Execute every notebook once per seed, each run in a fresh process and kernel.

    Parameters
    ----------
    notebooks : list of pathlib.Path
        Notebooks to run; each must read its seed with ``seed_from_environment``.
    seeds : list of int
        Seeds to try, passed as ``DLBIGDATA_SEED``.
    timeout : int
        Per-cell timeout in seconds.

    Returns
    -------
    list of SeedRun
        One run per notebook and seed, notebook by notebook.
    """
    runs = []
    for notebook in notebooks:
        for seed in seeds:
            print(f"[seeds] {notebook}, seed {seed} ...", flush=True)
            measured = measure_in_fresh_process(notebook, timeout, {"DLBIGDATA_SEED": str(seed)})
            run = SeedRun(notebook=Path(notebook).as_posix(), seed=seed, **measured)
            print(
                f"[seeds]   {run.status}: {run.wall_seconds:.1f} s"
                + (f" ({run.error})" if run.error else ""),
                flush=True,
            )
            runs.append(run)
    return runs


def load_runs(path: Path) -> list[SeedRun]:
    """The runs of an earlier sweep, read back from its ``seeds.json``.

    Parameters
    ----------
    path : pathlib.Path
        A ``seeds.json`` written by :func:`main`.

    Returns
    -------
    list of SeedRun
        Its runs; a run saved before runs carried their own date gets the sweep's date.

    Raises
    ------
    ValueError
        If the file is not a sweep report (no ``runs`` list).
    """
    payload = json.loads(path.read_text())
    if not isinstance(payload, dict) or not isinstance(payload.get("runs"), list):
        raise ValueError(f"{path} is not a seed-sweep report: expected a 'runs' list")
    sweep_date = payload.get("machine", {}).get("date", "")
    names = {item.name for item in fields(SeedRun)}
    runs = []
    for saved in payload["runs"]:
        run = SeedRun(**{key: value for key, value in saved.items() if key in names})
        runs.append(replace(run, measured=run.measured or sweep_date))
    return runs


def merge_runs(previous: list[SeedRun], new: list[SeedRun]) -> list[SeedRun]:
    """Earlier runs updated by a new sweep: a new run replaces the same notebook and seed.

    Parameters
    ----------
    previous : list of SeedRun
        Runs of earlier sweeps (:func:`load_runs`).
    new : list of SeedRun
        Runs just measured.

    Returns
    -------
    list of SeedRun
        Every (notebook, seed) once, the newest run kept, ordered by notebook, then seed.
    """
    by_key = {(run.notebook, run.seed): run for run in previous}
    by_key.update({(run.notebook, run.seed): run for run in new})
    return [by_key[key] for key in sorted(by_key)]


def _table_cell(lines: list[str]) -> str:
    """Lines joined for one Markdown table cell (pipes escaped)."""
    return "<br>".join(line.replace("|", "\\|") for line in lines) or "-"


def render_markdown(runs: list[SeedRun], machine: dict) -> str:
    """The sweep as a Markdown report: one row per notebook and seed, then the failures.

    Parameters
    ----------
    runs : list of SeedRun
        Results of :func:`run_seed_sweep`.
    machine : dict
        Description of the machine (``cores``, ``platform``, ``processor``, ``python``,
        ``date``), as from :func:`tools.benchmark.describe_machine`.

    Returns
    -------
    str
        The report.
    """
    passed = sum(run.passed for run in runs)
    dates = sorted({run.measured for run in runs if run.measured})
    if len(dates) > 1:
        machine = machine | {"date": f"{dates[0]} to {dates[-1]}"}
    lines = [
        "# Seed sweep: each chapter executed once per seed",
        "",
        f"{measured_on(machine, 'make seeds')} A run passes when every cell of the notebook runs "
        "and every assert holds with `DLBIGDATA_SEED` set to the seed. "
        f"**{passed} of {len(runs)} runs passed.**",
        "",
        "| notebook | seed | status | wall time (s) | peak memory (MiB) "
        "| key results (cells tagged `headline`) |",
        "|---|---:|---|---:|---:|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.notebook} | {run.seed} | {run.status} | {run.wall_seconds:.1f} | "
            f"{run.peak_memory_mib:.0f} | {_table_cell(run.headlines)} |"
        )
    lines.append("")
    for run in runs:
        if not run.passed:
            lines.append(f"- `{run.notebook}` failed for seed {run.seed}: {run.error}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``python -m tools.seedsweep``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        help=f"notebooks to run (default: {', '.join(DEEP_LEARNING_NOTEBOOKS)})",
    )
    parser.add_argument(
        "--seeds",
        nargs="+",
        type=seed_argument,
        default=[0, 1, 2],
        help="seeds to try (default: 0 1 2)",
    )
    parser.add_argument("--output-dir", type=Path, default=Path("bench"))
    parser.add_argument("--timeout", type=int, default=600, help="per-cell timeout, seconds")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the earlier runs in OUTPUT_DIR/seeds.json, replacing those run again",
    )
    args = parser.parse_args(argv)

    notebooks = args.notebooks or [Path(path) for path in DEEP_LEARNING_NOTEBOOKS]
    missing = [str(path) for path in notebooks if not path.is_file()]
    if missing:
        parser.error(f"no such notebook(s): {', '.join(missing)}")
    machine = describe_machine()
    runs = [
        replace(run, measured=machine["date"])
        for run in run_seed_sweep(notebooks, args.seeds, args.timeout)
    ]
    previous_report = args.output_dir / "seeds.json"
    if args.merge and previous_report.is_file():
        runs = merge_runs(load_runs(previous_report), runs)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "seeds.md").write_text(render_markdown(runs, machine))
    payload = {
        "machine": machine,
        "seeds": sorted({run.seed for run in runs}),
        "runs": [asdict(run) | {"passed": run.passed} for run in runs],
    }
    (args.output_dir / "seeds.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(f"[seeds] wrote {args.output_dir / 'seeds.md'}")
    failed = [f"{run.notebook} (seed {run.seed})" for run in runs if not run.passed]
    if failed:
        print(f"[seeds] failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    exit_on_sigterm()
    sys.exit(main())
