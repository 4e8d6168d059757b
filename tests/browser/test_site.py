"""The built site read in headless Chromium at 1280 px, as a learner reads it.

Every page of ``_toc.yml`` (and the index pages) is loaded once, over http from 127.0.0.1,
with every request routed: a request to any other host is refused and reported. Each page
must show no console error, ask nothing from another host, have every formula rendered by
MathJax, keep every code block inside its column, and give every image real alt text.
Search must find "DuckDB", and a solution must stay hidden until its toggle is clicked.
A screenshot of each page goes to ``_build/screenshots/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from factories import ROOT
from playwright.sync_api import Error as PlaywrightError

from tools.check_site import toc_files

pytestmark = pytest.mark.slow

PAGES = [*toc_files(ROOT / "_toc.yml"), "genindex"]
"""Every page of the book, as document names (``notebooks/01_domains``)."""

WIDTH, HEIGHT = 1280, 900
TIMEOUT_MS = 180_000
"""Per browser action: a full-page screenshot of a long chapter is slow on 2 busy cores."""
ALLOWED_HOSTS = {"127.0.0.1"}
FILE_NAME = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|svg|gif|webp)$", re.IGNORECASE)
"""An alt text that is only a file name or path (what MyST-NB writes when none is given)."""

MEASURE = """() => {
  const visible = (e) => e.offsetParent !== null;
  const main = document.querySelector('main') || document.body;
  const column = (e) => (e.closest('.bd-article') || main).getBoundingClientRect();
  const wide = [];
  for (const pre of main.querySelectorAll('pre')) {
    if (!visible(pre)) continue;
    const box = pre.getBoundingClientRect(), col = column(pre);
    if (pre.scrollWidth > pre.clientWidth + 1 || box.right > col.right + 1) {
      wide.push(pre.textContent.split('\\n').reduce((a, b) => a.length >= b.length ? a : b)
        .slice(0, 100));
    }
  }
  const images = [...document.querySelectorAll('img')].map(
    (img) => ({src: img.getAttribute('src') || '', alt: img.getAttribute('alt')}));
  const math = [...main.querySelectorAll('.math')];
  return {
    wide,
    images,
    math: math.length,
    rendered: math.filter((e) => e.querySelector('mjx-container')).length,
    errors: main.querySelectorAll('mjx-merror').length,
    unrendered: math.filter((e) => !e.querySelector('mjx-container'))
      .map((e) => e.textContent.slice(0, 80)),
  };
}"""


@dataclass
class PageReport:
    """What one page did in the browser."""

    console_errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    measured: dict = field(default_factory=dict)
    error: str | None = None
    """Why the page could not be loaded or measured (then every check of it fails)."""

    def checked(self) -> PageReport:
        """This report, after failing the calling test if the page could not be measured."""
        if self.error is not None:
            pytest.fail(f"the page could not be read: {self.error}", pytrace=False)
        return self


def screenshot_name(page: str) -> str:
    """A page's screenshot: ``notebooks/01_domains`` -> ``notebooks__01_domains.jpg``."""
    return page.replace("/", "__") + ".jpg"


def open_page(browser, url: str, report: PageReport):
    """A new 1280-px page whose off-site requests are refused and console errors recorded."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})

    def route(request_route):
        parsed = urlparse(request_route.request.url)
        if parsed.scheme in ("data", "blob") or parsed.hostname in ALLOWED_HOSTS:
            request_route.continue_()
        else:
            report.offsite.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            report.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: report.console_errors.append(f"uncaught: {error}"))
    page.goto(url, wait_until="load")
    return context, page


def wait_for_mathjax(page) -> None:
    """Wait until MathJax (when the page loads it) has typeset the page."""
    page.evaluate(
        """() => (window.MathJax && MathJax.startup && MathJax.startup.promise)
            ? Promise.race([MathJax.startup.promise.then(() => true),
                            new Promise((done) => setTimeout(() => done(false), 60000))])
            : false"""
    )
    page.evaluate("() => document.fonts.ready.then(() => true)")


@pytest.fixture(scope="session")
def reports(browser, site_url, screenshots) -> dict[str, PageReport]:
    """Every page loaded once: its console errors, off-site requests and measurements."""
    results = {}
    for name in PAGES:
        report = PageReport()
        context = None
        try:
            context, page = open_page(browser, f"{site_url}/{name}.html", report)
            wait_for_mathjax(page)
            report.measured = page.evaluate(MEASURE)
            # the whole page, as JPEG: a chapter is 20 000 px tall, and PNG is slow and large
            page.screenshot(
                path=str(screenshots / screenshot_name(name)), full_page=True, quality=70
            )
        except PlaywrightError as error:  # reported by each check of this page
            report.error = str(error).splitlines()[0]
        finally:
            if context is not None:
                context.close()
        results[name] = report
    return results


@pytest.mark.parametrize("name", PAGES)
def test_no_console_errors(reports, name):
    assert reports[name].checked().console_errors == []


@pytest.mark.parametrize("name", PAGES)
def test_no_offsite_requests(reports, name):
    assert reports[name].checked().offsite == []


@pytest.mark.parametrize("name", PAGES)
def test_mathjax_rendered_every_formula(reports, name):
    measured = reports[name].checked().measured
    assert measured["rendered"] == measured["math"], measured["unrendered"]
    assert measured["errors"] == 0, "MathJax reported a TeX error (mjx-merror)"


@pytest.mark.parametrize("name", PAGES)
def test_code_blocks_fit_the_column(reports, name):
    assert reports[name].checked().measured["wide"] == [], (
        "code blocks wider than the column at 1280 px"
    )


@pytest.mark.parametrize("name", PAGES)
def test_images_have_alt_text(reports, name):
    bad = [
        image
        for image in reports[name].checked().measured["images"]
        if not (image["alt"] or "").strip()
        or FILE_NAME.search(image["alt"].strip())
        or image["alt"].strip() == Path(image["src"]).name
    ]
    assert bad == [], f"{len(bad)} image(s) without real alt text"


def test_screenshots_of_every_page(reports, screenshots):
    missing = [n for n in PAGES if not (screenshots / screenshot_name(n)).is_file()]
    assert missing == []


def test_math_is_on_the_pages(reports):
    """The formula check is not vacuous: the book's chapters do hold formulas."""
    assert sum(r.measured.get("math", 0) for r in reports.values()) >= 50


def test_search_finds_duckdb(browser, site_url):
    report = PageReport()
    context, page = open_page(browser, f"{site_url}/search.html?q=DuckDB", report)
    try:
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=60_000)
        assert results.count() >= 1
        assert "DuckDB" in page.locator("#search-results").inner_text()
    finally:
        context.close()
    assert report.console_errors == [] and report.offsite == []


def test_solution_hidden_until_its_toggle_is_clicked(browser, site_url, site_dir):
    chapter = next(
        n
        for n in PAGES
        if n.startswith("notebooks/") and 'class="solution' in (site_dir / f"{n}.html").read_text()
    )
    report = PageReport()
    context, page = open_page(browser, f"{site_url}/{chapter}.html", report)
    try:
        solution = page.locator("div.solution").first
        body = solution.locator("section.solution-content")
        solution.scroll_into_view_if_needed()
        assert not body.is_visible(), f"{chapter}: the first solution is shown before its toggle"
        solution.locator("button.toggle-button, .admonition-title").first.click()
        body.wait_for(state="visible", timeout=5_000)
        assert body.is_visible()
    finally:
        context.close()
