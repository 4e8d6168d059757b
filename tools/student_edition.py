"""Write the student edition: every chapter of ``_toc.yml`` with its solutions taken out.

``make student`` runs ``python -m tools.student_edition``. For each notebook in the table of
contents it writes ``_build/student/NN_topic.ipynb`` in which

- every code cell tagged ``solution`` (the cell's metadata tags, never its text) becomes one
  stub cell, ``# your code here`` (consecutive solution cells become a single stub);
- the ``exercise`` directive becomes plain Markdown numbered per chapter ("Exercise 13.1"),
  which reads well in JupyterLab, where MyST directives are not rendered;
- the ``solution-start`` cell becomes a short prompt, and the prose of the solution (the
  Markdown inside the block, including what precedes ``solution-end`` in its cell) is
  dropped, because it states the answer;
- the check cells (code that calls :mod:`dlbigdata.checks`) are kept, inside or after the
  block, so a learner can test an answer and read the hint;
- outputs and execution counts are cleared.

A notebook is refused (``ValueError`` naming the notebook and the cell) when a solution block
has no tagged code cell, when a tagged cell lies outside a solution block, when a block
holds an untagged code cell that is not a check (it would leak the answer), or when the
directives do not pair up.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "SOLUTION_TAG",
    "STUB",
    "calls_a_check",
    "check_names",
    "make_student_notebook",
    "toc_notebooks",
    "write_student_edition",
]

SOLUTION_TAG = "solution"
"""The cell tag that marks a solution's code."""

STUB = "# your code here"
"""What a learner sees in place of a solution's code."""

CHECKS_MODULE = "dlbigdata.checks"

_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}[ \t]*(?P<argument>.*)$")
_DIRECTIVES = {"exercise", "solution", "solution-start", "solution-end"}


@dataclass
class _Directive:
    """One exercise or solution directive found in a Markdown cell."""

    name: str
    argument: str
    options: dict[str, str]
    body: str
    start: int
    end: int  # line index just past the closing fence


def _lines(cell: dict[str, Any]) -> list[str]:
    """The cell's source as a list of lines without line ends."""
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    return text.split("\n")


def _tags(cell: dict[str, Any]) -> list[str]:
    """The cell's metadata tags (an empty list when it has none)."""
    tags = cell.get("metadata", {}).get("tags", [])
    if not isinstance(tags, list):
        raise ValueError(f"cell tags must be a list of strings, got {tags!r}")
    return tags


def _directives(lines: Sequence[str]) -> list[_Directive]:
    """The exercise and solution directives of a Markdown cell, in order."""
    found: list[_Directive] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index].strip())
        if match is None or match["name"] not in _DIRECTIVES:
            index += 1
            continue
        fence, options = match["fence"], {}
        cursor = index + 1
        while cursor < len(lines) and re.match(r"^:[\w-]+:", lines[cursor].strip()):
            key, _, value = lines[cursor].strip()[1:].partition(":")
            options[key] = value.strip()
            cursor += 1
        body_start = cursor
        while cursor < len(lines) and not (
            lines[cursor].strip().startswith(fence[0] * len(fence))
            and set(lines[cursor].strip()) == {fence[0]}
        ):
            cursor += 1
        body = "\n".join(lines[body_start:cursor]).strip()
        found.append(
            _Directive(match["name"], match["argument"].strip(), options, body, index, cursor + 1)
        )
        index = cursor + 1
    return found


