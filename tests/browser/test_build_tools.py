"""The pipeline behind the browser test and ``make book``: capture, staging, cache.

- nbval's executed notebooks are captured with their outputs (glue included) only when every
  cell ran, and a copy from an earlier run never survives;
- ``tools/build_site.py`` refuses a missing or stale capture, and a captured notebook's glued
  values render in a build with execution off;
- ``execute_notebooks: cache`` (``make book``) executes a notebook again only when its code
  changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from factories import ROOT

from tools import build_site

GOOD = [
    "from myst_nb import glue\nglue('answer', 6 * 7)",
    "print('hello from the kernel')",
    "1 + 1",
]


def write_notebook(path: Path, sources: list[str], markdown: str = "# A page") -> Path:
    """A notebook with one markdown cell and one code cell per source."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell(markdown)] + [
        nbformat.v4.new_code_cell(source) for source in sources
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path


def run_capture(project: Path, executed: Path) -> subprocess.CompletedProcess:
    """Run nbval over ``project/notebooks`` with the capture plugin registered."""
    (project / "conftest.py").write_text(
        "import os\nfrom pathlib import Path\n"
        "from browser.capture import ExecutedNotebookCapture\n\n"
        "def pytest_configure(config):\n"
        "    config.pluginmanager.register(ExecutedNotebookCapture(\n"
        "        Path(os.environ['DLBIGDATA_EXECUTED_DIR']), Path(__file__).parent))\n"
    )
    env = {
        **os.environ,
        "DLBIGDATA_EXECUTED_DIR": str(executed),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)]),
    }
    command = [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q"]
    command += ["--rootdir", str(project), "notebooks"]
    return subprocess.run(
        command,
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def jupyter_book(source: Path, config: dict, output: Path) -> subprocess.CompletedProcess:
    """Build ``source`` as HTML with ``config``, warnings as errors."""
    config_path = output / "_config.yml"
    output.mkdir(parents=True, exist_ok=True)
    config_path.write_text(yaml.safe_dump(config))
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(source)]
    command += ["--config", str(config_path), "--path-output", str(output)]
    command += ["--builder", "html", "-W", "-n", "--keep-going"]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=600,
    )


def small_config(execute_notebooks: str) -> dict:
    """A one-page book's configuration with the book's own execute section."""
    execute = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]
    return {
        "title": "Small",
        "only_build_toc_files": True,
        "execute": {**execute, "execute_notebooks": execute_notebooks},
    }


