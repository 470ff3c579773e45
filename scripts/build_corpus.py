"""Build the golden outlet corpus from labelled sources, so the gold is what a person decided.

Each ``tests/golden/corpus_src/*.txt`` starts with one JSON line (expected fields, plus
``encoding``, ``newline`` and ``mojibake``), then one labelled line per output line:
``B `` body, ``S `` subheading, ``C `` caption, ``X `` anything else (junk, metadata, links);
an empty line is written empty.

Each ``tests/golden/corpus_src/*.html`` starts with the same JSON line, then a page whose body
elements carry ``data-gold="B"`` (body or subheading) or ``data-gold="C"`` (caption); the
attributes are stripped from the page berita sees, and the gold is those elements' text
(``body_texts``), since an extractor's line numbers are not the page's.

The raw document goes to ``tests/golden/corpus/`` and the cases to ``tests/golden/corpus.json``.
Run ``python scripts/build_corpus.py`` after editing a source.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
from bs4 import BeautifulSoup

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"
FIELDS = ("title", "published_at", "outlet", "dateline_city")


def build_one(source: Path) -> dict[str, object]:
    header, *labelled = source.read_text(encoding="utf-8").split("\n")
    spec = json.loads(header)
    lines, body, captions = [], [], []
    for no, raw in enumerate(labelled):
        label, text = raw[:2], raw[2:]
        if raw == "":
            lines.append("")
            continue
        assert label in ("B ", "S ", "C ", "X "), f"{source.name}:{no + 2}: bad label {label!r}"
        lines.append(text)
        if label in ("B ", "S "):
            body.append(no)
        elif label == "C ":
            captions.append(no)
    text = spec.get("newline", "\n").join(lines)
    if spec.get("mojibake"):  # UTF-8 read as cp1252 and saved again: the classic double encoding
        text = text.encode("utf-8").decode("sloppy-windows-1252")  # as browsers do: 0x81 etc. pass through
    encoding = spec.get("encoding", "utf-8")
    data = text.encode(encoding)
    target = GOLDEN / "corpus" / f"{source.stem}.txt"
    target.write_bytes(data)
    case: dict[str, object] = {"input": f"corpus/{target.name}", "body_lines": body, "caption_lines": captions}
    case.update({name: spec.get(name) for name in FIELDS})
    return case


_GOLD_ATTR = re.compile(r' data-gold="[BC]"')


def build_html(source: Path) -> dict[str, object]:
    header, page = source.read_text(encoding="utf-8").split("\n", 1)
    spec = json.loads(header)
    soup = BeautifulSoup(page, "html.parser")
    texts = {
        label: [" ".join(e.get_text().split()) for e in soup.find_all(attrs={"data-gold": label})]
        for label in ("B", "C")
    }
    target = GOLDEN / "corpus" / f"{source.stem}.html"
    page = _GOLD_ATTR.sub("", page)
    if spec.get("mojibake"):  # as for text: the page's UTF-8 read as cp1252 and saved again
        page = page.encode("utf-8").decode("sloppy-windows-1252")
    target.write_bytes(page.encode(spec.get("encoding", "utf-8")))
    case: dict[str, object] = {"input": f"corpus/{target.name}", "body_texts": texts["B"], "caption_texts": texts["C"]}
    case.update({name: spec.get(name) for name in FIELDS})
    return case


def main() -> None:
    sources = sorted((GOLDEN / "corpus_src").iterdir())
    cases = [build_one(s) if s.suffix == ".txt" else build_html(s) for s in sources if s.suffix in (".txt", ".html")]
    about = "Labelled outlet corpus written for berita (see scripts/build_corpus.py); line-level body gold."
    gold = {"about": about, "root": ".", "cases": cases}
    (GOLDEN / "corpus.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
