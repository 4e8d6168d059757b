"""Tests of tools/student_edition.py: solutions out by tag, checks kept, bad notebooks refused."""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.student_edition import (
    STUB,
    calls_a_check,
    check_names,
    main,
    make_student_notebook,
    toc_notebooks,
    write_student_edition,
)

ROOT = Path(__file__).resolve().parents[1]

IMPORTS = "import numpy as np\nfrom dlbigdata.checks import check_close"
EXERCISE = """## Exercises

```{exercise} The mean, by hand
:label: ch13-mean

Compute `mean` of `values` without `np.mean`.
```"""
START = "```{solution-start} ch13-mean\n:class: dropdown\n```"
ANSWER = "mean = sum(values) / len(values)"
CHECK = 'check_close("mean", mean, np.mean(values), hint="Divide by the count.")'
END = "The mean is 2.0, the SECRET answer.\n\n```{solution-end}\n```"


def tagged(source: str) -> nbformat.NotebookNode:
    """A code cell tagged ``solution``."""
    return new_code_cell(source, metadata={"tags": ["solution"]})


def chapter(*cells: nbformat.NotebookNode) -> dict:
    """A notebook with the imports, then ``cells``, as a plain dict."""
    notebook = new_notebook(cells=[new_code_cell(IMPORTS), *cells])
    return json.loads(nbformat.writes(notebook))


def exercise_cells(answer_cells=None, check_inside=True) -> list:
    """An exercise with its gated solution, as chapter 13 writes them."""
    answer_cells = [tagged(ANSWER)] if answer_cells is None else answer_cells
    inside = [*answer_cells, new_code_cell(CHECK)] if check_inside else answer_cells
    after = [] if check_inside else [new_code_cell(CHECK)]
    return [
        new_markdown_cell(EXERCISE),
        new_markdown_cell(START),
        *inside,
        new_markdown_cell(END),
        *after,
    ]


def sources(notebook: dict, kind: str | None = None) -> list[str]:
    """The sources of the notebook's cells (of one kind when given)."""
    return [
        "".join(cell["source"])
        for cell in notebook["cells"]
        if kind is None or cell["cell_type"] == kind
    ]


@pytest.mark.parametrize("check_inside", [True, False], ids=["check-in-block", "after"])
def test_solution_becomes_a_stub_and_the_check_stays(check_inside):
    notebook = chapter(*exercise_cells(check_inside=check_inside))
    original = copy.deepcopy(notebook)
    student = make_student_notebook(notebook, "13_trees.ipynb")
    assert notebook == original  # the input is not changed
    code = sources(student, "code")
    assert code == [IMPORTS, STUB, CHECK]
    assert not any(ANSWER in text for text in sources(student))
    markdown = "\n".join(sources(student, "markdown"))
    assert "**Exercise 13.1.** *The mean, by hand*" in markdown
    assert "Compute `mean` of `values` without `np.mean`." in markdown
    assert "SECRET" not in markdown  # the solution's prose states the answer
    assert "{solution" not in markdown and "{exercise}" not in markdown
    assert ":class: dropdown" not in markdown and ":label:" not in markdown
    assert "Write your code in the cell below. Then run the check cell" in markdown


def test_the_prompt_mentions_no_check_when_none_follows():
    cells = exercise_cells(check_inside=False)[:-1]  # drop the check after the block
    student = make_student_notebook(chapter(*cells), "13_trees.ipynb")
    markdown = "\n".join(sources(student, "markdown"))
    assert "Write your code in the cell below." in markdown
    assert "check cell" not in markdown


def test_consecutive_solution_cells_become_one_stub():
    answer = [tagged("total = sum(values)"), tagged("mean = total / len(values)")]
    student = make_student_notebook(chapter(*exercise_cells(answer)), "13_trees.ipynb")
    assert sources(student, "code") == [IMPORTS, STUB, CHECK]


