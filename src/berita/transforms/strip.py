"""Apply the rule table to a document's lines: keep body candidates, audit everything removed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from berita.transforms import shapes
from berita.transforms.records import RelatedLink, RemovedLine
from berita.transforms.rules import RULES_BY_ID, Rule, fold_document, gate_words_in, match_line_rule

READ_MORE = ("baca selengkapnya", "selengkapnya", "read more", "lihat selengkapnya", "baca lebih lanjut")
# How far ahead of a related-list header we look for item markers (ages, "Baca Selengkapnya").
_LOOKAHEAD = 6
_MAX_ITEMS = 30


class Line(NamedTuple):
    """A non-empty repaired line and its 0-based position in the decoded input (a named tuple:
    documents have dozens of lines, and a tuple is several times cheaper to make than a frozen
    dataclass)."""

    no: int
    text: str


@dataclass
class Stripped:
    kept: list[Line] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)

    def remove(self, line: Line, rule: Rule, text: str | None = None) -> None:
        self.removed.append(RemovedLine(line.no, line.text if text is None else text, rule.id, rule.category))

    def link(self, title: str, teaser: str | None = None, age: str | None = None) -> None:
        self.related.append(RelatedLink(len(self.related), title, teaser, age))


def _is_read_more(text: str) -> bool:
    return text.lower().rstrip(" .:>\u00bb\u203a") in READ_MORE


def _is_marker(text: str) -> bool:
    return shapes.is_age(text) or _is_read_more(text)


def _next_item(lines: list[Line], i: int, by_read_more: bool) -> list[Line] | None:
    """The lines of the related item starting at ``i``, or None when no item starts there."""
    if by_read_more:
        window = lines[i : i + _LOOKAHEAD]
        end = next((k for k, line in enumerate(window) if _is_read_more(line.text)), None)
        item = window[: end + 1] if end is not None else None
    else:
        item = lines[i : i + 2] if i + 1 < len(lines) and shapes.is_age(lines[i + 1].text) else None
    if not item or not shapes.is_headline_like(item[0].text):
        return None
    return item


def _take_structured_items(lines: list[Line], start: int, out: Stripped) -> int:
    """Take items of the form title / age / (title again) / teaser / 'Baca Selengkapnya'.

    When the block uses read-more lines, each item ends at one; otherwise an item is a title
    followed by its age. Returns the index after the last line taken, so running text after the
    block stays.
    """
    block = RULES_BY_ID["related.block"]
    by_read_more = any(_is_read_more(line.text) for line in lines[start : start + _LOOKAHEAD])
    i = start
    for _ in range(_MAX_ITEMS):
        item = _next_item(lines, i, by_read_more)
        if item is None:
            break
        title = item[0].text
        age = next((line.text for line in item if shapes.is_age(line.text)), None)
        teaser = next(
            (line.text for line in item[1:] if line.text != title and not _is_marker(line.text)),
            None,
        )
        for line in item:
            out.remove(line, block)
        out.link(title, teaser, age)
        i += len(item)
    return i


def _take_headline_list(lines: list[Line], start: int, out: Stripped, headings: frozenset[str]) -> int:
    """Take consecutive headline-like lines after a header (a plain list of related titles).

    A heading the page marked as its own (HTML, see :func:`html.heading_texts`) ends the list:
    it is the article's subheading after a "Baca Juga" header whose links the extractor dropped.
    """
    block = RULES_BY_ID["related.block"]
    i = start
    while i < len(lines) and i - start < _MAX_ITEMS and shapes.is_headline_like(lines[i].text):
        if match_line_rule(lines[i].text) is not None or lines[i].text in headings:
            break
        out.remove(lines[i], block)
        out.link(lines[i].text)
        i += 1
    return i


def _take_related_block(lines: list[Line], start: int, out: Stripped, headings: frozenset[str]) -> int:
    """Lines after a related-list header: structured items, else a plain list of titles."""
    window = lines[start : start + _LOOKAHEAD]
    if any(_is_marker(line.text) for line in window):
        return _take_structured_items(lines, start, out)
    return _take_headline_list(lines, start, out, headings)


def strip_boilerplate(lines: list[str], headings: frozenset[str] = frozenset()) -> Stripped:
    """Split repaired lines into kept lines and audited removals (with related links lifted out).

    ``headings``: the texts an HTML page marked as its own headings (:func:`html.heading_texts`).

    >>> s = strip_boilerplate(["Kata Lavrov.", "Advertisement", "Baca Juga", "Ia datang ke Moskow pada April lalu."])
    >>> [line.text for line in s.kept]
    ['Kata Lavrov.', 'Ia datang ke Moskow pada April lalu.']
    >>> [(r.text, r.rule) for r in s.removed]
    [('Advertisement', 'ad.marker'), ('Baca Juga', 'related.header')]
    """
    nonempty = [Line(no, text) for no, text in enumerate(lines) if text]
    folded = fold_document(lines)
    gate_words = gate_words_in(folded)
    glued = _lines_holding(folded, _GLUE_WORDS)
    out = Stripped()
    i = 0
    while i < len(nonempty):
        line = nonempty[i]
        hit = match_line_rule(line.text, gate_words)
        i += 1
        if hit is None:
            if line.no in glued:
                _keep_glued(line, out)
            else:
                out.kept.append(line)
            continue
        rule, match = hit
        out.remove(line, rule)
        if rule.id == "related.baca_juga":
            out.link(match.group("title").strip())
        elif rule.block is not None:
            i = _BLOCK_TAKERS[rule.block](nonempty, i, out, headings)
        elif rule.id == "pagination.page_of" and _is_teaser(nonempty, i, line.text):
            out.remove(nonempty[i], RULES_BY_ID["pagination.teaser"])  # the next page's first words
            i += 1
    return out


# What a paragraph may have glued into it: an ad label between two sentences, or a "Baca juga"
# link after its last one. strip_boilerplate finds the lines holding these words with one search of
# the folded document per word, and only those lines go through _keep_glued.
_GLUE_WORDS = (b"baca juga", b"advertisement")  # detik glues "SCROLL TO CONTINUE ..." after "ADVERTISEMENT"


def _lines_holding(folded: bytes, words: tuple[bytes, ...]) -> set[int]:
    """Numbers of the lines of a folded document (:func:`rules.fold_document`) that hold any of
    ``words``.

    >>> sorted(_lines_holding(fold_document(["a", "Kata dia. ADVERTISEMENT Lalu", "", "Baca Juga: X"]),
    ...                       _GLUE_WORDS))
    [1, 3]
    """
    found: set[int] = set()
    for word in words:
        at, line, counted = folded.find(word), 0, 0
        while at != -1:
            line += folded.count(b"\n", counted, at)  # newlines since the last hit only: linear in the document
            counted = at
            found.add(line)
            at = folded.find(word, at + len(word))
    return found


INLINE_AD = re.compile(
    r"(?:(?<=[.!?\"\u201d)])|^)\s*(?P<ad>(?:(?:ADVERTISEMENT|Advertisement|SCROLL TO CONTINUE WITH CONTENT|"
    r"Scroll to continue with content)\s*){1,4})(?=[A-Z\"\u201c]|$)"
)
INLINE_READ_ALSO = re.compile(  # after a sentence's end (a quote's opening mark is no end); a title, capitalised
    r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d)]))\s*(?P<link>\(?\s*(?:[Bb]aca|BACA)\s+(?:juga|Juga|JUGA)\s*:\s*"
    r"(?P<title>[A-Z0-9][^()\"\u201c\u201d]{2,200}?)\s*\)?)\s*$"
)


def _keep_glued(line: Line, out: Stripped) -> None:
    """Keep a line, cutting out what is glued into it (rules ad.inline and related.inline)."""
    text = line.text
    link = INLINE_READ_ALSO.search(text)
    if link is not None and link.start() > 0:
        out.remove(line, RULES_BY_ID["related.inline"], link.group("link"))
        out.link(link.group("title").strip())
        text = text[: link.start()].rstrip()
    parts, start = [], 0
    for ad in INLINE_AD.finditer(text):
        if ad.start("ad") == 0 and ad.end() == len(text) and text == line.text:
            out.remove(line, RULES_BY_ID["ad.marker"])  # several labels on one line, and nothing else
            return
        out.remove(line, RULES_BY_ID["ad.inline"], ad.group("ad").strip())
        parts.append(text[start : ad.start()].strip())
        start = ad.end()
    parts.append(text[start:].strip())
    out.kept.extend(Line(line.no, part) for part in parts if part)


def _is_teaser(lines: list[Line], i: int, link: str) -> bool:
    """Whether line ``i``, the last one, is the next page's first words after a next-page link
    ("Halaman Selanjutnya" then an unfinished sentence)."""
    if i != len(lines) - 1 or not _NEXT_PAGE.search(link):
        return False
    text = lines[i].text
    return not shapes.ends_sentence(text) and not text.rstrip().endswith((":", '"', "\u201d", ")"))


_TAG_WORDS = 4
_NEXT_PAGE = re.compile(r"(?i)selanjutnya|berikutnya|next|[>\u00bb\u203a]")


def _take_tags(lines: list[Line], start: int, out: Stripped, headings: frozenset[str]) -> int:
    """Short lines after a tag-list header ('Bandung', '# harga cabai'): at most a few words, no
    sentence punctuation. Stops at the first line that looks like running text."""
    tag = RULES_BY_ID["ui.tag"]
    i = start
    while i < len(lines) and i - start < _MAX_ITEMS:
        text = lines[i].text
        if len(text.split()) > _TAG_WORDS or shapes.ends_sentence(text) or match_line_rule(text) is not None:
            break
        out.remove(lines[i], tag)
        i += 1
    return i


# How each kind of block (Rule.block) takes the lines after its header.
_BLOCK_TAKERS: dict[str, Callable[[list[Line], int, Stripped, frozenset[str]], int]] = {
    "related": _take_related_block,
    "tags": _take_tags,
}
