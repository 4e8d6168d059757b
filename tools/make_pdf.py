"""The whole book as one PDF, offline: the single-page HTML build printed by headless Chromium.

``make pdf`` runs this. The single page comes from the notebooks ``make test`` already
executed (``_build/executed``, through ``tools/build_site.py``) when every one of them is
current; otherwise from an executing ``jupyter-book build --builder singlehtml`` (which, with
``execute_notebooks: cache``, reuses what ``make book`` executed). The page is served on
127.0.0.1, every request to another host refused, solutions unfolded, MathJax waited for,
and printed by the system's Chromium (``/usr/bin/chromium`` with ``fonts-noto-cjk`` for the
glossary's Chinese) through Playwright's ``page.pdf``. The result is then checked:
plausible page count, no blank page, the glossary's Chinese terms present as text.

Usage::

    python -m tools.make_pdf --output _build/pdf/book.pdf
    python -m tools.make_pdf --site _build/test-site/_build/singlehtml --output book.pdf
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.build_site import build_site, check_captured, toc_notebooks  # noqa: E402
from tools.check_site import toc_files  # noqa: E402

CHROMIUM = Path(os.environ.get("DLBIGDATA_CHROMIUM", "/usr/bin/chromium"))
CJK = re.compile(r"[\u4e00-\u9fff]+")
UNFOLD = """() => {
  for (const e of document.querySelectorAll('.toggle-hidden')) e.classList.remove('toggle-hidden');
  for (const d of document.querySelectorAll('details')) d.open = true;
  for (const b of document.querySelectorAll('button.toggle-button')) b.remove();
}"""
"""Show every solution and folded block in print (a dropdown prints folded otherwise)."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 from a thread while the block runs; its base URL.

    Raises
    ------
    RuntimeError
        If the server's thread is still alive 10 s after the server was shut down.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        if thread.is_alive():
            raise RuntimeError("the site's server thread did not stop")