def test_solutions_are_found_by_tag_not_by_text():
    # A tagged cell is replaced whatever it says; an untagged one is never guessed at.
    odd = tagged("print('nothing here looks like an answer')")
    student = make_student_notebook(chapter(*exercise_cells([odd])), "13_trees.ipynb")
    assert sources(student, "code")[1] == STUB
    looks_like_a_solution = new_code_cell("# solution\nmean = 2.0")
    outside = chapter(looks_like_a_solution, *exercise_cells())
    assert sources(make_student_notebook(outside, "13_trees.ipynb"), "code")[1] == (
        "# solution\nmean = 2.0"
    )


def test_text_around_the_directives_is_kept_outside_the_block_only():
    cells = exercise_cells()
    cells[1] = new_markdown_cell("Take your time.\n\n" + START)
    cells[-1] = new_markdown_cell(END + "\n\nNext comes the summary.")
    student = make_student_notebook(chapter(*cells), "13_trees.ipynb")
    markdown = "\n".join(sources(student, "markdown"))
    assert "Take your time." in markdown
    assert "Next comes the summary." in markdown
    assert "SECRET" not in markdown


def test_markdown_inside_the_block_is_dropped():
    cells = exercise_cells()
    cells.insert(3, new_markdown_cell("Note that the SECRET is the sum over the count."))
    student = make_student_notebook(chapter(*cells), "13_trees.ipynb")
    assert "SECRET" not in "\n".join(sources(student))


def test_exercises_are_numbered_per_chapter_and_outputs_cleared():
    first = exercise_cells()
    second = exercise_cells()
    second[0] = new_markdown_cell(EXERCISE.replace("The mean, by hand", "Again"))
    notebook = chapter(*first, *second)
    notebook["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    notebook["cells"][0]["execution_count"] = 3
    student = make_student_notebook(notebook, "07_dqn.ipynb")
    markdown = "\n".join(sources(student, "markdown"))
    assert "**Exercise 7.1.**" in markdown and "**Exercise 7.2.** *Again*" in markdown
    assert "exercise 7.2." in markdown
    assert student["cells"][0]["outputs"] == []
    assert student["cells"][0]["execution_count"] is None
    assert student["metadata"] == notebook["metadata"]


def test_checks_are_recognised_by_the_names_imported():
    cells = [
        new_code_cell(
            "from dlbigdata import checks as ch\nfrom dlbigdata.checks import (\n"
            "    check_true as verify,\n)"
        ),
    ]
    functions, modules = check_names(cells)
    assert functions == {"verify"} and modules == {"ch"}
    assert calls_a_check("verify('x', True)", functions, modules)
    assert calls_a_check("ch.check_close('x', 1.0, 1.0)", functions, modules)
    assert calls_a_check("%time\nverify('x', True)", functions, modules)  # magics ignored
    # Mentioning a check is not calling it, and unparseable code is no check.
    assert not calls_a_check("# verify('x', True)\ntext = 'ch.check_close'", functions, modules)
    assert not calls_a_check("check_close('x', 1.0, 1.0)", functions, modules)
    assert not calls_a_check("verify(", functions, modules)


@pytest.mark.hostile("bad_input")
def test_a_solution_without_a_tagged_cell_is_refused():
    notebook = chapter(*exercise_cells([]))
    with pytest.raises(ValueError, match=r"13_trees.ipynb, cell 2: .*no code cell tagged"):
        make_student_notebook(notebook, "13_trees.ipynb")


@pytest.mark.hostile("bad_input")
def test_an_untagged_answer_inside_a_block_is_refused():
    notebook = chapter(*exercise_cells([new_code_cell(ANSWER)]))
    with pytest.raises(ValueError, match=r"13_trees.ipynb, cell 3: an untagged code cell"):
        make_student_notebook(notebook, "13_trees.ipynb")


@pytest.mark.hostile("bad_input")
def test_a_tagged_cell_outside_a_block_is_refused():
    notebook = chapter(tagged(ANSWER), *exercise_cells())
    with pytest.raises(ValueError, match=r"13_trees.ipynb, cell 1: .*outside a solution block"):
        make_student_notebook(notebook, "13_trees.ipynb")
    markdown = chapter(new_markdown_cell("text"))
    markdown["cells"][1]["metadata"]["tags"] = ["solution"]
    with pytest.raises(ValueError, match="only code cells may be tagged"):
        make_student_notebook(markdown, "13_trees.ipynb")


@pytest.mark.hostile("bad_input")
@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([new_markdown_cell("```{solution-end}\n```")], r"cell 1: solution-end without"),
        ([new_markdown_cell(START), tagged(ANSWER)], r"cell 1: this solution-start has no"),
        (
            [new_markdown_cell(START), tagged(ANSWER), new_markdown_cell(START)],
            r"cell 3: \{solution-start\} inside the open solution block of cell 1",
        ),
        (
            [new_markdown_cell(START), tagged(ANSWER), new_markdown_cell(EXERCISE)],
            r"cell 3: \{exercise\} inside the open solution block",
        ),
        (
            [new_markdown_cell("```{solution} ch13-mean\nThe answer is 2.\n```")],
            r"cell 1: a \{solution\} directive holds its answer in Markdown",
        ),
        ([new_markdown_cell(START + "\n" + END)], r"cell 1: this solution block has no code"),
    ],
    ids=["end-alone", "unclosed", "nested", "exercise-inside", "ungated", "empty"],
)
def test_directives_that_do_not_pair_up_are_refused(cells, message):
    with pytest.raises(ValueError, match=r"13_trees.ipynb, " + message):
        make_student_notebook(chapter(*cells), "13_trees.ipynb")


