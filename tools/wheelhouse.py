"""Download every locked wheel once into a folder that installs offline (``make wheelhouse``).

A classroom without Wi-Fi installs from the folder with::

    python3 -m venv .venv
    .venv/bin/pip install --no-index --find-links wheelhouse -r requirements.lock
    .venv/bin/pip install --no-index --find-links wheelhouse --no-deps -e .

or runs ``make setup`` itself offline (``PIP_NO_INDEX=1 PIP_FIND_LINKS=wheelhouse
UV_OFFLINE=1 UV_FIND_LINKS=wheelhouse make setup``), which is why the folder also holds
the ``uv`` that ``make setup`` installs and the build backend of ``pyproject.toml``.

The wheels are fetched by ``python -m pip wheel --no-deps``: pip is always in the book's
virtual environment (``make setup`` creates it with ``python -m venv`` and installs uv
with that pip), whereas uv has no download command and its cache holds unpacked wheels,
not ``.whl`` files. ``pip wheel`` keeps a published wheel as it is and builds one from a
source distribution where a project publishes no wheel (PySpark), so the classroom
machine never needs a compiler or a build backend from the network.

The wheels are for this machine's platform and Python (environment markers of the
universal lock are evaluated here); build the folder on a machine like the laptops. A
second run downloads only the pins that have no wheel yet and removes wheels that the
lock no longer lists.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.tags import Tag, sys_tags
from packaging.utils import (
    InvalidWheelFilename,
    canonicalize_name,
    parse_wheel_filename,
)
from packaging.version import Version

from tools.sync_environment import locked_requirements

__all__ = [
    "Pin",
    "build_wheels",
    "compatible_wheels",
    "locked_pins",
    "missing_pins",
    "stale_wheels",
    "update_wheelhouse",
]

Pin = tuple[str, Version]
"""A locked distribution: its canonical name and exact version."""

Runner = Callable[[list[str]], None]


def _pin(line: str, origin: str) -> Requirement:
    """One ``name==version`` requirement; ``ValueError`` for anything else."""
    try:
        requirement = Requirement(line)
    except InvalidRequirement as error:
        raise ValueError(f"{origin}: {line!r} is not a requirement ({error})") from None
    specifiers = list(requirement.specifier)
    if requirement.url or len(specifiers) != 1 or specifiers[0].operator != "==":
        raise ValueError(f"{origin}: {line!r} is not pinned exactly (name==version)")
    return requirement


def locked_pins(lock_text: str, extra: Iterable[str] = (), origin: str = "lock") -> list[str]:
    """The pins of a lock (plus ``extra`` ones) that apply to this platform, as written.

    Parameters
    ----------
    lock_text
        The text of ``requirements.lock``: ``name==version`` lines, optionally with
        environment markers and ``#`` comments.
    extra
        More ``name==version`` pins (the ``uv`` that ``make setup`` installs).
    origin
        Named in error messages.

    Returns
    -------
    list of str
        ``name==version`` for every pin whose marker holds here, without duplicates.

    Raises
    ------
    ValueError
        If a line is not an exact pin, or one name is pinned to two versions.
    """
    seen: dict[str, str] = {}
    for line in [*locked_requirements(lock_text), *extra]:
        requirement = _pin(line, origin)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        version = next(iter(requirement.specifier)).version
        if seen.get(name, version) != version:
            raise ValueError(f"{origin}: {name} is pinned to both {seen[name]} and {version}")
        seen[name] = version
    return [f"{name}=={version}" for name, version in seen.items()]


def _as_pin(spec: str) -> Pin:
    """``(canonical name, version)`` of a ``name==version`` string."""
    name, _, version = spec.partition("==")
    return canonicalize_name(name), Version(version)


def compatible_wheels(folder: Path, tags: Iterable[Tag] | None = None) -> dict[Pin, Path]:
    """The wheels in ``folder`` that install on this interpreter, by name and version.

    Files that are not wheels, and wheels for other platforms or Pythons, are left out.
    """
    supported = set(sys_tags() if tags is None else tags)
    found: dict[Pin, Path] = {}
    for path in sorted(folder.glob("*.whl")) if folder.is_dir() else []:
        try:
            name, version, _, wheel_tags = parse_wheel_filename(path.name)
        except InvalidWheelFilename:
            continue
        if supported & set(wheel_tags):
            found[(name, version)] = path
    return found


def missing_pins(pins: Sequence[str], folder: Path) -> list[str]:
    """The pins that have no compatible wheel in ``folder`` yet."""
    present = compatible_wheels(folder)
    return [spec for spec in pins if _as_pin(spec) not in present]


def stale_wheels(pins: Sequence[str], folder: Path) -> list[Path]:
    """The wheels in ``folder`` that no pin asks for (older versions, removed packages)."""
    wanted = {_as_pin(spec) for spec in pins}
    stale = []
    for path in sorted(folder.glob("*.whl")) if folder.is_dir() else []:
        try:
            name, version, _, _ = parse_wheel_filename(path.name)
        except InvalidWheelFilename:
            continue
        if (name, version) not in wanted:
            stale.append(path)
    return stale


def _run(command: list[str]) -> None:
    """Run a command, letting its output through; ``RuntimeError`` when it fails."""
    completed = subprocess.run(command, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} ... failed (exit {completed.returncode})")


def build_wheels(pins: Sequence[str], folder: Path, run: Runner = _run) -> None:
    """Fetch (or build from source) one wheel per pin into ``folder`` with ``pip wheel``.

    Raises
    ------
    RuntimeError
        If pip is not installed in this interpreter, or ``pip wheel`` fails.
    """
    if not pins:
        return
    try:
        import pip  # noqa: F401  (only to say clearly that it is missing)
    except ModuleNotFoundError:
        raise RuntimeError(
            f"pip is not installed in {sys.executable}; run `{sys.executable} -m ensurepip`"
        ) from None
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        requirements = Path(scratch) / "requirements.txt"
        requirements.write_text("\n".join(pins) + "\n", encoding="utf-8")
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",  # the lock is complete: exactly its pins, nothing resolved
                "--disable-pip-version-check",
                "--progress-bar",
                "off",
                "--wheel-dir",
                str(folder),
                "--requirement",
                str(requirements),
            ]
        )


def _build_requirements(pyproject: Path) -> list[str]:
    """``[build-system] requires`` of a ``pyproject.toml``."""
    content = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    requires = content.get("build-system", {}).get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise ValueError(f"{pyproject}: [build-system] requires must be a list of strings")
    return requires


def _check_build_backend(pins: Sequence[str], pyproject: Path) -> None:
    """``ValueError`` unless the pins satisfy the package's build requirements."""
    versions = dict(_as_pin(spec) for spec in pins)
    for line in _build_requirements(pyproject):
        requirement = Requirement(line)
        version = versions.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            raise ValueError(
                f"{pyproject} builds with {line!r}, which the lock does not pin; add it to "
                "the lock so that `pip install --no-index -e .` finds it in the wheelhouse"
            )


