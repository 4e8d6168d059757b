"""Where the browser test finds the site and Chromium, and how it skips or fails without them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from factories import ROOT

CHROMIUM = Path(os.environ.get("DLBIGDATA_CHROMIUM", "/usr/bin/chromium"))
SITE = Path(os.environ.get("DLBIGDATA_SITE", ROOT / "_build" / "test-site" / "_build" / "html"))
SINGLE_PAGE = SITE.parent / "singlehtml"
SCREENSHOTS = ROOT / "_build" / "screenshots"
INSTALL_HINT = (
    "install Debian's Chromium and a CJK font: apt-get install chromium fonts-noto-cjk "
    "(set DLBIGDATA_CHROMIUM if it lives elsewhere than /usr/bin/chromium)"
)


def require_browser() -> bool:
    """Whether a missing browser or site fails instead of skipping (``.ci/run`` sets it)."""
    return os.environ.get("DLBIGDATA_REQUIRE_BROWSER") == "1"


def unavailable(message: str) -> None:
    """Skip with ``message``, or fail with it when the browser test is required."""
    if require_browser():
        pytest.fail(f"{message} (DLBIGDATA_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(message)
