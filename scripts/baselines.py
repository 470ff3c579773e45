"""Score the baselines berita is compared with on line-labelled real pages (docs/quality.md).

    python scripts/baselines.py ../shared/realpages

- berita with the rule table alone (`--model rules`);
- a naive punctuation filter after ftfy: a line is body when it ends in terminal punctuation and has three words
  or more, and holds neither "javascript" nor "{" (the line rules of the C4 filter, as datatrove applies them);
- trafilatura with `favor_precision=True` on the HTML pages (its text, one paragraph a line).

Every page set of `berita train --evaluate` is scored (HTML pages, each read as whole-page text and as its article
region), with the scorer berita's own figures use (`berita.labelled.score_page`). The baselines give no metadata.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import ftfy

from berita import train
from berita.labelled import LabelledPage, PageScore, read_realpages, score_page
from berita.transforms.records import Paragraph

TERMINAL = (".", "!", "?", '"', "\u201d", "'", "\u2019")


def _as_article(lines: list[str]) -> Any:
    """What score_page reads of an article: body paragraphs, and no metadata."""
    paragraphs = [Paragraph(i, "body", text, i) for i, text in enumerate(lines)]
    return SimpleNamespace(
        paragraphs=paragraphs, lede=None, title=None, published_at=None, outlet=None, dateline_city=None
    )


def punctuation_filter(page: LabelledPage) -> Any:
    text = ftfy.fix_text(page.raw.decode("utf-8", errors="replace"))
    kept = [
        line.strip()
        for line in text.splitlines()
        if line.strip().endswith(TERMINAL)
        and len(line.split()) >= 3
        and "javascript" not in line.lower()
        and "{" not in line
    ]
    return _as_article(kept)


def trafilatura_precision(page: LabelledPage) -> Any:
    import trafilatura

    text = trafilatura.extract(page.raw.decode("utf-8", errors="replace"), favor_precision=True) or ""
    return _as_article([line.strip() for line in text.splitlines() if line.strip()])


def main(folder: str) -> None:
    real = read_realpages(Path(folder))
    pages = real + [view for p in real if p.kind == "html" for view in (p.text_view(), p.article_view())]
    cleaners = {
        "berita, rules only": lambda p: train.clean_with(p, None),
        "punctuation filter": punctuation_filter,
        "trafilatura favor_precision": trafilatura_precision,
    }
    out: dict[str, dict[str, Any]] = {}
    for name, clean in cleaners.items():
        totals: dict[str, PageScore] = {}
        for page in pages:
            if name.startswith("trafilatura") != (page.kind == "html") and not name.startswith("berita"):
                continue  # trafilatura reads HTML; the punctuation filter reads text
            score_page(page, clean(page), totals.setdefault(train.page_set(page), PageScore()))
        out[name] = {k: v.as_dict() for k, v in sorted(totals.items())}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/realpages")
