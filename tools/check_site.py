"""Fail when a book build wrote nothing useful: index.html and one page per chapter must exist.

Usage: python tools/check_site.py _build/html
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def toc_files(toc_path: Path) -> list[str]:
    """Every file named in a Jupyter Book table of contents (root, parts, chapters, sections)."""
    toc = yaml.safe_load(toc_path.read_text())
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def main(site: str) -> int:
    root = Path(__file__).resolve().parent.parent
    html = Path(site)
    missing = [
        f for f in ["index", *toc_files(root / "_toc.yml")] if not (html / f"{f}.html").is_file()
    ]
    if missing:
        print(
            f"the book build is incomplete: missing {', '.join(m + '.html' for m in missing)} "
            f"under {html}",
            file=sys.stderr,
        )
        return 1
    mathjax = html / "_static" / "mathjax" / "tex-chtml.js"
    if not mathjax.is_file():
        print(f"MathJax is not served from the site ({mathjax} missing)", file=sys.stderr)
        return 1
    print(f"site complete: index.html and {len(toc_files(root / '_toc.yml'))} pages in {html}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "_build/html"))
