"""The book's structure and pages: chapter numbering, the glossary, the page styles and the local
Sphinx extension (``book/_ext/book_html.py``) that fixes the HTML.

The fast tests read the sources; the slow one builds a two-chapter site with the book's own
configuration (execution off) and reads its HTML.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from factories import ROOT
from sphinx.builders.html._assets import _JavaScript
from test_repository import markdown_of, read_notebook, referenced_chapters

GLOSSARY = ROOT / "book" / "glossary.md"
CJK = re.compile(r"[\u4e00-\u9fff]")


def load_extension():
    """The local extension as a module (it is not on ``sys.path``)."""
    path = ROOT / "book" / "_ext" / "book_html.py"
    spec = importlib.util.spec_from_file_location("book_html", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def numbered_chapters(toc: dict) -> dict[int, str]:
    """Chapter number -> file, as Sphinx numbers them: across the parts marked ``numbered``."""
    files = [
        chapter["file"]
        for part in toc["parts"]
        if part.get("numbered")
        for chapter in part["chapters"]
    ]
    return dict(enumerate(files, start=1))


def read_toc() -> dict:
    return yaml.safe_load((ROOT / "_toc.yml").read_text())


# --- numbering ----------------------------------------------------------------------------


def test_chapter_numbers_are_the_file_numbers():
    """Sidebar and titles say "14." for notebooks/14_*, the chapter the prose calls 14."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["html"]["use_multitoc_numbering"] is True, (
        "without sphinx-multitoc-numbering each part restarts at 1"
    )
    chapters = numbered_chapters(read_toc())
    wrong = {n: f for n, f in chapters.items() if not Path(f).name.startswith(f"{n:02d}_")}
    assert not wrong, f"chapter number and file disagree: {wrong}"
    assert all(f.startswith("notebooks/") for f in chapters.values()), chapters


def test_chapter_titles_leave_the_number_to_sphinx():
    """A title "# 03 Core concepts" would read "3. 03 Core concepts" in the sidebar."""
    numbered = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        title = read_notebook(path)["cells"][0]["source"]
        title = "".join(title) if isinstance(title, list) else title
        if re.match(r"#\s*\d", title):
            numbered.append(f"{path.name}: {title.splitlines()[0]}")
    assert not numbered, f"titles that repeat the chapter number: {numbered}"


def test_every_notebook_is_numbered_and_nothing_else_is():
    toc = read_toc()
    for part in toc["parts"]:
        has_notebooks = any(c["file"].startswith("notebooks/") for c in part["chapters"])
        assert bool(part.get("numbered")) == has_notebooks, part["caption"]


def test_exercises_are_numbered_per_chapter():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["sphinx"]["config"].get("numfig_secnum_depth", 1) == 1


def test_prose_refers_only_to_chapters_in_the_toc():
    numbers = set(numbered_chapters(read_toc()))
    pages = {
        path.name: markdown_of(read_notebook(path))
        for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
    }
    pages.update({path.name: path.read_text() for path in (ROOT / "book").glob("*.md")})
    missing = {
        name: sorted(referenced_chapters(text) - numbers)
        for name, text in pages.items()
        if referenced_chapters(text) - numbers
    }
    assert not missing, f"references to chapters that _toc.yml does not number: {missing}"


def test_a_reference_to_a_missing_chapter_is_caught():
    assert referenced_chapters("as chapter 31 shows") - set(numbered_chapters(read_toc())) == {31}


# --- glossary -----------------------------------------------------------------------------


def glossary_entries(text: str) -> list[list[str]]:
    """The term lines of each entry of every ``{glossary}`` block of a MyST page."""
    entries = []
    for block in re.findall(r"```\{glossary\}\n(.*?)```", text, re.S):
        terms: list[str] = []
        for line in block.splitlines():
            if not line.strip() or line.startswith(":"):
                continue
            if line.startswith(" "):
                if terms:
                    entries.append(terms)
                terms = []
            else:
                terms.append(line.strip())
    return entries


def test_glossary_entries_are_found():
    page = "```{glossary}\n:sorted:\n\nloss\n损失\n  The number.\n  More.\n\nrate\n  Step.\n```\n"
    assert glossary_entries(page) == [["loss", "损失"], ["rate"]]


def test_glossary_has_english_and_chinese_for_each_term():
    entries = glossary_entries(GLOSSARY.read_text())
    assert len(entries) >= 40, len(entries)
    for terms in entries:
        english = [t for t in terms if not CJK.search(t)]
        chinese = [t for t in terms if CJK.search(t)]
        assert english and chinese, f"a glossary entry needs both languages: {terms}"
    all_terms = [t.lower() for terms in entries for t in terms]
    assert len(all_terms) == len(set(all_terms)), "a term is defined twice"


def test_glossary_definitions_link_chapters_in_the_toc():
    text = GLOSSARY.read_text()
    linked = set(re.findall(r"<\.\./(notebooks/[\w-]+)>", text))
    assert linked, "the glossary links no chapter"
    assert linked <= set(numbered_chapters(read_toc()).values())
    assert "book/glossary" in [c["file"] for p in read_toc()["parts"] for c in p["chapters"]]


