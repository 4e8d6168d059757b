"""``make pdf``'s printing and checking (tools/make_pdf.py).

The whole-book test prints the single-page build that ``make browser-test`` made from the
executed notebooks (``_build/test-site/_build/singlehtml``) with the system Chromium and
checks the PDF: page count, no blank page, the glossary's Chinese terms present as text.
The checker itself is tested on PDFs made here, so it can be seen to fail.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader, PdfWriter

from tools import make_pdf


@pytest.mark.slow
def test_the_whole_book_prints_to_a_checked_pdf(browser, single_page_dir, tmp_path):
    output = tmp_path / "book.pdf"
    refused = make_pdf.print_pdf(single_page_dir, output, browser=browser)
    assert refused == [], "printing asked for files from another host"
    assert make_pdf.check_pdf(output) == []
    pages = len(PdfReader(str(output)).pages)
    assert pages >= 2 * len(make_pdf.toc_notebooks())


def test_check_pdf_finds_blank_pages_and_too_few(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "blank.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    problems = make_pdf.check_pdf(path, min_pages=2)
    assert any("blank pages: [1]" in p for p in problems), problems
    assert any("fewer than the 2 expected" in p for p in problems), problems
    if make_pdf.glossary_terms():
        assert any("glossary terms missing" in p for p in problems), problems


def test_glossary_has_chinese_terms_to_look_for():
    terms = make_pdf.glossary_terms()
    assert len(terms) >= 10, "the PDF check looks for the glossary's Chinese terms"