def _parse(source: str) -> ast.Module | None:
    """The cell's code as an AST (IPython magics blanked), or None when it does not parse."""
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")
    )
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def check_names(cells: Iterable[dict[str, Any]]) -> tuple[set[str], set[str]]:
    """The names a notebook imports from :mod:`dlbigdata.checks`.

    Returns
    -------
    functions, modules
        Names bound to its functions (``from dlbigdata.checks import check_close``) and
        names bound to the module itself (``from dlbigdata import checks``).
    """
    functions: set[str] = set()
    modules: set[str] = set()
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        tree = _parse("\n".join(_lines(cell)))
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.ImportFrom) and node.module == CHECKS_MODULE:
                functions.update(alias.asname or alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module == "dlbigdata":
                modules.update(
                    alias.asname or alias.name for alias in node.names if alias.name == "checks"
                )
            elif isinstance(node, ast.Import):
                modules.update(
                    alias.asname or alias.name
                    for alias in node.names
                    if alias.name == CHECKS_MODULE
                )
    return functions, modules


def calls_a_check(source: str, functions: set[str], modules: set[str]) -> bool:
    """Whether this code calls a function of :mod:`dlbigdata.checks` (by the names imported)."""
    tree = _parse(source)
    if tree is None:
        return False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in functions:
            return True
        if isinstance(node.func, ast.Attribute) and ast.unparse(node.func.value) in modules:
            return True
    return False


def _chapter_number(name: str) -> str:
    """The chapter number of ``NN_topic.ipynb`` without leading zeros ("" when none)."""
    match = re.match(r"^(\d+)", Path(name).name)
    return str(int(match[1])) if match else ""


def _markdown(source: str, cell_id: str) -> dict[str, Any]:
    """A new Markdown cell."""
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


def _stub(cell: dict[str, Any]) -> dict[str, Any]:
    """The stub that replaces a solution cell (its id and tags kept, its code gone)."""
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell.get("id", ""),
        "metadata": {"tags": [SOLUTION_TAG]},
        "outputs": [],
        "source": STUB,
    }


def _cleared(cell: dict[str, Any]) -> dict[str, Any]:
    """A copy of the cell without outputs or execution count."""
    cell = copy.deepcopy(cell)
    if cell.get("cell_type") == "code":
        cell["outputs"], cell["execution_count"] = [], None
    return cell


def _exercise_markdown(directive: _Directive, number: str) -> str:
    """An exercise directive written as plain Markdown."""
    heading = f"**Exercise {number}.**"
    if directive.argument:
        heading += f" *{directive.argument}*"
    return f"{heading}\n\n{directive.body}".rstrip()


def _prompt(number: str, has_check: bool) -> str:
    """The text that stands where a solution would open."""
    text = f"**Your answer to exercise {number}.** Write your code in the cell below."
    if has_check:
        text += " Then run the check cell after it: it says whether the answer is right and,"
        text += " if not, gives a hint."
    return text


def make_student_notebook(notebook: dict[str, Any], name: str) -> dict[str, Any]:
    """The student edition of one notebook (a new dict; ``notebook`` is not changed).

    Parameters
    ----------
    notebook
        The notebook as read by :func:`json.load` (nbformat 4).
    name
        Its file name, used in error messages and for the chapter number.

    Raises
    ------
    ValueError
        If a solution block has no code cell tagged ``solution``, a tagged cell is outside a
        solution block, an untagged code cell inside a block is not a check, or the
        exercise and solution directives do not pair up.
    """
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise ValueError(f"{name}: not a notebook (no list of cells)")
    functions, modules = check_names(cells)
    chapter = _chapter_number(name)
    exercises = 0
    output: list[dict[str, Any]] = []
    block: dict[str, Any] | None = None  # the open solution block: start cell, tagged count

    def refuse(index: int, problem: str) -> ValueError:
        return ValueError(f"{name}, cell {index}: {problem}")

    def is_check(cell: dict[str, Any]) -> bool:
        return calls_a_check("\n".join(_lines(cell)), functions, modules)

    for index, cell in enumerate(cells):
        kind = cell.get("cell_type")
        tagged = SOLUTION_TAG in _tags(cell)
        if kind == "code":
            if block is None:
                if tagged:
                    raise refuse(index, "a cell tagged 'solution' lies outside a solution block")
                output.append(_cleared(cell))
            elif tagged:
                block["tagged"] += 1
                if not (output and output[-1].get("source") == STUB):
                    output.append(_stub(cell))
            elif is_check(cell):
                output.append(_cleared(cell))
            else:
                raise refuse(
                    index,
                    "an untagged code cell inside a solution block does not call "
                    f"{CHECKS_MODULE}; tag it 'solution' or make it a check",
                )
            continue
        if tagged:
            raise refuse(index, f"only code cells may be tagged 'solution', this is {kind}")
        if kind != "markdown":
            if block is None:
                output.append(_cleared(cell))
            continue
        lines = _lines(cell)
        kept: list[str] = []  # the Markdown of this cell that a student may read
        position = 0
        for directive in _directives(lines):
            if block is None:
                kept.extend(lines[position : directive.start])
            position = directive.end
            if directive.name == "solution":
                raise refuse(
                    index,
                    "a {solution} directive holds its answer in Markdown; use "
                    "solution-start / solution-end around a tagged code cell",
                )
            if block is not None and directive.name != "solution-end":
                raise refuse(
                    index,
                    f"{{{directive.name}}} inside the open solution block of cell "
                    f"{block['start']}; close it with solution-end first",
                )
            if directive.name == "exercise":
                exercises += 1
                number = f"{chapter}.{exercises}" if chapter else str(exercises)
                kept.append(_exercise_markdown(directive, number))
            elif directive.name == "solution-start":
                block = {"start": index, "tagged": 0}
                number = f"{chapter}.{exercises}" if chapter else str(exercises)
                kept.append(f"<<prompt {number}>>")
            elif block is None:
                raise refuse(index, "solution-end without a solution-start before it")
            else:
                if block["tagged"] == 0:
                    raise refuse(
                        block["start"],
                        "this solution block has no code cell tagged 'solution' (the tag "
                        "marks the answer that the student edition replaces by a stub)",
                    )
                block = None
        if block is None:
            kept.extend(lines[position:])
        text = "\n".join(kept).strip()
        if text:
            new = _cleared(cell)
            new["source"] = text
            output.append(new)
    if block is not None:
        raise refuse(block["start"], "this solution-start has no solution-end")
    _fill_prompts(output, is_check)
    student = copy.deepcopy({key: value for key, value in notebook.items() if key != "cells"})
    student["cells"] = output
    return student


