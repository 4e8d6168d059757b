"""Repository checks: clean notebooks, table of contents in sync, lock files that agree."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from factories import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DOWNLOADS = re.compile(
    r"urlretrieve|requests\.get|urlopen|keras\.datasets|load_data\(|fetch_openml|fetch_20newsgroups"
    r"|tfds\.load|sns\.load_dataset|seaborn\.load_dataset|read_csv\(\s*['\"]https?:"
)


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text())


def code_of(notebook: dict) -> str:
    return "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")


def markdown_of(notebook: dict) -> str:
    return "\n".join(
        "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
    )


def toc_files() -> list[str]:
    sys.path.insert(0, str(ROOT / "tools"))
    from check_site import toc_files as read_toc

    return read_toc(ROOT / "_toc.yml")


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no chapter"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_clean(path):
    notebook = read_notebook(path)
    dirty = [
        i
        for i, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs or execution counts; run `make strip`"
    )
    assert notebook["metadata"].get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_chapter_conventions(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name
    notebook = read_notebook(path)
    first = "".join(notebook["cells"][0]["source"])
    assert notebook["cells"][0]["cell_type"] == "markdown" and first.startswith("# "), (
        f"{path.name}: the first cell must be the chapter title"
    )
    assert "Learning objectives" in first, f"{path.name}: no learning objectives in the first cell"
    code, markdown = code_of(notebook), markdown_of(notebook)
    assert "assert" in code, f"{path.name}: no assert backs its claims"
    assert markdown.count("```{exercise}") >= 2, f"{path.name}: fewer than two exercises"
    assert markdown.count("```{solution-start}") == markdown.count("```{exercise}"), (
        f"{path.name}: every exercise needs a solution"
    )
    assert "dlbigdata.checks" in code or "from dlbigdata.checks" in code, (
        f"{path.name}: solutions must check answers with dlbigdata.checks"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_downloads_nothing(path):
    match = DOWNLOADS.search(code_of(read_notebook(path)))
    assert match is None, f"{path.name} seems to download data: {match.group(0) if match else ''}"


def test_toc_and_notebooks_are_in_sync():
    listed = toc_files()
    for entry in listed:
        candidates = [ROOT / f"{entry}.md", ROOT / f"{entry}.ipynb"]
        assert any(c.is_file() for c in candidates), (
            f"_toc.yml lists {entry}, which does not exist"
        )
    listed_notebooks = {e for e in listed if e.startswith("notebooks/")}
    on_disk = {f"notebooks/{p.stem}" for p in NOTEBOOKS}
    assert on_disk == listed_notebooks, (
        f"not in _toc.yml: {sorted(on_disk - listed_notebooks)}; "
        f"in _toc.yml but missing: {sorted(listed_notebooks - on_disk)}"
    )


def test_chapters_are_listed_in_order():
    chapters = [e for e in toc_files() if e.startswith("notebooks/")]
    assert chapters == sorted(chapters)


def bib_keys() -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", (ROOT / "book" / "references.bib").read_text(), re.M)


def test_bibliography_keys_are_unique():
    keys = bib_keys()
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_every_citation_exists():
    keys = set(bib_keys())
    sources = [p.read_text() for p in (ROOT / "book").glob("*.md")] + [
        markdown_of(read_notebook(p)) for p in NOTEBOOKS
    ]
    cited = {
        key.strip()
        for text in sources
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text)
        for key in group.split(",")
    }
    assert cited, "no chapter cites anything"
    assert cited <= keys, f"cited but not in references.bib: {sorted(cited - keys)}"


def test_lock_file_and_environment_yml_agree():
    sys.path.insert(0, str(ROOT / "tools"))
    from sync_environment import locked_requirements, render

    lock = (ROOT / "requirements.lock").read_text()
    assert (ROOT / "environment.yml").read_text() == render(lock), (
        "environment.yml is out of date; run `make lock`"
    )
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pip_section == locked_requirements(lock)
    assert "openjdk=17" in environment["dependencies"]


def test_lock_pins_everything_exactly():
    sys.path.insert(0, str(ROOT / "tools"))
    from sync_environment import locked_requirements

    for line in locked_requirements((ROOT / "requirements.lock").read_text()):
        assert re.match(r"^[A-Za-z0-9_.\-\[\]]+==[^=]", line), f"not an exact pin: {line}"


def test_stack_constraints_are_declared():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'"jupyter-book>=1[^"]*<2"', pyproject), "jupyter-book must stay below 2"
    assert re.search(r'"duckdb==[\d.]+"', pyproject), "DuckDB must be pinned exactly"
    lock = (ROOT / "requirements.lock").read_text()
    assert re.search(r"^jupyter-book==1\.", lock, re.M)


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make book" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_package_shape_is_within_budget():
    from tools.check_package_shape import shape_problems

    problems = shape_problems(ROOT / "src" / "dlbigdata")
    assert not problems, "\n".join(problems)


def test_package_imports_no_build_tool(tmp_path):
    """The learner's package runs without the book's build tools (nbclient, nbformat...).

    psutil is not one of them any more: chapter 26's Spark cluster and engine measurements
    (``dlbigdata.scaling``) watch real processes with it, so it is a runtime dependency.
    """
    import subprocess

    script = (
        "import importlib, pkgutil, sys\n"
        "import dlbigdata\n"
        "for module in pkgutil.walk_packages(dlbigdata.__path__, 'dlbigdata.'):\n"
        "    importlib.import_module(module.name)\n"
        "print(sorted({'nbclient', 'nbformat', 'tools'} & set(sys.modules)))\n"
    )  # psutil is left out: joblib (scikit-learn) imports it whenever it is installed
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
    sources = "\n".join(p.read_text() for p in (ROOT / "src").rglob("*.py"))
    assert not re.search(r"^\s*(import|from) (nbclient|nbformat)\b", sources, re.M)


def test_runtime_dependencies_exclude_build_tools():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"])
    assert not {"nbclient", "nbformat"} & set(re.findall(r"[a-z][\w-]*", runtime))
    assert "nbclient>=0.10" in project["optional-dependencies"]["dev"]


def test_version_lives_in_one_place():
    import importlib.metadata

    import dlbigdata

    assert importlib.metadata.version("dlbigdata") == dlbigdata.__version__
    assert "version =" not in (ROOT / "pyproject.toml").read_text().split("[project]")[1].split(
        "[project.optional-dependencies]"
    )[0].replace("dynamic", "")


CHAPTER_REFERENCE = re.compile(r"\b[Cc]hapters? (\d{1,2})(?:\s*(?:[–-]|to|and)\s*(\d{1,2}))?")


def referenced_chapters(text: str) -> set[int]:
    """Chapter numbers a text refers to ("chapter 14", "chapters 10-12", "chapters 5 and 6").

    A chapter of a cited work ("{cite}`goodfellow2016deep` (chapter 9)") is not one of ours.
    """
    numbers = set()
    for match in CHAPTER_REFERENCE.finditer(text):
        if text[: match.start()].rstrip(" (").endswith("`"):
            continue
        numbers.update(int(group) for group in match.groups() if group)
    return numbers


def test_referenced_chapters_are_found_in_prose():
    text = "See chapter 14, chapters 10–12 and Chapters 5 and 6; not chapter-ish 99."
    assert referenced_chapters(text) == {14, 10, 12, 5, 6}
    assert referenced_chapters("{cite}`goodfellow2016deep` (chapter 9) and chapter 3") == {3}


def test_prose_refers_only_to_chapters_that_exist():
    existing = {int(path.name[:2]) for path in NOTEBOOKS}
    pages = {path.name: markdown_of(read_notebook(path)) for path in NOTEBOOKS}
    pages.update({path.name: path.read_text() for path in (ROOT / "book").glob("*.md")})
    missing = {
        name: sorted(referenced_chapters(text) - existing)
        for name, text in pages.items()
        if referenced_chapters(text) - existing
    }
    assert not missing, f"references to chapters that do not exist yet: {missing}"


GLUE_REFERENCE = re.compile(  # keys glued in the same notebook (no ``path::``)
    r"\{glue(?::\w+)?\}`([\w.-]+)(?!::)(?::[^`]*)?`|```\{glue(?::\w+)?\} ([\w.-]+)(?=\s|$)"
)
GLUE_CALL = re.compile(r"\bglue\(\s*[\"']([\w.-]+)[\"']")


def test_glue_references_are_found_in_prose():
    text = "{glue:text}`accuracy:.1%` and {glue}`n` and\n```{glue:figure} curve\n```"
    found = {a or b for a, b in GLUE_REFERENCE.findall(text)}
    assert found == {"accuracy", "n", "curve"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_glue_reference_is_glued_in_its_notebook(path):
    notebook = read_notebook(path)
    referenced = {a or b for a, b in GLUE_REFERENCE.findall(markdown_of(notebook))}
    glued = set(GLUE_CALL.findall(code_of(notebook)))
    assert not referenced - glued, f"{path.name}: glued nowhere: {sorted(referenced - glued)}"


# MyST-NB pastes a value glued in another notebook with ``{glue:text}`path::key:format```,
# the path relative to the page (myst_nb.ext.glue.roles). The text role splits the format
# off at the last colon before it looks for ``::``, so a cross-document text reference
# needs an explicit format (``:s`` at least) or MyST-NB looks the key up locally.
CROSS_GLUE_REFERENCE = re.compile(
    r"\{glue(?::(\w+))?\}`([^`:\s]+)::([\w.-]+)(:[^`:]*)?`"
    r"|```\{glue(?::(\w+))?\} ([^`:\s]+)::([\w.-]+)"
)
BOOK_PAGES = sorted((ROOT / "book").glob("*.md"))


def cross_glue_references(text: str) -> list[tuple[str, str, str, bool]]:
    """(role, document, key, has a format) of each cross-document glue reference."""
    found = []
    for match in CROSS_GLUE_REFERENCE.finditer(text):
        if match.group(2):
            role, document, key, spec = match.group(1, 2, 3, 4)
            found.append((role or "", document, key, bool(spec)))
        else:
            role, document, key = match.group(5, 6, 7)
            found.append((role or "", document, key, True))
    return found


def test_cross_document_glue_references_are_found_in_prose():
    text = (
        "{glue:text}`../notebooks/04_x.ipynb::crossing:,.0f` and {glue:text}`local:.1f`, "
        "{glue}`../notebooks/03_y.ipynb::n` and\n"
        "```{glue:figure} ../notebooks/05_z.ipynb::fig\n```"
    )
    assert cross_glue_references(text) == [
        ("text", "../notebooks/04_x.ipynb", "crossing", True),
        ("", "../notebooks/03_y.ipynb", "n", False),
        ("figure", "../notebooks/05_z.ipynb", "fig", True),
    ]
    assert {a or b for a, b in GLUE_REFERENCE.findall(text)} == {"local"}


def pages_with_prose() -> dict[Path, str]:
    pages = {path: markdown_of(read_notebook(path)) for path in NOTEBOOKS}
    pages.update({path: path.read_text() for path in BOOK_PAGES})
    return pages


def test_every_cross_document_glue_key_is_glued_in_that_notebook():
    problems = []
    for page, text in pages_with_prose().items():
        for role, document, key, has_format in cross_glue_references(text):
            target = (page.parent / document).resolve()
            where = f"{page.relative_to(ROOT)}: {document}::{key}"
            if target.suffix != ".ipynb" or not target.is_file():
                problems.append(f"{where}: no such notebook")
            elif key not in set(GLUE_CALL.findall(code_of(read_notebook(target)))):
                problems.append(f"{where}: that notebook glues no {key!r}")
            elif role == "text" and not has_format:
                problems.append(f"{where}: give a format (e.g. `:s`), or it is read as local")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", BOOK_PAGES, ids=lambda p: p.name)
def test_book_pages_glue_only_from_notebooks(path):
    """A Markdown page holds no glued values itself, so every glue key needs a path."""
    local = {a or b for a, b in GLUE_REFERENCE.findall(path.read_text())}
    assert not local, f"{path.name}: glue keys without a notebook path: {sorted(local)}"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "book").glob("appendix_*.md")), ids=lambda p: p.name
)
def test_appendix_percentages_are_glued_or_cited(path):
    found = unbacked_percentages(path.read_text(), "")
    assert not found, f"{path.name}: glue these numbers or cite their source: {found}"


# A percentage in prose is a claim about the computation unless it is glued from it, cited
# from the literature in the same sentence, or a setting/bound the code itself uses (a
# 15 % validation split is ``0.15`` in the code; "at least 90 %" is ``>= 0.90`` in an
# assert; "80 % training" is ``test_size=0.2``).
PROSE_GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
PROSE_CITE = re.compile(r"\{cite(?::\w+)?\}`[^`]*`")
PROSE_CODE = re.compile(r"``[^`]*``|`[^`]*`")
PROSE_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
PERCENTAGE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(#-])")
NUMBER_LITERAL = re.compile(r"(?<![\w.])\d*\.?\d+(?:[eE][-+]?\d+)?(?![\w.])")


def unbacked_percentages(markdown: str, code: str) -> list[str]:
    """Percentages in ``markdown`` neither glued, cited nor used as a number in ``code``."""
    literals = set()
    for token in NUMBER_LITERAL.findall(code.replace("_", "")):
        value = float(token)
        literals.update({round(value, 6), round(1 - value, 6), round(value / 100, 6)})
    text = PROSE_GLUE.sub(" ", markdown)
    text = PROSE_CODE.sub(" ", PROSE_MATH.sub(" ", PROSE_CITE.sub(" CITED ", text)))
    found = []
    for sentence in SENTENCE_END.split(" ".join(text.split())):
        if "CITED" in sentence:
            continue
        for match in PERCENTAGE.finditer(sentence):
            if round(float(match.group(1)) / 100, 6) not in literals:
                found.append(f"{match.group(0)!r} in: {sentence[:120]}")
    return found


def test_unbacked_percentages_are_found():
    prose = (
        "The model is right on 97 % of the digits. It uses a 15 % validation split. "
        "Humans err on 2.5 % of them {cite}`lecun1998gradient`. We glue "
        "{glue:text}`share:.1%` and write $50\\%$ in maths."
    )
    assert unbacked_percentages(prose, "model.fit(x, validation_split=0.15)") == [
        "'97 %' in: The model is right on 97 % of the digits."
    ]
    assert unbacked_percentages("80 % train, 20 % test.", "test_size=0.2") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_prose_percentages_come_from_the_computation(path):
    notebook = read_notebook(path)
    found = unbacked_percentages(markdown_of(notebook), code_of(notebook))
    assert not found, f"{path.name}: glue these numbers or cite their source: {found}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_an_id(path):
    cells = read_notebook(path)["cells"]
    missing = [i for i, cell in enumerate(cells) if not cell.get("id")]
    ids = [cell.get("id") for cell in cells]
    assert not missing, f"{path.name}: cells {missing} have no id (nbformat 4.5 requires one)"
    assert len(set(ids)) == len(ids), f"{path.name}: repeated cell ids"
