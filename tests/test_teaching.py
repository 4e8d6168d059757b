"""Tests of tools/teaching_guide.py: the committed guide is current, and its numbers' rules."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tools.teaching_guide import (
    Chapter,
    chapter_facts,
    declared_prerequisites,
    lab_plan,
    load_measurements,
    main,
    prerequisites,
    reading_minutes,
    render_guide,
)

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_guide_is_what_the_generator_writes():
    expected = render_guide(*chapter_facts(ROOT / "_toc.yml", ROOT / "bench" / "results.json"))
    current = (ROOT / "book" / "teaching.md").read_text(encoding="utf-8")
    assert current == expected, "book/teaching.md is out of date: run `make teaching`"


def test_the_guide_reports_the_benchmark_and_the_unmeasured_chapters():
    chapters, date = chapter_facts(ROOT / "_toc.yml", ROOT / "bench" / "results.json")
    results = json.loads((ROOT / "bench" / "results.json").read_text())
    measured = {Path(row["notebook"]).name: row for row in results["notebooks"]}
    assert date == results["machine"]["date"]
    for chapter in chapters:
        row = measured.get(Path(chapter.file).name + ".ipynb")
        if row is None:
            assert chapter.run_seconds is None and chapter.peak_memory_mib is None
        else:
            assert chapter.run_seconds == row["wall_seconds"]
            assert chapter.peak_memory_mib == row["peak_memory_mib"]
        assert all(number < chapter.number for number in chapter.prerequisites)
        assert chapter.exercises >= 1
        assert sum(minutes for minutes, _ in lab_plan(chapter)) == 90
    # The table's rows come from the measurements (whatever the latest bench measured),
    # and a chapter without a row says so.
    by_number = {chapter.number: chapter for chapter in chapters}
    trees = by_number[13]
    unmeasured = replace(by_number[2], run_seconds=None, peak_memory_mib=None)
    measured_trees = replace(trees, run_seconds=21.2, peak_memory_mib=243.6)
    guide = render_guide([unmeasured, measured_trees], date)
    assert f"| 13. {trees.title} | 21 s | 244 MiB |" in guide
    assert f"| 2. {unmeasured.title} | not measured yet | not measured yet |" in guide
    assert "2.4 min" in render_guide([replace(trees, run_seconds=144.0)], date)
    assert "PIP_NO_INDEX=1" in guide and "UV_OFFLINE=1" in guide


def test_reading_time_counts_prose_words_only():
    assert reading_minutes("word " * 200) == 1
    assert reading_minutes("word " * 201) == 2
    assert reading_minutes("") == 1
    fenced = "```{exercise} Title\n:label: ch13-x\n\n" + "word " * 200 + "\n```"
    assert reading_minutes(fenced) == 1  # the fence lines and options are not words
    assert reading_minutes("{glue:text}`accuracy:.1%` " * 200) == 1
    assert reading_minutes("{term}`deep learning` " * 100) == 1
    assert reading_minutes("{term}`deep learning` " * 101) == 2
    assert reading_minutes("{term}`nets <neural network>` " * 101) == 1


def test_prerequisites_are_earlier_chapters_named_in_the_prose():
    chapters = set(range(1, 28))
    text = "As in chapter 10 and Chapter 9; chapters 15 and 19, chapters 20 to 22; chapter 26."
    assert prerequisites(text, 24, chapters) == (9, 10, 15, 19, 20, 21, 22)
    assert prerequisites("chapter 09 and chapter 99", 12, chapters) == (9,)
    assert prerequisites("this chapter, the chapters", 12, chapters) == ()


def test_declared_prerequisites_are_read_from_the_notebook_metadata():
    chapters = set(range(1, 28))
    notebook = {"metadata": {"dlbigdata": {"prerequisites": [9, 2, 9]}}, "cells": []}
    assert declared_prerequisites(notebook, "10_x.ipynb", 10, chapters) == (2, 9)
    assert declared_prerequisites({"metadata": {}}, "10_x.ipynb", 10, chapters) == ()


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ("2, 9", "must be a list of chapter numbers, got '2, 9'"),
        ([2, "9"], "must be a list of chapter numbers"),
        ([True], "must be a list of chapter numbers"),
        ([12], r"prerequisites \[12\] are not earlier chapters"),
        ([5, 40], r"prerequisites \[40\] are not earlier chapters"),
    ],
)
def test_bad_prerequisite_declarations_are_refused(declared, message):
    notebook = {"metadata": {"dlbigdata": {"prerequisites": declared}}}
    with pytest.raises(ValueError, match=message):
        declared_prerequisites(notebook, "12_x.ipynb", 12, set(range(1, 28)))


def test_a_declared_prerequisite_reaches_the_guide(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name, metadata in [("02_a.ipynb", {}), ("05_b.ipynb", {"prerequisites": [2]})]:
        cells = [{"cell_type": "markdown", "metadata": {}, "source": "# Title\n\nText."}]
        notebook = {"metadata": {"dlbigdata": metadata}, "cells": cells}
        (notebooks / name).write_text(json.dumps(notebook))
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: notebooks/02_a\n- file: notebooks/05_b\n"
    )
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"machine": {"date": "2026-12-01 23:00 UTC"}, "notebooks": []}))
    facts, _ = chapter_facts(toc, results)
    assert [(chapter.number, chapter.prerequisites) for chapter in facts] == [(2, ()), (5, (2,))]


def chapter(run_seconds, reading, exercises):
    return Chapter(13, "Trees", "notebooks/13_trees", reading, (), exercises, run_seconds, 1.0)


def test_the_lab_plan_follows_the_stated_rule():
    plan = lab_plan(chapter(20.7, 13, 2))
    assert [minutes for minutes, _ in plan] == [10, 14, 56, 10]
    assert plan[2][1] == "exercises 1–2 of the student edition"
    # Long reading goes before the lab; unmeasured runs get 5 minutes.
    plan = lab_plan(chapter(None, 50, 3))
    assert plan[0][1].startswith("(before the lab: read the chapter (50 min))")
    assert plan[1][0] == 35 + 5
    assert plan[2] == (30, "exercises 1–2 of the student edition")
    assert plan[3][1].endswith("exercise 3 as homework")
    # A run over 20 minutes is done before the lab.
    plan = lab_plan(chapter(40 * 60, 25, 2))
    assert "(before the lab: run the notebook (40 min))" in plan[0][1]
    assert [minutes for minutes, _ in plan] == [10, 25, 45, 10]
    # No room for an exercise: it is homework.
    plan = lab_plan(chapter(19 * 60, 35, 1))
    assert [minutes for minutes, _ in plan] == [10, 54, 16, 10]
    plan = lab_plan(chapter(20 * 60, 35, 2))
    assert plan[2] == (15, "exercise 1 of the student edition")
    assert "exercise 2 as homework" in plan[-1][1]
    for plan in [
        lab_plan(chapter(s, r, e)) for s in (None, 5, 3000) for r in (1, 60) for e in (0, 4)
    ]:
        assert sum(minutes for minutes, _ in plan) == 90


@pytest.mark.hostile("bad_input")
def test_bad_benchmark_results_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"no benchmark results at .*run `make bench`"):
        load_measurements(tmp_path / "missing.json")
    bad = tmp_path / "results.json"
    for content in [
        "not json",
        '{"notebooks": []}',
        '{"machine": {"date": "x"}, "notebooks": [{}]}',
    ]:
        bad.write_text(content)
        with pytest.raises(ValueError, match="is not a `make bench` result"):
            load_measurements(bad)


def test_check_mode_says_whether_the_page_is_current(tmp_path, capsys):
    output = tmp_path / "teaching.md"
    arguments = [
        "--toc",
        str(ROOT / "_toc.yml"),
        "--results",
        str(ROOT / "bench" / "results.json"),
    ]
    assert main([*arguments, "--output", str(output), "--check"]) == 1
    assert "out of date: run `make teaching`" in capsys.readouterr().err
    assert main([*arguments, "--output", str(output)]) == 0
    assert main([*arguments, "--output", str(output), "--check"]) == 0
    assert main(["--toc", str(tmp_path / "none.yml"), "--output", str(output)]) == 1