@pytest.mark.hostile("bad_input")
def test_what_is_not_a_notebook_is_refused():
    with pytest.raises(ValueError, match=r"x\.ipynb: not a notebook"):
        make_student_notebook({"cells": "none"}, "x.ipynb")
    notebook = chapter(new_code_cell("x = 1"))
    notebook["cells"][1]["metadata"]["tags"] = "solution"
    with pytest.raises(ValueError, match="tags must be a list"):
        make_student_notebook(notebook, "x.ipynb")


def write_book(tmp_path: Path, notebook: dict) -> Path:
    """A tiny book: a Markdown root, a part with one notebook and a Markdown page."""
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.md").write_text("# Intro\n")
    (tmp_path / "book" / "extra.md").write_text("# Extra\n")
    (tmp_path / "notebooks" / "13_trees.ipynb").write_text(json.dumps(notebook))
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: One\n    chapters:\n"
        "      - file: notebooks/13_trees\n      - file: book/extra\n"
    )
    return toc


def test_the_edition_is_written_for_the_notebooks_of_the_toc(tmp_path):
    toc = write_book(tmp_path, chapter(*exercise_cells()))
    assert toc_notebooks(toc) == [tmp_path / "notebooks" / "13_trees.ipynb"]
    output = tmp_path / "_build" / "student"
    assert main(["--toc", str(toc), "--output-dir", str(output)]) == 0
    assert sorted(path.name for path in output.iterdir()) == ["13_trees.ipynb"]
    student = nbformat.read(output / "13_trees.ipynb", as_version=4)
    nbformat.validate(student)
    assert [cell.source for cell in student.cells if cell.cell_type == "code"][1] == STUB


@pytest.mark.hostile("bad_input")
def test_a_refused_notebook_writes_nothing(tmp_path, capsys):
    toc = write_book(tmp_path, chapter(*exercise_cells([])))
    output = tmp_path / "student"
    assert main(["--toc", str(toc), "--output-dir", str(output)]) == 1
    assert "student edition refused: 13_trees.ipynb, cell 2" in capsys.readouterr().err
    assert not output.exists()
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: notebooks/99_missing.ipynb\n"
    )
    with pytest.raises(
        ValueError, match=r"lists 'notebooks/99_missing\.ipynb', which is not a file"
    ):
        write_student_edition(tmp_path / "_toc.yml", output)
    with pytest.raises(ValueError, match="no table of contents"):
        toc_notebooks(tmp_path / "nothing.yml")


