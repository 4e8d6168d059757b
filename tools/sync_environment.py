"""Write environment.yml (conda) from requirements.lock, so both install the same versions.

Run by `make lock`. The conda environment takes Python, OpenJDK 17 (for PySpark) and pip
from conda-forge, then installs exactly the pinned packages of requirements.lock with pip.
tests/test_repository.py checks that the two files agree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# Conda alternative to `make setup`, generated from requirements.lock by tools/sync_environment.py
# (`make lock`); do not edit by hand. Use:
#   conda env create -f environment.yml && conda activate dlbigdata && pip install --no-deps -e .
name: dlbigdata
channels:
  - conda-forge
dependencies:
  - python=3.11
  - openjdk=17
  - pip
  - pip:
"""


def locked_requirements(lock_text: str) -> list[str]:
    """The requirement lines of a lock file, without comments or annotations."""
    lines = []
    for raw in lock_text.splitlines():
        line = re.sub(r"\s+#.*$", "", raw).strip()
        if line and not line.startswith(("#", "-")):
            lines.append(line)
    return lines


def render(lock_text: str) -> str:
    """The environment.yml text for the given lock-file text."""
    pins = "".join(f'      - "{line}"\n' for line in locked_requirements(lock_text))
    return HEADER + pins


def main() -> int:
    lock = (ROOT / "requirements.lock").read_text()
    (ROOT / "environment.yml").write_text(render(lock))
    print(f"wrote environment.yml with {len(locked_requirements(lock))} pinned packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
