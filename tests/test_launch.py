"""Tests of the launch buttons: Binder's set-up, the Colab install cell, one repository URL."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.colab_cell import (
    CELL_ID,
    HIDE_TAG,
    TAG,
    Repository,
    cell_source,
    has_current_cell,
    main,
    read_repository,
    with_colab_cell,
)
from tools.student_edition import make_student_notebook, toc_notebooks

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "_config.yml"
REPOSITORY = read_repository(CONFIG)
RUFF = Path(sys.executable).parent / "ruff"


def chapter() -> dict:
    """A small chapter: title, imports, an exercise with a tagged solution, a check."""
    notebook = new_notebook(
        cells=[
            new_markdown_cell("# Title\n\n## Learning objectives\n\n- one"),
            new_code_cell("import math"),
            new_markdown_cell("```{exercise} Pi\n:label: ch1-pi\n\nCompute pi.\n```"),
            new_markdown_cell("```{solution-start} ch1-pi\n:class: dropdown\n```"),
            new_code_cell("pi = math.pi", metadata={"tags": ["solution"]}),
            new_code_cell(
                "from dlbigdata.checks import check_close\n\n"
                'check_close("pi", pi, 3.14159, tolerance=1e-5)'
            ),
            new_markdown_cell("```{solution-end}\n```"),
        ]
    )
    for index, cell in enumerate(notebook.cells):
        cell["id"] = str(index)
    return json.loads(nbformat.writes(notebook))


def first_code_cell(notebook: dict) -> dict:
    return next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")


# Binder ------------------------------------------------------------------------------------


def test_binder_finds_its_files_at_the_root():
    # repo2docker reads a binder/ folder instead of the root when there is one.
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert (ROOT / "environment.yml").is_file()
    post_build = ROOT / "postBuild"
    assert post_build.stat().st_mode & stat.S_IXUSR, "postBuild must be executable"


def test_post_build_installs_the_package_for_the_kernel(tmp_path):
    """postBuild with a stand-in for the kernel's Python: it logs pip and ipykernel calls."""
    log = tmp_path / "calls.log"
    prefix = tmp_path / "kernel-env"
    (prefix / "bin").mkdir(parents=True)
    fake = prefix / "bin" / "python"
    fake.write_text(
        textwrap.dedent(
            f"""\
            #!/usr/bin/env bash
            echo "$*" >> {log}
            if [ "$1" = "-m" ]; then exit 0; fi  # pip, ipykernel: record only
            exec {sys.executable} "$@"
            """
        )
    )
    fake.chmod(0o755)
    env = {**os.environ, "KERNEL_PYTHON_PREFIX": str(prefix)}
    completed = subprocess.run(
        ["bash", str(ROOT / "postBuild")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    calls = log.read_text().splitlines()
    assert "-m pip install --no-cache-dir --no-deps -e ." in calls
    makefile = (ROOT / "Makefile").read_text()
    warnings = next(
        line.split(":=", 1)[1].strip()
        for line in makefile.splitlines()
        if line.startswith("KERNEL_WARNINGS :=")
    )
    assert any(
        call.startswith("-m ipykernel install --sys-prefix --name python3") and warnings in call
        for call in calls
    ), calls
    assert "the kernel imports dlbigdata" in completed.stdout


def test_launch_buttons_read_the_repository_section():
    config = yaml.safe_load(CONFIG.read_text())
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert config["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert config["html"]["use_repository_button"] is True
    assert REPOSITORY.url == config["repository"]["url"]
    assert REPOSITORY.requirement == f"dlbigdata @ git+{REPOSITORY.url}@{REPOSITORY.branch}"


@pytest.mark.parametrize(
    "url",
    ["http://github.com/a/b", "https://gitlab.com/a/b", "https://github.com/a", None],
)
def test_read_repository_refuses_what_binder_and_colab_cannot_open(tmp_path, url):
    config = tmp_path / "_config.yml"
    config.write_text(yaml.safe_dump({"repository": {"url": url, "branch": "main"}}))
    with pytest.raises(ValueError, match=r"repository\.url must be https://github\.com/"):
        read_repository(config)


# The Colab cell ----------------------------------------------------------------------------


def test_insertion_puts_the_cell_first_among_code_cells_and_keeps_the_others():
    notebook = chapter()
    updated = with_colab_cell(notebook, REPOSITORY)
    cell = first_code_cell(updated)
    assert cell["id"] == CELL_ID and cell["metadata"]["tags"] == [TAG, HIDE_TAG]
    assert "".join(cell["source"]) == cell_source(REPOSITORY)
    assert updated["cells"][0] == notebook["cells"][0], "the title stays the first cell"
    others = [c for c in updated["cells"] if c.get("id") != CELL_ID]
    assert others == notebook["cells"]
    assert notebook == chapter(), "the notebook passed in is not changed"
    assert has_current_cell(updated, REPOSITORY) and not has_current_cell(notebook, REPOSITORY)


def test_insertion_is_idempotent_and_updates_an_old_cell():
    once = with_colab_cell(chapter(), REPOSITORY)
    assert with_colab_cell(once, REPOSITORY) == once
    moved = Repository("https://github.com/someone/fork", "teaching")
    updated = with_colab_cell(once, moved)
    assert sum(TAG in c["metadata"].get("tags", []) for c in updated["cells"]) == 1
    assert "github.com/someone/fork@teaching" in "".join(first_code_cell(updated)["source"])
    assert not has_current_cell(updated, REPOSITORY) and has_current_cell(updated, moved)


def test_insertion_refuses_a_foreign_cell_with_the_same_id():
    notebook = chapter()
    notebook["cells"][1]["id"] = CELL_ID
    with pytest.raises(ValueError, match="already has the id"):
        with_colab_cell(notebook, REPOSITORY, "13_x.ipynb")


def test_the_cell_is_clean_for_ruff_at_the_notebooks_line_length(tmp_path):
    path = tmp_path / "cell.py"
    path.write_text(cell_source(REPOSITORY) + "\n")
    config = str(ROOT / "notebooks" / "ruff.toml")
    for command in (["check"], ["format", "--check"]):
        completed = subprocess.run(
            [str(RUFF), *command, "--config", config, str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr


RUN_CELL = """
import json, subprocess, sys, types
calls = []
subprocess.run = lambda *args, **kwargs: calls.append([list(args[0]), kwargs])
if {on_colab}:
    sys.modules["google.colab"] = types.ModuleType("google.colab")
exec(compile({source!r}, "colab-install", "exec"), {{}})
print(json.dumps(calls))
"""


def run_cell(on_colab: bool, importable: bool) -> list:
    """The calls of ``subprocess.run`` that the cell makes, executed in a fresh Python.

    ``python -S`` leaves out site-packages, where dlbigdata is installed: there it is not
    importable (the cell itself needs only the standard library).
    """
    script = RUN_CELL.format(on_colab=on_colab, source=cell_source(REPOSITORY))
    flags = [] if importable else ["-S"]
    completed = subprocess.run(
        [sys.executable, *flags, "-c", script], capture_output=True, text=True, check=True
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_dlbigdata_is_importable_or_not_as_the_runs_assume():
    probe = "import importlib.util; print(importlib.util.find_spec('dlbigdata') is None)"
    for flags, missing in (([], "False"), (["-S"], "True")):
        out = subprocess.run(
            [sys.executable, *flags, "-c", probe], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == missing


@pytest.mark.parametrize(("on_colab", "importable"), [(True, True), (False, True), (False, False)])
def test_the_cell_installs_nothing_unless_on_colab_without_the_package(on_colab, importable):
    assert run_cell(on_colab, importable) == []


def test_on_colab_without_the_package_the_cell_pip_installs_it_from_the_repository():
    calls = run_cell(on_colab=True, importable=False)
    assert len(calls) == 1
    command, options = calls[0]
    assert command[1:] == ["-m", "pip", "install", "--quiet", REPOSITORY.requirement]
    assert options == {"check": True}


def test_the_student_edition_keeps_the_cell():
    student = make_student_notebook(with_colab_cell(chapter(), REPOSITORY), "01_x.ipynb")
    cell = first_code_cell(student)
    assert cell["id"] == CELL_ID and cell["metadata"]["tags"] == [TAG, HIDE_TAG]
    assert "".join(cell["source"]) == cell_source(REPOSITORY)


def copy_of_the_book(tmp_path: Path) -> Path:
    """_config.yml, _toc.yml and the chapters, copied into ``tmp_path``."""
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "notebooks").mkdir()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(path, tmp_path / "notebooks" / path.name)
    return tmp_path


def test_the_tool_brings_every_chapter_up_to_date_and_check_says_so(tmp_path, capsys):
    book = copy_of_the_book(tmp_path)
    arguments = ["--config", str(book / "_config.yml"), "--toc", str(book / "_toc.yml")]
    assert main(arguments) == 0
    assert main([*arguments, "--check"]) == 0
    before = {p: p.read_bytes() for p in (book / "notebooks").glob("*.ipynb")}
    assert main(arguments) == 0 and "updated 0 notebooks" in capsys.readouterr().out
    assert before == {p: p.read_bytes() for p in before}, "a second run changes nothing"
    for path in toc_notebooks(book / "_toc.yml"):
        original = json.loads((ROOT / "notebooks" / path.name).read_text())
        updated = json.loads(path.read_text())
        kept = [c for c in updated["cells"] if TAG not in c["metadata"].get("tags", [])]
        assert kept == [c for c in original["cells"] if TAG not in c["metadata"].get("tags", [])]
        make_student_notebook(updated, path.name)  # the student edition still accepts it
    # An edited URL makes every chapter outdated until the tool runs again.
    config = book / "_config.yml"
    config.write_text(
        config.read_text().replace(REPOSITORY.url, "https://github.com/someone/fork")
    )
    assert main([*arguments, "--check"]) == 1
    assert "run python -m tools.colab_cell" in capsys.readouterr().err


def test_every_chapter_starts_with_the_current_colab_cell():
    outdated = [
        path.name
        for path in toc_notebooks(ROOT / "_toc.yml")
        if not has_current_cell(json.loads(path.read_text()), REPOSITORY)
    ]
    assert not outdated, (
        f"no current Colab install cell in {outdated}: run "
        "`.venv/bin/python -m tools.colab_cell` (it reads the URL from _config.yml)"
    )


# One URL -----------------------------------------------------------------------------------


def repository_files() -> list[Path]:
    """Tracked and untracked, not ignored, files of the work tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [ROOT / name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def without_install_cells(path: Path, text: str) -> str:
    """A notebook's text without its (current) Colab cells, which the tool generates."""
    notebook = json.loads(text)
    cells = [c for c in notebook.get("cells", []) if TAG not in c["metadata"].get("tags", [])]
    for cell in notebook.get("cells", []):
        if TAG in cell["metadata"].get("tags", []):
            assert "".join(cell["source"]) == cell_source(REPOSITORY), (
                f"{path.name}: the Colab cell is outdated; run python -m tools.colab_cell"
            )
    return json.dumps(cells)


def test_the_repository_url_is_written_only_in_config_yml():
    slug = REPOSITORY.url.removeprefix("https://github.com/")
    # Launch links built by hand (split here so that this file does not match itself).
    launch_links = ("mybinder.org/v2/" + "gh/", "colab.research.google.com/" + "github/")
    found = []
    for path in repository_files():
        if path == CONFIG or path.stat().st_size > 5_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if path.suffix == ".ipynb":
            text = without_install_cells(path, text)
        for needle in (slug, *launch_links):
            if needle.lower() in text.lower():
                found.append(f"{path.relative_to(ROOT)} ({needle})")
    assert not found, (
        "the repository URL (or a launch link built from it) is written outside "
        f"_config.yml's repository.url: {found}; read it from there instead"
    )
