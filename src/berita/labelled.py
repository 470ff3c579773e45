"""Line-labelled pages: read them (real pages in the gold.jsonl format, the corpus' B/S/C/X sources) and score
a cleaner on them the way a careful reader would.

The gold.jsonl format (``../shared/realpages/README.md``) labels every line of a text page, or of an HTML page's
visible text (one block element a line), as title, lede, meta, body, subheading, caption, related, boilerplate
or empty. Pages are read from disk at the edge; scoring is a pure function of pages and articles.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from berita.transforms.records import Article

BODY_LABELS = frozenset({"body", "subheading"})
LABELS = ("title", "lede", "meta", "body", "subheading", "caption", "related", "boilerplate", "empty")
METADATA_FIELDS = ("title", "published_at", "outlet", "dateline_city")
# The corpus sources' one-letter labels; X is "not body" without saying which kind.
CORPUS_LABELS = {"B": "body", "S": "subheading", "C": "caption", "X": "other"}
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00ab": '"', "\u00bb": '"'})


@dataclass(frozen=True)
class LabelledPage:
    """One page with a label per line of ``lines`` (the text a line classifier sees)."""

    name: str
    outlet: str
    kind: str  # "html" or "text": how ``raw`` is read
    raw: bytes
    lines: tuple[str, ...]
    labels: tuple[str, ...]
    gold: dict[str, Any] = field(default_factory=dict, compare=False)
    url: str | None = None

    def text_view(self) -> LabelledPage:
        """An HTML page as the text a scraper would save: its visible text, one block a line."""
        if self.kind == "text":
            return self
        raw = "\n".join(self.lines).encode("utf-8")
        return LabelledPage(f"{self.name}:text", self.outlet, "text", raw, self.lines, self.labels, self.gold, self.url)

    def article_view(self) -> LabelledPage:
        """An HTML page as a scraper that saves the article's region would: from a little above the title to a
        few lines past the last body line (the region's furniture, related list and footer start come along)."""
        if self.kind == "text":
            return self
        body = [i for i, lab in enumerate(self.labels) if lab in BODY_LABELS]
        if not body:
            return self.text_view()
        titles = [i for i, lab in enumerate(self.labels[: body[0]]) if lab == "title"]
        start = _back(self.lines, titles[-1] if titles else body[0], ARTICLE_VIEW_BEFORE)
        end = _forward(self.lines, body[-1], ARTICLE_VIEW_AFTER)
        lines, labels = self.lines[start:end], self.labels[start:end]
        raw = "\n".join(lines).encode("utf-8")
        return LabelledPage(f"{self.name}:article", self.outlet, "text", raw, lines, labels, self.gold, self.url)


# The article view's margins, in non-empty lines: a region holds its breadcrumb above the title and the first
# related or share lines after the text.
ARTICLE_VIEW_BEFORE = 3
ARTICLE_VIEW_AFTER = 10


def _back(lines: tuple[str, ...], index: int, count: int) -> int:
    while index > 0 and count > 0:
        index -= 1
        count -= bool(lines[index].strip())
    return index


def _forward(lines: tuple[str, ...], index: int, count: int) -> int:
    index += 1
    while index < len(lines) and count > 0:
        count -= bool(lines[index].strip())
        index += 1
    return index


def read_realpages(folder: Path) -> list[LabelledPage]:
    """The pages of a gold.jsonl folder (raises FileNotFoundError when it is absent)."""
    pages = []
    for row in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not row.strip():
            continue
        rec = json.loads(row)
        raw = (folder / rec["file"]).read_bytes()
        kind = "html" if rec["file"].endswith((".html", ".htm")) else "text"
        if kind == "html":
            lines = tuple(rec["visible_text"].split("\n"))
        else:
            lines = tuple(
                raw.decode(rec.get("encoding") or "utf-8", errors="replace").replace("\r\n", "\n").split("\n")
            )
        labels = tuple(rec["labels"])
        if len(lines) != len(labels):
            raise ValueError(f"{rec['file']}: {len(lines)} lines but {len(labels)} labels")
        gold = {
            "title": rec.get("title"),
            "published_at": rec.get("published"),
            "outlet": None if rec.get("outlet") in (None, "*") else rec["outlet"],
            "dateline_city": rec.get("dateline_city"),
        }
        pages.append(
            LabelledPage(rec["file"], rec.get("outlet") or "*", kind, raw, lines, labels, gold, rec.get("url"))
        )
    return pages


def read_corpus_sources(folder: Path) -> list[LabelledPage]:
    """berita's own labelled text documents (``tests/golden/corpus_src/*.txt``): a JSON header line, then
    one ``B ``/``S ``/``C ``/``X `` labelled line per document line. Labels: body, subheading, caption, other."""
    pages = []
    for source in sorted(folder.glob("*.txt")):
        header, *labelled = source.read_text(encoding="utf-8").split("\n")
        spec = json.loads(header)
        lines, labels = [], []
        for raw in labelled:
            lines.append(raw[2:])
            labels.append(CORPUS_LABELS[raw[0]] if raw else "empty")
        gold = {name: spec.get(name) for name in METADATA_FIELDS}
        outlet = spec.get("outlet") or source.stem.split("_", 1)[-1]
        raw_bytes = "\n".join(lines).encode("utf-8")
        pages.append(LabelledPage(source.name, outlet, "text", raw_bytes, tuple(lines), tuple(labels), gold))
    return pages


def read_corpus_html(golden: Path) -> list[LabelledPage]:
    """berita's own labelled HTML pages (the ``.html`` cases of ``corpus.json``), each line a visible block
    labelled body when the case lists it in ``body_texts``, caption when in ``caption_texts``, other otherwise."""
    from berita.transforms.article import read_html
    from berita.transforms.decode import decode_bytes

    spec = json.loads((golden / "corpus.json").read_text(encoding="utf-8"))
    pages = []
    for case in spec["cases"]:
        if not case["input"].endswith(".html"):
            continue
        raw = (golden / case["input"]).read_bytes()
        lines = tuple(read_html(decode_bytes(raw).text, with_blocks=True).text.split("\n"))
        body = {" ".join(t.split()) for t in case["body_texts"]}
        captions = {" ".join(t.split()) for t in case.get("caption_texts", [])}
        labels = tuple("body" if t in body else "caption" if t in captions else "other" for t in lines)
        gold = {name: case.get(name) for name in METADATA_FIELDS}
        outlet = case.get("outlet") or Path(case["input"]).stem.split("_", 1)[-1]
        pages.append(LabelledPage(case["input"], outlet, "html", raw, lines, labels, gold))
    return pages


def read_golden_lines(gold_path: Path) -> list[LabelledPage]:
    """The text cases of a golden file with ``body_lines`` (``tests/golden/seeds.json``): body and caption
    lines as the case lists them, every other line labelled other."""
    from berita.transforms.decode import decode_bytes

    spec = json.loads(gold_path.read_text(encoding="utf-8"))
    root = gold_path.parent / spec.get("root", ".")
    pages = []
    for case in spec["cases"]:
        if "body_lines" not in case:
            continue
        raw = (root / case["input"]).read_bytes()
        lines = tuple(decode_bytes(raw).text.replace("\r\n", "\n").split("\n"))
        body, captions = set(case["body_lines"]), set(case.get("caption_lines", []))
        labels = tuple(
            "empty" if not t.strip() else "body" if i in body else "caption" if i in captions else "other"
            for i, t in enumerate(lines)
        )
        gold = {name: case.get(name) for name in METADATA_FIELDS}
        pages.append(LabelledPage(case["input"], case.get("outlet") or "*", "text", raw, lines, labels, gold))
    return pages


def fold(text: str | None) -> str:
    """NFKC, quotes and spacing folded, case folded: how gold text and output are compared."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split()).casefold()


@dataclass
class PageScore:
    """Body precision and recall, metadata and captions, summed over pages."""

    pages: int = 0
    body_right: int = 0
    body_predicted: int = 0
    body_found: int = 0
    body_gold: int = 0
    captions_found: int = 0
    captions_gold: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METADATA_FIELDS, 0))
    ledes_scored: int = 0  # pages labelled with the full vocabulary (a lede label exists for them)
    ledes_junk: int = 0  # of those, pages whose lede holds text not labelled lede
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.body_right / self.body_predicted if self.body_predicted else 1.0

    @property
    def recall(self) -> float:
        return self.body_found / self.body_gold if self.body_gold else 1.0

    @property
    def metadata(self) -> float:
        return sum(self.field_right.values()) / (len(METADATA_FIELDS) * self.pages) if self.pages else 1.0

    def as_dict(self) -> dict[str, Any]:
        per_field = {k: round(v / self.pages, 3) if self.pages else 1.0 for k, v in self.field_right.items()}
        return {
            "pages": self.pages,
            "body_precision": round(self.precision, 4),
            "body_recall": round(self.recall, 4),
            "metadata": round(self.metadata, 4),
            "fields": per_field,
            "captions_found": round(self.captions_found / self.captions_gold, 4) if self.captions_gold else None,
            "lede_clean": round(1 - self.ledes_junk / self.ledes_scored, 4) if self.ledes_scored else None,
        }


def _published_matches(got: datetime | None, gold: str | None) -> bool:
    if gold is None or got is None:
        return gold is None and got is None
    if len(gold) == 10:  # a date alone: the page showed no time, or no zone
        day = date.fromisoformat(gold)
        local = got.astimezone(timezone(timedelta(hours=7)))
        return day in (got.date(), local.date())
    want = datetime.fromisoformat(gold)
    if want.tzinfo is None:
        want = want.replace(tzinfo=timezone(timedelta(hours=7)))
    return abs((got - want).total_seconds()) < 60


def _without_dateline(text: str) -> str:
    for sep in (" - ", " \u2013 ", " \u2014 ", "--", ": "):
        head, found, rest = text.partition(sep)
        if found and len(head) <= 60:
            return rest
    return text


def _opens_with_dateline(gold: str, output: list[str]) -> bool:
    """Whether an output paragraph is the gold line without a short head (a dateline of any punctuation:
    "KONTAN.CO.ID - JAKARTA. ", "JAKARTA (KASTANEWS.COM)- ")."""
    return any(text and gold.endswith(text) and len(gold) - len(text) <= _DATELINE_HEAD for text in output)


_DATELINE_HEAD = 60


def score_page(page: LabelledPage, article: Article | None, score: PageScore) -> None:
    """Add one page's outcome (``article`` None: quarantined, scores as no body and no metadata)."""
    score.pages += 1
    gold_body = [fold(t) for t, lab in zip(page.lines, page.labels, strict=True) if lab in BODY_LABELS and t.strip()]
    gold_captions = [fold(t) for t, lab in zip(page.lines, page.labels, strict=True) if lab == "caption" and t.strip()]
    gold_lines = " \n ".join(gold_body)
    paragraphs = [] if article is None else [p for p in article.paragraphs if p.kind in BODY_LABELS]
    output = [fold(p.text) for p in paragraphs]
    joined = " \n ".join(output)
    score.body_predicted += len(output)
    for text in output:
        right = bool(text) and text in gold_lines
        score.body_right += right
        if not right:
            score.misses.append(f"{page.name}: kept junk: {text[:90]!r}")
    score.body_gold += len(gold_body)
    for text in gold_body:
        found = text in joined or fold(_without_dateline(text)) in joined or _opens_with_dateline(text, output)
        score.body_found += found
        if not found:
            score.misses.append(f"{page.name}: lost body: {text[:90]!r}")
    captions = [] if article is None else [fold(p.text) for p in article.paragraphs if p.kind == "caption"]
    score.captions_gold += len(gold_captions)
    score.captions_found += sum(any(c and (c in g or g in c) for c in captions) for g in gold_captions)
    if "other" not in page.labels:  # the corpus' X label hides which lines are the deck
        gold_lede = fold(" ".join(t for t, lab in zip(page.lines, page.labels, strict=True) if lab == "lede"))
        lede = fold(None if article is None else article.lede)
        score.ledes_scored += 1
        if lede and lede not in gold_lede:
            score.ledes_junk += 1
            score.misses.append(f"{page.name}: lede is {lede[:90]!r}, expected {gold_lede[:60]!r}")
    for name in METADATA_FIELDS:
        want = page.gold.get(name)
        got = None if article is None else getattr(article, name)
        right = _published_matches(got, want) if name == "published_at" else fold(got) == fold(want)
        score.field_right[name] += right
        if not right:
            score.misses.append(f"{page.name}: {name} is {got!r}, expected {want!r}")


Cleaner = Callable[[LabelledPage], Article | None]


def score_pages(pages: Iterable[LabelledPage], cleaner: Cleaner) -> PageScore:
    score = PageScore()
    for page in pages:
        score_page(page, cleaner(page), score)
    return score


def by_outlet(
    pages: Iterable[LabelledPage], key: Callable[[str], str] = str
) -> Iterator[tuple[str, list[LabelledPage]]]:
    """Pages grouped by outlet (``key`` names an outlet's group), in a stable order (for leave-one-outlet-out)."""
    groups: dict[str, list[LabelledPage]] = {}
    for page in pages:
        groups.setdefault(key(page.outlet), []).append(page)
    yield from sorted(groups.items())