def test_glossary_adds_index_entries():
    assert len(re.findall(r"```\{index\}", GLOSSARY.read_text())) >= 5


# --- styles -------------------------------------------------------------------------------


def test_code_and_outputs_wrap_instead_of_scrolling():
    css = (ROOT / "_static" / "book.css").read_text()
    rule = re.search(r"([^{}]*)\{([^}]*white-space:\s*pre-wrap[^}]*)\}", css)
    assert rule, "no rule wraps long lines"
    selectors = rule.group(1)
    assert "div.highlight pre" in selectors and ".cell_output pre" in selectors


# --- the local Sphinx extension -----------------------------------------------------------


def test_an_inline_script_registered_twice_is_kept_once():
    ext = load_extension()
    thebe = 'const THEBE_JS_URL = "x"'
    scripts = [
        _JavaScript("_static/a.js", priority=200),
        _JavaScript(None, body=thebe, priority=500),
        _JavaScript("_static/sphinx-thebe.js", priority=500, **{"async": "async"}),
        _JavaScript("", body=thebe, priority=500),
        _JavaScript("", body="var other = 1", priority=500),
    ]
    kept = ext.unique_scripts(scripts)
    assert kept == [scripts[0], scripts[1], scripts[2], scripts[4]]
    context = {"script_files": list(scripts)}
    ext.drop_repeated_scripts(None, "page", "page.html", context, None)
    assert [s.attributes.get("body") for s in context["script_files"]].count(thebe) == 1


def exercise_doctree() -> nodes.document:
    """A doctree shaped like sphinx-exercise's: two exercises and a solution sharing ids."""
    document = new_document("test", get_default_settings(Parser))
    for label, shared in [("ex-a", "exercise-content"), ("ex-b", "exercise-content")]:
        node = nodes.container(ids=[label])
        node += nodes.section(ids=[shared])
        document += node
    solution = nodes.container(ids=["ch-solution-3"])
    solution += nodes.section(ids=["solution-content"])
    document += solution
    orphan = nodes.section(ids=["solution-content"])
    document += orphan
    return document


def test_exercise_and_solution_bodies_get_unique_ids():
    ext = load_extension()
    document = exercise_doctree()
    ext.give_exercise_bodies_unique_ids(None, document, "ch")
    ids = [i for node in document.findall(nodes.Element) for i in node["ids"]]
    assert len(ids) == len(set(ids)), ids
    bodies = list(document.findall(nodes.section))
    assert [s["ids"] for s in bodies[:3]] == [
        ["ex-a-content"],
        ["ex-b-content"],
        ["ch-solution-3-content"],
    ]
    assert "exercise-content" in bodies[0]["classes"]
    assert not {"exercise-content", "solution-content"} & set(ids)


# --- a small site built with the book's configuration -------------------------------------

CHAPTER = """# {title}

Text.

```{{exercise}}
:label: ex{n}-first

Do it.
```

```{{solution}} ex{n}-first
Done.
```

```{{exercise}}
Do it again.
```
"""


@pytest.mark.slow
def test_small_site_has_numbers_one_thebe_script_and_unique_ids(tmp_path):
    source = tmp_path / "src"
    (source / "notebooks").mkdir(parents=True)
    (source / "book").mkdir()
    shutil.copytree(ROOT / "_static", source / "_static")
    shutil.copy(ROOT / "book" / "references.bib", source / "book" / "references.bib")
    (source / "book" / "intro.md").write_text("# Intro\n\nSee {numref}`ex2-first`.\n")
    for n, title in [(1, "One"), (2, "Two")]:
        page = CHAPTER.format(title=title, n=n)
        (source / "notebooks" / f"0{n}_page.md").write_text(page)
    toc = {
        "format": "jb-book",
        "root": "book/intro",
        "parts": [
            {"caption": "Part I", "numbered": True, "chapters": [{"file": "notebooks/01_page"}]},
            {"caption": "Part II", "numbered": True, "chapters": [{"file": "notebooks/02_page"}]},
        ],
    }
    (source / "_toc.yml").write_text(yaml.safe_dump(toc))
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in config["sphinx"]["local_extensions"].items()
    }
    (source / "_config.yml").write_text(yaml.safe_dump(config))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    completed = subprocess.run(
        [str(jupyter_book), "build", str(source), "--builder", "html", "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        cwd=source,
    )
    assert completed.returncode == 0, (completed.stdout + completed.stderr)[-5000:]
    site = source / "_build" / "html"
    two = (site / "notebooks" / "02_page.html").read_text()
    assert '<span class="section-number">2. </span>Two' in two
    assert "Exercise 2.1" in two and "Exercise 2.2" in two
    assert "Exercise 2.1" in (site / "book" / "intro.html").read_text()
    assert two.count("const THEBE_JS_URL") == 1
    ids = re.findall(r'\bid="([^"]+)"', two)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert 'id="ex2-first-content"' in two
    assert "_static/book.css" in two
    assert 'data-default-mode="light"' in two  # no "invalid theme mode" console error