def update_wheelhouse(
    lock: Path,
    folder: Path,
    extra: Sequence[str] = (),
    pyproject: Path | None = None,
    run: Runner = _run,
) -> tuple[list[str], list[Path]]:
    """Make ``folder`` hold exactly one wheel per pin of ``lock`` (and ``extra``).

    Returns
    -------
    fetched, removed
        The pins that were fetched now, and the stale wheels removed.

    Raises
    ------
    ValueError
        If the lock is missing or malformed, or it does not pin the build backend.
    RuntimeError
        If a pin still has no wheel for this platform after ``pip wheel``.
    """
    if not lock.is_file():
        raise ValueError(f"no lock file at {lock}")
    pins = locked_pins(lock.read_text(encoding="utf-8"), extra, origin=str(lock))
    if pyproject is not None:
        _check_build_backend(pins, pyproject)
    removed = stale_wheels(pins, folder)
    for path in removed:
        path.unlink()
    fetched = missing_pins(pins, folder)
    build_wheels(fetched, folder, run)
    still_missing = missing_pins(pins, folder)
    if still_missing:
        raise RuntimeError(
            f"no wheel for this platform in {folder} for: {', '.join(still_missing)}"
        )
    return fetched, removed


def _size(folder: Path) -> str:
    """The total size of the wheels in ``folder``, for people."""
    total = sum(path.stat().st_size for path in folder.glob("*.whl"))
    return f"{total / 2**20:,.0f} MiB"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m tools.wheelhouse [--lock L] [--output-dir D] [--extra PIN]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lock", type=Path, default=Path("requirements.lock"))
    parser.add_argument("--output-dir", type=Path, default=Path("wheelhouse"))
    parser.add_argument("--pyproject", type=Path, default=Path("pyproject.toml"))
    parser.add_argument(
        "--extra", action="append", default=[], help="another name==version (repeatable)"
    )
    arguments = parser.parse_args(argv)
    try:
        fetched, removed = update_wheelhouse(
            arguments.lock, arguments.output_dir, arguments.extra, arguments.pyproject
        )
    except (ValueError, RuntimeError) as error:
        print(f"wheelhouse: {error}", file=sys.stderr)
        return 1
    folder = arguments.output_dir
    count = len(compatible_wheels(folder))
    print(
        f"wheelhouse: {count} wheels in {folder} ({_size(folder)}; {len(fetched)} fetched now, "
        f"{len(removed)} stale removed) for Python {sys.version_info.major}."
        f"{sys.version_info.minor} on {next(iter(sys_tags())).platform}"
    )
    print(f"install offline: pip install --no-index --find-links {folder} -r {arguments.lock}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
