"""Put the Colab install cell first among the code cells of every chapter of ``_toc.yml``.

``python -m tools.colab_cell`` inserts the cell, or updates it in place, in every notebook
of the table of contents; ``--check`` changes nothing and exits with status 1 when a
notebook lacks the current cell (tests/test_launch.py runs the same check).

The cell does nothing where ``dlbigdata`` is importable (``make setup``, Binder, the book's
own build and tests) and nothing outside Colab; on Colab it runs ``pip install`` of the
package from the repository. The repository's URL and branch are read from
``_config.yml`` (``repository.url``, ``repository.branch``), the one place they are
written: the launch buttons read them there too, so changing the URL means editing
``_config.yml`` and running this tool. The cell is tagged ``colab-install`` (how this
tool finds it again) and ``remove-cell`` (the book's page does not show it; the
notebook that Colab opens, and the student edition, keep it).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.student_edition import toc_notebooks

__all__ = [
    "CELL_ID",
    "HIDE_TAG",
    "TAG",
    "Repository",
    "cell_source",
    "colab_cell",
    "has_current_cell",
    "read_repository",
    "with_colab_cell",
]

TAG = "colab-install"
"""The tag that marks the install cell (and lets this tool find and update it)."""

HIDE_TAG = "remove-cell"
"""MyST-NB's tag that leaves the cell out of the book's page (it still runs there)."""

CELL_ID = "colab-install"
"""The cell's nbformat id (unique: the chapters number their cells "0", "1", ...)."""

_GITHUB = re.compile(r"^https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class Repository:
    """Where the book's sources live: a GitHub repository and its branch."""

    url: str
    branch: str

    @property
    def requirement(self) -> str:
        """The pip requirement that installs ``dlbigdata`` from this repository."""
        return f"dlbigdata @ git+{self.url}@{self.branch}"


def read_repository(config: Path) -> Repository:
    """The repository URL and branch written in a Jupyter Book ``_config.yml``.

    Raises
    ------
    ValueError
        If the file is missing, or ``repository.url`` is not ``https://github.com/OWNER/NAME``
        (Binder and Colab open GitHub repositories), or the branch is not a plain name.
    """
    if not config.is_file():
        raise ValueError(f"no Jupyter Book configuration at {config}")
    content = yaml.safe_load(config.read_text(encoding="utf-8"))
    section = content.get("repository") if isinstance(content, dict) else None
    if not isinstance(section, dict):
        raise ValueError(f"{config} has no repository: section")
    url, branch = section.get("url"), section.get("branch", "main")
    if not isinstance(url, str) or not _GITHUB.match(url.rstrip("/")):
        raise ValueError(
            f"{config}: repository.url must be https://github.com/OWNER/NAME, got {url!r}"
        )
    if not isinstance(branch, str) or not re.fullmatch(r"[A-Za-z0-9_./-]+", branch):
        raise ValueError(f"{config}: repository.branch must be a branch name, got {branch!r}")
    return Repository(url.rstrip("/"), branch)


def cell_source(repository: Repository) -> str:
    """The install cell's code (as ruff formats it at the notebooks' 79 characters)."""
    package = f'    package = "{repository.requirement}"\n'
    if len(package) > 80:  # 79 characters and the newline
        package = f'    package = (\n        "{repository.requirement}"\n    )\n'
    return (
        "# On Colab, install the book's package (elsewhere `make setup` does).\n"
        "import importlib.util\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules and not importlib.util.find_spec("dlbigdata"):\n'
        f"{package}"
        "    subprocess.run(\n"
        '        [sys.executable, "-m", "pip", "install", "--quiet", package],\n'
        "        check=True,\n"
        "    )\n"
        "    importlib.invalidate_caches()"
    )


def _source_lines(text: str) -> list[str]:
    """A cell source as nbformat stores it: lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def colab_cell(repository: Repository) -> dict[str, Any]:
    """The install cell as an nbformat 4 code cell."""
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": CELL_ID,
        "metadata": {"tags": [TAG, HIDE_TAG]},
        "outputs": [],
        "source": _source_lines(cell_source(repository)),
    }


def _text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _is_install_cell(cell: dict[str, Any]) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return isinstance(tags, list) and TAG in tags


def _cells(notebook: dict[str, Any], name: str) -> list[dict[str, Any]]:
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError(f"{name}: not a notebook (no list of cells)")
    return cells


def with_colab_cell(
    notebook: dict[str, Any], repository: Repository, name: str = "notebook"
) -> dict[str, Any]:
    """A copy of ``notebook`` whose first code cell is the current install cell.

    Any older install cell (found by its tag) is removed first, so running this twice
    gives the same notebook; every other cell is kept, in order. The cell goes just
    before the first other code cell, after the title and the learning objectives.

    Raises
    ------
    ValueError
        If ``notebook`` has no list of cells, or another cell already uses the id.
    """
    result = copy.deepcopy(notebook)
    cells = [cell for cell in _cells(result, name) if not _is_install_cell(cell)]
    if any(cell.get("id") == CELL_ID for cell in cells):
        raise ValueError(f"{name}: a cell not tagged {TAG!r} already has the id {CELL_ID!r}")
    position = next(
        (index for index, cell in enumerate(cells) if cell.get("cell_type") == "code"),
        len(cells),
    )
    cells.insert(position, colab_cell(repository))
    result["cells"] = cells
    return result


def has_current_cell(notebook: dict[str, Any], repository: Repository) -> bool:
    """Whether the notebook's first code cell is the current install cell, and the only one."""
    cells = _cells(notebook, "notebook")
    code = [cell for cell in cells if cell.get("cell_type") == "code"]
    wanted = colab_cell(repository)
    return (
        bool(code)
        and _text(code[0]) == _text(wanted)
        and code[0].get("metadata", {}).get("tags") == wanted["metadata"]["tags"]
        and sum(_is_install_cell(cell) for cell in cells) == 1
    )


def _dump(notebook: dict[str, Any]) -> str:
    """The notebook as the repository stores it (nbformat's layout: indent 1, UTF-8)."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def update_notebooks(paths: Sequence[Path], repository: Repository, check: bool) -> list[Path]:
    """Insert or update the cell in each notebook; return those that lacked the current one.

    With ``check`` nothing is written.
    """
    outdated = []
    for path in paths:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if has_current_cell(notebook, repository):
            continue
        outdated.append(path)
        if not check:
            path.write_text(_dump(with_colab_cell(notebook, repository, path.name)), "utf-8")
    return outdated


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m tools.colab_cell [--config C] [--toc T] [--check]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=Path("_config.yml"))
    parser.add_argument("--toc", type=Path, default=Path("_toc.yml"))
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a notebook is outdated"
    )
    arguments = parser.parse_args(argv)
    try:
        repository = read_repository(arguments.config)
        outdated = update_notebooks(toc_notebooks(arguments.toc), repository, arguments.check)
    except ValueError as error:
        print(f"colab cell: {error}", file=sys.stderr)
        return 1
    names = ", ".join(path.name for path in outdated)
    if arguments.check:
        if outdated:
            print(
                f"colab cell: missing or outdated in {names}; run python -m tools.colab_cell",
                file=sys.stderr,
            )
            return 1
        print("colab cell: every notebook has the current install cell")
        return 0
    print(f"colab cell: updated {len(outdated)} notebooks" + (f" ({names})" if names else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
