"""Check the shape of the package: no module over 500 lines, no function body over 50.

Run as ``python tools/check_package_shape.py [src/dlbigdata]``; prints every offender and
exits 1 if there is one. ``tests/test_repository.py`` runs the same checks.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_MODULE_LINES = 500
MAX_BODY_LINES = 50


def _body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body, its docstring excluded."""
    body = node.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    if not body:
        return 0
    return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1


def shape_problems(package: Path) -> list[str]:
    """Return one line per module over the line budget and per function over the body budget."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + (not text.endswith("\n") and bool(text))
        if lines > MAX_MODULE_LINES:
            problems.append(f"{path}: {lines} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = _body_lines(node)
                if size > MAX_BODY_LINES:
                    problems.append(
                        f"{path}:{node.lineno}: {node.name} has a {size}-line body "
                        f"(at most {MAX_BODY_LINES})"
                    )
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    package = Path(args[0] if args else "src/dlbigdata")
    problems = shape_problems(package)
    print("\n".join(problems) or f"{package}: every module and function within budget")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
