"""Publish the built HTML book on a ``gh-pages`` branch with ghp-import (``make publish``).

This is how Jupyter Book projects publish to GitHub Pages: ``ghp-import -n -p -f
_build/html`` commits the folder as the whole content of the branch (``-n`` adds
``.nojekyll``, so GitHub serves ``_static/`` and the other underscore folders as they
are), pushes it to the remote (``-p``) and replaces what was there (``-f``). The remote is
``origin`` unless ``PUBLISH_REMOTE`` (the Makefile) or ``--remote`` names another one.

The tool refuses, with a message saying what to do, when the book is not built or the
remote does not exist, before anything is committed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["ghp_import_command", "publish"]

COMMIT_MESSAGE = "Publish the book (make publish)"


def _git(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run git quietly and return the completed process (not checked)."""
    return subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False
    )


def ghp_import_command(html: Path, remote: str, branch: str, message: str) -> list[str]:
    """The ghp-import command line that publishes ``html`` onto ``remote``'s ``branch``."""
    executable = shutil.which("ghp-import", path=str(Path(sys.executable).parent))
    program = [executable] if executable else [sys.executable, "-m", "ghp_import"]
    return [
        *program,
        "--no-jekyll",
        "--push",
        "--force",
        "--remote",
        remote,
        "--branch",
        branch,
        "--message",
        message,
        str(html),
    ]


def publish(
    html: Path,
    remote: str = "origin",
    branch: str = "gh-pages",
    repository: Path = Path("."),
    message: str = COMMIT_MESSAGE,
) -> None:
    """Put the built book ``html`` on ``branch`` of ``remote`` and push it.

    Parameters
    ----------
    html
        The built site (``_build/html``); it must hold ``index.html``.
    remote
        The name of a git remote of ``repository``.
    branch
        The branch to replace (GitHub Pages serves ``gh-pages``).
    repository
        The git work tree whose remote is used (the book's clone).
    message
        The commit message on ``branch``.

    Raises
    ------
    ValueError
        If the book is not built, ``repository`` is not a git work tree, or ``remote`` is
        not one of its remotes.
    RuntimeError
        If ghp-import fails (a rejected push, for instance).
    """
    if not (html / "index.html").is_file():
        raise ValueError(f"no {html / 'index.html'}: build the book first (make book)")
    if _git("rev-parse", "--is-inside-work-tree", cwd=repository).returncode != 0:
        raise ValueError(f"{repository.resolve()} is not a git work tree")
    remotes = _git("remote", cwd=repository).stdout.split()
    if remote not in remotes:
        known = ", ".join(remotes) or "none"
        raise ValueError(
            f"no git remote {remote!r} (remotes: {known}); add it with "
            f"`git remote add {remote} URL` or set PUBLISH_REMOTE"
        )
    command = ghp_import_command(html.resolve(), remote, branch, message)
    completed = subprocess.run(command, cwd=repository, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"ghp-import failed (exit {completed.returncode})")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m tools.publish [--html DIR] [--remote R] [--branch B]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", type=Path, default=Path("_build/html"))
    parser.add_argument("--remote", default="origin")
    parser.add_argument("--branch", default="gh-pages")
    parser.add_argument("--repository", type=Path, default=Path("."))
    arguments = parser.parse_args(argv)
    try:
        publish(arguments.html, arguments.remote, arguments.branch, arguments.repository)
    except (ValueError, RuntimeError) as error:
        print(f"publish: {error}", file=sys.stderr)
        return 1
    print(f"publish: {arguments.html} is on {arguments.remote}/{arguments.branch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
