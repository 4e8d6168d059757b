"""Build the book without executing notebooks, with warnings as errors.

A broken cross-reference, citation, directive or table-of-contents entry fails here, in
seconds, instead of at the end of a full `make book`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from factories import ROOT


@pytest.mark.slow
def test_book_builds_without_warnings(tmp_path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    # Unexecuted notebooks hold no glued values, so neither a notebook's own glue keys
    # (mystnb.glue) nor a page's keys from another notebook (mystnb.glue_ref, the
    # appendices) resolve here; test_repository checks every key statically and
    # `make book` (which executes) resolves them with warnings as errors.
    config["sphinx"]["config"]["suppress_warnings"] += ["mystnb.glue", "mystnb.glue_ref"]
    # The copied configuration lives in tmp_path: point local extensions back at the book.
    extensions = config["sphinx"].get("local_extensions") or {}
    config["sphinx"]["local_extensions"] = {
        name: str(ROOT / path) for name, path in extensions.items()
    }
    config_path = tmp_path / "_config.yml"
    config_path.write_text(yaml.safe_dump(config))
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    completed = subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(ROOT),
            "--config",
            str(config_path),
            "--path-output",
            str(tmp_path),
            "--builder",
            "html",
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log[-5000:]
    site = tmp_path / "_build" / "html"
    check = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_site.py"), str(site)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    intro = (site / "book" / "intro.html").read_text()
    assert "Two commands" in intro and "Using it in a classroom lab" in intro
    chapter = (site / "notebooks" / "01_domains.html").read_text()
    assert "_static/mathjax/tex-chtml.js" in chapter, "MathJax must be served by the site itself"
    assert "cdn.jsdelivr.net/npm/mathjax" not in chapter
    assert "solution" in chapter and "exercise" in chapter