def solution_leftovers(original: dict, student: dict) -> list[str]:
    """Lines of solution code or solution prose of ``original`` still in ``student``.

    A line counts when it is at least 20 characters long and appears nowhere in the original
    outside the solutions (so a line a check repeats, such as an import, is not counted).
    """
    secret, public = [], []
    inside = False
    for cell in original["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and "{solution-start}" in text:
            inside = True
            continue
        if "solution" in cell["metadata"].get("tags", []):
            secret.extend(text.splitlines())
        elif inside and cell["cell_type"] == "markdown":
            secret.extend(text.split("```{solution-end}")[0].splitlines())
        else:
            public.extend(text.splitlines())
        if cell["cell_type"] == "markdown" and "{solution-end}" in text:
            inside = False
    public_lines = {line.strip() for line in public}
    student_lines = {line.strip() for text in sources(student) for line in text.splitlines()}
    return sorted(
        line.strip()
        for line in secret
        if len(line.strip()) >= 20
        and line.strip() not in public_lines
        and line.strip() in student_lines
    )


@pytest.mark.parametrize("path", toc_notebooks(ROOT / "_toc.yml"), ids=lambda p: p.name)
def test_no_solution_is_left_in_any_student_notebook(path):
    original = json.loads(path.read_text(encoding="utf-8"))
    student = make_student_notebook(original, path.name)
    assert not solution_leftovers(original, student)
    stubs = sources(student, "code").count(STUB)
    solutions = "".join(sources(original, "markdown")).count("{solution-start}")
    assert stubs >= solutions >= 1, (stubs, solutions)  # an answer may come in two parts


def test_the_leftover_detector_finds_a_leak():
    notebook = chapter(*exercise_cells([tagged("mean = sum(values) / len(values)  # leak")]))
    student = make_student_notebook(notebook, "13_trees.ipynb")
    assert not solution_leftovers(notebook, student)
    student["cells"][2]["source"] = "mean = sum(values) / len(values)  # leak"
    assert solution_leftovers(notebook, student) == ["mean = sum(values) / len(values)  # leak"]


@pytest.mark.slow
def test_a_student_runs_chapter_13_to_its_first_exercise_and_gets_the_hint(tmp_path):
    from nbclient import NotebookClient

    source = ROOT / "notebooks" / "13_decision_trees.ipynb"
    original = json.loads(source.read_text(encoding="utf-8"))
    written = write_student_edition(ROOT / "_toc.yml", tmp_path)
    assert all(
        not solution_leftovers(
            json.loads((ROOT / "notebooks" / p.name).read_text()), json.loads(p.read_text())
        )
        for p in written
    )
    student = nbformat.read(tmp_path / source.name, as_version=4)
    stub = next(i for i, cell in enumerate(student.cells) if cell.source == STUB)
    check = student.cells[stub + 1]
    assert "check_close" in check.source
    answer = next(
        "".join(cell["source"])
        for cell in original["cells"]
        if "solution" in cell["metadata"].get("tags", [])
    )
    client = NotebookClient(
        student,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(source.parent)}},
    )
    with client.setup_kernel():
        for index, cell in enumerate(student.cells[: stub + 1]):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)  # raises if the chapter breaks before
        # A wrong answer: the check fails with its hint, not with a NameError.
        wrong = nbformat.v4.new_code_cell("root_gini, root_entropy = 0.25, 0.5")
        client.execute_cell(wrong, stub)
        with pytest.raises(Exception, match="AnswerError") as failure:
            client.execute_cell(copy.deepcopy(check), stub + 1)
        assert "Hint: Use the class shares" in str(failure.value)
        # The book's own answer typed into the stub passes the same check.
        client.execute_cell(nbformat.v4.new_code_cell(answer), stub)
        passed = copy.deepcopy(check)
        client.execute_cell(passed, stub + 1)
    printed = "".join(output.get("text", "") for output in passed.outputs)
    assert "Correct: Gini impurity of the root checks out." in printed
    assert "Correct: entropy of the root checks out." in printed


