"""Tests of make wheelhouse (tools/wheelhouse.py): one wheel per pin, installable offline."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

from tools.wheelhouse import (
    build_wheels,
    compatible_wheels,
    locked_pins,
    main,
    missing_pins,
    stale_wheels,
    update_wheelhouse,
)

ROOT = Path(__file__).resolve().parents[1]


def make_wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> Path:
    """A minimal pure-Python wheel ``name-version-py3-none-any.whl`` (module ``name``)."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f'VERSION = "{version}"\n',
        f"{dist_info}/METADATA": "Metadata-Version: 2.1\n"
        f"Name: {name}\nVersion: {version}\n"
        + "".join(f"Requires-Dist: {requirement}\n" for requirement in requires),
        f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    record.append(f"{dist_info}/RECORD,,")
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return wheel


LOCK = """\
tinyapp==1.0              # via the book
tinydep==2.0              # via tinyapp
mac-only==3.0 ; sys_platform == 'no-such-platform'
"""


@pytest.fixture
def lock(tmp_path) -> Path:
    path = tmp_path / "requirements.lock"
    path.write_text(LOCK)
    return path


def test_locked_pins_keep_this_platforms_pins_and_the_extra_ones():
    pins = locked_pins(LOCK, extra=["uv==0.13.9"])
    assert pins == ["tinyapp==1.0", "tinydep==2.0", "uv==0.13.9"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("numpy>=1.26\n", "not pinned exactly"),
        ("numpy==1.26\nNumPy==2.0\n", "pinned to both 1.26 and 2.0"),
        ("dlbigdata @ https://example.invalid/x.whl\n", "not pinned exactly"),
        ("==1.0\n", "not a requirement"),
    ],
)
def test_locked_pins_refuse_what_is_not_a_lock(text, message):
    with pytest.raises(ValueError, match=message):
        locked_pins(text)


def test_the_real_lock_pins_the_build_backend_and_uv(tmp_path):
    makefile = (ROOT / "Makefile").read_text()
    uv = next(
        line.split(":=")[1].strip() for line in makefile.splitlines() if "UV_VERSION :=" in line
    )
    pins = locked_pins((ROOT / "requirements.lock").read_text(), extra=[f"uv=={uv}"])
    names = {pin.partition("==")[0] for pin in pins}
    assert {"setuptools", "wheel", "uv", "tensorflow-cpu", "pyspark"} <= names
    # update_wheelhouse checks the build backend before fetching anything.
    fetched = []
    with pytest.raises(RuntimeError, match="no wheel for this platform"):
        update_wheelhouse(
            ROOT / "requirements.lock",
            tmp_path / "wheelhouse",
            [f"uv=={uv}"],
            ROOT / "pyproject.toml",
            run=fetched.append,
        )
    (command,) = fetched
    assert command[1:5] == ["-m", "pip", "wheel", "--no-deps"]


def test_makefile_builds_the_wheelhouse_with_the_uv_that_setup_installs():
    dry_run = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-stamp", "wheelhouse"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "tools.wheelhouse --lock requirements.lock --output-dir wheelhouse" in dry_run
    assert "--extra uv==" in dry_run
    assert "/wheelhouse/" in (ROOT / ".gitignore").read_text().splitlines()


def test_update_fetches_only_missing_pins_and_removes_stale_wheels(tmp_path, lock):
    source = tmp_path / "index"
    make_wheel(source, "tinyapp", "1.0", ("tinydep",))
    folder = tmp_path / "wheelhouse"
    make_wheel(folder, "tinydep", "2.0")
    stale = make_wheel(folder, "tinydep", "1.0")
    (folder / "notes.txt").write_text("not a wheel")
    commands = []

    def fake_pip(command):  # what `pip wheel` does, from a local folder
        commands.append(command)
        requirements = Path(command[command.index("--requirement") + 1]).read_text().split()
        for pin in requirements:
            name, _, version = pin.partition("==")
            shutil.copy(source / f"{name}-{version}-py3-none-any.whl", folder)

    fetched, removed = update_wheelhouse(lock, folder, run=fake_pip)
    assert fetched == ["tinyapp==1.0"] and removed == [stale]
    assert sorted(p.name for p in folder.glob("*.whl")) == [
        "tinyapp-1.0-py3-none-any.whl",
        "tinydep-2.0-py3-none-any.whl",
    ]
    assert commands[0][commands[0].index("--wheel-dir") + 1] == str(folder)
    # The second run finds everything there and calls pip no more.
    assert update_wheelhouse(lock, folder, run=fake_pip) == ([], [])
    assert len(commands) == 1


def test_a_pin_without_a_wheel_for_this_platform_is_an_error(tmp_path, lock):
    folder = tmp_path / "wheelhouse"
    make_wheel(folder, "tinydep", "2.0")
    (folder / "tinyapp-1.0-cp27-cp27m-win32.whl").write_bytes(b"")
    assert compatible_wheels(folder).keys() == {("tinydep", Version("2.0"))}
    with pytest.raises(RuntimeError, match=r"no wheel for this platform .* tinyapp==1.0"):
        update_wheelhouse(lock, folder, run=lambda command: None)


def test_the_build_backend_must_be_locked(tmp_path, lock):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[build-system]\nrequires = ["setuptools>=69", "wheel"]\n')
    with pytest.raises(ValueError, match="builds with 'setuptools>=69', which the lock"):
        update_wheelhouse(lock, tmp_path / "wheelhouse", pyproject=pyproject)


def test_main_reports_a_missing_lock(tmp_path, capsys):
    assert main(["--lock", str(tmp_path / "nope.lock"), "--output-dir", str(tmp_path)]) == 1
    assert "no lock file" in capsys.readouterr().err


def test_nothing_to_fetch_runs_nothing(tmp_path):
    build_wheels([], tmp_path / "wheelhouse", run=lambda command: pytest.fail("ran pip"))
    assert missing_pins([], tmp_path) == [] and stale_wheels([], tmp_path / "none") == []


# Installing offline ------------------------------------------------------------------------


def network_cut() -> list[str]:
    """``unshare -n`` (no network at all) when this test runs as root and may use it."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return []
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    return ["unshare", "-n"] if probe.returncode == 0 else []


@pytest.mark.slow
def test_a_fresh_venv_installs_from_the_wheelhouse_offline(tmp_path, lock):
    """The classroom recipe: the lock's wheels, then the book's package, with no index."""
    folder = tmp_path / "wheelhouse"
    make_wheel(folder, "tinyapp", "1.0", ("tinydep",))
    make_wheel(folder, "tinydep", "2.0")
    assert update_wheelhouse(lock, folder, run=lambda c: pytest.fail("fetched")) == ([], [])
    # The book's own package as a wheel, built from a copy (the work tree stays clean).
    project = tmp_path / "project"
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--wheel-dir", str(folder), str(project)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr

    venv = tmp_path / "classroom-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    offline = network_cut()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # only the wheelhouse: no index, no local mirror
    pip = [*offline, python, "-m", "pip", "install", "--quiet", "--no-index"]
    for extra in (["-r", str(lock)], ["--no-deps", "dlbigdata"]):
        installed = subprocess.run(
            [*pip, "--find-links", str(folder), *extra],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert installed.returncode == 0, installed.stderr
    probe = (
        "import importlib.metadata as m, tinyapp, tinydep; "
        "print(tinyapp.VERSION, tinydep.VERSION, m.version('dlbigdata'))"
    )
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    version = subprocess.run(
        [sys.executable, "-c", "import dlbigdata; print(dlbigdata.__version__)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert out.stdout.split() == ["1.0", "2.0", version]
