"""Every figure of the book has alt text (issue 14 item 3; the convention is figures.md).

The check is static: it reads the notebooks of ``_toc.yml`` without running them. A code
cell *shows a figure* when, outside any function or class definition, it calls something
that draws (:func:`draws`):

- ``plt.show()``, ``plt.subplots``, ``plt.figure`` and every other pyplot call except the
  few that only configure or close (:data:`PYPLOT_QUIET`);
- any callable whose name, or an attribute on the way to it, is ``plot``, starts with
  ``plot_`` or ends with ``plot`` (``df.plot(...)``, ``df.plot.barh(...)``,
  ``sns.histplot``, ``sns.boxplot``, ``plot_tree``, the package's ``plot_image_grid`` and
  ``plot_table_diagram``);
- the other drawing verbs of matplotlib, pandas and seaborn (:data:`DRAWING_NAMES`: ``hist``,
  ``bar``, ``imshow``, ``heatmap``...), the package's figure helpers that carry no ``plot``
  in their name (:data:`PACKAGE_FIGURE_HELPERS`), and scikit-learn's displays
  (``ConfusionMatrixDisplay.from_predictions``);
- a function defined earlier in the same notebook whose body draws (a chapter's own helper);
- ``display(fig)`` of a name that starts with ``fig``.

Matplotlib's inline backend shows every figure a cell leaves open, with or without
``plt.show()``, so a drawing call is enough; a cell that closes its figures
(``plt.close``) without showing them shows nothing. Such a cell needs
``metadata.mystnb.image.alt``: at least :data:`MINIMUM_ALT_LENGTH` characters of words, not a
file name. A figure glued and shown with ``{glue:figure}`` needs ``:alt:`` on the directive.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest
from factories import ROOT

MINIMUM_ALT_LENGTH = 40
"""Shorter alt text cannot say what a figure shows and what to see in it."""

PYPLOT_NAMES = {"plt", "pyplot"}
PYPLOT_QUIET = {
    "close",
    "colormaps",
    "cm",
    "get_cmap",
    "get_fignums",
    "ioff",
    "ion",
    "rc",
    "rc_context",
    "rcdefaults",
    "rcParams",
    "style",
    "switch_backend",
}
"""pyplot calls that configure or close and draw nothing."""

DRAWING_NAMES = {
    "bar",
    "barh",
    "clustermap",
    "contour",
    "contourf",
    "errorbar",
    "FacetGrid",
    "figure",
    "fill_between",
    "from_estimator",
    "from_predictions",
    "heatmap",
    "hexbin",
    "hist",
    "hist2d",
    "imshow",
    "JointGrid",
    "matshow",
    "PairGrid",
    "pcolormesh",
    "pie",
    "scatter",
    "subplot",
    "subplot_mosaic",
    "subplots",
}
"""Drawing verbs without ``plot`` in their name. ``show`` counts only on pyplot and on a
figure (``fig.show()``): Spark's ``frame.show()`` prints a table; ``step`` and ``stem`` are
left out: ``env.step`` is not a figure."""

PACKAGE_FIGURE_HELPERS = {"airport_map", "small_multiples"}
"""Functions of ``dlbigdata`` that return a new figure and have no ``plot`` in their name."""

MAGIC = re.compile(r"^\s*[%!]", re.MULTILINE)
FILE_NAME = re.compile(r"\.(png|jpe?g|svg|gif|pdf|webp)\b", re.IGNORECASE)
GLUE_FIGURE = re.compile(r"```\{glue:figure\}[^\n]*\n(?P<options>(?::[^\n]*\n)*)")


def source_of(cell: dict) -> str:
    """A cell's source, stored as one string or as a list of lines."""
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def parse(code: str) -> ast.Module:
    """The cell's code without IPython magics (``%time``, ``!ls``), parsed."""
    return ast.parse(MAGIC.sub("#", code))