def load_extension():
    """The site's extension book/_ext/student_download.py, imported from its file."""
    spec = importlib.util.spec_from_file_location(
        "student_download", ROOT / "book" / "_ext" / "student_download.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def theme_buttons() -> list[dict]:
    """The download menu as sphinx-book-theme builds it for a notebook page."""
    labels = ["download-notebook-button", "download-source-button", "download-pdf-button"]
    return [
        {"label": "fullscreen-button"},
        {"label": "download-buttons", "buttons": [{"label": label} for label in labels]},
    ]


def test_the_site_offers_the_student_notebook_beside_the_full_one(tmp_path):
    extension = load_extension()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "13_trees.ipynb").write_text(json.dumps(chapter(*exercise_cells())))
    app = SimpleNamespace(srcdir=str(tmp_path))
    context = {"header_buttons": theme_buttons(), "pathto": lambda name, _: f"../{name}"}
    extension.add_student_button(app, "notebooks/13_trees", "page.html", context, None)
    menu = context["header_buttons"][1]["buttons"]
    assert [button["label"] for button in menu] == [
        "download-notebook-button",
        "download-student-notebook-button",
        "download-source-button",
        "download-pdf-button",
    ]
    assert menu[1]["url"] == "../_sources/student/13_trees.ipynb"
    # A page of prose gets no student notebook.
    prose = {"header_buttons": theme_buttons(), "pathto": context["pathto"]}
    extension.add_student_button(app, "book/intro", "page.html", prose, None)
    assert prose["header_buttons"] == theme_buttons()


def test_the_build_writes_the_student_notebooks_into_the_site(tmp_path):
    extension = load_extension()
    source, site = tmp_path / "src", tmp_path / "html"
    (source / "notebooks").mkdir(parents=True)
    (source / "notebooks" / "13_trees.ipynb").write_text(json.dumps(chapter(*exercise_cells())))
    (source / "intro.md").write_text("# Intro\n")
    app = SimpleNamespace(
        srcdir=str(source),
        outdir=str(site),
        builder=SimpleNamespace(format="html"),
        env=SimpleNamespace(found_docs={"intro", "notebooks/13_trees"}),
    )
    extension.on_build_finished(app, None)
    written = sorted(path.name for path in (site / "_sources" / "student").iterdir())
    assert written == ["13_trees.ipynb"]
    student = json.loads((site / "_sources" / "student" / "13_trees.ipynb").read_text())
    assert sources(student, "code") == [IMPORTS, STUB, CHECK]
    # A refused notebook fails the build; a failed build writes nothing more.
    (source / "notebooks" / "13_trees.ipynb").write_text(json.dumps(chapter(tagged(ANSWER))))
    with pytest.raises(ValueError, match=r"13_trees\.ipynb, cell 1"):
        extension.on_build_finished(app, None)
    app.outdir = str(tmp_path / "failed")
    extension.on_build_finished(app, RuntimeError("the build failed"))
    assert not (tmp_path / "failed").exists()


@pytest.mark.slow
def test_a_small_site_links_the_student_notebook(tmp_path):
    notebook = chapter(*exercise_cells())
    notebook["cells"].insert(0, json.loads(json.dumps(new_markdown_cell("# Trees"))))
    notebook["metadata"] = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "13_trees.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "intro.md").write_text("# Intro\n\nA small book.\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/13_trees\n"
    )
    (tmp_path / "_config.yml").write_text(
        "title: Small\nexecute:\n  execute_notebooks: 'off'\n"
        "sphinx:\n  extra_extensions:\n    - sphinx_exercise\n"
        f"  local_extensions:\n    student_download: {ROOT / 'book' / '_ext'}\n"
    )
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    completed = subprocess.run(
        [str(jupyter_book), "build", str(tmp_path), "--builder", "html", "-W", "-n"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert completed.returncode == 0, (completed.stdout + completed.stderr)[-5000:]
    site = tmp_path / "_build" / "html"
    page = (site / "notebooks" / "13_trees.html").read_text()
    assert "download-student-notebook-button" in page
    assert "../_sources/student/13_trees.ipynb" in page
    assert "download-student-notebook-button" not in (site / "intro.html").read_text()
    student = json.loads((site / "_sources" / "student" / "13_trees.ipynb").read_text())
    assert sources(student, "code") == [IMPORTS, STUB, CHECK]
    assert (site / "_sources" / "notebooks" / "13_trees.ipynb").is_file()  # the full one
