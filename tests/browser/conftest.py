"""Fixtures of the browser test: the built site served on 127.0.0.1 and Debian's Chromium.

The site is the one ``make browser-test`` builds from the notebooks ``make test`` executed
(``tools/build_site.py`` into ``_build/test-site``); ``DLBIGDATA_SITE`` points elsewhere.
Chromium is the system's (``/usr/bin/chromium``, or ``DLBIGDATA_CHROMIUM``): Playwright never
downloads a browser here. Without it the tests are skipped, saying how to install it, unless
``DLBIGDATA_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which makes a missing browser or site
a failure.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from browser.support import CHROMIUM, INSTALL_HINT, SCREENSHOTS, SINGLE_PAGE, SITE, unavailable

from tools.make_pdf import serve as serve_directory


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """The system Chromium's executable."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"no Chromium at {CHROMIUM}: {INSTALL_HINT}")
    return CHROMIUM


@pytest.fixture(scope="session")
def single_page_dir() -> Path:
    """The single-page build (``make pdf`` prints it)."""
    if not (SINGLE_PAGE / "index.html").is_file():  # a redirect to the root document
        unavailable(f"no single-page build at {SINGLE_PAGE}: run `make browser-test`")
    return SINGLE_PAGE


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built HTML site."""
    if not (SITE / "index.html").is_file():
        unavailable(f"no built site at {SITE}: run `make browser-test` (after `make test`)")
    return SITE


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` (tools.make_pdf.serve); yield its base URL; then check it stopped."""
    with serve_directory(directory) as url:
        yield url
    port = int(url.rsplit(":", 1)[1])
    assert not _port_open(port), f"port {port} still accepts connections"


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Base URL of the site, served for the session."""
    yield from serve(site_dir)


def _descendants() -> list[psutil.Process]:
    alive = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                alive.append(child)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.fixture(scope="session")
def browser(chromium_path: Path):
    """Headless Chromium driven by Playwright; closed, with every process it started, after."""
    from playwright.sync_api import sync_playwright

    before = {p.pid for p in _descendants()}
    manager = sync_playwright().start()
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    try:
        chromium = manager.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=args
        )
    except Exception:
        manager.stop()
        raise
    yield chromium
    chromium.close()
    manager.stop()
    deadline = time.monotonic() + 10
    while (left := [p for p in _descendants() if p.pid not in before]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert not left, f"processes left behind by the browser: {[p.cmdline()[:1] for p in left]}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Folder for one screenshot per page, emptied first."""
    for old in [*SCREENSHOTS.glob("*.png"), *SCREENSHOTS.glob("*.jpg")]:
        old.unlink()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
