"""Let the learned line model judge the lines the rules kept (pure).

The rule table removes what it knows, with high precision. Every line it kept is then scored by the line model
from its shape and context. Before the parser reads the page, lines the model takes for related lists or page
furniture leave with the rule ``model.<kind>`` and their score; after it, a body or subheading paragraph the model
rejects becomes a caption, or leaves as ``model.header`` (the title, deck or byline repeated).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from berita.transforms import shapes
from berita.transforms.linefeatures import SHAPE, html_page_features, page_features, stacked_features
from berita.transforms.linemodel import REASONS, LineModel
from berita.transforms.parse import has_photo_credit, holds_metadata
from berita.transforms.records import BODY_KINDS, Paragraph, ParagraphKind, RemovedLine
from berita.transforms.strip import Line

_JUDGED = BODY_KINDS
_BEFORE_PARSING = frozenset({"related", "boilerplate"})


class Verdict(NamedTuple):
    """The model's word on one line: P(body), and what it is when it is not body (a named tuple: a page makes
    one a line, and a tuple is several times cheaper to make than a frozen dataclass)."""

    body: float
    kind: str | None  # None when the line is body
    caption_like: bool = False  # the reason model's first choice was caption (with or without a credit)
    credited: bool = False  # rejected, with a photo credit's shape ("Tulus | Foto : teen.co.id"): a caption


@dataclass(frozen=True)
class HtmlContext:
    """What an HTML page adds to its blocks' features: the DOM rows (one per input line), an extractor's text
    and the JSON-LD articleBody, both folded (:func:`linefeatures.fold_for_match`), and the extractor's lines,
    each folded (a block that is one of them is looked up without a scan)."""

    dom: Sequence[Sequence[float]]
    extract: str
    article_body: str | None
    extract_lines: frozenset[str] = frozenset()


def line_rows(
    lines: Sequence[str], rule_removed: Sequence[RemovedLine], page: HtmlContext | None = None
) -> tuple[list[int], np.ndarray]:
    """The numbers of the non-empty lines and their first-pass feature rows (a matrix, a row a line)."""
    numbers = [i for i, t in enumerate(lines) if t]
    junk = {r.line_no for r in rule_removed if r.category != "metadata"}
    meta = {r.line_no for r in rule_removed if r.category == "metadata"}
    texts = [lines[i] for i in numbers]
    rows = page_features(texts, [i in junk for i in numbers], [i in meta for i in numbers])
    if page is not None:
        dom = [page.dom[i] for i in numbers]
        rows = html_page_features(rows, dom, texts, page.extract, page.article_body, page.extract_lines)
    return numbers, rows


_CREDIT = SHAPE.index("credit")


def judge_lines(
    model: LineModel, lines: Sequence[str], rule_removed: Sequence[RemovedLine], page: HtmlContext | None = None
) -> dict[int, Verdict]:
    """A verdict for every non-empty line of ``lines`` (a page's repaired lines, numbered as in the input);
    ``rule_removed``: what the rule table took out (its kinds are features of each line and of its neighbours);
    ``page``: for HTML blocks, what the page adds. The page's lines are scored together, a matrix product a pass."""
    numbers, rows = line_rows(lines, rule_removed, page)
    if not numbers:
        return {}
    body = model.body_probability(stacked_features(rows, model.first_pass(rows)))
    probs = body.tolist()
    out = {no: Verdict(p, None) for no, p in zip(numbers, probs, strict=True)}
    rejected = np.flatnonzero(~(body >= model.threshold))
    # A caption the model may move out of the body names its picture: a credit in brackets, a credit word (foto,
    # ilustrasi, dok, a wire's photo desk: the row's ``credit``) or a slash-separated credit. Without one, a
    # rejected line that looks like a caption is a related headline or furniture, and leaves the body instead.
    credits = [has_photo_credit(lines[numbers[i]]) for i in rejected.tolist()]  # each rejected line once
    may_be_caption = [rows[i, _CREDIT] == 1.0 or c for i, c in zip(rejected.tolist(), credits, strict=True)]
    kinds, first_choices = model.reasons_of(rows[rejected], np.array(may_be_caption, dtype=bool))
    for i, kind, first, credit in zip(rejected.tolist(), kinds, first_choices, credits, strict=True):
        out[numbers[i]] = Verdict(probs[i], kind, kind == "caption" or first == "caption", kind != "caption" and credit)
    return out


def _removal(no: int, text: str, verdict: Verdict) -> RemovedLine:
    rule, category = REASONS[verdict.kind or "boilerplate"]
    return RemovedLine(no, text, rule, category, round(1.0 - verdict.body, 4))


# The lines just above the first body line are where a page puts its title, deck, date and byline: every line
# there stays for the parser, which lifts it into a column or leaves it as meta.header (a header line is never
# body, and never the lede unless it reads as a deck).
HEADER_WINDOW = 6


def drop_furniture(kept: Sequence[Line], verdicts: dict[int, Verdict]) -> tuple[list[Line], list[RemovedLine]]:
    """Before parsing: take out the lines the model judged related lists or page furniture, except those in
    the header window above the first body line, lines the parser lifts into a column wherever they stand (a
    wire source) and lines the model took for captions."""
    first_body = next((i for i, line in enumerate(kept) if (v := verdicts.get(line.no)) and v.kind is None), 0)
    header = range(max(0, first_body - HEADER_WINDOW), first_body)
    out, removed = [], []
    numbered = 0  # the number of the last item of a numbered roundup that stayed ("1. Zaskia Gotik - ...")
    texts = [line.text for line in kept]
    for i, line in enumerate(kept):
        verdict = verdicts.get(line.no)
        item = _ROUNDUP_ITEM.match(line.text)
        number = int(item.group(1)) if item else 0
        # A line the model took for a caption stays for the parser, which knows captions by what repeats them.
        protected = verdict is not None and (
            verdict.caption_like
            or verdict.credited
            or i in header
            or holds_metadata(line.text)
            or _inner_heading(i, kept, verdicts)
            or (numbered > 0 and number == numbered + 1)  # the roundup's next item, after the one that stayed
            or _lettered(i, texts)
        )
        if verdict is not None and verdict.kind in _BEFORE_PARSING and not protected:
            removed.append(_removal(line.no, line.text, verdict))
        else:
            out.append(line)
            numbered = number or numbered
    return out, removed


# A list lettered "a.", "b.", ... is the article's own (requirements, steps): related lists and menus never are.
_LETTERED = re.compile(r"[a-h][.)]\s+\S")


def _lettered(i: int, texts: Sequence[str]) -> bool:
    """Whether line ``i`` is an item of a lettered list ("a. Akta Lahir"), or the lead-in right above one ("-
    Persyaratan PPDB Jalur Zonasi:").

    >>> _lettered(1, ["Persyaratan:", "a. Akta Lahir", "b. Kartu Keluarga"]), _lettered(0, ["Persyaratan:", "a. Akta"])
    (True, True)
    >>> _lettered(0, ["Baca juga:", "Harga Cabai Naik"])
    False
    """
    if _LETTERED.match(texts[i]):
        return True
    return texts[i].rstrip().endswith(":") and i + 1 < len(texts) and _LETTERED.match(texts[i + 1]) is not None


# A numbered roundup's item heading: "2. Rizki DA - Nadya Mustika", "3) Kurang Tidur".
_ROUNDUP_ITEM = re.compile(r"(\d{1,2})[.)]\s+[A-Z\"\u201c]")


# A headline between two body paragraphs that the model rejects with less confidence than this is a subheading
# the article gave itself, not a teaser: inside running text, the benefit of the doubt goes to the article.
INNER_HEADING_DOUBT = 0.3
INNER_HEADING_WORDS = 12


def _inner_heading(i: int, kept: Sequence[Line], verdicts: dict[int, Verdict]) -> bool:
    """Whether kept line ``i`` reads as one of the article's own subheadings: a short headline, body on the line
    above, a body paragraph (running text) below, and a rejection the model is not sure of."""
    verdict = verdicts.get(kept[i].no)
    if verdict is None or verdict.body < INNER_HEADING_DOUBT or not 0 < i < len(kept) - 1:
        return False
    above, below = verdicts.get(kept[i - 1].no), verdicts.get(kept[i + 1].no)
    if above is None or below is None or above.kind is not None or below.kind is not None:
        return False
    text = kept[i].text
    return (
        shapes.word_count(text) <= INNER_HEADING_WORDS
        and shapes.is_headline_like(text)
        and shapes.is_sentence_like(kept[i + 1].text)
    )


def _between_body(i: int, paragraphs: Sequence[Paragraph], verdicts: dict[int, Verdict]) -> bool:
    """Whether paragraph ``i`` has body paragraphs the model kept right above and below it."""

    def body(j: int) -> bool:
        if not 0 <= j < len(paragraphs) or paragraphs[j].kind != ParagraphKind.BODY:
            return False
        verdict = verdicts.get(paragraphs[j].line_no)
        return verdict is not None and verdict.kind is None

    return body(i - 1) and body(i + 1)


def judge_paragraphs(
    paragraphs: Sequence[Paragraph], verdicts: dict[int, Verdict], opening: int | None = None
) -> tuple[list[Paragraph], list[RemovedLine]]:
    """After parsing: a rejected body or subheading paragraph becomes a caption or leaves the body, except the
    paragraph a dateline opened (line ``opening``): the article's own first paragraph, whatever it looks like."""
    kept: list[Paragraph] = []
    removed: list[RemovedLine] = []
    numbered, item_above = 0, False  # the last roundup item kept ("1. ..."), and whether it is right above
    texts = [p.text for p in paragraphs]
    for i, p in enumerate(paragraphs):
        verdict = verdicts.get(p.line_no)
        item = _ROUNDUP_ITEM.match(p.text) if p.kind in _JUDGED else None
        number = int(item.group(1)) if item else 0
        # the roundup's next item after one that stayed, and the running text right under such an item
        in_roundup = (
            (numbered > 0 and number == numbered + 1)
            or (item_above and shapes.is_sentence_like(p.text))
            or (p.kind in _JUDGED and _lettered(i, texts))
        )
        item_above = False
        if p.kind not in _JUDGED or verdict is None or verdict.kind is None or p.line_no == opening or in_roundup:
            kept.append(p)
            if number:
                numbered, item_above = number, True
        elif (
            p.kind == ParagraphKind.SUBHEADING
            and verdict.body >= INNER_HEADING_DOUBT
            and _between_body(i, paragraphs, verdicts)
        ):
            kept.append(p)  # the article's own subheading (see _inner_heading)
        elif verdict.kind == "caption" or verdict.credited:  # not body either way; a credit says what it is
            kept.append(replace(p, kind=ParagraphKind.CAPTION))
        else:
            removed.append(_removal(p.line_no, p.text, verdict))
    return [p if p.seq == i else replace(p, seq=i) for i, p in enumerate(kept)], removed  # most keep their place
