"""Regenerate the README's tables (columns and boilerplate rules) from the code that defines them."""

from __future__ import annotations

import sys
from pathlib import Path

from berita.transforms.records import column_table_markdown
from berita.transforms.rules import rule_table_markdown

README = Path(__file__).resolve().parent.parent / "README.md"
SECTIONS = {"columns": column_table_markdown, "rules": rule_table_markdown}


def render(text: str) -> str:
    for name, generate in SECTIONS.items():
        start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}{generate()}{end}{tail}"
    return text


if __name__ == "__main__":
    current = README.read_text(encoding="utf-8")
    updated = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if updated == current else 1)
    README.write_text(updated, encoding="utf-8")
