"""Keep the notebooks that nbval executed, with their outputs, for the browser test's site.

``make test`` sets ``DLBIGDATA_EXECUTED_DIR``; ``tests/conftest.py`` then registers
:class:`ExecutedNotebookCapture`, which writes every notebook whose code cells all ran to
``$DLBIGDATA_EXECUTED_DIR/notebooks/NN_topic.ipynb`` with the outputs nbval received from
the kernel (glue outputs included) and execution counts. ``tools/build_site.py`` builds the
site from those files with execution off, so the browser test costs no second execution.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest

from tools.build_site import CAPTURE_KEY, notebook_fingerprint


def _is_nbval_cell(item: pytest.Item) -> bool:
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval not installed: there is nothing to capture
        return False
    return isinstance(item, IPyNbCell)


class ExecutedNotebookCapture:
    """A pytest plugin: write each notebook nbval ran completely, with its outputs.

    Parameters
    ----------
    target : Path
        Folder to write into (``notebooks/`` inside it is emptied when the session starts,
        so no copy from an earlier run survives).
    root : Path
        The repository root; a notebook's path relative to it is kept under ``target``.
    """

    def __init__(self, target: Path, root: Path) -> None:
        self.target = Path(target)
        self.root = Path(root)
        self._outputs: dict[Path, dict[int, list[Any]]] = {}
        self._failed: set[Path] = set()
        self.written: list[Path] = []

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Remove the notebooks captured by an earlier run."""
        shutil.rmtree(self.target / "notebooks", ignore_errors=True)
        (self.target / "notebooks").mkdir(parents=True, exist_ok=True)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        """Record a cell's outputs when it passed; write its notebook after the last cell."""
        outcome = yield
        report = outcome.get_result()
        if report.when != "call" or not _is_nbval_cell(item):
            return
        notebook = Path(item.parent.path)
        if not report.passed or item.test_outputs is None:
            self._failed.add(notebook)
            return
        cells = self._outputs.setdefault(notebook, {})
        cells[item.cell_num] = copy.deepcopy(item.test_outputs)
        code_cells = [c for c in item.parent.nb.cells if c.cell_type == "code"]
        if notebook not in self._failed and len(cells) == len(code_cells):
            self.written.append(self._write(notebook, item.parent.nb, cells))
            del self._outputs[notebook]

    def _write(self, path: Path, notebook: Any, outputs: dict[int, list[Any]]) -> Path:
        executed = copy.deepcopy(notebook)
        # the fingerprint of the cells nbval ran (read at collection), not of the file now
        fingerprint = notebook_fingerprint(executed)
        count = 0
        for cell in executed.cells:
            if cell.cell_type != "code":
                continue
            count += 1
            cell.execution_count = count
            cell.outputs = [nbformat.from_dict(dict(output)) for output in outputs[count - 1]]
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count
        executed.metadata[CAPTURE_KEY] = {"fingerprint": fingerprint}
        nbformat.validate(executed)
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            relative = Path("notebooks") / path.name
        out = self.target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(executed, str(out))
        return out
