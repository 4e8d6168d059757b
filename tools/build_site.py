"""Build the HTML book from notebooks that were already executed, with warnings as errors.

``make test`` runs every notebook once under nbval and keeps each executed copy, outputs and
all, in ``_build/executed/notebooks/`` (``DLBIGDATA_EXECUTED_DIR``, see
``tests/browser/capture.py``). This tool stages the book's sources with those copies in
place of the stored (output-free) notebooks and builds them with ``execute_notebooks: off``,
so the browser test and ``make pdf`` read a site with every output and glued value, at the
cost of a build without execution (minutes) instead of a second execution of the notebooks.

Usage::

    python -m tools.build_site --executed _build/executed --output _build/test-site
    python -m tools.build_site ... --builder html --builder singlehtml

It refuses, naming them, when a notebook of ``_toc.yml`` was not captured or was captured
from a different version of the notebook than the one in ``notebooks/``. The site is
``OUTPUT/_build/html`` (``OUTPUT/_build/singlehtml`` for the single page).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.check_site import toc_files  # noqa: E402

CAPTURE_KEY = "dlbigdata_capture"
"""Notebook metadata written by the capture plugin (``tests/browser/capture.py``): the
:func:`notebook_fingerprint` of the notebook as nbval read it."""

BUILDERS = ("html", "singlehtml")
"""Jupyter Book builders this tool runs; both share one parsed environment (``.doctrees``)."""

STAGED = ("_toc.yml", "book", "_static")
"""What the book needs besides the notebooks and its configuration."""


def notebook_fingerprint(notebook: dict) -> str:
    """SHA-256 of a notebook's cells as written (type, source, metadata), outputs left out.

    Two versions of a notebook with the same fingerprint render the same page once executed,
    so an executed copy whose fingerprint differs from the stored notebook's is stale.
    """
    cells = [
        [cell["cell_type"], "".join(cell["source"]), cell.get("metadata", {})]
        for cell in notebook["cells"]
    ]
    text = json.dumps(cells, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CaptureError(RuntimeError):
    """The executed notebooks do not cover the book (missing or stale copies)."""


def toc_notebooks(root: Path = ROOT) -> list[str]:
    """The notebooks of ``_toc.yml`` as paths relative to the root (``notebooks/01_x.ipynb``)."""
    return [
        f"{name}.ipynb"
        for name in toc_files(root / "_toc.yml")
        if (root / f"{name}.ipynb").is_file()
    ]


def check_captured(executed: Path, root: Path = ROOT) -> tuple[list[str], list[str]]:
    """The book's notebooks missing from ``executed``, and those captured from another version.

    Parameters
    ----------
    executed : Path
        Folder holding ``notebooks/NN_topic.ipynb`` as written by the capture plugin.
    root : Path
        The repository root.

    Returns
    -------
    tuple of list of str
        ``(missing, stale)``, each a list of paths relative to the root.
    """
    missing, stale = [], []
    for relative in toc_notebooks(root):
        captured = executed / relative
        if not captured.is_file():
            missing.append(relative)
            continue
        metadata = json.loads(captured.read_text("utf-8")).get("metadata", {})
        recorded = metadata.get(CAPTURE_KEY, {}).get("fingerprint")
        stored = json.loads((root / relative).read_text("utf-8"))
        if recorded != notebook_fingerprint(stored):
            stale.append(relative)
    return missing, stale


def staged_config(root: Path, allow_missing: bool) -> dict:
    """The book's ``_config.yml`` with execution off and local extensions pointing at the book."""
    config = yaml.safe_load((root / "_config.yml").read_text("utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    if allow_missing:  # a notebook without outputs holds no glued values
        config["sphinx"]["config"]["suppress_warnings"] += ["mystnb.glue", "mystnb.glue_ref"]
    extensions = config["sphinx"].get("local_extensions") or {}
    config["sphinx"]["local_extensions"] = {
        name: str(root / path) for name, path in extensions.items()
    }
    return config


def stage(executed: Path, output: Path, root: Path = ROOT, allow_missing: bool = False) -> Path:
    """Copy the book's sources into ``output/source`` with the executed notebooks in place.

    Raises
    ------
    CaptureError
        If a notebook of the book was not captured, or was captured from another version
        (unless ``allow_missing``, which stages the stored notebook instead: development only).
    """
    missing, stale = check_captured(executed, root)
    if (missing or stale) and not allow_missing:
        problems = []
        if missing:
            problems.append(f"not captured: {', '.join(missing)}")
        if stale:
            problems.append(f"captured from an older version: {', '.join(stale)}")
        raise CaptureError(
            f"{executed} does not hold every notebook of the book as it is now ("
            + "; ".join(problems)
            + "). Run the notebooks with the capture on: "
            f"DLBIGDATA_EXECUTED_DIR={executed} {sys.executable} -m pytest (make test does)"
        )
    source = output / "source"
    shutil.rmtree(output, ignore_errors=True)
    source.mkdir(parents=True)
    for name in STAGED:
        path = root / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif path.is_file():
            shutil.copy2(path, source / name)
    for relative in toc_notebooks(root):
        captured = executed / relative
        origin = root / relative if relative in missing + stale else captured
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, source / relative)
    config_path = output / "_config.yml"
    config_path.write_text(yaml.safe_dump(staged_config(root, bool(missing or stale))), "utf-8")
    return source


def build(source: Path, output: Path, builder: str) -> Path:
    """Run Jupyter Book on the staged sources, warnings as errors; the folder it wrote.

    Raises
    ------
    ValueError
        If ``builder`` is not one of :data:`BUILDERS`.
    RuntimeError
        If the build fails or warns (the end of its log is in the message).
    """
    if builder not in BUILDERS:
        raise ValueError(f"builder must be one of {BUILDERS}, got {builder!r}")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [
        str(jupyter_book),
        "build",
        str(source),
        "--config",
        str(output / "_config.yml"),
        "--path-output",
        str(output),
        "--builder",
        builder,
        "-W",
        "-n",
        "--keep-going",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if completed.returncode != 0:
        log = completed.stdout + completed.stderr
        raise RuntimeError(f"the {builder} build of {source} failed:\n{log[-6000:]}")
    return output / "_build" / builder


def build_site(
    executed: Path,
    output: Path,
    builders: tuple[str, ...] = ("html",),
    root: Path = ROOT,
    allow_missing: bool = False,
) -> dict[str, Path]:
    """Stage and build the book from executed notebooks; the folder of each builder's output.

    Parameters
    ----------
    executed : Path
        Folder of the captured notebooks (``notebooks/NN_topic.ipynb`` inside it).
    output : Path
        Folder to build in; emptied first (a partial rebuild would not repeat the warnings
        of the pages it skips, and every warning must fail).
    builders : tuple of str
        Any of :data:`BUILDERS`, built in order from one parsed environment.
    root : Path
        The repository root.
    allow_missing : bool
        Build with the stored notebook where no current executed copy exists (glue
        warnings then silenced). For developing this tool only; ``make test`` never sets it.

    Returns
    -------
    dict of str to Path
        ``{"html": OUTPUT/_build/html, ...}``.
    """
    unknown = [b for b in builders if b not in BUILDERS]
    if not builders or unknown:
        raise ValueError(f"builders must be a non-empty subset of {BUILDERS}, got {builders!r}")
    source = stage(Path(executed), Path(output), root, allow_missing)
    sites = {builder: build(source, Path(output), builder) for builder in builders}
    if "html" in sites:
        check = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "check_site.py"), str(sites["html"])],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise RuntimeError(check.stderr)
    return sites


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit status 1 with a message when the site cannot be built."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--executed", type=Path, default=ROOT / "_build" / "executed")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "test-site")
    parser.add_argument("--builder", action="append", choices=BUILDERS, dest="builders")
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="stage stored notebooks where no executed copy exists (development only)",
    )
    args = parser.parse_args(argv)
    try:
        sites = build_site(
            args.executed,
            args.output,
            tuple(args.builders or ["html"]),
            allow_missing=args.allow_missing,
        )
    except (CaptureError, RuntimeError) as error:
        print(f"build_site: {error}", file=sys.stderr)
        return 1
    for builder, site in sites.items():
        print(f"{builder}: {site}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
