"""Glossary links: each ``{term}`` role names a term of book/glossary.md; each chapter has one.

Sphinx resolves ``{term}`text``` and ``{term}`shown text <target>``` against the terms of the
``glossary`` directives: first exactly, then ignoring case; the target's runs of whitespace
count as one space. A target that matches no term is a broken link (a warning, which fails
``make book``); these checks find it in seconds, without building. Issue 14 item 8 asks each
chapter to link its central terms (3-8 of them, first use only); a chapter of the table of
contents that links none fails here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from factories import ROOT

GLOSSARY = ROOT / "book" / "glossary.md"

_FENCE = re.compile(
    r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>[^\n]*)\n(?P<body>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
"""A fenced block (backticks, tildes or MyST's colon fence) with its info string and body."""

_DOUBLE_BACKTICK_CODE = re.compile(r"(?<!`)``(?!`).+?(?<!`)``(?!`)", re.DOTALL)
"""An inline code span written with two backticks, how the docs show a role as an example."""

_TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
_EXPLICIT_TITLE = re.compile(r"^(.+?)\s*(?<!\x00)<(.*?)>$", re.DOTALL)
"""Sphinx's ``explicit_title_re``: ``shown text <target>``."""

_CLASSIFIER = re.compile(r" +: +")
"""Sphinx splits a glossary term line into the term and its classifiers at " : "."""


def _normalise(target: str) -> str:
    return " ".join(target.split())


def glossary_terms(text: str) -> set[str]:
    """The terms that the ``glossary`` directives of a MyST page define.

    A term is an unindented line of the directive's body (after its ``:option:`` lines);
    consecutive term lines name the same entry (here: English, then Chinese); indented lines
    are the definition; lines starting with ``.. `` are comments.
    """
    terms = set()
    for block in _FENCE.finditer(text):
        if block["info"].strip() != "{glossary}":
            continue
        lines = block["body"].splitlines()
        while lines and lines[0].startswith(":"):
            lines.pop(0)
        for line in lines:
            if line and not line[0].isspace() and not line.startswith(".. "):
                terms.add(_normalise(_CLASSIFIER.split(line)[0]))
    return terms


def _without_code(markdown: str) -> str:
    """Markdown without fenced code blocks and double-backtick code spans.

    Directive blocks (an info string ``{name}``, such as ``{exercise}``) hold prose and are
    kept, with the code inside them dropped too; ``python``, ``bash`` or bare fences hold
    code, where a role is only text.
    """

    def drop_code(block: re.Match) -> str:
        if not block["info"].strip().startswith("{"):
            return ""
        return f"{block['info']}\n{_without_code(block['body'])}"

    return _DOUBLE_BACKTICK_CODE.sub("", _FENCE.sub(drop_code, markdown))


def term_targets(markdown: str) -> list[str]:
    """The targets of the ``{term}`` roles of a markdown text, in order of appearance."""
    targets = []
    for role in _TERM_ROLE.finditer(_without_code(markdown)):
        explicit = _EXPLICIT_TITLE.match(role[1])
        targets.append(_normalise(explicit[2] if explicit else role[1]))
    return targets


def resolves(target: str, terms: set[str]) -> bool:
    """Whether Sphinx resolves a ``{term}`` target: exactly, else ignoring case."""
    return target in terms or target.lower() in {term.lower() for term in terms}


def markdown_of(path: Path) -> str:
    """A book page's text, or the markdown cells of a notebook (``source`` a list or a string)."""
    if path.suffix != ".ipynb":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def chapter_notebooks() -> list[str]:
    """The notebooks that the table of contents lists, as ``notebooks/NN_name``."""
    sys.path.insert(0, str(ROOT / "tools"))
    from check_site import toc_files

    return [entry for entry in toc_files(ROOT / "_toc.yml") if entry.startswith("notebooks/")]


PAGES = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "book").glob("*.md"))


# The parser, on small examples --------------------------------------------------------------

SMALL_GLOSSARY = """\
# Glossary

```{index} single: glossary; not a term
```

```{glossary}
:sorted:

gradient descent
梯度下降
  Stepping the parameters against the gradient.
  indented continuation: not a term

Gini impurity : split criterion
  A classifier's impurity.
.. a comment line, not a term
```

```python
print("a code block")
not a term either
```

````{glossary}
extract, transform, load
  ETL.
````
"""


def test_the_glossary_parser_reads_every_term_line_and_nothing_else():
    assert glossary_terms(SMALL_GLOSSARY) == {
        "gradient descent",
        "梯度下降",
        "Gini impurity",
        "extract, transform, load",
    }


def test_the_role_parser_reads_plain_and_explicit_targets():
    text = (
        "Link {term}`gradient descent`, {term}`Gini <Gini impurity>` and\n"
        "{term}`ETL\n<extract,  transform, load>`; {term}`梯度下降` too.\n\n"
        "```{exercise} Inside a directive\n{term}`entropy` counts.\n```\n"
    )
    assert term_targets(text) == [
        "gradient descent",
        "Gini impurity",
        "extract, transform, load",
        "梯度下降",
        "entropy",
    ]


def test_roles_shown_as_code_are_not_links():
    text = (
        "Write `` {term}`gradient descent` `` to link a term.\n\n"
        "```python\nprint('{term}`not a link`')\n```\n"
    )
    assert term_targets(text) == []


def test_targets_resolve_as_sphinx_resolves_them():
    terms = glossary_terms(SMALL_GLOSSARY)
    assert resolves("gradient descent", terms)
    assert resolves("Gradient Descent", terms)  # the case-insensitive fallback
    assert resolves("gini impurity", terms)
    assert resolves("梯度下降", terms)


def test_an_unknown_target_does_not_resolve():
    terms = glossary_terms(SMALL_GLOSSARY)
    text = (
        "A {term}`gradient descents` typo, an {term}`index entry <not a term>`, "
        "a {term}`split criterion`."
    )
    assert [target for target in term_targets(text) if not resolves(target, terms)] == [
        "gradient descents",
        "not a term",
        "split criterion",  # a classifier is not a term
    ]


def test_the_book_glossary_defines_its_terms_in_both_languages():
    terms = glossary_terms(GLOSSARY.read_text(encoding="utf-8"))
    assert {"gradient descent", "梯度下降", "star schema", "星型模式"} <= terms
    assert len(terms) >= 100, len(terms)


# The book ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_every_term_link_names_a_glossary_term(path):
    terms = glossary_terms(GLOSSARY.read_text(encoding="utf-8"))
    unknown = [target for target in term_targets(markdown_of(path)) if not resolves(target, terms)]
    assert not unknown, f"{path.name} links terms that book/glossary.md does not define: {unknown}"


@pytest.mark.parametrize("chapter", chapter_notebooks())
def test_every_chapter_links_a_glossary_term(chapter):
    targets = term_targets(markdown_of(ROOT / f"{chapter}.ipynb"))
    assert targets, (
        f"{chapter} links no glossary term: link the first use of its central terms with "
        "{term}`term` (see book/glossary.md)"
    )
