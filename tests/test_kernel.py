"""The book's Jupyter kernel: the interpreter of the project, and its one warning filter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

IMPORT_PANDERA = """
import warnings
import pandera.pandas
warnings.warn("a warning of the book's own code", FutureWarning)
"""


def _book_kernel():
    manager = KernelSpecManager()
    manager.kernel_dirs = [str(Path(sys.prefix) / "share" / "jupyter" / "kernels")]
    return manager.get_kernel_spec("python3")


def test_the_kernel_runs_the_projects_interpreter():
    spec = _book_kernel()
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()


def test_the_kernel_hides_pysparks_pandas_warning_and_nothing_else():
    environment = _book_kernel().env
    assert "PYTHONWARNINGS" in environment, "make setup installs the kernel with --env"
    completed = subprocess.run(
        [sys.executable, "-c", IMPORT_PANDERA],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **environment},
        check=True,
    )
    assert "PySpark does not yet fully support" not in completed.stderr
    assert "a warning of the book's own code" in completed.stderr
    unfiltered = subprocess.run(
        [sys.executable, "-c", IMPORT_PANDERA],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert "PySpark does not yet fully support" in unfiltered.stderr, (
        "pandera no longer imports PySpark's pandas API: drop KERNEL_WARNINGS from the Makefile"
    )