def _print_page(browser: Any, url: str, output: Path, route: Any) -> None:
    """Load ``url`` in a new page of ``browser``, unfold it, wait for MathJax, print it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", route)
        page.goto(url, wait_until="load", timeout=300_000)
        page.evaluate(
            """() => (window.MathJax && MathJax.startup && MathJax.startup.promise)
                ? Promise.race([MathJax.startup.promise.then(() => true),
                                new Promise((done) => setTimeout(() => done(false), 120000))])
                : false"""
        )
        page.evaluate(UNFOLD)
        page.emulate_media(media="print")
        page.pdf(
            path=str(output),
            format="A4",
            print_background=True,
            margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=(
                '<div style="font-size:8px;width:100%;text-align:center">'
                '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
            ),
        )
    finally:
        context.close()


def print_pdf(
    site: Path, output: Path, chromium: Path = CHROMIUM, browser: Any = None
) -> list[str]:
    """Print a single-page build (its root document) to ``output``; the off-site URLs refused.

    ``browser`` is a Playwright browser already launched (the browser test's); without it,
    the system Chromium at ``chromium`` is launched for the print and closed after.

    Raises
    ------
    FileNotFoundError
        If the site has no ``index.html`` or Chromium is missing (with how to install it).
    """
    from playwright.sync_api import sync_playwright

    entry = f"{toc_files(ROOT / '_toc.yml')[0]}.html"  # the single page: the root document
    if not (site / entry).is_file():
        raise FileNotFoundError(f"no single-page build at {site} ({entry} missing)")
    if not (chromium.is_file() and os.access(chromium, os.X_OK)):
        raise FileNotFoundError(
            f"no Chromium at {chromium}: apt-get install chromium fonts-noto-cjk "
            "(or set DLBIGDATA_CHROMIUM)"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []

    def route(request_route) -> None:
        parsed = urlparse(request_route.request.url)
        if parsed.scheme in ("data", "blob") or parsed.hostname == "127.0.0.1":
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    with serve(site) as url:
        if browser is not None:
            _print_page(browser, f"{url}/{entry}", output, route)
        else:
            args = ["--no-sandbox"] if os.geteuid() == 0 else []
            with sync_playwright() as playwright:
                own = playwright.chromium.launch(executable_path=str(chromium), args=args)
                try:
                    _print_page(own, f"{url}/{entry}", output, route)
                finally:
                    own.close()
    return refused


SIMPLIFIED_RADICALS = str.maketrans(
    "⻅⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻠⻢⻥⻦⻩⻬⻮⻰", "见贝车长门青韦页风飞食饣马鱼鸟黄齐齿龙"
)
"""CJK Radicals Supplement characters that Noto CJK's ToUnicode map gives for ideographs."""


def cjk_fold(text: str) -> str:
    """Text extracted from a PDF with radicals mapped back to the ideographs they stand for.

    A CJK font's ToUnicode map may give a Kangxi radical (U+2F79) or a simplified radical
    (U+2ED3) where the page shows the ideograph (网, 长); NFKC folds the first kind.
    """
    return unicodedata.normalize("NFKC", text).translate(SIMPLIFIED_RADICALS)


def glossary_terms(root: Path = ROOT) -> list[str]:
    """The Chinese terms of the glossary (runs of CJK characters in ``book/glossary.md``)."""
    path = root / "book" / "glossary.md"
    return CJK.findall(path.read_text("utf-8")) if path.is_file() else []


def check_pdf(path: Path, min_pages: int | None = None, root: Path = ROOT) -> list[str]:
    """What is wrong with a printed book: too few pages, blank pages, missing Chinese terms.

    Parameters
    ----------
    path : Path
        The PDF.
    min_pages : int, optional
        Fewest pages accepted; by default two per notebook of the book.
    root : Path
        The repository root (for the table of contents and the glossary).

    Returns
    -------
    list of str
        One sentence per problem; empty when the PDF is plausible.
    """
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = len(reader.pages)
    floor = min_pages if min_pages is not None else 2 * len(toc_notebooks(root))
    problems = []
    if pages < floor:
        problems.append(f"{pages} pages, fewer than the {floor} expected")
    texts = []
    blank = []
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        texts.append(text)
        # the footer prints "N / M" on every page: a page with nothing else is blank
        body = re.sub(r"\b\d+\s*/\s*\d+\b", "", text).strip()
        if not body and not page.images:
            blank.append(number)
    if blank:
        problems.append(f"blank pages: {blank[:20]}")
    whole = cjk_fold("".join(texts)).replace(" ", "").replace("\n", "")
    missing = sorted({t for t in glossary_terms(root) if t not in whole})
    if missing:
        problems.append(f"glossary terms missing from the text: {missing[:10]}")
    return problems


def single_page_site(executed: Path, output: Path) -> Path:
    """A single-page build: from the executed notebooks when all are current, else executing."""
    missing, stale = check_captured(executed)
    if not missing and not stale:
        return build_site(executed, output, ("singlehtml",))["singlehtml"]
    print(
        f"make_pdf: {executed} does not hold every current notebook; building with execution",
        file=sys.stderr,
    )
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(ROOT), "--builder", "singlehtml", "-W", "-n"]
    completed = subprocess.run(command, cwd=ROOT)
    if completed.returncode != 0:
        raise RuntimeError("the executing single-page build failed (its log is above)")
    return ROOT / "_build" / "singlehtml"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit status 1 with the problems when the PDF is not right."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an existing single-page build to print")
    parser.add_argument("--executed", type=Path, default=ROOT / "_build" / "executed")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "_build" / "pdf-site")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "pdf" / "book.pdf")
    args = parser.parse_args(argv)
    try:
        site = args.site or single_page_site(args.executed, args.build_dir)
        refused = print_pdf(site, args.output)
    except (FileNotFoundError, RuntimeError) as error:
        print(f"make_pdf: {error}", file=sys.stderr)
        return 1
    problems = check_pdf(args.output)
    if refused:
        problems.append(f"off-site requests refused while printing: {refused[:5]}")
    if problems:
        print(f"make_pdf: {args.output}: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"The book is at {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