def attribute_chain(node: ast.expr) -> list[str]:
    """The names on the way to a called object: ``a.plot.barh`` gives a, plot, barh."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names[::-1]


def pyplot_function(chain: list[str]) -> str | None:
    """The pyplot function a call reaches (``plt.show``, ``matplotlib.pyplot.show``), or None."""
    for position, name in enumerate(chain[:-1]):
        if name in PYPLOT_NAMES:
            return chain[position + 1]
    return None


def is_plot_name(name: str) -> bool:
    """``plot``, ``plot_tree``, ``histplot``, ``boxplot``: a name that says it draws.

    ``plotting`` (the module of the house style) does not.
    """
    lowered = name.lower()
    return lowered.startswith("plot_") or lowered.endswith("plot")


def draws(call: ast.Call, helpers: set[str] = frozenset()) -> bool:
    """Whether a call draws a figure (see the module's docstring for the rule)."""
    chain = attribute_chain(call.func)
    if not chain:
        return False
    called = chain[-1]
    function = pyplot_function(chain)
    if function is not None:
        return function not in PYPLOT_QUIET
    if called == "display":
        return any(isinstance(a, ast.Name) and a.id.startswith("fig") for a in call.args)
    if called == "show":
        return chain[0].startswith("fig")
    if len(chain) == 1 and called in helpers | PACKAGE_FIGURE_HELPERS:
        return True
    return any(is_plot_name(name) for name in chain[1:] or chain) or called in DRAWING_NAMES


class _Calls(ast.NodeVisitor):
    """The calls of a piece of code outside function and class bodies."""

    def __init__(self) -> None:
        self.calls: list[ast.Call] = []

    def visit_Call(self, node: ast.Call) -> None:
        self.calls.append(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]
    visit_ClassDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for default in node.args.defaults:
            self.visit(default)


def top_level_calls(nodes: list[ast.stmt]) -> list[ast.Call]:
    """Every call in ``nodes`` that runs when they run (not those in definitions)."""
    visitor = _Calls()
    for node in nodes:
        visitor.visit(node)
    return visitor.calls


def closes_without_showing(calls: list[ast.Call]) -> bool:
    """The code closes its figures and never shows them."""
    chains = [attribute_chain(call.func) for call in calls]
    pyplot = [pyplot_function(chain) for chain in chains]
    shown = "show" in pyplot or any(chain[-1] == "display" for chain in chains)
    return "close" in pyplot and not shown


def drawing_helpers(trees: list[ast.Module]) -> set[str]:
    """Functions defined in the notebook whose body draws, directly or through another."""
    definitions = {
        node.name: node
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    helpers: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, node in definitions.items():
            if name in helpers:
                continue
            calls = top_level_calls(node.body)
            if closes_without_showing(calls):
                continue
            if any(draws(call, helpers) for call in calls):
                helpers.add(name)
                changed = True
    return helpers


def figure_cells(notebook: dict) -> list[int]:
    """Indices of the code cells that show a figure."""
    code_cells = [
        (index, cell)
        for index, cell in enumerate(notebook["cells"])
        if cell["cell_type"] == "code"
    ]
    trees = {index: parse(source_of(cell)) for index, cell in code_cells}
    helpers = drawing_helpers(list(trees.values()))
    shown = []
    for index, tree in trees.items():
        calls = top_level_calls(tree.body)
        if any(draws(call, helpers) for call in calls) and not closes_without_showing(calls):
            shown.append(index)
    return shown


def alt_text_problem(alt: object) -> str | None:
    """What is wrong with an alt text, or None when it is acceptable."""
    if alt is None:
        return "no alt text (metadata.mystnb.image.alt)"
    if not isinstance(alt, str):
        return f"alt text must be a string, got {type(alt).__name__}"
    text = " ".join(alt.split())
    if FILE_NAME.search(text) or " " not in text:
        return f"alt text {text!r} is a file name, not a description"
    if len(text) < MINIMUM_ALT_LENGTH:
        return f"alt text {text!r} has {len(text)} characters, fewer than {MINIMUM_ALT_LENGTH}"
    return None


def alt_of(cell: dict) -> object:
    """The alt text MyST-NB gives a cell's images, or None."""
    image = cell.get("metadata", {}).get("mystnb", {}).get("image", {})
    return image.get("alt") if isinstance(image, dict) else None


def glue_figure_problems(markdown: str) -> list[str]:
    """The ``{glue:figure}`` directives of a markdown text without acceptable ``:alt:``."""
    problems = []
    for match in GLUE_FIGURE.finditer(markdown):
        options = dict(
            re.match(r":(\w+):\s*(.*)", line).groups()
            for line in match.group("options").splitlines()
            if re.match(r":(\w+):", line)
        )
        problem = alt_text_problem(options.get("alt"))
        if problem:
            problems.append(f"{match.group(0).splitlines()[0]}: {problem}")
    return problems


def toc_notebooks() -> list[Path]:
    """The notebooks the book's table of contents lists."""
    sys.path.insert(0, str(ROOT / "tools"))
    from check_site import toc_files

    files = toc_files(ROOT / "_toc.yml")
    return [ROOT / f"{file}.ipynb" for file in files if (ROOT / f"{file}.ipynb").is_file()]


# --- the rule, on small examples -------------------------------------------------------


def notebook_of(*sources: str, alt: str | None = None) -> dict:
    """A notebook of code cells; ``alt`` goes on the last one."""
    cells = [{"cell_type": "code", "metadata": {}, "source": source} for source in sources]
    if alt is not None:
        cells[-1]["metadata"] = {"mystnb": {"image": {"alt": alt}}}
    return {"cells": cells}


@pytest.mark.parametrize(
    "code",
    [
        "fig, ax = plt.subplots()\nax.plot([1, 2])\nplt.show()",
        "plt.plot([1, 2])",  # the inline backend shows it without plt.show()
        "variety.plot.barh(stacked=True, ax=ax)",
        "frame['delay'].plot(kind='hist')",
        "axes = data.hist(bins=30, figsize=(20, 15))",
        "sns.histplot(data=flights, x='dep_delay')",
        "sns.heatmap(matrix, annot=True)",
        "plot_tree(tree, filled=True)",
        "ConfusionMatrixDisplay.from_predictions(y_test, predicted)",
        "plot_image_grid(images, columns=10, title='Digits')",
        "fig = plot_misclassified_images(x, y, predicted)",
        "small_multiples(flights, 'carrier', draw)",
        "airport_map(airports, size=counts)",
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.imshow(image)",
        "for name in names:\n    fig = plot_errors(name)\n    plt.show()",
        "display(fig)",
        "fig.show()",
        "import matplotlib\nmatplotlib.pyplot.show()",
    ],
)
def test_a_drawing_cell_is_recognised(code):
    assert figure_cells(notebook_of(code)) == [0], code


@pytest.mark.parametrize(
    "code",
    [
        "import matplotlib.pyplot as plt\nfrom sklearn.tree import plot_tree",
        "use_house_style()\nplt.rcParams['figure.dpi'] = 100",
        "def draw(values):\n    fig, ax = plt.subplots()\n    ax.plot(values)\n    return fig",
        "fig, ax = plt.subplots()\nax.plot([1, 2])\nglue('curve', fig, display=False)\n"
        "plt.close(fig)",
        "state, reward, done, truncated, info = env.step(action)",
        "check_equal('lower limit', ax.get_ylim()[0], 0.0)",
        "print('call plt.show() to see it')  # plt.show()",
        "counts = np.histogram(values, bins=10)\nstep = episode.step",
        "display(table)",
        "spark.sql('SELECT 1').show()",
        "from dlbigdata import plotting\nplotting.use_house_style()",
    ],
)
def test_a_cell_that_shows_nothing_is_not_flagged(code):
    assert figure_cells(notebook_of(code)) == [], code


def test_a_notebook_helper_that_draws_makes_its_callers_figure_cells():
    notebook = notebook_of(
        "def draw_curve(values):\n    fig, ax = plt.subplots()\n    ax.plot(values)",
        "def draw_twice(values):\n    draw_curve(values)\n    draw_curve(values[::-1])",
        "losses = train(model)",
        "draw_twice(losses)",
    )
    assert figure_cells(notebook) == [3]


def test_the_package_figure_helpers_are_all_recognised():
    """Every public function of dlbigdata that makes a new figure is caught by the rule.

    A function counts when its return annotation names a figure or axes and it does not
    require an existing ``ax`` (``finish`` and ``annotate_bars`` label an axes; they draw
    nothing new).
    """
    missed = []
    for path in sorted((ROOT / "src" / "dlbigdata").rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            returned = ast.unparse(node.returns) if node.returns else ""
            if not re.search(r"Figure|Axes|Grid", returned):
                continue
            arguments = node.args.posonlyargs + node.args.args
            required = arguments[: len(arguments) - len(node.args.defaults)]
            if any(argument.arg == "ax" for argument in required):
                continue
            call = ast.parse(f"{node.name}()").body[0].value
            if not draws(call):
                missed.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert not missed, f"add these figure helpers to PACKAGE_FIGURE_HELPERS: {missed}"


@pytest.mark.parametrize(
    ("alt", "accepted"),
    [
        ("Bar chart of rows per table on a log scale: flights is by far the largest.", True),
        (None, False),
        (42, False),
        ("figure_01.png", False),
        ("The loss curve, see loss_curve.png for a larger version of it.", False),
        ("A loss curve going down.", False),
        ("   ", False),
    ],
)
def test_alt_text_rule(alt, accepted):
    assert (alt_text_problem(alt) is None) is accepted


def test_glue_figures_need_alt_text():
    good = (
        "```{glue:figure} curve\n:alt: Training loss per epoch, falling quickly and then "
        "levelling off.\n:name: fig-curve\n```\n"
    )
    bad = "```{glue:figure} curve\n:name: fig-curve\n```\n"
    assert glue_figure_problems(good) == []
    assert len(glue_figure_problems(bad)) == 1


# --- the book ----------------------------------------------------------------------------

NOTEBOOKS = toc_notebooks()


def test_the_toc_lists_notebooks():
    assert NOTEBOOKS, "_toc.yml lists no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_figure_has_alt_text(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    problems = []
    for index in figure_cells(notebook):
        cell = notebook["cells"][index]
        problem = alt_text_problem(alt_of(cell))
        if problem:
            problems.append(f"cell {index} (id {cell.get('id')}): {problem}")
    markdown = "\n".join(
        source_of(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown"
    )
    problems += glue_figure_problems(markdown)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_alt_text_sits_on_cells_that_show_a_figure(path):
    """Alt text on a cell the rule says draws nothing: a stale text, or a gap in the rule."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    drawn = set(figure_cells(notebook))
    stray = [
        f"cell {index} (id {cell.get('id')})"
        for index, cell in enumerate(notebook["cells"])
        if alt_of(cell) is not None and index not in drawn
    ]
    assert not stray, f"alt text on cells that show no figure: {stray}"