def _fill_prompts(cells: list[dict[str, Any]], is_check: Any) -> None:
    """Replace each prompt placeholder by its text, saying whether a check follows."""
    for position, cell in enumerate(cells):
        match = re.search(r"<<prompt ([\d.]+)>>", str(cell["source"]))
        if cell.get("cell_type") != "markdown" or match is None:
            continue
        following = [c for c in cells[position + 1 :] if c.get("cell_type") == "code"]
        has_check = len(following) >= 2 and is_check(following[1])
        cell["source"] = cell["source"].replace(match[0], _prompt(match[1], has_check))


def toc_notebooks(toc: Path) -> list[Path]:
    """The notebooks listed in a Jupyter Book ``_toc.yml``, in order.

    Raises
    ------
    ValueError
        If the file is not a table of contents, or it lists a ``.ipynb`` file that does
        not exist (an entry without a suffix is a notebook only when ``.ipynb`` exists).
    """
    if not toc.is_file():
        raise ValueError(f"no table of contents at {toc}")
    content = yaml.safe_load(toc.read_text(encoding="utf-8"))
    if not isinstance(content, dict):
        raise ValueError(f"{toc} is not a Jupyter Book table of contents")
    files: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(content)
    root = toc.parent
    notebooks = []
    for entry in files:
        path = root / entry
        if path.suffix not in ("", ".ipynb"):
            continue
        if path.suffix == ".ipynb" and not path.is_file():
            raise ValueError(f"{toc} lists {entry!r}, which is not a file")
        path = path.with_suffix(".ipynb")
        if not path.is_file():
            continue  # a page of prose (book/intro.md); the toc's sync is a repository test
        notebooks.append(path)
    return notebooks


def write_student_edition(toc: Path, output_dir: Path) -> list[Path]:
    """Write the student edition of every notebook in ``toc`` into ``output_dir``.

    Every notebook is converted before any is written, so a refused notebook leaves no
    partial edition behind. Returns the paths written.
    """
    editions = []
    for path in toc_notebooks(toc):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        editions.append((path.name, make_student_notebook(notebook, path.name)))
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, notebook in editions:
        target = output_dir / name
        target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m tools.student_edition [--toc _toc.yml] [--output-dir DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--toc", type=Path, default=Path("_toc.yml"))
    parser.add_argument("--output-dir", type=Path, default=Path("_build/student"))
    arguments = parser.parse_args(argv)
    try:
        written = write_student_edition(arguments.toc, arguments.output_dir)
    except ValueError as error:
        print(f"student edition refused: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} student notebooks to {arguments.output_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
