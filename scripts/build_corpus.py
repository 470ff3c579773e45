"""Build the golden outlet corpus from labelled sources, so the gold is what a person decided.

Each ``tests/golden/corpus_src/*.txt`` starts with one JSON line (expected fields, plus
``encoding``, ``newline`` and ``mojibake``), then one labelled line per output line:
``B `` body, ``S `` subheading, ``C `` caption, ``X `` anything else (junk, metadata, links);
an empty line is written empty. The raw document goes to ``tests/golden/corpus/`` and the cases
to ``tests/golden/corpus.json``. Run ``python scripts/build_corpus.py`` after editing a source.
"""

from __future__ import annotations

import json
from pathlib import Path

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
        text = text.encode("utf-8").decode("cp1252", errors="replace")
    encoding = spec.get("encoding", "utf-8")
    data = text.encode(encoding)
    target = GOLDEN / "corpus" / f"{source.stem}.txt"
    target.write_bytes(data)
    case: dict[str, object] = {"input": f"corpus/{target.name}", "body_lines": body, "caption_lines": captions}
    case.update({name: spec.get(name) for name in FIELDS})
    return case


def main() -> None:
    cases = [build_one(source) for source in sorted((GOLDEN / "corpus_src").glob("*.txt"))]
    about = "Labelled outlet corpus written for berita (see scripts/build_corpus.py); line-level body gold."
    gold = {"about": about, "root": ".", "cases": cases}
    (GOLDEN / "corpus.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