@pytest.mark.slow
def test_capture_keeps_outputs_and_glue_that_render_with_execution_off(tmp_path):
    project = tmp_path / "project"
    write_notebook(
        project / "notebooks" / "page.ipynb",
        GOOD,
        markdown="# A page\n\nThe answer is {glue:text}`answer`.",
    )
    write_notebook(project / "notebooks" / "broken.ipynb", ["x = 1", "raise ValueError('no')"])
    executed = tmp_path / "executed"
    stale = executed / "notebooks" / "old.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")

    completed = run_capture(project, executed)

    assert completed.returncode == 1, completed.stdout[-3000:]  # broken.ipynb fails
    written = sorted(p.name for p in (executed / "notebooks").iterdir())
    assert written == ["page.ipynb"], "a failed notebook or an earlier run's copy survived"
    captured = nbformat.read(str(executed / "notebooks" / "page.ipynb"), as_version=4)
    code = [cell for cell in captured.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1, 2, 3]
    glue_output = code[0].outputs[0]
    assert glue_output.output_type == "display_data"
    assert glue_output.metadata["scrapbook"]["name"] == "answer"
    assert code[1].outputs[0].text == "hello from the kernel\n"
    assert code[2].outputs[0].output_type == "execute_result"
    assert code[2].outputs[0].data["text/plain"] == "2"
    stored = json.loads((project / "notebooks" / "page.ipynb").read_text())
    assert captured.metadata[build_site.CAPTURE_KEY]["fingerprint"] == (
        build_site.notebook_fingerprint(stored)
    )

    # the captured notebook alone, execution off: the glued value is on the page
    book = tmp_path / "book"
    book.mkdir()
    (book / "page.ipynb").write_text((executed / "notebooks" / "page.ipynb").read_text())
    (book / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    built = jupyter_book(book, small_config("off"), tmp_path / "out")
    assert built.returncode == 0, (built.stdout + built.stderr)[-3000:]
    page = (tmp_path / "out" / "_build" / "html" / "page.html").read_text()
    assert "The answer is" in page and "42" in page
    assert "hello from the kernel" in page


def test_build_site_refuses_a_missing_capture(tmp_path):
    missing, stale = build_site.check_captured(tmp_path)
    assert missing == build_site.toc_notebooks() and stale == []
    with pytest.raises(build_site.CaptureError, match="not captured: notebooks/01_"):
        build_site.stage(tmp_path, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_build_site_refuses_a_stale_capture(tmp_path):
    first = build_site.toc_notebooks()[0]
    stored = json.loads((ROOT / first).read_text())
    captured = json.loads(json.dumps(stored))
    captured["cells"][-1]["source"] = "an older version of the last cell"
    captured["metadata"][build_site.CAPTURE_KEY] = {
        "fingerprint": build_site.notebook_fingerprint(captured)
    }
    (tmp_path / first).parent.mkdir(parents=True)
    (tmp_path / first).write_text(json.dumps(captured))
    missing, stale = build_site.check_captured(tmp_path)
    assert stale == [first] and first not in missing
    captured["cells"][-1]["source"] = stored["cells"][-1]["source"]
    (tmp_path / first).write_text(json.dumps(captured))
    assert build_site.check_captured(tmp_path)[1] == [first], "the fingerprint must be current"


def test_fingerprint_sees_cell_metadata():
    notebook = {"cells": [{"cell_type": "code", "source": ["x"], "metadata": {}}]}
    with_alt = json.loads(json.dumps(notebook))
    with_alt["cells"][0]["metadata"] = {"mystnb": {"image": {"alt": "A chart"}}}
    assert build_site.notebook_fingerprint(notebook) != build_site.notebook_fingerprint(with_alt)
    notebook["cells"][0]["source"] = "x"  # a list of lines or one string: the same cell
    assert build_site.notebook_fingerprint(notebook) == build_site.notebook_fingerprint(
        {"cells": [{"cell_type": "code", "source": ["x"], "metadata": {}}]}
    )


def test_build_site_rejects_an_unknown_builder(tmp_path):
    with pytest.raises(ValueError, match="latex"):
        build_site.build_site(tmp_path, tmp_path / "out", ("latex",))


def test_the_book_executes_with_the_cache():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache"
    makefile = (ROOT / "Makefile").read_text()
    book = makefile.split("\nbook:", 1)[1].split("\n\n", 1)[0]
    assert "-W" in book, "make book must still fail on warnings"


@pytest.mark.slow
def test_cache_executes_only_a_changed_notebook(tmp_path):
    book = tmp_path / "book"
    write_notebook(book / "one.ipynb", ["print('one')"], "# One")
    write_notebook(book / "two.ipynb", ["print('two')"], "# Two")
    (book / "_toc.yml").write_text("format: jb-book\nroot: one\nchapters:\n- file: two\n")
    config = small_config("cache")
    out = tmp_path / "out"

    def executed(log: str) -> int:
        return log.count("Executed notebook in")

    first = jupyter_book(book, config, out)
    assert first.returncode == 0, (first.stdout + first.stderr)[-3000:]
    assert executed(first.stdout) == 2, "a fresh build executes every notebook"
    assert (out / "_build" / ".jupyter_cache").is_dir()

    again = jupyter_book(book, config, out)
    assert again.returncode == 0 and executed(again.stdout) == 0, again.stdout[-3000:]

    write_notebook(book / "two.ipynb", ["print('two, changed')"], "# Two")
    changed = jupyter_book(book, config, out)
    assert changed.returncode == 0 and executed(changed.stdout) == 1, changed.stdout[-3000:]
    assert "two, changed" in (out / "_build" / "html" / "two.html").read_text()
