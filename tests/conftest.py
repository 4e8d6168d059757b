"""Shared pytest configuration: the repository root, a non-interactive plotting backend,
figures closed after every test, the ``hostile`` marker's tally, and (when
``DLBIGDATA_EXECUTED_DIR`` is set) the capture of every notebook nbval ran, with its outputs,
for the browser test's site (``tests/browser/capture.py``).

Small tables that several test modules build live in ``tests/factories.py``.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import matplotlib.pyplot as plt
import pytest
from browser.capture import ExecutedNotebookCapture
from factories import ROOT

HOSTILE_CLASSES = {
    "sql_escape": "SQL that escapes the guard (quoted literals, identifiers)",
    "binding_type": "values bound with the wrong type (NumPy scalars, aware datetimes)",
    "state_corruption": "state corrupted before an error; non-finite numbers accepted",
    "hidden_change": "changes hidden by a report",
    "malformed_file": "truncated or malformed files read as data",
    "dropped_rows": "rows silently dropped by a missing key",
    "label_alignment": "alignment by position instead of label",
    "nan_parameter": "NaN parameters that switch a rule off",
    "single_string": "a single string taken as a list of characters",
    "lax_answer_check": "answer checks that pass wrong answers",
    "masked_error": "errors that hide the real one",
    "bad_input": "wrong types and values at a public boundary",
}
"""The classes of the hostile-input suite (issue 8); ``@pytest.mark.hostile("class")``."""


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Path of the repository root."""
    return ROOT


@pytest.fixture(autouse=True)
def close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    plt.close("all")


def pytest_collection_modifyitems(config, items):
    """Refuse a ``hostile`` marker without a known class."""
    for item in items:
        for marker in item.iter_markers("hostile"):
            if len(marker.args) != 1 or marker.args[0] not in HOSTILE_CLASSES:
                raise pytest.UsageError(
                    f"{item.nodeid}: @pytest.mark.hostile needs one of {sorted(HOSTILE_CLASSES)}"
                    f", got {marker.args!r}"
                )
            item.user_properties.append(("hostile", marker.args[0]))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print how many hostile-input tests ran, per class."""
    tally: Counter[str] = Counter()
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for key, value in getattr(report, "user_properties", []):
            if key == "hostile":
                tally[value] += 1
    if tally:
        terminalreporter.section("hostile-input tests per class")
        for name, count in sorted(tally.items()):
            terminalreporter.line(f"{name:17} {count:4}  {HOSTILE_CLASSES[name]}")


def pytest_configure(config):
    """Capture the notebooks nbval runs into ``$DLBIGDATA_EXECUTED_DIR`` when it is set.

    Registered as a plugin, not as this file's hooks, because a conftest's per-test hooks
    only see the tests under its own folder and the notebooks live in ``notebooks/``.
    """
    target = os.environ.get("DLBIGDATA_EXECUTED_DIR")
    if target and not config.pluginmanager.has_plugin("dlbigdata-executed-capture"):
        config.pluginmanager.register(
            ExecutedNotebookCapture(Path(target), ROOT), "dlbigdata-executed-capture"
        )
