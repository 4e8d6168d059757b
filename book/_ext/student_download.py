"""Local Sphinx extension: the student notebook offered for download beside the full one.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``
(``student_download: book/_ext``). After an HTML build it writes the student edition of
every chapter notebook (``tools/student_edition.py``: solutions replaced by
``# your code here``, checks kept) to ``_sources/student/NN_topic.ipynb`` in the site, and
adds a ``.ipynb (student)`` entry to the page's download menu, after the theme's
``.ipynb`` entry. A notebook the tool refuses fails the build, with its message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.student_edition import make_student_notebook  # noqa: E402

STUDENT_DIR = "student"
"""Folder of the student notebooks inside the site's ``_sources``."""

BUTTON_LABEL = "download-student-notebook-button"


def chapter_notebooks(srcdir: Path, docnames: set[str]) -> list[Path]:
    """The notebooks among the documents of the build (``notebooks/13_trees`` and so on)."""
    return sorted(
        srcdir / f"{name}.ipynb" for name in docnames if (srcdir / f"{name}.ipynb").is_file()
    )


def write_student_notebooks(srcdir: Path, outdir: Path, docnames: set[str]) -> list[Path]:
    """Write the student edition of each notebook into ``outdir/_sources/student``.

    Raises
    ------
    ValueError
        If the student edition refuses a notebook (its message names the cell).
    """
    target = outdir / "_sources" / STUDENT_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in chapter_notebooks(srcdir, docnames):
        student = make_student_notebook(json.loads(path.read_text("utf-8")), path.name)
        out = target / path.name
        out.write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n", "utf-8")
        written.append(out)
    return written


def add_student_button(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Add the student notebook to the download menu of a page made from a notebook."""
    if not (Path(app.srcdir) / f"{pagename}.ipynb").is_file():
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = group["buttons"]
        position = next(
            (
                index + 1
                for index, button in enumerate(buttons)
                if button.get("label") == "download-notebook-button"
            ),
            0,
        )
        buttons.insert(
            position,
            {
                "type": "link",
                "url": f"{context['pathto']('_sources', 1)}/{STUDENT_DIR}/"
                f"{Path(pagename).name}.ipynb",
                "text": ".ipynb (student)",
                "icon": "fas fa-pencil-alt",
                "tooltip": "Download the student notebook (solutions removed, checks kept)",
                "label": BUTTON_LABEL,
            },
        )


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Write the student notebooks once an HTML build has succeeded."""
    if exception is None and app.builder.format == "html":
        write_student_notebooks(Path(app.srcdir), Path(app.outdir), set(app.env.found_docs))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handlers (the button after the theme's own download buttons)."""
    app.connect("html-page-context", add_student_button, priority=600)
    app.connect("build-finished", on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
